package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmcheck.explore.ToyModels.Counters;
import org.mmcheck.explore.ToyModels.FakeHeap;
import org.mmcheck.explore.ToyModels.Infinite;
import org.mmcheck.explore.ToyModels.StepClock;

class LimitsTest {

    @Test
    void maxStatesStopsAnInfiniteModelExactly() {
        // No slack: the search stops instead of storing state maxStates+1. 100,000 states also
        // spans several ParentTable chunks.
        Result<Long> r = new Explorer<>(new Infinite(), new Limits(100_000, null, 0), Progress.silent()).run();
        assertEquals(StopReason.MAX_STATES, r.stopReason());
        assertEquals(100_000, r.distinctStates());
        assertTrue(r.flags().containsKey("big"));
        List<Step> w = r.witnessToFlag("big");
        long n = 0;
        for (Step s : w) {
            n = "inc".equals(s.label()) ? n + 1 : 2 * n + 1;
        }
        assertEquals(1000, n, "replaying the witness reaches 1000");
    }

    @Test
    void maxStatesEqualToTheStateSpaceIsComplete() {
        Counters counters = new Counters(3, s -> null);
        assertEquals(StopReason.COMPLETE,
                new Explorer<>(counters, new Limits(16, null, 0), Progress.silent()).run().stopReason());
        Result<?> cut = new Explorer<>(counters, new Limits(15, null, 0), Progress.silent()).run();
        assertEquals(StopReason.MAX_STATES, cut.stopReason());
        assertEquals(15, cut.distinctStates());
    }

    @Test
    void timeoutWithFakeClock() {
        StepClock clock = new StepClock(1_000_000); // 1 ms per read
        Result<Long> r = new Explorer<>(new Infinite(), new Limits(0, Duration.ofMillis(100), 0),
                Progress.silent(), clock, HeapGauge.runtime()).run();
        assertEquals(StopReason.TIMEOUT, r.stopReason());
        assertTrue(r.elapsed().toMillis() >= 100 && r.elapsed().toMillis() < 110, r.elapsed().toString());
        assertTrue(r.distinctStates() > 50 && r.distinctStates() < 300, r.toString());
    }

    /**
     * A stopped search does no more model work: outcomes are noted when states are found, so nothing
     * walks the frontier after the deadline (it once did, and overshot --timeout by 7-20%). Here
     * the model's outcome() is what takes time (1 ms a call), so work after the stop would show.
     */
    @Test
    void nothingIsAskedOfTheModelAfterATimeout() {
        long[] now = {0};
        Infinite slowOutcomes = new Infinite() {
            @Override
            public Object outcome(Long n) {
                now[0] += 1_000_000;
                return n % 7 == 0 ? "seven" : null;
            }
        };
        Result<Long> r = new Explorer<>(slowOutcomes, new Limits(0, Duration.ofMillis(100), 0), Progress.silent(),
                () -> now[0], HeapGauge.runtime()).run();
        assertEquals(StopReason.TIMEOUT, r.stopReason());
        // The frontier holds about as many states as were expanded: walking it would double the time.
        assertTrue(r.elapsed().toMillis() < 170, "no work after the deadline but the chunk in hand: " + r.elapsed());
        assertTrue(r.outcomes().containsKey("seven"));
    }

    @Test
    void timeoutWithRealClockEndsAnInfiniteSearch() {
        long t0 = System.nanoTime();
        Result<Long> r = new Explorer<>(new Infinite(), new Limits(0, Duration.ofMillis(200), 0.85),
                Progress.silent()).run();
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(StopReason.TIMEOUT, r.stopReason());
        assertTrue(r.elapsed().toMillis() >= 200);
        assertTrue(wallMillis < 5_000, "took " + wallMillis + " ms");
        assertTrue(r.distinctStates() > 0);
    }

    @Test
    void zeroTimeoutStillStoresTheInitialState() {
        Result<Long> r = new Explorer<>(new Infinite(), new Limits(0, Duration.ZERO, 0), Progress.silent()).run();
        assertEquals(StopReason.TIMEOUT, r.stopReason());
        assertEquals(1, r.distinctStates());
        assertEquals(0, r.transitions());
    }

    @Test
    void memoryStopsWhenHeapStaysFullAfterCollection() {
        FakeHeap heap = new FakeHeap(900, 900); // 90% of max, garbage-free
        Result<Long> r = new Explorer<>(new Infinite(), new Limits(0, null, 0.85), Progress.silent(),
                System::nanoTime, heap).run();
        assertEquals(StopReason.MEMORY, r.stopReason());
        assertEquals(1, heap.collections);
        assertTrue(r.distinctStates() > 0);
    }

    @Test
    void memoryDoesNotStopWhenCollectionFreesEnough() {
        FakeHeap heap = new FakeHeap(900, 100); // 90% used, but mostly garbage
        Result<?> r = new Explorer<>(new Counters(40, s -> null), new Limits(0, null, 0.85), Progress.silent(),
                System::nanoTime, heap).run();
        assertEquals(StopReason.COMPLETE, r.stopReason());
        assertEquals(41 * 41, r.distinctStates());
        assertEquals(1, heap.collections);
    }

    @Test
    void forcedCollectionsArePacedByStateGrowth() {
        // Garbage refills the heap on every expansion, but the live size (100 of 1000 bytes at the
        // first collection) grows slowly, so collections must not be forced at every check.
        FakeHeap heap = new FakeHeap(900, 100);
        Counters counters = new Counters(100, s -> null);
        TransitionSystem<ToyModels.Pair> garbageMaker = new TransitionSystem<>() {
            @Override
            public ToyModels.Pair initial() {
                return counters.initial();
            }

            @Override
            public List<Transition<ToyModels.Pair>> successors(ToyModels.Pair s, boolean explain) {
                heap.used = 900;
                return counters.successors(s, explain);
            }

            @Override
            public Object key(ToyModels.Pair s) {
                return s;
            }

            @Override
            public long fingerprint(ToyModels.Pair s) {
                return counters.fingerprint(s);
            }

            @Override
            public Object outcome(ToyModels.Pair s) {
                return null;
            }
        };
        Result<?> r = new Explorer<>(garbageMaker, new Limits(0, null, 0.85), Progress.silent(),
                System::nanoTime, heap).run();
        assertEquals(StopReason.COMPLETE, r.stopReason());
        assertEquals(101 * 101, r.distinctStates());
        assertTrue(heap.collections >= 1 && heap.collections <= 3, "collections: " + heap.collections);
    }

    @Test
    void memoryFractionZeroDisablesTheCheck() {
        FakeHeap heap = new FakeHeap(999, 999);
        Result<?> r = new Explorer<>(new Counters(40, s -> null), Limits.none(), Progress.silent(),
                System::nanoTime, heap).run();
        assertEquals(StopReason.COMPLETE, r.stopReason());
        assertEquals(0, heap.collections);
    }

    @Test
    void progressIsReportedEveryTwoSecondsOfClockTime() {
        StepClock clock = new StepClock(10_000_000); // 10 ms per read: ~961 expansions = ~9.6 s
        List<long[]> reports = new ArrayList<>();
        Result<?> r = new Explorer<>(new Counters(30, s -> null), Limits.none(),
                (distinct, generated, queued, elapsedMillis, heapBytes) ->
                        reports.add(new long[] {distinct, generated, queued, elapsedMillis, heapBytes}),
                clock, HeapGauge.runtime()).run();
        assertEquals(StopReason.COMPLETE, r.stopReason());
        assertEquals(4, reports.size(), "reports at 2, 4, 6 and 8 s");
        long previousMillis = 0;
        long previousDistinct = 0;
        for (long[] rep : reports) {
            assertTrue(rep[3] - previousMillis >= 2000, "at most every 2 s");
            assertTrue(rep[0] >= previousDistinct && rep[0] <= r.distinctStates());
            assertTrue(rep[1] <= r.transitions());
            assertTrue(rep[2] >= 0 && rep[4] > 0);
            previousMillis = rep[3];
            previousDistinct = rep[0];
        }
    }

    @Test
    void noProgressOnShortRuns() {
        List<Long> calls = new ArrayList<>();
        new Explorer<>(new Counters(3, s -> null), Limits.none(),
                (d, g, q, ms, h) -> calls.add(d)).run();
        assertEquals(List.of(), calls);
    }

    @Test
    void limitsValidation() {
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, Duration.ofSeconds(-1), 0));
        assertThrows(IllegalArgumentException.class, () -> new Limits(0, null, Double.NaN));
        assertEquals(new Limits(0, null, 0), Limits.none());
        // A timeout too long for nanoseconds must not overflow into an immediate stop.
        Result<?> r = new Explorer<>(new Counters(3, s -> null), new Limits(0, Duration.ofDays(365L * 1000), 0),
                Progress.silent()).run();
        assertEquals(StopReason.COMPLETE, r.stopReason());
    }
}
