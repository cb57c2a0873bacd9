package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * The explorer's side of partial-order reduction: it explores only the persistent set a model offers,
 * unless one of its targets is known already (the cycle proviso), and stays deterministic for any
 * number of workers.
 */
class PersistentSetExplorerTest {

    /**
     * {@code n} actors, each counting its own counter up to {@code max}: every pair of moves commutes,
     * so the first actor that can move is a persistent set on its own. Final state: all at max.
     */
    record Counts(int[] c) {
        @Override
        public boolean equals(Object o) {
            return o instanceof Counts k && java.util.Arrays.equals(c, k.c);
        }

        @Override
        public int hashCode() {
            return java.util.Arrays.hashCode(c);
        }
    }

    static final class Independent implements TransitionSystem<Counts> {
        final int n;
        final int max;
        final boolean reduce;

        Independent(int n, int max, boolean reduce) {
            this.n = n;
            this.max = max;
            this.reduce = reduce;
        }

        @Override
        public Counts initial() {
            return new Counts(new int[n]);
        }

        @Override
        public List<Transition<Counts>> successors(Counts s, boolean explain) {
            List<Transition<Counts>> out = new ArrayList<>();
            for (int a = 0; a < n; a++) {
                if (s.c()[a] == max) continue;
                int[] c = s.c().clone();
                c[a]++;
                // Actor 1 raises a flag on its last move: visible, so never postponed past it.
                List<String> flags = a == 1 && c[a] == max ? List.of("last-of-1") : List.of();
                out.add(new Transition<>(new Counts(c), explain ? "A" + a : null, flags, a));
            }
            return out;
        }

        @Override
        public int[] persistentSet(Counts s, List<Transition<Counts>> successors) {
            if (!reduce) return null;
            Transition<Counts> first = successors.get(0);
            return first.flags().isEmpty() && outcome(first.target()) == null ? new int[] {0} : null;
        }

        @Override
        public Object key(Counts s) {
            return s;
        }

        @Override
        public Object outcome(Counts s) {
            for (int v : s.c()) if (v != max) return null;
            return "done";
        }
    }

    @Test
    void aPersistentSetIsExploredAloneAndKeepsOutcomesAndFlags() {
        Result<Counts> full = new Explorer<>(new Independent(3, 4, false), Limits.none(), Progress.silent()).run();
        Result<Counts> reduced = new Explorer<>(new Independent(3, 4, true), Limits.none(), Progress.silent()).run();
        assertEquals(125, full.distinctStates());
        assertEquals(0, full.reducedStates());
        assertEquals(full.outcomes().keySet(), reduced.outcomes().keySet());
        assertEquals(full.flags().keySet(), reduced.flags().keySet());
        assertTrue(reduced.distinctStates() < 40, "one order of the independent moves: " + reduced.distinctStates());
        assertTrue(reduced.reducedStates() > 0);
        // The witness is replayed through the full successor list, by index.
        List<Step> w = reduced.witnessToFlag("last-of-1");
        assertEquals(List.of("last-of-1"), w.get(w.size() - 1).flags());
    }

    @Test
    void sameReducedSearchForAnyNumberOfWorkers() {
        Independent m = new Independent(4, 9, true);
        Result<Counts> one = new Explorer<>(m, Limits.none(), Progress.silent()).run();
        for (int w : new int[] {2, 3, 4}) {
            Result<Counts> r = ParallelExplorerTest.poolFromTheStart(m, Limits.none(), w, false);
            ExplorerTest.assertSameResult(one, r);
            assertEquals(one.reducedStates(), r.reducedStates());
        }
        Result<Counts> exact = new Explorer<>(m, Limits.none(), Progress.silent(), 1, true).run();
        assertEquals(one.distinctStates(), exact.distinctStates());
        assertEquals(one.reducedStates(), exact.reducedStates());
    }

    /**
     * A model that always offers actor 0's move alone, although actor 0 cycles (0 -> 1 -> 0) and
     * actor 1's move is the only way to the end: without the proviso the search would go round the
     * cycle and never take actor 1's move. With it, the state that closes the cycle is explored fully.
     */
    static final class Spinner implements TransitionSystem<Integer> {
        @Override
        public Integer initial() {
            return 0;
        }

        @Override
        public List<Transition<Integer>> successors(Integer s, boolean explain) {
            if (s >= 2) return List.of();
            return List.of(new Transition<>(1 - s, explain ? "spin" : null, List.of(), 0),
                    new Transition<>(2 + s, explain ? "leave" : null, List.of(), 1));
        }

        @Override
        public int[] persistentSet(Integer s, List<Transition<Integer>> successors) {
            return new int[] {0};
        }

        @Override
        public Object key(Integer s) {
            return s;
        }

        @Override
        public Object outcome(Integer s) {
            return s >= 2 ? "left from " + (s - 2) : null;
        }
    }

    @Test
    void aSetWhoseTargetIsKnownIsNotEnough() {
        Result<Integer> r = new Explorer<>(new Spinner(), Limits.none(), Progress.silent()).run();
        // State 0 is reduced (spin to the new state 1); state 1 spins back to the known 0, so it is
        // explored fully and "leave" is taken from there.
        assertEquals(1, r.reducedStates());
        assertEquals(List.of("left from 1"), List.copyOf(r.outcomes().keySet()).stream().map(Object::toString).toList());
        assertEquals(3, r.distinctStates());
    }
}
