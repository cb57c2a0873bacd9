package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class ParentTableTest {

    @Test
    void storesEntriesAcrossManyChunks() {
        ParentTable t = new ParentTable();
        int n = (1 << ParentTable.CHUNK_BITS) * 20 + 7; // more chunks than the initial directory
        assertEquals(0, t.add(-1, -1));
        for (int id = 1; id < n; id++) {
            assertEquals(id, t.add(id / 2, id % 5));
        }
        assertEquals(n, t.size());
        assertEquals(-1, t.parent(0));
        for (int id = 1; id < n; id++) {
            assertEquals(id / 2, t.parent(id));
            assertEquals(id % 5, t.transitionIndex(id));
        }
        // 5 bytes a slot, allocated a chunk at a time (plus a side entry for the initial state's -1).
        long chunks = 21L * (1 << ParentTable.CHUNK_BITS) * 5;
        assertTrue(t.bytes() >= chunks && t.bytes() <= chunks + 100, "bytes " + t.bytes());
    }

    @Test
    void transitionIndicesBeyondAByte() {
        ParentTable t = new ParentTable();
        t.add(-1, -1);
        int[] indices = {0, 1, 254, 255, 256, 1000, 70_000, Integer.MAX_VALUE, 7};
        for (int i = 0; i < indices.length; i++) {
            t.add(i, indices[i]);
        }
        assertEquals(-1, t.transitionIndex(0));
        for (int i = 0; i < indices.length; i++) {
            assertEquals(indices[i], t.transitionIndex(i + 1));
            assertEquals(i, t.parent(i + 1));
        }
    }
}
