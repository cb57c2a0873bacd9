package org.mmcheck.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.concurrent.Callable;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.ProgressPrinter;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.report.Verdict;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmcheck diff --base A --variant B FILE|DIR...}: the tests on which two variants (two kernel
 * generations, or a generation and a patch) answer differently, with the witnesses of what differs.
 */
@Command(name = "diff", mixinStandardHelpOptions = true,
        description = "Show every test whose observation or flags differ between two variants, with witnesses.",
        footer = {"", "Example: ./mmcheck diff --base 5.19 --variant part3-v2 litmus/",
                "Exit status: 0 no test differs, 1 some test differs, 2 bad input, 3 a run stopped on a limit"
                        + " (that test is not compared)."})
final class DiffCommand implements Callable<Integer> {
    @Option(names = "--base", required = true, paramLabel = "NAME|VERSION", description = "The variant compared against.")
    String base;

    @Option(names = "--variant", required = true, paramLabel = "NAME|VERSION", description = "The variant under review.")
    String variant;

    @Option(names = "--interleave", paramLabel = "atomic|ptlock", description = "Override the tests' interleave declaration.")
    String interleave;

    @Option(names = "--por", paramLabel = "on|off", description = Options.POR_HELP)
    String por;

    @Option(names = "--max-states", paramLabel = "N", description = "Stop a run after N distinct states.")
    Long maxStates;

    @Option(names = "--timeout", paramLabel = "S", description = "Stop a run after S seconds.")
    Double timeout;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Litmus files or directories.")
    List<Path> files;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String[] names = VariantArgs.resolveOrSay(err, base, variant);
        if (names == null) return Main.BAD_INPUT;
        String a = names[0];
        String b = names[1];
        String bad = Options.checkRunOptions(maxStates, timeout, interleave, por);
        if (bad != null) {
            err.println("mmcheck: " + bad);
            return Main.BAD_INPUT;
        }
        Ast.Interleave override = Options.interleave(interleave);
        List<Ast.Test> tests = new ArrayList<>();
        try {
            for (Path f : LitmusFiles.expand(files)) {
                Ast.Test t = LitmusFiles.parse(f);
                tests.add(override == null ? t : t.withInterleave(override));
            }
        } catch (LitmusException e) {
            err.println(e.render());
            return Main.BAD_INPUT;
        }
        Limits limits = Options.limits(maxStates, timeout);
        int differ = 0;
        int stopped = 0;
        out.println("Diff " + label(a, base) + " -> " + label(b, variant) + " over " + tests.size() + " test(s)");
        for (Ast.Test t : tests) {
            Verdict va = run(t, a, limits, err, Options.partialOrder(por));
            Verdict vb = run(t, b, limits, err, Options.partialOrder(por));
            if (!va.complete() || !vb.complete()) {
                stopped++;
                out.println("Test " + t.name() + ": not compared (a run stopped: "
                        + (va.complete() ? vb.stop() : va.stop()) + ")");
                continue;
            }
            if (answer(va).equals(answer(vb))) continue;
            differ++;
            out.println("Test " + t.name() + " (" + t.pos().file() + ")");
            out.println("  " + a + ": " + answer(va));
            out.println("  " + b + ": " + answer(vb));
            explain(va, vb, out);
            explain(vb, va, out);
        }
        out.println("Summary: " + tests.size() + " test(s), " + differ + " differ, " + stopped + " not compared");
        if (out.checkError()) return Main.outputFailed(err);
        return stopped > 0 ? Main.LIMIT : differ > 0 ? Main.EXPECTATION_FAILED : Main.OK;
    }

    private static String label(String name, String given) {
        return name.equals(given) ? name : name + " (for " + given + ")";
    }

    private static Verdict run(Ast.Test t, String name, Limits limits, PrintStream err, boolean partialOrder) {
        ProgressPrinter progress = new ProgressPrinter(err).toward(limits);
        try {
            return TestRun.run(t, Variants.policy(name), limits, progress, true, Runtime.getRuntime().availableProcessors(),
                    partialOrder);
        } finally {
            progress.finish();
        }
    }

    /** The observation and the flags: what the two variants are compared on. */
    private static String answer(Verdict v) {
        StringBuilder s = new StringBuilder(v.observation() == null ? "no condition" : v.observation());
        if (v.condition() != null) s.append(" (").append(v.positive()).append(" positive, ").append(v.negative())
                .append(" negative outcome(s))");
        s.append(v.flags().isEmpty() ? ", no flag" : ", flag " + String.join(" ", v.flags()));
        return s.toString();
    }

    /**
     * The witnesses of what {@code v} has and {@code other} lacks: flags raised only under v, and the
     * positive outcomes only v reaches.
     */
    private static void explain(Verdict v, Verdict other, PrintStream out) {
        Set<String> otherWit = new LinkedHashSet<>();
        for (Verdict.Witness w : other.witnesses()) otherWit.add(w.what());
        for (Verdict.Witness w : v.witnesses()) {
            if (otherWit.contains(w.what())) continue;
            out.println("  Witness under " + v.variant() + ": " + w.what() + " (" + w.steps().size() + " steps)");
            int i = 1;
            for (String step : w.steps()) {
                String[] lines = step.split("\n");
                out.println("    " + i++ + ". " + lines[0]);
                for (int k = 1; k < lines.length; k++) out.println("      " + lines[k]);
            }
        }
    }
}
