package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmcheck.explore.ToyModels.Counters;
import org.mmcheck.explore.ToyModels.FakeHeap;
import org.mmcheck.explore.ToyModels.Infinite;
import org.mmcheck.explore.ToyModels.Pair;
import org.mmcheck.explore.ToyModels.RandomGraph;
import org.mmcheck.explore.ToyModels.StepClock;

/** Results must not depend on the number of workers, nor (for good fingerprints) on exact mode. */
class ParallelExplorerTest {

    static final int[] WORKERS = {1, 2, 4};

    static <S> Result<S> explore(TransitionSystem<S> system, Limits limits, int workers, boolean exact) {
        return new Explorer<>(system, limits, Progress.silent(), workers, exact).run();
    }

    /** As {@link #explore}, with the pool started from the first state on (or never, for 1 worker). */
    static <S> Result<S> poolFromTheStart(TransitionSystem<S> system, Limits limits, int workers, boolean exact) {
        return new Explorer<>(system, limits, Progress.silent(), workers, exact).parallelFrom(0).run();
    }

    @Test
    void sameResultsForAnyNumberOfWorkers() {
        List<TransitionSystem<?>> systems = List.of(
                new Counters(120, s -> (s.a() * 7 + s.b()) % 13 == 0 ? "m" + (s.a() % 5) : null),
                ExplorerTest.flagGraph(),
                new RandomGraph(300_000));
        for (TransitionSystem<?> system : systems) {
            Result<?> one = explore(system, Limits.none(), 1, false);
            assertEquals(StopReason.COMPLETE, one.stopReason());
            for (int w : WORKERS) {
                Result<?> r = explore(system, Limits.none(), w, false);
                ExplorerTest.assertSameResult(one, r);
                assertEquals(w, r.workers());
                ExplorerTest.assertSameResult(one, poolFromTheStart(system, Limits.none(), w, false));
            }
        }
    }

    @Test
    void whereThePoolStartsChangesNothing() {
        RandomGraph g = new RandomGraph(200_000);
        Result<?> one = explore(g, Limits.none(), 1, false);
        for (int from : new int[] {0, 1, 7, 300, 5_000, 100_000}) {
            Result<?> r = new Explorer<>(g, Limits.none(), Progress.silent(), 2, false).parallelFrom(from).run();
            ExplorerTest.assertSameResult(one, r);
        }
    }

    @Test
    void theRandomGraphExercisesWhatItShould() {
        Result<?> r = explore(new RandomGraph(300_000), Limits.none(), 2, false);
        assertTrue(r.distinctStates() > 100_000, r.toString());
        assertTrue(r.transitions() > 2 * r.distinctStates(), "many transitions into seen states: " + r);
        assertEquals(5, r.flags().size(), r.flags().toString());
        assertEquals(11, r.outcomes().size(), r.outcomes().toString());
        for (String flag : r.flags().keySet()) {
            List<Step> w = r.witnessToFlag(flag);
            assertEquals(List.of(flag), w.get(w.size() - 1).flags());
        }
    }

    @Test
    void exactModeAgreesWhenFingerprintsAreGood() {
        for (TransitionSystem<?> system : List.of(new RandomGraph(100_000), ExplorerTest.flagGraph())) {
            Result<?> fp = explore(system, Limits.none(), 1, false);
            for (int w : WORKERS) {
                Result<?> exact = poolFromTheStart(system, Limits.none(), w, true);
                assertTrue(exact.exact());
                assertEquals(0.0, exact.collisionProbability());
                assertTrue(Double.isNaN(exact.bytesPerState()));
                ExplorerTest.assertSameResult(fp, exact);
            }
        }
    }

    /** Counters whose fingerprint ignores b: distinct states collide. */
    static final class BadFingerprints implements TransitionSystem<Pair> {
        final Counters counters = new Counters(20, s -> s.a() == 20 && s.b() == 20 ? "end" : null);

        @Override
        public Pair initial() {
            return counters.initial();
        }

        @Override
        public List<Transition<Pair>> successors(Pair s, boolean explain) {
            return counters.successors(s, explain);
        }

        @Override
        public Object key(Pair s) {
            return s;
        }

        @Override
        public long fingerprint(Pair s) {
            return s.a();
        }

        @Override
        public Object outcome(Pair s) {
            return counters.outcome(s);
        }
    }

    @Test
    void exactModeIsImmuneToFingerprintCollisions() {
        Result<Pair> fp = explore(new BadFingerprints(), Limits.none(), 1, false);
        assertEquals(21, fp.distinctStates(), "fingerprints only tell a apart");
        for (int w : WORKERS) {
            Result<Pair> exact = poolFromTheStart(new BadFingerprints(), Limits.none(), w, true);
            assertEquals(21 * 21, exact.distinctStates());
            assertEquals(2 * 20 * 21, exact.transitions());
            assertEquals(List.of("end"), new ArrayList<>(exact.outcomes().keySet()));
            assertEquals(40, exact.witnessToState(exact.outcomes().get("end")).size());
        }
    }

    @Test
    void maxStatesIsExactInParallel() {
        Result<Long> one = explore(new Infinite(), new Limits(100_000, null, 0), 1, false);
        for (int w : WORKERS) {
            Result<Long> r = poolFromTheStart(new Infinite(), new Limits(100_000, null, 0), w, false);
            assertEquals(StopReason.MAX_STATES, r.stopReason());
            assertEquals(100_000, r.distinctStates());
            ExplorerTest.assertSameResult(one, r);
        }
        // Outcomes cover the stored states that were never expanded too (here: the last quarter).
        Counters counters = new Counters(200, s -> s);
        for (int w : WORKERS) {
            Result<Pair> cut = poolFromTheStart(counters, new Limits(5_000, null, 0), w, false);
            assertEquals(StopReason.MAX_STATES, cut.stopReason());
            assertEquals(5_000, cut.outcomes().size());
            long expected = 0;
            for (long id : cut.outcomes().values()) {
                assertEquals(expected++, id);
            }
        }
    }

    @Test
    void timeoutWithFakeClockIsDeterministicInParallel() {
        // Only the merging thread reads the clock, once per expanded state, so a fake clock cuts the
        // search at the same state whatever the number of workers.
        Result<Long> one = new Explorer<>(new Infinite(), new Limits(0, Duration.ofMillis(100), 0), Progress.silent(),
                new StepClock(1_000_000), HeapGauge.runtime(), 1, false).run();
        assertEquals(StopReason.TIMEOUT, one.stopReason());
        for (int w : WORKERS) {
            Result<Long> r = new Explorer<>(new Infinite(), new Limits(0, Duration.ofMillis(100), 0),
                    Progress.silent(), new StepClock(1_000_000), HeapGauge.runtime(), w, false).parallelFrom(0).run();
            ExplorerTest.assertSameResult(one, r);
            assertEquals(one.elapsed(), r.elapsed());
        }
    }

    @Test
    void timeoutWithRealClockEndsAParallelSearch() {
        long t0 = System.nanoTime();
        Result<Long> r = explore(new Infinite(), new Limits(0, Duration.ofMillis(300), 0.85), 2, false);
        long wallMillis = (System.nanoTime() - t0) / 1_000_000;
        assertEquals(StopReason.TIMEOUT, r.stopReason());
        assertTrue(r.elapsed().toMillis() >= 300);
        assertTrue(wallMillis < 5_000, "took " + wallMillis + " ms");
        assertTrue(r.distinctStates() > 1000, r.toString());
    }

    @Test
    void memoryStopInParallel() {
        FakeHeap heap = new FakeHeap(900, 900);
        Result<Long> r = new Explorer<>(new Infinite(), new Limits(0, null, 0.85), Progress.silent(),
                System::nanoTime, heap, 4, false).parallelFrom(0).run();
        assertEquals(StopReason.MEMORY, r.stopReason());
        assertEquals(1, heap.collections);
        assertTrue(r.distinctStates() > 1024, r.toString());
    }

    @Test
    void progressIsReportedFromTheMergingThreadInParallel() {
        StepClock clock = new StepClock(10_000_000);
        List<long[]> reports = new ArrayList<>();
        Thread caller = Thread.currentThread();
        Progress p = new Progress() {
            @Override
            public void report(long distinct, long generated, long queued, long elapsedMillis, long heapBytes) {
                throw new AssertionError("the explorer calls the variant with the depth");
            }

            @Override
            public void report(long distinct, long generated, long queued, int depth, long elapsedMillis,
                               long heapBytes) {
                assertSame(caller, Thread.currentThread());
                reports.add(new long[] {distinct, generated, queued, depth, elapsedMillis});
            }
        };
        Result<?> r = new Explorer<>(new Counters(30, s -> null), Limits.none(), p, clock, HeapGauge.runtime(), 2,
                false).parallelFrom(0).run();
        assertEquals(StopReason.COMPLETE, r.stopReason());
        assertEquals(4, reports.size(), "reports at 2, 4, 6 and 8 s");
        long previousDepth = -1;
        for (long[] rep : reports) {
            // ~961 expansions over 60 levels: each report is ~200 expansions, i.e. ~12 levels, later.
            assertTrue(rep[3] > previousDepth && rep[3] <= 60, "depth " + rep[3]);
            // The depth of (a,b) is a+b: when expanding depth d, the states stored have depth <= d+1.
            assertTrue(rep[0] <= (long) (rep[3] + 3) * (rep[3] + 3), "states " + rep[0] + " at depth " + rep[3]);
            previousDepth = rep[3];
        }
    }

    @Test
    void modelExceptionsReachTheCallerUnwrapped() {
        TransitionSystem<Long> broken = new Infinite() {
            @Override
            public List<Transition<Long>> successors(Long n, boolean explain) {
                if (n == 500) {
                    throw new UnsupportedOperationException("state 500");
                }
                return super.successors(n, explain);
            }
        };
        for (int w : WORKERS) {
            UnsupportedOperationException e = assertThrows(UnsupportedOperationException.class,
                    () -> poolFromTheStart(broken, Limits.none(), w, false));
            assertEquals("state 500", e.getMessage());
        }
    }

    @Test
    void workerThreadsAreGoneAfterTheRun() throws InterruptedException {
        explore(new RandomGraph(50_000), Limits.none(), 4, false);
        explore(new Infinite(), new Limits(0, Duration.ofMillis(50), 0), 4, false);
        for (Thread t : Thread.getAllStackTraces().keySet()) {
            if (t.getName().startsWith("mmcheck-worker-")) {
                t.join(2_000);
                assertFalse(t.isAlive(), t.getName() + " still running");
            }
        }
    }

    @Test
    void rejectsZeroWorkers() {
        assertThrows(IllegalArgumentException.class,
                () -> new Explorer<>(new Infinite(), Limits.none(), Progress.silent(), 0));
    }

    @Test
    void collisionProbabilityAndBytesPerState() {
        Result<Long> r = explore(new Infinite(), new Limits(1_000_000, null, 0), 2, false);
        double n = r.distinctStates();
        assertEquals(n * n / 0x1p65, r.collisionProbability(), 1e-3 * n * n / 0x1p65);
        assertTrue(r.bytesPerState() <= 16, "bytes per state " + r.bytesPerState());
        assertTrue(r.bytesPerState() >= 13, "8 / 0.9 for the table plus 5 for the parents: " + r.bytesPerState());
        assertFalse(r.exact());
    }

    @Test
    void replayNoticesAModelThatIsNotDeterministic() {
        // successors() with explanations goes elsewhere than without: the replayed state was never stored.
        TransitionSystem<Long> liar = new Infinite() {
            @Override
            public List<Transition<Long>> successors(Long n, boolean explain) {
                List<Transition<Long>> real = super.successors(n, explain);
                if (!explain) {
                    return real;
                }
                List<Transition<Long>> out = new ArrayList<>();
                for (Transition<Long> t : real) {
                    out.add(new Transition<>(t.target() + 1_000_000_000L, t.label(), t.flags()));
                }
                return out;
            }
        };
        Result<Long> r = poolFromTheStart(liar, new Limits(10_000, null, 0), 2, false);
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> r.witnessToFlag("big"));
        assertTrue(e.getMessage().contains("not deterministic"), e.getMessage());
        assertEquals(List.of(), r.witnessToState(0));
    }
}
