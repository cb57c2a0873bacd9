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
    /**
     * Live pages, in allocation order. Read only: change a page through {@link #page} (or
     * {@link #swapCachePage}), which copies it into this state first. Like processes, the lists and the
     * pages and slots in them are shared with the parent state until a step changes them; KState then
     * replaces the list (so never keep a reference to it across a change).
     */
    public List<Page> pages;
    /** Used swap slots, in allocation order; read only, change one through {@link #slot}. */
    public List<SwapSlot> slots;
    /** Whether {@link #pages} / {@link #slots} are this state's own lists, not the parent's. */
    private boolean ownPages;
    private boolean ownSlots;
    /** Marks the pages and slots this state may change: those whose {@code owner} is this token. */
    private final Object owner = new Object();
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
        this.ownPages = true;
        this.ownSlots = true;
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
        pages = o.pages;
        slots = o.slots;
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
        Proc pr = procs[p];
        pr.summary = 0; // it is about to change
        return pr;
    }

    // ---- pages

    /** Page {@code id}, to change: copied into this state first if it is still shared. */
    public Page page(int id) {
        return ownPage(pageIndex(id));
    }

    /** Page {@code id}, only to read (it may be shared with other states). */
    public Page pageView(int id) {
        return pages.get(pageIndex(id));
    }

    private int pageIndex(int id) {
        for (int i = 0, n = pages.size(); i < n; i++) {
            if (pages.get(i).id == id) return i;
        }
        throw new IllegalStateException("no page#" + id);
    }

    private Page ownPage(int i) {
        Page p = pages.get(i);
        if (p.owner != owner) {
            p = p.copy();
            p.owner = owner;
            writablePages().set(i, p);
        }
        return p;
    }

    private List<Page> writablePages() {
        if (!ownPages) {
            pages = new ArrayList<>(pages);
            ownPages = true;
        }
        return pages;
    }

    private List<SwapSlot> writableSlots() {
        if (!ownSlots) {
            slots = new ArrayList<>(slots);
            ownSlots = true;
        }
        return slots;
    }

    /** A fresh page as the page allocator hands it out: one reference, held by the caller. */
    public Page allocPage(int content) {
        Page p = new Page(nextPageId++);
        p.owner = owner;
        p.refcount = 1;
        p.content = content;
        writablePages().add(p);
        return p;
    }

    /** Adds a page rebuilt by {@link StateCodec}, owned by this state. */
    void adopt(Page p) {
        p.owner = owner;
        writablePages().add(p);
    }

    /** Adds a slot rebuilt by {@link StateCodec}, owned by this state. */
    void adopt(SwapSlot sl) {
        sl.owner = owner;
        writableSlots().add(sl);
    }

    /** Drop one reference (put_page / folio_put); the page is freed when none is left. */
    public void putPage(Page p) {
        p.refcount--;
        if (p.refcount <= 0) writablePages().remove(p);
    }

    public boolean isLive(int pageId) {
        for (int i = 0, n = pages.size(); i < n; i++) if (pages.get(i).id == pageId) return true;
        return false;
    }

    // ---- swap slots

    /** Slot {@code id}, to change: copied into this state first if it is still shared. */
    public SwapSlot slot(int id) {
        int i = slotIndex(id);
        SwapSlot s = slots.get(i);
        if (s.owner != owner) {
            s = s.copy();
            s.owner = owner;
            writableSlots().set(i, s);
        }
        return s;
    }

    /** Slot {@code id}, only to read. */
    public SwapSlot slotView(int id) {
        return slots.get(slotIndex(id));
    }

    private int slotIndex(int id) {
        for (int i = 0, n = slots.size(); i < n; i++) {
            if (slots.get(i).id == id) return i;
        }
        throw new IllegalStateException("no slot#" + id);
    }

    public SwapSlot allocSlot() {
        SwapSlot s = new SwapSlot(nextSlotId++);
        s.owner = owner;
        writableSlots().add(s);
        return s;
    }

    /** Free the slot once neither swap PTEs nor the swap cache use it. */
    public void maybeFreeSlot(SwapSlot s) {
        if (s.count == 0 && !s.hasCache) writableSlots().remove(s);
    }

    /** The swap-cache page of a slot, to change, or null. */
    public Page swapCachePage(int slotId) {
        int i = swapCacheIndex(slotId);
        return i < 0 ? null : ownPage(i);
    }

    /** The swap-cache page of a slot, only to read, or null. */
    public Page swapCachePageView(int slotId) {
        int i = swapCacheIndex(slotId);
        return i < 0 ? null : pages.get(i);
    }

    private int swapCacheIndex(int slotId) {
        for (int i = 0, n = pages.size(); i < n; i++) {
            Page p = pages.get(i);
            if (p.swapcache && p.swapSlot == slotId) return i;
        }
        return -1;
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
