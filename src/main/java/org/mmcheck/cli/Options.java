package org.mmcheck.cli;

import java.time.Duration;
import org.mmcheck.explore.Limits;
import org.mmcheck.litmus.Ast;

/** Checks of the options that `run`, `diff` and `bench` share. */
final class Options {
    private Options() {}

    /** More worker threads than this per core only adds threads that wait (and memory for them). */
    static final int WORKERS_PER_CORE = 4;

    static int maxWorkers() {
        return WORKERS_PER_CORE * Math.max(1, Runtime.getRuntime().availableProcessors());
    }

    /**
     * What is wrong with {@code --max-states} and {@code --timeout} (null: absent), or null. Zero,
     * negative, NaN and infinite values are refused: leaving the option out is how to ask for no limit.
     */
    static String checkLimits(Long maxStates, Double timeout) {
        if (maxStates != null && maxStates < 1) {
            return "--max-states must be at least 1, not " + maxStates + " (leave it out for no limit)";
        }
        if (timeout != null && !(timeout > 0 && timeout < Double.POSITIVE_INFINITY)) {
            return "--timeout must be a positive number of seconds, not " + timeout + " (leave it out for no limit)";
        }
        return null;
    }

    /** What is wrong with the limits and {@code --interleave} (see {@link #checkLimits}), or null. */
    static String checkRunOptions(Long maxStates, Double timeout, String interleave) {
        return checkRunOptions(maxStates, timeout, interleave, null);
    }

    /** As above, and {@code --por} (null: absent). */
    static String checkRunOptions(Long maxStates, Double timeout, String interleave, String por) {
        try {
            interleave(interleave);
            partialOrder(por);
        } catch (IllegalArgumentException e) {
            return e.getMessage();
        }
        return checkLimits(maxStates, timeout);
    }

    /** {@code --por on|off}: on when absent; IllegalArgumentException for anything else. */
    static boolean partialOrder(String value) {
        if (value == null || value.equals("on")) return true;
        if (value.equals("off")) return false;
        throw new IllegalArgumentException("--por must be on or off, not '" + value + "'");
    }

    static final String POR_HELP = "Partial-order reduction of lock-level (interleave ptlock) tests: on (the default)"
            + " or off. Off explores every interleaving; outcomes and flags are the same, state counts larger.";

    /** {@code --interleave atomic|ptlock}: null when absent; IllegalArgumentException for anything else. */
    static Ast.Interleave interleave(String value) {
        if (value == null) return null;
        switch (value) {
            case "atomic":
                return Ast.Interleave.ATOMIC;
            case "ptlock":
                return Ast.Interleave.PTLOCK;
            default:
                throw new IllegalArgumentException("--interleave must be atomic or ptlock, not '" + value + "'");
        }
    }

    /** The limits of a run, given options that passed {@link #checkLimits}; memory ceiling 85% of the heap. */
    static Limits limits(Long maxStates, Double timeout) {
        return new Limits(maxStates == null ? 0 : maxStates,
                timeout == null ? null : Duration.ofNanos((long) Math.ceil(timeout * 1e9)), 0.85);
    }
}
