package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.report.Verdict;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.variant.Variants;

/** A run stopped by a limit never claims Never or Always (LITMUS.md, "Observation of a stopped run"). */
class StoppedObservationTest {
    private static Verdict stoppedAfter(String file, long states) throws Exception {
        return TestRun.run(LitmusFiles.parse(Path.of(file)), Variants.policy("5.19"), new Limits(states, null, 0.0),
                Progress.silent(), false);
    }

    @Test
    void nothingPositiveFoundYetIsUnknownNotNever() throws Exception {
        Verdict v = stoppedAfter("litmus/cow-after-fork.litmus", 3);
        assertFalse(v.complete());
        assertEquals("Unknown", v.observation());
        assertNull(v.expectation(), "a stopped run judges no expect line");
    }

    @Test
    void aStoppedRunIsSometimesOnceBothKindsAreFoundAndUnknownBefore() throws Exception {
        Path f = Path.of("litmus/history/pin-reclaim-race.litmus");
        Verdict full = TestRun.run(LitmusFiles.parse(f), Variants.policy("5.18"), new Limits(0, null, 0.0),
                Progress.silent(), false);
        assertEquals("Sometimes", full.observation());
        boolean sawSometimes = false;
        boolean sawUnknown = false;
        for (long n = 1; n < full.explored(); n++) {
            Verdict v = TestRun.run(LitmusFiles.parse(f), Variants.policy("5.18"), new Limits(n, null, 0.0),
                    Progress.silent(), false);
            if (v.complete()) continue;
            boolean both = v.positive() > 0 && v.negative() > 0;
            assertEquals(both ? "Sometimes" : "Unknown", v.observation(), "stopped after " + n + " states");
            sawSometimes |= both;
            sawUnknown |= !both;
        }
        assertTrue(sawUnknown && sawSometimes, "both cases occur among the cut-off points");
    }
}
