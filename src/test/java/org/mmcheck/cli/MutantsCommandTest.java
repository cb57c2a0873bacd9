package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code mmcheck mutants}: single-decision mutants of a variant against a test suite. */
class MutantsCommandTest {
    @Test
    void theSeedTestKillsTheSeedMutantAndUntouchedPointsSurvive() {
        Cli.Result r = Cli.run("mutants", "--variant", "5.19", "litmus/history");
        assertEquals(Main.EXPECTATION_FAILED, r.status(), r.toString()); // some survive
        String out = r.out();
        // The review catch, found by mutation: inverting the stable-writes test is seen by the seed test.
        assertTrue(out.matches("(?s).*killed +invert do_swap_page\\.stable_writes +by seed-stable-writes \\(Never -> Never flag stable-write\\).*"), out);
        // 5.19 always has PG_anon_exclusive: forcing it on changes no answer anywhere.
        assertTrue(out.matches("(?s).*equivalent +set anon_exclusive = true +\\(asked \\d+ times; 5\\.19 already answered so every time\\).*"), out);
        // Some points change answers that no history test looks at (set do_swap_page.stable_writes = true: a needless copy).
        assertTrue(out.contains("SURVIVED"), out);
        assertTrue(out.matches("(?s).*Mutation score: \\d+ of 72 mutants killed .*"), out);
    }

    @Test
    void synthFindsATestForASurvivorOrSaysUpToWhichBoundThereIsNone() {
        Cli.Result r = Cli.run("mutants", "--variant", "5.19", "--synth", "--synth-stmts", "2", "litmus/history");
        String out = r.out();
        // No history test mprotects a forked page; two statements suffice to tell the mutant apart.
        assertTrue(out.matches("(?s).*SURVIVED +set change_pte_range\\.writable = true [^\\n]*\\n +killed by this 2-statement test"
                + " \\(\\d+ tried; only the mutant raises writable-not-exclusive\\):\\n.*mprotect\\(x, PROT_READ\\|PROT_WRITE\\);.*"), out);
        assertTrue(out.matches("(?s).*SURVIVED +invert break_ksm\\.unshare [^\\n]*\\n +equivalent up to the bound: no program of at most 2"
                + " statement\\(s\\) tells it apart.*"), out);
    }

    @Test
    void sameReportEveryTime() {
        Cli.Result a = Cli.run("mutants", "--variant", "6.12", "litmus/races");
        Cli.Result b = Cli.run("mutants", "--variant", "6.12", "litmus/races");
        assertEquals(a.out().replaceAll("; [0-9.]+ s\\n", "\n"), b.out().replaceAll("; [0-9.]+ s\\n", "\n"));
    }

    @Test
    void badInput() {
        assertEquals(Main.BAD_INPUT, Cli.run("mutants", "--variant", "5.20", "litmus/history").status());
        assertEquals(Main.BAD_INPUT, Cli.run("mutants", "--max-states", "0", "litmus/history").status());
        assertEquals(Main.OK, Cli.run("mutants", "--help").status());
    }
}
