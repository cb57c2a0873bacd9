package org.mmcheck.variant;

import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;

/**
 * Linux 6.0 and 6.1: as 5.19; mprotect(PROT_WRITE) maps an exclusive anonymous PTE writable at once
 * (64fe24a3e05e), and a FOLL_FORCE write into a read-only private mapping needs an exclusive anonymous
 * page instead of FOLL_COW and a dirty PTE (5535be309971). The GUP-fast ordering of 088b8aa537c2 only
 * shows under lock-level interleaving.
 */
public class V6_1 extends V5_19 {
    @Override
    public String name() {
        return "6.1";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("6.0", "6.1");
    }

    // 6.1 include/linux/rmap.h page_try_share_anon_rmap and mm/gup.c: full barriers between clearing the
    // PTE and checking for pins, and between GUP-fast's grab and its recheck (088b8aa537c2).
    @Override
    public boolean exclusiveClearOrderedWithGupFast() {
        return true;
    }

    // 6.0 mm/mprotect.c can_change_pte_writable: a private PTE may be made writable if it maps an
    // exclusive anonymous page (64fe24a3e05e).
    @Override
    public boolean mprotectMayMapWritable(Page page) {
        return page.anonExclusive && !page.ksm;
    }

    // 6.0 mm/gup.c can_follow_write_pte: FOLL_FORCE writes only into an exclusive anonymous page
    // (5535be309971; FOLL_COW is gone).
    @Override
    public boolean forceWriteMayFollow(Pte pte, Page page, boolean cowed) {
        return page != null && page.anonExclusive;
    }
}
