package org.mmcheck.kernel;

import org.mmcheck.model.Page;
import org.mmcheck.model.SwapSlot;

/** mm/page_io.c: swap writeback. */
public final class PageIo {
    private final Kernel k;

    PageIo(Kernel k) {
        this.k = k;
    }

    // 5.19 mm/page_io.c swap_writepage -> __swap_writepage: start writeback of the page's current data.
    public void swapWritepage(Page page) {
        SwapSlot slot = k.s.slot(page.swapSlot);
        page.dirty = false;
        page.writeback = true;
        slot.writing = page.content;
        k.log("swap_writepage: page#%d -> slot#%d, writeback started (data=%d), page unlocked",
                page.id, slot.id, page.content);
        // A SWP_SYNCHRONOUS_IO device (zram) completes the write before swap_writepage returns.
        if (k.s.swap.syncIo()) endSwapBioWrite(page);
    }

    // 5.19 mm/page_io.c end_swap_bio_write: the I/O finished; the slot now holds what was written.
    public void endSwapBioWrite(Page page) {
        SwapSlot slot = k.s.slot(page.swapSlot);
        page.writeback = false;
        slot.content = slot.writing;
        slot.writing = -1;
        k.log("end_swap_bio_write: page#%d written to slot#%d (data=%d), writeback cleared", page.id, slot.id,
                slot.content);
    }
}
