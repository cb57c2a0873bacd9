package org.mmcheck.real;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmcheck.litmus.Ast;

/**
 * {@code --kernel running}: the test programs run on this machine's kernel (as root). The only
 * settings they change are KSM's (run, pages_to_scan, sleep_millisecs); those are saved first and
 * restored afterwards, also when a test fails or the JVM is interrupted (shutdown hook). Swap is never
 * touched: tests that need swap run only when the machine already has a swap device.
 */
public final class RunningKernel {
    private static final String KSM = "/sys/kernel/mm/ksm/";
    private static final List<String> KSM_FILES = List.of("run", "pages_to_scan", "sleep_millisecs");
    private final PrintStream log;

    public RunningKernel(PrintStream log) {
        this.log = log;
    }

    /** Why a test cannot run here (beyond {@link Reproducibility}). */
    public static List<String> reasons(Ast.Test t) {
        List<String> out = new ArrayList<>();
        boolean needsSwap = false;
        for (Ast.Block b : t.blocks()) {
            for (Ast.Stmt st : b.body()) {
                if (st instanceof Ast.Madvise m && m.advice() == Ast.Advice.MADV_PAGEOUT) needsSwap = true;
                if (st instanceof Ast.Reclaim) needsSwap = true;
            }
        }
        if (!t.swap().present() && needsSwap) {
            out.add("'swap none;' cannot be had on the running kernel without turning its swap off");
        } else if (needsSwap && !hasSwap()) {
            out.add("the running kernel has no swap device (see /proc/swaps), and mmcheck does not add one");
        }
        if (t.swap().syncIo() || t.swap().stableWrites()) {
            out.add("the swap device's flags are whatever the machine's swap device has");
        }
        if (!"0".equals(System.getProperty("mmcheck.uid", uid()))) out.add("needs root for PFNs in pagemap");
        return out;
    }

    private static boolean hasSwap() {
        try {
            return Files.readAllLines(Path.of("/proc/swaps")).size() > 1;
        } catch (IOException e) {
            return false;
        }
    }

    private static String uid() {
        try {
            for (String l : Files.readAllLines(Path.of("/proc/self/status"))) {
                if (l.startsWith("Uid:")) return l.split("\\s+")[1];
            }
        } catch (IOException ignored) {
            // not Linux
        }
        return "?";
    }

    /** Runs every job here; output in the same "@@" format as a guest boot. */
    public String runAll(List<Guest.Job> jobs) throws IOException {
        Map<String, String> saved = new LinkedHashMap<>();
        for (String f : KSM_FILES) {
            Path p = Path.of(KSM + f);
            if (Files.exists(p)) saved.put(f, Files.readString(p).trim());
        }
        Thread hook = new Thread(() -> restore(saved));
        Runtime.getRuntime().addShutdownHook(hook);
        StringBuilder out = new StringBuilder();
        try {
            out.append("@@ KERNEL ").append(System.getProperty("os.version")).append(" (running)\n");
            if (Files.exists(Path.of(KSM + "run"))) Files.writeString(Path.of(KSM + "run"), "0");
            for (Guest.Job j : jobs) {
                out.append("@@ RUN ").append(j.id()).append('\n');
                Guest.Result r = Guest.run(List.of(j.binary().toString(), "none", j.schedule()), null, 60);
                out.append(r.out()).append('\n');
                out.append("@@ DONE ").append(j.id()).append(' ').append(r.code()).append('\n');
            }
        } finally {
            restore(saved);
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException ignored) {
                // already shutting down
            }
        }
        return out.toString();
    }

    private void restore(Map<String, String> saved) {
        // run last: pages_to_scan and sleep_millisecs first, then the original run state
        for (String f : List.of("pages_to_scan", "sleep_millisecs", "run")) {
            String v = saved.get(f);
            if (v == null) continue;
            try {
                Files.writeString(Path.of(KSM + f), v);
            } catch (IOException e) {
                log.println("real: could not restore " + KSM + f + " to " + v + ": " + e.getMessage());
            }
        }
    }
}
