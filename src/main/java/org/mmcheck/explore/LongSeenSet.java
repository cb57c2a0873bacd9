package org.mmcheck.explore;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.VarHandle;

/**
 * The default seen-set: 64-bit state fingerprints in one open-addressing {@code long[]} with linear
 * probing, 8 bytes a slot and no per-entry objects.
 *
 * <p>Slot 0 means empty, so a fingerprint of 0 is stored as {@link #ZERO_SUBSTITUTE} (which thereby
 * collides with it: one more pair among 2^64). The home slot is {@code (mix(fp) >>> 32) * capacity >>> 32}
 * ("fastrange"), which works for any capacity, so the table can grow by {@link #GROWTH} rather than
 * doubling: with a {@link #MAX_LOAD} of 0.9 the load stays between 0.78 and 0.9, i.e. 8.9 to 10.2
 * bytes per stored fingerprint. Lookups stay short because linear probing reads neighbouring slots
 * of the same cache lines.
 *
 * <p>Concurrency: one thread adds; other threads may call {@link #seenBefore} at the same time. Slots
 * only ever go from empty to a fingerprint (no deletion, no moving in a published table; a grown
 * table is filled before it is published through a volatile field), and slots are read and written
 * atomically (opaque mode), so a concurrent reader can miss a fingerprint added meanwhile but never
 * reports one that was not added.
 */
final class LongSeenSet implements SeenSet {

    static final double MAX_LOAD = 0.9;
    static final double GROWTH = 1.15;
    static final int MIN_CAPACITY = 1 << 12;
    /** Largest long[] HotSpot allocates. */
    static final int MAX_CAPACITY = Integer.MAX_VALUE - 8;
    /** Stored in place of a fingerprint of 0, which marks empty slots. */
    static final long ZERO_SUBSTITUTE = 0x6A09E667F3BCC909L;

    private static final VarHandle SLOT = MethodHandles.arrayElementVarHandle(long[].class);
    private static final long MIX = 0x9E3779B97F4A7C15L;

    private volatile long[] table;
    private int size;
    private int growAt;

    LongSeenSet() {
        this(MIN_CAPACITY);
    }

    LongSeenSet(int initialCapacity) {
        long[] t = new long[Math.max(16, initialCapacity)];
        table = t;
        growAt = threshold(t.length);
    }

    private static int threshold(int capacity) {
        return (int) Math.min(capacity - 1L, (long) (capacity * MAX_LOAD));
    }

    private static long nonZero(long fp) {
        return fp == 0 ? ZERO_SUBSTITUTE : fp;
    }

    /** The home slot: the high half of a multiplicative hash, scaled to [0, capacity). */
    private static int home(long fp, int capacity) {
        return (int) ((((fp * MIX) >>> 32) * capacity) >>> 32);
    }

    /**
     * Adds a fingerprint.
     *
     * @return true when it was not there before
     * @throws IllegalStateException when the table cannot grow further (about 1.9 billion entries)
     */
    boolean add(long fingerprint) {
        long fp = nonZero(fingerprint);
        long[] t = table;
        int i = probe(t, fp);
        if (t[i] == fp) {
            return false;
        }
        if (size >= growAt) {
            // Grow first, then insert into the new table (the probe above only proved absence).
            grow();
            t = table;
            i = probe(t, fp);
        }
        SLOT.setOpaque(t, i, fp);
        size++;
        return true;
    }

    /** The cell holding {@code fp}, or the empty cell where its probe sequence ends (adding thread only). */
    private static int probe(long[] t, long fp) {
        int cap = t.length;
        int i = home(fp, cap);
        while (true) {
            long v = t[i];
            if (v == fp || v == 0) {
                return i;
            }
            if (++i == cap) {
                i = 0;
            }
        }
    }

    /** Exact membership, from the adding thread. */
    boolean contains(long fingerprint) {
        long fp = nonZero(fingerprint);
        long[] t = table;
        return t[probe(t, fp)] == fp;
    }

    /**
     * Membership as seen from another thread while the adding thread may be adding: true only if the
     * fingerprint was added (before or during this call); false may miss a concurrent addition.
     */
    @Override
    public boolean seenBefore(long fingerprint) {
        long fp = nonZero(fingerprint);
        long[] t = table;
        int cap = t.length;
        int i = home(fp, cap);
        for (int probes = 0; probes < cap; probes++) {
            long v = (long) SLOT.getOpaque(t, i);
            if (v == fp) {
                return true;
            }
            if (v == 0) {
                return false;
            }
            if (++i == cap) {
                i = 0;
            }
        }
        return false;
    }

    private void grow() {
        long[] old = table;
        int cap = old.length;
        if (cap >= MAX_CAPACITY) {
            throw new IllegalStateException("fingerprint table full: " + size + " entries");
        }
        int newCap = (int) Math.min(MAX_CAPACITY, Math.max(cap + 16L, (long) (cap * GROWTH)));
        long[] t = new long[newCap];
        for (long fp : old) {
            if (fp != 0) {
                int i = home(fp, newCap);
                while (t[i] != 0) {
                    if (++i == newCap) {
                        i = 0;
                    }
                }
                t[i] = fp;
            }
        }
        growAt = threshold(newCap);
        table = t; // volatile: publishes the filled table to concurrent readers
    }

    @Override
    public boolean add(long fingerprint, Object key) {
        return add(fingerprint);
    }

    @Override
    public boolean contains(long fingerprint, Object key) {
        return contains(fingerprint);
    }

    @Override
    public boolean exact() {
        return false;
    }

    @Override
    public long size() {
        return size;
    }

    int capacity() {
        return table.length;
    }

    @Override
    public long bytes() {
        return 8L * table.length;
    }
}
