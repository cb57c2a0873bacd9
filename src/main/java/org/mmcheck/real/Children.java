package org.mmcheck.real;

import java.nio.file.Path;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;

/**
 * The processes mmcheck starts (QEMU guests, kernel builds) and the folders it is filling, so that a
 * JVM told to stop (Ctrl-C, SIGTERM) leaves neither behind: one shutdown hook kills every child still
 * running, with its own children, waits for them briefly, then removes the folders. Nothing new starts
 * once the hook has begun. (A JVM killed outright runs no hook: {@link Guest#WATCHDOG} covers that.)
 */
public final class Children {
    private Children() {}

    private static final Set<Process> LIVE = ConcurrentHashMap.newKeySet();
    private static final Set<Path> REMOVE_ON_STOP = ConcurrentHashMap.newKeySet();
    private static volatile boolean stopping;

    static {
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stopping = true;
            for (Process p : LIVE) kill(p);
            for (Process p : LIVE) p.onExit().orTimeout(10, TimeUnit.SECONDS).exceptionally(e -> p).join();
            for (Path d : REMOVE_ON_STOP) Guest.deleteTree(d);
        }, "mmcheck-stop-children"));
    }

    /** The JVM is being told to stop: a child that ends now was killed, not failed. */
    public static boolean stopping() {
        return stopping;
    }

    /** Watch a child just started; killed at once if the hook has already begun. */
    static void track(Process p) {
        LIVE.add(p);
        if (stopping) kill(p); // the hook may have run between the caller's check and the start
    }

    static void untrack(Process p) {
        LIVE.remove(p);
    }

    /** Kills a child and everything it started. */
    static void kill(Process p) {
        p.descendants().forEach(ProcessHandle::destroyForcibly);
        p.destroyForcibly();
    }

    /** Removes {@code dir} if the JVM is stopped before {@link #keepOnStop} is called. */
    public static void removeOnStop(Path dir) {
        REMOVE_ON_STOP.add(dir);
    }

    public static void keepOnStop(Path dir) {
        REMOVE_ON_STOP.remove(dir);
    }
}
