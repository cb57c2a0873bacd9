package org.mmcheck.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

/**
 * The guest must not outlive mmcheck: QEMU runs under a shell watchdog that kills it when the JVM's end
 * of its standard input closes, which the kernel does however the JVM dies (SIGKILL included).
 */
class GuestWatchdogTest {
    @Test
    void theGuardedCommandDiesWhenItsStandardInputCloses() throws Exception {
        Process p = new ProcessBuilder(Guest.guarded(List.of("sleep", "60"))).start();
        try {
            ProcessHandle sleeper = waitForChild(p);
            assertTrue(sleeper.isAlive());
            p.getOutputStream().close(); // what the kernel does when the JVM dies
            assertTrue(p.waitFor(5, TimeUnit.SECONDS), "the wrapper ends within 5 s");
            assertTrue(sleeper.onExit().get(5, TimeUnit.SECONDS) != null);
            assertFalse(sleeper.isAlive(), "the guest is gone too");
        } finally {
            p.descendants().forEach(ProcessHandle::destroyForcibly);
            p.destroyForcibly();
        }
    }

    @Test
    void aGuardedCommandThatEndsByItselfKeepsItsExitStatus() throws Exception {
        Guest.Result r = Guest.run(Guest.guarded(List.of("sh", "-c", "echo hello; exit 7")), null, 30, true);
        assertEquals(7, r.code());
        assertTrue(r.out().contains("hello"), r.out());
    }

    @Test
    void aMissingGuestBinaryStillSays127() throws Exception {
        Guest.Result r = Guest.run(Guest.guarded(List.of("/nonexistent/qemu-system-x86_64")), null, 30, true);
        assertEquals(127, r.code(), r.out());
    }

    @Test
    void aTimeOutKillsTheGuestUnderTheWrapper() throws Exception {
        long t0 = System.nanoTime();
        Guest.Result r = Guest.run(Guest.guarded(List.of("sleep", "60")), null, 1, true);
        assertEquals(124, r.code());
        assertTrue((System.nanoTime() - t0) / 1e9 < 20, "returned promptly");
        // no sleep 60 left behind by this JVM
        assertTrue(ProcessHandle.current().descendants().noneMatch(h -> h.info().command().map(c -> c.endsWith("sleep"))
                .orElse(false) && h.info().arguments().map(a -> a.length == 1 && a[0].equals("60")).orElse(false)));
    }

    private static ProcessHandle waitForChild(Process p) throws InterruptedException {
        for (int i = 0; i < 100; i++) {
            Optional<ProcessHandle> c = p.descendants().filter(h -> h.info().command().map(s -> s.endsWith("sleep"))
                    .orElse(false)).findFirst();
            if (c.isPresent()) return c.get();
            Thread.sleep(50);
        }
        throw new AssertionError("the guarded command did not start");
    }
}
