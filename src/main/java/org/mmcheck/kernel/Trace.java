package org.mmcheck.kernel;

import java.util.ArrayList;
import java.util.List;

/**
 * The kernel paths taken by one step and the decisions that mattered, for witnesses. Off on the hot
 * path: callers test {@link #on()} before building a message, so a quiet step costs nothing.
 */
public final class Trace {
    public static final Trace OFF = new Trace(false);

    private final boolean on;
    private final List<String> lines;
    private int depth;

    private Trace(boolean on) {
        this.on = on;
        this.lines = on ? new ArrayList<>() : List.of();
    }

    public static Trace recording() {
        return new Trace(true);
    }

    public boolean on() {
        return on;
    }

    public void log(String line) {
        if (on) lines.add("  ".repeat(depth) + line);
    }

    /** Indents the lines logged by a callee, so that the trace shows the call structure. */
    public void enter() {
        depth++;
    }

    public void leave() {
        depth--;
    }

    public List<String> lines() {
        return lines;
    }
}
