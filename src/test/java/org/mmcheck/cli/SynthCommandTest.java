package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mmcheck synth}: the smallest test that tells two variants apart. */
class SynthCommandTest {
    @Test
    void findsTheSeedBugInTwoStatementsAndTheTestItWritesHolds(@TempDir Path dir) throws Exception {
        Path out = dir.resolve("found.litmus");
        Cli.Result r = Cli.run("synth", "--base", "5.19", "--variant", "part3-v2", "--out", out.toString());
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Smallest test that tells 5.19 from part3-v2 (2 statement(s), atomic space)"), r.out());
        assertTrue(r.out().contains("swap stable_writes;"), r.out());
        assertTrue(r.out().contains("expect 5.19 Never\nexpect part3-v2 Never flag stable-write\n"), r.out());
        assertTrue(r.out().contains("Witness under part3-v2: flag stable-write"), r.out());
        // The file is a litmus test whose expect lines hold.
        Cli.Result run = Cli.run("run", "--variant", "5.19,part3-v2", out.toString());
        assertEquals(0, run.status(), run.toString());
        assertTrue(Files.readString(out).startsWith("MM synth-5_19-vs-part3_v2\n"));
    }

    @Test
    void theZeroPagePinOf62() {
        Cli.Result r = Cli.run("synth", "--base", "6.1", "--variant", "6.2", "--max-stmts", "3");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("anon x;\n"), r.out());
        assertTrue(r.out().contains("pin(x, FOLL_LONGTERM)"), r.out());
        assertTrue(r.out().contains("expect 6.1 Always flag pin-incoherent\nexpect 6.2 Never\n"), r.out());
    }

    @Test
    void saysEquivalentUpToTheBoundWithTheBound() {
        Cli.Result r = Cli.run("synth", "--base", "6.8", "--variant", "6.12", "--max-stmts", "2", "--max-race-stmts", "3");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.out().contains("Equivalent up to the bound: no program of at most 2 statement(s) of the atomic space ("),
                r.out());
        assertTrue(r.out().contains("nor at most 3 statement(s) of the ptlock space (two racing actors"), r.out());
        assertTrue(r.out().contains(") tells 6.8 from 6.12\n"), r.out());
        assertTrue(r.out().matches("(?s)Tried \\d+ program\\(s\\) in [0-9.]+ s:\n  atomic: \\d+ program\\(s\\) of at most 2"
                + " statement\\(s\\).*\n  ptlock: \\d+ program\\(s\\) of at most 3 statement\\(s\\).*"), r.out());
    }

    @Test
    void aDataVariantCanBeOneSide() {
        Cli.Result r = Cli.run("synth", "--base", "5.19", "--variant", "variants/part3-v2.variant", "--max-stmts", "2",
                "--interleave", "atomic");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("expect part3-v2-data Never flag stable-write"), r.out());
    }

    @Test
    void badBounds() {
        assertEquals(2, Cli.run("synth", "--base", "5.19", "--variant", "6.1", "--max-stmts", "0").status());
        assertEquals(2, Cli.run("synth", "--base", "5.19", "--variant", "6.1", "--max-procs", "3").status());
        assertEquals(2, Cli.run("synth", "--base", "5.20", "--variant", "6.1").status());
        assertEquals(2, Cli.run("synth", "--base", "5.19", "--variant", "6.1", "--interleave", "random").status());
        assertEquals(2, Cli.run("synth", "--base", "5.19", "--variant", "6.1", "--max-race-stmts", "9").status());
        assertEquals(2, Cli.run("synth", "--base", "5.19", "--variant", "6.1", "--timeout", "0").status());
    }

    @Test
    void againstARealKernelItTakesTheKernelInsteadOfASecondVariant() {
        Cli.Result both = Cli.run("synth", "--base", "6.1", "--variant", "6.2", "--kernel", "6.1");
        assertEquals(2, both.status(), both.toString());
        assertTrue(both.err().contains("exactly one of --variant"), both.err());
        Cli.Result neither = Cli.run("synth", "--base", "6.1");
        assertEquals(2, neither.status(), neither.toString());
        Cli.Result unknown = Cli.run("synth", "--base", "6.1", "--kernel", "no-such-build");
        assertEquals(2, unknown.status(), unknown.toString());
        assertTrue(unknown.err().contains("--kernel must be"), unknown.err());
        Cli.Result big = Cli.run("synth", "--base", "6.1", "--kernel", "6.1", "--max-stmts", "5");
        assertEquals(2, big.status(), big.toString());
    }
}
