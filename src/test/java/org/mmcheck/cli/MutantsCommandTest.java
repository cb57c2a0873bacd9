package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.litmus.Ast;
import org.mmcheck.report.Verdict;
import org.mmcheck.variant.Variants;
import org.mmcheck.variant.data.Patch;
import org.mmcheck.variant.data.PatchedPolicy;

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
        assertTrue(out.matches("(?s).*SURVIVED +set change_pte_range\\.writable = true [^\\n]*\\n +killed by this 2-statement atomic test"
                + " \\(\\d+ tried; only the mutant raises writable-not-exclusive\\):\\n.*mprotect\\(x, PROT_READ\\|PROT_WRITE\\);.*"), out);
        // Both bounds are named: the atomic one, and the race space's searched after it.
        assertTrue(out.matches("(?s).*SURVIVED +invert break_ksm\\.unshare [^\\n]*\\n +equivalent up to the bound: no atomic"
                + " program of at most 2 statement\\(s\\) nor ptlock program of at most 4 statement\\(s\\) tells it apart.*"), out);
    }

    @Test
    void synthFindsARaceThatKillsALockLevelGuardMutantAndTheRaceReallyTellsItApart() throws Exception {
        // The GUP-fast recheck is a lock-level guard: no atomic program reaches it, a two-statement race does.
        Cli.Result r = Cli.run("mutants", "--variant", "5.19", "--synth", "--synth-stmts", "1", "--max-race-stmts", "2",
                "litmus/history");
        String out = r.out();
        Matcher m = Pattern.compile("SURVIVED +invert gup_fast\\.pte_unchanged [^\\n]*\\n +killed by this (\\d)-statement"
                + " ptlock test \\(\\d+ tried; ([^\\n]*)\\):\\n((?: {14}[^\\n]*\\n)+)").matcher(out);
        assertTrue(m.find(), out);
        assertEquals("2", m.group(1));
        assertEquals("only the mutant raises pinned-not-exclusive", m.group(2));
        String program = m.group(3).replaceAll("(?m)^ {14}", "");
        assertTrue(program.contains("interleave ptlock;") && program.contains("FOLL_FAST"), program);
        // Run the printed program: the variant and the mutant really give different answers.
        Ast.Test t = SynthSearch.parse(program);
        Patch patch = new Patch("5.19~gup_fast.pte_unchanged", "invert gup_fast.pte_unchanged", "5.19",
                Map.of("gup_fast.pte_unchanged", Patch.Change.INVERT), "mutant");
        Verdict base = TestRun.run(t, Variants.policy("5.19"), Limits.none(), Progress.silent(), false, 1);
        Verdict mutant = TestRun.run(t, PatchedPolicy.of(patch, Variants.policy("5.19")), Limits.none(), Progress.silent(),
                false, 1);
        assertTrue(base.complete() && mutant.complete());
        assertEquals(List.of(), base.flags());
        assertEquals(List.of("pinned-not-exclusive"), mutant.flags());
        // Where no race of two statements kills a mutant, both bounds are named.
        assertTrue(out.matches("(?s).*SURVIVED +invert break_ksm\\.unshare [^\\n]*\\n +equivalent up to the bound: no atomic"
                + " program of at most 1 statement\\(s\\) nor ptlock program of at most 2 statement\\(s\\) tells it apart.*"), out);
        assertTrue(out.matches("(?s).*\\nSynthesized: a killing test for \\d+ of the 39 survivor\\(s\\)\\n.*"), out);
    }

    @Test
    void aSearchLeftUndecidedAtMaxStatesNeverClaimsEquivalence() {
        Cli.Result r = Cli.run("mutants", "--variant", "5.19", "--synth", "--synth-stmts", "1", "--max-race-stmts", "2",
                "--max-states", "1", "litmus/history/pin-reclaim-race.litmus");
        String out = r.out();
        assertTrue(!out.contains("equivalent up to the bound"), out);
        assertTrue(out.matches("(?s).*\\n +undecided: no program tried tells it apart, but the bound is not established"
                + " \\(tried every atomic program of at most 1 statement\\(s\\) and every ptlock program of at most 2"
                + " statement\\(s\\); \\d+ tried, \\d+ left undecided at --max-states 1\\)\\n.*"), out);
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
        assertEquals(Main.BAD_INPUT, Cli.run("mutants", "--synth", "--interleave", "races", "litmus/history").status());
        assertEquals(Main.BAD_INPUT, Cli.run("mutants", "--synth", "--max-race-stmts", "9", "litmus/history").status());
        assertEquals(Main.OK, Cli.run("mutants", "--help").status());
    }
}
