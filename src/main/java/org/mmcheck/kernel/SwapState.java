package org.mmcheck.kernel;

import org.mmcheck.model.Page;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.model.SwapSlot;

/** mm/swap_state.c: the swap cache. */
public final class SwapState {
    private final Kernel k;

    SwapState(Kernel k) {
        this.k = k;
    }

    // 5.19 mm/swap_state.c add_to_swap: allocate a slot and put the page in the swap cache.
    public boolean addToSwap(Page page) {
        if (!k.s.swap.usable()) {
            k.log("add_to_swap: no usable swap device -> fail");
            return false;
        }
        if (k.s.slotCount() >= SwapDevice.SLOTS) {
            k.log("add_to_swap: no free slot on the device -> fail");
            return false;
        }
        SwapSlot slot = k.s.allocSlot();
        slot.hasCache = true;
        page.swapcache = true;
        page.swapSlot = slot.id;
        page.refcount++;
        page.dirty = true;
        k.log("add_to_swap: page#%d -> swap cache, slot#%d", page.id, slot.id);
        return true;
    }

    // 5.19 mm/swap_state.c delete_from_swap_cache: the cache's reference and SWAP_HAS_CACHE go.
    public void deleteFromSwapCache(Page page) {
        SwapSlot slot = k.s.slot(page.swapSlot);
        page.swapcache = false;
        page.swapSlot = -1;
        slot.hasCache = false;
        k.s.maybeFreeSlot(slot);
        k.s.putPage(page);
        if (k.trace.on()) k.log("delete_from_swap_cache: page#%d leaves the swap cache%s (slot#%d %s)", page.id,
                k.s.isLive(page.id) ? "" : " and is freed", slot.id, k.s.isSlotUsed(slot.id) ? "kept" : "freed");
    }

    // 5.19 mm/swap_state.c free_swap_cache: an unmapped swap-cache page is dropped if possible.
    public void freeSwapCache(Page page) {
        if (page.swapcache && page.mapcount == 0 && k.trylockPage(page)) k.swapfile.tryToFreeSwap(page);
    }

    /**
     * Does this trace line (of {@link #readSwapCacheAsync}) say a slot was read from the device? Only
     * the tail is matched: generations respell the function's name.
     */
    public static boolean readsSlot(String traceLine) {
        return traceLine.contains(READ_LOG);
    }

    private static final String READ_LOG = ") read into new swap-cache page#";

    // 5.19 mm/swap_state.c swapin_readahead -> read_swap_cache_async: read a slot into the swap cache.
    public Page readSwapCacheAsync(SwapSlot slot) {
        Page cached = k.s.swapCachePage(slot.id);
        if (cached != null) return cached;
        Page page = k.s.allocPage(slot.content);
        page.refcount = 1; // the swap cache's reference
        page.swapcache = true;
        page.swapSlot = slot.id;
        slot.hasCache = true;
        k.log("read_swap_cache_async: slot#%d (data=%d" + READ_LOG + "%d", slot.id, slot.content,
                page.id);
        return page;
    }
}
