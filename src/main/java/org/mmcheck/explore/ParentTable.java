package org.mmcheck.explore;

import java.util.Arrays;
import java.util.HashMap;

/**
 * For each state id, the id of the state it was discovered from and the index of the transition in
 * that parent's successor list: 5 bytes a state (an int and a byte) instead of a path. Ids are dense
 * (0, 1, 2, ...) and below 2^31. Transition indices from 255 on are rare; they are marked by 255 in
 * the byte and kept in a small side map. Storage is chunked so that growing never copies, or needs a
 * second copy of, a huge array.
 */
final class ParentTable {

    static final int CHUNK_BITS = 14;
    private static final int CHUNK = 1 << CHUNK_BITS;
    private static final int MASK = CHUNK - 1;
    /** Largest id the table hands out, so that ids fit an int. */
    static final long MAX_ID = Integer.MAX_VALUE - 1;
    private static final int ESCAPE = 0xFF;
    /** A rough cost of one side-map entry (node, boxed key and value, table slot). */
    private static final int SIDE_ENTRY_BYTES = 64;

    private int[][] parents = new int[8][];
    private byte[][] indices = new byte[8][];
    private final HashMap<Integer, Integer> bigIndices = new HashMap<>();
    private long size;

    /** Appends an entry; {@code parent < 0} marks the initial state. Returns the new id. */
    long add(long parent, int transitionIndex) {
        if (size > MAX_ID) {
            throw new IllegalStateException("more than " + MAX_ID + " states");
        }
        int chunk = (int) (size >>> CHUNK_BITS);
        int slot = (int) (size & MASK);
        if (slot == 0) {
            if (chunk == parents.length) {
                parents = Arrays.copyOf(parents, chunk * 2);
                indices = Arrays.copyOf(indices, chunk * 2);
            }
            // Allocate both before writing either so an OutOfMemoryError leaves the table consistent.
            int[] p = new int[CHUNK];
            byte[] i = new byte[CHUNK];
            parents[chunk] = p;
            indices[chunk] = i;
        }
        if (transitionIndex >= 0 && transitionIndex < ESCAPE) {
            indices[chunk][slot] = (byte) transitionIndex;
        } else {
            bigIndices.put((int) size, transitionIndex);
            indices[chunk][slot] = (byte) ESCAPE;
        }
        parents[chunk][slot] = (int) parent;
        return size++;
    }

    long parent(long id) {
        return parents[(int) (id >>> CHUNK_BITS)][(int) (id & MASK)];
    }

    int transitionIndex(long id) {
        int b = indices[(int) (id >>> CHUNK_BITS)][(int) (id & MASK)] & 0xFF;
        return b != ESCAPE ? b : bigIndices.get((int) id);
    }

    long size() {
        return size;
    }

    /** Heap held by the entries: allocated chunks (5 bytes a slot) plus the side map. */
    long bytes() {
        long chunks = (size + MASK) >>> CHUNK_BITS;
        return chunks * CHUNK * 5L + (long) bigIndices.size() * SIDE_ENTRY_BYTES;
    }
}
