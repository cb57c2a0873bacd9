package org.mmcheck.sem.por;

import java.util.Arrays;
import java.util.List;
import org.mmcheck.litmus.Ast;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.sem.Program;

/**
 * What a step may read or write, as a set of shared objects: a PTE (with its VMA and the checker's
 * entitlement for it) named by mm and page, a page frame, a swap slot, a GUP reference, an mm's own
 * fields (MMF_HAS_PINNED, write_protect_seq), the slot allocator and the swap device.
 *
 * <p>An mm's own fields are written by pins (MMF_HAS_PINNED, always to "set", so two pins commute)
 * and by fork (write_protect_seq), and read by fork and GUP-fast. Fork reaches beyond components
 * anyway ({@link #ofStatement}), so no step's seeds need them; a step that changed them still lists
 * them among what it wrote.
 *
 * <p>The kernel paths reach from one object to others only along the links between them: a PTE to the
 * page or slot it names, a page to every PTE that maps it (rmap), to its swap-cache slot and to the
 * references held on it, a slot to the swap PTEs naming it and its swap-cache page. So a step that
 * starts from some objects reads and writes only within their connected component, before and after
 * the step, plus the allocator when it takes or frees a slot (the lowest free offset depends on every
 * slot in use). Components are disjoint by construction, which is what makes two steps on different
 * components commute.
 */
final class Footprints {
    private Footprints() {}

    private static final long PTE = 1L << 56;
    private static final long PAGE = 2L << 56;
    private static final long SLOT = 3L << 56;
    private static final long REF = 4L << 56;
    private static final long MM = 5L << 56;
    static final long ALLOC = 6L << 56;
    /** Whether the swap device is on: swapoff turns it off, a swap-in in flight holds or reads it. */
    static final long DEVICE = 7L << 56;
    private static final long KIND = 0xFFL << 56;

    static long pte(int mm, int x) {
        return PTE | ((long) mm << 16) | x;
    }

    static long page(int id) {
        return PAGE | id;
    }

    static long slot(int id) {
        return SLOT | id;
    }

    static long ref(int g) {
        return REF | g;
    }

    static long mm(int mm) {
        return MM | mm;
    }

    static boolean isSlot(long o) {
        return (o & KIND) == SLOT;
    }

    static String describe(long o) {
        long kind = o & KIND;
        long v = o & ~KIND;
        if (kind == PTE) return "pte(mm P" + (v >>> 16) + ", page " + (v & 0xFFFF) + ")";
        if (kind == PAGE) return "page#" + v;
        if (kind == SLOT) return "slot#" + v;
        if (kind == REF) return "ref " + v;
        if (kind == MM) return "mm P" + v;
        if (o == DEVICE) return "swap device";
        return "slot allocator";
    }

    /** Adds to {@code set} every object connected to one already in it, in state {@code s}. */
    static void close(KState s, ObjSet set) {
        if (set.isAll()) return;
        for (int i = 0; i < set.size(); i++) {
            long o = set.get(i);
            long kind = o & KIND;
            int v = (int) (o & ~KIND);
            if (kind == PTE) linksOfPte(s, v >>> 16, v & 0xFFFF, set);
            else if (kind == PAGE) linksOfPage(s, v, set);
            else if (kind == SLOT) linksOfSlot(s, v, set);
            else if (kind == REF) linksOfRef(s, v, set);
        }
    }

    private static void linksOfPte(KState s, int mm, int x, ObjSet set) {
        Proc pr = s.procs[mm];
        if (!pr.hasMm()) return;
        Pte t = pr.ptes[x];
        if (t.isSwap()) set.add(slot(t.target()));
        else if (t.mapsPage() && t.target() >= 0) set.add(page(t.target()));
    }

    private static void linksOfPage(KState s, int id, ObjSet set) {
        Page p = s.pageAt(id);
        if (p == null) return;
        for (int mm = 0; mm < s.procs.length; mm++) {
            Proc pr = s.procs[mm];
            if (!pr.hasMm()) continue;
            for (int x = 0; x < pr.ptes.length; x++) {
                Pte t = pr.ptes[x];
                if (t.mapsPage() && t.target() == id) set.add(pte(mm, x));
            }
        }
        if (p.swapcache) set.add(slot(p.swapSlot));
        for (int g = 0; g < s.refs.length; g++) {
            GupRef r = s.refs[g];
            if (r.state == GupRef.State.HELD && r.page == id) set.add(ref(g));
        }
    }

    private static void linksOfSlot(KState s, int id, ObjSet set) {
        for (int mm = 0; mm < s.procs.length; mm++) {
            Proc pr = s.procs[mm];
            if (!pr.hasMm()) continue;
            for (int x = 0; x < pr.ptes.length; x++) {
                Pte t = pr.ptes[x];
                if (t.isSwap() && t.target() == id) set.add(pte(mm, x));
            }
        }
        Page cache = s.swapCachePageView(id);
        if (cache != null) set.add(page(cache.id));
    }

    private static void linksOfRef(KState s, int g, ObjSet set) {
        GupRef r = s.refs[g];
        if (r.state != GupRef.State.HELD) return;
        if (r.page >= 0) set.add(page(r.page));
        if (r.bound && r.owner >= 0 && r.vpage >= 0) set.add(pte(s.mmOf(r.owner), r.vpage));
    }

    /** The objects a path in flight holds or will compare: its PTE, the page it holds, what the PTE named. */
    static void ofInFlight(KState s, int actor, InFlight f, ObjSet set) {
        int mm = s.mmOf(actor);
        set.add(pte(mm, f.vpage()));
        if (f.page() >= 0) set.add(page(f.page()));
        Pte orig = f.orig();
        if (orig != null && orig.isSwap()) set.add(slot(orig.target()));
        if (f.path() == InFlight.Path.SWAP_IN) set.add(DEVICE);
        else if (orig != null && orig.mapsPage() && orig.target() >= 0) set.add(page(orig.target()));
        if (f.path() == InFlight.Path.GUP_FAST) set.add(ref(f.gupRef()));
    }

    /**
     * The objects statement {@code st} of a process or thread in mm {@code mm} starts from, added to
     * {@code set}; false when the statement reaches beyond any component (fork, clone and exit change
     * the whole mm, start or end actors, and fork holds the mmap_lock against every other actor).
     */
    static boolean ofStatement(Program prog, int mm, Ast.Stmt st, ObjSet set) {
        if (st instanceof Ast.StorePage sp) set.add(pte(mm, prog.page(sp.page())));
        else if (st instanceof Ast.LoadPage lp) set.add(pte(mm, prog.page(lp.page())));
        else if (st instanceof Ast.LoadRef lr) set.add(ref(prog.ref(lr.ref())));
        else if (st instanceof Ast.StoreRef sr) set.add(ref(prog.ref(sr.ref())));
        else if (st instanceof Ast.Put pt) set.add(ref(prog.ref(pt.ref())));
        else if (st instanceof Ast.Unpin u) set.add(ref(prog.ref(u.ref())));
        else if (st instanceof Ast.Get g) {
            set.add(ref(prog.ref(g.ref())));
            set.add(pte(mm, prog.page(g.page())));
        } else if (st instanceof Ast.Pin pn) {
            set.add(ref(prog.ref(pn.ref())));
            set.add(pte(mm, prog.page(pn.page())));
        } else if (st instanceof Ast.Munmap m) set.add(pte(mm, prog.page(m.page())));
        else if (st instanceof Ast.Madvise m) set.add(pte(mm, prog.page(m.page())));
        else if (st instanceof Ast.Mprotect m) set.add(pte(mm, prog.page(m.page())));
        else return st instanceof Ast.Wait;
        return true;
    }

    /** What swapoff works on: the device, the allocator and every slot in use (with their components). */
    static void ofSwapoff(KState s, ObjSet set) {
        set.add(DEVICE);
        set.add(ALLOC);
        for (int id = 0; id < s.slotIdBound(); id++) if (s.slotAt(id) != null) set.add(slot(id));
    }

    /** Whether statement {@code st} may take or free a swap slot by itself (beyond the swap-in it may fault into). */
    static boolean mayAllocate(Ast.Stmt st) {
        if (st instanceof Ast.Munmap) return true;
        if (st instanceof Ast.Madvise m) {
            return m.advice() == Ast.Advice.MADV_PAGEOUT || m.advice() == Ast.Advice.MADV_DONTNEED;
        }
        return false;
    }

    /**
     * What a step from {@code s} to {@code t} changed that its starting objects' components may not
     * show: the objects it wrote (compared object by object; shared ones are skipped), the allocator
     * when the slots in use differ, and everything when an actor started or ended.
     */
    static void written(KState s, KState t, ObjSet set) {
        for (int p = 0; p < s.procs.length; p++) {
            Proc a = s.procs[p];
            Proc b = t.procs[p];
            if (a == b) continue;
            if (a.status != b.status || a.threads != b.threads) {
                set.addAll(ObjSet.everything());
                return;
            }
            if (a.hasPinned != b.hasPinned || a.wpSeq != b.wpSeq) set.add(mm(p));
            for (int x = 0; x < a.ptes.length; x++) {
                if (!a.ptes[x].equals(b.ptes[x]) || a.vmas[x] != b.vmas[x] || entitlementDiffers(a, b, x)) {
                    set.add(pte(p, x));
                }
            }
        }
        int pages = Math.max(s.pageIdBound(), t.pageIdBound());
        for (int id = 0; id < pages; id++) {
            Page a = id < s.pageIdBound() ? s.pageAt(id) : null;
            Page b = id < t.pageIdBound() ? t.pageAt(id) : null;
            if (a != b) set.add(page(id));
        }
        int slots = Math.max(s.slotIdBound(), t.slotIdBound());
        boolean allocated = false;
        for (int id = 0; id < slots; id++) {
            SwapSlot a = id < s.slotIdBound() ? s.slotAt(id) : null;
            SwapSlot b = id < t.slotIdBound() ? t.slotAt(id) : null;
            if (a != b) set.add(slot(id));
            if ((a == null) != (b == null)) allocated = true;
        }
        if (allocated) set.add(ALLOC);
        if (s.swapoffDone != t.swapoffDone || s.swap != t.swap) set.add(DEVICE);
        for (int g = 0; g < s.refs.length; g++) {
            GupRef a = s.refs[g];
            GupRef b = t.refs[g];
            if (a.state != b.state || a.page != b.page || a.bound != b.bound || a.lastValue != b.lastValue
                    || a.owner != b.owner || a.vpage != b.vpage || !Arrays.equals(a.snapshot, b.snapshot)) {
                set.add(ref(g));
            }
        }
    }

    private static boolean entitlementDiffers(Proc a, Proc b, int x) {
        if (a.ent == b.ent) return false;
        if (a.ent.value[x] != b.ent.value[x] || a.ent.history[x] != b.ent.history[x]
                || a.ent.byDevice[x] != b.ent.byDevice[x]) {
            return true;
        }
        for (int i = x * 3; i < x * 3 + 3; i++) {
            if (high(a.ent.high, i) != high(b.ent.high, i)) return true;
        }
        return false;
    }

    private static long high(long[] high, int i) {
        return high == null ? 0 : high[i];
    }

    /** Whether any of {@code stmts} from index {@code from} on reaches beyond components (see {@link #ofStatement}). */
    static boolean anyUnbounded(Program prog, List<Ast.Stmt> stmts, int from, int mm, ObjSet set) {
        for (int i = from; i < stmts.size(); i++) {
            if (!ofStatement(prog, mm, stmts.get(i), set)) return true;
        }
        return false;
    }
}
