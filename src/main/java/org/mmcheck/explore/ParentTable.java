package org.mmcheck.explore;

import java.util.Arrays;

/**
 * For each state id, the id of the state it was discovered from and the index of the transition in
 * that parent's successor list: 12 bytes a state instead of a path. Ids are dense (0, 1, 2, ...).
 * Storage is chunked so that growing never copies, or needs a second copy of, a huge array.
 */
final class ParentTable {

    static final int CHUNK_BITS = 16;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int MASK = CHUNK - 1;

    private long[][] parents = new long[8][];
    private int[][] indices = new int[8][];
    private long size;

    /** Appends an entry; {@code parent < 0} marks the initial state. Returns the new id. */
    long add(long parent, int transitionIndex) {
        int chunk = (int) (size >>> CHUNK_BITS);
        int slot = (int) (size & MASK);
        if (slot == 0) {
            if (chunk == parents.length) {
                parents = Arrays.copyOf(parents, chunk * 2);
                indices = Arrays.copyOf(indices, chunk * 2);
            }
            // Allocate both before writing either so an OutOfMemoryError leaves the table consistent.
            long[] p = new long[CHUNK];
            int[] i = new int[CHUNK];
            parents[chunk] = p;
            indices[chunk] = i;
        }
        parents[chunk][slot] = parent;
        indices[chunk][slot] = transitionIndex;
        return size++;
    }

    long parent(long id) {
        return parents[(int) (id >>> CHUNK_BITS)][(int) (id & MASK)];
    }

    int transitionIndex(long id) {
        return indices[(int) (id >>> CHUNK_BITS)][(int) (id & MASK)];
    }

    long size() {
        return size;
    }
}
