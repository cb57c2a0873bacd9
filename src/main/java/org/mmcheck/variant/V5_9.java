package org.mmcheck.variant;

import org.mmcheck.kernel.Kernel;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;

/**
 * Linux 5.9 and 5.10: do_wp_page reuses only at refcount 1 (09854ba94c6a); fork copies pinned pages
 * (70e806e4e645), but GUP-fast is not fenced against fork; reclaim does not look at pins (that came
 * with 5.11); swap-in still uses reuse_swap_page.
 */
public class V5_9 extends V5_7 {
    @Override
    public String name() {
        return "5.9";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("5.9", "5.10");
    }

    // 5.9 mm/memory.c do_wp_page: refcount 1 and mapcount 1, never a KSM page.
    @Override
    public boolean wpCanReuse(Kernel k, Page page) {
        boolean ok = !page.ksm && page.refcount == 1 && k.trylockPage(page) && page.mapcount == 1;
        k.log("do_wp_page: refcount=%d mapcount=%d%s -> %s", page.refcount, page.mapcount,
                page.ksm ? " ksm" : "", ok ? "reuse" : "copy");
        return ok;
    }

    // 5.9 mm/memory.c page_needs_cow_for_dma (copy_present_page): pinned pages of a pinning mm.
    @Override
    public boolean forkMustCopy(Proc parent, Page page) {
        return parent.hasPinned && page.maybeDmaPinned();
    }
}
