package org.mmcheck.cli;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.real.Repro;
import org.mmcheck.real.Reproducibility;
import org.mmcheck.report.Verdict;
import org.mmcheck.report.WitnessStep;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmcheck repro}: one witness as a standalone C program to run on a kernel (and attach to a report). */
@Command(name = "repro", mixinStandardHelpOptions = true,
        description = "Write one witness of a test as a standalone C program that replays its schedule on the running"
                + " kernel and prints PASS or FAIL.",
        footer = {"", "Example: ./mmcheck repro --variant 5.7 --out vmsplice.c litmus/history/vmsplice-unmap-child.litmus",
                "", "Exit status: 0 written, 1 nothing to reproduce (no positive outcome, no flag), 2 bad input,",
                "3 the witness cannot be replayed from user space."})
final class ReproCommand implements Callable<Integer> {
    @Parameters(paramLabel = "FILE", description = "One litmus test.")
    Path file;

    @Option(names = "--variant", defaultValue = "5.19", paramLabel = "NAME|VERSION|FILE.variant",
            description = "The model variant whose witness to write (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--witness-outcome", paramLabel = "N", description = "The witness of the N-th outcome (from 1).")
    Integer outcome;

    @Option(names = "--witness-flag", paramLabel = "ID", description = "The witness of flag ID.")
    String flag;

    @Option(names = "--out", paramLabel = "FILE.c", description = "Write the program here instead of stdout.")
    Path out;

    @Override
    public Integer call() {
        String[] names = VariantArgs.resolveOrSay(System.err, variant);
        if (names == null) return Main.BAD_INPUT;
        Ast.Test test;
        try {
            test = LitmusFiles.parse(file);
        } catch (LitmusException e) {
            System.err.println(e.render());
            return Main.BAD_INPUT;
        }
        // A kernel is driven one statement at a time from user space: stages cannot be placed.
        test = test.withInterleave(Ast.Interleave.ATOMIC);
        // a read-only pin needs CONFIG_GUP_TEST where the program runs; it says so there if missing
        List<String> why = Reproducibility.reasons(test, Reproducibility.Target.GUEST, true);
        if (!why.isEmpty()) {
            System.err.println("mmcheck: repro: " + test.name() + " is not reproducible from user space: " + String.join("; ", why));
            return Main.LIMIT;
        }
        WitnessRequest want = outcome != null || flag != null ? new WitnessRequest(false, outcome, flag, false) : WitnessRequest.ALL;
        Verdict v = TestRun.run(test, Variants.policy(names[0]), new Limits(1_000_000, null, 0.85), Progress.silent(), want, 1, false);
        if (v.witnesses().isEmpty()) {
            System.err.println("mmcheck: repro: nothing to reproduce under " + names[0]
                    + (outcome != null || flag != null ? ": no such outcome or flag" : ": no positive outcome and no flag"));
            return Main.EXPECTATION_FAILED;
        }
        Verdict.Witness w = v.witnesses().get(0);
        List<Repro.Step> steps = new ArrayList<>();
        for (int i = 0; i < w.trace().size(); i++) {
            WitnessStep s = w.trace().get(i);
            if (s.actor().equals("kernel")) {
                System.err.println("mmcheck: repro: step " + (i + 1) + " of the witness is a background event ("
                        + s.statement() + "), which user space cannot place");
                return Main.LIMIT;
            }
            steps.add(new Repro.Step(s.actor(), s.statement()));
        }
        String reached = w.what().startsWith("outcome ") ? w.what().substring("outcome ".length())
                : w.what().startsWith("counterexample outcome ") ? w.what().substring("counterexample outcome ".length()) : null;
        String c = Repro.program(test, names[0], w.what(), steps,
                reached == null ? null : new Verdict.OutcomeLine(reached, true).values());
        if (out == null) {
            System.out.print(c);
            System.out.flush();
            return System.out.checkError() ? Main.EXPECTATION_FAILED : Main.OK;
        }
        try {
            Files.writeString(out, c, StandardCharsets.UTF_8);
        } catch (IOException e) {
            System.err.println("mmcheck: cannot write " + out + ": " + e.getMessage());
            return Main.BAD_INPUT;
        }
        System.out.println("Wrote " + out + ": " + test.name() + " under " + names[0] + ", the witness of " + w.what()
                + " (" + steps.size() + " steps)");
        return Main.OK;
    }
}
