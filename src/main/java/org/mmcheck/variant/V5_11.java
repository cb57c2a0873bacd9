package org.mmcheck.variant;

/**
 * Linux 5.11 to 5.17: as 5.9, and reclaim skips pages that may be pinned before adding them to swap
 * (feb889fb40fa; racy: a pin taken after the check is missed), and fork raises write_protect_seq so
 * that GUP-fast backs off while it runs (57efa1fe5957).
 */
public class V5_11 extends V5_9 {
    @Override
    public String name() {
        return "5.11";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("5.11", "5.17");
    }

    // 5.11 kernel/fork.c dup_mmap + mm/gup.c lockless_pages_from_mm: write_protect_seq (57efa1fe5957).
    @Override
    public boolean hasWriteProtectSeq() {
        return true;
    }

    // 5.11 mm/vmscan.c shrink_page_list: page_maybe_dma_pinned pages are kept (feb889fb40fa).
    @Override
    public boolean reclaimSkipsMaybePinned() {
        return true;
    }
}
