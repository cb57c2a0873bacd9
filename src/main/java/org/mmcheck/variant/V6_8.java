package org.mmcheck.variant;

/**
 * Linux 6.8 to 6.10: as 6.2; the SYNCHRONOUS_IO path of do_swap_page claims the swap entry with
 * swapcache_prepare before reading it into a private page, and a fault that loses the claim backs out
 * and retries (13ddaf26be32). Under atomic steps nobody can lose the claim; the difference shows under
 * lock-level interleaving.
 */
public class V6_8 extends V6_2 {
    @Override
    public String name() {
        return "6.8";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("6.8", "6.10");
    }

    // 6.8 mm/memory.c do_swap_page: swapcache_prepare on the skip-swapcache path (13ddaf26be32).
    @Override
    public boolean swapInClaimsEntry() {
        return true;
    }
}
