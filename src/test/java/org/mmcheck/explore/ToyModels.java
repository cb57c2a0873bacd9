package org.mmcheck.explore;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** Small transition systems with known state spaces, for the explorer tests. */
final class ToyModels {

    private ToyModels() {
    }

    record Pair(int a, int b) {}

    /**
     * Two actors, A and B, each incrementing its own counter up to {@code max}; A's move is listed
     * first. (max+1)^2 states, 2*max*(max+1) transitions, depth of (a,b) is a+b. Labels are only
     * produced when explaining, like a real model's hot path.
     */
    static final class Counters implements TransitionSystem<Pair> {
        final int max;
        final Function<Pair, Object> outcome;

        Counters(int max, Function<Pair, Object> outcome) {
            this.max = max;
            this.outcome = outcome;
        }

        @Override
        public Pair initial() {
            return new Pair(0, 0);
        }

        @Override
        public List<Transition<Pair>> successors(Pair s, boolean explain) {
            List<Transition<Pair>> out = new ArrayList<>(2);
            if (s.a() < max) {
                out.add(new Transition<>(new Pair(s.a() + 1, s.b()), explain ? "A" : null, List.of()));
            }
            if (s.b() < max) {
                out.add(new Transition<>(new Pair(s.a(), s.b() + 1), explain ? "B" : null, List.of()));
            }
            return out;
        }

        @Override
        public Object key(Pair s) {
            return s;
        }

        /** Pair.hashCode() is 31a+b, which collides from max 31 on: fingerprint both fields instead. */
        @Override
        public long fingerprint(Pair s) {
            return mix(((long) s.a() << 32) | (s.b() & 0xFFFFFFFFL));
        }

        @Override
        public Object outcome(Pair s) {
            return outcome.apply(s);
        }
    }

    /** A bijective 64-bit mixer (murmur3's fmix64), for toy fingerprints. */
    static long mix(long h) {
        h ^= h >>> 33;
        h *= 0xff51afd7ed558ccdL;
        h ^= h >>> 33;
        h *= 0xc4ceb9fe1a85ec53L;
        h ^= h >>> 33;
        return h;
    }

    record Edge(String label, String target, List<String> flags) {}

    /** An explicit graph of named states; edges are listed in insertion order. */
    static final class Graph implements TransitionSystem<String> {
        private final String initial;
        private final Map<String, List<Edge>> edges = new LinkedHashMap<>();
        private final Map<String, Object> outcomes = new LinkedHashMap<>();
        private final Map<String, List<String>> stateFlags = new LinkedHashMap<>();
        final Map<String, Integer> stateFlagCalls = new LinkedHashMap<>();

        Graph(String initial) {
            this.initial = initial;
        }

        Graph edge(String from, String label, String to, String... flags) {
            edges.computeIfAbsent(from, k -> new ArrayList<>()).add(new Edge(label, to, List.of(flags)));
            return this;
        }

        /** Flags the state itself violates: reported through stateFlags(), and when explaining. */
        Graph stateFlag(String state, String... flags) {
            stateFlags.put(state, List.of(flags));
            return this;
        }

        Graph outcome(String state, Object outcome) {
            outcomes.put(state, outcome);
            return this;
        }

        @Override
        public String initial() {
            return initial;
        }

        @Override
        public List<Transition<String>> successors(String s, boolean explain) {
            List<Transition<String>> out = new ArrayList<>();
            for (Edge e : edges.getOrDefault(s, List.of())) {
                List<String> flags = e.flags();
                if (explain && stateFlags.containsKey(e.target())) {
                    flags = new ArrayList<>(flags);
                    for (String f : stateFlags.get(e.target())) {
                        if (!flags.contains(f)) {
                            flags.add(f);
                        }
                    }
                }
                out.add(new Transition<>(e.target(), explain ? e.label() : null, flags));
            }
            return out;
        }

        @Override
        public List<String> stateFlags(String s) {
            stateFlagCalls.merge(s, 1, Integer::sum);
            return stateFlags.getOrDefault(s, List.of());
        }

        @Override
        public Object key(String s) {
            return s;
        }

        @Override
        public Object outcome(String s) {
            return outcomes.get(s);
        }
    }

    /** n -> n+1 and n -> 2n+1: infinite, branching, every state new. Raises "big" on reaching 1000. */
    static class Infinite implements TransitionSystem<Long> {
        @Override
        public Long initial() {
            return 0L;
        }

        @Override
        public List<Transition<Long>> successors(Long n, boolean explain) {
            long inc = n + 1;
            long dbl = 2 * n + 1;
            return List.of(
                    new Transition<>(inc, explain ? "inc" : null, inc == 1000 ? List.of("big") : List.of()),
                    new Transition<>(dbl, explain ? "dbl" : null, dbl == 1000 ? List.of("big") : List.of()));
        }

        @Override
        public Object key(Long n) {
            return n;
        }

        @Override
        public Object outcome(Long n) {
            return null;
        }
    }

    /**
     * A pseudo-random graph on 0..n-1: state s has 0 to 6 successors picked by hashing (so many
     * duplicates, within and across BFS levels, and some deadlocks), a few transitions raise one of
     * five flags, and some states have one of eleven outcomes. Big enough to spread over many chunks.
     */
    static final class RandomGraph implements TransitionSystem<Integer> {
        final int n;

        RandomGraph(int n) {
            this.n = n;
        }

        @Override
        public Integer initial() {
            return 0;
        }

        @Override
        public List<Transition<Integer>> successors(Integer s, boolean explain) {
            long h = mix(s + 0x1234567L);
            int fanout = (int) Long.remainderUnsigned(h, 7);
            List<Transition<Integer>> out = new ArrayList<>(fanout);
            for (int i = 0; i < fanout; i++) {
                long e = mix(h + i);
                int t = (int) Long.remainderUnsigned(e, n);
                List<String> flags = Long.remainderUnsigned(e >>> 20, 997) == 0
                        ? List.of("f" + Long.remainderUnsigned(e >>> 40, 5)) : List.of();
                out.add(new Transition<>(t, explain ? s + "->" + t : null, flags));
            }
            return out;
        }

        @Override
        public Object key(Integer s) {
            return s;
        }

        @Override
        public long fingerprint(Integer s) {
            return mix(s);
        }

        @Override
        public Object outcome(Integer s) {
            return s % 50 == 7 ? "o" + (s % 11) : null;
        }
    }

    /** A deterministic fake nanosecond clock that advances by a fixed step on every read. */
    static final class StepClock implements java.util.function.LongSupplier {
        private final long stepNanos;
        private long now = 1_000_000_000_000L; // arbitrary origin, like System.nanoTime()
        long reads;

        StepClock(long stepNanos) {
            this.stepNanos = stepNanos;
        }

        @Override
        public long getAsLong() {
            reads++;
            return now += stepNanos;
        }
    }

    /** A fake heap: a fixed max, a settable "used", and a collection that may or may not help. */
    static final class FakeHeap implements HeapGauge {
        long used;
        long usedAfterCollect;
        int collections;

        FakeHeap(long used, long usedAfterCollect) {
            this.used = used;
            this.usedAfterCollect = usedAfterCollect;
        }

        @Override
        public long used() {
            return used;
        }

        @Override
        public long max() {
            return 1000;
        }

        @Override
        public void collect() {
            collections++;
            used = usedAfterCollect;
        }
    }
}
