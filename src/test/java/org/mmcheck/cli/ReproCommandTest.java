package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code mmcheck repro}: a witness as a standalone C program. */
class ReproCommandTest {
    @Test
    void theVmspliceWitnessOf57BecomesAProgramThatChecksItsOutcome(@TempDir Path dir) throws Exception {
        Path c = dir.resolve("vmsplice.c");
        Cli.Result r = Cli.run("repro", "--variant", "5.7", "--out", c.toString(), "litmus/history/vmsplice-unmap-child.litmus");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("the witness of outcome 1:r0=2; (5 steps)"), r.out());
        String src = Files.readString(c);
        assertTrue(src.contains("static const char repro_schedule[] = \"P0,P1,P1,P0,P1\";"), src);
        assertTrue(src.contains(" * step 4: P0: *x = 2;"), src);
        assertTrue(src.contains("if (regs[1][0] != 2) {"), src);
        assertTrue(src.contains("PASS: the kernel reached 1:r0=2 as the witness does"), src);
        // It is C that compiles (where a compiler is installed; .ci/run installs gcc for the real-kernel tests).
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/gcc")), "no gcc: the program was not compiled");
        Process gcc = new ProcessBuilder("gcc", "-fsyntax-only", "-Wall", c.toString()).redirectErrorStream(true).start();
        assertTrue(gcc.waitFor(60, TimeUnit.SECONDS));
        String diagnostics = new String(gcc.getInputStream().readAllBytes());
        assertEquals(0, gcc.exitValue(), diagnostics);
    }

    @Test
    void whatCannotBeReproducedIsSaid() {
        Cli.Result never = Cli.run("repro", "--variant", "6.12", "litmus/history/vmsplice-unmap-child.litmus");
        assertEquals(Main.EXPECTATION_FAILED, never.status());
        assertTrue(never.err().contains("nothing to reproduce under 6.12"), never.err());
        Cli.Result background = Cli.run("repro", "bench/small-2proc.litmus");
        assertEquals(Main.LIMIT, background.status());
        assertTrue(background.err().contains("not reproducible from user space"), background.err());
        Cli.Result flag = Cli.run("repro", "--variant", "part3-v2", "--witness-flag", "stable-write",
                "litmus/history/seed-stable-writes.litmus");
        assertEquals(0, flag.status());
        assertTrue(flag.out().contains("DONE: flag stable-write is not visible in registers"), flag.out());
    }
}
