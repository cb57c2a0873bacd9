package org.mmcheck.cli;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.real.RealRun;
import org.mmcheck.synth.ProgramSpace;

/**
 * {@code synth --kernel}: the smallest atomic program on which a real kernel parts from a model
 * variant, step by step or in its final outcomes. The programs of each size go to the kernel in
 * batches, one boot each ({@link RealRun}: programs the kernel cannot run from user space are skipped
 * there, with their reasons); a difference is confirmed by a boot of that program alone, so that a
 * timing accident of the kernel is not reported as a test.
 */
final class SynthKernelSearch {
    private SynthKernelSearch() {}

    /** The outcome: the program found (null: none), the kernel's report on it, and what was tried. */
    record Found(String program, String report, int size, int tried, int run, int schedules, int steps, int boots,
                 int failedRuns, int unconfirmed) {}

    static Found search(String kernel, String variant, int maxStmts, int maxProcs, int batchSize, Path work,
                        PrintStream log) throws IOException, LitmusException {
        ProgramSpace space = new ProgramSpace(maxProcs);
        int tried = 0, run = 0, schedules = 0, steps = 0, boots = 0, failed = 0, unconfirmed = 0;
        for (int size = 1; size <= maxStmts; size++) {
            List<String> programs = new ArrayList<>();
            final int n = size;
            space.programsOfSize(size, p -> programs.add(p.replaceFirst("^MM synth", "MM synth-" + n + "-" + programs.size())));
            for (int from = 0; from < programs.size(); from += batchSize) {
                List<String> batch = programs.subList(from, Math.min(programs.size(), from + batchSize));
                Path dir = Files.createDirectories(work.resolve("size" + size + "-" + from));
                List<Path> files = new ArrayList<>();
                for (String p : batch) {
                    Path f = dir.resolve(p.substring(3, p.indexOf('\n')) + ".litmus");
                    Files.writeString(f, p, StandardCharsets.UTF_8);
                    files.add(f);
                }
                log.printf("synth: %d program(s) of %d statement(s) (%d-%d of %d) on the kernel%n", batch.size(), size,
                        from + 1, from + batch.size(), programs.size());
                ByteArrayOutputStream buf = new ByteArrayOutputStream();
                RealRun.Summary s = runQuietly(kernel, variant, dir, files, buf);
                boots++;
                tried += batch.size();
                run += s.testsRun;
                schedules += s.schedules;
                steps += s.steps;
                failed += s.failedRuns;
                for (String name : differing(batch, s)) {
                    Path f = dir.resolve(name + ".litmus");
                    Path again = Files.createDirectories(work.resolve("confirm-" + name));
                    ByteArrayOutputStream report = new ByteArrayOutputStream();
                    RealRun.Summary c = runQuietly(kernel, variant, again, List.of(f), report);
                    boots++;
                    if (differing(List.of(Files.readString(f)), c).isEmpty()) {
                        unconfirmed++;
                        log.println("synth: " + name + " differed once but not on a second boot: not reported");
                        continue;
                    }
                    return new Found(Files.readString(f), report.toString(StandardCharsets.UTF_8), size, tried, run,
                            schedules, steps, boots, failed, unconfirmed);
                }
            }
        }
        return new Found(null, null, maxStmts, tried, run, schedules, steps, boots, failed, unconfirmed);
    }

    private static RealRun.Summary runQuietly(String kernel, String variant, Path dir, List<Path> files,
                                              ByteArrayOutputStream buf) throws IOException, LitmusException {
        PrintStream out = new PrintStream(buf, true, StandardCharsets.UTF_8);
        return new RealRun(new RealRun.Options(kernel, variant, 0, dir.resolve("work"), false), out, out).run(files);
    }

    /** The programs of the batch that a disagreement names, in the batch's (size) order. */
    private static List<String> differing(List<String> batch, RealRun.Summary s) {
        List<String> out = new ArrayList<>();
        for (String p : batch) {
            String name = p.substring(3, p.indexOf('\n'));
            for (String d : s.disagreements) {
                if (d.contains(": run failed: ")) continue; // the machine's, not an answer
                if (d.startsWith(name + " ") || d.startsWith(name + ":")) {
                    out.add(name);
                    break;
                }
            }
        }
        return out;
    }
}
