package org.mmcheck.cli;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;

/** Runs the command line in-process with stdout and stderr captured. */
final class Cli {
    private Cli() {}

    record Result(int status, String out, String err) {
        @Override
        public String toString() {
            return "exit " + status + "\n--- stdout\n" + out + "--- stderr\n" + err;
        }
    }

    static Result run(String... args) {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        int status = runTo(out, args);
        return new Result(status, out.toString(StandardCharsets.UTF_8), lastErr);
    }

    private static String lastErr = "";

    /** Runs with stdout going to {@code stdout} (which may fail), stderr captured into {@link #lastErr}. */
    static synchronized int runTo(OutputStream stdout, String... args) {
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        try {
            System.setOut(new PrintStream(stdout, true, StandardCharsets.UTF_8));
            System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
            return Main.execute(args);
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
            lastErr = err.toString(StandardCharsets.UTF_8);
        }
    }

    static String lastErr() {
        return lastErr;
    }
}
