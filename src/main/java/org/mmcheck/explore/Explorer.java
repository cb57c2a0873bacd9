package org.mmcheck.explore;

import java.time.Duration;
import java.util.ArrayDeque;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.LongSupplier;
import org.mmcheck.explore.TransitionSystem.Transition;

/**
 * Breadth-first explicit-state search over any {@link TransitionSystem}.
 *
 * <p>BFS is what makes the answers short: states get ids in discovery order, sources are expanded in
 * id order and transitions in index order, so the first state seen with an outcome and the first
 * transition seen raising a flag are at minimal depth. Only keys (seen-set), a queue of frontier
 * states and a parent table are kept; witnesses are replayed on demand by {@link Result}.
 *
 * <p>Deterministic: nothing depends on hash iteration order or timing, except where a time or
 * memory limit cuts the search.
 *
 * <p>Each {@link #run()} is an independent search; an Explorer is not thread-safe.
 */
public final class Explorer<S> {

    static final long PROGRESS_INTERVAL_NANOS = 2_000_000_000L;
    /** Expansions between heap checks; the clock (cheap next to successors()) is read every expansion. */
    static final int MEMORY_CHECK_INTERVAL = 1024;

    private final TransitionSystem<S> system;
    private final Limits limits;
    private final Progress progress;
    private final LongSupplier nanoClock;
    private final HeapGauge heap;

    public Explorer(TransitionSystem<S> system, Limits limits, Progress progress) {
        this(system, limits, progress, System::nanoTime, HeapGauge.runtime());
    }

    /** For tests: a fake clock (nanoseconds, arbitrary origin) and a fake heap. */
    Explorer(TransitionSystem<S> system, Limits limits, Progress progress, LongSupplier nanoClock, HeapGauge heap) {
        this.system = Objects.requireNonNull(system, "system");
        this.limits = Objects.requireNonNull(limits, "limits");
        this.progress = Objects.requireNonNull(progress, "progress");
        this.nanoClock = Objects.requireNonNull(nanoClock, "nanoClock");
        this.heap = Objects.requireNonNull(heap, "heap");
    }

    public Result<S> run() {
        final long start = nanoClock.getAsLong();
        final long maxStates = limits.maxStates() > 0 ? limits.maxStates() : Long.MAX_VALUE;
        final long timeoutNanos = toNanosSaturated(limits.timeout());
        final MemoryGuard memory = new MemoryGuard(heap, limits.memoryFraction());

        SeenSet seen = new HashSeenSet();
        ParentTable parents = new ParentTable();
        ArrayDeque<S> queue = new ArrayDeque<>();
        Map<Object, Long> outcomes = new LinkedHashMap<>();
        Map<String, FlagHit> flags = new LinkedHashMap<>();
        long transitions = 0;
        long nextProgress = start + PROGRESS_INTERVAL_NANOS;
        StopReason reason = StopReason.COMPLETE;

        try {
            S initial = system.initial();
            seen.add(system.key(initial), 0);
            parents.add(-1, -1);
            noteOutcome(initial, 0, outcomes);
            queue.add(initial);

            // Since the queue is FIFO and ids are handed out at enqueue time, the n-th state
            // dequeued has id n: the queue need not carry ids.
            long expanded = 0;
            search:
            while (!queue.isEmpty()) {
                long now = nanoClock.getAsLong();
                if (now - start >= timeoutNanos) {
                    reason = StopReason.TIMEOUT;
                    break;
                }
                if (now - nextProgress >= 0) {
                    progress.report(parents.size(), transitions, queue.size(), (now - start) / 1_000_000,
                            heap.used());
                    nextProgress = now + PROGRESS_INTERVAL_NANOS;
                }
                if (expanded % MEMORY_CHECK_INTERVAL == MEMORY_CHECK_INTERVAL - 1
                        && memory.exceeded(parents.size())) {
                    reason = StopReason.MEMORY;
                    break;
                }

                S state = queue.poll();
                long id = expanded++;
                List<Transition<S>> successors = system.successors(state, false);
                for (int i = 0, n = successors.size(); i < n; i++) {
                    Transition<S> t = successors.get(i);
                    transitions++;
                    // Flags belong to the transition, so they count even when the target is old.
                    List<String> raised = t.flags();
                    if (raised != null && !raised.isEmpty()) {
                        noteFlags(raised, id, i, flags);
                    }
                    S target = t.target();
                    long newId = parents.size();
                    if (seen.add(system.key(target), newId)) {
                        if (newId >= maxStates) {
                            // The key went into the seen-set but the state is not stored or counted;
                            // harmless since the search ends here, and it keeps the hot path to one lookup.
                            reason = StopReason.MAX_STATES;
                            break search;
                        }
                        parents.add(id, i);
                        noteOutcome(target, newId, outcomes);
                        queue.add(target);
                    }
                }
            }
        } catch (OutOfMemoryError e) {
            // Last resort behind MemoryGuard: drop the frontier and seen-set (the bulk of the heap) so
            // that building the partial result can succeed. Everything recorded so far is consistent:
            // a state is counted (parents.size()) only once fully added.
            queue.clear();
            seen = null;
            reason = StopReason.MEMORY;
        }

        Duration elapsed = Duration.ofNanos(nanoClock.getAsLong() - start);
        return new Result<>(parents.size(), transitions, elapsed, reason, outcomes, flags,
                new Witnesses<>(system, parents));
    }

    private void noteOutcome(S state, long id, Map<Object, Long> outcomes) {
        Object outcome = system.outcome(state);
        if (outcome != null && !outcomes.containsKey(outcome)) {
            outcomes.put(outcome, id);
        }
    }

    private static void noteFlags(List<String> raised, long source, int index, Map<String, FlagHit> flags) {
        for (int k = 0, n = raised.size(); k < n; k++) {
            String flag = raised.get(k);
            if (!flags.containsKey(flag)) {
                flags.put(flag, new FlagHit(source, index));
            }
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
