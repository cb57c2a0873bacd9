package org.mmcheck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmcheck.explore.TransitionSystem.Transition;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.Variants;

/**
 * Packing a state for the queue and unpacking it gives back the same state: same packed form, same
 * canonical key, and the same successors (targets, flags) as the original, on every state of tests
 * that use pins, KSM, swap, swapoff, fork, threads and lock-level stages (paths in flight, claims, write_protect_seq).
 */
class StateCodecTest {

    @ParameterizedTest
    @ValueSource(strings = {"litmus/history/pin-reclaim-race.litmus", "litmus/ksm/ksm-background-fork.litmus",
            "litmus/swap/readahead-shared-entry.litmus", "litmus/gup/get-outlives-exit.litmus",
            "litmus/swap/swapoff-restores.litmus", "litmus/history/ro-pin-shared.litmus",
            "litmus/threads/thread-last-exit-tears-down.litmus", "litmus/threads/pin-by-thread-then-fork.litmus",
            "litmus/threads/thread-segv-kills-group.litmus", "litmus/threads/threads-swapin-same-page.litmus",
            "litmus/races/swapin-skip-cache-aba.litmus", "litmus/races/gup-fast-vs-fork.litmus",
            "litmus/races/swapin-vs-swapoff.litmus", "litmus/races/wp-copy-backout.litmus",
            "bench/ptlock-threads.litmus"})
    void roundTripIsExactOnEveryReachableState(String file) throws Exception {
        LitmusModel m = new LitmusModel(LitmusFiles.parse(Path.of(file)), Variants.policy("5.19"));
        ArrayDeque<KState> queue = new ArrayDeque<>(List.of(m.initial()));
        Set<Long> seen = new HashSet<>();
        int checked = 0;
        while (!queue.isEmpty()) {
            KState s = queue.poll();
            int[] packed = StateCodec.pack(s);
            KState back = StateCodec.unpack(packed);
            assertArrayEquals(packed, StateCodec.pack(back));
            assertEquals(CanonicalKey.of(s), CanonicalKey.of(back));
            List<Transition<KState>> a = m.successors(s, false);
            List<Transition<KState>> b = m.successors(back, false);
            assertEquals(a.size(), b.size());
            for (int i = 0; i < a.size(); i++) {
                assertArrayEquals(StateCodec.pack(a.get(i).target()), StateCodec.pack(b.get(i).target()));
                assertEquals(a.get(i).flags(), b.get(i).flags());
                if (seen.add(m.fingerprint(a.get(i).target()))) queue.add(a.get(i).target());
            }
            checked++;
        }
        assertTrue(checked > 5, "explored " + checked);
    }

    @org.junit.jupiter.api.Test
    void highEntitlementValuesAndSwapDeviceStateSurvive() throws Exception {
        LitmusModel m = new LitmusModel(LitmusFiles.parse(Path.of("litmus/swap/swapoff-restores.litmus")),
                Variants.policy("5.19"));
        KState s = m.initial().copy();
        Entitlement e = s.mutableProc(0).mutableEnt();
        e.set(0, 200, false);
        e.set(0, 70, true);
        s.swap = s.swap.swapoffStarted();
        s.swapoffDone = true;
        KState back = StateCodec.unpack(StateCodec.pack(s));
        assertTrue(back.procs[0].ent.heldBefore(0, 200));
        assertEquals(70, back.procs[0].ent.value[0]);
        assertTrue(back.procs[0].ent.byDevice[0]);
        assertEquals(s.swap, back.swap);
        assertTrue(back.swapoffDone);
        assertEquals(CanonicalKey.of(s), CanonicalKey.of(back));
    }
}
