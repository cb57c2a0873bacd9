package org.mmcheck.explore;

import java.util.List;

/**
 * What the explorer needs from a model, and nothing more: an initial state, the ordered successors
 * of a state, a canonical key for de-duplication, and the outcome of a final state. The explorer knows
 * nothing of what the states mean.
 *
 * <p>Contract: {@link #successors} must be a pure function of the state's key: two states with equal
 * keys yield the same number of transitions, in the same order, with equal target keys and equal flag
 * lists (labels may differ, e.g. in stable numbering). The explorer relies on this to rebuild a witness
 * by re-running successor indices from the initial state.
 *
 * @param <S> the state type
 */
public interface TransitionSystem<S> {

    S initial();

    /**
     * The transitions out of {@code state}, in a deterministic order.
     *
     * @param explain when true, each transition carries a human-readable label (witness replay);
     *                when false the label may be null (the hot path)
     */
    List<Transition<S>> successors(S state, boolean explain);

    /** A value with equals/hashCode: equal keys mean the same state. */
    Object key(S state);

    /**
     * A 64-bit fingerprint of the state's key: equal keys give equal fingerprints, and distinct keys
     * should collide with probability about 2^-64. The default spreads {@code key(state).hashCode()},
     * which is only 32 bits of entropy: real models override it.
     */
    default long fingerprint(S state) {
        long h = key(state).hashCode() * 0x9E3779B97F4A7C15L;
        return h ^ (h >>> 29) ^ (h << 17);
    }

    /** The outcome of a final state (equals/hashCode), or null when {@code state} is not final. */
    Object outcome(S state);

    /**
     * A compact form of a state for the search queue, where states wait long enough to fall out of
     * the CPU caches (default: the state itself). {@code unpack(pack(s))} must behave exactly like
     * {@code s}. Called from the worker threads.
     */
    default Object pack(S state) {
        return state;
    }

    /** The state back from {@link #pack}. */
    @SuppressWarnings("unchecked")
    default S unpack(Object packed) {
        return (S) packed;
    }

    /**
     * The properties {@code state} itself violates (invariants), as opposed to those a step violates.
     * They depend on the state's key alone, so the explorer asks once per state it has not seen
     * before and adds them to the flags of the transition that found it; {@code successors(s, false)}
     * may leave them out, {@code successors(s, true)} must include them. Most transitions lead to
     * known states, so this saves checking them again. The initial state's own flags are not asked
     * for: no step leads to it.
     */
    default List<String> stateFlags(S state) {
        return List.of();
    }

    /**
     * Partial-order reduction: the indices (ascending) of a persistent subset of {@code successors},
     * or null to explore them all. A persistent set is one that every execution from {@code state}
     * must meet before it can do anything that depends on it, whose transitions raise no flag and reach
     * no final state; exploring only it keeps every reachable outcome and every flag. The explorer
     * still explores all of them when one of the subset's targets is already known (so that no cycle
     * of reduced states can postpone a transition forever). Must be a pure function of the state's key
     * and the successor list, like {@link #successors}. Called from the worker threads.
     */
    default int[] persistentSet(S state, List<Transition<S>> successors) {
        return null;
    }

    /**
     * One transition.
     *
     * @param target the successor state
     * @param label  what happened (null unless explaining)
     * @param flags  ids of the properties this transition violates: those of the step and, when
     *               explaining, those of the target (see {@link #stateFlags})
     * @param actor  which of the system's actors made it, for the model's own {@link #persistentSet};
     *               -1 when the model does not say
     */
    record Transition<S>(S target, Object label, List<String> flags, int actor) {
        public Transition(S target, Object label, List<String> flags) {
            this(target, label, flags, -1);
        }
    }
}
