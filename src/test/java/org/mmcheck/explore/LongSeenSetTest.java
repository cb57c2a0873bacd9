package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.SplittableRandom;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.Test;

class LongSeenSetTest {

    @Test
    void addsOnceAndFindsAgain() {
        LongSeenSet s = new LongSeenSet();
        assertTrue(s.add(42));
        assertFalse(s.add(42));
        assertTrue(s.add(-1));
        assertTrue(s.add(Long.MIN_VALUE));
        assertFalse(s.add(Long.MIN_VALUE));
        assertEquals(3, s.size());
        assertTrue(s.contains(42) && s.contains(-1) && s.contains(Long.MIN_VALUE));
        assertFalse(s.contains(43));
        assertTrue(s.seenBefore(42));
        assertFalse(s.seenBefore(43));
    }

    @Test
    void zeroIsAFingerprintLikeAnyOther() {
        LongSeenSet s = new LongSeenSet();
        assertFalse(s.contains(0));
        assertFalse(s.seenBefore(0));
        assertTrue(s.add(0));
        assertFalse(s.add(0));
        assertTrue(s.contains(0));
        assertTrue(s.seenBefore(0));
        assertEquals(1, s.size());
        // The price of reserving 0: it shares its slot value with the substitute.
        assertFalse(s.add(LongSeenSet.ZERO_SUBSTITUTE));
    }

    @Test
    void growsAndKeepsEverythingAgainstAHashSet() {
        LongSeenSet s = new LongSeenSet(16);
        HashSet<Long> reference = new HashSet<>();
        SplittableRandom rnd = new SplittableRandom(7);
        for (int i = 0; i < 300_000; i++) {
            // Small values too: the table must spread them, not rely on random input.
            long fp = i % 3 == 0 ? rnd.nextLong(1000) : rnd.nextLong();
            assertEquals(reference.add(fp), s.add(fp), "add " + fp);
            if (i % 1000 == 0) {
                assertTrue(s.size() <= s.capacity() * LongSeenSet.MAX_LOAD);
            }
        }
        assertEquals(reference.size(), s.size());
        for (long fp : reference) {
            assertTrue(s.contains(fp));
            assertTrue(s.seenBefore(fp));
        }
        for (int i = 0; i < 10_000; i++) {
            long fp = rnd.nextLong();
            assertEquals(reference.contains(fp), s.contains(fp));
        }
    }

    @Test
    void loadStaysHighSoBytesPerEntryStayLow() {
        // Once past the minimum capacity, the load is between MAX_LOAD / GROWTH and MAX_LOAD: at most
        // 8 / 0.78 = 10.3 bytes per fingerprint, at any size (no doubling).
        LongSeenSet s = new LongSeenSet();
        SplittableRandom rnd = new SplittableRandom(1);
        double worst = 0;
        for (int i = 1; i <= 2_000_000; i++) {
            s.add(rnd.nextLong());
            if (i >= 50_000 && i % 997 == 0) {
                worst = Math.max(worst, (double) s.bytes() / s.size());
            }
        }
        assertTrue(worst <= 8 * LongSeenSet.GROWTH / LongSeenSet.MAX_LOAD + 0.05, "worst " + worst);
        assertTrue(worst <= 10.3, "worst " + worst);
    }

    @Test
    void concurrentReadersNeverSeeWhatWasNotAdded() throws Exception {
        // One writer adds even numbers (mixed) while grows happen; readers ask about odd ones
        // (never added: must always say no) and about even ones already added (may say either,
        // must never fail or hang).
        LongSeenSet s = new LongSeenSet(16);
        int n = 400_000;
        AtomicBoolean done = new AtomicBoolean();
        AtomicReference<String> error = new AtomicReference<>();
        Thread[] readers = new Thread[2];
        for (int r = 0; r < readers.length; r++) {
            int seed = r;
            readers[r] = new Thread(() -> {
                SplittableRandom rnd = new SplittableRandom(seed);
                while (!done.get()) {
                    long odd = ToyModels.mix(2L * rnd.nextInt(n) + 1);
                    if (s.seenBefore(odd)) {
                        error.set("false positive for " + odd);
                    }
                    s.seenBefore(ToyModels.mix(2L * rnd.nextInt(n)));
                }
            });
            readers[r].start();
        }
        for (int i = 0; i < n; i++) {
            s.add(ToyModels.mix(2L * i));
        }
        done.set(true);
        for (Thread t : readers) {
            t.join();
        }
        assertEquals(null, error.get());
        assertEquals(n, s.size());
        for (int i = 0; i < n; i++) {
            assertTrue(s.seenBefore(ToyModels.mix(2L * i)), "after the writer is done, readers see everything");
        }
    }
}
