package org.mmcheck.kernel;

import org.mmcheck.model.Page;

/** mm/vmscan.c: one reclaim pass over one anonymous page. */
public final class Vmscan {
    private final Kernel k;

    Vmscan(Kernel k) {
        this.k = k;
    }

    /**
     * One pass of shrink_folio_list over one page with its references ignored (as for MADV_PAGEOUT and
     * for the litmus reclaim statement); every step may fail for a cause present in the state.
     */
    // 5.19 mm/vmscan.c shrink_page_list (shrink_folio_list since 6.0).
    public void shrinkFolioList(Page page) {
        k.log("shrink_folio_list: %s", page);
        k.trace.enter();
        try {
            if (page.writeback) {
                k.log("under writeback -> keep");
                return;
            }
            if (!page.swapcache) {
                if (k.policy.reclaimSkipsMaybePinned() && page.maybeDmaPinned()) {
                    k.log("folio_maybe_dma_pinned -> keep");
                    return;
                }
                if (!k.swapState.addToSwap(page)) return;
            }
            if (page.mapcount > 0 && !k.rmap.tryToUnmap(page)) {
                k.log("still mapped -> keep");
                return;
            }
            if (page.dirty) {
                pageout(page);
                return;
            }
            removeMapping(page);
        } finally {
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
