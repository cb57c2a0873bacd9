package org.mmcheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.Callable;
import java.util.function.Supplier;
import org.mmcheck.check.Flags;
import org.mmcheck.explore.Explorer;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.explore.Result;
import org.mmcheck.explore.StopReason;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.model.KState;
import org.mmcheck.report.Verdict;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.synth.ProgramSpace;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmcheck synth}: the smallest litmus test whose reachable outcomes or flags differ between two
 * variants, found by trying programs in order of size ({@link ProgramSpace}).
 */
@Command(name = "synth", mixinStandardHelpOptions = true,
        description = "Find the smallest litmus test that tells two variants apart.",
        footer = {"", "Example:", "  ./mmcheck synth --base 5.19 --variant part3-v2",
                "", "Exit status: 0 a test was found, 1 none up to the bound, 2 bad input."})
final class SynthCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "NAME|VERSION|FILE.variant", description = "One variant.")
    String base;

    @Option(names = "--variant", required = true, paramLabel = "NAME|VERSION|FILE.variant", description = "The other.")
    String variant;

    @Option(names = "--max-stmts", defaultValue = "4", paramLabel = "N",
            description = "Largest program tried, in statements (default ${DEFAULT-VALUE}).")
    int maxStmts;

    @Option(names = "--max-procs", defaultValue = "2", paramLabel = "N",
            description = "Most processes, 1 or 2 (default ${DEFAULT-VALUE}).")
    int maxProcs;

    @Option(names = "--max-states", defaultValue = "20000", paramLabel = "N",
            description = "Skip a program whose search passes N states (default ${DEFAULT-VALUE}).")
    long maxStates;

    @Option(names = "--out", paramLabel = "FILE", description = "Also write the test found to FILE.")
    Path outFile;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String[] names = VariantArgs.resolveOrSay(err, base, variant);
        if (names == null) return Main.BAD_INPUT;
        String a = names[0];
        String b = names[1];
        if (maxStmts < 1 || maxStmts > 8 || maxProcs < 1 || maxProcs > 2 || maxStates < 1) {
            err.println("mmcheck: --max-stmts must be 1 to 8, --max-procs 1 or 2, --max-states at least 1");
            return Main.BAD_INPUT;
        }
        Limits limits = new Limits(maxStates, null, 0.85);
        long t0 = System.nanoTime();
        Found f = search(() -> Variants.policy(a), () -> Variants.policy(b), maxStmts, maxProcs, limits);
        long[] tried = {f.tried(), f.skipped()};
        String[] found = {f.program()};
        int[] foundSize = {f.size()};
        double seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("Tried %d program(s) of at most %d statement(s) and %d process(es) in %.1f s (%d skipped: invalid or over"
                + " --max-states)%n", tried[0], maxStmts, maxProcs, seconds, tried[1]);
        if (found[0] == null) {
            out.printf("Equivalent up to the bound: no program of at most %d statement(s) and %d process(es) tells %s from %s"
                    + " (one page, populated or not; no swap, swap, stable_writes or sync_io; stores, loads, fork,"
                    + " MADV_PAGEOUT, MADV_DONTNEED, mprotect, R/W and R/O long-term pins; a kernel thread's reclaim;"
                    + " atomic steps)%n", maxStmts, maxProcs, a, b);
            return Main.EXPECTATION_FAILED;
        }
        String test;
        try {
            test = withExpectations(found[0], a, b, out);
        } catch (LitmusException e) {
            throw new IllegalStateException("synth built an invalid test: " + e.render(), e);
        }
        out.printf("Smallest test that tells %s from %s (%d statement(s)):%n%n%s%n", a, b, foundSize[0], test);
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

    /**
     * What a search found: the smallest program (with a condition telling the two apart when their
     * outcomes differ) and its size, or null and 0; how many programs ran and how many were skipped.
     */
    record Found(String program, int size, long tried, long skipped, String difference) {}

    /** The smallest program up to the bounds whose outcomes or flags differ between the two policies. */
    static Found search(Supplier<KernelPolicy> a, Supplier<KernelPolicy> b, int maxStmts, int maxProcs, Limits limits) {
        long[] tried = {0, 0}; // programs run, programs skipped
        String[] found = {null, null};
        int[] foundSize = {0};
        ProgramSpace space = new ProgramSpace(maxProcs);
        for (int size = 1; size <= maxStmts && found[0] == null; size++) {
            int n = size;
            space.programsOfSize(size, text -> {
                Ast.Test t;
                try {
                    t = parse(text);
                } catch (LitmusException e) {
                    tried[1]++;
                    return true;
                }
                tried[0]++;
                Answer x = explore(t, a.get(), limits);
                Answer y = x == null ? null : explore(t, b.get(), limits);
                if (x == null || y == null) {
                    tried[1]++;
                    return true;
                }
                if (x.equals(y)) return true;
                found[0] = distinguishing(text, x, y);
                found[1] = difference(x, y);
                foundSize[0] = n;
                return false;
            });
        }
        return new Found(found[0], foundSize[0], tried[0], tried[1], found[1]);
    }

    /** "first reaches outcome ... / flag ..., second does not", both ways. */
    private static String difference(Answer x, Answer y) {
        List<String> parts = new ArrayList<>();
        for (int i = 0; i < 2; i++) {
            Answer mine = i == 0 ? x : y;
            Answer other = i == 0 ? y : x;
            Set<String> outs = new TreeSet<>(mine.outcomes());
            outs.removeAll(other.outcomes());
            Set<String> flags = new TreeSet<>(mine.flags());
            flags.removeAll(other.flags());
            String who = i == 0 ? "the first" : "the second";
            for (String o : outs) parts.add("only " + who + " reaches " + o.trim());
            for (String f : flags) parts.add("only " + who + " raises " + f);
        }
        return String.join("; ", parts);
    }

    /** Outcomes and flags reached, or null when the search stopped. */
    private record Answer(Set<String> outcomes, Set<String> flags) {}

    private static Answer explore(Ast.Test t, KernelPolicy policy, Limits limits) {
        Result<KState> r;
        try {
            r = new Explorer<>(new LitmusModel(t, policy), limits, Progress.silent()).run();
        } catch (IllegalStateException broken) {
            // A mutant that breaks the kernel paths (a retry that never ends): an answer of its own.
            return new Answer(Set.of(), Set.of("broken: " + broken.getMessage()));
        }
        if (r.stopReason() != StopReason.COMPLETE) return null;
        Set<String> outcomes = new TreeSet<>();
        for (Object o : r.outcomes().keySet()) outcomes.add(o.toString());
        return new Answer(outcomes, new TreeSet<>(r.flags().keySet()));
    }

    /**
     * The program with a condition that tells the two apart when their outcomes differ (an outcome
     * one of them reaches and the other does not), named after the pair.
     */
    private static String distinguishing(String text, Answer x, Answer y) {
        Set<String> only = new TreeSet<>(x.outcomes());
        only.removeAll(y.outcomes());
        if (only.isEmpty()) {
            only.addAll(y.outcomes());
            only.removeAll(x.outcomes());
        }
        if (only.isEmpty()) return text; // only the flags differ
        String outcome = only.iterator().next();
        List<String> atoms = new ArrayList<>();
        for (String part : outcome.split(";")) if (!part.isBlank()) atoms.add(part.trim());
        int at = text.lastIndexOf("exists (");
        return text.substring(0, at) + "exists (" + String.join(" /\\ ", atoms) + ")\n";
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

    /** A generated program as a test (its variants may be .variant files of this run). */
    private static Ast.Test parse(String text) throws LitmusException {
        return LitmusParser.parse("synth.litmus", text, Set.copyOf(Variants.namesWithRegistered()), Set.copyOf(Flags.ALL));
    }

    private static String safe(String name) {
        return name.replaceAll("[^A-Za-z0-9]+", "_");
    }
}
