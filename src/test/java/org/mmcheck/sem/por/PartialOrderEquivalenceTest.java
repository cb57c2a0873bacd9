package org.mmcheck.sem.por;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
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
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.Variants;

/**
 * Partial-order reduction keeps every outcome and every flag: each test is explored with and without
 * it and the two must agree. The shipped tests are run at lock level (the atomic ones forced to it),
 * and so are a few hundred small random programs built to mix what the reduction reasons about:
 * threads and forks, page-out and swap-in, pins, munmap, kernel threads and background reclaim.
 */
class PartialOrderEquivalenceTest {
    private static final Limits LIMITS = new Limits(60_000, null, 0.9);

    /** What a run established: outcomes and flags, and how many states it took. */
    private record Answer(Set<String> outcomes, Set<String> flags, long states, long reduced) {}

    private static Answer explore(Ast.Test t, String variant, boolean por) {
        LitmusModel m = new LitmusModel(t, Variants.policy(variant), por);
        Result<KState> r = new Explorer<>(m, LIMITS, Progress.silent()).run();
        if (!por && r.stopReason() == StopReason.MAX_STATES) return null; // too big for a unit test
        assertEquals(StopReason.COMPLETE, r.stopReason(), t.name() + " under " + variant);
        Set<String> outcomes = new TreeSet<>();
        for (Object o : r.outcomes().keySet()) outcomes.add(o.toString());
        return new Answer(outcomes, new TreeSet<>(r.flags().keySet()), r.distinctStates(), r.reducedStates());
    }

    /** Asserts agreement; returns {states without, states with} the reduction (zeros when too big to compare). */
    private static long[] compare(Ast.Test t, String variant) {
        Answer off = explore(t, variant, false);
        if (off == null) return new long[2];
        Answer on = explore(t, variant, true);
        assertEquals(off.outcomes(), on.outcomes(), "outcomes of " + t.name() + " under " + variant);
        assertEquals(off.flags(), on.flags(), "flags of " + t.name() + " under " + variant);
        assertEquals(0, off.reduced(), "no reduction asked for");
        assertTrue(on.states() <= off.states(), t.name() + ": the reduced search stored more states");
        return new long[] {off.states(), on.states()};
    }

    @Test
    void shippedTestsAtLockLevelGiveTheSameAnswersWithAndWithoutReduction() throws Exception {
        List<Path> files = new ArrayList<>();
        for (String dir : List.of("litmus", "bench")) {
            try (Stream<Path> s = Files.walk(Path.of(dir))) {
                s.filter(p -> p.toString().endsWith(".litmus")).sorted().forEach(files::add);
            }
        }
        long off = 0, on = 0;
        for (Path f : files) {
            if (f.getFileName().toString().startsWith("big-") || f.getFileName().toString().startsWith("medium-")) continue;
            Ast.Test t = LitmusFiles.parse(f).withInterleave(Ast.Interleave.PTLOCK);
            for (String v : List.of("5.7", "5.11", "5.19", "6.12")) {
                long[] n = compare(t, v);
                off += n[0];
                on += n[1];
            }
        }
        assertTrue(files.size() > 50, "found the shipped tests");
        assertTrue(on < off, "the reduction removed states somewhere: " + on + " of " + off);
    }

    @Test
    void randomProgramsGiveTheSameAnswersWithAndWithoutReduction() {
        Random rnd = new Random(20261206);
        int parsed = 0;
        long off = 0, on = 0;
        for (int i = 0; i < 150; i++) {
            String src = RandomPrograms.generate(rnd, i);
            Ast.Test t;
            try {
                t = LitmusParser.parse("random-" + i + ".litmus", src, Set.copyOf(Variants.names()), Set.copyOf(Flags.ALL));
            } catch (LitmusException e) {
                continue; // the generator is allowed to produce what the validator refuses
            }
            parsed++;
            long[] n = compare(t, i % 2 == 0 ? "5.19" : "6.12");
            off += n[0];
            on += n[1];
        }
        assertTrue(parsed >= 100, "most random programs are valid: " + parsed);
        assertTrue(on < off, "the reduction removes states: " + on + " of " + off);
    }
}
