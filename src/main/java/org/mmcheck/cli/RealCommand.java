package org.mmcheck.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.model.StateTooLargeException;
import org.mmcheck.real.Children;
import org.mmcheck.real.Guest;
import org.mmcheck.real.KernelBuild;
import org.mmcheck.real.RealRun;
import org.mmcheck.variant.KernelVersion;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmcheck real FILE... [--kernel 6.1|6.12|running|BZIMAGE] [--writeback MODE] [--schedules N]}. */
@Command(name = "real", mixinStandardHelpOptions = true,
        description = "Runs litmus tests on a real kernel (Debian's under QEMU, or this machine's) and compares"
                + " every step with the model's variant of that kernel's generation.",
        footer = {"", "Example: ./mmcheck real --kernel 6.1 litmus/history/",
                "         ./mmcheck real --kernel 6.1-seed --variant part3-v2 litmus/history/seed-stable-writes.litmus"})
public final class RealCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE|DIR")
    List<Path> files;

    @Option(names = "--kernel", defaultValue = "6.1", paramLabel = "6.1|6.12|running|NAME|BZIMAGE",
            description = "6.1 (default) or 6.12 (Debian's), running (this machine's), the name of a kernel you"
                    + " built (mmcheck kernel build --name NAME), or the path of a kernel image (everything built in)")
    String kernel;

    @Option(names = "--writeback", defaultValue = "auto", paramLabel = "auto|steps|settle",
            description = "steps: hold swap writes so that \"writeback completes\" is a step of each schedule;"
                    + " settle: every write completes before the next step; auto (default): steps for tests on a"
                    + " stable-writes device, settle for the rest")
    String writeback;

    @Option(names = "--variant", paramLabel = "NAME|VERSION|FILE.variant",
            description = "the model's variant (default: the generation of the kernel: 6.1 -> 6.1, 6.12 -> 6.12,"
                    + " running -> by uname -r)")
    String variant;

    @Option(names = "--schedules", defaultValue = "0", description = "at most N schedules per test (default all)")
    int schedules;

    @Option(names = "--work", description = "keep the generated C, binaries and console log here")
    Path work;

    @Option(names = "--keep", description = "keep the temporary work folder (kept anyway after a failure or disagreement)")
    boolean keep;

    @Option(names = "--verbose", description = "show the model's kernel paths at a disagreement")
    boolean verbose;

    @Option(names = "--json", description = "print the summary as one JSON object on stdout (see docs/schema/run-output.schema.json);"
            + " the per-schedule report goes to stderr")
    boolean json;

    @Override
    public Integer call() throws Exception {
        String resolved = KernelBuild.resolveKernelArg(kernel, List.of("6.1", "6.12", "running"));
        if (resolved == null) {
            System.err.println("mmcheck: --kernel must be 6.1, 6.12, running, the name of a kernel you built"
                    + " (mmcheck kernel build --name), or a kernel image file ('" + kernel + "' is none of these)");
            return Main.BAD_INPUT;
        }
        kernel = resolved;
        boolean image = !List.of("6.1", "6.12", "running").contains(kernel);
        RealRun.WritebackMode wb;
        try {
            wb = RealRun.WritebackMode.valueOf(writeback.toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            System.err.println("mmcheck: --writeback must be auto, steps or settle");
            return Main.BAD_INPUT;
        }
        List<Path> tests;
        try {
            tests = RealRun.expand(files);
        } catch (LitmusException e) {
            System.err.println(e.render());
            return Main.BAD_INPUT;
        }
        String model;
        if (variant != null) {
            String[] names = VariantArgs.resolveOrSay(System.err, variant); // a name, a version or a .variant file
            if (names == null) return Main.BAD_INPUT;
            model = names[0];
        } else {
            String release;
            try {
                release = kernel.equals("running") ? System.getProperty("os.version", "")
                        : image ? Guest.bzImageRelease(Path.of(kernel)) : kernel;
            } catch (IOException e) {
                System.err.println("mmcheck: " + e.getMessage());
                return Main.BAD_INPUT;
            }
            KernelVersion v = KernelVersion.fromRelease(release);
            if (v == null) {
                System.err.println("mmcheck: cannot tell the kernel generation from '" + release + "': give --variant");
                return Main.BAD_INPUT;
            }
            model = Variants.forKernel(v);
        }
        Path dir = work != null ? work : Files.createTempDirectory("mmcheck-real");
        // Ctrl-C or SIGTERM part-way: Guest's shutdown hook kills the guest, then removes the folder.
        if (work == null && !keep) Children.removeOnStop(dir);
        int status;
        try {
            RealRun.Summary s = new RealRun(new RealRun.Options(kernel, model, schedules, dir, verbose, wb),
                    json ? System.err : System.out, System.err).run(tests);
            if (json) System.out.println(s.json(model));
            status = s.failedRuns > 0 || s.nothingCompared() ? Main.LIMIT
                    : s.fullAgreement() ? Main.OK : Main.EXPECTATION_FAILED;
        } catch (LitmusException e) {
            System.err.println(e.render());
            status = Main.BAD_INPUT;
        } catch (StateTooLargeException e) {
            System.err.println("mmcheck: real: test too large for the state encoding (" + e.getMessage() + ")");
            status = Main.BAD_INPUT;
        } catch (IOException e) {
            // a missing package, tool or kernel: the run could not happen, which is not a crash
            System.err.println("mmcheck: real: " + e.getMessage());
            status = Main.LIMIT;
        }
        Children.keepOnStop(dir);
        finishWorkDir(dir, status);
        return status;
    }

    /**
     * A folder the user named (--work) is theirs. A temporary one goes, unless --keep, or the run
     * failed or disagreed (C programs, binaries and console logs are then what one looks at): then
     * the run says where it is.
     */
    private void finishWorkDir(Path dir, int status) {
        if (work != null || !Files.exists(dir)) return; // a stop part-way has removed it already
        boolean interesting = status == Main.EXPECTATION_FAILED || status == Main.LIMIT;
        if (keep || interesting) {
            System.out.println("(work files in " + dir + ")");
        } else {
            Guest.deleteTree(dir);
        }
    }
}
