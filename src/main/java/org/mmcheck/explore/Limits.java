package org.mmcheck.explore;

import java.time.Duration;

/**
 * When to give up on a search that has not finished. Reaching a limit is not an error: the explorer
 * returns the partial {@link Result} with the matching {@link StopReason}.
 *
 * @param maxStates      most distinct states to store; {@code <= 0} means no limit. Exact: the
 *                       search stops instead of storing state number {@code maxStates + 1}, so
 *                       {@code distinctStates() <= maxStates} always holds
 * @param timeout        wall-clock budget; {@code null} means none
 * @param memoryFraction stop when the used heap (after a forced collection) exceeds this fraction
 *                       of the max heap, e.g. 0.85; {@code <= 0} means no check (an
 *                       {@link OutOfMemoryError} during the search is still caught and reported as
 *                       {@link StopReason#MEMORY})
 */
public record Limits(long maxStates, Duration timeout, double memoryFraction) {

    public Limits {
        if (timeout != null && timeout.isNegative()) {
            throw new IllegalArgumentException("negative timeout: " + timeout);
        }
        if (Double.isNaN(memoryFraction)) {
            throw new IllegalArgumentException("memoryFraction is NaN");
        }
    }

    /** No limit at all: the search runs until the state space is exhausted. */
    public static Limits none() {
        return new Limits(0, null, 0.0);
    }
}
