package org.mmcheck.explore;

/**
 * Periodic news from a running search. The explorer calls it from the searching thread at most
 * every ~2 seconds, the first time after ~2 seconds, so a short run may never call it; the final
 * numbers are in the {@link Result}, which {@link #finished} receives.
 */
@FunctionalInterface
public interface Progress {

    /**
     * @param distinct      distinct states stored so far
     * @param generated     transitions generated so far
     * @param queued        states discovered but not yet expanded
     * @param elapsedMillis time since the search started
     * @param usedHeapBytes heap in use (including garbage not yet collected)
     */
    void report(long distinct, long generated, long queued, long elapsedMillis, long usedHeapBytes);

    /**
     * The explorer calls this one; {@code depth} is the BFS level being expanded (the length of the
     * shortest path to the states being expanded). The default drops the depth.
     */
    default void report(long distinct, long generated, long queued, int depth, long elapsedMillis,
                        long usedHeapBytes) {
        report(distinct, generated, queued, elapsedMillis, usedHeapBytes);
    }

    /** Called once when the search has ended, with its result. The default does nothing. */
    default void finished(Result<?> result) {
    }

    /** A progress sink that ignores everything. */
    static Progress silent() {
        return (distinct, generated, queued, elapsedMillis, usedHeapBytes) -> { };
    }
}
