package org.mmcheck.sem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.check.Flags;
import org.mmcheck.explore.TransitionSystem.Transition;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.KState;
import org.mmcheck.variant.Variants;

/**
 * Under interleave ptlock, a fork between its two stages holds the parent's mmap_lock and the PT locks
 * of parent and child: the parent's other threads may only run lockless steps, and nobody else may
 * change those PTEs, but processes in other mms go on.
 */
class ForkWindowTest {
    private static final String SRC = """
            MM t
            { anon x = 1; anon y = 1; swap; kernel reclaim; interleave ptlock; }
            P0 { fork(P1); *x = 2; fork(P2); }
            P1 { *y = 3; }
            P2 { r0 = *x; }
            exists (2:r0=0)
            """;

    private static LitmusModel model() throws Exception {
        return new LitmusModel(LitmusParser.parse("t.litmus", SRC, Set.copyOf(Variants.names()), Set.copyOf(Flags.ALL)),
                Variants.policy("6.12"));
    }

    private static Transition<KState> only(LitmusModel m, KState s, String actor, String statementPrefix) {
        for (Transition<KState> t : m.successors(s, true)) {
            StepLabel l = (StepLabel) t.label();
            if (l.actor().equals(actor) && l.statement().startsWith(statementPrefix)) return t;
        }
        throw new AssertionError(actor + " cannot run " + statementPrefix + " in " + labels(m, s));
    }

    private static List<String> labels(LitmusModel m, KState s) {
        List<String> out = new ArrayList<>();
        for (Transition<KState> t : m.successors(s, true)) {
            StepLabel l = (StepLabel) t.label();
            out.add(l.actor() + ": " + l.statement());
        }
        return out;
    }

    @Test
    void anotherMmRunsWhileForkHoldsItsLocksButNoOneTouchesTheForkersPtes() throws Exception {
        LitmusModel m = model();
        KState s = m.initial();
        // P0's first fork, both stages, then the first stage of the second fork.
        s = only(m, s, "P0", "fork(P1)").target();
        if (s.inflight[0] != null) s = only(m, s, "P0", "fork(P1)").target();
        // P0's store breaks COW: its new x is writable, so the next fork has a PTE to write-protect.
        s = only(m, s, "P0", "*x = 2").target();
        while (s.inflight[0] != null) s = only(m, s, "P0", "*x = 2").target();
        s = only(m, s, "P0", "fork(P2)").target();
        assertTrue(s.inflight[0] != null && s.inflight[0].path() == InFlight.Path.FORK, "P0 is between the stages of fork(P2)");

        List<String> enabled = labels(m, s);
        // P1 lives in its own mm: its write fault (a COW break of y) takes only its own locks.
        assertTrue(enabled.stream().anyMatch(l -> l.startsWith("P1: *y = 3")), enabled.toString());
        // The child does not run yet.
        assertFalse(enabled.stream().anyMatch(l -> l.startsWith("P2:")), enabled.toString());
        // Reclaim may not unmap P0's x or the y that P0 and P1 share (fork holds P0's PT lock); the old
        // x, now mapped by P1 alone, it may.
        List<String> reclaims = enabled.stream().filter(l -> l.contains("background reclaim")).toList();
        assertEquals(1, reclaims.size(), enabled.toString());
        int oldX = s.procs[1].ptes[0].target();
        assertTrue(reclaims.get(0).contains("page#" + oldX + ")"), reclaims + " should reclaim P1's page#" + oldX);

        // P1's store goes ahead and COW-breaks y in P1 only.
        KState after = only(m, s, "P1", "*y = 3").target();
        assertEquals(InFlight.Path.FORK, after.inflight[0].path());
    }
}
