package org.mmcheck.check;

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
 */
public final class Invariants {
    private Invariants() {}

    public static void check(KState s, KernelPolicy policy, FlagSink sink) {
        boolean excl = policy.hasAnonExclusive();
        for (Page page : s.pages) {
            int mapped = s.ptesMapping(page.id);
            int expected = mapped + (page.swapcache ? 1 : 0) + page.gets + page.pins * Page.PIN_BIAS;
            if (page.refcount != expected || page.mapcount != mapped) {
                sink.raise(Flags.REFCOUNT, String.format("page#%d refcount=%d mapcount=%d but %d PTE(s)"
                        + " + swapcache %d + gets %d + pins %d*%d", page.id, page.refcount, page.mapcount, mapped,
                        page.swapcache ? 1 : 0, page.gets, page.pins, Page.PIN_BIAS));
            }
            if (excl) {
                int swapUsers = page.swapcache ? s.swapPtesFor(page.swapSlot) : 0;
                if (page.anonExclusive && (mapped > 1 || swapUsers > 0)) {
                    sink.raise(Flags.EXCLUSIVE_SHARED, String.format(
                            "page#%d is anon-exclusive but mapped by %d PTE(s) and named by %d swap PTE(s)",
                            page.id, mapped, swapUsers));
                }
                if (page.pins > 0 && !page.anonExclusive) {
                    sink.raise(Flags.PINNED_NOT_EXCLUSIVE, "page#" + page.id + " is pinned but not anon-exclusive");
                }
                if (page.ksm && page.anonExclusive) {
                    sink.raise(Flags.KSM_EXCLUSIVE, "KSM page#" + page.id + " is anon-exclusive");
                }
            }
        }
        for (Proc pr : s.procs) {
            if (!pr.hasMm()) continue;
            for (Pte t : pr.ptes) {
                if (excl && t.mapsPage() && t.write() && !s.page(t.target()).anonExclusive) {
                    sink.raise(Flags.WRITABLE_NOT_EXCLUSIVE,
                            "writable PTE maps page#" + t.target() + ", which is not anon-exclusive");
                }
                if (policy.hasSwpExclusiveBit() && t.isSwap() && t.exclusive()) {
                    SwapSlot slot = s.slot(t.target());
                    Page cache = s.swapCachePage(slot.id);
                    if (slot.count != 1 || s.swapPtesFor(slot.id) != 1 || (cache != null && cache.mapcount > 0)) {
                        sink.raise(Flags.SWP_EXCLUSIVE_SHARED, String.format(
                                "exclusive swap PTE for slot#%d, but count=%d, swap PTEs=%d, cache mapped=%d",
                                slot.id, slot.count, s.swapPtesFor(slot.id), cache == null ? 0 : cache.mapcount));
                    }
                }
            }
        }
        for (SwapSlot slot : s.slots) {
            int users = s.swapPtesFor(slot.id);
            boolean cached = s.swapCachePage(slot.id) != null;
            if (slot.count != users || slot.hasCache != cached) {
                sink.raise(Flags.SWAP_COUNT, String.format("slot#%d count=%d has-cache=%b but %d swap PTE(s), cache page %b",
                        slot.id, slot.count, slot.hasCache, users, cached));
            }
        }
    }
}
