package org.mmcheck.variant;

/**
 * The v2 posting of "mm/swap: remember PG_anon_exclusive via a swp pte bit" (never merged as such): the
 * SWP_STABLE_WRITES test in do_swap_page was inverted, caught in review on 13 Apr 2022.
 */
public final class Part3V2 extends V5_19 {
    @Override
    public String name() {
        return "part3-v2";
    }

    // part3-v2 mm/memory.c do_swap_page: "!(flags & SWP_STABLE_WRITES)" — the inverted test.
    @Override
    public boolean dropExclusiveUnderWriteback(boolean stableWrites) {
        return !stableWrites;
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("5.19", "5.19");
    }

    @Override
    public boolean mainline() {
        return false;
    }
}
