package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.litmus.Ast;
import org.mmcheck.report.Verdict;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.variant.Variants;

/** synth's race programs: pairs whose differences are races are told apart under interleave ptlock. */
class SynthRaceTest {
    @Test
    void findsTheSwapInRaceThat68Fixes(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("race.litmus");
        Cli.Result r = Cli.run("synth", "--interleave", "ptlock", "--base", "6.2", "--variant", "6.8",
                "--max-race-stmts", "5", "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        String text = Files.readString(out);
        assertTrue(text.contains("interleave ptlock;"), text);
        assertTrue(text.contains("clone(P1);"), text);
        assertTrue(statements(text) <= 8, "no larger than litmus/races/swapin-skip-cache-aba.litmus: " + text);
        assertAnswersDiffer(out, "6.2", "6.8");
    }

    @Test
    void findsTheGupFastRaceWithReclaimThat61Fences(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("race.litmus");
        Cli.Result r = Cli.run("synth", "--interleave", "ptlock", "--base", "5.19", "--variant", "6.1",
                "--max-race-stmts", "3", "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(Files.readString(out).contains("FOLL_FAST"), Files.readString(out));
        assertAnswersDiffer(out, "5.19", "6.1");
    }

    @Test
    void aSearchStoppedByItsTimeoutSaysHowFarItGot() {
        Cli.Result r = Cli.run("synth", "--interleave", "ptlock", "--base", "6.8", "--variant", "6.12", "--timeout", "0.5");
        assertEquals(3, r.status(), r.toString());
        assertTrue(r.out().contains("Stopped by --timeout after"), r.out());
        assertTrue(!r.out().contains("Equivalent up to the bound"), r.out());
        // Stopped in the atomic space: the race space was not searched at all, and it says so.
        Cli.Result both = Cli.run("synth", "--base", "6.8", "--variant", "6.12", "--timeout", "0.3");
        assertEquals(3, both.status(), both.toString());
        assertTrue(both.out().contains("searched: at most "), both.out());
        assertTrue(both.out().contains("statement(s) of the atomic space ("), both.out());
        assertTrue(both.out().contains(", and nothing of the ptlock space\n"), both.out());
    }

    @Test
    void programsLeftUndecidedAtTheStateLimitWeakenTheClaim() {
        Cli.Result r = Cli.run("synth", "--interleave", "ptlock", "--base", "6.2", "--variant", "6.8",
                "--max-race-stmts", "5", "--max-states", "60");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().matches("(?s).*ptlock: \\d+ program\\(s\\) of at most 5 statement\\(s\\) in [0-9.]+ s"
                + " \\([1-9]\\d* over --max-states, 0 invalid\\).*"), r.out());
        assertTrue(r.out().contains("left undecided at --max-states; a test as small or smaller may be among them"), r.out());
    }

    /** The written test holds its expect lines, and the two variants really answer it differently. */
    private static void assertAnswersDiffer(Path file, String a, String b) throws Exception {
        Cli.Result run = Cli.run("run", "--variant", a + "," + b, file.toString());
        assertEquals(0, run.status(), run.toString());
        Ast.Test t = LitmusFiles.parse(file);
        Verdict x = TestRun.run(t, Variants.policy(a), Limits.none(), Progress.silent(), false);
        Verdict y = TestRun.run(t, Variants.policy(b), Limits.none(), Progress.silent(), false);
        assertNotEquals(List.of(x.observation(), x.flags(), x.outcomes()), List.of(y.observation(), y.flags(), y.outcomes()));
    }

    private static int statements(String text) {
        String blocks = text.substring(text.indexOf("}\n") + 2, text.lastIndexOf("exists"));
        int n = 0;
        for (char c : blocks.toCharArray()) if (c == ';') n++;
        return n;
    }
}
