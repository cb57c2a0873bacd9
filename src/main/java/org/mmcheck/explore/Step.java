package org.mmcheck.explore;

import java.util.List;

/**
 * One step of a witness path, as produced by replaying the model with explanations on.
 *
 * @param label the transition's label from {@code successors(state, true)}
 * @param flags the flags that transition raises (never null, immutable)
 */
public record Step(Object label, List<String> flags) {
    public Step {
        flags = flags == null ? List.of() : List.copyOf(flags);
    }
}
