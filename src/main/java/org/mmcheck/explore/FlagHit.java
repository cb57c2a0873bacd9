package org.mmcheck.explore;

/**
 * Where a flag was first raised: the {@code transitionIndex}-th transition of
 * {@code successors(state #sourceStateId)}. Two numbers rather than a path, so that a witness is
 * rebuilt on demand by replay (see {@link Result#witnessToFlag}).
 */
public record FlagHit(long sourceStateId, int transitionIndex) {}
