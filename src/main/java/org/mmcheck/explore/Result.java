package org.mmcheck.explore;

import java.time.Duration;
import java.util.Collections;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;

/**
 * What a search found. Complete when {@link #stopReason()} is {@link StopReason#COMPLETE}; otherwise
 * everything here is a correct but partial account of the states reached before the limit.
 * Keeps the parent table (not the states) so witnesses can be rebuilt on demand.
 */
public final class Result<S> {

    private final long distinctStates;
    private final long transitions;
    private final Duration elapsed;
    private final StopReason stopReason;
    private final Map<Object, Long> outcomes;
    private final Map<String, FlagHit> flags;
    private final Witnesses<S> witnesses;
    private final boolean exact;
    private final long storeBytes;
    private final int workers;
    private final long reducedStates;

    Result(long distinctStates, long transitions, Duration elapsed, StopReason stopReason,
           Map<Object, Long> outcomes, Map<String, FlagHit> flags, Witnesses<S> witnesses,
           boolean exact, long storeBytes, int workers, long reducedStates) {
        this.distinctStates = distinctStates;
        this.transitions = transitions;
        this.elapsed = elapsed;
        this.stopReason = stopReason;
        this.outcomes = Collections.unmodifiableMap(outcomes);
        this.flags = Collections.unmodifiableMap(flags);
        this.witnesses = witnesses;
        this.exact = exact;
        this.storeBytes = storeBytes;
        this.workers = workers;
        this.reducedStates = reducedStates;
    }

    /**
     * States whose successors were explored through a persistent subset only (partial-order
     * reduction); 0 when the model offers none.
     */
    public long reducedStates() {
        return reducedStates;
    }

    /** Distinct states stored (ids are 0 .. distinctStates-1, 0 being the initial state). */
    public long distinctStates() {
        return distinctStates;
    }

    /**
     * Transitions explored, including those into already-seen states (of a state reduced to a
     * persistent set, only the set's).
     */
    public long transitions() {
        return transitions;
    }

    public Duration elapsed() {
        return elapsed;
    }

    public StopReason stopReason() {
        return stopReason;
    }

    /** Each distinct outcome to the id of the first (hence shallowest) state with it, in discovery order. */
    public Map<Object, Long> outcomes() {
        return outcomes;
    }

    /** Each flag to its first (hence shortest-witness) transition, in discovery order. */
    public Map<String, FlagHit> flags() {
        return flags;
    }

    /** True when states were told apart by full keys; false (the default) when by 64-bit fingerprints. */
    public boolean exact() {
        return exact;
    }

    /**
     * The probability that two of the distinct states stored share a fingerprint, so that one was
     * wrongly taken for already seen and the search missed it (and possibly what lies behind it): with
     * n fingerprints drawn uniformly from 2^64 values, 1 - exp(-n(n-1)/2^65), about n^2/2^65. Zero in
     * exact mode. Assumes the model's fingerprints are uniform (a weak
     * {@link TransitionSystem#fingerprint} makes the real figure higher).
     */
    public double collisionProbability() {
        if (exact) {
            return 0;
        }
        double n = distinctStates;
        return -Math.expm1(-n * (n - 1) / 0x1p65);
    }

    /**
     * Heap held per distinct state by the seen-set and the parent table (table capacity times 8 plus
     * the parent arrays, divided by the states); NaN in exact mode, where the keys are the model's objects.
     * The frontier's states are not counted: they are freed as the search proceeds.
     */
    public double bytesPerState() {
        return storeBytes < 0 || distinctStates == 0 ? Double.NaN : (double) storeBytes / distinctStates;
    }

    /** Worker threads the search used (results do not depend on it). */
    public int workers() {
        return workers;
    }

    /** The shortest path from the initial state to state {@code stateId}; empty for the initial state. */
    public List<Step> witnessToState(long stateId) {
        return witnesses.replay(stateId, -1);
    }

    /** The shortest path that raises {@code flag}, ending with the flagged transition itself. */
    public List<Step> witnessToFlag(String flag) {
        FlagHit hit = flags.get(flag);
        if (hit == null) {
            throw new NoSuchElementException("flag never raised: " + flag);
        }
        return witnesses.replay(hit.sourceStateId(), hit.transitionIndex());
    }

    @Override
    public String toString() {
        return "Result[" + stopReason + ", states=" + distinctStates + ", transitions=" + transitions
                + ", outcomes=" + outcomes.size() + ", flags=" + flags.keySet() + ", elapsed=" + elapsed + "]";
    }
}
