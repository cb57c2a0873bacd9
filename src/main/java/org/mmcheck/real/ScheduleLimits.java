package org.mmcheck.real;

import java.util.List;
import org.mmcheck.kernel.SwapState;
import org.mmcheck.litmus.Ast;
import org.mmcheck.model.KState;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.sem.Program;

/**
 * Which model schedules user space cannot replay on a real kernel, and why: a page-out that
 * process_madvise cannot ask for as the model does it, or I/O while the schedule holds the swap
 * device's writes.
 */
final class ScheduleLimits {
    private final Program prog;
    /** Writes are steps: the swap device is suspended while a write is in flight. */
    private final boolean heldWrites;

    ScheduleLimits(Program prog, boolean heldWrites) {
        this.prog = prog;
        this.heldWrites = heldWrites;
    }

    /**
     * The reason the schedule cannot be reproduced, or null. reclaim(N:x) and background reclaim (R
     * steps) are MADV_PAGEOUT through process_madvise, which skips a page mapped more than once and
     * does nothing to a swap PTE, while the model's shrink pass does not.
     */
    String of(Schedules.Schedule sched, List<Schedules.ModelStep> steps) {
        String held = heldDeviceLimit(sched, steps);
        if (held != null) return held;
        int[] kpc = new int[prog.kernelCount()];
        for (int i = 0; i < sched.actors().size(); i++) {
            String a = sched.actors().get(i);
            KState before = steps.get(i).state();
            String why = null;
            if (a.startsWith(Schedules.RECLAIM)) {
                int dot = a.indexOf('.');
                why = pageoutLimit(before, Integer.parseInt(a.substring(1, dot)), Integer.parseInt(a.substring(dot + 1)));
            } else if (a.charAt(0) == 'K') {
                int t = Integer.parseInt(a.substring(1));
                Ast.Stmt st = prog.kernelBodies.get(t).get(kpc[t]++);
                if (st instanceof Ast.Reclaim r) why = pageoutLimit(before, r.proc(), prog.page(r.page()));
            }
            if (why != null) return "step " + (i + 1) + " '" + steps.get(i + 1).statement() + "': " + why;
        }
        return null;
    }

    /** Why MADV_PAGEOUT of page x of process p (through process_madvise) cannot do in {@code before} what the model's reclaim does. */
    private String pageoutLimit(KState before, int p, int x) {
        int mm = before.mmNamedBy(p);
        Proc pr = before.procs[mm];
        if (!pr.hasMm()) return "P" + p + " has no mm";
        if (!pr.live()) {
            return "P" + mm + " has exited and only its threads keep the mm; process_madvise reaches an mm through"
                    + " the thread-group leader";
        }
        Pte t0 = pr.ptes[x];
        if (t0.mapsPage() && before.pageView(t0.target()).mapcount != 1) {
            return "the page is mapped " + before.pageView(t0.target()).mapcount + " times; MADV_PAGEOUT would skip it";
        }
        if (t0.isSwap() && before.swapCachePageView(t0.target()) != null) {
            return "reclaim of a swap-cache page behind a swap PTE cannot be asked for";
        }
        return null;
    }

    /**
     * While a write is held the swap device takes no I/O at all: a step that reads a slot would wait
     * for the device for ever, and resuming the device first would complete the held write, which
     * the model keeps in flight across that step.
     */
    private String heldDeviceLimit(Schedules.Schedule sched, List<Schedules.ModelStep> steps) {
        if (!heldWrites) return null;
        for (int i = 0; i < sched.actors().size(); i++) {
            if (sched.actors().get(i).equals(Schedules.WRITEBACK)) continue;
            KState before = steps.get(i).state(), after = steps.get(i + 1).state();
            if (!Schedules.writebackPending(before) && !Schedules.writebackPending(after)) continue;
            Schedules.ModelStep st = steps.get(i + 1);
            for (String line : st.kernel()) {
                if (SwapState.readsSlot(line)) {
                    return "step " + (i + 1) + " '" + st.statement() + "' reads the swap device while the schedule"
                            + " holds a write to it";
                }
            }
        }
        return null;
    }
}
