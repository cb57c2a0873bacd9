package org.mmcheck.sem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.function.Supplier;
import org.mmcheck.check.Entitlements;
import org.mmcheck.check.Flags;
import org.mmcheck.check.Invariants;
import org.mmcheck.check.StableWrites;
import org.mmcheck.explore.TransitionSystem;
import org.mmcheck.kernel.FlagSink;
import org.mmcheck.kernel.Kernel;
import org.mmcheck.kernel.Ksm;
import org.mmcheck.kernel.Trace;
import org.mmcheck.kernel.WouldBlock;
import org.mmcheck.kernel.KernelMonitor;
import org.mmcheck.litmus.Ast;
import org.mmcheck.model.CanonicalKey;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.StateCodec;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.model.Vma;
import org.mmcheck.sem.por.PersistentSets;
import org.mmcheck.variant.DecisionLog;
import org.mmcheck.variant.KernelPolicy;

/**
 * A litmus test under one kernel variant, as a transition system: every enabled statement of every
 * process and kernel thread is one atomic step, checked by the invariants and entitlement rules.
 */
public final class LitmusModel implements TransitionSystem<KState> {
    private static final Supplier<String> KERNEL = () -> "kernel";

    private final Program prog;
    private final KernelPolicy policy;
    /** Witness steps end with the whole state after them (--full). */
    private boolean fullStates;

    /** Makes witness steps show the whole state after them; returns this. */
    public LitmusModel withFullStates(boolean full) {
        this.fullStates = full;
        return this;
    }

    /** Partial-order reduction (lock-level tests only), or null. */
    private final PersistentSets reduction;

    /** With partial-order reduction for lock-level tests. */
    public LitmusModel(Ast.Test test, KernelPolicy policy) {
        this(test, policy, true);
    }

    /**
     * @param partialOrder offer persistent sets to the explorer (under {@code interleave ptlock}; an
     *                     atomic test has no sub-steps to reorder and is explored as always)
     */
    public LitmusModel(Ast.Test test, KernelPolicy policy, boolean partialOrder) {
        this.prog = new Program(test);
        this.policy = policy;
        // The reduction numbers PTEs with 64 pages per mm (ObjSet).
        this.reduction = partialOrder && prog.ptlock() && prog.pages.size() <= 64 ? new PersistentSets(prog) : null;
        this.kernels = ThreadLocal.withInitial(() -> new Kernel(null, policy, Trace.OFF, KernelMonitor.NONE));
        // Witness replay: the same policy, naming each decision it takes in the trace.
        this.explaining = ThreadLocal.withInitial(() -> {
            Kernel[] self = new Kernel[1];
            self[0] = new Kernel(null, DecisionLog.wrap(policy, () -> self[0] == null ? null : self[0].trace), Trace.OFF, KernelMonitor.NONE);
            return self[0];
        });
        this.views = ThreadLocal.withInitial(() -> new Kernel(null, policy, Trace.OFF, KernelMonitor.NONE));
    }

    public Program program() {
        return prog;
    }

    @Override
    public KState initial() {
        int nPages = prog.pages.size();
        Proc[] procs = new Proc[prog.procCount()];
        for (int i = 0; i < procs.length; i++) {
            procs[i] = new Proc(prog.regs.get(i).size(), nPages);
            if (prog.isThread(i)) procs[i].mm = prog.mmOf[i]; // a thread: its pages are its owner's
        }
        Ast.SwapDecl sd = prog.test.swap();
        KState s = new KState(procs, prog.kernelCount(), prog.refs.size(),
                new SwapDevice(sd.present(), sd.stableWrites(), sd.syncIo(), sd.present()));
        s.ptlock = prog.ptlock();
        Proc p0 = procs[0];
        p0.status = prog.procBodies.get(0).isEmpty() ? Proc.Status.DONE : Proc.Status.RUNNING;
        for (int x = 0; x < nPages; x++) {
            p0.vmas[x] = Vma.DEFAULT;
            p0.mutableEnt().set(x, 0, false);
        }
        // "anon x = 5;" populates the page by a store from P0 before the test starts.
        Kernel k = new Kernel(s, policy, Trace.OFF, KernelMonitor.NONE);
        for (Ast.AnonDecl a : prog.test.anons()) {
            if (a.init() == null) continue;
            int x = prog.page(a.name());
            k.memory.handleMmFault(0, x, true, false);
            k.writePage(s.page(k.pte(0, x).target()), a.init(), "P0");
            Entitlements.onStore(s, 0, x, a.init());
        }
        return s;
    }

    @Override
    public List<Transition<KState>> successors(KState s, boolean explain) {
        // With assertions on (the test suite), check that no step wrote into a Proc shared with s.
        boolean checking = false;
        assert checking = true;
        long before = checking ? CanonicalKey.fingerprintUncached(s) : 0;
        List<Transition<KState>> out = new ArrayList<>(32);
        // Under ptlock a fork between its two stages holds the parent's mmap_lock and the PT locks of
        // parent and child: its child does not run yet, the other threads of the parent may only do what
        // takes no lock (see Interpreter.lockless), and no path of anyone else may change a PTE of either
        // mm (Kernel.setPte waits). Processes in other mms, kernel threads and background events run.
        int forker = prog.ptlock() ? s.forker() : -1;
        int forkChild = forker < 0 ? -1 : s.inflight[forker].forkChild();
        int forkMm = forker < 0 ? -1 : s.inflight[forker].forkParent();
        for (int p = 0; p < s.procs.length; p++) {
            Proc pr = s.procs[p];
            if (pr.status != Proc.Status.RUNNING || p == forkChild) continue;
            Ast.Stmt st = prog.procBodies.get(p).get(pr.pc);
            if (st instanceof Ast.Wait w && s.procs[w.child()].status == Proc.Status.RUNNING) continue;
            boolean locklessOnly = forker >= 0 && p != forker && s.mmOf(p) == forkMm;
            if (processStep(new Step(s, explain, false), p, st, locklessOnly, out)) {
                processStep(new Step(s, explain, true), p, st, locklessOnly, out);
            }
        }
        for (int t = 0; t < s.kpc.length; t++) {
            List<Ast.Stmt> body = prog.kernelBodies.get(t);
            if (s.kpc[t] >= body.size()) continue;
            if (kernelStep(new Step(s, explain, false), s, t, body.get(s.kpc[t]), out)) {
                kernelStep(new Step(s, explain, true), s, t, body.get(s.kpc[t]), out);
            }
        }
        background(s, explain, out);
        assert !checking || CanonicalKey.fingerprintUncached(s) == before : "a step changed its source state";
        return out;
    }

    /**
     * Process p's statement, or its next stage, as {@code step}, added to {@code out} unless it cannot
     * run now (it would sleep on a lock).
     *
     * @param locklessOnly another actor's fork holds the mmap_lock (interleave ptlock)
     * @return whether the step's answer depended on its memory-ordering choice (Step.orderingMattered)
     */
    private boolean processStep(Step step, int p, Ast.Stmt st, boolean locklessOnly, List<Transition<KState>> out) {
        Transition<KState> tr = processTransition(step, p, st, locklessOnly);
        if (tr != null) out.add(tr);
        return step.orderingMattered;
    }

    private Transition<KState> processTransition(Step step, int p, Ast.Stmt st, boolean locklessOnly) {
        boolean complete;
        try {
            Interpreter in = new Interpreter(prog, step.k, step);
            in.locklessOnly = locklessOnly;
            step.k.actor = p;
            complete = in.process(p, st);
        } catch (WouldBlock e) {
            return step.abandon();
        }
        if (!complete) {
            InFlight next = step.k.s.inflight[p];
            return step.finish(PersistentSets.process(p), () -> "P" + p, () -> st.text() + " [" + next.path().function + " stage "
                    + (next.stage() - 1) + " of " + next.path().stages + " done]");
        }
        Proc pr = step.k.s.mutableProc(p);
        if (pr.status == Proc.Status.RUNNING && ++pr.pc >= prog.procBodies.get(p).size()) {
            pr.status = Proc.Status.DONE;
        }
        return step.finish(PersistentSets.process(p), () -> "P" + p, st::text);
    }

    /** Kernel thread t's statement as {@code step}; the same contract as {@link #processStep}. */
    private boolean kernelStep(Step step, KState s, int t, Ast.Stmt st, List<Transition<KState>> out) {
        Transition<KState> tr = kernelTransition(step, s, t, st);
        if (tr != null) out.add(tr);
        return step.orderingMattered;
    }

    private Transition<KState> kernelTransition(Step step, KState s, int t, Ast.Stmt st) {
        boolean secondHalf = s.kReclaim[t] >= 0;
        try {
            if (new Interpreter(prog, step.k, step).kernel(t, st)) step.k.s.kpc[t]++;
        } catch (WouldBlock e) {
            return step.abandon();
        }
        boolean firstHalf = step.k.s.kReclaim[t] >= 0;
        return step.finish(PersistentSets.kernelThread(t), () -> "K" + t, () -> st.text()
                + (firstHalf ? " [first half: page locked in the swap cache]" : secondHalf ? " [second half]" : ""));
    }

    /**
     * Background events, in canonical page and slot order so that equal states list them alike:
     * writeback completion (always), then what the test's {@code kernel} declaration enables.
     */
    private void background(KState s, boolean explain, List<Transition<KState>> out) {
        int[] pageOrder = CanonicalKey.pageOrder(s);
        for (int id : pageOrder) {
            if (!s.pageView(id).writeback) continue;
            Step step = new Step(s, explain);
            step.k.pageIo.endSwapBioWrite(step.k.s.page(id));
            out.add(step.finish(PersistentSets.writeback(id), KERNEL, () -> "writeback completes (page#" + id + ")"));
        }
        Set<Ast.Background> bg = prog.test.background();
        if (bg.contains(Ast.Background.RECLAIM)) backgroundReclaim(s, explain, pageOrder, out);
        if (bg.contains(Ast.Background.READAHEAD)) {
            for (int id : CanonicalKey.slotOrder(s)) {
                if (s.swapCachePageView(id) != null) continue;
                Step step = new Step(s, explain);
                step.k.swapState.readSwapCacheAsync(step.k.s.slot(id));
                out.add(step.finish(PersistentSets.readahead(id), KERNEL, () -> "swap readahead (slot#" + id + ")"));
            }
        }
        if (bg.contains(Ast.Background.KSM)) {
            Kernel view = views.get().reset(s, Trace.OFF, KernelMonitor.NONE);
            List<Ksm.Place> places = view.ksm.mergeablePlaces();
            for (int i = 0, n = places.size(); i < n; i++) {
                Ksm.Place a = places.get(i);
                for (int j = 0; j < n; j++) {
                    Ksm.Place b = places.get(j);
                    if (!view.ksm.mergeable(a, b)) continue;
                    for (int pass = 0; pass < 2; pass++) {
                        Step step = new Step(s, explain, pass == 1);
                        try {
                            step.k.ksm.cmpAndMergePage(a, b);
                        } catch (WouldBlock e) {
                            step.abandon(); // waits for a fork's PT lock (interleave ptlock)
                            if (!step.orderingMattered) break;
                            continue;
                        }
                        out.add(step.finish(PersistentSets.ksm(), KERNEL, () -> "ksm merges P" + a.proc() + ":" + prog.pages.get(a.vpage())
                                + " with P" + b.proc() + ":" + prog.pages.get(b.vpage())));
                        if (!step.orderingMattered) break;
                    }
                }
            }
            view.reset(null, Trace.OFF, KernelMonitor.NONE);
        }
        if (bg.contains(Ast.Background.SWAPOFF) && !s.swapoffDone && s.swap.present()) {
            Step step = new Step(s, explain);
            try {
                boolean done = new Interpreter(prog, step.k, step).swapoff();
                if (done) step.k.s.swapoffDone = true;
                out.add(step.finish(PersistentSets.swapoff(), KERNEL, () -> done ? "swapoff" : "swapoff (one entry)"));
            } catch (WouldBlock e) {
                step.abandon();
            }
        }
    }

    /**
     * Background reclaim: a whole pass per step (the reclaim statement of a K block splits it in two to
     * explore the locked window; doing that here too multiplies the state space). A pass that changes
     * nothing (the page is under writeback, pinned, or cannot get a slot) is a stutter step and is not
     * listed.
     */
    private void backgroundReclaim(KState s, boolean explain, int[] pageOrder, List<Transition<KState>> out) {
        Kernel view = views.get().reset(s, Trace.OFF, KernelMonitor.NONE);
        for (int id : pageOrder) {
            if (view.vmscan.shrinkFolioListRefuses(s.pageView(id))) continue;
            if (reclaimPass(s, explain, id, false, out)) reclaimPass(s, explain, id, true, out);
        }
        view.reset(null, Trace.OFF, KernelMonitor.NONE);
    }

    /**
     * One background reclaim pass over page {@code id} with the given memory-ordering choice.
     *
     * @return whether its answer depended on the choice (then the caller makes the other one too)
     */
    private boolean reclaimPass(KState s, boolean explain, int id, boolean missGrabs, List<Transition<KState>> out) {
        Step step = new Step(s, explain, missGrabs);
        Page page = step.k.s.page(id);
        try {
            if (!step.k.vmscan.shrinkFolioListBegin(page)) {
                step.abandon();
                return false;
            }
            step.k.vmscan.shrinkFolioListFinish(page);
        } catch (WouldBlock e) {
            step.abandon();
            return step.orderingMattered; // waits for a fork's PT lock (interleave ptlock)
        }
        out.add(step.finish(PersistentSets.reclaim(id), KERNEL, () -> "background reclaim (page#" + id + ")"));
        return step.orderingMattered;
    }

    /** One kernel per thread: successors() may run on several worker threads at once. */
    private final ThreadLocal<Kernel> kernels;
    /** And one that names the decisions it takes, for witnesses (successors(s, true)). */
    private final ThreadLocal<Kernel> explaining;
    /** And one per thread that only reads the source state (KSM merge candidates, reclaim refusals). */
    private final ThreadLocal<Kernel> views;

    /** One step under construction: a copy of the state, its kernel, and the flags it raises. */
    private final class Step implements FlagSink, KernelMonitor {
        final Kernel k;
        final boolean explain;
        Set<String> flags;
        final List<String> why;

        /**
         * Whether the kernel paths' answer depended on the memory-ordering choice (Kernel
         * missSpeculativeGrabs): then the caller makes the step again with the other choice.
         */
        boolean orderingMattered;

        Step(KState from, boolean explain) {
            this(from, explain, false);
        }

        /** @param missGrabs this step's memory-ordering choice (see Kernel#refcountSeenAfterClear) */
        Step(KState from, boolean explain, boolean missGrabs) {
            this.explain = explain;
            why = explain ? new ArrayList<>() : null;
            k = (explain ? explaining : kernels).get().reset(from.copy(), explain ? Trace.recording() : Trace.OFF, this);
            k.missSpeculativeGrabs = missGrabs;
        }

        @Override
        public void raise(String flagId, String reason) {
            if (flags == null) flags = new LinkedHashSet<>();
            flags.add(flagId);
            if (why != null) why.add(flagId + ": " + reason);
        }

        @Override
        public void raise(String flagId, Supplier<String> reason) {
            if (flags == null) flags = new LinkedHashSet<>();
            flags.add(flagId);
            if (why != null) why.add(flagId + ": " + reason.get());
        }

        @Override
        public void beforeWrite(Kernel kernel, Page page, String who) {
            StableWrites.check(kernel, page, who, this);
        }

        @Override
        public void useAfterFree(Kernel kernel, String what) {
            raise(Flags.USE_AFTER_FREE, what);
        }

        /** Drops a step that cannot happen now; returns null for the caller's convenience. */
        Transition<KState> abandon() {
            orderingMattered = !k.missSpeculativeGrabs && k.speculationMattered;
            k.reset(null, Trace.OFF, KernelMonitor.NONE);
            return null;
        }

        /**
         * Finishes the step; actor and statement are built only when explaining (witness replay).
         *
         * @param actorCode who made the step, for partial-order reduction ({@link PersistentSets})
         */
        Transition<KState> finish(int actorCode, Supplier<String> actor, Supplier<String> statement) {
            KState target = k.s;
            if (explain) Invariants.check(target, policy, this); // else stateFlags(), once per new state
            Object label = explain ? new StepLabel(actor.get(), statement.get(), k.trace.lines(), why,
                    fullStates ? StateDump.lines(target, prog) : List.of()) : null;
            orderingMattered = !k.missSpeculativeGrabs && k.speculationMattered;
            k.reset(null, Trace.OFF, KernelMonitor.NONE);
            return new Transition<>(target, label, flags == null ? List.of() : List.copyOf(flags), actorCode);
        }
    }

    @Override
    public int[] persistentSet(KState s, List<Transition<KState>> successors) {
        if (reduction == null) return null;
        return reduction.compute(s, successors, t -> outcome(t) == null && stateFlags(t).isEmpty());
    }

    @Override
    public Object pack(KState s) {
        return StateCodec.pack(s);
    }

    @Override
    public KState unpack(Object packed) {
        return StateCodec.unpack((int[]) packed);
    }

    @Override
    public List<String> stateFlags(KState s) {
        FlagCollector c = FLAGS.get().clear();
        Invariants.check(s, policy, c);
        return c.flags == null ? List.of() : List.copyOf(c.flags);
    }

    private static final ThreadLocal<FlagCollector> FLAGS = ThreadLocal.withInitial(FlagCollector::new);

    /** The ids of the flags raised, in order, without their explanations. */
    private static final class FlagCollector implements FlagSink {
        Set<String> flags;

        FlagCollector clear() {
            flags = null;
            return this;
        }

        @Override
        public void raise(String flagId, String why) {
            if (flags == null) flags = new LinkedHashSet<>();
            flags.add(flagId);
        }

        @Override
        public void raise(String flagId, Supplier<String> why) {
            raise(flagId, (String) null);
        }
    }

    @Override
    public Object key(KState s) {
        return CanonicalKey.of(s);
    }

    @Override
    public long fingerprint(KState s) {
        return CanonicalKey.fingerprint(s);
    }

    @Override
    public Object outcome(KState s) {
        for (Proc pr : s.procs) if (pr.status == Proc.Status.RUNNING) return null;
        for (int t = 0; t < s.kpc.length; t++) if (s.kpc[t] < prog.kernelBodies.get(t).size()) return null;
        int[] values = new int[prog.columns.size()];
        for (int c = 0; c < values.length; c++) values[c] = observe(s, prog.columns.get(c));
        return new Outcome(values, prog);
    }

    /** The value a column shows at the end, without changing the state. */
    private int observe(KState s, Program.Column col) {
        switch (col.kind()) {
            case REG:
                return s.procs[col.proc()].regs[col.index()];
            case PAGE:
                return peek(s, col.proc(), col.index());
            default:
                GupRef r = s.refs[col.index()];
                if (r.state == GupRef.State.UNSET) return Outcome.UNMAPPED;
                if (r.state == GupRef.State.DROPPED) return r.lastValue;
                return r.page == Pte.ZERO_PAGE ? 0 : s.pageView(r.page).content;
        }
    }

    /** What process or thread p would read at page x (through its mm): zero-fill, the mapped page, or what swap holds. */
    static int peek(KState s, int p, int x) {
        Proc pr = s.procs[s.mmNamedBy(p)];
        if (!pr.hasMm() || pr.vmas[x] == null) return Outcome.UNMAPPED;
        Pte t = pr.ptes[x];
        if (t.isNone() || t.isZeroPage()) return 0;
        if (t.isPresent()) return s.pageView(t.target()).content;
        var cache = s.swapCachePageView(t.target());
        return cache != null ? cache.content : s.slotView(t.target()).content;
    }
}
