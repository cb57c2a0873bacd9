package org.mmcheck.variant;

import org.mmcheck.kernel.Kernel;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;

/**
 * Linux 5.19 and later ("COW fixes part 2 and 3"): PG_anon_exclusive decides reuse, the swap PTE keeps
 * the marker across swap-out, fork copies possibly pinned exclusive pages.
 */
public class V5_19 implements KernelPolicy {
    @Override
    public String name() {
        return "5.19";
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

    // 5.19 mm/mprotect.c: private PTEs stay R/O (6.0 added the exclusive-page shortcut).
    @Override
    public boolean mprotectMayMapWritable(Page page) {
        return false;
    }

    // 5.19 mm/memory.c do_swap_page: under writeback, a stable-writes device needs the marker dropped.
    @Override
    public boolean dropExclusiveUnderWriteback(boolean stableWrites) {
        return stableWrites;
    }

    // 5.19 mm/vmscan.c shrink_page_list: folio_maybe_dma_pinned pages are kept.
    @Override
    public boolean reclaimSkipsMaybePinned() {
        return true;
    }

    // 5.19 mm/internal.h gup_must_unshare: R/O pins need an exclusive anonymous page.
    @Override
    public boolean gupMustUnshare(boolean pin, boolean write, Page page) {
        return pin && !write && page != null && !page.anonExclusive;
    }
}
