package org.mmcheck.kernel;

/**
 * Thrown when a step would sleep on a page lock that another actor holds across steps (a reclaim pass
 * between its two halves). The step is then not enabled in this state: the caller discards the
 * half-built successor and the actor retries in a later state.
 */
public final class WouldBlock extends RuntimeException {
    public WouldBlock(String why) {
        super(why, null, false, false);
    }
}
