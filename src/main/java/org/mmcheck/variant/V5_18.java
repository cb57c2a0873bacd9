package org.mmcheck.variant;

import org.mmcheck.kernel.Kernel;
import org.mmcheck.model.Page;
import org.mmcheck.model.SwapSlot;

/**
 * Linux 5.18 ("COW fixes part 1"): refcount-based reuse in do_wp_page (freeing the swap cache first)
 * and in do_swap_page (c145e0b47c77); reuse_swap_page is gone.
 */
public class V5_18 extends V5_11 {
    @Override
    public String name() {
        return "5.18";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("5.18", "5.18");
    }

    // 5.14 mm/memory.c do_swap_page: get_swap_device before the lookup (2799e77529c2); 5.18 is the first
    // variant after it (5.11 stands for 5.11 as released).
    @Override
    public boolean swapInGetsSwapDevice() {
        return true;
    }

    // 5.18 mm/memory.c do_wp_page: the wp_can_reuse_anon_folio test without the exclusive marker.
    @Override
    public boolean wpCanReuse(Kernel k, Page page) {
        return k.memory.wpCanReuseAnonFolio(page);
    }

    // 5.18 mm/memory.c do_swap_page: swap_free, maybe free the swap cache, then refcount 1 or fresh page.
    @Override
    public boolean swapInReuse(Kernel k, Page page, boolean fresh, boolean swpExclusive, SwapSlot slot,
                               boolean write) {
        k.swapfile.swapFree(slot);
        if (k.memory.shouldTryToFreeSwap(page, write)) k.swapfile.tryToFreeSwap(page);
        boolean reuse = write && !page.ksm && (fresh || page.refcount == 1);
        k.log("do_swap_page: %s refcount=%d -> %s", fresh ? "fresh page," : "", page.refcount,
                reuse ? "reuse" : "map R/O");
        return reuse;
    }
}
