package org.mmcheck.model;

/**
 * A kernel path that one actor has started and not finished, under lock-level interleaving: the
 * kernel dropped a lock in the middle of it (or runs it without locks), and other actors may run
 * before it goes on. Immutable, like {@link Pte}: a successor state shares its parent's records and
 * replaces the one it advances.
 *
 * @param path    which path
 * @param stage   the stage to run next (2 or 3; stage 1 made the record)
 * @param vpage   the page the path works on (FORK: unused)
 * @param orig    the PTE as the path read it; {@code pte_same} (and GUP-fast's recheck) compares the PTE
 *                with it later
 * @param page    the page id the path holds a reference on, or -1
 * @param fresh   SWAP_IN: the page was read privately, bypassing the swap cache (SYNCHRONOUS_IO)
 * @param claimed SWAP_IN: the path holds the claim on the swap entry (swapcache_prepare, 6.8+)
 * @param write   SWAP_IN: a write fault; WP_COPY: a write (not an unshare) fault
 * @param aux     GUP_FAST: see {@link #gupAux}; FORK: see {@link #forkAux}; otherwise 0. Holds no page
 *                or slot ids.
 */
public record InFlight(Path path, int stage, int vpage, Pte orig, int page, boolean fresh, boolean claimed,
                       boolean write, int aux) {
    public enum Path {
        /**
         * do_swap_page: [1/4] read the swap PTE without the PT lock (handle_pte_fault) | [2/4] take the
         * swap device, look up the swap cache or claim and read | [3/4] lock the page, pte_same, map |
         * [4/4] release the claim.
         */
        SWAP_IN("do_swap_page", 4),
        /** do_wp_page -> wp_page_copy: [1/2] decide to copy, take a reference | [2/2] copy, pte_same, map. */
        WP_COPY("wp_page_copy", 2),
        /** GUP-fast: [1/3] read the PTE without locks | [2/3] grab the page | [3/3] recheck or back off. */
        GUP_FAST("gup_fast", 3),
        /**
         * fork's dup_mmap: [1/2] copy the page tables, decide per page (share or copy), write_protect_seq
         * odd | [2/2] write-protect the parent's PTEs of shared pages, write_protect_seq even.
         */
        FORK("dup_mmap", 2);

        public final String function;
        public final int stages;

        Path(String function, int stages) {
            this.function = function;
            this.stages = stages;
        }
    }

    public static InFlight of(Path path, int vpage, Pte orig, int page, boolean fresh, boolean claimed,
                              boolean write, int aux) {
        return new InFlight(path, 2, vpage, orig, page, fresh, claimed, write, aux);
    }

    /** The next stage, once the reference on {@code page} has been handed on (mapped) or dropped. */
    public InFlight nextWithoutPage() {
        return new InFlight(path, stage + 1, vpage, orig, -1, fresh, claimed, write, aux);
    }

    /** The next stage, now holding a reference on {@code pageId}. */
    public InFlight nextHolding(int pageId) {
        return new InFlight(path, stage + 1, vpage, orig, pageId, fresh, claimed, write, aux);
    }

    /** "do_swap_page [2/3]" */
    public String where() {
        return path.function + " [" + stage + "/" + path.stages + "]";
    }

    /** The references a held page owes to this path: a speculative GUP-fast pin counts its bias. */
    public int heldRefs() {
        if (page < 0) return 0;
        return path == Path.GUP_FAST && gupPin() ? Page.PIN_BIAS : 1;
    }

    // ---- GUP_FAST: reference index 0-7, pin 8, write 9, longterm 10, stale view 11, write_protect_seq 16-30

    public static int gupAux(int ref, boolean pin, boolean write, boolean longterm, int seq) {
        return ref | (pin ? 1 << 8 : 0) | (write ? 1 << 9 : 0) | (longterm ? 1 << 10 : 0) | (seq << 16);
    }

    public int gupRef() {
        return aux & 0xFF;
    }

    public boolean gupPin() {
        return (aux & (1 << 8)) != 0;
    }

    public boolean gupWrite() {
        return (aux & (1 << 9)) != 0;
    }

    public boolean gupLongterm() {
        return (aux & (1 << 10)) != 0;
    }

    public int gupSeq() {
        return aux >>> 16;
    }

    /**
     * A path cleared the PTE and checked for pins without seeing this grab, and (no barrier, before
     * 6.1) this GUP-fast's recheck will not see the cleared PTE either.
     */
    public boolean gupStaleView() {
        return (aux & (1 << 11)) != 0;
    }

    public InFlight withGupStaleView() {
        return new InFlight(path, stage, vpage, orig, page, fresh, claimed, write, aux | (1 << 11));
    }

    // ---- FORK: the child 0-7, the parent mm 8-15, the pages whose parent PTE is still to write-protect 16-30

    public static int forkAux(int child, int parent, int wrprotect) {
        return child | (parent << 8) | (wrprotect << 16);
    }

    public int forkChild() {
        return aux & 0xFF;
    }

    public int forkParent() {
        return (aux >>> 8) & 0xFF;
    }

    public int forkWrprotect() {
        return aux >>> 16;
    }

    /** Small fields in one int for the encodings: path 0-1, stage 2-3, fresh 4, claimed 5, write 6. */
    public int bits() {
        return path.ordinal() | (stage << 2) | (fresh ? 16 : 0) | (claimed ? 32 : 0) | (write ? 64 : 0);
    }

    public static InFlight of(int bits, int vpage, Pte orig, int page, int aux) {
        return new InFlight(Path.values()[bits & 3], (bits >> 2) & 3, vpage, orig, page, (bits & 16) != 0,
                (bits & 32) != 0, (bits & 64) != 0, aux);
    }
}
