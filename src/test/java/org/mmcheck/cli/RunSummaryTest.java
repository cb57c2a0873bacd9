package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** The one-line summary at the end of a run of several tests or variants. */
class RunSummaryTest {
    @Test
    void countsHeldFailedAndStoppedRuns() {
        Cli.Result r = Cli.run("run", "--variant", "5.19,part3-v2", "litmus/history/seed-stable-writes.litmus",
                "litmus/cow-after-fork.litmus");
        assertEquals(Main.OK, r.status(), r.err());
        assertTrue(r.out().matches("(?s).*\\nSummary: 4 run\\(s\\) of 2 test\\(s\\): 4 expectation\\(s\\) held, 0 failed,"
                + " 0 without an expect line, 0 stopped; [0-9.]+ s\\n"), r.out());

        Cli.Result stopped = Cli.run("run", "--variant", "5.19,6.1", "--max-states", "2", "litmus/cow-after-fork.litmus");
        assertEquals(Main.LIMIT, stopped.status());
        assertTrue(stopped.out().contains("0 expectation(s) held, 0 failed, 0 without an expect line, 2 stopped"),
                stopped.out());
    }

    @Test
    void aSingleRunAndJsonHaveNoSummaryLine() {
        assertFalse(Cli.run("run", "litmus/cow-after-fork.litmus").out().contains("Summary:"));
        assertFalse(Cli.run("run", "--json", "--variant", "all", "litmus/cow-after-fork.litmus").out().contains("Summary:"));
    }
}
