package org.mmcheck.explore;

/** The successors of a run of frontier states, as a worker computed them for the merge. */
final class Chunk {
    final Object[] sources;
    final int count;
    /** Per source: the end (exclusive) of its transitions in the arrays below. */
    final int[] ends;
    long[] fingerprints;  // fingerprint mode
    Object[] keys;        // exact mode
    /** Per transition: the packed target, or null when the worker found it known already. */
    Object[] targets;
    /** Per transition: the outcome of its (new) target, or null; the array is null when there is none. */
    Object[] outcomes;
    /** Per transition: its flags, or null for none; the array itself is null when no flag was raised. */
    Object[] flags;
    int transitions;
    /** Per source: the persistent subset of its transitions (indices from 0), or null for all. */
    final int[][] persistent;

    Chunk(Object[] sources, int count) {
        this.sources = sources;
        this.count = count;
        this.ends = new int[count];
        this.persistent = new int[count][];
    }
}
