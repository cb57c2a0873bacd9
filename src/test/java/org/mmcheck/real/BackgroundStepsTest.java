package org.mmcheck.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmcheck.litmus.Ast;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.Variants;

/**
 * Background activity as steps of a real-kernel schedule, without a kernel: where the model's
 * background reclaim, KSM and swapoff can happen, the schedules place the driver's equivalent.
 */
class BackgroundStepsTest {
    private static Schedules schedules(String file) throws Exception {
        Ast.Test t = RealModelTest.test(file);
        return new Schedules(new LitmusModel(t, Variants.policy("6.1")));
    }

    @Test
    void backgroundReclaimIsPageoutOfAMappingAtEachPoint() throws Exception {
        Schedules sch = schedules("swap/background-reclaim-fork.litmus");
        List<Schedules.Schedule> all = sch.enumerate(0);
        // reclaim of P0's x before the fork: the first statement may come after it
        assertTrue(all.stream().anyMatch(s -> s.text().startsWith("R0.0,P0")), "reclaim before anything runs");
        // after the fork the page is mapped twice: the model reclaims it, MADV_PAGEOUT would skip it
        Schedules.Schedule shared = all.stream().filter(s -> s.text().startsWith("P0,R0.0")).findFirst().orElseThrow();
        String why = sch.scheduleLimit(shared, sch.follow(shared));
        assertNotNull(why);
        assertTrue(why.contains("mapped 2 times"), why);
        // the model's reclaim of an unmapped swap-cache page has no user-space equivalent: left out, and said so
        assertFalse(all.stream().anyMatch(s -> s.text().contains("R?")));
        assertEquals(1, sch.omissions().size());
    }

    @Test
    void reproducibleScheduleFollowsTheModelsReclaim() throws Exception {
        Schedules sch = schedules("swap/background-reclaim-fork.litmus");
        Schedules.Schedule s = new Schedules.Schedule(List.of("R0.0", "P0", "P0", "P0", "P1"));
        List<Schedules.ModelStep> steps = sch.follow(s);
        assertNull(sch.scheduleLimit(s, steps));
        assertEquals(Obs.Kind.SWAP, sch.observe(1, steps.get(1)).procs().get(0).pages().get(0).kind());
        assertEquals("R0.0,P0,P0,P0,P1", sch.driverText(s, steps));
    }

    @Test
    void aKsmScanMakesEveryMergeTheModelCan() throws Exception {
        Schedules sch = schedules("ksm/ksm-background-fork.litmus");
        Schedules.Schedule last = null;
        for (Schedules.Schedule s : sch.enumerate(0)) if (s.text().startsWith("P0,P0,P0,M")) last = s;
        assertNotNull(last, "a scan right after the fork");
        List<Schedules.ModelStep> steps = sch.follow(last);
        Obs.Step after = sch.observe(4, steps.get(4));
        // x and y (both 3) in parent and child: all four mappings end on one KSM page
        long ksmPages = after.procs().stream().flatMap(p -> p.pages().stream()).filter(Obs.PageObs::ksm)
                .mapToLong(Obs.PageObs::cls).distinct().count();
        long ksmMappings = after.procs().stream().flatMap(p -> p.pages().stream()).filter(Obs.PageObs::ksm).count();
        assertEquals(1, ksmPages);
        assertEquals(4, ksmMappings);
    }

    @Test
    void readaheadStaysUnreproducibleAndBackgroundSwapoffOnlyInAGuest() throws Exception {
        assertTrue(Reproducibility.reasons(RealModelTest.test("swap/background-reclaim-fork.litmus"),
                Reproducibility.Target.GUEST).isEmpty());
        Ast.Test ra = org.mmcheck.litmus.LitmusParser.parse("t.litmus", "MM ra\n{ anon x = 1; kernel readahead; }\n"
                + "P0 { madvise(x, MADV_PAGEOUT); r0 = *x; }\nexists (0:r0=1)\n", java.util.Set.copyOf(Variants.names()),
                java.util.Set.copyOf(org.mmcheck.check.Flags.ALL));
        assertTrue(Reproducibility.reasons(ra, Reproducibility.Target.GUEST).get(0).contains("readahead"));
        Ast.Test so = org.mmcheck.litmus.LitmusParser.parse("t.litmus", "MM so\n{ anon x = 1; kernel swapoff; }\n"
                + "P0 { madvise(x, MADV_PAGEOUT); r0 = *x; }\nexists (0:r0=1)\n", java.util.Set.copyOf(Variants.names()),
                java.util.Set.copyOf(org.mmcheck.check.Flags.ALL));
        assertTrue(Reproducibility.reasons(so, Reproducibility.Target.GUEST).isEmpty());
        assertFalse(Reproducibility.reasons(so, Reproducibility.Target.RUNNING).isEmpty());
    }
}
