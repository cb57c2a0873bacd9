package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmcheck.real.KernelBuild;

/** {@code mmcheck kernel build}'s command line: help, bad input, exit statuses; never a real build. */
class KernelCommandTest {
    @Test
    void helpHasAnExample() {
        Cli.Result r = Cli.run("kernel", "build", "--help");
        assertEquals(0, r.status(), r.toString());
        assertTrue(r.out().contains("Example: ./mmcheck kernel build --patch"), r.out());
        assertTrue(r.out().contains("--from 6.12 --name 6.12-local"), r.out());
        assertTrue(Cli.run("kernel", "--help").out().contains("Example:"));
    }

    @Test
    void badInputIsOneLineAndExit2() {
        for (String[] args : new String[][] {{"kernel", "build", "--name", "../x"}, {"kernel", "build", "--jobs", "0"},
                {"kernel", "build", "--patch", "no/such.patch"}, {"kernel", "build", "--from", "6.2"}, {"kernel"}}) {
            Cli.Result r = Cli.run(args);
            assertEquals(2, r.status(), r.toString());
            assertTrue(r.err().startsWith("mmcheck: "), r.toString());
            assertFalse(r.err().contains("Exception"), r.toString());
        }
        assertTrue(Cli.run("kernel", "build", "--patch", "no/such.patch").err().contains("no/such.patch"));
        assertTrue(Cli.run("kernel", "build", "--from", "6.2").err().contains("--from '6.2': one of 6.1, 6.12"));
    }

    /** A patch that does not apply to the tree stops the build before make: exit 2 with patch's message. */
    @Test
    void aPatchThatDoesNotApplyExits2AndLeavesNoEntry(@TempDir Path dir) throws Exception {
        assumeTrue(KernelBuild.missingPackages().isEmpty(),
                "the build checks its tools first; missing here: " + KernelBuild.missingPackages());
        Path tree = Files.createDirectories(dir.resolve("fake-linux/mm"));
        Files.writeString(tree.resolve("memory.c"), "nothing like the kernel\n");
        Path bad = dir.resolve("bad.patch");
        Files.writeString(bad, "--- a/mm/memory.c\n+++ b/mm/memory.c\n@@ -1 +1 @@\n-something else\n+x\n");
        String name = "test-bad-patch-" + ProcessHandle.current().pid();
        Cli.Result r = Cli.run("kernel", "build", "--source", tree.getParent().toString(), "--patch", bad.toString(),
                "--name", name);
        assertEquals(2, r.status(), r.toString());
        assertTrue(r.err().contains("mmcheck: " + bad + ": does not apply"), r.toString());
        assertTrue(r.err().contains("mm/memory.c"), r.toString());
        assertFalse(r.err().contains("Exception"), r.toString());
        assertFalse(Files.exists(KernelBuild.builtDir().resolve(name)), "no cache entry left");
    }
}
