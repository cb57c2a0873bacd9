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
    void withoutWitnessNothingIsSaid() {
        assertFalse(Cli.run("run", "litmus/cow-after-fork.litmus").out().contains("Witness"));
    }

    @Test
    void versionNamesTheCommitOrSaysHowToGetIt() {
        Cli.Result r = Cli.run("--version");
        assertEquals(Main.OK, r.status());
        assertTrue(r.out().startsWith("mmcheck 0.1.0 (commit "), r.out());
    }
}
