package org.mmcheck.variant;

import org.mmcheck.kernel.Kernel;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;

/**
 * Linux up to 5.7: copy-on-write reuse decided by mapcount + swap count (reuse_swap_page); GUP
 * references are invisible to that decision (CVE-2020-29374). No anon-exclusive marker.
 */
public class V5_7 implements KernelPolicy {
    @Override
    public String name() {
        return "5.7";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("0.0", "5.7");
    }

    // 5.19 include/linux/rmap.h page_try_share_anon_rmap: a maybe-pinned page stays exclusive and mapped.
    @Override
    public boolean shareMustFail(boolean maybePinned) {
        return maybePinned;
    }

    // mm/memory.c do_swap_page: map only if the PTE still holds the entry (pte_same).
    @Override
    public boolean swapInPteSame(boolean same) {
        return same;
    }

    // mm/memory.c wp_page_copy: map the copy only if the PTE is unchanged (pte_same).
    @Override
    public boolean wpCopyPteSame(boolean same) {
        return same;
    }

    // mm/swapfile.c try_to_free_swap: a page still being written keeps its swap-cache place.
    @Override
    public boolean freeSwapKeepsWriteback(boolean writeback) {
        return writeback;
    }

    // mm/memory.c copy_nonpresent_pte: a duplicated swap entry is exclusive to neither mm (5.19+ has the bit).
    @Override
    public boolean forkClearsSwpExclusive(boolean exclusive) {
        return exclusive;
    }

    // mm/memory.c do_wp_page: a KSM page is always copied on write.
    @Override
    public boolean wpCopiesKsm(boolean ksm) {
        return ksm;
    }

    // mm/gup.c gup_pte_range: the PTE must not have changed under the grab.
    @Override
    public boolean gupFastPteUnchanged(boolean unchanged) {
        return unchanged;
    }

    // Not consulted before 5.19: there is no exclusive marker to drop.
    @Override
    public boolean dropExclusiveUnderWriteback(boolean stableWrites) {
        return false;
    }

    @Override
    public boolean hasAnonExclusive() {
        return false;
    }

    @Override
    public boolean hasSwpExclusiveBit() {
        return false;
    }

    // 5.7 mm/memory.c do_wp_page: KSM pages via reuse_ksm_page, others via reuse_swap_page.
    @Override
    public boolean wpCanReuse(Kernel k, Page page) {
        k.lockPage(page); // 5.7 sleeps on the page lock when trylock fails
        if (page.ksm) return k.ksm.reuseKsmPage(page);
        return k.swapfile.reuseSwapPage(page);
    }

    // 5.7 mm/memory.c copy_one_pte: fork always shares.
    @Override
    public boolean forkMustCopy(Proc parent, Page page) {
        return false;
    }

    // 5.7 mm/mprotect.c change_pte_range: private PTEs stay R/O (until 6.0).
    @Override
    public boolean mprotectMayMapWritable(Page page) {
        return false;
    }

    // 5.7 mm/vmscan.c shrink_page_list: no pin check.
    @Override
    public boolean reclaimSkipsMaybePinned() {
        return false;
    }

    @Override
    public boolean gupMustUnshare(boolean pin, boolean write, boolean longterm, Page page) {
        return false;
    }

    // 5.7 mm/gup.c can_follow_write_pte: FOLL_FORCE writes through a R/O PTE once its own COW dirtied it.
    @Override
    public boolean forceWriteMayFollow(Pte pte, Page page, boolean cowed) {
        return cowed && pte.dirty();
    }

    // 5.7 mm/memory.c do_swap_page: only a write fault maps the page writable.
    @Override
    public boolean swapInMapsWritableOnRead() {
        return false;
    }

    // 5.7 mm/memory.c do_swap_page: the SYNCHRONOUS_IO path reads without claiming the entry.
    @Override
    public boolean swapInClaimsEntry() {
        return false;
    }

    // Before 6.1 (088b8aa537c2) no barrier orders the clear of the PTE and the pin check against GUP-fast;
    // it matters from 5.19 on, where that check decides PG_anon_exclusive.
    @Override
    public boolean exclusiveClearOrderedWithGupFast() {
        return false;
    }

    // 5.7 mm/memory.c do_swap_page: the swap device is not pinned against swapoff.
    @Override
    public boolean swapInGetsSwapDevice() {
        return false;
    }

    // 5.7 mm/gup.c lockless_pages_from_mm: GUP-fast does not look at fork at all.
    @Override
    public boolean hasWriteProtectSeq() {
        return false;
    }

    // 5.7 mm/ksm.c break_ksm: a faked write fault (handle_mm_fault with FAULT_FLAG_WRITE).
    @Override
    public boolean ksmBreaksByUnshare() {
        return false;
    }

    @Override
    public boolean gupBreaksCowOnRead() {
        return false;
    }

    // 5.7 mm/memory.c do_swap_page: reuse_swap_page on a write fault, before this PTE's swap_free.
    @Override
    public boolean swapInReuse(Kernel k, Page page, boolean fresh, boolean swpExclusive, SwapSlot slot,
                               boolean write) {
        boolean reuse = write && k.swapfile.reuseSwapPage(page);
        k.swapfile.swapFree(slot);
        return reuse;
    }
}
