package org.mmcheck.kernel;

import org.mmcheck.model.Page;
import org.mmcheck.model.SwapDevice;

/**
 * mm/vmscan.c: one reclaim pass over one anonymous page, with references ignored (as for MADV_PAGEOUT
 * and the litmus reclaim statement); every step may fail for a cause present in the state.
 *
 * <p>A pass has two halves so that other actors can run while the page is locked in the swap cache
 * but still mapped — the window of the 5.9–5.18 pin race (a pin taken after the maybe-pinned check):
 * {@link #shrinkFolioListBegin} locks the page and adds it to the swap cache;
 * {@link #shrinkFolioListFinish} unmaps it, starts writeback or frees it, and unlocks it.
 */
public final class Vmscan {
    private final Kernel k;

    Vmscan(Kernel k) {
        this.k = k;
    }

    /** A whole pass in one step (MADV_PAGEOUT from the process itself). */
    public void shrinkFolioList(Page page) {
        if (shrinkFolioListBegin(page)) shrinkFolioListFinish(page);
    }

    /**
     * The first half of a pass.
     *
     * @return true when the page is now locked and the second half must run
     */
    // 5.19 mm/vmscan.c shrink_page_list: trylock, writeback and pin checks, add_to_swap.
    public boolean shrinkFolioListBegin(Page page) {
        k.log("shrink_folio_list: %s", page);
        k.trace.enter();
        try {
            if (!k.trylockPage(page)) return false;
            if (page.writeback) {
                k.log("under writeback -> keep");
                return false;
            }
            if (!page.swapcache) {
                if (k.policy.reclaimSkipsMaybePinned() && page.maybeDmaPinned()) {
                    k.log("folio_maybe_dma_pinned -> keep");
                    return false;
                }
                if (!k.swapState.addToSwap(page)) return false;
            }
            page.locked = true;
            return true;
        } finally {
            k.trace.leave();
        }
    }

    /**
     * Whether {@link #shrinkFolioListBegin} would give up on the page before changing anything (it is
     * locked, under writeback, maybe pinned where that counts, or needs a slot and swap is off). Reads
     * only: background reclaim asks first instead of copying the state for a pass that does nothing.
     * Keep in step with the refusals above.
     */
    public boolean shrinkFolioListRefuses(Page page) {
        if (page.locked || page.writeback) return true;
        if (page.swapcache) return false;
        return (k.policy.reclaimSkipsMaybePinned() && page.maybeDmaPinned()) || !k.s.swap.usable()
                || k.s.slotCount() >= SwapDevice.SLOTS;
    }

    // 5.19 mm/vmscan.c shrink_page_list, second half: try_to_unmap, pageout or __remove_mapping, unlock.
    public void shrinkFolioListFinish(Page page) {
        k.log("shrink_folio_list (cont.): %s", page);
        k.trace.enter();
        try {
            if (page.mapcount > 0 && !k.rmap.tryToUnmap(page)) {
                k.log("still mapped -> keep");
            } else if (page.dirty) {
                pageout(page);
            } else {
                removeMapping(page);
            }
        } finally {
            page.locked = false;
            k.trace.leave();
        }
    }

    // 5.19 mm/vmscan.c pageout: write a dirty, unmapped swap-cache page unless someone else holds it.
    private void pageout(Page page) {
        if (!isPageCacheFreeable(page)) {
            k.log("pageout: refcount=%d, someone else holds the page -> keep", page.refcount);
            return;
        }
        k.pageIo.swapWritepage(page);
        // The write already finished (a SYNCHRONOUS_IO device): the page is clean and not under
        // writeback, so this same pass may drop it from the swap cache.
        if (!page.writeback && !page.dirty) {
            k.log("pageout: synchronous write done -> try to free the page now");
            removeMapping(page);
        }
    }

    // 5.19 mm/vmscan.c is_page_cache_freeable: only the swap cache (and our isolation) hold the page.
    private boolean isPageCacheFreeable(Page page) {
        return page.refcount == (page.swapcache ? 1 : 0);
    }

    // 5.19 mm/vmscan.c __remove_mapping: free a clean, unmapped swap-cache page nobody else holds.
    private void removeMapping(Page page) {
        if (page.mapcount > 0 || page.refcount != 1 || !page.swapcache) {
            k.log("__remove_mapping: refcount=%d -> cannot freeze, keep", page.refcount);
            return;
        }
        k.log("__remove_mapping: clean page#%d dropped from the swap cache", page.id);
        k.swapState.deleteFromSwapCache(page);
    }
}
