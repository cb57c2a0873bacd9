package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayDeque;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.mmcheck.explore.TransitionSystem.Transition;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;

/**
 * Vmscan.shrinkFolioListRefuses (read-only, asked by background reclaim before copying a state) says
 * exactly when shrinkFolioListBegin gives up: checked on every page of every reachable state of tests
 * with pins, writeback, locked pages and swapoff, under variants with and without the pin check.
 */
class ShrinkRefusalTest {

    @ParameterizedTest
    @CsvSource({"litmus/history/pin-reclaim-race.litmus, 5.19", "litmus/history/pin-reclaim-race.litmus, 5.9",
            "litmus/history/pin-reclaim-race.litmus, 5.7", "litmus/swap/seed-background.litmus, 5.19",
            "litmus/swap/swapoff-restores.litmus, 5.19", "litmus/ksm/ksm-pinned.litmus, 5.18"})
    void refusalPredictsTheFirstHalf(String file, String variant) throws Exception {
        KernelPolicy policy = Variants.policy(variant);
        LitmusModel m = new LitmusModel(LitmusFiles.parse(Path.of(file)), policy);
        ArrayDeque<KState> queue = new ArrayDeque<>(List.of(m.initial()));
        Set<Long> seen = new HashSet<>();
        int refused = 0;
        int accepted = 0;
        while (!queue.isEmpty()) {
            KState s = queue.poll();
            for (Page view : s.pages()) {
                boolean predicted = new Kernel(s, policy, Trace.OFF, KernelMonitor.NONE).vmscan.shrinkFolioListRefuses(view);
                KState copy = s.copy();
                Kernel k = new Kernel(copy, policy, Trace.OFF, KernelMonitor.NONE);
                boolean began = k.vmscan.shrinkFolioListBegin(copy.page(view.id));
                assertEquals(!began, predicted, file + " " + variant + ": " + view);
                if (predicted) refused++;
                else accepted++;
            }
            for (Transition<KState> t : m.successors(s, false)) {
                if (seen.add(m.fingerprint(t.target()))) queue.add(t.target());
            }
        }
        assertTrue(accepted > 0, "some pages reclaimable");
        if (!file.contains("swapoff")) assertTrue(refused > 0, "some pages refused");
    }
}
