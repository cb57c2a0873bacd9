package org.mmcheck.sem.por;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import org.mmcheck.explore.TransitionSystem.Transition;
import org.mmcheck.litmus.Ast;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Vma;
import org.mmcheck.sem.Program;

/**
 * Partial-order reduction for lock-level interleaving: persistent sets built from footprints (stubborn
 * sets in Valmari's sense, computed per state).
 *
 * <p>The actors are the processes and threads, the kernel threads, and the background events, one per
 * object they act on (writeback completion and reclaim per page, readahead per slot; KSM and swapoff
 * as a whole). An actor's <em>future</em> is every object it may touch from now on ({@link
 * Footprints}): the components of the objects its remaining statements name. Starting from one
 * process or thread, the set takes in every actor whose future meets the footprint of a step already
 * in the set, until nothing more meets it. Any step outside the set then works on other components
 * than every step in it until one of them runs, so the two commute, and exploring the set alone
 * loses no state that matters (Godefroid, LNCS 1032, ch. 4). The set is refused (all transitions are
 * explored) when it would need an actor that cannot move now but may later (a process waiting or
 * blocked on a lock), a step that raises a flag or ends the test, or an actor that reaches beyond
 * components (fork, clone, exit, KSM, swapoff).
 */
public final class PersistentSets {
    /** What the reduction needs from the model about a step's target. */
    public interface Visibility {
        /** The state raises no flag by itself and is not a final state (its outcome is undecided). */
        boolean invisible(KState target);
    }

    private static final int KIND_SHIFT = 24;
    private static final int PROCESS = 0;
    private static final int KERNEL_THREAD = 1;
    private static final int WRITEBACK = 2;
    private static final int RECLAIM = 3;
    private static final int READAHEAD = 4;
    private static final int KSM = 5;
    private static final int SWAPOFF = 6;

    /** The actor code of process or thread {@code p}. */
    public static int process(int p) {
        return p;
    }

    public static int kernelThread(int t) {
        return (KERNEL_THREAD << KIND_SHIFT) | t;
    }

    public static int writeback(int pageId) {
        return (WRITEBACK << KIND_SHIFT) | pageId;
    }

    public static int reclaim(int pageId) {
        return (RECLAIM << KIND_SHIFT) | pageId;
    }

    public static int readahead(int slotId) {
        return (READAHEAD << KIND_SHIFT) | slotId;
    }

    public static int ksm() {
        return KSM << KIND_SHIFT;
    }

    public static int swapoff() {
        return SWAPOFF << KIND_SHIFT;
    }

    /** What kind of actor an actor code names (for readers of transitions, such as the real-kernel schedules). */
    public enum ActorKind { PROCESS, KERNEL_THREAD, WRITEBACK, RECLAIM, READAHEAD, KSM, SWAPOFF }

    public static ActorKind kindOf(int actor) {
        return ActorKind.values()[actor >>> KIND_SHIFT];
    }

    /** The process, kernel thread, page or slot an actor code names. */
    public static int objectOf(int actor) {
        return actor & ((1 << KIND_SHIFT) - 1);
    }

    private final Program prog;

    /** Pages whose VMA some statement of the test removes or changes (munmap, mprotect). */
    private final boolean[] vmaMayChange;

    public PersistentSets(Program prog) {
        this.prog = prog;
        this.vmaMayChange = new boolean[prog.pages.size()];
        for (List<Ast.Stmt> body : prog.procBodies) {
            for (Ast.Stmt st : body) {
                if (st instanceof Ast.Munmap m) vmaMayChange[prog.page(m.page())] = true;
                if (st instanceof Ast.Mprotect m) vmaMayChange[prog.page(m.page())] = true;
            }
        }
    }

    /**
     * Whether statement {@code st} of a process or thread in mm {@code mm} may end in SIGSEGV: an
     * access to a page whose VMA is missing or forbids it now, or may later. SIGSEGV ends every thread
     * of the mm and tears the mm down, which reaches beyond any component (it stops other actors).
     */
    private boolean maySegfault(KState s, int mm, Ast.Stmt st) {
        String page;
        boolean write;
        if (st instanceof Ast.StorePage sp) {
            page = sp.page();
            write = true;
        } else if (st instanceof Ast.LoadPage lp) {
            page = lp.page();
            write = false;
        } else if (st instanceof Ast.Pin pn) {
            page = pn.page();
            write = pn.flags().contains(Ast.GupFlag.FOLL_WRITE);
        } else if (st instanceof Ast.Get g) {
            page = g.page();
            write = g.flags().contains(Ast.GupFlag.FOLL_WRITE);
        } else {
            return false;
        }
        int x = prog.page(page);
        Vma v = s.procs[mm].vmas[x];
        return vmaMayChange[x] || v == null || !v.read() || (write && !v.write());
    }

    /** One actor at one state: its transitions (indices) and, once asked for, its future. */
    private final class Unit {
        final int code;
        final List<Integer> transitions = new ArrayList<>(2);
        ObjSet future;

        Unit(int code) {
            this.code = code;
        }

        int kind() {
            return code >>> KIND_SHIFT;
        }

        int index() {
            return code & ((1 << KIND_SHIFT) - 1);
        }

        /** A process, thread or kernel thread: when it cannot move now, it may later. */
        boolean program() {
            return kind() == PROCESS || kind() == KERNEL_THREAD;
        }
    }

    /**
     * The indices of a persistent subset of {@code succ} (ascending), or null when none smaller than
     * all of them was found. {@code succ} must carry actor codes from this class.
     */
    public int[] compute(KState s, List<Transition<KState>> succ, Visibility vis) {
        if (succ.size() < 2 || s.forker() >= 0) return null;
        // Only one actor can move (its two memory-ordering variants, say): its steps are all there is.
        int first = succ.get(0).actor();
        boolean oneActor = true;
        for (int i = 1; i < succ.size() && oneActor; i++) oneActor = succ.get(i).actor() == first;
        if (oneActor) return null;
        List<Unit> units = units(s, succ);
        if (units == null) return null;
        State st = new State(s, succ, vis, units);
        int[] best = null;
        for (Unit u : units) {
            if (u.kind() != PROCESS || u.transitions.isEmpty()) continue;
            int[] set = st.tryFrom(u);
            if (set != null && (best == null || set.length < best.length)) best = set;
        }
        return best;
    }

    private List<Unit> units(KState s, List<Transition<KState>> succ) {
        List<Unit> units = new ArrayList<>();
        for (int p = 0; p < s.procs.length; p++) {
            if (s.procs[p].status == Proc.Status.RUNNING) units.add(new Unit(process(p)));
        }
        for (int t = 0; t < s.kpc.length; t++) {
            if (s.kpc[t] < prog.kernelBodies.get(t).size()) units.add(new Unit(kernelThread(t)));
        }
        Set<Ast.Background> bg = prog.test.background();
        for (int id = 0; id < s.pageIdBound(); id++) {
            Page page = s.pageAt(id);
            if (page == null) continue;
            if (page.writeback) units.add(new Unit(writeback(id)));
            if (bg.contains(Ast.Background.RECLAIM)) units.add(new Unit(reclaim(id)));
        }
        if (bg.contains(Ast.Background.READAHEAD)) {
            for (int id = 0; id < s.slotIdBound(); id++) {
                if (s.slotAt(id) != null) units.add(new Unit(readahead(id)));
            }
        }
        if (bg.contains(Ast.Background.KSM)) units.add(new Unit(ksm()));
        if (bg.contains(Ast.Background.SWAPOFF) && !s.swapoffDone && s.swap.present()) units.add(new Unit(swapoff()));
        for (int i = 0; i < succ.size(); i++) {
            int code = succ.get(i).actor();
            if (code < 0) return null; // a transition the reduction knows nothing of
            Unit u = find(units, code);
            if (u == null) {
                u = new Unit(code);
                units.add(u);
            }
            u.transitions.add(i);
        }
        return units;
    }

    private static Unit find(List<Unit> units, int code) {
        for (Unit u : units) if (u.code == code) return u;
        return null;
    }

    /** The footprints and visibility of one state's transitions, each worked out once. */
    private final class State {
        final KState s;
        final List<Transition<KState>> succ;
        final Visibility vis;
        final List<Unit> units;
        final ObjSet[] footprints;
        final byte[] visible; // 0 not known yet, 1 invisible, 2 visible

        State(KState s, List<Transition<KState>> succ, Visibility vis, List<Unit> units) {
            this.s = s;
            this.succ = succ;
            this.vis = vis;
            this.units = units;
            this.footprints = new ObjSet[succ.size()];
            this.visible = new byte[succ.size()];
        }

        int[] tryFrom(Unit start) {
            boolean[] in = new boolean[units.size()];
            ObjSet fp = new ObjSet();
            in[units.indexOf(start)] = true;
            if (!take(start, fp)) return null;
            int taken = start.transitions.size();
            boolean grew = true;
            while (grew) {
                grew = false;
                for (int i = 0; i < units.size(); i++) {
                    if (in[i]) continue;
                    Unit w = units.get(i);
                    if (!future(w).intersects(fp)) continue;
                    if (w.transitions.isEmpty() && (w.program() || future(w).isAll())) return null;
                    in[i] = true;
                    grew = true;
                    taken += w.transitions.size();
                    if (taken >= succ.size() || !take(w, fp)) return null;
                }
            }
            boolean[] chosen = new boolean[succ.size()];
            int n = 0;
            for (int i = 0; i < units.size(); i++) {
                if (!in[i]) continue;
                for (int j : units.get(i).transitions) chosen[j] = true;
                n += units.get(i).transitions.size();
            }
            if (n >= succ.size()) return null;
            // Last, as the dearest check: no step of the set may raise a flag or end the test.
            for (int j = 0; j < chosen.length; j++) if (chosen[j] && !invisible(j)) return null;
            int[] set = new int[n];
            for (int i = 0, k = 0; i < chosen.length; i++) if (chosen[i]) set[k++] = i;
            return set;
        }

        /** Adds u's transitions' footprints to fp; false when one of them reaches everything. */
        private boolean take(Unit u, ObjSet fp) {
            for (int i : u.transitions) {
                ObjSet f = footprint(u, i);
                if (f.isAll()) return false;
                fp.addAll(f);
            }
            return true;
        }

        private boolean invisible(int i) {
            if (visible[i] == 0) {
                Transition<KState> t = succ.get(i);
                visible[i] = (byte) (t.flags().isEmpty() && vis.invisible(t.target()) ? 1 : 2);
            }
            return visible[i] == 1;
        }

        private ObjSet footprint(Unit u, int i) {
            if (footprints[i] == null) {
                KState t = succ.get(i).target();
                // What the step starts from and what it wrote, with their components before and after.
                ObjSet base = seeds(u);
                if (!base.isAll()) base = copy(base);
                Footprints.written(s, t, base);
                ObjSet f = base;
                if (!base.isAll()) {
                    ObjSet before = copy(base);
                    Footprints.close(s, before);
                    ObjSet after = copy(base);
                    Footprints.close(t, after);
                    f = before;
                    f.addAll(after);
                }
                footprints[i] = f;
            }
            return footprints[i];
        }

        /** The objects u's next step starts from. */
        private ObjSet seeds(Unit u) {
            ObjSet set = new ObjSet();
            int x = u.index();
            switch (u.kind()) {
                case PROCESS: {
                    InFlight f = s.inflight[x];
                    if (f != null) {
                        if (f.path() == InFlight.Path.FORK) return ObjSet.everything();
                        Footprints.ofInFlight(s, x, f, set);
                    } else if (!Footprints.ofStatement(prog, s.mmOf(x), prog.procBodies.get(x).get(s.procs[x].pc), set)) {
                        return ObjSet.everything();
                    }
                    return set;
                }
                case KERNEL_THREAD:
                    return kernelSeeds(x, s.kpc[x], s.kpc[x] + 1);
                case WRITEBACK:
                    set.add(Footprints.page(x));
                    return set;
                case RECLAIM:
                    set.add(Footprints.page(x));
                    set.add(Footprints.ALLOC);
                    return set;
                case READAHEAD:
                    set.add(Footprints.slot(x));
                    return set;
                case SWAPOFF:
                    Footprints.ofSwapoff(s, set);
                    return set;
                default:
                    return ObjSet.everything();
            }
        }

        /** Kernel thread t's statements [from, to) and the page of a reclaim pass it is in the middle of. */
        private ObjSet kernelSeeds(int t, int from, int to) {
            ObjSet set = new ObjSet();
            if (s.kReclaim[t] >= 0) {
                set.add(Footprints.page(s.kReclaim[t]));
                set.add(Footprints.ALLOC);
            }
            List<Ast.Stmt> body = prog.kernelBodies.get(t);
            for (int i = from; i < Math.min(to, body.size()); i++) {
                Ast.Stmt st = body.get(i);
                int proc;
                String page;
                if (st instanceof Ast.Reclaim r) {
                    proc = r.proc();
                    page = r.page();
                    set.add(Footprints.ALLOC);
                } else if (st instanceof Ast.Readahead r) {
                    proc = r.proc();
                    page = r.page();
                } else if (st instanceof Ast.Swapoff) {
                    Footprints.ofSwapoff(s, set);
                    continue;
                } else {
                    return ObjSet.everything();
                }
                // A process not forked yet has no mm to name: what it will have is its parent's.
                if (s.procs[proc].status == Proc.Status.NOT_STARTED) return ObjSet.everything();
                set.add(Footprints.pte(s.mmNamedBy(proc), prog.page(page)));
            }
            return set;
        }

        /** Every object u may touch from now on. */
        private ObjSet future(Unit u) {
            if (u.future != null) return u.future;
            ObjSet set;
            int x = u.index();
            switch (u.kind()) {
                case PROCESS: {
                    set = seeds(u);
                    if (set.isAll()) break;
                    List<Ast.Stmt> body = prog.procBodies.get(x);
                    int pc = s.procs[x].pc;
                    int mm = s.mmOf(x);
                    boolean allocates = s.inflight[x] != null && s.inflight[x].path() == InFlight.Path.SWAP_IN;
                    for (int i = pc; i < body.size(); i++) {
                        allocates |= Footprints.mayAllocate(body.get(i));
                        if (maySegfault(s, mm, body.get(i))) {
                            u.future = ObjSet.everything();
                            return u.future;
                        }
                    }
                    if (Footprints.anyUnbounded(prog, body, pc, mm, set)) {
                        set = ObjSet.everything();
                        break;
                    }
                    Footprints.close(s, set);
                    // Taking the page of a slot back (swap-in) frees the slot; a process that can
                    // reach a slot may thus free one.
                    if (s.swap.present() && (allocates || hasSlot(set))) set.add(Footprints.ALLOC);
                    break;
                }
                case KERNEL_THREAD:
                    set = kernelSeeds(x, s.kpc[x], Integer.MAX_VALUE);
                    Footprints.close(s, set);
                    break;
                default:
                    set = seeds(u);
                    Footprints.close(s, set);
            }
            u.future = set;
            return set;
        }
    }

    private static boolean hasSlot(ObjSet set) {
        if (set.isAll()) return true;
        for (int i = 0; i < set.size(); i++) if (Footprints.isSlot(set.get(i))) return true;
        return false;
    }

    private static ObjSet copy(ObjSet o) {
        ObjSet c = new ObjSet();
        c.addAll(o);
        return c;
    }
}
