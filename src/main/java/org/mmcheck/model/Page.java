package org.mmcheck.model;

/**
 * One order-0 anonymous page frame (struct folio of order 0). Mutable while a step runs; copied per
 * successor state. {@code id} is a serial number stable for the page's lifetime within one trace;
 * canonical renumbering for de-duplication happens in {@link CanonicalKey}, not here.
 */
public final class Page {
    /** What a kernel refcount unit of one FOLL_PIN is on a small folio (GUP_PIN_COUNTING_BIAS). */
    public static final int PIN_BIAS = 1024;

    public final int id;
    public int refcount;
    public int mapcount;
    public int content;
    public boolean anonExclusive; // PG_anon_exclusive
    public boolean swapcache;     // PG_swapcache: in the swap cache under swapSlot
    public boolean writeback;     // PG_writeback
    public boolean dirty;         // PG_dirty
    public boolean ksm;           // a KSM (stable tree) page
    public boolean locked;        // PG_locked, held across steps only by a reclaim pass in progress
    public int swapSlot = -1;     // the slot id while in the swap cache
    public int pins;              // live FOLL_PIN references
    public int gets;              // live FOLL_GET references

    /** The state allowed to change this object (see KState): a token, not the state itself. */
    Object owner;

    public Page(int id) {
        this.id = id;
    }

    public Page copy() {
        Page p = new Page(id);
        p.refcount = refcount;
        p.mapcount = mapcount;
        p.content = content;
        p.anonExclusive = anonExclusive;
        p.swapcache = swapcache;
        p.writeback = writeback;
        p.dirty = dirty;
        p.ksm = ksm;
        p.locked = locked;
        p.swapSlot = swapSlot;
        p.pins = pins;
        p.gets = gets;
        return p;
    }

    /** folio_maybe_dma_pinned for a small folio: the refcount says a pin may exist. */
    public boolean maybeDmaPinned() {
        return refcount >= PIN_BIAS;
    }

    /** Flag bits for the canonical key and for traces. */
    public int flagBits() {
        return (anonExclusive ? 1 : 0) | (swapcache ? 2 : 0) | (writeback ? 4 : 0) | (dirty ? 8 : 0)
                | (ksm ? 16 : 0) | (locked ? 32 : 0);
    }

    /** The inverse of {@link #flagBits()}. */
    public void setFlagBits(int bits) {
        anonExclusive = (bits & 1) != 0;
        swapcache = (bits & 2) != 0;
        writeback = (bits & 4) != 0;
        dirty = (bits & 8) != 0;
        ksm = (bits & 16) != 0;
        locked = (bits & 32) != 0;
    }

    @Override
    public String toString() {
        return describe();
    }

    public String describe() {
        StringBuilder b = new StringBuilder("page#").append(id).append("{val=").append(content)
                .append(" ref=").append(refcount).append(" map=").append(mapcount);
        if (anonExclusive) b.append(" excl");
        if (swapcache) b.append(" swapcache(slot#").append(swapSlot).append(')');
        if (writeback) b.append(" writeback");
        if (dirty) b.append(" dirty");
        if (ksm) b.append(" ksm");
        if (locked) b.append(" locked");
        if (pins > 0) b.append(" pins=").append(pins);
        if (gets > 0) b.append(" gets=").append(gets);
        return b.append('}').toString();
    }
}
