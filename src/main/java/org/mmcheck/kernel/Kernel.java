package org.mmcheck.kernel;

import org.mmcheck.model.InFlight;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.variant.FunctionNames;
import org.mmcheck.variant.KernelPolicy;

/**
 * One step's view of the kernel: the state being changed, the variant's policy, the trace, and the
 * kernel files as objects whose methods are named after the kernel functions they model.
 */
public final class Kernel {
    public KState s;
    public final KernelPolicy policy;
    public Trace trace;
    public KernelMonitor monitor;

    public final Memory memory;
    /** mm/memory.c's fault paths split where they drop the PT lock (interleave ptlock). */
    public final MemoryStaged staged;
    public final Rmap rmap;
    public final Fork fork;
    public final Mmap mmap;
    public final Madvise madvise;
    public final Mprotect mprotect;
    public final Swapfile swapfile;
    public final SwapState swapState;
    public final Vmscan vmscan;
    public final PageIo pageIo;
    public final Gup gup;
    /** GUP-fast in stages (interleave ptlock). */
    public final GupStaged gupStaged;
    public final Ksm ksm;
    /** How this generation spells the functions the trace names. */
    private final FunctionNames names;

    public Kernel(KState s, KernelPolicy policy, Trace trace, KernelMonitor monitor) {
        this.s = s;
        this.policy = policy;
        this.trace = trace;
        this.monitor = monitor;
        this.memory = new Memory(this);
        this.staged = new MemoryStaged(this);
        this.rmap = new Rmap(this);
        this.fork = new Fork(this);
        this.mmap = new Mmap(this);
        this.madvise = new Madvise(this);
        this.mprotect = new Mprotect(this);
        this.swapfile = new Swapfile(this);
        this.swapState = new SwapState(this);
        this.vmscan = new Vmscan(this);
        this.pageIo = new PageIo(this);
        this.gup = new Gup(this);
        this.gupStaged = new GupStaged(this);
        this.ksm = new Ksm(this);
        this.names = FunctionNames.of(policy.kernels().first());
    }

    /**
     * Points this kernel at another state for the next step. The kernel-file objects hold no state of
     * their own, so one Kernel per thread serves every step (the hot path allocates no kernels).
     */
    public Kernel reset(KState state, Trace t, KernelMonitor m) {
        this.s = state;
        this.actor = -1;
        this.missSpeculativeGrabs = false;
        this.speculationMattered = false;
        this.trace = t;
        this.monitor = m;
        return this;
    }

    /*
     * Memory ordering before 088b8aa537c2 (6.1): a path that clears the PTE and then checks for pins may
     * miss a GUP-fast grab made just before, while that GUP-fast's recheck misses the clear. Which of
     * the two the hardware gives is not the model's to choose: a step in which the answer of such a
     * check depends on it is explored both ways (LitmusModel).
     */

    /** This step's choice: the pin checks of clearing paths miss speculative GUP-fast grabs. */
    public boolean missSpeculativeGrabs;
    /** Set when a check's answer depended on {@link #missSpeculativeGrabs}. */
    public boolean speculationMattered;

    /**
     * The refcount that a path clearing PG_anon_exclusive sees after clearing the PTE: all of it, or
     * (before 6.1, on this step's choice) without the grabs of GUP-fast calls that have not rechecked.
     */
    public int refcountSeenAfterClear(Page page) {
        // Only where PG_anon_exclusive exists does this check decide exclusivity (5.19 on); older KSM and
        // reclaim checks are left sequentially consistent (on x86 the TLB-flush IPI orders them anyway).
        if (policy.exclusiveClearOrderedWithGupFast() || !policy.hasAnonExclusive()) return page.refcount;
        int spec = 0;
        for (InFlight f : s.inflight) {
            if (f != null && f.path() == InFlight.Path.GUP_FAST && f.page() == page.id) spec += f.heldRefs();
        }
        if (spec == 0) return page.refcount;
        speculationMattered = true;
        if (!missSpeculativeGrabs) return page.refcount;
        log("no barrier (before 6.1, 088b8aa537c2): the pin check misses GUP-fast's grab on page#%d", page.id);
        for (int a = 0; a < s.inflight.length; a++) {
            InFlight f = s.inflight[a];
            if (f != null && f.path() == InFlight.Path.GUP_FAST && f.page() == page.id) s.setInflight(a, f.withGupStaleView());
        }
        return page.refcount - spec;
    }

    /**
     * Under lock-level interleaving a fork between its two stages holds the PT locks of the parent's and
     * the child's page tables (copy_pte_range takes both); any other path that would change a PTE there
     * (an rmap walk of reclaim, KSM, swapoff) waits for it.
     */
    private void waitForForkPtLock(int mm) {
        InFlight[] in = s.inflight;
        for (int a = 0; a < in.length; a++) {
            InFlight f = in[a];
            if (f != null && f.path() == InFlight.Path.FORK && a != actor && (f.forkParent() == mm || f.forkChild() == mm)) {
                throw new WouldBlock("fork holds the page-table lock of P" + mm);
            }
        }
    }

    /** Process p for writing (copied on first write, see {@link KState#mutableProc}). */
    public Proc proc(int p) {
        return s.mutableProc(p);
    }

    /** Process p for reading only. */
    public Proc procView(int p) {
        return s.procs[p];
    }

    public Pte pte(int p, int x) {
        return s.procs[p].ptes[x];
    }

    /**
     * The process or thread whose step this is, or -1 for a kernel thread or a background event: a
     * fork between its stages holds the page-table locks of the parent and the child, and only the
     * fork itself may write their PTEs (see {@link #setPte}).
     */
    public int actor = -1;

    public void setPte(int p, int x, Pte t) {
        if (s.ptlock) waitForForkPtLock(p);
        s.mutableProc(p).ptes[x] = t;
    }

    /*
     * Logs a line when recording a witness; the message is built only then. The fixed-arity forms
     * exist so that a quiet step allocates nothing: a varargs call builds its array (and boxes) at
     * the call site before log can look at the trace, on every step of every search.
     */

    public void log(String line) {
        if (trace.on()) trace.log(names.respell(line));
    }

    public void log(String fmt, Object a) {
        if (trace.on()) trace.log(names.respell(String.format(fmt, a)));
    }

    public void log(String fmt, Object a, Object b) {
        if (trace.on()) trace.log(names.respell(String.format(fmt, a, b)));
    }

    public void log(String fmt, Object a, Object b, Object c) {
        if (trace.on()) trace.log(names.respell(String.format(fmt, a, b, c)));
    }

    public void log(String fmt, Object a, Object b, Object c, Object d) {
        if (trace.on()) trace.log(names.respell(String.format(fmt, a, b, c, d)));
    }

    public void log(String fmt, Object... args) {
        if (trace.on()) trace.log(names.respell(String.format(fmt, args)));
    }

    /*
     * The page lock. Within one atomic step nobody else runs, so a path that locks and unlocks the page
     * inside its step only needs to know whether someone else holds it across steps: that is only ever
     * a reclaim pass between its two halves (PG_locked set in the state). Such paths call these two.
     */

    // 5.19 include/linux/pagemap.h lock_page (taken and released within the step): sleeps if held.
    public void lockPage(Page page) {
        if (page.locked) throw new WouldBlock("page#" + page.id + " is locked");
    }

    // 5.19 include/linux/pagemap.h trylock_page (taken and released within the step).
    public boolean trylockPage(Page page) {
        if (!page.locked) return true;
        log("trylock_page(page#%d) fails: reclaim holds it", page.id);
        return false;
    }

    /** Writes a value into a page's contents (a user store or a device write). */
    public void writePage(Page page, int value, String who) {
        monitor.beforeWrite(this, page, who);
        page.content = value;
        page.dirty = true;
    }
}
