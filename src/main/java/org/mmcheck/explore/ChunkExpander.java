package org.mmcheck.explore;

import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import org.mmcheck.explore.TransitionSystem.Transition;

/**
 * The parallel part of the search: turns a run of frontier states into a {@link Chunk} for the
 * merge. Safe to call from several worker threads at once (it only reads the seen-set, through its
 * lock-free look-up).
 */
final class ChunkExpander<S> {
    /** One chunk-local fingerprint set per worker thread, reused. */
    private static final ThreadLocal<LocalFingerprints> LOCAL_FINGERPRINTS =
            ThreadLocal.withInitial(LocalFingerprints::new);

    private final TransitionSystem<S> system;
    private final SeenSet seen;
    private final boolean exact;
    private volatile boolean cancelled;

    ChunkExpander(TransitionSystem<S> system, SeenSet seen) {
        this.system = system;
        this.seen = seen;
        this.exact = seen.exact();
    }

    /** Makes expansions in progress, and later ones, return null. */
    void cancel() {
        cancelled = true;
    }

    /**
     * The parallel part: successors, fingerprints (or keys) and outcomes. Each target is settled
     * while it is still in the CPU caches: dropped if the seen-set already holds its fingerprint
     * (a lock-free read: anything found there was merged before this chunk's sources) or if an
     * earlier transition of this chunk reached it (the merge meets that one first, so this one is
     * old by then); otherwise its state flags are added to the transition's and it is packed for
     * the queue. Returns null once the search is cancelled.
     */
    Chunk expand(Object[] sources, int count) {
        Chunk c = new Chunk(sources, count);
        int cap = Math.max(16, count * 8);
        long[] fps = exact ? null : new long[cap];
        Object[] keys = exact ? new Object[cap] : null;
        Object[] targets = new Object[cap];
        Object[] raised = null;
        Object[] outcomes = null;
        LocalFingerprints firsts = exact ? null : LOCAL_FINGERPRINTS.get().reset(cap);
        boolean[] known = new boolean[32];
        int n = 0;
        for (int k = 0; k < count; k++) {
            if (cancelled) {
                return null;
            }
            S state = system.unpack(sources[k]);
            List<Transition<S>> successors = system.successors(state, false);
            int m = successors.size();
            if (known.length < m) {
                known = new boolean[m * 2];
            }
            if (n + m > targets.length) {
                int newCap = Math.max(n + m, targets.length * 2);
                targets = Arrays.copyOf(targets, newCap);
                if (exact) {
                    keys = Arrays.copyOf(keys, newCap);
                } else {
                    fps = Arrays.copyOf(fps, newCap);
                }
                if (raised != null) {
                    raised = Arrays.copyOf(raised, newCap);
                }
                if (outcomes != null) {
                    outcomes = Arrays.copyOf(outcomes, newCap);
                }
            }
            // Fingerprints first, then the seen-set look-ups in a row: they are independent
            // random reads into a table larger than the caches, so the CPU overlaps their misses.
            for (int i = 0; i < m; i++) {
                S target = successors.get(i).target();
                if (exact) {
                    keys[n + i] = system.key(target);
                } else {
                    fps[n + i] = system.fingerprint(target);
                }
            }
            for (int i = 0; i < m; i++) {
                known[i] = !exact && seen.seenBefore(fps[n + i]);
            }
            int[] persistent = m > 1 ? system.persistentSet(state, successors) : null;
            c.persistent[k] = persistent;
            int next = 0; // the next index of `persistent`
            for (int i = 0; i < m; i++, n++) {
                Transition<S> t = successors.get(i);
                S target = t.target();
                // A transition outside a persistent set is explored only if the merge finds the set
                // unusable; if it is not, an earlier twin dropped by `firsts` would be lost, so such
                // transitions neither use nor feed `firsts`.
                boolean optional = persistent != null && (next >= persistent.length || persistent[next] != i);
                if (!optional && persistent != null) next++;
                if (!exact && (known[i] || (!optional && !firsts.add(fps[n])))) {
                    target = null;
                }
                List<String> f = t.flags();
                if (target != null) {
                    f = union(f, system.stateFlags(target));
                    // Outcomes are noted when a state is discovered, so a stopped search has them for
                    // every state it stored without a pass over the states it never expanded.
                    Object outcome = system.outcome(target);
                    if (outcome != null) {
                        if (outcomes == null) outcomes = new Object[targets.length];
                        outcomes[n] = outcome;
                    }
                    targets[n] = system.pack(target);
                }
                if (f != null && !f.isEmpty()) {
                    if (raised == null) {
                        raised = new Object[targets.length];
                    }
                    raised[n] = f;
                }
            }
            c.ends[k] = n;
        }
        c.fingerprints = fps;
        c.keys = keys;
        c.targets = targets;
        c.flags = raised;
        c.outcomes = outcomes;
        c.transitions = n;
        return c;
    }

    /** The step's flags, then the target's own ones not among them. */
    private static List<String> union(List<String> step, List<String> own) {
        if (own.isEmpty()) {
            return step;
        }
        if (step == null || step.isEmpty()) {
            return own;
        }
        LinkedHashSet<String> all = new LinkedHashSet<>(step);
        all.addAll(own);
        return List.copyOf(all);
    }
}
