package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** --witness says what it has nothing to show for; --version names the build. */
class WitnessTextTest {
    @Test
    void aNeverResultWithoutFlagsSaysThereIsNothingToShow() {
        Cli.Result r = Cli.run("run", "--witness", "litmus/cow-after-fork.litmus");
        assertEquals(Main.OK, r.status());
        assertTrue(r.out().contains("Witness outcome: none (no execution reaches an outcome satisfying the condition)"));
        assertTrue(r.out().contains("Witness flag: none (no execution raises a flag)"));
    }

    @Test
    void aFlagWithoutAPositiveOutcomeShowsTheFlagsWitnessOnly() {
        Cli.Result r = Cli.run("run", "--witness", "--variant", "part3-v2", "litmus/history/seed-stable-writes.litmus");
        assertTrue(r.out().contains("Witness outcome: none"), r.out());
        assertFalse(r.out().contains("Witness flag: none"), r.out());
        assertTrue(r.out().contains("Witness flag stable-write (3 steps)"), r.out());
    }

    @Test
    void aWitnessNamesTheDecisionsTaken() {
        // part3-v2's inverted test answers "keep exclusive" on a stable-writes device: the witness says so by name.
        String bad = Cli.run("run", "--witness", "--variant", "part3-v2", "litmus/history/seed-stable-writes.litmus").out();
        assertTrue(bad.contains("[do_swap_page.stable_writes = false]"), bad);
        assertTrue(bad.contains("[do_swap_page.exclusive = true]"), bad);
        // Decisions without arguments (features of a generation) are not repeated on every step.
        assertFalse(bad.contains("[anon_exclusive"), bad);
    }

    @Test
    void aFailedForallShowsACounterexample(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir) throws Exception {
        java.nio.file.Path f = dir.resolve("f.litmus");
        java.nio.file.Files.writeString(f, "MM f\n{ anon x = 1; }\nP0 { fork(P1); *x = 2; }\nP1 { r0 = *x; }\nforall (1:r0=2)\n");
        Cli.Result r = Cli.run("run", "--witness", f.toString());
        assertTrue(r.out().contains("Observation f Never"), r.out());
        assertTrue(r.out().contains("Witness counterexample outcome 1:r0=1; ("), r.out());
        assertFalse(r.out().contains("Witness outcome: none"), r.out());
    }

    @Test
    void oneWitnessCanBePickedByOutcomeNumberOrFlag() {
        String file = "litmus/races/gup-fast-pin-vs-reclaim.litmus";
        Cli.Result byFlag = Cli.run("run", "--variant", "5.19-noswpx", "--witness-flag", "pin-incoherent", file);
        assertTrue(byFlag.out().contains("Witness flag pin-incoherent ("), byFlag.out());
        assertFalse(byFlag.out().contains("Witness flag pinned-not-exclusive"), byFlag.out());
        assertFalse(byFlag.out().contains("Witness outcome"), byFlag.out());
        Cli.Result byNumber = Cli.run("run", "--variant", "5.19-noswpx", "--witness-outcome", "1", file);
        assertTrue(byNumber.out().contains("Witness outcome 0:r0=1; 0:r1=2; ("), byNumber.out());
        assertFalse(byNumber.out().contains("Witness flag"), byNumber.out());
        Cli.Result missing = Cli.run("run", "--variant", "6.12", "--witness-flag", "pin-incoherent", file);
        assertTrue(missing.out().contains("Witness flag pin-incoherent: none (not raised)"), missing.out());
        Cli.Result tooFar = Cli.run("run", "--variant", "6.12", "--witness-outcome", "9", file);
        assertTrue(tooFar.out().contains("Witness outcome 9: none (the run has 1 outcome(s))"), tooFar.out());
        assertEquals(Main.BAD_INPUT, Cli.run("run", "--witness-flag", "pin-incoherrent", file).status());
        assertEquals(Main.BAD_INPUT, Cli.run("run", "--witness-outcome", "0", file).status());
    }

    @Test
    void aFlagIsShownWhereItIsRaisedNotOnEveryLaterStep() {
        Cli.Result r = Cli.run("run", "--variant", "5.19-noswpx", "--witness-flag", "pinned-not-exclusive",
                "litmus/races/gup-fast-pin-vs-reclaim.litmus");
        String out = r.out();
        assertEquals(1, out.split("!! pinned-not-exclusive", -1).length - 1, out);
    }

    @Test
    void fullShowsTheStateAfterEachStep() {
        Cli.Result r = Cli.run("run", "--variant", "part3-v2", "--witness-flag", "stable-write", "--full",
                "litmus/history/seed-stable-writes.litmus");
        String out = r.out();
        assertTrue(out.contains("| P0: x=swp(slot#0,excl)"), out);
        assertTrue(out.contains("| page#0{val=2 ref=2 map=1 excl swapcache(slot#0) writeback dirty}"), out);
    }

    @Test
    void withoutWitnessNothingIsSaid() {
        assertFalse(Cli.run("run", "litmus/cow-after-fork.litmus").out().contains("Witness"));
    }

    @Test
    void everyCommandAnswersHelpWithAnExampleAndCompletionKnowsThem() {
        for (String c : new String[] {"run", "diff", "variants", "conditions", "bench", "real", "synth", "mutants", "repro", "completion"}) {
            Cli.Result r = Cli.run(c, "--help");
            assertEquals(Main.OK, r.status(), c);
            assertTrue(r.out().contains("Example"), c + ": " + r.out());
        }
        String script = Cli.run("completion").out();
        assertTrue(script.contains("complete -F _complete_mmcheck") || script.contains("_complete_mmcheck"), script);
        assertTrue(script.contains("--witness-flag") && script.contains("synth") && script.contains("--por"), "options known");
    }

    @Test
    void versionNamesTheCommitOrSaysHowToGetIt() {
        Cli.Result r = Cli.run("--version");
        assertEquals(Main.OK, r.status());
        assertTrue(r.out().startsWith("mmcheck 0.1.0 (commit "), r.out());
    }
}
