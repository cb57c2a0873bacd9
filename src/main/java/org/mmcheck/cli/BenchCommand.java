package org.mmcheck.cli;

import java.io.IOException;
import java.io.PrintStream;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.net.URISyntaxException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.Callable;
import org.mmcheck.explore.Explorer;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.explore.Result;
import org.mmcheck.explore.StopReason;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.model.StateTooLargeException;
import org.mmcheck.model.KState;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/**
 * {@code mmcheck bench}: the search engine's speed on fixed scenarios of increasing size, each explored
 * with every requested number of workers. Prints distinct and generated states per second, the bytes
 * per stored state (seen-set plus parent table), the speed-up over the first worker count, and whether
 * every worker count found exactly the same states, transitions, outcomes and flags.
 */
@Command(name = "bench", mixinStandardHelpOptions = true, description = "Benchmark the explorer on the scenarios in bench/ (see README, Benchmark).",
        footer = {"", "Example: ./mmcheck bench --workers 1,2 --repeat 3"})
final class BenchCommand implements Callable<Integer> {

    /** The fixed scenarios, smallest first: files {@code bench/<name>.litmus}. */
    static final List<String> SCENARIOS = List.of("small-2proc", "ptlock-threads", "ptlock-independent", "medium-2proc",
            "big-3proc");
    /** Appended to a lock-level scenario's name for its run without partial-order reduction. */
    static final String NO_POR = " (no POR)";

    @Option(names = "--workers", split = ",", paramLabel = "N[,N...]",
            description = "Worker counts to compare, the first being the baseline of the speed-up (default: 1,2).")
    List<Integer> workers = List.of(1, 2);

    @Option(names = "--repeat", defaultValue = "1", paramLabel = "N",
            description = "Run each scenario N times per worker count and report the fastest run (default 1;"
                    + " use 3 or more on a machine shared with other work). Every repeat must find the same states.")
    int repeat;

    @Option(names = "--json", description = "One JSON object with every run instead of the table.")
    boolean json;

    @Option(names = "--variant", defaultValue = "5.19", paramLabel = "NAME|VERSION",
            description = "Kernel variant or kernel version (default ${DEFAULT-VALUE}).")
    String variant;

    @Option(names = "--exact", description = "Use the exact (key) seen-set instead of fingerprints.")
    boolean exact;

    @Option(names = "--timeout", paramLabel = "S", description = "Stop each run after S seconds (exit 3).")
    Double timeout;

    @Option(names = "--dir", paramLabel = "DIR",
            description = "Where the scenarios are (default: bench/ here, else in the jar's checkout).")
    Path dir;

    @Parameters(paramLabel = "FILE", arity = "0..*",
            description = "Litmus files to run instead of the fixed scenarios.")
    List<Path> files;

    /** One timed search; {@code gcSeconds} is the time the JVM's collectors report for it. */
    record Run(String scenario, int workers, Result<KState> result, double seconds, double gcSeconds) {}

    private static long gcMillis() {
        long sum = 0;
        for (GarbageCollectorMXBean gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            sum += Math.max(0, gc.getCollectionTime());
        }
        return sum;
    }

    @Override
    public Integer call() throws IOException {
        try {
            return measure();
        } catch (StateTooLargeException e) {
            // the validator's bounds are meant to prevent this
            System.err.println("mmcheck: bench: test too large for the state encoding (" + e.getMessage() + ")");
            return Main.BAD_INPUT;
        }
    }

    private int measure() throws IOException {
        PrintStream out = System.out;
        PrintStream err = System.err;
        if (workers.isEmpty() || workers.stream().anyMatch(w -> w == null || w < 1)) {
            err.println("mmcheck: --workers needs positive numbers");
            return Main.BAD_INPUT;
        }
        if (workers.stream().anyMatch(w -> w > Options.maxWorkers())) {
            err.println("mmcheck: --workers: at most " + Options.maxWorkers() + " (" + Options.WORKERS_PER_CORE
                    + " per core)");
            return Main.BAD_INPUT;
        }
        String bad = Options.checkLimits(null, timeout);
        if (bad != null) {
            err.println("mmcheck: " + bad);
            return Main.BAD_INPUT;
        }
        if (repeat < 1) {
            err.println("mmcheck: --repeat needs a positive number");
            return Main.BAD_INPUT;
        }
        String name = Variants.resolve(variant);
        if (name == null) {
            err.println("mmcheck: " + Variants.unknownMessage(variant, ""));
            return Main.BAD_INPUT;
        }
        KernelPolicy policy = Variants.policy(name);
        List<Path> paths;
        try {
            paths = scenarioFiles();
        } catch (IllegalArgumentException e) {
            err.println("mmcheck: " + e.getMessage());
            return Main.BAD_INPUT;
        }
        List<LitmusModel> models = new ArrayList<>();
        List<String> names = new ArrayList<>();
        try {
            for (Path p : paths) {
                Ast.Test test = LitmusFiles.parse(p);
                LitmusModel model = new LitmusModel(test, policy);
                models.add(model);
                String n = p.getFileName().toString();
                n = n.endsWith(".litmus") ? n.substring(0, n.length() - ".litmus".length()) : n;
                names.add(n);
                // A lock-level scenario runs once more without partial-order reduction, to show what it saves.
                if (model.program().ptlock()) {
                    models.add(new LitmusModel(test, policy, false));
                    names.add(n + NO_POR);
                }
            }
        } catch (LitmusException e) {
            err.println(e.render());
            return Main.BAD_INPUT;
        }
        Limits limits = new Limits(0, Options.limits(null, timeout).timeout(), 0.9);

        // Warm-up, untimed, so that the JIT has compiled the model and the explorer (both code
        // paths) before the first measurement: the smallest scenario, then the first 20,000 states
        // of the next one, once per worker count.
        Limits warmUp = new Limits(20_000, limits.timeout(), limits.memoryFraction());
        for (int w : workers) {
            new Explorer<>(models.get(0), limits, Progress.silent(), w, exact).run();
            new Explorer<>(models.get(Math.min(1, models.size() - 1)), warmUp, Progress.silent(), w, exact).run();
        }

        List<Run> runs = new ArrayList<>();
        boolean repeatsDiffer = false;
        for (int i = 0; i < models.size(); i++) {
            for (int w : workers) {
                Run best = null;
                for (int k = 0; k < repeat; k++) {
                    err.printf(Locale.US, "bench: %s, %d worker%s%s...%n", names.get(i), w, w == 1 ? "" : "s",
                            repeat > 1 ? String.format(Locale.US, ", run %d of %d", k + 1, repeat) : "");
                    System.gc();
                    long gc0 = gcMillis();
                    long t0 = System.nanoTime();
                    Result<KState> r = new Explorer<>(models.get(i), limits, Progress.silent(), w, exact).run();
                    double seconds = (System.nanoTime() - t0) / 1e9;
                    Run run = new Run(names.get(i), w, r, seconds, (gcMillis() - gc0) / 1e3);
                    if (best != null && !identical(best.result(), r)) repeatsDiffer = true;
                    if (best == null || run.seconds() < best.seconds()) best = run;
                }
                runs.add(best);
            }
        }
        if (json) {
            out.println(json(runs, policy.name(), repeat));
        } else {
            table(runs, policy.name(), repeat, out);
        }
        out.flush();
        boolean limited = runs.stream().anyMatch(r -> r.result().stopReason() != StopReason.COMPLETE);
        boolean differ = repeatsDiffer
                || runs.stream().anyMatch(r -> !identical(baseline(runs, r).result(), r.result()));
        if (repeatsDiffer) err.println("mmcheck: repeated runs of one scenario found different states");
        return limited ? Main.LIMIT : differ ? Main.EXPECTATION_FAILED : Main.OK;
    }

    private List<Path> scenarioFiles() {
        List<Path> out = new ArrayList<>();
        if (files != null && !files.isEmpty()) {
            for (Path f : files) {
                if (!Files.isRegularFile(f)) throw new IllegalArgumentException(f + ": no such file");
                out.add(f);
            }
            return out;
        }
        Path d = benchDir();
        for (String s : SCENARIOS) {
            Path f = d.resolve(s + ".litmus");
            if (!Files.isRegularFile(f)) throw new IllegalArgumentException(f + ": scenario missing");
            out.add(f);
        }
        return out;
    }

    private Path benchDir() {
        if (dir != null) return dir;
        Path here = Path.of("bench");
        if (Files.isDirectory(here)) return here;
        try {
            // target/mmcheck.jar -> the checkout's bench/
            Path jar = Path.of(BenchCommand.class.getProtectionDomain().getCodeSource().getLocation().toURI());
            Path root = jar.getParent() != null ? jar.getParent().getParent() : null;
            if (root != null && Files.isDirectory(root.resolve("bench"))) return root.resolve("bench");
        } catch (URISyntaxException | SecurityException | NullPointerException e) {
            // fall through
        }
        throw new IllegalArgumentException("no bench/ directory here or next to the jar; use --dir");
    }

    /** The run of the same scenario with the first worker count. */
    private static Run baseline(List<Run> runs, Run r) {
        for (Run b : runs) if (b.scenario().equals(r.scenario())) return b;
        return r;
    }

    /** Same counts, stop reason, outcomes (with first state ids, in order) and first flag hits. */
    static boolean identical(Result<?> a, Result<?> b) {
        return a.stopReason() == b.stopReason()
                && a.distinctStates() == b.distinctStates()
                && a.transitions() == b.transitions()
                && new ArrayList<>(a.outcomes().entrySet()).equals(new ArrayList<>(b.outcomes().entrySet()))
                && new ArrayList<>(a.flags().entrySet()).equals(new ArrayList<>(b.flags().entrySet()));
    }

    private static void table(List<Run> runs, String variant, int repeat, PrintStream out) {
        Runtime rt = Runtime.getRuntime();
        out.printf(Locale.US, "mmcheck bench: variant %s, %d cores, max heap %,d MB, %s seen-set, Java %s%s%n",
                variant, rt.availableProcessors(), rt.maxMemory() >> 20,
                runs.isEmpty() || !runs.get(0).result().exact() ? "fingerprint" : "exact",
                System.getProperty("java.version"), repeat > 1 ? ", fastest of " + repeat + " runs" : "");
        String head = String.format(Locale.US, "%-28s %7s %11s %12s %8s %11s %12s %8s %8s %9s %10s %6s",
                "scenario", "workers", "distinct", "generated", "seconds", "distinct/s", "generated/s", "B/state",
                "speed-up", "identical", "P(coll.)", "GC s");
        out.println(head);
        out.println("-".repeat(head.length()));
        for (Run r : runs) {
            Result<KState> res = r.result();
            Run base = baseline(runs, r);
            String stop = res.stopReason() == StopReason.COMPLETE ? ""
                    : "  (" + res.stopReason().name().toLowerCase(Locale.ROOT).replace('_', '-') + ")";
            out.printf(Locale.US, "%-28s %7d %,11d %,12d %8.2f %,11d %,12d %8.1f %7.2fx %9s %10.1e %6.2f%s%n",
                    r.scenario(), r.workers(), res.distinctStates(), res.transitions(), r.seconds(),
                    (long) (res.distinctStates() / r.seconds()), (long) (res.transitions() / r.seconds()),
                    res.bytesPerState(), base.seconds() / r.seconds(),
                    identical(base.result(), res) ? "yes" : "NO", res.collisionProbability(), r.gcSeconds(), stop);
        }
    }

    private static String json(List<Run> runs, String variant, int repeat) {
        Runtime rt = Runtime.getRuntime();
        StringBuilder b = new StringBuilder();
        b.append(String.format(Locale.US, "{\"variant\":\"%s\",\"cores\":%d,\"maxHeapBytes\":%d,\"repeat\":%d,\"runs\":[",
                variant, rt.availableProcessors(), rt.maxMemory(), repeat));
        for (int i = 0; i < runs.size(); i++) {
            Run r = runs.get(i);
            Result<KState> res = r.result();
            Run base = baseline(runs, r);
            if (i > 0) b.append(',');
            b.append(String.format(Locale.US,
                    "{\"scenario\":\"%s\",\"workers\":%d,\"exact\":%b,\"stop\":\"%s\",\"distinct\":%d,\"generated\":%d,"
                            + "\"seconds\":%.4f,\"distinctPerSecond\":%.1f,\"generatedPerSecond\":%.1f,"
                            + "\"bytesPerState\":%s,\"speedup\":%.4f,\"identical\":%b,\"collisionProbability\":%.3e,"
                            + "\"gcSeconds\":%.3f}",
                    r.scenario().replace("\\", "\\\\").replace("\"", "\\\""), r.workers(), res.exact(),
                    res.stopReason().name().toLowerCase(Locale.ROOT).replace('_', '-'), res.distinctStates(),
                    res.transitions(), r.seconds(), res.distinctStates() / r.seconds(), res.transitions() / r.seconds(),
                    Double.isNaN(res.bytesPerState()) ? "null" : String.format(Locale.US, "%.2f", res.bytesPerState()),
                    base.seconds() / r.seconds(), identical(base.result(), res), res.collisionProbability(),
                    r.gcSeconds()));
        }
        return b.append("]}").toString();
    }
}
