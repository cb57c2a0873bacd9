package org.mmcheck.model;

import java.util.ArrayList;
import java.util.List;

/**
 * The whole kernel state of one point in an execution, plus the program counters of the litmus
 * actors and the checker's entitlement bookkeeping. Successors are made by {@link #copy()} and then
 * mutated by exactly one step; a state is never changed after it has been handed to the explorer.
 */
public final class KState {
    /**
     * Read freely; write only through {@link #mutableProc}: a successor shares its parent's Proc objects
     * until it changes one (copy on write), and shared objects belong to immutable states.
     */
    public final Proc[] procs;
    /** Bit p set: procs[p] is private to this state. More than 64 processes are always copied. */
    private long ownProc;
    public final int[] kpc;            // program counter of each kernel thread block
    /** Page id that kernel thread t is reclaiming between the two halves of a pass, or -1. */
    public final int[] kReclaim;
    public final List<Page> pages;     // live pages, in allocation order
    public final List<SwapSlot> slots; // used swap slots, in allocation order
    public final GupRef[] refs;
    public SwapDevice swap;
    public boolean swapoffDone;        // the background swapoff ran (it runs at most once)
    public int nextPageId;
    public int nextSlotId;
    /** Canonical page and slot orders, cached by {@link CanonicalKey} once the state is final. */
    int[] pageOrder;
    int[] slotOrder;

    public KState(Proc[] procs, int nKernel, int nRefs, SwapDevice swap) {
        this.procs = procs;
        this.ownProc = -1L;
        this.kpc = new int[nKernel];
        this.kReclaim = new int[nKernel];
        java.util.Arrays.fill(kReclaim, -1);
        this.pages = new ArrayList<>();
        this.slots = new ArrayList<>();
        this.refs = new GupRef[nRefs];
        for (int i = 0; i < nRefs; i++) refs[i] = new GupRef();
        this.swap = swap;
    }

    private KState(KState o) {
        procs = o.procs.clone();
        ownProc = 0L;
        if (procs.length > 64) {
            for (int i = 0; i < procs.length; i++) procs[i] = procs[i].copy();
            ownProc = -1L;
        }
        kpc = o.kpc.length == 0 ? o.kpc : o.kpc.clone();
        kReclaim = o.kReclaim.length == 0 ? o.kReclaim : o.kReclaim.clone();
        int np = o.pages.size();
        pages = new ArrayList<>(np + 1);
        for (int i = 0; i < np; i++) pages.add(o.pages.get(i).copy());
        int ns = o.slots.size();
        slots = new ArrayList<>(ns + 1);
        for (int i = 0; i < ns; i++) slots.add(o.slots.get(i).copy());
        refs = o.refs.length == 0 ? o.refs : new GupRef[o.refs.length];
        for (int i = 0; i < refs.length; i++) refs[i] = o.refs[i].copy();
        swap = o.swap;
        swapoffDone = o.swapoffDone;
        nextPageId = o.nextPageId;
        nextSlotId = o.nextSlotId;
    }

    public KState copy() {
        return new KState(this);
    }

    /** Process p, made private to this state first if it is still shared with the parent state. */
    public Proc mutableProc(int p) {
        if ((ownProc & (1L << p)) == 0) {
            procs[p] = procs[p].copy();
            ownProc |= 1L << p;
        }
        return procs[p];
    }

    // ---- pages

    public Page page(int id) {
        for (int i = 0, n = pages.size(); i < n; i++) {
            Page p = pages.get(i);
            if (p.id == id) return p;
        }
        throw new IllegalStateException("no page#" + id);
    }

    /** A fresh page as the page allocator hands it out: one reference, held by the caller. */
    public Page allocPage(int content) {
        Page p = new Page(nextPageId++);
        p.refcount = 1;
        p.content = content;
        pages.add(p);
        return p;
    }

    /** Drop one reference (put_page / folio_put); the page is freed when none is left. */
    public void putPage(Page p) {
        p.refcount--;
        if (p.refcount <= 0) pages.remove(p);
    }

    public boolean isLive(int pageId) {
        for (int i = 0, n = pages.size(); i < n; i++) if (pages.get(i).id == pageId) return true;
        return false;
    }

    // ---- swap slots

    public SwapSlot slot(int id) {
        for (int i = 0, n = slots.size(); i < n; i++) {
            SwapSlot s = slots.get(i);
            if (s.id == id) return s;
        }
        throw new IllegalStateException("no slot#" + id);
    }

    public SwapSlot allocSlot() {
        SwapSlot s = new SwapSlot(nextSlotId++);
        slots.add(s);
        return s;
    }

    /** Free the slot once neither swap PTEs nor the swap cache use it. */
    public void maybeFreeSlot(SwapSlot s) {
        if (s.count == 0 && !s.hasCache) slots.remove(s);
    }

    /** The swap-cache page of a slot, or null. */
    public Page swapCachePage(int slotId) {
        for (int i = 0, n = pages.size(); i < n; i++) {
            Page p = pages.get(i);
            if (p.swapcache && p.swapSlot == slotId) return p;
        }
        return null;
    }

    // ---- derived counts used by checks

    /** PTEs (in every live mm) that map the page. */
    public int ptesMapping(int pageId) {
        int n = 0;
        for (Proc pr : procs) {
            if (!pr.hasMm()) continue;
            for (Pte t : pr.ptes) if (t.mapsPage() && t.target() == pageId) n++;
        }
        return n;
    }

    /** Swap PTEs (in every live mm) that refer to the slot. */
    public int swapPtesFor(int slotId) {
        int n = 0;
        for (Proc pr : procs) {
            if (!pr.hasMm()) continue;
            for (Pte t : pr.ptes) if (t.isSwap() && t.target() == slotId) n++;
        }
        return n;
    }
}
