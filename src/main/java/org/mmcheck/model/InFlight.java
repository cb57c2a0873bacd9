package org.mmcheck.model;

/**
 * A kernel path that one actor has started and not finished, under lock-level interleaving: the
 * kernel dropped a lock in the middle of it, and other actors may run before it goes on. Immutable,
 * like {@link Pte}: a successor state shares its parent's records and replaces the one it advances.
 *
 * @param path   which path
 * @param stage  the stage to run next (2 or 3; stage 1 made the record)
 * @param vpage  the page of the faulting process
 * @param orig   the PTE as the path read it; {@code pte_same} compares the PTE with it when the path
 *               retakes the PT lock
 * @param page   the page id the path holds a reference on, or -1 (none; the zero page for a copy)
 * @param fresh  SWAP_IN: the page was read privately, bypassing the swap cache (SYNCHRONOUS_IO)
 * @param claimed SWAP_IN: the path holds the claim on the swap entry (swapcache_prepare, 6.8+)
 * @param write  SWAP_IN: a write fault; WP_COPY: a write (not an unshare) fault
 */
public record InFlight(Path path, int stage, int vpage, Pte orig, int page, boolean fresh, boolean claimed,
                       boolean write) {
    public enum Path {
        /** do_swap_page: [1/3] look up or read | [2/3] lock, pte_same, map | [3/3] release the claim. */
        SWAP_IN("do_swap_page", 3),
        /** do_wp_page -> wp_page_copy: [1/2] decide to copy, take a reference | [2/2] copy, pte_same, map. */
        WP_COPY("wp_page_copy", 2);

        public final String function;
        public final int stages;

        Path(String function, int stages) {
            this.function = function;
            this.stages = stages;
        }
    }

    /** The next stage, once the reference on {@code page} has been handed on (mapped) or dropped. */
    public InFlight nextWithoutPage() {
        return new InFlight(path, stage + 1, vpage, orig, -1, fresh, claimed, write);
    }

    /** "do_swap_page [2/3]" */
    public String where() {
        return path.function + " [" + stage + "/" + path.stages + "]";
    }

    /** Small fields in one int for the encodings: path 0-1, stage 2-3, fresh 4, claimed 5, write 6. */
    public int bits() {
        return path.ordinal() | (stage << 2) | (fresh ? 16 : 0) | (claimed ? 32 : 0) | (write ? 64 : 0);
    }

    public static InFlight of(int bits, int vpage, Pte orig, int page) {
        return new InFlight(Path.values()[bits & 3], (bits >> 2) & 3, vpage, orig, page, (bits & 16) != 0,
                (bits & 32) != 0, (bits & 64) != 0);
    }
}
