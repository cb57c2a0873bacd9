package org.mmcheck.real;

import java.util.ArrayList;
import java.util.List;
import org.mmcheck.explore.TransitionSystem.Transition;
import org.mmcheck.litmus.Ast;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.sem.Program;
import org.mmcheck.sem.StepLabel;

/**
 * The model's side: the distinct schedules of a test (sequences of process and kernel-thread
 * statements, background events left out) and, for one schedule, the model's state after every step.
 *
 * <p>Writeback completion is a background event in the model, but MADV_PAGEOUT on a real kernel
 * starts the write and a virtio or zram write finishes long before the next statement runs (zram
 * even synchronously). So after each step every pending "writeback completes" transition is applied
 * at once, before the state is observed. Tests that declare other background activity are not
 * reproducible and never get here.
 */
public final class Schedules {
    private final LitmusModel model;
    private final Program prog;

    public Schedules(LitmusModel model) {
        this.model = model;
        this.prog = model.program();
    }

    /** A schedule: actors in order, e.g. [P0, P1, K0, P0]. */
    public record Schedule(List<String> actors) {
        public String text() {
            return String.join(",", actors);
        }
    }

    /** One model step of a schedule: what ran and the state after it (writebacks completed). */
    public record ModelStep(String actor, String statement, List<String> kernel, KState state) {}

    /** Every distinct schedule, depth first, at most {@code cap} of them (cap <= 0: all). */
    public List<Schedule> enumerate(int cap) {
        List<Schedule> out = new ArrayList<>();
        dfs(settle(model.initial()), new ArrayList<>(), out, cap);
        return out;
    }

    private void dfs(KState s, List<String> prefix, List<Schedule> out, int cap) {
        if (cap > 0 && out.size() >= cap) return;
        List<Transition<KState>> next = statementSteps(s);
        if (next.isEmpty()) {
            out.add(new Schedule(List.copyOf(prefix)));
            return;
        }
        for (Transition<KState> t : next) {
            String actor = ((StepLabel) t.label()).actor();
            prefix.add(actor);
            dfs(settle(finishReclaim(t.target(), actor, null)), prefix, out, cap);
            prefix.remove(prefix.size() - 1);
            if (cap > 0 && out.size() >= cap) return;
        }
    }

    private List<Transition<KState>> statementSteps(KState s) {
        List<Transition<KState>> out = new ArrayList<>();
        for (Transition<KState> t : model.successors(s, true)) {
            if (!((StepLabel) t.label()).actor().equals("kernel")) out.add(t);
        }
        return out;
    }

    /**
     * The model runs a reclaim statement in two steps (the page stays locked in the swap cache in
     * between); on the kernel it is one process_madvise call, so a schedule runs both halves at once.
     */
    private KState finishReclaim(KState s, String actor, List<String> kernelLines) {
        if (!actor.startsWith("K")) return s;
        int t = Integer.parseInt(actor.substring(1));
        if (s.kReclaim[t] < 0) return s;
        for (Transition<KState> tr : model.successors(s, true)) {
            StepLabel l = (StepLabel) tr.label();
            if (l.actor().equals(actor)) {
                if (kernelLines != null) kernelLines.addAll(l.kernel());
                return tr.target();
            }
        }
        throw new IllegalStateException(actor + " cannot finish its reclaim pass");
    }

    /** Apply every pending writeback completion (see the class comment). */
    KState settle(KState s) {
        for (int guard = 0; guard < 1000; guard++) {
            Transition<KState> wb = null;
            for (Transition<KState> t : model.successors(s, true)) {
                StepLabel l = (StepLabel) t.label();
                if (l.actor().equals("kernel") && l.statement().startsWith("writeback completes")) {
                    wb = t;
                    break;
                }
            }
            if (wb == null) return s;
            s = wb.target();
        }
        throw new IllegalStateException("writeback never settles");
    }

    /** The model's run of one schedule: step 0 is the initial state. */
    public List<ModelStep> follow(Schedule sched) {
        List<ModelStep> out = new ArrayList<>();
        KState s = settle(model.initial());
        out.add(new ModelStep("init", "(declarations)", List.of(), s));
        for (String actor : sched.actors()) {
            Transition<KState> chosen = null;
            for (Transition<KState> t : statementSteps(s)) {
                if (((StepLabel) t.label()).actor().equals(actor)) chosen = t;
            }
            if (chosen == null) throw new IllegalStateException("schedule " + sched.text() + ": " + actor + " cannot run");
            StepLabel l = (StepLabel) chosen.label();
            List<String> kernel = new ArrayList<>(l.kernel());
            s = settle(finishReclaim(chosen.target(), actor, kernel));
            // Both halves of a reclaim ran as one step here: drop the model's half marker.
            out.add(new ModelStep(actor, l.statement().replaceFirst(" \\[first half.*$", ""), kernel, s));
        }
        return out;
    }

    /**
     * Schedule-level limits: reclaim(N:x) is MADV_PAGEOUT through process_madvise, which skips a page
     * mapped more than once and does nothing to a swap PTE, while the model's shrink pass does not.
     * Returns the reason the schedule cannot be reproduced, or null.
     */
    public String scheduleLimit(Schedule sched, List<ModelStep> steps) {
        int[] kpc = new int[prog.kernelCount()];
        for (int i = 0; i < sched.actors().size(); i++) {
            String a = sched.actors().get(i);
            if (a.charAt(0) != 'K') continue;
            int t = Integer.parseInt(a.substring(1));
            Ast.Stmt st = prog.kernelBodies.get(t).get(kpc[t]++);
            if (!(st instanceof Ast.Reclaim r)) continue;
            KState before = steps.get(i).state();
            int mm = before.mmNamedBy(r.proc());
            Proc pr = before.procs[mm];
            if (!pr.hasMm()) return "step " + (i + 1) + " '" + st.text() + "': P" + r.proc() + " has no mm";
            if (!pr.live()) {
                return "step " + (i + 1) + " '" + st.text() + "': P" + mm + " has exited and only its threads keep"
                        + " the mm; process_madvise reaches an mm through the thread-group leader";
            }
            Pte t0 = pr.ptes[prog.page(r.page())];
            if (t0.mapsPage() && before.page(t0.target()).mapcount != 1) {
                return "step " + (i + 1) + " '" + st.text() + "': the page is mapped "
                        + before.page(t0.target()).mapcount + " times; MADV_PAGEOUT would skip it";
            }
            if (t0.isSwap() && before.swapCachePage(t0.target()) != null) {
                return "step " + (i + 1) + " '" + st.text() + "': reclaim of a swap-cache page behind a swap PTE"
                        + " cannot be asked for";
            }
        }
        return null;
    }

    /**
     * The model state as user space would observe it: per block (process or thread) whether it runs,
     * and while it does, the pages of its mm (a thread's are its process's, read through its tid).
     */
    public Obs.Step observe(int index, ModelStep ms) {
        KState s = ms.state();
        List<Obs.ProcObs> procs = new ArrayList<>();
        for (int p = 0; p < s.procs.length; p++) {
            Proc pr = s.procs[p];
            Obs.Life life = pr.status == Proc.Status.NOT_STARTED ? Obs.Life.NOT_STARTED
                    : pr.live() ? Obs.Life.LIVE : Obs.Life.EXITED;
            List<Obs.PageObs> pages = new ArrayList<>();
            if (life == Obs.Life.LIVE) {
                Proc mm = s.procs[s.mmOf(p)];
                for (int x = 0; x < prog.pages.size(); x++) pages.add(page(s, mm, x));
            }
            procs.add(new Obs.ProcObs(p, life, pr.regs.clone(), pages));
        }
        return new Obs.Step(index, ms.actor(), ms.statement(), procs);
    }

    private static Obs.PageObs page(KState s, Proc pr, int x) {
        Pte t = pr.ptes[x];
        if (pr.vmas[x] == null || t.isNone()) return Obs.PageObs.NONE;
        if (t.isZeroPage()) return new Obs.PageObs(Obs.Kind.ZERO, 0, false, 0, false, false);
        if (t.isSwap()) return new Obs.PageObs(Obs.Kind.SWAP, t.target(), false, 0, false, false);
        Page pg = s.page(t.target());
        return new Obs.PageObs(Obs.Kind.PRESENT, pg.id, pg.anonExclusive, pg.mapcount, pg.ksm, pg.swapcache);
    }
}
