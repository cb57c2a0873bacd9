package org.mmcheck.cli;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.model.StateTooLargeException;
import org.mmcheck.real.RealRun;
import org.mmcheck.variant.KernelVersion;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code mmcheck real FILE... [--kernel 6.1|6.12|running] [--schedules N]}. */
@Command(name = "real", mixinStandardHelpOptions = true,
        description = "Runs litmus tests on a real kernel (Debian's under QEMU, or this machine's) and compares"
                + " every step with the model's variant of that kernel's generation.")
public final class RealCommand implements Callable<Integer> {
    @Parameters(arity = "1..*", paramLabel = "FILE|DIR")
    List<Path> files;

    @Option(names = "--kernel", defaultValue = "6.1", description = "6.1 (default), 6.12, or running")
    String kernel;

    @Option(names = "--variant", paramLabel = "NAME|VERSION",
            description = "the model's variant (default: the generation of the kernel: 6.1 -> 6.1, 6.12 -> 6.12,"
                    + " running -> by uname -r)")
    String variant;

    @Option(names = "--schedules", defaultValue = "0", description = "at most N schedules per test (default all)")
    int schedules;

    @Option(names = "--work", description = "keep the generated C, binaries and console log here")
    Path work;

    @Option(names = "--verbose", description = "show the model's kernel paths at a disagreement")
    boolean verbose;

    @Override
    public Integer call() throws Exception {
        if (!List.of("6.1", "6.12", "running").contains(kernel)) {
            System.err.println("mmcheck: --kernel must be 6.1, 6.12 or running");
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
            model = Variants.resolve(variant);
            if (model == null) {
                System.err.println("mmcheck: unknown variant '" + variant + "' (known: "
                        + String.join(", ", Variants.names()) + ", or a kernel version such as 6.6)");
                return Main.BAD_INPUT;
            }
        } else {
            String release = kernel.equals("running") ? System.getProperty("os.version", "") : kernel;
            KernelVersion v = KernelVersion.fromRelease(release);
            if (v == null) {
                System.err.println("mmcheck: cannot tell the kernel generation from '" + release + "': give --variant");
                return Main.BAD_INPUT;
            }
            model = Variants.forKernel(v);
        }
        Path dir = work != null ? work : Files.createTempDirectory("mmcheck-real");
        try {
            RealRun.Summary s = new RealRun(new RealRun.Options(kernel, model, schedules, dir, verbose), System.out, System.err)
                    .run(tests);
            if (work == null) System.out.println("(work files in " + dir + ")");
            if (s.failedRuns > 0 || s.nothingCompared()) return Main.LIMIT;
            return s.fullAgreement() ? Main.OK : Main.EXPECTATION_FAILED;
        } catch (LitmusException e) {
            System.err.println(e.render());
            return Main.BAD_INPUT;
        } catch (StateTooLargeException e) {
            System.err.println("mmcheck: real: test too large for the state encoding (" + e.getMessage() + ")");
            return Main.BAD_INPUT;
        } catch (IOException e) {
            // a missing package, tool or kernel: the run could not happen, which is not a crash
            System.err.println("mmcheck: real: " + e.getMessage());
            return Main.LIMIT;
        }
    }
}
