package org.mmcheck.sem;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.check.Flags;
import org.mmcheck.explore.TransitionSystem.Transition;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.model.CanonicalKey;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.KState;
import org.mmcheck.model.Proc;
import org.mmcheck.model.StateCodec;
import org.mmcheck.variant.Variants;

/**
 * clone(Pn): a thread has its own registers and status but its owner's mm. Each test drives one
 * schedule through {@link LitmusModel#successors} and looks at the state after every step.
 */
class ThreadsTest {

    private static LitmusModel model(String src) throws Exception {
        return new LitmusModel(LitmusParser.parse("t.litmus", src, Set.copyOf(Variants.names()),
                Set.copyOf(Flags.ALL)), Variants.policy("5.19"));
    }

    /** Runs the given actors' next statements in order; each must be enabled. */
    private static KState run(LitmusModel m, KState s, String... actors) {
        for (String a : actors) {
            Transition<KState> chosen = null;
            for (Transition<KState> t : m.successors(s, true)) {
                if (((StepLabel) t.label()).actor().equals(a)) chosen = t;
            }
            if (chosen == null) throw new AssertionError(a + " cannot run");
            assertEquals(List.of(), chosen.flags(), "flags after " + a);
            s = chosen.target();
        }
        return s;
    }

    private static List<String> enabled(LitmusModel m, KState s) {
        List<String> out = new ArrayList<>();
        for (Transition<KState> t : m.successors(s, true)) out.add(((StepLabel) t.label()).actor());
        return out;
    }

    @Test
    void aStoreByAThreadIsInTheProcessPageTable() throws Exception {
        LitmusModel m = model("MM t { anon x; } P0 { clone(P1); wait(P1); r0 = *x; } P1 { *x = 2; r1 = *x; }");
        KState s = run(m, m.initial(), "P0");
        assertEquals(0, s.mmOf(1));
        assertEquals(Proc.Status.RUNNING, s.procs[1].status);
        assertFalse(s.procs[1].hasMm(), "a thread owns no mm of its own");
        assertEquals(1, s.procs[0].threads);
        assertTrue(s.procs[0].ptes[0].isNone());
        s = run(m, s, "P1", "P1");
        assertEquals(2, s.procs[1].regs[0]);
        assertTrue(s.procs[0].ptes[0].isPresent(), "the thread's write fault filled the process's PTE");
        assertTrue(s.procs[0].ptes[0].write());
        assertTrue(s.procs[1].ptes[0].isNone(), "the thread's own table stays empty");
        assertEquals(2, s.procs[0].ent.value[0], "one entitlement for the whole mm");
        assertEquals(1, s.pageView(s.procs[0].ptes[0].target()).mapcount, "one mapping, not one per thread");
        s = run(m, s, "P0", "P0");
        assertEquals(2, s.procs[0].regs[0]);
        assertEquals(2, LitmusModel.peek(s, 1, 0));
        assertEquals(2, LitmusModel.peek(s, 0, 0));
    }

    @Test
    void waitJoinsAThreadOnlyOnceItStopped() throws Exception {
        LitmusModel m = model("MM t { anon x; } P0 { clone(P1); wait(P1); } P1 { *x = 1; }");
        KState s = run(m, m.initial(), "P0");
        assertEquals(List.of("P1"), enabled(m, s), "wait(P1) is not enabled while P1 runs");
        s = run(m, s, "P1");
        assertEquals(Proc.Status.DONE, s.procs[1].status);
        s = run(m, s, "P0");
        assertEquals(Proc.Status.DONE, s.procs[0].status);
    }

    @Test
    void exitOfTheProcessKeepsTheMmForItsThreadAndTheLastExitTearsItDown() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); exit(); } P1 { r0 = *x; exit(); }");
        KState s = run(m, m.initial(), "P0", "P0");
        assertEquals(Proc.Status.EXITED, s.procs[0].status);
        assertTrue(s.procs[0].hasMm(), "P1 still runs in it");
        assertTrue(s.procs[0].ptes[0].isPresent());
        assertEquals(1, s.pageCount());
        s = run(m, s, "P1");
        assertEquals(1, s.procs[1].regs[0]);
        s = run(m, s, "P1");
        assertFalse(s.procs[0].hasMm());
        assertEquals(0, s.procs[0].threads);
        assertTrue(s.procs[0].ptes[0].isNone());
        assertEquals(0, s.pageCount(), "exit_mmap freed the page");
        assertEquals(org.mmcheck.sem.Outcome.UNMAPPED, LitmusModel.peek(s, 1, 0));
    }

    @Test
    void exitOfAThreadKeepsTheMm() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); wait(P1); r0 = *x; } P1 { exit(); }");
        KState s = run(m, m.initial(), "P0", "P1");
        assertEquals(Proc.Status.EXITED, s.procs[1].status);
        assertEquals(0, s.procs[0].threads);
        assertTrue(s.procs[0].hasMm());
        s = run(m, s, "P0", "P0");
        assertEquals(1, s.procs[0].regs[0]);
        assertEquals(1, LitmusModel.peek(s, 1, 0), "an exited thread still names its process's mm");
    }

    @Test
    void aThreadThatReachesTheEndOfItsBlockKeepsTheMm() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); exit(); } P1 { r0 = *x; }");
        KState s = run(m, m.initial(), "P0", "P0", "P1");
        assertEquals(Proc.Status.DONE, s.procs[1].status);
        assertTrue(s.procs[0].hasMm());
        assertEquals(1, s.pageCount());
        assertEquals(1, LitmusModel.peek(s, 0, 0));
    }

    @Test
    void forkByAThreadCopiesTheWholeMmAndCowSeparatesIt() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); wait(P1); *x = 3; } P1 { fork(P2); }"
                + " P2 { r0 = *x; *x = 2; }");
        KState s = run(m, m.initial(), "P0", "P1");
        assertEquals(2, s.mmOf(2), "the child is a process of its own");
        assertTrue(s.procs[2].hasMm());
        assertEquals(s.procs[0].ptes[0].target(), s.procs[2].ptes[0].target(), "shared after fork");
        assertFalse(s.procs[0].ptes[0].write());
        s = run(m, s, "P0", "P0");
        assertNotEquals(s.procs[0].ptes[0].target(), s.procs[2].ptes[0].target(), "COW by the parent's store");
        s = run(m, s, "P2", "P2");
        assertEquals(1, s.procs[2].regs[0]);
        assertEquals(3, LitmusModel.peek(s, 1, 0));
        assertEquals(2, LitmusModel.peek(s, 2, 0));
    }

    @Test
    void aPinTakenByAThreadBelongsToTheMm() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); wait(P1); } P1 { p = pin(x, FOLL_WRITE); }");
        KState s = run(m, m.initial(), "P0", "P1");
        GupRef r = s.refs[0];
        assertEquals(GupRef.State.HELD, r.state);
        assertEquals(0, r.owner);
        assertTrue(s.procs[0].hasPinned, "MMF_HAS_PINNED is the mm's");
        assertFalse(s.procs[1].hasPinned);
    }

    @Test
    void segvInAThreadEndsTheThreadGroup() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { mprotect(x, PROT_READ); clone(P1); r0 = *x; }"
                + " P1 { *x = 2; }");
        KState s = run(m, m.initial(), "P0", "P0", "P0", "P1");
        assertEquals(Proc.Status.EXITED, s.procs[0].status, "a done thread dies with its group");
        assertEquals(Proc.Status.EXITED, s.procs[1].status);
        assertFalse(s.procs[0].hasMm());
        assertEquals(0, s.pageCount());
    }

    @Test
    void reclaimNamingAThreadReclaimsItsMmsPage() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); wait(P1); } P1 { } K0 { reclaim(1:x); }");
        KState s = run(m, m.initial(), "P0", "K0", "K0");
        assertTrue(s.procs[0].ptes[0].isSwap());
    }

    @Test
    void aThreadNotStartedYetNamesNoMm() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); } P1 { } K0 { reclaim(1:x); }");
        KState s = m.initial();
        assertEquals(org.mmcheck.sem.Outcome.UNMAPPED, LitmusModel.peek(s, 1, 0));
        s = run(m, s, "K0");
        assertTrue(s.procs[0].ptes[0].isPresent(), "reclaim(1:x) before clone(P1) finds nothing");
        s = run(m, s, "P0");
        assertEquals(1, LitmusModel.peek(s, 1, 0));
    }

    @Test
    void threadStatesPackAndEncodeExactly() throws Exception {
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); exit(); } P1 { r0 = *x; }");
        KState s = run(m, m.initial(), "P0", "P0");
        KState back = StateCodec.unpack(StateCodec.pack(s));
        assertArrayEquals(StateCodec.pack(s), StateCodec.pack(back));
        assertEquals(0, back.mmOf(1));
        assertEquals(1, back.procs[0].threads);
        assertTrue(back.procs[0].hasMm());
        assertEquals(CanonicalKey.of(s), CanonicalKey.of(back));
        assertEquals(m.successors(s, false).size(), m.successors(back, false).size());
    }

    @Test
    void anExitedLeaderWithALiveThreadDiffersFromADeadMm() throws Exception {
        // Same leader status (EXITED) in both; only the thread's status (and so the mm's life) differs.
        LitmusModel m = model("MM t { anon x = 1; } P0 { clone(P1); exit(); } P1 { exit(); }");
        KState alive = run(m, m.initial(), "P0", "P0");
        KState dead = run(m, alive, "P1");
        assertNotEquals(CanonicalKey.of(alive), CanonicalKey.of(dead));
        assertNotEquals(m.fingerprint(alive), m.fingerprint(dead));
        assertNull(m.outcome(alive), "P1 still runs");
        assertSame(null, dead.pageAt(0));
    }
}
