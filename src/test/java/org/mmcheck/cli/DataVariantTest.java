package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code --variant FILE.variant}: a patch as data, run like a built-in variant. */
class DataVariantTest {
    @Test
    void theDataFormOfPart3V2AnswersLikeTheJavaOneOnEveryTest() {
        Cli.Result r = Cli.run("diff", "--base", "part3-v2", "--variant", "variants/part3-v2.variant", "litmus");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains(" 0 differ"), r.out());
    }

    @Test
    void anExpressionSaysWhatAJavaClassWouldAndFindsTheCveOfMapcountReuse(@org.junit.jupiter.api.io.TempDir java.nio.file.Path dir)
            throws Exception {
        java.nio.file.Path f = dir.resolve("p3.variant");
        java.nio.file.Files.writeString(f, "variant p3-expr extends 5.19\nset do_swap_page.stable_writes = !stable_writes\n");
        Cli.Result same = Cli.run("diff", "--base", "part3-v2", "--variant", f.toString(), "litmus");
        assertTrue(same.out().contains(" 0 differ"), same.out());
        // Reuse by mapcount alone, on 5.19: the vmsplice leak (CVE-2020-29374) comes back.
        Cli.Result r = Cli.run("diff", "--base", "5.19", "--variant", "variants/reuse-by-mapcount.variant", "litmus/history");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.out().contains("Test vmsplice-unmap-child"), r.out());
        assertTrue(r.out().contains("reuse-by-mapcount: Sometimes (1 positive, 1 negative outcome(s)), flag leak"), r.out());
    }

    @Test
    void itFindsTheSeedBugAgainst519() {
        Cli.Result r = Cli.run("diff", "--base", "5.19", "--variant", "variants/part3-v2.variant", "litmus/history");
        assertEquals(1, r.status(), r.toString());
        assertTrue(r.out().contains("seed-stable-writes"), r.out());
    }

    @Test
    void runNamesItInTheTableAndConditionsShowsThePatch() {
        Cli.Result r = Cli.run("run", "--variant", "5.19,variants/part3-v2.variant", "litmus/history/seed-stable-writes.litmus");
        assertTrue(r.out().contains("part3-v2-data"), r.out());
        assertTrue(r.out().contains("Never stable-write"), r.out());
        Cli.Result c = Cli.run("conditions", "--variant", "variants/part3-v2.variant");
        assertEquals(0, c.status(), c.toString());
        assertTrue(c.out().contains("decided by part3-v2-data (invert)"), c.out());
    }

    @Test
    void aBadFileIsAnInputError() throws Exception {
        java.nio.file.Path f = java.nio.file.Files.createTempFile("bad", ".variant");
        java.nio.file.Files.writeString(f, "variant q extends 5.19\ninvert nothing.here\n");
        Cli.Result r = Cli.run("run", "--variant", f.toString(), "litmus/cow-after-fork.litmus");
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().startsWith(f + ":2:8: no decision point 'nothing.here'"), r.err());
        Cli.Result missing = Cli.run("run", "--variant", "no/such.variant", "litmus/cow-after-fork.litmus");
        assertEquals(2, missing.status(), missing.toString());
        assertTrue(missing.err().startsWith("no/such.variant:1:1: no such file"), missing.err());
    }
}
