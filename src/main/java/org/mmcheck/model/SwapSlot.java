package org.mmcheck.model;

/**
 * One slot of the swap device (swap_map entry plus the data on the device).
 * Free iff {@code count == 0 && !hasCache}; a free slot is removed from the state.
 */
public final class SwapSlot {
    public final int id;
    public int count;        // swap PTEs referring to the slot (__swap_count)
    public boolean hasCache; // SWAP_HAS_CACHE: a swap-cache page exists for the slot
    /** SWAP_HAS_CACHE taken by swapcache_prepare without a swap-cache page: a swap-in claimed the entry. */
    public boolean claimed;
    public int content = -1; // what the last completed writeback wrote; -1: never written
    public int writing = -1; // what the writeback in flight is writing (the page as it was at its start)

    /** The state allowed to change this object (see KState): a token, not the state itself. */
    Object owner;

    public SwapSlot(int id) {
        this.id = id;
    }

    public SwapSlot copy() {
        SwapSlot s = new SwapSlot(id);
        s.count = count;
        s.hasCache = hasCache;
        s.claimed = claimed;
        s.content = content;
        s.writing = writing;
        return s;
    }

    public String describe() {
        return "slot#" + id + "{count=" + count + (hasCache ? " cache" : "") + (claimed ? " claimed" : "") + " data="
                + (content < 0 ? "-" : Integer.toString(content)) + "}";
    }
}
