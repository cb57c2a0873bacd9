package org.mmcheck.explore;

/**
 * The set of states already stored. Two implementations: {@link LongSeenSet} (the default) keeps
 * only 64-bit fingerprints ({@link TransitionSystem#fingerprint}); {@link HashSeenSet} keeps full
 * keys ({@link TransitionSystem#key}) and is exact. Each uses one of the two identities passed in
 * and ignores the other, so callers compute only the one that {@link #exact()} asks for.
 */
interface SeenSet {

    /** True when the set compares keys; false when it compares fingerprints. */
    boolean exact();

    /**
     * Records a state unless it is already present. Called from one thread only.
     *
     * @return true when the state was new
     */
    boolean add(long fingerprint, Object key);

    /** Whether a state is present; from the adding thread (or after the search). */
    boolean contains(long fingerprint, Object key);

    /**
     * A lock-free membership test that other threads may call while {@link #add} runs: true only if
     * the fingerprint is present; false may miss one being added concurrently. Exact sets cannot answer
     * concurrently and always say false.
     */
    boolean seenBefore(long fingerprint);

    /** Number of states recorded. */
    long size();

    /** Bytes of heap the set holds, or -1 when unknown (keys are the model's objects). */
    long bytes();
}
