package org.mmcheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.mmcheck.explore.Interrupt;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.ProgressPrinter;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.model.StateTooLargeException;
import org.mmcheck.report.HerdText;
import org.mmcheck.report.Html;
import org.mmcheck.report.Json;
import org.mmcheck.report.Table;
import org.mmcheck.report.Verdict;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.check.Flags;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;
import org.mmcheck.variant.data.VariantFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

@Command(name = "run", mixinStandardHelpOptions = true,
        description = "Explore every interleaving of litmus tests under kernel variants.",
        footer = {"", "Example: ./mmcheck run --variant 6.6,5.19 --witness litmus/races/swapin-skip-cache-aba.litmus"})
final class RunCommand implements Callable<Integer> {
    @Option(names = "--variant", defaultValue = "5.19", paramLabel = "NAME|VERSION|all",
            description = "Kernel variant (default ${DEFAULT-VALUE}): a name, a kernel version (6.6 runs the newest"
                    + " generation at or below it), a comma-separated list of those, or 'all' for every variant.")
    String variant;

    @Option(names = "--interleave", paramLabel = "atomic|ptlock",
            description = "Override the tests' interleave declaration: atomic (a statement is one step) or ptlock"
                    + " (kernel paths split where the kernel drops a lock).")
    String interleave;

    @Option(names = "--por", paramLabel = "on|off", description = Options.POR_HELP)
    String por;

    @Option(names = "--json", description = "One JSON object per test and variant.")
    boolean json;

    @Option(names = "--witness", description = "Print the shortest witness per positive outcome (per negative one for a"
            + " forall) and per flag.")
    boolean witness;

    @Option(names = "--witness-outcome", paramLabel = "N",
            description = "Print only the witness of the N-th outcome listed (from 1), positive or not.")
    Integer witnessOutcome;

    @Option(names = "--witness-flag", paramLabel = "ID", description = "Print only the witness of flag ID.")
    String witnessFlag;

    @Option(names = "--html", paramLabel = "FILE",
            description = "Also write a self-contained HTML page with the table and every witness, step by step with"
                    + " a drawing of the state (open it in a browser; it needs no network).")
    Path html;

    @Option(names = "--full", description = "Witness steps also show the whole state after them: page tables, pages,"
            + " swap slots, references and paths in flight.")
    boolean full;

    @Option(names = "--max-states", paramLabel = "N",
            description = "Stop after N distinct states (exit 3); N at least 1.")
    Long maxStates;

    @Option(names = "--timeout", paramLabel = "S",
            description = "Stop after S seconds per test and variant (exit 3); S a positive number.")
    Double timeout;

    @Option(names = "--workers", paramLabel = "N",
            description = "Worker threads (default: the number of cores; at most 4 per core; results do not"
                    + " depend on it).")
    int workers = Runtime.getRuntime().availableProcessors();

    @Parameters(paramLabel = "FILE", arity = "1..*", description = "Litmus files or directories.")
    List<Path> files;

    @Override
    public Integer call() {
        PrintStream out = System.out;
        PrintStream err = System.err;
        Map<String, String> variants; // variant name -> the version it was asked for as, or null
        try {
            variants = selectVariants();
        } catch (IllegalArgumentException e) {
            return badInput("mmcheck: " + e.getMessage());
        } catch (VariantFileException e) {
            return badInput(e.render());
        }
        if (witnessOutcome != null && witnessOutcome < 1) {
            return badInput("mmcheck: --witness-outcome counts from 1, not " + witnessOutcome);
        }
        if (witnessFlag != null && !Flags.ALL.contains(witnessFlag)) {
            return badInput("mmcheck: --witness-flag: no flag '" + witnessFlag + "' (flags: "
                    + String.join(", ", new java.util.TreeSet<>(Flags.ALL)) + ")");
        }
        String bad = Options.checkRunOptions(maxStates, timeout, interleave, por);
        if (bad != null) {
            return badInput("mmcheck: " + bad);
        }
        Ast.Interleave override = Options.interleave(interleave);
        if (workers < 1) {
            return badInput("mmcheck: --workers must be at least 1");
        }
        if (workers > Options.maxWorkers()) {
            err.println("mmcheck: --workers " + workers + " is more than " + Options.WORKERS_PER_CORE
                    + " per core; using " + Options.maxWorkers());
            workers = Options.maxWorkers();
        }
        List<Ast.Test> tests = new ArrayList<>();
        Map<String, Ast.Test> byName = new HashMap<>();
        try {
            for (Path f : LitmusFiles.expand(files)) {
                Ast.Test t = LitmusFiles.parse(f);
                Ast.Test first = byName.putIfAbsent(t.name(), t);
                if (first != null) {
                    // one name, one row of the table and one key of the JSON output
                    throw new LitmusException(t.pos(), "test name '" + t.name() + "' is also the name of "
                            + first.pos() + " (tests run together need distinct MM names)");
                }
                tests.add(override == null ? t : t.withInterleave(override));
            }
        } catch (LitmusException e) {
            return badInput(e.render());
        }
        long t0 = System.nanoTime();
        Limits limits = Options.limits(maxStates, timeout);
        Table table = variants.size() > 1 ? new Table(new ArrayList<>(variants.keySet())) : null;
        // Ctrl-C or SIGTERM: the search in progress stops and its partial results are printed, marked
        // stopped, before the JVM exits (the hook waits for them, at most 10 s).
        CountDownLatch printed = new CountDownLatch(1);
        Thread hook = new Thread(() -> {
            Interrupt.request();
            try {
                printed.await(10, TimeUnit.SECONDS);
            } catch (InterruptedException ignored) {
                // exiting anyway
            }
        }, "mmcheck-partial-results");
        Runtime.getRuntime().addShutdownHook(hook);
        try {
            return runAll(tests, variants, limits, table, out, err, t0);
        } finally {
            printed.countDown();
            try {
                Runtime.getRuntime().removeShutdownHook(hook);
            } catch (IllegalStateException shuttingDown) {
                // the hook is running: it has what it waited for
            }
        }
    }

    private int runAll(List<Ast.Test> tests, Map<String, String> variants, Limits limits, Table table, PrintStream out,
                       PrintStream err, long t0) {
        boolean failed = false;
        boolean limited = false;
        List<Verdict> pageVerdicts = new ArrayList<>();
        List<String> pageFiles = new ArrayList<>();
        int runs = 0, held = 0, notHeld = 0, stopped = 0;
        tests:
        for (Ast.Test t : tests) {
            for (String name : variants.keySet()) {
                if (Interrupt.requested()) break tests;
                KernelPolicy policy = Variants.policy(name);
                ProgressPrinter progress = new ProgressPrinter(err).toward(limits);
                Verdict v;
                try {
                    v = TestRun.run(t, policy, limits, progress, witnesses(), workers, Options.partialOrder(por));
                } catch (StateTooLargeException e) {
                    // the validator's bounds are meant to prevent this; a test that slips past them is still input
                    progress.finish();
                    return badInput(new LitmusException(t.pos(), "test too large for the state encoding ("
                            + e.getMessage() + ")").render());
                } finally {
                    progress.finish();
                }
                if (variants.get(name) != null) v = v.requestedAs(variants.get(name));
                if (json) out.println(Json.of(v, t.pos().file()));
                else {
                    HerdText.print(v, out, witness && !witnesses().picked());
                    if (witnesses().picked() && v.witnesses().isEmpty()) {
                        out.println(witnessOutcome != null ? "Witness outcome " + witnessOutcome + ": none (the run has "
                                + v.outcomes().size() + " outcome(s))" : "Witness flag " + witnessFlag + ": none (not raised)");
                        out.println();
                    }
                }
                if (out.checkError()) return Main.outputFailed(err); // disk full, or the reader has gone
                if (table != null) table.add(v);
                if (html != null) {
                    pageVerdicts.add(v);
                    pageFiles.add(t.pos().file());
                }
                runs++;
                if (!v.complete()) {
                    limited = true;
                    stopped++;
                } else if (v.expectation() != null && !v.expectation().held()) {
                    failed = true;
                    notHeld++;
                } else if (v.expectation() != null) {
                    held++;
                }
            }
        }
        if (table != null && !json) table.print(out);
        if (html != null) {
            try {
                Files.writeString(html, Html.page(pageVerdicts, pageFiles), StandardCharsets.UTF_8);
                if (!json) out.println("HTML report: " + html);
            } catch (IOException e) {
                return badInput("mmcheck: cannot write " + html + ": " + e.getMessage());
            }
        }
        if (runs > 1 && json) {
            out.println(Json.summary(runs, tests.size(), held, notHeld, runs - held - notHeld - stopped, stopped,
                    (System.nanoTime() - t0) / 1e9));
        }
        if (runs > 1 && !json) {
            out.printf(java.util.Locale.ROOT, "Summary: %d run(s) of %d test(s): %d expectation(s) held, %d failed,"
                    + " %d without an expect line, %d stopped; %.1f s%n", runs, tests.size(), held, notHeld,
                    runs - held - notHeld - stopped, stopped, (System.nanoTime() - t0) / 1e9);
        }
        if (out.checkError()) return Main.outputFailed(err);
        // A failed expectation is a finding; a limit elsewhere does not hide it.
        return failed ? Main.EXPECTATION_FAILED : limited ? Main.LIMIT : Main.OK;
    }

    /** The variants to run, in the order given, each once, with the version it was asked for as (or null). */
    /** Bad input or usage: the message on stderr, and under --json also as an error object on stdout. */
    private int badInput(String message) {
        System.err.println(message);
        if (json) System.out.println(Json.error(message));
        return Main.BAD_INPUT;
    }

    /** The witnesses asked for: --witness, or those picked by --witness-outcome / --witness-flag; --full. */
    private WitnessRequest witnesses() {
        // The HTML page shows every witness with the state after each step.
        if (html != null) return new WitnessRequest(witnessOutcome == null && witnessFlag == null, witnessOutcome, witnessFlag, true);
        return new WitnessRequest(witness && witnessOutcome == null && witnessFlag == null, witnessOutcome, witnessFlag, full);
    }

    private Map<String, String> selectVariants() throws VariantFileException {
        Map<String, String> out = new LinkedHashMap<>();
        if (variant.equals("all")) {
            for (String n : Variants.names()) out.put(n, null);
            return out;
        }
        for (String item : variant.split(",", -1)) {
            String want = item.trim();
            String name = VariantArgs.resolve(want);
            if (name == null) {
                throw new IllegalArgumentException(Variants.unknownMessage(want, "all"));
            }
            out.putIfAbsent(name, name.equals(want) ? null : want);
        }
        return out;
    }
}
