package org.mmcheck.check;

import java.util.Arrays;
import org.mmcheck.kernel.FlagSink;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.variant.KernelPolicy;

/**
 * The kernel invariants of MODEL.md, checked on every state a step produces. The ones about
 * PG_anon_exclusive and the swap-PTE bit are checked only under variants that have the mechanism.
 * One pass over the page tables gathers the counts; the checks then compare them with the pages and
 * slots (this runs on every transition, so it avoids re-walking the tables per page).
 */
public final class Invariants {
    private Invariants() {}

    /**
     * Per-thread counters indexed by page or slot id, reused: this runs once per new state and should
     * neither allocate nor search.
     */
    private static final class Scratch {
        int[] mapped = new int[64];      // by page id: PTEs mapping it
        int[] held = new int[64];        // by page id: references held by kernel paths in flight
        int[] swapUsers = new int[64];   // by slot id: swap PTEs naming it
        int[] cacheMapped = new int[64]; // by slot id: mapcount of its swap-cache page
        boolean[] cached = new boolean[64]; // by slot id: it has a swap-cache page

        Scratch reset(KState s) {
            int pages = s.pageIdBound();
            int slots = s.slotIdBound();
            if (mapped.length < pages) {
                mapped = new int[pages * 2];
                held = new int[pages * 2];
            }
            if (swapUsers.length < slots) {
                swapUsers = new int[slots * 2];
                cacheMapped = new int[slots * 2];
                cached = new boolean[slots * 2];
            }
            Arrays.fill(mapped, 0, pages, 0);
            Arrays.fill(held, 0, pages, 0);
            Arrays.fill(swapUsers, 0, slots, 0);
            Arrays.fill(cacheMapped, 0, slots, 0);
            Arrays.fill(cached, 0, slots, false);
            return this;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    public static void check(KState s, KernelPolicy policy, FlagSink sink) {
        boolean excl = policy.hasAnonExclusive();
        Scratch sc = SCRATCH.get().reset(s);
        int[] mapped = sc.mapped;
        int[] swapUsers = sc.swapUsers;
        int[] cacheMapped = sc.cacheMapped;
        boolean[] cached = sc.cached;
        int pageBound = s.pageIdBound();
        int slotBound = s.slotIdBound();
        for (int id = 0; id < pageBound; id++) {
            Page page = s.pageAt(id);
            if (page != null && page.swapcache && s.slotAt(page.swapSlot) != null) {
                cached[page.swapSlot] = true;
                cacheMapped[page.swapSlot] = page.mapcount;
            }
        }
        int[] held = sc.held;
        // Only a running actor can be in the middle of a path: what a dead one still "holds" is leaked.
        for (int a = 0; a < s.inflight.length; a++) {
            InFlight f = s.inflight[a];
            if (f != null && f.page() >= 0 && s.procs[a].status == Proc.Status.RUNNING) held[f.page()] += f.heldRefs();
        }
        // A fork between its stages (interleave ptlock) has shared pages whose parent PTE it has not
        // write-protected yet: a transient state inside the PT lock, not a broken invariant.
        int forking = -1;
        for (InFlight f : s.inflight) if (f != null && f.path() == InFlight.Path.FORK) forking = f.forkParent();
        for (int mm = 0; mm < s.procs.length; mm++) {
            Proc pr = s.procs[mm];
            if (!pr.hasMm()) continue;
            boolean wrprotectPending = mm == forking;
            for (Pte t : pr.ptes) {
                if (t.mapsPage()) {
                    Page page = s.pageAt(t.target());
                    if (page == null) {
                        throw new IllegalStateException("PTE maps page#" + t.target() + ", which does not exist");
                    }
                    mapped[t.target()]++;
                    if (excl && t.write() && !page.anonExclusive && !wrprotectPending) {
                        sink.raise(Flags.WRITABLE_NOT_EXCLUSIVE, () ->
                                "writable PTE maps page#" + t.target() + ", which is not anon-exclusive");
                    }
                } else if (t.isSwap()) {
                    if (s.slotAt(t.target()) == null) {
                        throw new IllegalStateException("swap PTE names slot#" + t.target() + ", which is free");
                    }
                    swapUsers[t.target()]++;
                }
            }
        }
        if (policy.hasSwpExclusiveBit() && s.slotCount() > 0) checkSwpExclusive(s, swapUsers, cacheMapped, sink);
        for (int id = 0; id < pageBound; id++) {
            Page page = s.pageAt(id);
            if (page == null) continue;
            boolean inCache = page.swapcache && s.slotAt(page.swapSlot) != null;
            checkPage(page, mapped[id], held[id], inCache ? swapUsers[page.swapSlot] : 0, excl, sink);
        }
        for (int id = 0; id < slotBound; id++) {
            SwapSlot slot = s.slotAt(id);
            if (slot == null) continue;
            int users = swapUsers[id];
            boolean hasCachePage = cached[id];
            if (slot.claimed && !claimedInFlight(s, id)) {
                sink.raise(Flags.SWAP_COUNT, () -> "slot#" + slot.id + " is claimed (swapcache_prepare) by no fault in flight");
            }
            if (slot.count != users || slot.hasCache != hasCachePage) {
                sink.raise(Flags.SWAP_COUNT, () -> String.format("slot#%d count=%d has-cache=%b but %d swap PTE(s),"
                        + " cache page %b", slot.id, slot.count, slot.hasCache, users, hasCachePage));
            }
        }
    }

    /**
     * @param held  references that kernel paths in flight hold (interleave ptlock)
     * @param users swap PTEs naming the slot of the page's swap cache entry (0 if none)
     */
    private static void checkPage(Page page, int mapped, int held, int users, boolean excl, FlagSink sink) {
        int expected = mapped + held + (page.swapcache ? 1 : 0) + page.gets + page.pins * Page.PIN_BIAS;
        if (page.refcount != expected || page.mapcount != mapped) {
            sink.raise(Flags.REFCOUNT, () -> String.format("page#%d refcount=%d mapcount=%d but %d PTE(s)"
                    + " + %d held by paths in flight + swapcache %d + gets %d + pins %d*%d", page.id, page.refcount,
                    page.mapcount, mapped, held, page.swapcache ? 1 : 0, page.gets, page.pins, Page.PIN_BIAS));
        }
        if (!excl) return;
        if (page.anonExclusive && (mapped > 1 || users > 0)) {
            sink.raise(Flags.EXCLUSIVE_SHARED, () -> String.format(
                    "page#%d is anon-exclusive but mapped by %d PTE(s) and named by %d swap PTE(s)",
                    page.id, mapped, users));
        }
        if (page.pins > 0 && !page.anonExclusive) {
            sink.raise(Flags.PINNED_NOT_EXCLUSIVE, () -> "page#" + page.id + " is pinned but not anon-exclusive");
        }
        if (page.ksm && page.anonExclusive) {
            sink.raise(Flags.KSM_EXCLUSIVE, () -> "KSM page#" + page.id + " is anon-exclusive");
        }
    }

    /** A swap PTE with the exclusive bit must be the only user of its slot, whose cache page is unmapped. */
    private static void checkSwpExclusive(KState s, int[] swapUsers, int[] cacheMapped, FlagSink sink) {
        // A fork between its stages (interleave ptlock) has shared pages whose parent PTE it has not
        // write-protected yet: a transient state inside the PT lock, not a broken invariant.
        int forking = -1;
        for (InFlight f : s.inflight) if (f != null && f.path() == InFlight.Path.FORK) forking = f.forkParent();
        for (int mm = 0; mm < s.procs.length; mm++) {
            Proc pr = s.procs[mm];
            if (!pr.hasMm()) continue;
            boolean wrprotectPending = mm == forking;
            for (Pte t : pr.ptes) {
                if (!t.isSwap() || !t.exclusive()) continue;
                SwapSlot slot = s.slotView(t.target());
                int users = swapUsers[slot.id];
                int cacheMaps = cacheMapped[slot.id];
                if (slot.count != 1 || users != 1 || cacheMaps > 0) {
                    sink.raise(Flags.SWP_EXCLUSIVE_SHARED, () -> String.format(
                            "exclusive swap PTE for slot#%d, but count=%d, swap PTEs=%d, cache mapped=%d",
                            slot.id, slot.count, users, cacheMaps));
                }
            }
        }
    }

    /** A running actor's swap-in holds the claim on slot {@code id}. */
    private static boolean claimedInFlight(KState s, int id) {
        for (int a = 0; a < s.inflight.length; a++) {
            InFlight f = s.inflight[a];
            if (f != null && f.claimed() && f.orig().target() == id && s.procs[a].status == Proc.Status.RUNNING) return true;
        }
        return false;
    }
}
