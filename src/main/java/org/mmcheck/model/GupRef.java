package org.mmcheck.model;

/**
 * One GUP reference (FOLL_GET or FOLL_PIN) named in the test, with the checker's view of it: its owner
 * and page, whether it is still bound to the owner's mapping, and what it may read (MODEL.md).
 */
public final class GupRef {
    public enum State { UNSET, HELD, DROPPED }

    public State state = State.UNSET;
    public boolean pin;        // FOLL_PIN (else FOLL_GET)
    public boolean write;      // FOLL_WRITE
    public boolean longterm;   // FOLL_LONGTERM
    public int owner = -1;     // process whose page table was walked
    public int vpage = -1;     // named page in the owner
    public int page = -1;      // page id held
    public boolean bound;      // still bound to the owner's mapping
    public int lastValue;      // what it last read or wrote (what an unbound reference keeps)
    /** Read-only GET: bit v set = E[owner][vpage] held v while bound (snapshot semantics). */
    public final long[] snapshot = new long[4];

    public GupRef copy() {
        GupRef r = new GupRef();
        r.state = state;
        r.pin = pin;
        r.write = write;
        r.longterm = longterm;
        r.owner = owner;
        r.vpage = vpage;
        r.page = page;
        r.bound = bound;
        r.lastValue = lastValue;
        System.arraycopy(snapshot, 0, r.snapshot, 0, 4);
        return r;
    }

    /** Pins and writable GETs promise coherence with the owner's mapping while bound. */
    public boolean coherent() {
        return pin || write;
    }

    public void allowSnapshot(int v) {
        snapshot[v >>> 6] |= 1L << (v & 63);
    }

    public boolean snapshotAllows(int v) {
        return (snapshot[v >>> 6] & (1L << (v & 63))) != 0;
    }
}
