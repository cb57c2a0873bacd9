package org.mmcheck.kernel;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mmcheck.check.Entitlements;
import org.mmcheck.check.Invariants;
import org.mmcheck.check.StableWrites;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.model.Vma;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.V5_19;

/**
 * A tiny hand-driven kernel for unit tests: N processes, M named pages. P0 is running and has the
 * default private anonymous VMA (PROT_READ|PROT_WRITE) for every page and is entitled to 0 there, like
 * the initial state of a litmus test; the other processes exist but have not been forked yet.
 *
 * <p>Every operation runs on a fresh {@link Kernel} over the same state, with a recording trace (the
 * last one is kept in {@link #trace}) and a write monitor that raises stable-write into {@link #flags}.
 */
public final class KernelFixture {
    /** Collects flag ids (and the reasons, for failure messages). */
    public static final class RecordingSink implements FlagSink {
        public final Set<String> ids = new LinkedHashSet<>();
        public final List<String> reasons = new ArrayList<>();

        @Override
        public void raise(String flagId, String why) {
            ids.add(flagId);
            reasons.add(flagId + ": " + why);
        }
    }

    public final KState s;
    public final KernelPolicy policy;
    public final RecordingSink flags = new RecordingSink();
    public Trace trace = Trace.recording();

    private KernelFixture(KState s, KernelPolicy policy) {
        this.s = s;
        this.policy = policy;
    }

    public static KernelFixture of(int nProcs, int nPages) {
        return of(nProcs, nPages, new V5_19(), new SwapDevice(true, false, false, true));
    }

    public static KernelFixture of(int nProcs, int nPages, KernelPolicy policy, SwapDevice swap) {
        Proc[] procs = new Proc[nProcs];
        for (int i = 0; i < nProcs; i++) procs[i] = new Proc(2, nPages);
        KState s = new KState(procs, 0, 2, swap);
        procs[0].status = Proc.Status.RUNNING;
        for (int x = 0; x < nPages; x++) {
            procs[0].vmas[x] = Vma.DEFAULT;
            procs[0].mutableEnt().set(x, 0, false);
        }
        return new KernelFixture(s, policy);
    }

    /** A fresh kernel over the state, with a fresh recording trace. */
    public Kernel kernel() {
        trace = Trace.recording();
        return new Kernel(s, policy, trace, new StableWrites(flags));
    }

    /** The lines the last operation logged, joined. */
    public String traceText() {
        return String.join("\n", trace.lines());
    }

    public Memory.Fault fault(int p, int x, boolean write) {
        return kernel().memory.handleMmFault(p, x, write, false);
    }

    public Memory.Fault unshareFault(int p, int x) {
        return kernel().memory.handleMmFault(p, x, false, true);
    }

    /** A user store: fault for write, write the value, update the entitlement. */
    public Memory.Fault store(int p, int x, int v) {
        Kernel k = kernel();
        Memory.Fault f = k.memory.handleMmFault(p, x, true, false);
        if (f == Memory.Fault.OK) {
            k.writePage(k.s.page(k.pte(p, x).target()), v, "P" + p + "'s store");
            Entitlements.onStore(s, p, x, v);
        }
        return f;
    }

    /** A user load: fault for read and return what the PTE maps (0 for the zero page); -1 on SIGSEGV. */
    public int load(int p, int x) {
        Kernel k = kernel();
        if (k.memory.handleMmFault(p, x, false, false) == Memory.Fault.SIGSEGV) return -1;
        Pte t = k.pte(p, x);
        return t.isZeroPage() ? 0 : s.page(t.target()).content;
    }

    /** fork(): the child starts running with a copy of the parent's address space and entitlements. */
    public void fork(int parent, int child) {
        Kernel k = kernel();
        s.procs[child].status = Proc.Status.RUNNING;
        k.fork.dupMmap(parent, child);
        Entitlements.onFork(s, parent, child);
    }

    public void exit(int p) {
        kernel().mmap.exitMmap(p);
        for (int x = 0; x < s.procs[p].vmas.length; x++) Entitlements.onUnmap(s, p, x);
        s.procs[p].status = Proc.Status.EXITED;
    }

    public Pte pte(int p, int x) {
        return s.procs[p].ptes[x];
    }

    public void setPte(int p, int x, Pte t) {
        s.procs[p].ptes[x] = t;
    }

    /** The page P p maps at x (fails if none). */
    public Page page(int p, int x) {
        Pte t = pte(p, x);
        if (!t.mapsPage()) throw new AssertionError("P" + p + " maps no page at " + x + ": " + t.describe());
        return s.page(t.target());
    }

    public Vma vma(int p, int x) {
        return s.procs[p].vmas[x];
    }

    /** Flag ids the kernel invariants raise on the current state. */
    public Set<String> invariants() {
        RecordingSink sink = new RecordingSink();
        Invariants.check(s, policy, sink);
        return sink.ids;
    }

    /** Reasons the invariants give, for failure messages. */
    public String invariantReasons() {
        RecordingSink sink = new RecordingSink();
        Invariants.check(s, policy, sink);
        return String.join("\n", sink.reasons);
    }

    // ---- swap, GUP and KSM helpers (added for SwapPathsTest, GupTest, KsmTest)

    /** A fixture on a given swap device under the 5.19 policy. */
    public static KernelFixture withSwap(int nProcs, int nPages, SwapDevice swap) {
        return of(nProcs, nPages, new V5_19(), swap);
    }

    /** A swap device that is present and enabled, with the given flags. */
    public static SwapDevice swapDevice(boolean stableWrites, boolean syncIo) {
        return new SwapDevice(true, stableWrites, syncIo, true);
    }

    /** One shrink_folio_list pass over the page. */
    public void reclaim(Page page) {
        kernel().vmscan.shrinkFolioList(page);
    }

    /** One shrink_folio_list pass over the page P p maps at x. */
    public void reclaim(int p, int x) {
        reclaim(page(p, x));
    }

    /** Background completion of the page's writeback (end_swap_bio_write). */
    public void endWriteback(Page page) {
        kernel().pageIo.endSwapBioWrite(page);
    }

    /**
     * Swap out the page P p maps at x completely: reclaim (unmap, swap cache, writeback), writeback
     * completes, reclaim again (drops the clean page from the swap cache). Returns the slot. On a
     * SYNCHRONOUS_IO device the first pass does it all.
     */
    public SwapSlot swapOutAndFree(int p, int x) {
        Page page = page(p, x);
        reclaim(page);
        if (!s.isLive(page.id)) return slot(p, x);
        endWriteback(page);
        reclaim(page);
        return slot(p, x);
    }

    /** The slot P p's swap PTE at x refers to (fails if the PTE is not a swap PTE). */
    public SwapSlot slot(int p, int x) {
        Pte t = pte(p, x);
        if (!t.isSwap()) throw new AssertionError("P" + p + " has no swap PTE at " + x + ": " + t.describe());
        return s.slot(t.target());
    }

    /** The swap-cache page of the slot P p's swap PTE at x refers to, or null. */
    public Page swapCachePage(int p, int x) {
        return s.swapCachePage(slot(p, x).id);
    }

    /** get_user_pages / pin_user_pages on P p's page x; null when GUP failed. */
    public GupRef gup(int p, int x, boolean pin, boolean write, boolean fast) {
        return kernel().gup.getUserPages(p, x, new Gup.Request(pin, write, false, fast, false));
    }

    /** Drops a GUP reference (unpin_user_page / put_page). */
    public void release(GupRef r) {
        kernel().gup.release(r);
    }

    /** MADV_MERGEABLE on P p's page x. */
    public void mergeable(int p, int x) {
        if (!kernel().madvise.setMergeable(p, x, true)) throw new AssertionError("no VMA");
    }

    /** One ksm_do_scan pass. */
    public void ksmScan() {
        kernel().ksm.ksmDoScan();
    }
}
