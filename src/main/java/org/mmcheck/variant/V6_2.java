package org.mmcheck.variant;

import org.mmcheck.model.Page;

/**
 * Linux 6.2 to 6.7: as 6.1; a read-only FOLL_LONGTERM pin unshares anything in a COW mapping, the shared
 * zero page included (84209e87c696, 8d6a0ac09a16); KSM unmerge breaks COW with an unshare fault instead
 * of a faked write fault (6cce3314b928).
 */
public class V6_2 extends V6_1 {
    @Override
    public String name() {
        return "6.2";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("6.2", "6.7");
    }

    // 6.2 mm/internal.h gup_must_unshare: a R/O long-term pin of the zero page gets its own page too.
    @Override
    public boolean gupMustUnshare(boolean pin, boolean write, boolean longterm, Page page) {
        if (page == null) return pin && !write && longterm;
        return super.gupMustUnshare(pin, write, longterm, page);
    }

    // 6.2 mm/ksm.c break_ksm: FAULT_FLAG_UNSHARE (6cce3314b928).
    @Override
    public boolean ksmBreaksByUnshare() {
        return true;
    }
}
