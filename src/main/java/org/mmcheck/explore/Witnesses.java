package org.mmcheck.explore;

import java.util.ArrayList;
import java.util.List;
import org.mmcheck.explore.TransitionSystem.Transition;

/**
 * Rebuilds witness paths the way TLC does: walk the parent table back to the initial state to get
 * the transition indices, then replay them forward from {@code initial()} with explanations on.
 * Only the indices are stored; labels exist only during replay. Every state the replay passes
 * through must be in the seen-set (by fingerprint, or by key in exact mode): a state that is not
 * means successors() is not a deterministic function of the key, and the replay fails loudly rather
 * than print a wrong witness.
 */
final class Witnesses<S> {

    private final TransitionSystem<S> system;
    private final ParentTable parents;
    private final SeenSet seen; // null when dropped (out of memory): no membership check then

    Witnesses(TransitionSystem<S> system, ParentTable parents, SeenSet seen) {
        this.system = system;
        this.parents = parents;
        this.seen = seen;
    }

    long stateCount() {
        return parents.size();
    }

    /** The path from the initial state to state {@code id}, plus the transition {@code lastIndex} when >= 0. */
    List<Step> replay(long id, int lastIndex) {
        if (id < 0 || id >= parents.size()) {
            throw new IllegalArgumentException("no state with id " + id + " (have " + parents.size() + ")");
        }
        int depth = 0;
        for (long s = id; parents.parent(s) >= 0; s = parents.parent(s)) {
            depth++;
        }
        int[] path = new int[depth + (lastIndex >= 0 ? 1 : 0)];
        int k = depth;
        for (long s = id; parents.parent(s) >= 0; s = parents.parent(s)) {
            path[--k] = parents.transitionIndex(s);
        }
        if (lastIndex >= 0) {
            path[depth] = lastIndex;
        }
        List<Step> steps = new ArrayList<>(path.length);
        S state = system.initial();
        for (int index : path) {
            List<Transition<S>> successors = system.successors(state, true);
            if (index >= successors.size()) {
                throw new IllegalStateException("replay diverged at step " + steps.size() + ": transition "
                        + index + " of " + successors.size() + "; successors() is not deterministic");
            }
            Transition<S> t = successors.get(index);
            steps.add(new Step(t.label(), t.flags()));
            state = t.target();
            if (steps.size() <= depth && seen != null && !isSeen(state)) {
                throw new IllegalStateException("replay diverged at step " + (steps.size() - 1)
                        + ": reached a state the search never stored; successors() is not deterministic");
            }
        }
        return steps;
    }

    private boolean isSeen(S state) {
        return seen.exact() ? seen.contains(0, system.key(state)) : seen.contains(system.fingerprint(state), null);
    }
}
