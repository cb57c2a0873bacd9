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

    Result(long distinctStates, long transitions, Duration elapsed, StopReason stopReason,
           Map<Object, Long> outcomes, Map<String, FlagHit> flags, Witnesses<S> witnesses) {
        this.distinctStates = distinctStates;
        this.transitions = transitions;
        this.elapsed = elapsed;
        this.stopReason = stopReason;
        this.outcomes = Collections.unmodifiableMap(outcomes);
        this.flags = Collections.unmodifiableMap(flags);
        this.witnesses = witnesses;
    }

    /** Distinct states stored (ids are 0 .. distinctStates-1, 0 being the initial state). */
    public long distinctStates() {
        return distinctStates;
    }

    /** Transitions generated, including those into already-seen states. */
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
