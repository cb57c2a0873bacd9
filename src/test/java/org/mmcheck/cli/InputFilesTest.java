package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** What `run` and `real` make of their FILE|DIR arguments: nothing run is not success; bad paths say what they are. */
class InputFilesTest {
    private static final Path COW = Path.of("litmus/cow-after-fork.litmus").toAbsolutePath();

    private static void badInput(Cli.Result r, String... parts) {
        assertEquals(Main.BAD_INPUT, r.status(), r.toString());
        for (String p : parts) assertTrue(r.err().contains(p), "stderr lacks '" + p + "': " + r);
        assertFalse(r.err().contains("internal error") || r.err().contains("\tat "), r.toString());
    }

    @Test
    void anEmptyDirectoryRunsNothingAndIsAnError(@TempDir Path dir) {
        badInput(Cli.run("run", dir.toString()), dir + ":1:1: no *.litmus files");
        badInput(Cli.run("real", "--kernel", "running", "--variant", "5.19", dir.toString()),
                dir + ":1:1: no *.litmus files");
    }

    @Test
    void symbolicLinksToDirectoriesAndFilesAreFollowed(@TempDir Path dir) throws Exception {
        Path link = dir.resolve("link");
        Files.createSymbolicLink(link, Path.of("litmus/history").toAbsolutePath());
        Cli.Result r = Cli.run("run", link.toString());
        assertEquals(Main.OK, r.status(), r.toString());
        assertTrue(r.out().contains("Test "), r.toString());

        Path inner = dir.resolve("tree");
        Files.createDirectories(inner);
        Files.createSymbolicLink(inner.resolve("sub"), Path.of("litmus/ksm").toAbsolutePath());
        Files.createSymbolicLink(inner.resolve("cow.litmus"), COW);
        r = Cli.run("run", inner.toString());
        assertEquals(Main.OK, r.status(), r.toString());
        assertTrue(r.out().contains("Test cow-after-fork"), r.toString());
        assertTrue(r.out().contains("Test ksm"), r.toString());
    }

    @Test
    void theSameFileByTwoSpellingsRunsOnce(@TempDir Path dir) throws Exception {
        Path link = dir.resolve("again.litmus");
        Files.createSymbolicLink(link, COW);
        Cli.Result r = Cli.run("run", COW.toString(), "litmus/./cow-after-fork.litmus", link.toString());
        assertEquals(Main.OK, r.status(), r.toString());
        assertEquals(1, r.out().split("Test cow-after-fork", -1).length - 1, r.toString());
    }

    @Test
    void devNullAndDevZeroAreNotLitmusFiles() {
        badInput(Cli.run("run", "/dev/null"), "/dev/null:1:1: not a regular file (a character device)");
        badInput(Cli.run("run", "/dev/zero"), "/dev/zero:1:1: not a regular file (a character device)");
        badInput(Cli.run("real", "--kernel", "running", "--variant", "5.19", "/dev/zero"),
                "/dev/zero:1:1: not a regular file");
    }

    @Test
    void aFifoIsRefusedWithoutBeingOpened(@TempDir Path dir) throws Exception {
        Path fifo = dir.resolve("p.litmus");
        Process p = new ProcessBuilder("mkfifo", fifo.toString()).start();
        Assumptions.assumeTrue(p.waitFor() == 0, "mkfifo");
        badInput(Cli.run("run", fifo.toString()), fifo + ":1:1: not a regular file (a FIFO)");
        badInput(Cli.run("run", dir.toString()), fifo + ":1:1: not a regular file (a FIFO)");
    }

    @Test
    void aDirectoryNamedLikeATestIsADirectory(@TempDir Path dir) throws Exception {
        Path d = Files.createDirectories(dir.resolve("x.litmus"));
        badInput(Cli.run("run", d.toString()), d + ":1:1: no *.litmus files");
        Files.copy(COW, d.resolve("c.litmus"));
        Cli.Result r = Cli.run("run", dir.toString());
        assertEquals(Main.OK, r.status(), r.toString());
    }

    @Test
    void symbolicLinkLoopsAndBrokenLinksSayWhatTheyAre(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.litmus");
        Path b = dir.resolve("b.litmus");
        Files.createSymbolicLink(a, b);
        Files.createSymbolicLink(b, a);
        badInput(Cli.run("run", a.toString()), a + ":1:1: symbolic link loop");
        badInput(Cli.run("run", dir.toString()), ":1:1: symbolic link loop");

        Path loops = Files.createDirectories(dir.resolve("loops"));
        Files.copy(COW, loops.resolve("c.litmus"));
        Files.createSymbolicLink(loops.resolve("up"), loops);
        badInput(Cli.run("run", loops.toString()), "symbolic link loop");

        Path broken = dir.resolve("broken.litmus");
        Files.delete(a);
        Files.delete(b);
        Files.createSymbolicLink(broken, dir.resolve("gone.litmus"));
        badInput(Cli.run("run", broken.toString()), broken + ":1:1: broken symbolic link");
        badInput(Cli.run("run", dir.resolve("nothing.litmus").toString()), "nothing.litmus:1:1: no such file");
    }

    @Test
    void anUnreadableSubdirectoryIsBadInputNotACrash(@TempDir Path dir) throws Exception {
        Files.copy(COW, dir.resolve("c.litmus"));
        Path sub = Files.createDirectories(dir.resolve("sub"));
        Files.copy(COW, sub.resolve("d.litmus"));
        Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("---------"));
        try {
            Assumptions.assumeFalse(Files.isReadable(sub), "running as root: every directory is readable");
            badInput(Cli.run("run", dir.toString()), sub + ":1:1: cannot read directory: permission denied");
        } finally {
            Files.setPosixFilePermissions(sub, PosixFilePermissions.fromString("rwx------"));
        }
    }

    @Test
    void aFileOverOneMegabyteIsRefusedBeforeLexing(@TempDir Path dir) throws Exception {
        Path big = dir.resolve("big.litmus");
        String body = "MM big\n{ anon x; }\nP0 {\n" + "  (* padding *)\n".repeat(70_000) + "}\n";
        Files.writeString(big, body);
        assertTrue(Files.size(big) > (1 << 20));
        badInput(Cli.run("run", big.toString()), big + ":1:1: file too large: " + Files.size(big) + " bytes");
    }

    @Test
    void invalidUtf8NamesTheByteAndWhereItIs(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("bad.litmus");
        Files.write(f, "MM t\n{ anon x\u00e9; }\n".getBytes(StandardCharsets.UTF_8));
        byte[] b = Files.readAllBytes(f);
        b[b.length - 5] = (byte) 0xff; // the second byte of the é: a lone 0xC3, then 0xFF
        Files.write(f, b);
        badInput(Cli.run("run", f.toString()),
                f + ":2:9: not UTF-8: invalid byte 0xC3 at byte offset 13");
    }
}
