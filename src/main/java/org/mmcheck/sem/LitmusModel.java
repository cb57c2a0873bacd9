package org.mmcheck.sem;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mmcheck.check.Entitlements;
import org.mmcheck.check.Invariants;
import org.mmcheck.check.StableWrites;
import org.mmcheck.explore.TransitionSystem;
import org.mmcheck.kernel.FlagSink;
import org.mmcheck.kernel.Kernel;
import org.mmcheck.kernel.Ksm;
import org.mmcheck.kernel.Trace;
import org.mmcheck.kernel.WriteMonitor;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.model.CanonicalKey;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.KState;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.variant.KernelPolicy;

/**
 * A litmus test under one kernel variant, as a transition system: every enabled statement of every
 * process and kernel thread is one atomic step, checked by the invariants and entitlement rules.
 */
public final class LitmusModel implements TransitionSystem<KState> {
    private final Program prog;
    private final KernelPolicy policy;

    public LitmusModel(Ast.Test test, KernelPolicy policy) throws LitmusException {
        Support.check(test);
        this.prog = new Program(test);
        this.policy = policy;
    }

    public Program program() {
        return prog;
    }

    @Override
    public KState initial() {
        int nPages = prog.pages.size();
        Proc[] procs = new Proc[prog.procCount()];
        for (int i = 0; i < procs.length; i++) procs[i] = new Proc(prog.regs.get(i).size(), nPages, 0);
        Ast.SwapDecl sd = prog.test.swap();
        KState s = new KState(procs, prog.kernelCount(), prog.refs.size(),
                new SwapDevice(sd.present(), sd.stableWrites(), sd.syncIo(), sd.present()));
        Proc p0 = procs[0];
        p0.status = prog.procBodies.get(0).isEmpty() ? Proc.Status.DONE : Proc.Status.RUNNING;
        for (int x = 0; x < nPages; x++) {
            p0.vmas[x] = org.mmcheck.model.Vma.DEFAULT;
            p0.ent.set(x, 0, false);
        }
        // "anon x = 5;" populates the page by a store from P0 before the test starts.
        Kernel k = new Kernel(s, policy, Trace.OFF, WriteMonitor.NONE);
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
        List<Transition<KState>> out = new ArrayList<>();
        for (int p = 0; p < s.procs.length; p++) {
            Proc pr = s.procs[p];
            if (pr.status != Proc.Status.RUNNING) continue;
            Ast.Stmt st = prog.procBodies.get(p).get(pr.pc);
            if (st instanceof Ast.Wait w && s.procs[w.child()].status == Proc.Status.RUNNING) continue;
            out.add(processStep(s, p, st, explain));
        }
        for (int t = 0; t < s.kpc.length; t++) {
            List<Ast.Stmt> body = prog.kernelBodies.get(t);
            if (s.kpc[t] >= body.size()) continue;
            out.add(kernelStep(s, t, body.get(s.kpc[t]), explain));
        }
        background(s, explain, out);
        return out;
    }

    private Transition<KState> processStep(KState s, int p, Ast.Stmt st, boolean explain) {
        Step step = new Step(s, explain);
        new Interpreter(prog, step.k, step).process(p, st);
        Proc pr = step.k.s.procs[p];
        if (pr.status == Proc.Status.RUNNING && ++pr.pc >= prog.procBodies.get(p).size()) {
            pr.status = Proc.Status.DONE;
        }
        return step.finish("P" + p, st.text());
    }

    private Transition<KState> kernelStep(KState s, int t, Ast.Stmt st, boolean explain) {
        Step step = new Step(s, explain);
        new Interpreter(prog, step.k, step).kernel(st);
        step.k.s.kpc[t]++;
        return step.finish("K" + t, st.text());
    }

    /**
     * Background events, in canonical page and slot order so that equal states list them alike:
     * writeback completion (always), then what the test's {@code kernel} declaration enables.
     */
    private void background(KState s, boolean explain, List<Transition<KState>> out) {
        CanonicalKey key = CanonicalKey.of(s);
        for (int id : key.pageOrder()) {
            if (!s.page(id).writeback) continue;
            Step step = new Step(s, explain);
            step.k.pageIo.endSwapBioWrite(step.k.s.page(id));
            out.add(step.finish("kernel", "writeback completes (page#" + id + ")"));
        }
        Set<Ast.Background> bg = prog.test.background();
        if (bg.contains(Ast.Background.RECLAIM)) {
            for (int id : key.pageOrder()) {
                Step step = new Step(s, explain);
                step.k.vmscan.shrinkFolioList(step.k.s.page(id));
                out.add(step.finish("kernel", "background reclaim (page#" + id + ")"));
            }
        }
        if (bg.contains(Ast.Background.READAHEAD)) {
            for (int id : key.slotOrder()) {
                if (s.swapCachePage(id) != null) continue;
                Step step = new Step(s, explain);
                step.k.swapState.readSwapCacheAsync(step.k.s.slot(id));
                out.add(step.finish("kernel", "swap readahead (slot#" + id + ")"));
            }
        }
        if (bg.contains(Ast.Background.KSM)) {
            Kernel view = new Kernel(s, policy, Trace.OFF, WriteMonitor.NONE);
            List<Ksm.Place> places = view.ksm.mergeablePlaces();
            for (Ksm.Place a : places) {
                for (Ksm.Place b : places) {
                    if (!view.ksm.mergeable(a, b)) continue;
                    Step step = new Step(s, explain);
                    step.k.ksm.cmpAndMergePage(a, b);
                    out.add(step.finish("kernel", "ksm merges P" + a.proc() + ":" + prog.pages.get(a.vpage())
                            + " with P" + b.proc() + ":" + prog.pages.get(b.vpage())));
                }
            }
        }
        if (bg.contains(Ast.Background.SWAPOFF) && !s.swapoffDone && s.swap.present()) {
            Step step = new Step(s, explain);
            step.k.s.swapoffDone = true;
            new Interpreter(prog, step.k, step).swapoff();
            out.add(step.finish("kernel", "swapoff"));
        }
    }

    /** One step under construction: a copy of the state, its kernel, and the flags it raises. */
    private final class Step implements FlagSink {
        final Kernel k;
        final Set<String> flags = new LinkedHashSet<>();
        final List<String> why;

        Step(KState from, boolean explain) {
            why = explain ? new ArrayList<>() : null;
            k = new Kernel(from.copy(), policy, explain ? Trace.recording() : Trace.OFF, new StableWrites(this));
        }

        @Override
        public void raise(String flagId, String reason) {
            flags.add(flagId);
            if (why != null) why.add(flagId + ": " + reason);
        }

        Transition<KState> finish(String actor, String statement) {
            Invariants.check(k.s, policy, this);
            Object label = why == null ? null : new StepLabel(actor, statement, k.trace.lines(), why);
            return new Transition<>(k.s, label, flags.isEmpty() ? List.of() : List.copyOf(flags));
        }
    }

    @Override
    public Object key(KState s) {
        return CanonicalKey.of(s);
    }

    @Override
    public Object outcome(KState s) {
        for (Proc pr : s.procs) if (pr.status == Proc.Status.RUNNING) return null;
        for (int t = 0; t < s.kpc.length; t++) if (s.kpc[t] < prog.kernelBodies.get(t).size()) return null;
        int[] values = new int[prog.columns.size()];
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            Program.Column col = prog.columns.get(c);
            values[c] = observe(s, col);
            text.append(col.text()).append('=').append(values[c] == Outcome.UNMAPPED ? "-" : values[c]).append("; ");
        }
        return new Outcome(values, text.toString().trim());
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
                return r.page == Pte.ZERO_PAGE ? 0 : s.page(r.page).content;
        }
    }

    /** What process p would read at page x: zero-fill, the mapped page, or what swap holds. */
    static int peek(KState s, int p, int x) {
        Proc pr = s.procs[p];
        if (!pr.hasMm() || pr.vmas[x] == null) return Outcome.UNMAPPED;
        Pte t = pr.ptes[x];
        if (t.isNone() || t.isZeroPage()) return 0;
        if (t.isPresent()) return s.page(t.target()).content;
        var cache = s.swapCachePage(t.target());
        return cache != null ? cache.content : s.slot(t.target()).content;
    }
}
