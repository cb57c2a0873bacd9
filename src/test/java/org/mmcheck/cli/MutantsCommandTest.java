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
        assertTrue(out.matches("(?s).*Mutation score: \\d+ of 51 mutants killed .*"), out);
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
