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
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.sem.LitmusFiles;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.variant.KernelVersion;
import org.mmcheck.variant.Variants;

/**
 * Real-kernel mode end to end: litmus files → reproducibility check → the model's schedules → one C
 * program per test → one boot with every (test, schedule) job → step-by-step comparison.
 */
public final class RealRun {
    /**
     * Options of one run. {@code kernel}: "6.1", "6.12" or "running"; {@code variant}: the model's variant
     * name; {@code maxSchedules} <= 0: all.
     */
    public record Options(String kernel, String variant, int maxSchedules, Path work, boolean verbose,
                          WritebackMode writeback) {
        public Options(String kernel, String variant, int maxSchedules, Path work, boolean verbose) {
            this(kernel, variant, maxSchedules, work, verbose, WritebackMode.AUTO);
        }
    }

    /**
     * {@code --writeback}: whether swap writes are held so that "writeback completes" is a step of the
     * schedule (STEPS), or complete before each snapshot (SETTLE). AUTO holds them for tests on a
     * stable-writes device, whose question is exactly a page under writeback, and settles the rest
     * (holding multiplies their schedules). Only a QEMU guest can hold them, on a non-zram device.
     */
    public enum WritebackMode { AUTO, STEPS, SETTLE }

    /** Totals, for the closing line and for tests. */
    public static final class Summary {
        public int tests, testsRun, notReproducible, schedules, schedulesSkipped, steps, stepsAgreeing;
        public int disagreeingSchedules, failedRuns;
        /** Tests whose final outcomes on the kernel differ from the model's on the same schedules. */
        public int answersDiffer;
        /** Tests that ran with part of their meaning left out ({@link #partly}). */
        public int partial;
        public double seconds;
        public String kernelRelease = "?";
        public final List<String> disagreements = new ArrayList<>();

        /** Every step compared agreed, and at least one was compared (nothing compared is not agreement). */
        public boolean fullAgreement() {
            return disagreeingSchedules == 0 && failedRuns == 0 && answersDiffer == 0 && steps > 0;
        }

        public boolean nothingCompared() {
            return steps == 0 && disagreeingSchedules == 0 && failedRuns == 0 && answersDiffer == 0;
        }

        /** The last line of the text summary, and the verdict of the JSON one. */
        public String verdict() {
            return fullAgreement() ? "FULL AGREEMENT" : nothingCompared() ? "NOTHING COMPARED" : "DISAGREEMENT";
        }

        /** {@code real --json}. */
        public String json(String variant) {
            return org.mmcheck.report.Json.real(kernelRelease, variant, tests, testsRun, notReproducible, schedules,
                    schedulesSkipped, steps, stepsAgreeing, disagreeingSchedules, failedRuns, partial, answersDiffer, verdict(),
                    disagreements, seconds);
        }
    }

    /** One test to run: {@code ptlock}: it was written for lock-level interleaving (it runs as atomic). */
    private record Planned(Ast.Test test, boolean ptlock, Schedules sch, Compare cmp, String binary, String swapDevice,
                           List<Schedules.Schedule> schedules, List<String> skipped) {}

    private final Options opt;
    private final PrintStream out;
    private final PrintStream log;

    public RealRun(Options opt, PrintStream out, PrintStream log) {
        this.opt = opt;
        this.out = out;
        this.log = log;
    }

    /** As {@link LitmusFiles#expand}: the same files, and the same errors, as {@code run}. */
    public static List<Path> expand(List<Path> args) throws LitmusException {
        return LitmusFiles.expand(args);
    }

    public Summary run(List<Path> files) throws IOException, LitmusException {
        long t0 = System.nanoTime();
        Summary sum = new Summary();
        Reproducibility.Target target = opt.kernel().equals("running") ? Reproducibility.Target.RUNNING
                : Reproducibility.Target.GUEST;
        Files.createDirectories(opt.work());
        List<Planned> plan = new ArrayList<>();
        List<Guest.Job> jobs = new ArrayList<>();
        for (Path f : files) {
            // A real kernel is driven one statement at a time: lock-level stages cannot be scheduled.
            Ast.Test written = LitmusFiles.parse(f);
            Ast.Test test = written.withInterleave(Ast.Interleave.ATOMIC);
            sum.tests++;
            List<String> why = Reproducibility.reasons(test, target, gupTest());
            if (target == Reproducibility.Target.RUNNING) why.addAll(RunningKernel.reasons(test));
            if (!why.isEmpty()) {
                sum.notReproducible++;
                out.println("Test " + test.name() + ": not reproducible, skipped");
                for (String w : why) out.println("    " + w);
                continue;
            }
            LitmusModel model = new LitmusModel(test, Variants.policy(opt.variant()));
            Schedules.Writeback wb = writeback(test, target);
            Schedules sch = new Schedules(model, wb);
            List<Schedules.Schedule> all = sch.enumerate(opt.maxSchedules());
            List<Schedules.Schedule> keep = new ArrayList<>();
            List<String> driverTexts = new ArrayList<>();
            List<String> skipped = new ArrayList<>();
            for (Schedules.Schedule s : all) {
                List<Schedules.ModelStep> steps = sch.follow(s);
                String lim = sch.scheduleLimit(s, steps);
                if (lim == null) {
                    keep.add(s);
                    driverTexts.add(sch.driverText(s, steps));
                } else {
                    skipped.add(s.text() + "\t" + lim);
                }
            }
            String bin = "t" + plan.size();
            Path c = opt.work().resolve(bin + ".c");
            Files.writeString(c, new CGen(test).generate());
            Guest.compile(c, opt.work().resolve(bin));
            String dev = target == Reproducibility.Target.RUNNING ? "of this machine"
                    : !test.swap().present() ? "none" : test.swap().syncIo() ? "/dev/zram0"
                    : test.swap().stableWrites() ? Guest.STABLE_DEVICE
                    : wb == Schedules.Writeback.STEPS ? Guest.HELD_DEVICE : Guest.PLAIN_DEVICE;
            Planned p = new Planned(test, written.interleave() == Ast.Interleave.PTLOCK, sch,
                    new Compare(model.program()), bin, dev, keep, skipped);
            plan.add(p);
            for (int i = 0; i < keep.size(); i++) {
                jobs.add(new Guest.Job(bin + "s" + i, opt.work().resolve(bin), dev, driverTexts.get(i)));
            }
        }
        String console;
        if (jobs.isEmpty()) {
            console = "";
        } else if (target == Reproducibility.Target.RUNNING) {
            console = new RunningKernel(log).runAll(jobs);
        } else {
            Guest g = new Guest(log);
            Guest.Kernel k = g.kernel(opt.kernel());
            sum.kernelRelease = k.release() + " (" + k.version() + ")";
            console = g.boot(k, jobs, opt.work());
        }
        for (String line : console.split("\r?\n")) {
            int at = line.indexOf("@@ KERNEL ");
            if (at >= 0) sum.kernelRelease = line.substring(at + 10).trim();
        }
        boolean ksmBroken = sum.kernelRelease.startsWith("6.12");
        Map<String, RealTrace.Run> runs = RealTrace.parse(console, 0);
        if (ksmBroken) out.println("note: KPF_KSM is unreliable on Debian 6.12 (set on every anon page): KSM not compared");
        for (Planned p : plan) report(p, runs, sum, ksmBroken);
        sum.seconds = (System.nanoTime() - t0) / 1e9;
        out.printf("Summary: kernel %s, model variant %s%n", sum.kernelRelease, opt.variant());
        out.printf("  tests %d: %d run (%d partially reproducible), %d not reproducible%n", sum.tests, sum.testsRun,
                sum.partial, sum.notReproducible);
        out.printf("  schedules compared %d (%d not reproducible), steps compared %d, steps agreeing %d%n",
                sum.schedules, sum.schedulesSkipped, sum.steps, sum.stepsAgreeing);
        out.printf("  %s; %d schedule(s) disagree, %d run(s) failed%s; time %.1f s%n",
                sum.verdict(),
                sum.disagreeingSchedules, sum.failedRuns,
                sum.answersDiffer == 0 ? "" : ", " + sum.answersDiffer + " test(s) with other final outcomes",
                sum.seconds);
        return sum;
    }

    /**
     * Can the kernel hold a read-only long-term pin for a test: CONFIG_GUP_TEST with its
     * PIN_LONGTERM_TEST ioctls, which came in Linux 6.2 (6.1's gup_test pins and unpins within one
     * call)? Debian's kernels have no CONFIG_GUP_TEST; a kernel image given by path is taken to be one
     * that {@code mmcheck kernel build} made, which has it, so its release decides (a program that
     * needs it and finds no gup_test, or one without those ioctls, ends as a failed run saying so);
     * the running kernel is asked.
     */
    private boolean gupTest() throws IOException {
        if (opt.kernel().equals("running")) {
            return Files.exists(Path.of("/sys/kernel/debug/gup_test"))
                    && hasPinLongtermTest(System.getProperty("os.version", ""));
        }
        if (opt.kernel().equals("6.1") || opt.kernel().equals("6.12")) return false;
        return hasPinLongtermTest(Guest.bzImageRelease(Path.of(opt.kernel())));
    }

    /** gup_test's PIN_LONGTERM_TEST_START/STOP/READ exist from Linux 6.2 on. */
    static boolean hasPinLongtermTest(String release) {
        KernelVersion v = KernelVersion.fromRelease(release);
        return v != null && v.compareTo(KernelVersion.parse("6.2")) >= 0;
    }

    /** What of the test's meaning the run leaves out, though it ran (empty: nothing). */
    private static List<String> partly(Planned p, Answers answers) {
        List<String> out = new ArrayList<>();
        if (p.ptlock()) {
            out.add("written for interleave ptlock, it runs statement by statement: the lock-level races it is"
                    + " about are not replayed");
        }
        int all = p.schedules().size() + p.skipped().size();
        if (!p.skipped().isEmpty()) out.add(p.skipped().size() + " of its " + all + " schedules cannot be replayed");
        if (!p.sch().omissions().isEmpty()) out.add("some model steps have no user-space equivalent (see the note)");
        if (!answers.judged()) out.add("its condition reads a reference, so its answer is not compared");
        return out;
    }

    /** How this test's schedules treat writeback (see {@link WritebackMode}). */
    private Schedules.Writeback writeback(Ast.Test test, Reproducibility.Target target) {
        boolean canHold = target == Reproducibility.Target.GUEST && test.swap().present() && !test.swap().syncIo();
        boolean hold = switch (opt.writeback()) {
            case STEPS -> true;
            case SETTLE -> false;
            case AUTO -> test.swap().stableWrites();
        };
        return canHold && hold ? Schedules.Writeback.STEPS : Schedules.Writeback.SETTLE;
    }

    private void report(Planned p, Map<String, RealTrace.Run> runs, Summary sum, boolean ksmBroken) {
        sum.testsRun++;
        out.println("Test " + p.test().name() + " (" + p.schedules().size() + " schedule(s), swap "
                + p.swapDevice() + ")");
        // Schedules refused for one reason are told once, with a count and the first of them.
        Map<String, List<String>> byReason = new LinkedHashMap<>();
        for (String s : p.skipped()) {
            String[] f = s.split("\t", 2);
            byReason.computeIfAbsent(f[1].replaceFirst("^step \\d+ ", ""), k -> new ArrayList<>()).add(f[0]);
            sum.schedulesSkipped++;
        }
        for (var e : byReason.entrySet()) {
            List<String> l = e.getValue();
            out.println("  " + (l.size() == 1 ? "schedule " + l.get(0) : l.size() + " schedules (first " + l.get(0) + ")")
                    + ": not reproducible: " + e.getKey());
        }
        for (String o : p.sch().omissions()) out.println("  note: " + o);
        Answers answers = new Answers(p.cmp().program(), p.test().condition());
        for (int i = 0; i < p.schedules().size(); i++) {
            Schedules.Schedule s = p.schedules().get(i);
            RealTrace.Run run = runs.get(p.binary() + "s" + i);
            List<Schedules.ModelStep> ms = p.sch().follow(s);
            sum.schedules++;
            if (run == null || run.steps() == null || (run.error() != null && run.steps().size() < ms.size())) {
                sum.failedRuns++;
                String why = run == null ? "no output (the boot did not reach this job)" : run.error();
                out.println("  schedule " + s.text() + ": RUN FAILED: " + why);
                sum.disagreements.add(p.test().name() + " " + s.text() + ": run failed: " + why);
                continue;
            }
            if (run.complete()) answers.add(p.sch().outcome(ms), run);
            int agree = 0;
            String firstBad = null;
            for (int k = 0; k < ms.size(); k++) {
                Obs.Step m = p.sch().observe(k, ms.get(k));
                Obs.Step r = k < run.steps().size() ? run.steps().get(k) : null;
                if (ksmBroken) { // KPF_KSM says nothing on this kernel: leave KSM out on both sides
                    m = m.withoutKsm();
                    if (r != null) r = r.withoutKsm();
                }
                sum.steps++;
                List<String> d = r == null ? List.of("no kernel snapshot for this step") : p.cmp().diff(m, r);
                if (d.isEmpty()) {
                    agree++;
                    sum.stepsAgreeing++;
                    continue;
                }
                if (firstBad == null) {
                    StringBuilder b = new StringBuilder();
                    b.append("  schedule ").append(s.text()).append(": DISAGREE at step ").append(k).append(" (")
                            .append(ms.get(k).actor()).append(": ").append(ms.get(k).statement()).append(")");
                    if (r != null && !r.statement().equals("ok") && !r.statement().equals("load")) {
                        b.append(" [kernel: ").append(r.statement()).append(']');
                    }
                    b.append('\n');
                    for (String x : d) b.append("      - ").append(x).append('\n');
                    if (r != null) b.append(p.cmp().sideBySide(m, r));
                    if (opt.verbose()) for (String kl : ms.get(k).kernel()) b.append("      model: ").append(kl).append('\n');
                    firstBad = b.toString();
                    sum.disagreements.add(p.test().name() + " " + s.text() + " step " + k + ": " + String.join("; ", d));
                }
            }
            if (firstBad == null) {
                out.println("  schedule " + s.text() + ": " + agree + "/" + ms.size() + " steps agree");
            } else {
                sum.disagreeingSchedules++;
                out.print(firstBad);
                out.println("      (" + agree + "/" + ms.size() + " steps agree)");
            }
            for (String n : run.notes()) out.println("      kernel note: " + n);
        }
        for (String line : answers.lines()) out.println("  " + line);
        List<String> partial = partly(p, answers);
        if (!partial.isEmpty()) sum.partial++;
        for (String why : partial) out.println("  partially reproducible: " + why);
        if (answers.differ()) {
            sum.answersDiffer++;
            sum.disagreements.add(p.test().name() + ": the kernel's final outcomes differ from the model's");
        }
    }

    /** Debug aid: the schedules of each test, as the model sees them. */
    public static Map<String, List<String>> schedulesOf(Ast.Test test, String variant, int cap)
            throws LitmusException {
        Schedules sch = new Schedules(new LitmusModel(test, Variants.policy(variant)));
        Map<String, List<String>> m = new LinkedHashMap<>();
        List<String> l = new ArrayList<>();
        for (Schedules.Schedule s : sch.enumerate(cap)) l.add(s.text());
        m.put(test.name(), l);
        return m;
    }
}
