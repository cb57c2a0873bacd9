package org.mmcheck.explore;

/**
 * A small throw-away set of fingerprints (open addressing, linear probing), sized once for at most
 * {@code capacity} insertions: the distinct targets of one chunk. Zero is stored apart, since empty
 * cells hold zero.
 */
final class LocalFingerprints {
    private final long[] cells;
    private final int mask;
    private boolean hasZero;

    LocalFingerprints(int capacity) {
        int size = Integer.highestOneBit(Math.max(4, capacity) * 2 - 1) << 1;
        cells = new long[size];
        mask = size - 1;
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
                return true;
            }
            i = (i + 1) & mask;
        }
    }
}
