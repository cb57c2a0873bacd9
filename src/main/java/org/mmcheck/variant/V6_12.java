package org.mmcheck.variant;

/**
 * Linux 6.11 and later: as 6.8; an exclusive swapped-in page is mapped writable on a read fault too when
 * the VMA is writable (c18160dba5ff), so the first write after swap-in takes no fault.
 */
public class V6_12 extends V6_8 {
    @Override
    public String name() {
        return "6.12";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("6.11", null);
    }

    // 6.11 mm/memory.c do_swap_page: map an exclusive folio writable whatever the fault (c18160dba5ff).
    @Override
    public boolean swapInMapsWritableOnRead() {
        return true;
    }
}
