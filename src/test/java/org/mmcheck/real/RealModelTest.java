package org.mmcheck.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmcheck.litmus.Ast;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.Variants;

/** Schedules, reproducibility, trace parsing and comparison, without a kernel. */
class RealModelTest {
    static Ast.Test test(String name) throws Exception {
        return CGenTest.parse(Path.of("litmus").resolve(name));
    }

    static Schedules schedules(Ast.Test t) throws Exception {
        return new Schedules(new LitmusModel(t, Variants.policy("5.19")));
    }

    @Test
    void schedulesOfCowAfterFork() throws Exception {
        List<String> got = new ArrayList<>();
        for (Schedules.Schedule s : schedules(test("cow-after-fork.litmus")).enumerate(0)) got.add(s.text());
        assertEquals(List.of("P0,P0,P1", "P0,P1,P0"), got);
    }

    @Test
    void scheduleCapAndDistinct() throws Exception {
        Schedules sch = schedules(test("fork-child-write-isolated.litmus"));
        List<Schedules.Schedule> all = sch.enumerate(0);
        assertEquals(10, all.size());
        assertEquals(all.size(), all.stream().map(Schedules.Schedule::text).distinct().count());
        assertEquals(3, sch.enumerate(3).size());
    }

    @Test
    void writebackCompletesEagerly() throws Exception {
        Schedules sch = schedules(test("swap/swapin-read-then-write.litmus"));
        Schedules.Schedule s = sch.enumerate(0).get(0);
        List<Schedules.ModelStep> steps = sch.follow(s);
        // after MADV_PAGEOUT the page is out, its writeback finished, and it waits clean in the swap cache
        for (var p : steps.get(1).state().pages()) assertFalse(p.writeback);
        assertEquals(Obs.Kind.SWAP, sch.observe(1, steps.get(1)).procs().get(0).pages().get(0).kind());
    }

    @Test
    void notReproducible() throws Exception {
        assertFalse(Reproducibility.reasons(test("history/ro-pin-shared.litmus"), Reproducibility.Target.GUEST).isEmpty());
        assertFalse(Reproducibility.reasons(test("swap/readahead-shared-entry.litmus"), Reproducibility.Target.GUEST).isEmpty());
        assertFalse(Reproducibility.reasons(test("history/rw-get-swap-write.litmus"), Reproducibility.Target.GUEST).isEmpty());
        assertTrue(Reproducibility.reasons(test("history/rw-pin-then-fork.litmus"), Reproducibility.Target.GUEST).isEmpty());
        assertTrue(Reproducibility.reasons(test("swap/swapoff-restores.litmus"), Reproducibility.Target.GUEST).isEmpty());
        assertFalse(Reproducibility.reasons(test("swap/swapoff-restores.litmus"), Reproducibility.Target.RUNNING).isEmpty());
    }

    @Test
    void reclaimOfASharedPageIsNotReproducible() throws Exception {
        Ast.Test t = CGenTest.parse(Path.of("src/test/resources/real/reclaim-shared.litmus"));
        Schedules sch = schedules(t);
        int limited = 0;
        for (Schedules.Schedule s : sch.enumerate(0)) if (sch.scheduleLimit(s, sch.follow(s)) != null) limited++;
        assertTrue(limited > 0);
    }

    @Test
    void aThreadIsObservedThroughItsProcessMm() throws Exception {
        Schedules sch = schedules(test("threads/thread-exit-keeps-mm.litmus"));
        Schedules.Schedule s = sch.enumerate(0).get(0); // P0,P0,P1,P1,P1: the process exits first
        List<Schedules.ModelStep> steps = sch.follow(s);
        Obs.Step afterExit = sch.observe(2, steps.get(2));
        assertEquals(Obs.Life.EXITED, afterExit.procs().get(0).life());
        assertEquals(Obs.Life.LIVE, afterExit.procs().get(1).life());
        assertEquals(Obs.Kind.PRESENT, afterExit.procs().get(1).pages().get(0).kind(), "the thread reads P0's mm");
        assertTrue(Reproducibility.reasons(test("threads/pin-by-thread.litmus"), Reproducibility.Target.GUEST).isEmpty(),
                "a pin is usable by every thread of the process that took it");
    }

    @Test
    void reclaimThroughAThreadWhoseProcessExitedIsNotReproducible() throws Exception {
        Schedules sch = schedules(CGenTest.parse(Path.of("src/test/resources/real/threads.litmus")));
        int limited = 0;
        for (Schedules.Schedule s : sch.enumerate(0)) {
            String why = sch.scheduleLimit(s, sch.follow(s));
            if (why != null && why.contains("thread-group leader")) limited++;
        }
        assertTrue(limited > 0);
    }

    static final String CONSOLE = String.join("\n",
            "[    3.1] random kernel line",
            "@@ RUN t0s0",
            "@@ BEGIN P0,P0,P1",
            "@@ STEP 0 init ok",
            "@@ PROC 0 live 0 0",
            "@@ PAGE 0 0 P 4660 40000180c 1",
            "@@ STEP 1 P0 fork",
            "@@ PROC 0 live 0 0",
            "@@ PAGE 0 0 P 4660 180c 2",
            "@@ PROC 1 live 0 0",
            "@@ PAGE 1 0 P 4660 180c 2",
            "@@ STEP 2 P0 ok",
            "@@ PROC 0 live 0 0",
            "@@ PAGE 0 0 P 5000 40000180c 1",
            "@@ PROC 1 live 0 0",
            "@@ PAGE 1 0 P 4660 180c 1",
            "@@ STEP 3 P1 load",
            "@@ PROC 0 live 0 0",
            "@@ PAGE 0 0 P 5000 40000180c 1",
            "@@ PROC 1 live 1 0",
            "@@ PAGE 1 0 P 4660 180c 1",
            "@@ END",
            "@@ DONE t0s0 0",
            "@@ RUN t0s1",
            "@@ BEGIN P0,P1,P0",
            "");

    @Test
    void parseAndCompareAgree() throws Exception {
        Map<String, RealTrace.Run> runs = RealTrace.parse(CONSOLE, 1);
        RealTrace.Run r = runs.get("t0s0");
        assertTrue(r.complete());
        assertEquals(4, r.steps().size());
        Obs.PageObs p = r.steps().get(0).procs().get(0).pages().get(0);
        assertTrue(p.exclusive());
        assertEquals(1, p.mapcount());
        assertFalse(runs.get("t0s1").complete());
        assertNotNull(runs.get("t0s1").error());

        Ast.Test t = test("cow-after-fork.litmus");
        LitmusModel model = new LitmusModel(t, Variants.policy("5.19"));
        Schedules sch = new Schedules(model);
        Compare cmp = new Compare(model.program());
        List<Schedules.ModelStep> ms = sch.follow(sch.enumerate(0).get(0));
        for (int k = 0; k < ms.size(); k++) {
            assertEquals(List.of(), cmp.diff(sch.observe(k, ms.get(k)), r.steps().get(k)), "step " + k);
        }
    }

    @Test
    void compareFindsSharingAndExclusivity() throws Exception {
        String bad = CONSOLE.replace("@@ PAGE 1 0 P 4660 180c 2", "@@ PAGE 1 0 P 4661 40000180c 2");
        RealTrace.Run r = RealTrace.parse(bad, 1).get("t0s0");
        Ast.Test t = test("cow-after-fork.litmus");
        LitmusModel model = new LitmusModel(t, Variants.policy("5.19"));
        Schedules sch = new Schedules(model);
        Compare cmp = new Compare(model.program());
        List<String> d = cmp.diff(sch.observe(1, sch.follow(sch.enumerate(0).get(0)).get(1)), r.steps().get(1));
        assertTrue(d.stream().anyMatch(s -> s.contains("shared differently")), d.toString());
        assertTrue(d.stream().anyMatch(s -> s.contains("anon-exclusive")), d.toString());
    }

    /** Debian 6.12 shows no usable KPF_KSM: both sides are compared without it, and only that changes. */
    @Test
    void withoutKsmClearsOnlyTheKsmBit() throws Exception {
        Ast.Test t = test("ksm/ksm-merge-then-write.litmus");
        LitmusModel model = new LitmusModel(t, Variants.policy("5.19"));
        Schedules sch = new Schedules(model);
        Schedules.Schedule merge = sch.enumerate(0).stream().filter(s -> s.text().equals("P0,P0,K0,P0,P0,P0"))
                .findFirst().orElseThrow();
        Obs.Step m = sch.observe(3, sch.follow(merge).get(3));
        Compare cmp = new Compare(model.program());
        assertEquals(List.of("P0:x: ksm model true, kernel false", "P0:y: ksm model true, kernel false"),
                cmp.diff(m, m.withoutKsm()));
        assertEquals(List.of(), cmp.diff(m.withoutKsm(), m.withoutKsm()));
    }

    @Test
    void aFailedSwaponEndsTheJobAsAFailedRunNotADisagreement() {
        String console = "noise\n@@ RUN t0s0\n@@ ERROR set-up: swapon /dev/zram0 failed\n@@ DONE t0s0 98\n";
        RealTrace.Run run = RealTrace.parse(console, 1).get("t0s0");
        assertTrue(run.steps().isEmpty());
        assertFalse(run.complete());
        assertTrue(run.error().contains("set-up: swapon /dev/zram0 failed"), run.error());
    }

    @Test
    void nothingComparedIsNotAgreement() {
        RealRun.Summary s = new RealRun.Summary();
        assertTrue(s.nothingCompared());
        assertFalse(s.fullAgreement());
        s.steps = 3;
        s.stepsAgreeing = 3;
        assertTrue(s.fullAgreement());
        assertFalse(s.nothingCompared());
    }
}
