package org.mmcheck.explore;

import java.io.PrintStream;
import java.util.Locale;

/**
 * Prints progress as {@code mmcheck: 1,234,567 states, 310,000/s, queue 12,345, heap 812 MB}.
 * On a terminal the line is rewritten in place with '\r' (call {@link #finish()} to end it);
 * elsewhere (logs, pipes) each report is its own line so the output stays readable.
 * The rate is distinct states per second since the previous report.
 */
public final class ProgressPrinter implements Progress {

    private final PrintStream out;
    private final boolean rewrite;
    private long lastDistinct;
    private long lastMillis;
    private int lastLength;
    private boolean lineOpen;

    /** Rewrites in place when attached to a console ({@code System.console() != null}). */
    public ProgressPrinter(PrintStream out) {
        this(out, System.console() != null);
    }

    public ProgressPrinter(PrintStream out, boolean rewrite) {
        this.out = out;
        this.rewrite = rewrite;
    }

    @Override
    public synchronized void report(long distinct, long generated, long queued, long elapsedMillis,
                                    long usedHeapBytes) {
        long dt = elapsedMillis - lastMillis;
        long rate = dt > 0 ? (distinct - lastDistinct) * 1000 / dt : 0;
        lastDistinct = distinct;
        lastMillis = elapsedMillis;
        String line = String.format(Locale.US, "mmcheck: %,d states, %,d/s, queue %,d, heap %,d MB",
                distinct, rate, queued, usedHeapBytes >> 20);
        if (rewrite) {
            // Pad with blanks so a shorter line fully covers the previous one.
            String pad = " ".repeat(Math.max(0, lastLength - line.length()));
            out.print('\r' + line + pad);
            lastLength = line.length();
            lineOpen = true;
        } else {
            out.println(line);
        }
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
