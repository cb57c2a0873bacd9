package org.mmcheck.sem.por;

import java.util.Arrays;

/**
 * A set of the objects kernel paths share (see {@link Footprints} for the codes), or the set of
 * everything. Membership is a bit per object, kept per kind of object (object numbers are small:
 * mm and page indices, page and slot ids), beside the list of members for walking them; this runs
 * for every transition of a lock-level search, so adding, testing and intersecting avoid scans.
 */
final class ObjSet {
    private static final int KINDS = 8;

    private long[] items = new long[8];
    private int size;
    private boolean all;
    /** Per kind (the code's top byte), a bit per object number; null until the kind has a member. */
    private final long[][] bits = new long[KINDS][];

    static ObjSet everything() {
        ObjSet s = new ObjSet();
        s.all = true;
        return s;
    }

    private static int kind(long o) {
        return (int) (o >>> 56);
    }

    /** The object's number within its kind: PTEs are numbered by mm and page, 64 pages per mm. */
    private static int number(long o) {
        long v = o & 0x00FF_FFFF_FFFF_FFFFL;
        return kind(o) == 1 ? (int) ((v >>> 16) * 64 + (v & 0xFFFF)) : (int) v;
    }

    boolean isAll() {
        return all;
    }

    boolean isEmpty() {
        return !all && size == 0;
    }

    boolean contains(long o) {
        if (all) return true;
        long[] w = bits[kind(o)];
        int n = number(o);
        return w != null && (n >>> 6) < w.length && (w[n >>> 6] & (1L << n)) != 0;
    }

    /** Adds {@code o}; returns whether it was new. */
    boolean add(long o) {
        if (all) return false;
        int k = kind(o);
        int n = number(o);
        long[] w = bits[k];
        if (w == null || (n >>> 6) >= w.length) {
            w = bits[k] = w == null ? new long[Math.max(2, (n >>> 6) + 1)] : Arrays.copyOf(w, Math.max(w.length * 2, (n >>> 6) + 1));
        }
        long b = 1L << n;
        if ((w[n >>> 6] & b) != 0) return false;
        w[n >>> 6] |= b;
        if (size == items.length) items = Arrays.copyOf(items, size * 2);
        items[size++] = o;
        return true;
    }

    void addAll(ObjSet o) {
        if (o.all) {
            all = true;
            return;
        }
        for (int i = 0; i < o.size; i++) add(o.items[i]);
    }

    boolean intersects(ObjSet o) {
        if (isEmpty() || o.isEmpty()) return false;
        if (all || o.all) return true;
        for (int k = 0; k < KINDS; k++) {
            long[] a = bits[k];
            long[] b = o.bits[k];
            if (a == null || b == null) continue;
            for (int i = 0, n = Math.min(a.length, b.length); i < n; i++) if ((a[i] & b[i]) != 0) return true;
        }
        return false;
    }

    int size() {
        return size;
    }

    long get(int i) {
        return items[i];
    }

    @Override
    public String toString() {
        if (all) return "{everything}";
        StringBuilder b = new StringBuilder("{");
        for (int i = 0; i < size; i++) b.append(i == 0 ? "" : ", ").append(Footprints.describe(items[i]));
        return b.append('}').toString();
    }
}
