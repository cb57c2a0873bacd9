package org.mmcheck.model;

/**
 * A page-table entry: none, present (mapping a page or the shared zero page) or a swap entry. Immutable
 * and interned: the kernel paths replace entries, and equal entries are one object, so copies of the
 * state share them and the canonical encoding reads one precomputed int per entry.
 *
 * <p>Components: {@code kind} NONE, PRESENT or SWAP; {@code target} page id (PRESENT, -1 for the zero
 * page) or swap slot id (SWAP); {@code write} and {@code dirty} the hardware bits (PRESENT);
 * {@code exclusive} the swap-PTE exclusive bit (SWAP; pte_swp_exclusive); {@code softDirty} (PRESENT
 * and SWAP).
 */
public final class Pte {
    public enum Kind { NONE, PRESENT, SWAP }

    private static final Kind[] KINDS = Kind.values();
    /** Interned entries for targets below this bound; larger ids (never seen in practice) are not. */
    private static final int INTERNED_TARGETS = 1024;
    private static final Pte[] INTERNED = new Pte[(INTERNED_TARGETS + 1) << 6];

    public static final int ZERO_PAGE = -1;
    public static final Pte NONE = of(Kind.NONE, 0, false, false, false, false);

    private final int target;
    /** kind ordinal (bits 0-1), write (2), dirty (3), exclusive (4), soft-dirty (5). */
    private final int bits;

    private Pte(int target, int bits) {
        this.target = target;
        this.bits = bits;
    }

    public static Pte of(Kind kind, int target, boolean write, boolean dirty, boolean exclusive, boolean softDirty) {
        int bits = kind.ordinal() | (write ? 4 : 0) | (dirty ? 8 : 0) | (exclusive ? 16 : 0) | (softDirty ? 32 : 0);
        int t = target + 1;
        if (t < 0 || t > INTERNED_TARGETS) return new Pte(target, bits);
        int i = (t << 6) | bits;
        Pte p = INTERNED[i];
        if (p == null) {
            // Racing threads may each create one: harmless, entries are compared by value.
            p = new Pte(target, bits);
            INTERNED[i] = p;
        }
        return p;
    }

    /** The entry with this target and these {@link #bits()}. */
    public static Pte ofBits(int target, int bits) {
        return of(KINDS[bits & 3], target, (bits & 4) != 0, (bits & 8) != 0, (bits & 16) != 0, (bits & 32) != 0);
    }

    public static Pte present(int page, boolean write, boolean dirty, boolean softDirty) {
        return of(Kind.PRESENT, page, write, dirty, false, softDirty);
    }

    public static Pte zeroPage() {
        return of(Kind.PRESENT, ZERO_PAGE, false, false, false, false);
    }

    public static Pte swap(int slot, boolean exclusive, boolean softDirty) {
        return of(Kind.SWAP, slot, false, false, exclusive, softDirty);
    }

    public Kind kind() {
        return KINDS[bits & 3];
    }

    public int target() {
        return target;
    }

    public boolean write() {
        return (bits & 4) != 0;
    }

    public boolean dirty() {
        return (bits & 8) != 0;
    }

    public boolean exclusive() {
        return (bits & 16) != 0;
    }

    public boolean softDirty() {
        return (bits & 32) != 0;
    }

    /** Kind and flag bits in one int (for the canonical encoding). */
    public int bits() {
        return bits;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Pte p && p.target == target && p.bits == bits;
    }

    @Override
    public int hashCode() {
        return target * 64 + bits;
    }

    public boolean isNone() {
        return (bits & 3) == 0;
    }

    public boolean isPresent() {
        return (bits & 3) == 1;
    }

    public boolean isSwap() {
        return (bits & 3) == 2;
    }

    public boolean isZeroPage() {
        return isPresent() && target == ZERO_PAGE;
    }

    /** Present and mapping a real (anonymous) page. */
    public boolean mapsPage() {
        return isPresent() && target != ZERO_PAGE;
    }

    public Pte wrprotect() {
        return of(kind(), target, false, dirty(), exclusive(), softDirty());
    }

    public Pte withSwpExclusive(boolean excl) {
        return of(kind(), target, write(), dirty(), excl, softDirty());
    }

    @Override
    public String toString() {
        return describe();
    }

    public String describe() {
        switch (kind()) {
            case NONE:
                return "none";
            case SWAP:
                return "swp(slot#" + target + (exclusive() ? ",excl" : "") + ")";
            default:
                if (target == ZERO_PAGE) return "zero-page(R/O)";
                return "page#" + target + (write() ? "(W" : "(R/O") + (dirty() ? ",dirty)" : ")");
        }
    }
}
