package org.mmcheck.kernel;

import org.mmcheck.model.Page;
import org.mmcheck.model.SwapSlot;

/** mm/swapfile.c and mm/swap_state.c: swap counts and the swap cache. */
public final class Swapfile {
    private final Kernel k;

    Swapfile(Kernel k) {
        this.k = k;
    }

    // 5.19 mm/swapfile.c try_to_free_swap (folio_free_swap since 6.0): drop a page from the swap cache.
    public boolean folioFreeSwap(Page page) {
        if (!page.swapcache) return false;
        if (page.writeback) {
            k.log("folio_free_swap: page#%d under writeback -> keep in swap cache", page.id);
            return false;
        }
        SwapSlot slot = k.s.slot(page.swapSlot);
        if (slot.count > 0) {
            k.log("folio_free_swap: slot#%d still used by %d swap PTE(s) -> keep", slot.id, slot.count);
            return false;
        }
        deleteFromSwapCache(page);
        page.dirty = true;
        return true;
    }

    // 5.19 mm/swap_state.c delete_from_swap_cache: the cache's reference and SWAP_HAS_CACHE go.
    public void deleteFromSwapCache(Page page) {
        SwapSlot slot = k.s.slot(page.swapSlot);
        page.swapcache = false;
        page.swapSlot = -1;
        slot.hasCache = false;
        k.s.maybeFreeSlot(slot);
        k.log("delete_from_swap_cache: page#%d leaves the swap cache (slot#%d%s)", page.id, slot.id,
                k.s.slots.contains(slot) ? " kept" : " freed");
        k.s.putPage(page);
    }

    // 5.19 mm/swap_state.c free_swap_cache: an unmapped swap-cache page is dropped if possible.
    public void freeSwapCache(Page page) {
        if (page.swapcache && page.mapcount == 0) folioFreeSwap(page);
    }

    // 5.19 mm/swapfile.c free_swap_and_cache: a swap PTE went away.
    public void freeSwapAndCache(int slotId) {
        SwapSlot slot = k.s.slot(slotId);
        slot.count--;
        k.log("free_swap_and_cache: slot#%d count -> %d", slot.id, slot.count);
        if (slot.count == 0 && slot.hasCache) {
            Page cache = k.s.swapCachePage(slot.id);
            if (cache != null && cache.mapcount == 0) folioFreeSwap(cache);
        }
        k.s.maybeFreeSlot(slot);
    }

    // 5.19 mm/memory.c copy_nonpresent_pte lives with fork's copy; see Memory for present PTEs.
    public void copyNonpresentPte(int parent, int child, int x) {
        throw new UnsupportedOperationException("swap PTEs at fork are not modelled yet");
    }

    // 5.19 mm/memory.c do_swap_page entry point used by handle_mm_fault.
    public void doSwapPageFault(int p, int x, boolean write) {
        throw new UnsupportedOperationException("swap-in is not modelled yet");
    }
}
