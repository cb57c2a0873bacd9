package org.mmcheck.explore;

import java.util.Arrays;

/**
 * A small set of fingerprints (open addressing, linear probing) for the distinct targets of one
 * chunk, reused chunk after chunk by one thread: {@link #reset} sizes it for about {@code capacity}
 * insertions (it doubles when more come) and empties only the cells the last chunk used. Zero is
 * stored apart, since empty cells hold zero.
 */
final class LocalFingerprints {
    private long[] cells = new long[16];
    private int mask = 15;
    private int[] used = new int[8];
    private int nUsed;
    private boolean hasZero;

    LocalFingerprints reset(int capacity) {
        int size = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
        if (size > cells.length) {
            cells = new long[size];
            used = new int[size];
        } else {
            for (int i = 0; i < nUsed; i++) {
                cells[used[i]] = 0;
            }
        }
        // Probe within the smallest table that fits, so a small chunk touches few cache lines.
        mask = Math.min(size, cells.length) - 1;
        nUsed = 0;
        hasZero = false;
        return this;
    }

    /** Doubles the table (more insertions than reset() was told of). */
    private void grow() {
        long[] old = cells;
        int[] oldUsed = used;
        int n = nUsed;
        int size = (mask + 1) * 2;
        cells = new long[Math.max(size, old.length)];
        used = new int[cells.length];
        mask = size - 1;
        nUsed = 0;
        for (int k = 0; k < n; k++) {
            long fp = old[oldUsed[k]];
            int i = (int) (fp ^ (fp >>> 32)) & mask;
            while (cells[i] != 0) {
                i = (i + 1) & mask;
            }
            cells[i] = fp;
            used[nUsed++] = i;
        }
    }

    /** @return true when the fingerprint was not in the set before */
    boolean add(long fp) {
        if (fp == 0) {
            boolean added = !hasZero;
            hasZero = true;
            return added;
        }
        int i = (int) (fp ^ (fp >>> 32)) & mask;
        while (true) {
            long c = cells[i];
            if (c == fp) {
                return false;
            }
            if (c == 0) {
                cells[i] = fp;
                used[nUsed++] = i;
                if (nUsed * 2 > mask + 1) {
                    grow();
                }
                return true;
            }
            i = (i + 1) & mask;
        }
    }
}
