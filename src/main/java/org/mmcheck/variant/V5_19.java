package org.mmcheck.variant;

import org.mmcheck.kernel.Kernel;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.SwapSlot;

/**
 * Linux 5.19 ("COW fixes part 2 and 3"): PG_anon_exclusive decides reuse, the swap PTE keeps
 * the marker across swap-out, fork copies possibly pinned exclusive pages.
 */
public class V5_19 extends V5_18 {
    @Override
    public String name() {
        return "5.19";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("5.19", "5.19");
    }

    @Override
    public boolean hasAnonExclusive() {
        return true;
    }

    @Override
    public boolean hasSwpExclusiveBit() {
        return true;
    }

    // 5.19 mm/memory.c do_wp_page: an exclusive page is reused without looking at counts.
    @Override
    public boolean wpCanReuse(Kernel k, Page page) {
        if (page.anonExclusive) {
            k.log("PageAnonExclusive(page#%d) -> reuse", page.id);
            return true;
        }
        return k.memory.wpCanReuseAnonFolio(page);
    }

    // 5.19 mm/memory.c page_needs_cow_for_dma, checked by page_try_dup_anon_rmap.
    @Override
    public boolean forkMustCopy(Proc parent, Page page) {
        return page.anonExclusive && parent.hasPinned && page.maybeDmaPinned();
    }

    // 5.19 mm/memory.c do_swap_page: under writeback, a stable-writes device needs the marker dropped.
    @Override
    public boolean dropExclusiveUnderWriteback(boolean stableWrites) {
        return stableWrites;
    }


    // 5.19 mm/internal.h gup_must_unshare: R/O pins need an exclusive anonymous page.
    @Override
    public boolean gupMustUnshare(boolean pin, boolean write, boolean longterm, Page page) {
        return pin && !write && page != null && !page.anonExclusive;
    }

    // 5.19 mm/memory.c do_swap_page: the swap PTE's exclusive bit, a fresh page, or refcount 1.
    @Override
    public boolean swapInReuse(Kernel k, Page page, boolean fresh, boolean swpExclusive, SwapSlot slot,
                               boolean write) {
        boolean exclusive = false;
        if (!page.ksm) {
            exclusive = swpExclusive;
            if (fresh) {
                exclusive = true;
                k.log("fresh page, never in the swap cache -> exclusive");
            } else if (exclusive && page.writeback) {
                // Asked through k.policy, not this: a variant patched as data wraps this object.
                boolean drop = k.policy.dropExclusiveUnderWriteback(k.s.swap.stableWrites());
                k.log("exclusive swp PTE, page#%d under writeback, device %s SWP_STABLE_WRITES -> %s",
                        page.id, k.s.swap.stableWrites() ? "has" : "lacks", drop ? "drop exclusive" : "keep exclusive");
                if (drop) exclusive = false;
            }
        }
        k.swapfile.swapFree(slot);
        if (k.memory.shouldTryToFreeSwap(page, write)) k.swapfile.tryToFreeSwap(page);
        if (!page.ksm && (exclusive || page.refcount == 1)) {
            k.log("%s -> RMAP_EXCLUSIVE%s", exclusive ? "exclusive" : "refcount=1",
                    write ? ", map writable for the write" : "");
            return true;
        }
        k.log("not exclusive (refcount=%d) -> map R/O", page.refcount);
        return false;
    }
}
