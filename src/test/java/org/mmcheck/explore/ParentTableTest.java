package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;

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
    }
}
