package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Tests too large for the packed state encoding are refused at file:line:col (exit 2), never exit 70. */
class StateSizeTest {

    private static Cli.Result refused(Cli.Result r, String where, String what) {
        assertEquals(Main.BAD_INPUT, r.status(), r.toString());
        assertTrue(r.err().startsWith(where), r.toString());
        assertTrue(r.err().contains(what), r.toString());
        assertFalse(r.err().contains("internal error"), r.toString());
        return r;
    }

    /** P0 forks P1..Pn, each with an empty block; one populated page. */
    private static Path forks(Path dir, int n) throws Exception {
        StringBuilder b = new StringBuilder("MM many\n{ anon x = 1; }\nP0 {\n");
        for (int i = 1; i <= n; i++) b.append("  fork(P").append(i).append(");\n");
        b.append("}\n");
        for (int i = 1; i <= n; i++) b.append("P").append(i).append(" { }\n");
        Path f = dir.resolve("many.litmus");
        Files.writeString(f, b);
        return f;
    }

    @Test
    void aPageMappedBy256ProcessesIsRefusedAtTheFork(@TempDir Path dir) throws Exception {
        Path f = forks(dir, 255);
        // line 4 is fork(P1); the 255th fork makes the 256th process
        refused(Cli.run("run", "--max-states", "100000", f.toString()), f + ":258:3: ",
                "too many processes: a page can be mapped by at most 255 processes");
    }

    @Test
    void moreProcessesTimesPagesThanTheEncodingNumbersIsRefused(@TempDir Path dir) throws Exception {
        Path f = forks(dir, 130);
        refused(Cli.run("run", f.toString()), f + ":1:1: ", "test too large for the state encoding");
        Path small = forks(dir, 100);
        assertEquals(Main.OK, Cli.run("run", small.toString()).status());
    }

    @Test
    void benchExactWithTooManyPagesIsRefused(@TempDir Path dir) throws Exception {
        StringBuilder b = new StringBuilder("MM pages\n{");
        for (int i = 0; i < 256; i++) b.append(" anon x").append(i).append(" = 1;");
        b.append(" }\nP0 { }\n");
        Path f = dir.resolve("pages.litmus");
        Files.writeString(f, b);
        refused(Cli.run("bench", "--exact", "--workers", "1", f.toString()), f + ":1:1: ",
                "at most 255");
    }

    @Test
    void aBlockLongerThanTheProgramCounterIsRefused(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("long.litmus");
        Files.writeString(f, "MM long\n{ anon x; }\nP0 {\n" + "*x = 1;\n".repeat(65_536) + "}\n");
        refused(Cli.run("run", "--max-states", "10", f.toString()), f + ":65539:1: ",
                "P0 has 65536 statements; a block may have at most 65535");
    }
}
