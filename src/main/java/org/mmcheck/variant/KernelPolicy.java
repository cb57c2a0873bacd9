package org.mmcheck.variant;

import org.mmcheck.kernel.Kernel;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;

/**
 * The decision points where kernel generations differ. The kernel paths exist once (package
 * {@code kernel}); at each point listed here they ask the variant's policy. One small class per
 * generation implements it.
 */
public interface KernelPolicy {

    /** The variant name used on the command line and in expect lines. */
    String name();

    /**
     * The mainline kernels this variant stands for: the first one, and the last one or null when it is
     * the newest generation. A variant that is not a mainline generation (a patch under review, an
     * architecture without a feature) returns the range of the generation it departs from.
     */
    KernelRange kernels();

    /**
     * Whether {@code --variant VERSION} may choose this variant: true for the mainline generations,
     * false for patches under review and architecture-specific variants.
     */
    default boolean mainline() {
        return true;
    }

    /** PG_anon_exclusive exists (5.19+): new anonymous pages are marked exclusive. */
    @Decision(name = "anon_exclusive", function = "folio_add_new_anon_rmap", meaning = "do new anonymous pages carry PG_anon_exclusive (5.19+)?")
    boolean hasAnonExclusive();

    /** Swap PTEs can carry the exclusive bit (__HAVE_ARCH_PTE_SWP_EXCLUSIVE). */
    @Decision(name = "swp_exclusive", function = "try_to_unmap_one", meaning = "can a swap PTE carry the exclusive bit (__HAVE_ARCH_PTE_SWP_EXCLUSIVE)?")
    boolean hasSwpExclusiveBit();

    /**
     * do_wp_page: may the faulting mm reuse the anonymous page in place instead of copying it? May have
     * the side effects the kernel's test has (e.g. dropping the page from the swap cache).
     */
    @Decision(name = "do_wp_page.reuse", function = "do_wp_page", meaning = "may a write fault reuse the page in place instead of copying it?")
    boolean wpCanReuse(Kernel k, Page page);

    /** copy_present_pte (try_dup_anon_rmap): must fork give the child its own copy now (pinned page)? */
    @Decision(name = "copy_present_pte.maybe_pinned", function = "copy_present_pte", meaning = "must fork give the child its own copy of a possibly pinned page?")
    boolean forkMustCopy(Proc parent, Page page);

    /** change_pte_range: may mprotect(PROT_WRITE) make this private PTE writable right away? */
    @Decision(name = "change_pte_range.writable", function = "change_pte_range", meaning = "may mprotect(PROT_WRITE) map this private PTE writable at once?")
    boolean mprotectMayMapWritable(Page page);


    /** shrink_folio_list: skip pages that may be pinned before adding them to swap (5.9+). */
    @Decision(name = "shrink_folio_list.maybe_pinned", function = "shrink_folio_list", meaning = "does reclaim keep a maybe-pinned page out of swap?")
    boolean reclaimSkipsMaybePinned();

    /**
     * gup_must_unshare: must GUP trigger an unshare fault before taking this reference to a page mapped
     * R/O? (5.19+: a read-only FOLL_PIN of a page that is not exclusive; 6.2+: a read-only
     * FOLL_LONGTERM pin of the shared zero page too.)
     *
     * @param page the anonymous page, or null for the shared zero page
     */
    @Decision(name = "gup_must_unshare", function = "gup_must_unshare", meaning = "must GUP unshare this page (or the zero page) before a R/O pin?")
    boolean gupMustUnshare(boolean pin, boolean write, boolean longterm, Page page);

    /**
     * can_follow_write_pte: may a FOLL_FORCE write use this read-only PTE of a mapping without
     * VM_WRITE? Up to 5.19 only once GUP's own COW fault made it dirty (FOLL_COW); from 6.0 only when it
     * maps an exclusive anonymous page.
     *
     * @param cowed GUP already ran the write fault that broke COW (FOLL_COW)
     * @param page  the page mapped, or null for the shared zero page
     */
    @Decision(name = "can_follow_write_pte", function = "can_follow_write_pte", meaning = "may a FOLL_FORCE write use this R/O PTE?")
    boolean forceWriteMayFollow(Pte pte, Page page, boolean cowed);

    /** do_swap_page: is an exclusive swapped-in page mapped writable on a read fault too (6.11+)? */
    @Decision(name = "do_swap_page.writable_on_read", function = "do_swap_page", meaning = "is an exclusive swapped-in page mapped writable on a read fault?")
    boolean swapInMapsWritableOnRead();

    /**
     * do_swap_page: does the SYNCHRONOUS_IO path claim the swap entry (swapcache_prepare) before it
     * reads it into a private page, so that a second fault on the same entry backs out (6.8+)?
     */
    @Decision(name = "do_swap_page.claim", function = "do_swap_page", meaning = "does the SYNCHRONOUS_IO path claim the entry (swapcache_prepare)?")
    boolean swapInClaimsEntry();

    /**
     * Does fork raise the mm's write_protect_seq while it copies page tables, and GUP-fast back off when
     * it is odd or has changed (57efa1fe5957, 5.11+)? Matters under lock-level interleaving only.
     */
    @Decision(name = "dup_mmap.write_protect_seq", function = "dup_mmap", meaning = "does fork raise write_protect_seq so that GUP-fast backs off?")
    boolean hasWriteProtectSeq();

    /**
     * do_swap_page: does it hold the swap device (get_swap_device) from the lookup on, so that swapoff
     * cannot tear the device down under it (2799e77529c2, 5.14)? Matters under lock-level interleaving.
     */
    @Decision(name = "do_swap_page.get_swap_device", function = "do_swap_page", meaning = "does the fault hold the swap device against swapoff?")
    boolean swapInGetsSwapDevice();

    /**
     * Are the paths that clear PG_anon_exclusive after checking for pins (try_to_unmap_one, KSM's
     * write_protect_page) ordered against GUP-fast by full barriers (088b8aa537c2, 6.1)? Without them
     * the pin check can miss a GUP-fast grab while GUP-fast's recheck misses the cleared PTE. Matters
     * under lock-level interleaving, and only where PG_anon_exclusive exists.
     */
    @Decision(name = "gup_fast.barriers", function = "page_try_share_anon_rmap", meaning = "are clearing PG_anon_exclusive and GUP-fast ordered by full barriers?")
    boolean exclusiveClearOrderedWithGupFast();

    /** break_ksm: is COW broken by an unshare fault (6.2+) rather than a faked write fault? */
    @Decision(name = "break_ksm.unshare", function = "break_ksm", meaning = "does KSM break COW by an unshare fault (PTE stays R/O)?")
    boolean ksmBreaksByUnshare();

    /** GUP breaks COW even for read-only requests on COW mappings (5.8 only, 17839856fd58). */
    @Decision(name = "gup.cow_on_read", function = "follow_page_pte", meaning = "does every GUP of a COW page break COW, even for reads?")
    boolean gupBreaksCowOnRead();

    /**
     * do_swap_page: after the page is found (swap-cache hit, readahead, or a fresh page on the
     * SYNCHRONOUS_IO path), decide whether the faulting mm may own it exclusively (and so map it writable
     * on a write fault). Drops this PTE's swap reference ({@code swap_free}) at the point its generation
     * does, and frees the swap cache where it does.
     *
     * @param fresh        the page never was in the swap cache (SYNCHRONOUS_IO path)
     * @param swpExclusive the swap PTE carried the exclusive bit
     */
    /**
     * do_swap_page (5.19+): the swap PTE says exclusive but the page is still under writeback; must the
     * exclusive marker be dropped (so the page is mapped R/O and a write copies it) because the swap
     * device needs stable pages while they are written? Not consulted before 5.19.
     */
    @Decision(name = "do_swap_page.stable_writes", function = "do_swap_page",
            meaning = "drop the exclusive marker of a page under writeback to this swap device?")
    boolean dropExclusiveUnderWriteback(boolean stableWrites);

    // ---- Guards inside the paths. Every generation answers them alike (V5_7); they are named so that a
    // patch (a .variant file) can change them and `mutants` can ask whether a test depends on them.

    /** page_try_share_anon_rmap (5.19+): must unmapping keep a page that may be pinned (and so fail)? */
    @Decision(name = "page_try_share_anon_rmap.maybe_pinned", function = "page_try_share_anon_rmap",
            meaning = "must try_to_unmap_one and KSM keep an exclusive page they find maybe pinned?")
    boolean shareMustFail(boolean maybePinned);

    /** do_swap_page [3/4], interleave ptlock: is the PTE still the swap entry the fault read, so that it may map? */
    @Decision(name = "do_swap_page.pte_same", function = "do_swap_page",
            meaning = "is the PTE still the swap entry the fault read (lock-level tests)?")
    boolean swapInPteSame(boolean same);

    /** wp_page_copy [2/2], interleave ptlock: is the PTE still the one the fault copied from? */
    @Decision(name = "wp_page_copy.pte_same", function = "wp_page_copy",
            meaning = "is the PTE still the one the copy was made from (lock-level tests)?")
    boolean wpCopyPteSame(boolean same);

    /** GUP-fast's recheck, interleave ptlock: is the PTE still the one it read before grabbing the page? */
    @Decision(name = "gup_fast.pte_unchanged", function = "gup_fast_pte_range",
            meaning = "does GUP-fast find the PTE unchanged after grabbing the page (lock-level tests)?")
    boolean gupFastPteUnchanged(boolean unchanged);

    /** try_to_free_swap: a page under writeback cannot leave the swap cache (its slot is being written). */
    @Decision(name = "try_to_free_swap.writeback", function = "try_to_free_swap",
            meaning = "must a page under writeback stay in the swap cache?")
    boolean freeSwapKeepsWriteback(boolean writeback);

    /** copy_nonpresent_pte (5.19+): fork shares a swap entry, so neither PTE may claim it exclusively. */
    @Decision(name = "copy_nonpresent_pte.clear_exclusive", function = "copy_nonpresent_pte",
            meaning = "must fork clear the exclusive bit of a swap PTE it duplicates?")
    boolean forkClearsSwpExclusive(boolean exclusive);

    /** wp_can_reuse_anon_folio: a KSM page is shared by content, never reused in place by a write. */
    @Decision(name = "wp_can_reuse_anon_folio.ksm", function = "wp_can_reuse_anon_folio",
            meaning = "must a write fault copy a KSM page instead of reusing it?")
    boolean wpCopiesKsm(boolean ksm);

    @Decision(name = "do_swap_page.exclusive", function = "do_swap_page", meaning = "may the faulting mm own the swapped-in page exclusively?")
    boolean swapInReuse(Kernel k, Page page, boolean fresh, boolean swpExclusive, SwapSlot slot, boolean write);
}
