package org.mmcheck.model;

import java.util.ArrayList;
import java.util.Arrays;
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
     * The kernel path process p is in the middle of (under lock-level interleaving), or null. Read
     * freely; change through {@link #setInflight}: the array is shared with the parent state until a
     * step changes an entry (under atomic interleaving it never does), and the records are immutable.
     */
    public InFlight[] inflight;
    private boolean ownInflight;
    /**
     * Lock-level interleaving: swap slots are then told apart by their offset (id), because a path
     * that compares a swap PTE it read earlier ({@code pte_same}) cannot tell a freed and reused offset
     * from the original; the canonical key keeps slot ids.
     */
    public boolean ptlock;
    /**
     * Live pages by id (null where there is none); read through {@link #pageView} or
     * {@link #pageAt}, change through {@link #page} (or {@link #swapCachePage}), which copies the page
     * into this state first. Like processes, the table and the pages in it are shared with the parent
     * state until a step changes them. Ids are serial numbers, so id order is allocation order.
     */
    private Page[] pageTable;
    private int pageCount;
    /** Used swap slots by id, the same way; change one through {@link #slot}. */
    private SwapSlot[] slotTable;
    private int slotCount;
    /** Whether the tables are this state's own, not the parent's. */
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
        Arrays.fill(kReclaim, -1);
        this.inflight = new InFlight[procs.length];
        this.ownInflight = true;
        this.pageTable = NO_PAGES;
        this.slotTable = NO_SLOTS;
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
        inflight = o.inflight;
        ptlock = o.ptlock;
        pageTable = o.pageTable;
        pageCount = o.pageCount;
        slotTable = o.slotTable;
        slotCount = o.slotCount;
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

    /** Sets actor a's path in flight (null: none), copying the shared array first. */
    public void setInflight(int a, InFlight f) {
        if (inflight[a] == f) return;
        if (!ownInflight) {
            inflight = inflight.clone();
            ownInflight = true;
        }
        inflight[a] = f;
    }

    /** Whether a fork of mm {@code mm} is between its two stages (interleave ptlock): it holds the mmap_lock. */
    public boolean forkInFlight(int mm) {
        for (InFlight f : inflight) if (f != null && f.path() == InFlight.Path.FORK && f.forkParent() == mm) return true;
        return false;
    }

    /** The actor whose fork is between its two stages, or -1. */
    public int forker() {
        for (int a = 0; a < inflight.length; a++) {
            if (inflight[a] != null && inflight[a].path() == InFlight.Path.FORK) return a;
        }
        return -1;
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

    /** The process whose mm block p runs in: p itself, or the owner of the mm that thread p shares. */
    public int mmOf(int p) {
        int m = procs[p].mm;
        return m == Proc.OWN_MM ? p : m;
    }

    /**
     * The mm that block p names in {@code reclaim(N:x)}, {@code readahead(N:x)} and in conditions: its
     * mm once p has started, none before (p itself then, which has no mm), as for a process not yet forked.
     */
    public int mmNamedBy(int p) {
        return procs[p].status == Proc.Status.NOT_STARTED ? p : mmOf(p);
    }

    // ---- pages

    private static final Page[] NO_PAGES = new Page[0];
    private static final SwapSlot[] NO_SLOTS = new SwapSlot[0];

    /** Page {@code id}, to change: copied into this state first if it is still shared. */
    public Page page(int id) {
        Page p = pageView(id);
        if (p.owner != owner) {
            p = p.copy();
            p.owner = owner;
            writablePages(0)[id] = p;
        }
        return p;
    }

    /** Page {@code id}, only to read (it may be shared with other states). */
    public Page pageView(int id) {
        Page p = pageAt(id);
        if (p == null) throw new IllegalStateException("no page#" + id);
        return p;
    }

    /** Page {@code id} if it is live, else null; only to read. */
    public Page pageAt(int id) {
        return id >= 0 && id < pageTable.length ? pageTable[id] : null;
    }

    /** Ids of live pages are below this bound. */
    public int pageIdBound() {
        return pageTable.length;
    }

    public int pageCount() {
        return pageCount;
    }

    /** The live pages in id (allocation) order, as a new list: for tests and traces, not hot paths. */
    public List<Page> pages() {
        return live(pageTable, pageCount);
    }

    private static <T> List<T> live(T[] table, int count) {
        List<T> l = new ArrayList<>(count);
        for (T t : table) if (t != null) l.add(t);
        return l;
    }

    /** The page table, this state's own and at least {@code size} long. */
    private Page[] writablePages(int size) {
        if (!ownPages || pageTable.length < size) {
            pageTable = Arrays.copyOf(pageTable, Math.max(pageTable.length, size));
            ownPages = true;
        }
        return pageTable;
    }

    private SwapSlot[] writableSlots(int size) {
        if (!ownSlots || slotTable.length < size) {
            slotTable = Arrays.copyOf(slotTable, Math.max(slotTable.length, size));
            ownSlots = true;
        }
        return slotTable;
    }

    /** A fresh page as the page allocator hands it out: one reference, held by the caller. */
    public Page allocPage(int content) {
        Page p = new Page(nextPageId++);
        p.refcount = 1;
        p.content = content;
        adopt(p);
        return p;
    }

    /** Adds a page (new, or rebuilt by {@link StateCodec}), owned by this state. */
    void adopt(Page p) {
        p.owner = owner;
        writablePages(nextPageId)[p.id] = p;
        pageCount++;
    }

    /** Adds a slot (new, or rebuilt by {@link StateCodec}), owned by this state. */
    void adopt(SwapSlot sl) {
        sl.owner = owner;
        writableSlots(nextSlotId)[sl.id] = sl;
        slotCount++;
    }

    /** Drop one reference (put_page / folio_put); the page is freed when none is left. */
    public void putPage(Page p) {
        p.refcount--;
        if (p.refcount <= 0 && pageAt(p.id) == p) {
            writablePages(0)[p.id] = null;
            pageCount--;
        }
    }

    public boolean isLive(int pageId) {
        return pageAt(pageId) != null;
    }

    // ---- swap slots

    /** Slot {@code id}, to change: copied into this state first if it is still shared. */
    public SwapSlot slot(int id) {
        SwapSlot s = slotView(id);
        if (s.owner != owner) {
            s = s.copy();
            s.owner = owner;
            writableSlots(0)[id] = s;
        }
        return s;
    }

    /** Slot {@code id}, only to read. */
    public SwapSlot slotView(int id) {
        SwapSlot s = slotAt(id);
        if (s == null) throw new IllegalStateException("no slot#" + id);
        return s;
    }

    /** Slot {@code id} if it is in use, else null; only to read. */
    public SwapSlot slotAt(int id) {
        return id >= 0 && id < slotTable.length ? slotTable[id] : null;
    }

    /** Ids of used slots are below this bound. */
    public int slotIdBound() {
        return slotTable.length;
    }

    public int slotCount() {
        return slotCount;
    }

    /** The used slots in id order, as a new list: for tests and traces, not hot paths. */
    public List<SwapSlot> slots() {
        return live(slotTable, slotCount);
    }

    /** A free slot: the lowest free offset, as the allocator of a fresh device hands them out. */
    public SwapSlot allocSlot() {
        int id = 0;
        while (id < nextSlotId && slotAt(id) != null) id++;
        if (id == nextSlotId) nextSlotId++;
        SwapSlot s = new SwapSlot(id);
        adopt(s);
        return s;
    }

    /** Free the slot once neither swap PTEs, the swap cache nor a claim use it. */
    public void maybeFreeSlot(SwapSlot s) {
        if (s.count == 0 && !s.hasCache && !s.claimed && slotAt(s.id) == s) {
            writableSlots(0)[s.id] = null;
            slotCount--;
        }
    }

    public boolean isSlotUsed(int slotId) {
        return slotAt(slotId) != null;
    }

    /** The swap-cache page of a slot, to change, or null. */
    public Page swapCachePage(int slotId) {
        Page p = swapCachePageView(slotId);
        return p == null ? null : page(p.id);
    }

    /** The swap-cache page of a slot, only to read, or null. */
    public Page swapCachePageView(int slotId) {
        Page[] t = pageTable;
        for (int i = 0; i < t.length; i++) {
            Page p = t[i];
            if (p != null && p.swapcache && p.swapSlot == slotId) return p;
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
