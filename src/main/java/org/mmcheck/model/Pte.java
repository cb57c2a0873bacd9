package org.mmcheck.model;

/**
 * A page-table entry: none, present (mapping a page or the shared zero page) or a swap entry. Immutable:
 * the kernel paths replace entries, which keeps copies of the state cheap.
 *
 * @param kind       NONE, PRESENT or SWAP
 * @param target     page id (PRESENT, -1 for the zero page) or swap slot id (SWAP)
 * @param write      the hardware write bit (PRESENT)
 * @param dirty      the dirty bit (PRESENT)
 * @param exclusive  the swap-PTE exclusive bit (SWAP; pte_swp_exclusive)
 * @param softDirty  soft-dirty (PRESENT and SWAP)
 */
public record Pte(Kind kind, int target, boolean write, boolean dirty, boolean exclusive, boolean softDirty) {
    public enum Kind { NONE, PRESENT, SWAP }

    public static final int ZERO_PAGE = -1;
    public static final Pte NONE = new Pte(Kind.NONE, 0, false, false, false, false);

    public static Pte present(int page, boolean write, boolean dirty, boolean softDirty) {
        return new Pte(Kind.PRESENT, page, write, dirty, false, softDirty);
    }

    public static Pte zeroPage() {
        return new Pte(Kind.PRESENT, ZERO_PAGE, false, false, false, false);
    }

    public static Pte swap(int slot, boolean exclusive, boolean softDirty) {
        return new Pte(Kind.SWAP, slot, false, false, exclusive, softDirty);
    }

    public boolean isNone() {
        return kind == Kind.NONE;
    }

    public boolean isPresent() {
        return kind == Kind.PRESENT;
    }

    public boolean isSwap() {
        return kind == Kind.SWAP;
    }

    public boolean isZeroPage() {
        return kind == Kind.PRESENT && target == ZERO_PAGE;
    }

    /** Present and mapping a real (anonymous) page. */
    public boolean mapsPage() {
        return kind == Kind.PRESENT && target != ZERO_PAGE;
    }

    public Pte wrprotect() {
        return new Pte(kind, target, false, dirty, exclusive, softDirty);
    }

    public Pte withSwpExclusive(boolean excl) {
        return new Pte(kind, target, write, dirty, excl, softDirty);
    }

    @Override
    public String toString() {
        return describe();
    }

    public String describe() {
        switch (kind) {
            case NONE:
                return "none";
            case SWAP:
                return "swp(slot#" + target + (exclusive ? ",excl" : "") + ")";
            default:
                if (target == ZERO_PAGE) return "zero-page(R/O)";
                return "page#" + target + (write ? "(W" : "(R/O") + (dirty ? ",dirty)" : ")");
        }
    }
}
