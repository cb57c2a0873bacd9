package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Exit statuses that must not lie: lost output, failures next to limits, options that would mean nothing. */
class ExitStatusTest {

    /** Stands for a full disk or a closed pipe: accepts {@code room} bytes, then every write fails. */
    static final class FailingOut extends OutputStream {
        final int room;
        int written;
        int failedWrites;

        FailingOut(int room) {
            this.room = room;
        }

        @Override
        public void write(int b) throws IOException {
            write(new byte[] {(byte) b}, 0, 1);
        }

        @Override
        public void write(byte[] b, int off, int len) throws IOException {
            if (written + len > room) {
                failedWrites++;
                throw new IOException("No space left on device");
            }
            written += len;
        }
    }

    @Test
    void lostStandardOutputFailsTheRunAndStopsIt() {
        FailingOut full = new FailingOut(0);
        int status = Cli.runTo(full, "run", "litmus/history");
        assertEquals(Main.EXPECTATION_FAILED, status, Cli.lastErr());
        assertTrue(Cli.lastErr().contains("error writing standard output"), Cli.lastErr());

        // like `| head -1`: the reader goes away after the first line, the run stops after that test
        FailingOut head = new FailingOut(40);
        status = Cli.runTo(head, "run", "--variant", "all", "litmus/history");
        assertEquals(Main.EXPECTATION_FAILED, status, Cli.lastErr());
        assertTrue(head.failedWrites < 60, "kept writing after the pipe closed: " + head.failedWrites + " writes");
        assertFalse(Cli.lastErr().contains("\tat "), Cli.lastErr());
    }

    @Test
    void variantsAndRealAlsoNoticeLostOutput() {
        assertEquals(Main.EXPECTATION_FAILED, Cli.runTo(new FailingOut(0), "variants"), Cli.lastErr());
    }

    @Test
    void aFailedExpectationWinsOverALimitElsewhere(@TempDir Path dir) throws Exception {
        Path wrong = dir.resolve("wrong.litmus");
        Files.writeString(wrong, Files.readString(Path.of("litmus/cow-after-fork.litmus"))
                .replaceAll("(?m)^expect .*$", "").replace("MM cow-after-fork", "MM wrong") + "\nexpect * Always\n");
        Cli.Result alone = Cli.run("run", wrong.toString());
        assertEquals(Main.EXPECTATION_FAILED, alone.status(), alone.toString());
        // the big bench scenario stops on --max-states; the failure of the small test must still show
        Cli.Result both = Cli.run("run", "--max-states", "500", wrong.toString(), "bench/medium-2proc.litmus");
        assertTrue(both.out().contains("Stopped") || both.out().contains("stopped"), both.toString());
        assertEquals(Main.EXPECTATION_FAILED, both.status(), both.toString());
    }

    @Test
    void anObservationWithoutAConditionIsAnErrorAtTheExpectLine(@TempDir Path dir) throws Exception {
        Path f = dir.resolve("nocond.litmus");
        Files.writeString(f, "MM nocond\n{ anon x; }\nP0 { *x = 1; }\nexpect * Never\n");
        Cli.Result r = Cli.run("run", f.toString());
        assertEquals(Main.BAD_INPUT, r.status(), r.toString());
        assertTrue(r.err().startsWith(f + ":4:10: 'Never' needs a condition"), r.toString());
        Files.writeString(f, "MM nocond\n{ anon x; }\nP0 { *x = 1; }\nexpect *\n");
        assertEquals(Main.OK, Cli.run("run", f.toString()).status());
    }

    @Test
    void zeroNegativeAndNanLimitsAreRefused() {
        String cow = "litmus/cow-after-fork.litmus";
        for (String[] opt : new String[][] {{"--max-states", "0"}, {"--max-states", "-5"}, {"--timeout", "0"},
                {"--timeout", "-1"}, {"--timeout", "NaN"}, {"--timeout", "Infinity"}}) {
            Cli.Result r = Cli.run("run", opt[0], opt[1], cow);
            assertEquals(Main.BAD_INPUT, r.status(), String.join(" ", opt) + ": " + r);
            assertTrue(r.err().contains(opt[0] + " must be"), r.toString());
        }
        Cli.Result b = Cli.run("bench", "--timeout", "NaN", "bench/small-2proc.litmus");
        assertEquals(Main.BAD_INPUT, b.status(), b.toString());
        assertEquals(Main.OK, Cli.run("run", "--max-states", "100000", "--timeout", "60", cow).status());
    }

    @Test
    void workersAreCappedWithAMessage() {
        Cli.Result r = Cli.run("run", "--workers", "100000", "litmus/cow-after-fork.litmus");
        assertEquals(Main.OK, r.status(), r.toString());
        assertTrue(r.err().contains("--workers 100000 is more than 4 per core; using " + Options.maxWorkers()),
                r.toString());
        Cli.Result b = Cli.run("bench", "--workers", "1,100000", "bench/small-2proc.litmus");
        assertEquals(Main.BAD_INPUT, b.status(), b.toString());
    }

    @Test
    void twoFilesWithOneTestNameAreAnError(@TempDir Path dir) throws Exception {
        Path a = dir.resolve("a.litmus");
        Path b = dir.resolve("b.litmus");
        Files.copy(Path.of("litmus/cow-after-fork.litmus"), a);
        Files.copy(Path.of("litmus/cow-after-fork.litmus"), b);
        Cli.Result r = Cli.run("run", "--variant", "all", dir.toString());
        assertEquals(Main.BAD_INPUT, r.status(), r.toString());
        assertTrue(r.err().contains(b + ":") && r.err().contains("test name 'cow-after-fork' is also the name of " + a + ":"),
                r.toString());
    }
}
