package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.litmus.Ast;
import org.mmcheck.report.Verdict;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.variant.Variants;

/**
 * Today's kernels have the fixes for the races the model can show: every shipped test gives under
 * {@code interleave ptlock} the same observation and flags as under {@code atomic} for the newest
 * variant. (Older variants do not: their races are the point of litmus/races/.) This is how the 5.7
 * reuse_ksm_page model bug was found, and it keeps the staged paths honest on every statement kind.
 */
class LockLevelConformanceTest {
    @Test
    void theNewestGenerationAnswersAlikeAtBothGranularities() throws Exception {
        List<Path> files;
        try (Stream<Path> s = Files.walk(Path.of("litmus"))) {
            files = s.filter(p -> p.toString().endsWith(".litmus")).sorted().toList();
        }
        List<String> compared = new ArrayList<>();
        for (Path f : files) {
            Ast.Test t = LitmusFiles.parse(f);
            Verdict atomic = run(t.withInterleave(Ast.Interleave.ATOMIC));
            Verdict ptlock = run(t.withInterleave(Ast.Interleave.PTLOCK));
            if (!atomic.complete() || !ptlock.complete()) continue; // a blow-up (background reclaim), not a verdict
            assertEquals(atomic.observation(), ptlock.observation(), f.toString());
            assertEquals(atomic.flags(), ptlock.flags(), f.toString());
            compared.add(f.toString());
        }
        assertTrue(compared.size() >= files.size() - 3, "compared only " + compared.size() + " of " + files.size());
    }

    private static Verdict run(Ast.Test t) {
        return TestRun.run(t, Variants.policy("6.12"), new Limits(100_000, null, 0.9), Progress.silent(), false);
    }
}
