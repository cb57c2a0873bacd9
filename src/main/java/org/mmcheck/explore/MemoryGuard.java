package org.mmcheck.explore;

/**
 * Decides whether the heap is too full to go on. Used heap includes garbage, so crossing the line
 * proves nothing by itself: the guard forces a full collection and reports pressure only if the heap
 * is still over the line afterwards.
 *
 * <p>Forcing a collection at every check would thrash once the heap hovers near the line, and a
 * fixed time-based rate limit lets a fast search overrun a small heap between collections. So the
 * guard paces collections by the search itself: each forced collection measures the live bytes per
 * stored state, and the next one is forced only when the states added since then could, at that
 * rate, have pushed the live size over the line. The explorer's OutOfMemoryError handler remains the
 * last resort. (With -XX:+DisableExplicitGC the collection does nothing and garbage counts as live,
 * so the search may stop early rather than late.)
 */
final class MemoryGuard {

    /** Over-estimate the growth per state a little: the frontier and hash tables grow in steps. */
    private static final double GROWTH_SAFETY = 1.25;

    private final HeapGauge heap;
    private final long limitBytes; // <0: disabled
    private long liveAtCollect = -1; // <0: never collected
    private long statesAtCollect;

    MemoryGuard(HeapGauge heap, double fraction) {
        this.heap = heap;
        long max = heap.max();
        boolean enabled = fraction > 0 && max > 0 && max != Long.MAX_VALUE;
        this.limitBytes = enabled ? (long) (Math.min(fraction, 1.0) * max) : -1;
    }

    /** True when the heap is over the limit even after a collection; {@code states} = states stored so far. */
    boolean exceeded(long states) {
        if (limitBytes < 0 || heap.used() <= limitBytes) {
            return false;
        }
        if (liveAtCollect >= 0 && statesAtCollect > 0) {
            double bytesPerState = (double) liveAtCollect / statesAtCollect;
            double projected = liveAtCollect + (states - statesAtCollect) * bytesPerState * GROWTH_SAFETY;
            if (projected <= limitBytes) {
                return false; // the excess is garbage; the JVM's own collector will reclaim it
            }
        }
        heap.collect();
        liveAtCollect = heap.used();
        statesAtCollect = states;
        return liveAtCollect > limitBytes;
    }
}
