package org.mmcheck.check;

import java.util.List;
import org.mmcheck.kernel.FlagSink;
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
     * Per-thread counters and id tables, reused: this runs once per new state and should neither
     * allocate nor search. {@code pageIdx[id]} / {@code slotIdx[id]} give a page's or slot's position
     * in the state's lists, valid while the stamp at {@code id} equals the current epoch.
     */
    private static final class Scratch {
        int[] mapped = new int[8];
        int[] slotOfPage = new int[8];
        int[] swapUsers = new int[8];
        int[] cacheMapped = new int[8];
        boolean[] cached = new boolean[8];
        int[] pageIdx = new int[64];
        int[] pageStamp = new int[64];
        int[] slotIdx = new int[64];
        int[] slotStamp = new int[64];
        int epoch;

        Scratch reset(KState s) {
            int nPages = s.pages.size();
            int nSlots = s.slots.size();
            if (mapped.length < nPages) {
                mapped = new int[nPages * 2];
                slotOfPage = new int[nPages * 2];
            }
            if (swapUsers.length < nSlots) {
                swapUsers = new int[nSlots * 2];
                cacheMapped = new int[nSlots * 2];
                cached = new boolean[nSlots * 2];
            }
            java.util.Arrays.fill(mapped, 0, nPages, 0);
            java.util.Arrays.fill(swapUsers, 0, nSlots, 0);
            java.util.Arrays.fill(cacheMapped, 0, nSlots, 0);
            java.util.Arrays.fill(cached, 0, nSlots, false);
            int ids = Math.max(s.nextPageId, s.nextSlotId);
            if (pageIdx.length < ids) {
                int n = Math.max(ids, pageIdx.length * 2);
                pageIdx = new int[n];
                pageStamp = new int[n];
                slotIdx = new int[n];
                slotStamp = new int[n];
                epoch = 0;
            }
            if (++epoch == 0) {
                java.util.Arrays.fill(pageStamp, 0);
                java.util.Arrays.fill(slotStamp, 0);
                epoch = 1;
            }
            for (int i = 0; i < nPages; i++) {
                int id = s.pages.get(i).id;
                pageIdx[id] = i;
                pageStamp[id] = epoch;
            }
            for (int j = 0; j < nSlots; j++) {
                int id = s.slots.get(j).id;
                slotIdx[id] = j;
                slotStamp[id] = epoch;
            }
            return this;
        }

        int indexOfPage(int id) {
            if (id < 0 || id >= pageStamp.length || pageStamp[id] != epoch) {
                throw new IllegalStateException("PTE maps page#" + id + ", which does not exist");
            }
            return pageIdx[id];
        }

        int indexOfSlot(int id) {
            return id >= 0 && id < slotStamp.length && slotStamp[id] == epoch ? slotIdx[id] : -1;
        }
    }

    private static final ThreadLocal<Scratch> SCRATCH = ThreadLocal.withInitial(Scratch::new);

    public static void check(KState s, KernelPolicy policy, FlagSink sink) {
        boolean excl = policy.hasAnonExclusive();
        List<Page> pages = s.pages;
        List<SwapSlot> slots = s.slots;
        Scratch sc = SCRATCH.get().reset(s);
        int[] mapped = sc.mapped;
        int[] swapUsers = sc.swapUsers;
        int[] cacheMapped = sc.cacheMapped;
        boolean[] cached = sc.cached;
        int[] slotOfPage = sc.slotOfPage;
        for (int i = 0; i < pages.size(); i++) {
            Page page = pages.get(i);
            int j = page.swapcache ? sc.indexOfSlot(page.swapSlot) : -1;
            slotOfPage[i] = j;
            if (j >= 0) {
                cached[j] = true;
                cacheMapped[j] = page.mapcount;
            }
        }
        for (Proc pr : s.procs) {
            if (!pr.hasMm()) continue;
            for (Pte t : pr.ptes) {
                if (t.mapsPage()) {
                    int i = sc.indexOfPage(t.target());
                    mapped[i]++;
                    if (excl && t.write() && !pages.get(i).anonExclusive) {
                        sink.raise(Flags.WRITABLE_NOT_EXCLUSIVE, () ->
                                "writable PTE maps page#" + t.target() + ", which is not anon-exclusive");
                    }
                } else if (t.isSwap()) {
                    swapUsers[sc.indexOfSlot(t.target())]++;
                }
            }
        }
        if (policy.hasSwpExclusiveBit() && !slots.isEmpty()) checkSwpExclusive(s, sc, swapUsers, cacheMapped, sink);
        for (int i = 0; i < pages.size(); i++) {
            checkPage(pages.get(i), mapped[i], slotOfPage[i] < 0 ? 0 : swapUsers[slotOfPage[i]], excl, sink);
        }
        for (int j = 0; j < slots.size(); j++) {
            SwapSlot slot = slots.get(j);
            int users = swapUsers[j];
            boolean hasCachePage = cached[j];
            if (slot.count != users || slot.hasCache != hasCachePage) {
                sink.raise(Flags.SWAP_COUNT, () -> String.format("slot#%d count=%d has-cache=%b but %d swap PTE(s),"
                        + " cache page %b", slot.id, slot.count, slot.hasCache, users, hasCachePage));
            }
        }
    }

    /** @param users swap PTEs naming the slot of the page's swap cache entry (0 if none) */
    private static void checkPage(Page page, int mapped, int users, boolean excl, FlagSink sink) {
        int expected = mapped + (page.swapcache ? 1 : 0) + page.gets + page.pins * Page.PIN_BIAS;
        if (page.refcount != expected || page.mapcount != mapped) {
            sink.raise(Flags.REFCOUNT, () -> String.format("page#%d refcount=%d mapcount=%d but %d PTE(s)"
                    + " + swapcache %d + gets %d + pins %d*%d", page.id, page.refcount, page.mapcount, mapped,
                    page.swapcache ? 1 : 0, page.gets, page.pins, Page.PIN_BIAS));
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
    private static void checkSwpExclusive(KState s, Scratch sc, int[] swapUsers, int[] cacheMapped, FlagSink sink) {
        for (Proc pr : s.procs) {
            if (!pr.hasMm()) continue;
            for (Pte t : pr.ptes) {
                if (!t.isSwap() || !t.exclusive()) continue;
                int j = sc.indexOfSlot(t.target());
                SwapSlot slot = s.slots.get(j);
                int users = swapUsers[j];
                int cacheMaps = cacheMapped[j];
                if (slot.count != 1 || users != 1 || cacheMaps > 0) {
                    sink.raise(Flags.SWP_EXCLUSIVE_SHARED, () -> String.format(
                            "exclusive swap PTE for slot#%d, but count=%d, swap PTEs=%d, cache mapped=%d",
                            slot.id, slot.count, users, cacheMaps));
                }
            }
        }
    }
}
