package org.mmcheck.real;

import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.mmcheck.explore.TransitionSystem.Transition;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.sem.Outcome;
import org.mmcheck.sem.Program;
import org.mmcheck.sem.StepLabel;
import org.mmcheck.sem.por.PersistentSets;

/**
 * The model's side: the distinct schedules of a test (sequences of process and kernel-thread
 * statements, background events left out) and, for one schedule, the model's state after every step.
 *
 * <p>Writeback completion is a background event in the model. How a schedule treats it depends on
 * whether the real run can hold a swap write ({@link Writeback}):
 * <ul>
 *   <li>{@code SETTLE}: MADV_PAGEOUT on a real kernel starts the write, and a virtio or zram write
 *   finishes long before the next statement runs (zram even synchronously). So after each step every
 *   pending "writeback completes" transition is applied at once, before the state is observed.</li>
 *   <li>{@code STEPS}: the swap device is a dm device the driver can suspend, which holds its writes
 *   in flight. "Writeback completes" is then a step of its own, {@code W}, that a schedule may place
 *   anywhere after the write started; it completes every write in flight, as resuming the device
 *   does.</li>
 * </ul>
 * Tests that declare other background activity are not reproducible and never get here.
 */
public final class Schedules {
    /** How a schedule treats writeback completion (see the class comment). */
    public enum Writeback { SETTLE, STEPS }

    /** The actor of a {@code STEPS} schedule's writeback step. */
    public static final String WRITEBACK = "W";

    private final LitmusModel model;
    private final Program prog;
    private final Writeback writeback;

    public Schedules(LitmusModel model) {
        this(model, Writeback.SETTLE);
    }

    public Schedules(LitmusModel model, Writeback writeback) {
        this.model = model;
        this.prog = model.program();
        this.writeback = writeback;
    }

    /** A schedule: actors in order, e.g. [P0, P1, K0, P0], with W for "writeback completes". */
    public record Schedule(List<String> actors) {
        public String text() {
            return String.join(",", actors);
        }
    }

    /** One model step of a schedule: what ran and the state after it. */
    public record ModelStep(String actor, String statement, List<String> kernel, KState state) {}

    /** One possible next step: who, what, the model's kernel lines and the state after it. */
    private record Choice(String actor, String statement, List<String> kernel, KState target) {}

    /** Every distinct schedule, depth first, at most {@code cap} of them (cap <= 0: all). */
    public List<Schedule> enumerate(int cap) {
        List<Schedule> out = new ArrayList<>();
        dfs(afterStep(model.initial()), new ArrayList<>(), out, cap);
        return out;
    }

    private void dfs(KState s, List<String> prefix, List<Schedule> out, int cap) {
        if (cap > 0 && out.size() >= cap) return;
        List<Choice> next = choices(s);
        if (next.isEmpty()) {
            out.add(new Schedule(List.copyOf(prefix)));
            return;
        }
        for (Choice c : next) {
            prefix.add(c.actor());
            dfs(c.target(), prefix, out, cap);
            prefix.remove(prefix.size() - 1);
            if (cap > 0 && out.size() >= cap) return;
        }
    }

    /**
     * The steps a schedule may take from s: each statement that can run, each background event the
     * driver can cause (see {@link #background}), then W when a write is in flight and writes are steps.
     */
    private List<Choice> choices(KState s) {
        List<Choice> out = new ArrayList<>();
        Set<String> seen = new HashSet<>();
        boolean ksm = false;
        for (Transition<KState> t : model.successors(s, true)) {
            StepLabel l = (StepLabel) t.label();
            if (l.actor().equals("kernel")) {
                PersistentSets.ActorKind kind = PersistentSets.kindOf(t.actor());
                if (kind == PersistentSets.ActorKind.KSM) {
                    ksm = true;
                    continue;
                }
                String token = background(s, t.actor());
                // a second transition of the same event differs only in memory ordering: the driver cannot choose
                if (token == null || !seen.add(token)) continue;
                if (token.startsWith(RECLAIM + "?")) {
                    omitted.add(UNMAPPED_RECLAIM);
                    continue;
                }
                List<String> kernel = new ArrayList<>(l.kernel());
                out.add(new Choice(token, l.statement(), kernel, afterStep(t.target())));
                continue;
            }
            List<String> kernel = new ArrayList<>(l.kernel());
            KState target = afterStep(finishReclaim(t.target(), l.actor(), kernel));
            // Both halves of a reclaim run as one step here: drop the model's half marker.
            out.add(new Choice(l.actor(), l.statement().replaceFirst(" \\[first half.*$", ""), kernel, target));
        }
        if (ksm) {
            List<String> kernel = new ArrayList<>();
            out.add(new Choice(KSM, "ksm scan (every merge it can make)", kernel, afterStep(mergeAll(s, kernel))));
        }
        if (writeback == Writeback.STEPS && writebackPending(s)) {
            List<String> kernel = new ArrayList<>();
            out.add(new Choice(WRITEBACK, "writeback completes", kernel, completeWriteback(s, kernel)));
        }
        return out;
    }

    /** Model steps that no schedule takes, with why (see {@link #omissions}). */
    private final Set<String> omitted = new java.util.TreeSet<>();

    private static final String UNMAPPED_RECLAIM = "background reclaim of a page that no process maps (it can only"
            + " drop the page from the swap cache) is left out: MADV_PAGEOUT reaches a page only through a mapping";

    /** What the schedules enumerated so far leave out of the model's steps, one line per kind. */
    public List<String> omissions() {
        return List.copyOf(omitted);
    }

    /** The actor of a KSM scan step, and the prefixes of reclaim and swapoff steps (see {@link #background}). */
    public static final String KSM = "M", RECLAIM = "R", SWAPOFF = "S";

    /**
     * The schedule token of a background event the driver can cause at a chosen point, or null:
     * <ul>
     *   <li>reclaim of a page: {@code R<p>.<i>}, MADV_PAGEOUT through process_madvise of page i of the
     *   first process p that maps it ({@code R?<id>} when none does: such steps are left out, see
     *   {@link #omissions});</li>
     *   <li>swapoff: {@code S}.</li>
     * </ul>
     * Writeback is W (or settled), KSM is one scan that makes every merge ({@link #mergeAll}); swap
     * readahead of a chosen entry cannot be caused (such tests are not reproducible).
     */
    private String background(KState s, int actor) {
        switch (PersistentSets.kindOf(actor)) {
            case RECLAIM: {
                int id = PersistentSets.objectOf(actor);
                for (int p = 0; p < s.procs.length; p++) {
                    Proc pr = s.procs[p];
                    if (!pr.hasMm() || prog.isThread(p)) continue;
                    for (int x = 0; x < prog.pages.size(); x++) {
                        if (pr.ptes[x].mapsPage() && pr.ptes[x].target() == id) return RECLAIM + p + "." + x;
                    }
                }
                return RECLAIM + "?" + id;
            }
            case SWAPOFF:
                return SWAPOFF;
            default:
                return null;
        }
    }

    /**
     * A real KSM scan merges every pair it can, where the model merges one pair a step: apply the
     * model's merges until none is left (the KSM page each content ends in is the same either way).
     */
    private KState mergeAll(KState s, List<String> kernel) {
        return drain(s, PersistentSets.ActorKind.KSM, kernel);
    }

    /**
     * Applies background events of one kind, the first listed each time, until none is left; their
     * kernel lines go to {@code kernel} when not null.
     */
    private KState drain(KState s, PersistentSets.ActorKind kind, List<String> kernel) {
        for (int guard = 0; guard < 1000; guard++) {
            Transition<KState> next = null;
            for (Transition<KState> t : model.successors(s, true)) {
                if (((StepLabel) t.label()).actor().equals("kernel") && PersistentSets.kindOf(t.actor()) == kind) {
                    next = t;
                    break;
                }
            }
            if (next == null) return s;
            if (kernel != null) kernel.addAll(((StepLabel) next.label()).kernel());
            s = next.target();
        }
        throw new IllegalStateException(kind + " events never stop");
    }

    /** The state a schedule observes after a step: with every write completed, unless writes are steps. */
    private KState afterStep(KState s) {
        return writeback == Writeback.SETTLE ? completeWriteback(s, null) : s;
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

    /** Is some page under writeback in s? */
    static boolean writebackPending(KState s) {
        for (Page p : s.pages()) if (p.writeback) return true;
        return false;
    }

    /** Apply every pending writeback completion; their kernel lines go to {@code kernel} when not null. */
    KState completeWriteback(KState s, List<String> kernel) {
        return drain(s, PersistentSets.ActorKind.WRITEBACK, kernel);
    }

    /** The model's run of one schedule: step 0 is the initial state. */
    public List<ModelStep> follow(Schedule sched) {
        List<ModelStep> out = new ArrayList<>();
        KState s = afterStep(model.initial());
        out.add(new ModelStep("init", "(declarations)", List.of(), s));
        for (String actor : sched.actors()) {
            Choice chosen = null;
            for (Choice c : choices(s)) if (c.actor().equals(actor)) chosen = c;
            if (chosen == null) throw new IllegalStateException("schedule " + sched.text() + ": " + actor + " cannot run");
            s = chosen.target();
            out.add(new ModelStep(actor, chosen.statement(), chosen.kernel(), s));
        }
        return out;
    }

    /** The model's outcome at the end of a schedule it followed (null if the run is not over there). */
    public Outcome outcome(List<ModelStep> steps) {
        return (Outcome) model.outcome(steps.get(steps.size() - 1).state());
    }

    /**
     * The schedule as the test program takes it. A step after which a write is in flight is marked
     * "+": the driver suspends the swap device before it runs (see dm.c), and W resumes it. A step that
     * itself waits for a write in flight (swapoff does) is marked "-": the driver resumes the device
     * first, and the step finds the write done, as the model's step ends it.
     */
    public String driverText(Schedule sched, List<ModelStep> steps) {
        List<String> tokens = new ArrayList<>();
        for (int i = 0; i < sched.actors().size(); i++) {
            String a = sched.actors().get(i);
            if (writeback == Writeback.STEPS && !a.equals(WRITEBACK)) {
                if (endsWriteInFlight(steps.get(i).state(), steps.get(i + 1).state())) a += "-";
                if (writebackPending(steps.get(i + 1).state())) a += "+";
            }
            tokens.add(a);
        }
        return String.join(",", tokens);
    }

    /** Some page under writeback before a step is not after it: the step waited for the write. */
    private static boolean endsWriteInFlight(KState before, KState after) {
        for (Page p : before.pages()) {
            if (p.writeback && (after.pageAt(p.id) == null || !after.pageAt(p.id).writeback)) return true;
        }
        return false;
    }

    /**
     * Why a schedule cannot be reproduced from user space, or null (see {@link ScheduleLimits}).
     */
    public String scheduleLimit(Schedule sched, List<ModelStep> steps) {
        return new ScheduleLimits(prog, writeback == Writeback.STEPS).of(sched, steps);
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
        if (t.isZeroPage()) return Obs.PageObs.of(Obs.Kind.ZERO, 0);
        if (t.isSwap()) return Obs.PageObs.of(Obs.Kind.SWAP, t.target());
        Page pg = s.page(t.target());
        return new Obs.PageObs(Obs.Kind.PRESENT, pg.id, pg.anonExclusive, pg.mapcount, pg.ksm, pg.swapcache,
                pg.writeback);
    }
}
