package org.mmcheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.report.Verdict;
import org.mmcheck.synth.ProgramSpace;
import org.mmcheck.synth.RaceSpace;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmcheck synth}: the smallest litmus test whose reachable outcomes or flags differ between two
 * variants, found by trying programs in order of size: atomic ones ({@link ProgramSpace}), then lock-level
 * races ({@link RaceSpace}); the search itself is {@link SynthSearch}.
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Find the smallest litmus test that tells two variants apart.",
        footer = {"", "Example:", "  ./mmcheck synth --base 5.19 --variant part3-v2",
                "  ./mmcheck synth --base 6.1 --kernel 6.1-seed --max-stmts 2     (a kernel you built, under QEMU)",
                "", "Exit status: 0 a test was found, 1 none up to the bound, 2 bad input, 3 the search stopped on --timeout"
                        + " or left programs undecided at --max-states."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "NAME|VERSION|FILE.variant", description = "One variant.")
    String base;

    @Option(names = "--variant", paramLabel = "NAME|VERSION|FILE.variant", description = "The other.")
    String variant;

    @Option(names = "--kernel", paramLabel = "6.1|6.12|NAME|BZIMAGE",
            description = "Instead of --variant: a real kernel (as real --kernel takes it). Each program runs on it"
                    + " under QEMU, every schedule, step by step, against --base; slow (a boot per batch of programs).")
    String kernel;

    @Option(names = "--batch", defaultValue = "200", paramLabel = "N",
            description = "With --kernel: programs per boot (default ${DEFAULT-VALUE}).")
    int batch;

    @Option(names = "--max-stmts", defaultValue = "4", paramLabel = "N",
            description = "Largest program tried, in statements (default ${DEFAULT-VALUE}).")
    int maxStmts;

    @Option(names = "--max-procs", defaultValue = "2", paramLabel = "N",
            description = "Most processes, 1 or 2 (default ${DEFAULT-VALUE}).")
    int maxProcs;

    @Option(names = "--max-states", defaultValue = "20000", paramLabel = "N",
            description = "Skip a program whose search passes N states (default ${DEFAULT-VALUE}).")
    long maxStates;

    @Option(names = "--interleave", defaultValue = "both", paramLabel = "atomic|ptlock|both",
            description = "Which programs: atomic ones, lock-level races, or the atomic ones and then the races"
                    + " (default ${DEFAULT-VALUE}).")
    String interleave;

    @Option(names = "--max-race-stmts", defaultValue = "6", paramLabel = "N",
            description = "Largest race program tried, in statements (default ${DEFAULT-VALUE}).")
    int maxRaceStmts;

    @Option(names = "--timeout", paramLabel = "S", description = "Stop the whole search after S seconds.")
    Double timeout;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the test found to FILE.")
    Path outFile;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if ((variant == null) == (kernel == null)) {
            err.println("mmcheck: synth needs exactly one of --variant (a model variant) and --kernel (a real kernel)");
            return Main.BAD_INPUT;
        }
        if (kernel != null) return againstKernel(out, err);
        String[] names = VariantArgs.resolveOrSay(err, base, variant);
        if (names == null) return Main.BAD_INPUT;
        String a = names[0];
        String b = names[1];
        if (maxStmts < 1 || maxStmts > 8 || maxRaceStmts < 1 || maxRaceStmts > 8 || maxProcs < 1 || maxProcs > 2
                || maxStates < 1) {
            err.println("mmcheck: --max-stmts and --max-race-stmts must be 1 to 8, --max-procs 1 or 2,"
                    + " --max-states at least 1");
            return Main.BAD_INPUT;
        }
        String bad = Options.checkLimits(maxStates, timeout);
        if (bad != null) {
            err.println("mmcheck: " + bad);
            return Main.BAD_INPUT;
        }
        List<SynthSearch.Stage> stages = SynthSearch.stages(interleave, maxProcs, maxStmts, maxRaceStmts);
        if (stages == null) {
            err.println("mmcheck: --interleave must be atomic, ptlock or both, not " + interleave);
            return Main.BAD_INPUT;
        }
        Duration budget = timeout == null ? null : Duration.ofMillis((long) Math.ceil(timeout * 1000));
        long t0 = System.nanoTime();
        SynthSearch.Found f = SynthSearch.search(() -> Variants.policy(a), () -> Variants.policy(b), stages,
                new Limits(maxStates, null, 0.85), budget);
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("Tried %d program(s) in %.1f s:%n", f.tried(), seconds);
        for (SynthSearch.Tally t : f.tallies()) {
            if (!t.reached) continue;
            out.printf("  %s: %d program(s) of at most %d statement(s) in %.1f s (%d over --max-states, %d invalid)%n",
                    t.stage.space().name(), t.tried, t.stage.maxStmts(), t.seconds, t.limited, t.invalid);
        }
        if (f.program() == null) return nothingFound(out, f, a, b, seconds);
        String test;
        try {
            test = withExpectations(f.program(), a, b, out);
        } catch (LitmusException e) {
            throw new IllegalStateException("synth built an invalid test: " + e.render(), e);
        }
        long undecided = f.tallies().stream().mapToLong(t -> t.limited).sum();
        if (undecided > 0) {
            out.printf("Note: %d program(s) tried before it were left undecided at --max-states; a test as small or"
                    + " smaller may be among them%n", undecided);
        }
        out.printf("Smallest test that tells %s from %s (%d statement(s), %s space):%n%n%s%n", a, b, f.size(), f.space(),
                test);
        if (outFile != null) {
            try {
                Files.writeString(outFile, test, StandardCharsets.UTF_8);
                out.println("Written to " + outFile);
            } catch (IOException e) {
                err.println("mmcheck: cannot write " + outFile + ": " + e.getMessage());
                return Main.BAD_INPUT;
            }
        }
        return Main.OK;
    }

    /** {@code --kernel}: the smallest atomic program on which the kernel parts from --base. */
    private int againstKernel(PrintStream out, PrintStream err) {
        String[] names = VariantArgs.resolveOrSay(err, base);
        if (names == null) return Main.BAD_INPUT;
        if (maxStmts < 1 || maxStmts > 4 || maxProcs < 1 || maxProcs > 2 || batch < 1) {
            err.println("mmcheck: with --kernel, --max-stmts must be 1 to 4, --max-procs 1 or 2, --batch at least 1");
            return Main.BAD_INPUT;
        }
        String k = org.mmcheck.real.KernelBuild.resolveKernelArg(kernel, List.of("6.1", "6.12"));
        if (k == null) {
            err.println("mmcheck: --kernel must be 6.1, 6.12, the name of a kernel you built, or a kernel image file");
            return Main.BAD_INPUT;
        }
        long t0 = System.nanoTime();
        Path work = null;
        try {
            work = Files.createTempDirectory("mmcheck-synth-kernel");
            org.mmcheck.real.Children.removeOnStop(work);
            SynthKernelSearch.Found f = SynthKernelSearch.search(k, names[0], maxStmts, maxProcs, batch, work, err);
            double seconds = (System.nanoTime() - t0) / 1e9;
            out.printf("Tried %d program(s) on the kernel in %.1f s (%d boot(s)): %d run, %d not reproducible;"
                    + " %d schedule(s), %d step(s) compared%s%s%n", f.tried(), seconds, f.boots(), f.run(),
                    f.tried() - f.run(), f.schedules(),
                    f.steps(), f.failedRuns() > 0 ? "; " + f.failedRuns() + " run(s) failed (not compared)" : "",
                    f.unconfirmed() > 0 ? "; " + f.unconfirmed() + " difference(s) not seen again on a second boot" : "");
            if (f.program() == null) {
                out.printf("No program of at most %d statement(s) that the kernel can run tells it from %s%n", maxStmts,
                        names[0]);
                return f.failedRuns() > 0 ? Main.LIMIT : Main.EXPECTATION_FAILED;
            }
            out.printf("Smallest program on which the kernel parts from %s (%d statement(s), seen on two boots):%n%n%s%n",
                    names[0], f.size(), f.program());
            out.print(f.report());
            if (outFile != null) Files.writeString(outFile, f.program(), StandardCharsets.UTF_8);
            return Main.OK;
        } catch (IOException e) {
            err.println("mmcheck: synth: " + e.getMessage());
            return Main.LIMIT;
        } catch (LitmusException e) {
            throw new IllegalStateException("synth built an invalid test: " + e.render(), e);
        } finally {
            if (work != null) {
                org.mmcheck.real.Children.keepOnStop(work);
                org.mmcheck.real.Guest.deleteTree(work);
            }
        }
    }

    /**
     * Says how far the search established that the two agree: the whole bound (exit 1), or less because
     * it ran out of time or left programs undecided at the state limit (exit 3).
     */
    private static int nothingFound(PrintStream out, SynthSearch.Found f, String a, String b, double seconds) {
        List<String> bounds = new ArrayList<>();
        long limited = 0;
        for (SynthSearch.Tally t : f.tallies()) {
            limited += t.limited;
            int upTo = t.establishedUpTo(f.timedOut());
            bounds.add(upTo == 0 ? "nothing of the " + t.stage.space().name() + " space"
                    : "at most " + upTo + " statement(s) of the " + t.stage.space().name() + " space ("
                    + t.stage.space().describe() + ")");
        }
        if (!f.timedOut() && limited == 0) {
            out.printf("Equivalent up to the bound: no program of %s tells %s from %s%n", String.join(", nor ", bounds), a, b);
            return Main.EXPECTATION_FAILED;
        }
        if (f.timedOut()) out.printf("Stopped by --timeout after %.1f s: no program tried tells %s from %s;", seconds, a, b);
        else out.printf("No program tried tells %s from %s, but the bound is not established:", a, b);
        out.printf(" searched: %s", String.join(", and ", bounds));
        if (limited > 0) out.printf("; %d program(s) left undecided at --max-states", limited);
        out.println();
        return Main.LIMIT;
    }

    /** Names the test, and adds the expect lines that each variant gives, checked by running it again. */
    private static String withExpectations(String text, String a, String b, PrintStream out) throws LitmusException {
        String named = text.replace("MM synth\n", "MM synth-" + safe(a) + "-vs-" + safe(b) + "\n\"the smallest test found that tells "
                + a + " from " + b + "\"\n");
        Ast.Test t = parse(named);
        StringBuilder s = new StringBuilder(named);
        List<Verdict> verdicts = new ArrayList<>();
        for (String v : List.of(a, b)) {
            Verdict vd = TestRun.run(t, Variants.policy(v), Limits.none(), Progress.silent(), true, 1);
            verdicts.add(vd);
            s.append("expect ").append(v).append(' ').append(vd.observation());
            if (!vd.flags().isEmpty()) s.append(" flag ").append(String.join(" ", vd.flags()));
            s.append('\n');
        }
        String result = s.toString();
        // What only one side reaches, with its witness.
        for (int i = 0; i < 2; i++) {
            Verdict mine = verdicts.get(i);
            Verdict other = verdicts.get(1 - i);
            for (Verdict.Witness w : mine.witnesses()) {
                boolean shared = other.witnesses().stream().anyMatch(o -> o.what().equals(w.what()));
                if (shared) continue;
                out.printf("Witness under %s: %s%n", mine.variant(), w.what());
                int k = 1;
                for (String step : w.steps()) out.printf("  %d. %s%n", k++, step.replace("\n", "\n     "));
            }
        }
        parse(result); // what it prints must be a valid test
        return result;
    }

    private static Ast.Test parse(String text) throws LitmusException {
        return SynthSearch.parse(text);
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "_");
    }
}
