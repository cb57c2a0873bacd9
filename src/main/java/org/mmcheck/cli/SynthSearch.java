package org.mmcheck.cli;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Supplier;
import org.mmcheck.check.Flags;
import org.mmcheck.explore.Explorer;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.explore.Result;
import org.mmcheck.explore.StopReason;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.model.KState;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.synth.ProgramSpace;
import org.mmcheck.synth.RaceSpace;
import org.mmcheck.synth.Space;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;

/**
 * The search behind {@code synth}: the programs of one or more {@link Space}s in order of size, each
 * explored under two policies, until one gives different outcomes or flags, the bounds are reached, or
 * the time budget runs out.
 */
final class SynthSearch {
    private SynthSearch() {}

    /** A space and the largest programs tried in it. */
    record Stage(Space space, int maxStmts) {}

    /**
     * The stages {@code --interleave} names: the atomic space ({@code atomic}), the race space
     * ({@code ptlock}), or the atomic space and then the race space ({@code both}); null for anything else.
     */
    static List<Stage> stages(String interleave, int maxProcs, int maxStmts, int maxRaceStmts) {
        Stage atomic = new Stage(new ProgramSpace(maxProcs), maxStmts);
        Stage races = new Stage(new RaceSpace(), maxRaceStmts);
        return switch (interleave) {
            case "atomic" -> List.of(atomic);
            case "ptlock" -> List.of(races);
            case "both" -> List.of(atomic, races);
            default -> null;
        };
    }

    /** What happened in one space. */
    static final class Tally {
        final Stage stage;
        long tried;
        /** Programs whose search passed the state limit under one of the two policies: undecided. */
        long limited;
        /** Programs the validator refused (none expected; counted so that none goes unnoticed). */
        long invalid;
        /** The largest size whose programs were all tried (0: none). */
        int complete;
        double seconds;
        /** False for a space the search never came to (it found a test or ran out of time before). */
        boolean reached;

        Tally(Stage stage) {
            this.stage = stage;
        }

        /**
         * The size up to which every program of this space was tried: the whole bound, or less when the
         * search ran out of time before completing it (0: nothing established).
         */
        int establishedUpTo(boolean timedOut) {
            return timedOut && complete < stage.maxStmts() ? complete : stage.maxStmts();
        }
    }

    /**
     * What a search found: the smallest program (with a condition telling the two apart when their
     * outcomes differ), its size and space, or null; the tallies of the spaces searched; whether the time
     * budget ran out.
     */
    record Found(String program, int size, String space, String difference, List<Tally> tallies, boolean timedOut) {
        long tried() {
            return tallies.stream().mapToLong(t -> t.tried).sum();
        }

        long skipped() {
            return tallies.stream().mapToLong(t -> t.limited + t.invalid).sum();
        }
    }

    /**
     * Searches the stages in turn; within each, sizes 1 to its bound. {@code budget} (null: none) bounds
     * the whole search; each program's search gets the state limit of {@code limits}.
     */
    static Found search(Supplier<KernelPolicy> a, Supplier<KernelPolicy> b, List<Stage> stages, Limits limits,
                        Duration budget) {
        long t0 = System.nanoTime();
        long deadline = budget == null ? Long.MAX_VALUE : t0 + budget.toNanos();
        List<Tally> tallies = new ArrayList<>();
        for (Stage stage : stages) tallies.add(new Tally(stage));
        String[] found = {null, null};
        boolean[] timedOut = {false};
        for (Tally tally : tallies) {
            Stage stage = tally.stage;
            tally.reached = true;
            long s0 = System.nanoTime();
            for (int size = 1; size <= stage.maxStmts() && found[0] == null && !timedOut[0]; size++) {
                boolean whole = stage.space().programsOfSize(size, text -> {
                    long left = deadline - System.nanoTime();
                    if (left <= 0) {
                        timedOut[0] = true;
                        return false;
                    }
                    Ast.Test t;
                    try {
                        t = parse(text);
                    } catch (LitmusException e) {
                        tally.invalid++;
                        return true;
                    }
                    tally.tried++;
                    Limits each = new Limits(limits.maxStates(),
                            budget == null ? limits.timeout() : Duration.ofNanos(left), limits.memoryFraction());
                    Answer x = explore(t, a.get(), each);
                    Answer y = x == null ? null : explore(t, b.get(), each);
                    if (x == null || y == null) {
                        if (System.nanoTime() >= deadline) {
                            timedOut[0] = true;
                            return false;
                        }
                        tally.limited++;
                        return true;
                    }
                    if (x.equals(y)) return true;
                    found[0] = distinguishing(text, x, y);
                    found[1] = difference(x, y);
                    return false;
                });
                if (whole) tally.complete = size;
                if (found[0] != null) {
                    tally.seconds = (System.nanoTime() - s0) / 1e9;
                    return new Found(found[0], size, stage.space().name(), found[1], tallies, false);
                }
            }
            tally.seconds = (System.nanoTime() - s0) / 1e9;
            if (timedOut[0]) break;
        }
        return new Found(null, 0, null, null, tallies, timedOut[0]);
    }

    /** "first reaches outcome ... / flag ..., second does not", both ways. */
    private static String difference(Answer x, Answer y) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Answer mine = i == 0 ? x : y;
            Answer other = i == 0 ? y : x;
            Set<String> outs = new TreeSet<>(mine.outcomes());
            outs.removeAll(other.outcomes());
            Set<String> flags = new TreeSet<>(mine.flags());
            flags.removeAll(other.flags());
            String who = i == 0 ? "the first" : "the second";
            for (String o : outs) parts.add("only " + who + " reaches " + o.trim());
            for (String f : flags) parts.add("only " + who + " raises " + f);
        }
        return String.join("; ", parts);
    }

    /** Outcomes and flags reached, or null when the search stopped. */
    private record Answer(Set<String> outcomes, Set<String> flags) {}

    private static Answer explore(Ast.Test t, KernelPolicy policy, Limits limits) {
        Result<KState> r;
        try {
            r = new Explorer<>(new LitmusModel(t, policy), limits, Progress.silent()).run();
        } catch (IllegalStateException broken) {
            // A mutant that breaks the kernel paths (a retry that never ends): an answer of its own.
            return new Answer(Set.of(), Set.of("broken: " + broken.getMessage()));
        }
        if (r.stopReason() != StopReason.COMPLETE) return null;
        Set<String> outcomes = new TreeSet<>();
        for (Object o : r.outcomes().keySet()) outcomes.add(o.toString());
        return new Answer(outcomes, new TreeSet<>(r.flags().keySet()));
    }

    /**
     * The program with a condition that tells the two apart when their outcomes differ (an outcome
     * one of them reaches and the other does not).
     */
    private static String distinguishing(String text, Answer x, Answer y) {
        Set<String> only = new TreeSet<>(x.outcomes());
        only.removeAll(y.outcomes());
        if (only.isEmpty()) {
            only.addAll(y.outcomes());
            only.removeAll(x.outcomes());
        }
        if (only.isEmpty()) return text; // only the flags differ
        String outcome = only.iterator().next();
        List<String> atoms = new ArrayList<>();
        for (String part : outcome.split(";")) if (!part.isBlank()) atoms.add(part.trim());
        int at = text.lastIndexOf("exists (");
        return text.substring(0, at) + "exists (" + String.join(" /\\ ", atoms) + ")\n";
    }

    /** A generated program as a test (its variants may be .variant files of this run). */
    static Ast.Test parse(String text) throws LitmusException {
        return LitmusParser.parse("synth.litmus", text, Set.copyOf(Variants.namesWithRegistered()), Set.copyOf(Flags.ALL));
    }
}
