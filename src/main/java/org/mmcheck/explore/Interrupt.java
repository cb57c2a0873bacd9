package org.mmcheck.explore;

/**
 * A request, from outside the search (a shutdown hook on Ctrl-C or SIGTERM), that every search stop
 * at its next state and return what it has, marked {@link StopReason#INTERRUPTED}. Once made it
 * stays: the process is on its way out.
 */
public final class Interrupt {
    private static volatile boolean requested;

    private Interrupt() {}

    public static void request() {
        requested = true;
    }

    public static boolean requested() {
        return requested;
    }

    /** For tests in this package only: forget a request. */
    static void clear() {
        requested = false;
    }
}
