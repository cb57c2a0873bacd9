package org.mmcheck.explore;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints progress as
 * {@code mmcheck: 1,234,567 states (310,000/s), 9,876,543 generated (2,480,000/s), queue 12,345, depth 17, heap 812 MB}.
 * Rates are per second since the previous report; the depth is the BFS level. On a terminal the
 * line is rewritten in place with '\r' behind a spinner and {@link #finish()} ends it; elsewhere
 * (logs, pipes) each report is its own line so the output stays readable. The size of a state space
 * is unknown until it is explored, so the only totals to measure progress against are the limits:
 * given {@link #toward(Limits)} a {@code --max-states} or {@code --timeout}, the line shows how much
 * of the nearer one is used, as a bar on a terminal ({@code [#####---------------]  25%}) and as
 * {@code , 25% of --max-states} elsewhere. A run that printed progress also gets a closing line with the totals and the
 * fingerprint-collision probability; short runs print nothing at all.
 */
public final class ProgressPrinter implements Progress {

    private static final String SPINNER = "|/-\\";

    private final PrintStream out;
    private final boolean rewrite;
    private long lastDistinct;
    private long lastGenerated;
    private long lastMillis;
    private int lastLength;
    private boolean lineOpen;
    private int reports;
    private long maxStates;      // 0: none
    private long timeoutMillis;  // 0: none

    /** Rewrites in place when attached to a console ({@code System.console() != null}). */
    public ProgressPrinter(PrintStream out) {
        this(out, System.console() != null);
    }

    public ProgressPrinter(PrintStream out, boolean rewrite) {
        this.out = out;
        this.rewrite = rewrite;
    }

    /** Measure progress against the limits' {@code maxStates} and {@code timeout}, when they are set. */
    public ProgressPrinter toward(Limits limits) {
        maxStates = Math.max(0, limits.maxStates());
        timeoutMillis = limits.timeout() == null ? 0 : Math.max(1, limits.timeout().toMillis());
        return this;
    }

    @Override
    public void report(long distinct, long generated, long queued, long elapsedMillis, long usedHeapBytes) {
        report(distinct, generated, queued, -1, elapsedMillis, usedHeapBytes);
    }

    @Override
    public synchronized void report(long distinct, long generated, long queued, int depth, long elapsedMillis,
                                    long usedHeapBytes) {
        long dt = elapsedMillis - lastMillis;
        long rate = dt > 0 ? (distinct - lastDistinct) * 1000 / dt : 0;
        long genRate = dt > 0 ? (generated - lastGenerated) * 1000 / dt : 0;
        lastDistinct = distinct;
        lastGenerated = generated;
        lastMillis = elapsedMillis;
        String line = String.format(Locale.US,
                "mmcheck: %,d states (%,d/s), %,d generated (%,d/s), queue %,d%s, heap %,d MB",
                distinct, rate, generated, genRate, queued, depth >= 0 ? ", depth " + depth : "",
                usedHeapBytes >> 20);
        double states = maxStates > 0 ? (double) distinct / maxStates : -1;
        double time = timeoutMillis > 0 ? (double) elapsedMillis / timeoutMillis : -1;
        double used = Math.min(1, Math.max(states, time));
        if (used >= 0 && !rewrite) {
            line += String.format(Locale.US, ", %d%% of %s", (int) (used * 100),
                    states >= time ? "--max-states" : "--timeout");
        }
        if (rewrite) {
            line = SPINNER.charAt(reports % SPINNER.length()) + " " + (used >= 0 ? bar(used) + " " : "") + line;
            // Pad with blanks so a shorter line fully covers the previous one.
            String pad = " ".repeat(Math.max(0, lastLength - line.length()));
            out.print('\r' + line + pad);
            lastLength = line.length();
            lineOpen = true;
        } else {
            out.println(line);
        }
        reports++;
        out.flush();
    }

    /** {@code [#####---------------]  25%}: twenty cells, one per 5 %. */
    private static String bar(double used) {
        int full = (int) (used * 20);
        return "[" + "#".repeat(full) + "-".repeat(20 - full) + "] " + String.format(Locale.US, "%3d%%", (int) (used * 100));
    }

    /** After a run that printed progress, the totals and the collision probability on a line of their own. */
    @Override
    public synchronized void finished(Result<?> r) {
        if (reports == 0) {
            return;
        }
        finish();
        double seconds = Math.max(1e-9, r.elapsed().toNanos() / 1e9);
        String memory = Double.isNaN(r.bytesPerState()) ? ""
                : String.format(Locale.US, ", %.1f bytes/state", r.bytesPerState());
        String collision = r.exact() ? "exact seen-set"
                : String.format(Locale.US, "fingerprint collision probability %.1e", r.collisionProbability());
        out.println(String.format(Locale.US,
                "mmcheck: %s after %,d states (%,d/s), %,d generated (%,d/s) in %.1f s%s; %s",
                r.stopReason().name().toLowerCase(Locale.ROOT).replace('_', '-'), r.distinctStates(),
                (long) (r.distinctStates() / seconds), r.transitions(), (long) (r.transitions() / seconds),
                seconds, memory, collision));
        out.flush();
    }

    /** Ends the rewritten line, if any, so later output starts on a fresh line. Idempotent. */
    public synchronized void finish() {
        if (lineOpen) {
            out.println();
            lineOpen = false;
            lastLength = 0;
        }
        out.flush();
    }
}
