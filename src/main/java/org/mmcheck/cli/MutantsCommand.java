package org.mmcheck.cli;

import java.io.PrintStream;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.concurrent.Callable;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.report.Verdict;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;
import org.mmcheck.variant.data.Patch;
import org.mmcheck.variant.data.PatchedPolicy;
import org.mmcheck.variant.data.VariantFile;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmcheck mutants}: how well a set of tests pins down a variant. Every single-point mutant of
 * the variant (each named decision point inverted, forced true, forced false) runs against the tests;
 * a mutant is killed when some test's observation or flags differ from the variant's own. A surviving
 * mutant is a decision no test depends on: a missing test, or a point that does not matter.
 */
@Command(name = "mutants", mixinStandardHelpOptions = true,
        description = "Run every single-decision mutant of a variant against tests; print the mutation score and the survivors.",
        footer = {"", "Example:", "  ./mmcheck mutants --variant 6.12 litmus/",
                "", "Exit status: 0 every mutant killed, 1 some survived, 2 bad input."})
final class MutantsCommand implements Callable<Integer> {
    @Option(names = "--variant", defaultValue = "5.19", paramLabel = "NAME|VERSION|FILE.variant",
            description = "The variant to mutate (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--max-states", paramLabel = "N", defaultValue = "200000",
            description = "Stop one run after N distinct states (default ${DEFAULT-VALUE}); a stopped run compares nothing.")
    long maxStates;

    @Option(names = "--synth", description = "For each survivor, look for the smallest test that kills it: atomic programs, then races under"
                    + " interleave ptlock (see synth).")
    boolean synth;

    @Option(names = "--synth-stmts", defaultValue = "3", paramLabel = "N",
            description = "Largest atomic program --synth tries, in statements (default ${DEFAULT-VALUE}).")
    int synthStmts;

    @Option(names = "--max-race-stmts", defaultValue = "4", paramLabel = "N",
            description = "Largest race program (interleave ptlock) --synth tries, in statements (default ${DEFAULT-VALUE}).")
    int maxRaceStmts;

    @Option(names = "--interleave", defaultValue = "both", paramLabel = "atomic|ptlock|both",
            description = "Which programs --synth tries: atomic ones, lock-level races, or the atomic ones and then"
                    + " the races (default ${DEFAULT-VALUE}).")
    String interleave;

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Litmus files or directories.")
    List<Path> files;

    /** What a run established that a mutant may change, or null when the run stopped. */
    private record Answer(String observation, List<String> flags) {
        static Answer of(Verdict v) {
            return v.complete() ? new Answer(v.observation(), v.flags()) : null;
        }

        @Override
        public String toString() {
            return (observation == null ? "no condition" : observation) + (flags.isEmpty() ? "" : " flag " + String.join(" ", flags));
        }
    }

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        String[] names = VariantArgs.resolveOrSay(err, variant);
        if (names == null) return Main.BAD_INPUT;
        String name = names[0];
        if (synthStmts < 1 || synthStmts > 8 || maxRaceStmts < 1 || maxRaceStmts > 8) {
            err.println("mmcheck: --synth-stmts and --max-race-stmts must be 1 to 8");
            return Main.BAD_INPUT;
        }
        List<SynthSearch.Stage> stages = SynthSearch.stages(interleave, 2, synthStmts, maxRaceStmts);
        if (stages == null) {
            err.println("mmcheck: --interleave must be atomic, ptlock or both, not " + interleave);
            return Main.BAD_INPUT;
        }
        String bad = Options.checkLimits(maxStates, null);
        if (bad != null) {
            err.println("mmcheck: " + bad);
            return Main.BAD_INPUT;
        }
        List<Ast.Test> tests = new ArrayList<>();
        try {
            for (Path f : LitmusFiles.expand(files)) tests.add(LitmusFiles.parse(f));
        } catch (LitmusException e) {
            err.println(e.render());
            return Main.BAD_INPUT;
        }
        Limits limits = new Limits(maxStates, null, 0.85);
        long t0 = System.nanoTime();
        Map<Ast.Test, Answer> baseline = new LinkedHashMap<>();
        for (Ast.Test t : tests) baseline.put(t, Answer.of(run(t, Variants.policy(name), limits)));
        long compared = baseline.values().stream().filter(Objects::nonNull).count();
        out.printf("Mutants of %s over %d test(s) (%d compared; the others stopped at --max-states %d)%n", name,
                tests.size(), compared, maxStates);
        int killed = 0;
        int total = 0;
        int equivalent = 0;
        int synthKilled = 0;
        List<String> survivors = new ArrayList<>();
        for (String point : VariantFile.points().keySet()) {
            for (Patch.Change change : new Patch.Change[] {Patch.Change.INVERT, Patch.Change.TRUE, Patch.Change.FALSE}) {
                total++;
                Patch patch = new Patch(name + "~" + point, change.text + " " + point, name, Map.of(point, change), "mutant");
                String what = (change == Patch.Change.INVERT ? "invert " + point
                        : "set " + point + " = " + (change == Patch.Change.TRUE));
                String killer = null;
                KernelPolicy mutant = PatchedPolicy.of(patch, Variants.policy(name));
                for (Map.Entry<Ast.Test, Answer> e : baseline.entrySet()) {
                    if (e.getValue() == null) continue;
                    Answer a;
                    try {
                        a = Answer.of(run(e.getKey(), mutant, limits));
                    } catch (IllegalStateException broken) {
                        // The paths noticed the mutant breaks them (a retry loop that never ends, a
                        // PTE naming a freed page): the test tells it apart as surely as a new answer.
                        killer = e.getKey().name() + " (the kernel paths break: " + broken.getMessage() + ")";
                        break;
                    }
                    if (a != null && !a.equals(e.getValue())) {
                        killer = e.getKey().name() + " (" + e.getValue() + " -> " + a + ")";
                        break;
                    }
                }
                long[] counts = PatchedPolicy.countsOf(mutant);
                if (killer != null) {
                    killed++;
                    out.printf("killed      %-48s by %s%n", what, killer);
                } else if (counts[0] > 0 && counts[1] == 0) {
                    // Every time a test asked, the variant already gave the mutant's answer: nothing to tell apart here.
                    equivalent++;
                    out.printf("equivalent  %-48s (asked %d times; %s already answered so every time)%n", what, counts[0], name);
                } else {
                    survivors.add(what);
                    out.printf("SURVIVED    %-48s %s%n", what, counts[0] == 0 ? "(no test reaches this point)"
                            : "(asked " + counts[0] + " times, answered otherwise " + counts[1] + " times, and no test noticed)");
                    if (synth && synthesise(out, name, patch, stages, limits)) synthKilled++;
                }
            }
        }
        out.printf("Mutation score: %d of %d mutants killed (%.0f%% of the %d not equivalent on these tests);"
                        + " %d equivalent, %d survived; %.1f s%n", killed, total,
                total == equivalent ? 100.0 : 100.0 * killed / (total - equivalent), total - equivalent, equivalent,
                survivors.size(), (System.nanoTime() - t0) / 1e9);
        if (synth && !survivors.isEmpty()) {
            out.printf("Synthesized: a killing test for %d of the %d survivor(s)%n", synthKilled, survivors.size());
        }
        out.flush();
        if (out.checkError()) return Main.EXPECTATION_FAILED;
        return survivors.isEmpty() ? Main.OK : Main.EXPECTATION_FAILED;
    }

    /**
     * The smallest test that kills a surviving mutant, printed indented with its space and size, or the
     * bounds up to which none does; true when one was found. Programs left undecided at --max-states
     * mean the bound is not established, and the line says so instead of "equivalent".
     */
    private boolean synthesise(PrintStream out, String name, Patch patch, List<SynthSearch.Stage> stages, Limits limits) {
        SynthSearch.Found f = SynthSearch.search(() -> Variants.policy(name),
                () -> PatchedPolicy.of(patch, Variants.policy(name)), stages, limits, null);
        if (f.program() == null) {
            List<String> bounds = new ArrayList<>();
            long limited = 0;
            for (SynthSearch.Tally t : f.tallies()) {
                limited += t.limited;
                // No time budget here, so each space was searched to its bound.
                bounds.add(t.stage.space().name() + " program of at most " + t.establishedUpTo(f.timedOut())
                        + " statement(s)");
            }
            if (limited == 0 && !f.timedOut()) {
                out.printf("            equivalent up to the bound: no %s tells it apart (%d tried)%n",
                        String.join(" nor ", bounds), f.tried());
            } else {
                out.printf("            undecided: no program tried tells it apart, but the bound is not established"
                        + " (tried every %s; %d tried, %d left undecided at --max-states %d)%n",
                        String.join(" and every ", bounds), f.tried(), limited, limits.maxStates());
            }
            return false;
        }
        out.printf("            killed by this %d-statement %s test (%d tried; %s):%n", f.size(), f.space(), f.tried(),
                f.difference().replace("the first", name).replace("the second", "the mutant"));
        long undecided = f.tallies().stream().mapToLong(t -> t.limited).sum();
        if (undecided > 0) {
            out.printf("            (%d program(s) tried before it were left undecided at --max-states; a test as small"
                    + " may be among them)%n", undecided);
        }
        for (String line : f.program().split("\n")) out.println("              " + line);
        return true;
    }

    private static Verdict run(Ast.Test t, KernelPolicy policy, Limits limits) {
        return TestRun.run(t, policy, limits, Progress.silent(), false, 1);
    }
}
