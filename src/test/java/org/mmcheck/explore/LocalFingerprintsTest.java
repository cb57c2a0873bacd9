package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LocalFingerprintsTest {

    @Test
    void addSaysWhetherTheFingerprintIsNewIncludingZeroAndCollidingSlots() {
        LocalFingerprints set = new LocalFingerprints().reset(4);
        assertTrue(set.add(0));
        assertFalse(set.add(0));
        // 16 and 32 land in the same cell of a small table: probing must keep them apart
        assertTrue(set.add(16));
        assertTrue(set.add(32));
        assertFalse(set.add(16));
        assertFalse(set.add(32));
        assertTrue(set.add(-1));
        assertFalse(set.add(-1));
    }

    @Test
    void resetForgetsEverythingAndCanShrinkAndGrow() {
        LocalFingerprints set = new LocalFingerprints().reset(1000);
        for (long fp = 0; fp < 1000; fp++) {
            assertTrue(set.add(fp * 31));
        }
        set.reset(3);
        for (long fp = 0; fp < 3; fp++) {
            assertTrue(set.add(fp * 31), "forgotten after reset");
            assertFalse(set.add(fp * 31));
        }
        set.reset(5000);
        for (long fp = 0; fp < 5000; fp++) {
            assertTrue(set.add(fp * 17 + 1));
        }
    }

    @Test
    void growsPastTheCapacityItWasResetFor() {
        LocalFingerprints set = new LocalFingerprints().reset(4);
        for (long fp = 1; fp <= 1000; fp++) {
            assertTrue(set.add(fp << 20));
        }
        for (long fp = 1; fp <= 1000; fp++) {
            assertFalse(set.add(fp << 20));
        }
        set.reset(4);
        assertTrue(set.add(5L << 20), "emptied after growing");
    }

    @Test
    void agreesWithAHashSetWhenFilledToCapacity() {
        Random rnd = new Random(7);
        int capacity = 5000;
        LocalFingerprints set = new LocalFingerprints().reset(capacity);
        Set<Long> ref = new HashSet<>();
        for (int i = 0; i < capacity; i++) {
            long fp = rnd.nextInt(3000) * 0x9E3779B97F4A7C15L; // many repeats
            assertTrue(set.add(fp) == ref.add(fp));
        }
    }
}
