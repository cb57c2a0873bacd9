package org.mmcheck.explore;

/**
 * The set of states already stored, keyed by {@link TransitionSystem#key}. Behind an interface so
 * that swapping the exact key map for fingerprints (and a concurrent table) stays local.
 */
interface SeenSet {

    /**
     * Records {@code key} with {@code id} unless it is already present.
     *
     * @return true when the key was new (and is now recorded with {@code id})
     */
    boolean add(Object key, long id);

    /** Number of keys recorded. */
    long size();
}
