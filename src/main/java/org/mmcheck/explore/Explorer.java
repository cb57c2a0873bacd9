package org.mmcheck.explore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.FutureTask;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.LongSupplier;

/**
 * Breadth-first explicit-state search over any {@link TransitionSystem}, on one or more worker
 * threads, with results that do not depend on the number of workers.
 *
 * <p>BFS is what makes the answers short: states get ids in discovery order, sources are expanded in
 * id order and transitions in index order, so the first state seen with an outcome and the first
 * transition seen raising a flag are at minimal depth. Only 64-bit fingerprints (the seen-set, see
 * {@link LongSeenSet}; or full keys in exact mode), a FIFO of frontier states and a parent table
 * (parent id and transition index, 5 bytes a state) are kept; witnesses are replayed on demand by
 * {@link Result}.
 *
 * <p>How the work is split: the frontier is cut, in id order, into chunks of up to {@link #MAX_CHUNK}
 * states. Expanding a chunk ({@link ChunkExpander}) is the expensive part and runs on the workers
 * ({@code workers - 1} pool threads plus the calling thread, which expands whenever it has nothing to
 * merge): {@code
 * successors(s, false)}, the targets' fingerprints, a lock-free look-up that
 * drops targets whose fingerprint the seen-set already holds (or that an earlier transition of the
 * chunk reached), and for the rest their state flags and packed form ({@link
 * TransitionSystem#stateFlags}, {@link TransitionSystem#pack}). Merging is sequential, on the
 * calling thread, strictly in (source id, transition index) order: it inserts the remaining targets
 * into the seen-set, hands out ids, records parents, outcomes and flags, and appends new states to
 * the frontier. So ids, counts, outcomes, first flag hits and witnesses are exactly those of a
 * 1-worker run (the look-up can only find fingerprints added by merges of earlier sources, which the
 * merge would have found too). The
 * pipeline runs across BFS levels: a state can be expanded as soon as it has been merged, so workers
 * never wait at a level barrier; since merges follow ids, this is still exactly level order. At most
 * {@code 2 * workers + 2} chunks are in flight, which bounds the memory held by expanded successors.
 * With one worker the same code runs without a thread pool; with more, the pool is only started once
 * {@link #PARALLEL_FROM} states are queued, so small searches do not pay for threads.
 *
 * <p>The model's {@code successors}, {@code fingerprint}, {@code key} and {@code outcome} are called
 * from the worker threads and must be safe to call concurrently on distinct states.
 *
 * <p>Deterministic: nothing depends on hash iteration order, timing or the number of workers, except
 * where a time or memory limit cuts the search. Each {@link #run()} is an independent search (with
 * its own thread pool, shut down at the end); an Explorer is not thread-safe.
 */
public final class Explorer<S> {

    static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;
    /** Expansions between heap checks; the clock (cheap next to successors()) is read every expansion. */
    static final int MEMORY_CHECK_INTERVAL = 1024;
    /** Most frontier states expanded as one task. */
    static final int MAX_CHUNK = 1024;
    /**
     * Most states a search stores: ids are ints, and the fingerprint table stops growing at about
     * 1.93 billion entries. Reaching it ends the search with {@link StopReason#MEMORY}.
     */
    static final long MAX_STATES_STORABLE = 1_900_000_000L;
    /**
     * With several workers, the search starts on the calling thread alone and starts the pool once
     * this many states are queued: small searches (most litmus tests) finish before that and pay
     * nothing for threads. Where the switch happens does not change any result.
     */
    static final int PARALLEL_FROM = 256;

    private final TransitionSystem<S> system;
    private final Limits limits;
    private final Progress progress;
    private final LongSupplier nanoClock;
    private final HeapGauge heap;
    private final int workers;
    private final boolean exact;
    private int parallelFrom = PARALLEL_FROM;

    /** One worker, fingerprints. */
    public Explorer(TransitionSystem<S> system, Limits limits, Progress progress) {
        this(system, limits, progress, 1, false);
    }

    /** {@code workers} threads (at least 1), fingerprints. */
    public Explorer(TransitionSystem<S> system, Limits limits, Progress progress, int workers) {
        this(system, limits, progress, workers, false);
    }

    /**
     * @param workers threads expanding states; 1 means the calling thread alone
     * @param exact   tell states apart by {@link TransitionSystem#key} in a hash set (no collisions,
     *                much more memory) instead of by 64-bit fingerprints
     */
    public Explorer(TransitionSystem<S> system, Limits limits, Progress progress, int workers, boolean exact) {
        this(system, limits, progress, System::nanoTime, HeapGauge.runtime(), workers, exact);
    }

    /** For tests: a fake clock (nanoseconds, arbitrary origin) and a fake heap; one worker, fingerprints. */
    Explorer(TransitionSystem<S> system, Limits limits, Progress progress, LongSupplier nanoClock, HeapGauge heap) {
        this(system, limits, progress, nanoClock, heap, 1, false);
    }

    Explorer(TransitionSystem<S> system, Limits limits, Progress progress, LongSupplier nanoClock, HeapGauge heap,
             int workers, boolean exact) {
        this.system = Objects.requireNonNull(system, "system");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.heap = Objects.requireNonNull(heap, "heap");
        if (workers < 1) {
            throw new IllegalArgumentException("workers must be at least 1: " + workers);
        }
        this.workers = workers;
        this.exact = exact;
    }

    /** For tests: start the pool once {@code queued} states are waiting (0: from the start). */
    Explorer<S> parallelFrom(int queued) {
        this.parallelFrom = queued;
        return this;
    }

    public Result<S> run() {
        Result<S> r = new Search().run();
        progress.finished(r);
        return r;
    }

    /** A chunk handed to the workers: its sources and its result. */
    private record Pending(Object[] sources, int count, FutureTask<Chunk> future) {}

    /** The mutable state of one run. */
    private final class Search {
        final long start = nanoClock.getAsLong();
        final long userMax = limits.maxStates() > 0 ? limits.maxStates() : Long.MAX_VALUE;
        final long maxStates = Math.min(userMax, MAX_STATES_STORABLE);
        final long timeoutNanos = toNanosSaturated(limits.timeout());
        final MemoryGuard memory = new MemoryGuard(heap, limits.memoryFraction());

        SeenSet seen = exact ? new HashSeenSet() : new LongSeenSet();
        final ChunkExpander<S> expander = new ChunkExpander<>(system, seen);
        final ParentTable parents = new ParentTable();
        /** States to expand, in id order, as {@link TransitionSystem#pack} made them. */
        ArrayDeque<Object> queue = new ArrayDeque<>();
        ArrayDeque<Pending> inflight = new ArrayDeque<>();
        final Map<Object, Long> outcomes = new LinkedHashMap<>();
        final Map<String, FlagHit> flags = new LinkedHashMap<>();
        long transitions;
        long expanded;
        /** States expanded through a persistent set only (partial-order reduction). */
        long reduced;
        long nextProgress = start + PROGRESS_INTERVAL_NANOS;
        int depth;
        long depthEnd = 1; // the first id of the next BFS level
        long queuedInChunks; // states dispatched but not yet merged
        StopReason reason = StopReason.COMPLETE;


        Result<S> run() {
            ExecutorService pool = null;
            try {
                S initial = system.initial();
                seen.add(exact ? 0 : system.fingerprint(initial), exact ? system.key(initial) : null);
                parents.add(-1, -1);
                Object initialOutcome = system.outcome(initial);
                if (initialOutcome != null) outcomes.put(initialOutcome, 0L);
                queue.add(system.pack(initial));
                if (sequential(workers > 1 ? parallelFrom : Long.MAX_VALUE) && !queue.isEmpty()) {
                    // The calling thread is one of the workers: it expands chunks whenever it has
                    // nothing to merge.
                    pool = Executors.newFixedThreadPool(workers - 1, daemonThreads());
                    parallel(pool);
                }
            } catch (OutOfMemoryError e) {
                // Last resort behind MemoryGuard: drop what the workers computed and the frontier, so
                // that building the partial result can succeed. What was merged so far is consistent:
                // a state is counted (parents.size()), with its outcome, only once fully added.
                expander.cancel();
                reason = StopReason.MEMORY;
                inflight = new ArrayDeque<>();
                queue = new ArrayDeque<>();
            } finally {
                expander.cancel();
                if (pool != null) {
                    pool.shutdownNow();
                    awaitQuietly(pool);
                }
            }
            long storeBytes = seen.bytes() < 0 ? -1 : seen.bytes() + parents.bytes();
            Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - start);
            return new Result<>(parents.size(), transitions, elapsed, reason, outcomes, flags,
                    new Witnesses<>(system, parents, seen), exact, storeBytes, workers, reduced);
        }

        /**
         * Expands and merges on the calling thread until the queue is empty or holds {@code until}
         * states. Returns false when a limit stopped the search.
         */
        boolean sequential(long until) {
            while (!queue.isEmpty() && queue.size() < until) {
                int n = Math.min(queue.size(), MAX_CHUNK);
                Object[] sources = take(n);
                queuedInChunks = n;
                if (!merge(expander.expand(sources, n))) {
                    return false;
                }
            }
            return true;
        }

        void parallel(ExecutorService pool) {
            int window = 2 * workers + 2;
            while (true) {
                while (inflight.size() < window && !queue.isEmpty()) {
                    // Small frontiers (the first levels) are split so every worker gets some.
                    int n = Math.min(MAX_CHUNK, Math.max(1, (queue.size() + workers - 1) / workers));
                    Object[] sources = take(n);
                    queuedInChunks += n;
                    FutureTask<Chunk> task = new FutureTask<>(() -> expander.expand(sources, n));
                    pool.execute(task);
                    inflight.add(new Pending(sources, n, task));
                }
                Pending p = inflight.poll();
                if (p == null) {
                    return;
                }
                if (!p.future().isDone()) {
                    help(p);
                }
                Chunk chunk;
                try {
                    chunk = p.future().get();
                } catch (InterruptedException e) {
                    // Someone wants this thread back: stop as if the time were up.
                    Thread.currentThread().interrupt();
                    reason = StopReason.TIMEOUT;
                    return;
                } catch (ExecutionException e) {
                    Throwable cause = e.getCause();
                    if (cause instanceof RuntimeException re) {
                        throw re;
                    }
                    if (cause instanceof Error err) {
                        throw err;
                    }
                    throw new IllegalStateException(cause);
                }
                if (!merge(chunk)) {
                    return;
                }
            }
        }

        /**
         * Instead of blocking until the workers have expanded the chunk to merge next, expand chunks
         * on this thread: that chunk itself if no worker has started it, else the newest ones (the
         * last a worker would get to). A FutureTask runs at most once, so a chunk a worker has started
         * or finished is skipped.
         */
        private void help(Pending head) {
            head.future().run();
            Iterator<Pending> newestFirst = inflight.descendingIterator();
            while (!head.future().isDone() && newestFirst.hasNext()) {
                newestFirst.next().future().run();
            }
        }

        private Object[] take(int n) {
            Object[] sources = new Object[n];
            for (int i = 0; i < n; i++) {
                sources[i] = queue.poll();
            }
            return sources;
        }

        /**
         * The sequential part, in (source id, transition index) order. Returns false when a limit
         * stopped the search (and {@link #reason} says which).
         */
        boolean merge(Chunk c) {
            int from = 0;
            for (int k = 0; k < c.count; k++) {
                long now = nanoClock.getAsLong();
                if (now - start >= timeoutNanos) {
                    return stop(StopReason.TIMEOUT);
                }
                if (Interrupt.requested()) {
                    return stop(StopReason.INTERRUPTED);
                }
                if (now - nextProgress >= 0) {
                    progress.report(parents.size(), transitions, queue.size() + queuedInChunks, depth,
                            (now - start) / 1_000_000, heap.used());
                    nextProgress = now + PROGRESS_INTERVAL_NANOS;
                }
                if (expanded % MEMORY_CHECK_INTERVAL == MEMORY_CHECK_INTERVAL - 1
                        && memory.exceeded(parents.size())) {
                    return stop(StopReason.MEMORY);
                }
                long id = expanded++;
                if (id == depthEnd) {
                    depth++;
                    depthEnd = parents.size();
                }
                c.sources[k] = null; // let the expanded state go
                queuedInChunks--;
                int to = c.ends[k];
                int[] persistent = c.persistent[k];
                if (persistent != null && allNew(c, from, persistent)) {
                    reduced++;
                    for (int i : persistent) {
                        if (!mergeTransition(c, id, from, from + i)) return false;
                    }
                } else {
                    for (int j = from; j < to; j++) {
                        if (!mergeTransition(c, id, from, j)) return false;
                    }
                }
                from = to;
            }
            return true;
        }

        /**
         * The proviso that makes a persistent set usable: all its targets are new. A reduced state
         * whose set leads back to a known state is explored fully, so every cycle of the reduced
         * graph has a fully explored state and no transition is postponed forever.
         */
        private boolean allNew(Chunk c, int from, int[] persistent) {
            for (int i : persistent) {
                int j = from + i;
                if (c.targets[j] == null) return false; // the worker found it known
                if (seen.contains(exact ? 0 : c.fingerprints[j], exact ? c.keys[j] : null)) return false;
            }
            return true;
        }

        /** Transition {@code j} of the chunk (index {@code j - from} of source {@code id}); false on a limit. */
        @SuppressWarnings("unchecked")
        private boolean mergeTransition(Chunk c, long id, int from, int j) {
            transitions++;
            // Flags belong to the transition, so they count even when the target is old.
            if (c.flags != null && c.flags[j] != null) {
                noteFlags((List<String>) c.flags[j], id, j - from);
            }
            Object target = c.targets[j];
            if (target == null) {
                return true; // the worker found it in the seen-set already
            }
            long newId = parents.size();
            if (seen.add(exact ? 0 : c.fingerprints[j], exact ? c.keys[j] : null)) {
                if (newId >= maxStates) {
                    // The fingerprint went into the seen-set but the state is not stored or
                    // counted; harmless since the search ends here.
                    return stop(newId >= userMax ? StopReason.MAX_STATES : StopReason.MEMORY);
                }
                parents.add(id, j - from);
                queue.add(target);
                Object outcome = c.outcomes == null ? null : c.outcomes[j];
                if (outcome != null && !outcomes.containsKey(outcome)) {
                    outcomes.put(outcome, newId);
                }
            }
            return true;
        }

        private boolean stop(StopReason why) {
            reason = why;
            return false;
        }

        private void noteFlags(List<String> raised, long source, int index) {
            for (int k = 0, n = raised.size(); k < n; k++) {
                String flag = raised.get(k);
                if (!flags.containsKey(flag)) {
                    flags.put(flag, new FlagHit(source, index));
                }
            }
        }
    }

    private static ThreadFactory daemonThreads() {
        AtomicInteger n = new AtomicInteger();
        return r -> {
            Thread t = new Thread(r, "mmcheck-worker-" + n.incrementAndGet());
            t.setDaemon(true);
            return t;
        };
    }

    private static void awaitQuietly(ExecutorService pool) {
        try {
            pool.awaitTermination(30, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static long toNanosSaturated(Duration timeout) {
        if (timeout == null) {
            return Long.MAX_VALUE;
        }
        try {
            return timeout.toNanos();
        } catch (ArithmeticException tooLong) {
            return Long.MAX_VALUE;
        }
    }
}
