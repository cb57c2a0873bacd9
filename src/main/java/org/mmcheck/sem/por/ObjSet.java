package org.mmcheck.sem.por;

import java.util.Arrays;

/**
 * A small set of the objects kernel paths share (see {@link Footprints} for the codes), or the set
 * of everything. Footprints hold a handful of objects, so a short array searched linearly is enough.
 */
final class ObjSet {
    private long[] items = new long[8];
    private int size;
    private boolean all;

    static ObjSet everything() {
        ObjSet s = new ObjSet();
        s.all = true;
        return s;
    }

    boolean isAll() {
        return all;
    }

    boolean isEmpty() {
        return !all && size == 0;
    }

    boolean contains(long o) {
        if (all) return true;
        for (int i = 0; i < size; i++) if (items[i] == o) return true;
        return false;
    }

    /** Adds {@code o}; returns whether it was new. */
    boolean add(long o) {
        if (all || contains(o)) return false;
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
        for (int i = 0; i < size; i++) if (o.contains(items[i])) return true;
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
