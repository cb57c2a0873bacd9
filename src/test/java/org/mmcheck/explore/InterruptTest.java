package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A stop requested from outside (Ctrl-C, SIGTERM) ends a search with its partial results. */
class InterruptTest {
    @Test
    void aRequestStopsAnEndlessSearchWithWhatItHas() {
        try {
            Interrupt.request();
            Result<Long> r = new Explorer<>(new ToyModels.Infinite(), Limits.none(), Progress.silent()).run();
            assertEquals(StopReason.INTERRUPTED, r.stopReason());
            assertTrue(r.distinctStates() >= 1, "the initial state is kept");
        } finally {
            Interrupt.clear();
        }
    }
}
