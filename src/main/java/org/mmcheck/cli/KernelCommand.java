package org.mmcheck.cli;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.Callable;
import org.mmcheck.real.KernelBuild;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmcheck kernel build}: turns a kernel patch under review into a bootable bzImage, so real
 * mode can run the litmus tests on the patched kernel and not only on the model's variant of it.
 */
@Command(name = "kernel", mixinStandardHelpOptions = true,
        description = "Kernels for real mode built from source (Debian's linux-source-6.1 or linux-source-6.12).",
        subcommands = {KernelCommand.Build.class},
        footer = {"", "Example: ./mmcheck kernel build --patch examples/patches/seed-stable-writes-inverted.patch --name 6.1-seed"})
final class KernelCommand implements Runnable {
    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing subcommand: build");
    }

    @Command(name = "build", mixinStandardHelpOptions = true,
            description = {"Builds a small x86-64 kernel (everything built in, no modules) from Debian's linux-source-6.1"
                    + " (or linux-source-6.12 with --from 6.12) with the given patches applied, into the folder built/NAME of mmcheck's cache (under ~/.cache),"
                    + " and prints the path of its bzImage. The source is downloaded (apt-get download) and unpacked once; a build"
                    + " with the same source, config and patch contents prints the cached path at once.",
                    "The config is tinyconfig plus the fragment kernel-6.1.config (kernel-6.12.config) shipped with mmcheck; an option of the"
                    + " fragment that does not survive make olddefconfig fails the build."},
            footer = {"", "Exit status: 0 built or cached, 1 the build failed (the log is kept), 2 bad input (a patch that"
                    + " does not apply, a missing file, a bad --name), 3 build tools missing (the message names the"
                    + " Debian packages).",
                    "", "Example: ./mmcheck kernel build --patch examples/patches/seed-stable-writes-inverted.patch --name 6.1-seed",
                    "         ./mmcheck kernel build --name 6.1-local      # unpatched",
                    "         ./mmcheck kernel build --from 6.12 --name 6.12-local   # 6.12: read-only long-term pins via gup_test"})
    static final class Build implements Callable<Integer> {
        @Option(names = "--from", paramLabel = "6.1|6.12", defaultValue = "6.1",
                description = "the kernel line: Debian's linux-source-6.1 (default) or linux-source-6.12, each with its"
                        + " own config fragment (with --source: only the fragment)")
        String from;

        @Option(names = "--patch", paramLabel = "FILE",
                description = "a patch to apply with patch -p1 --forward --batch (repeatable, applied in order)")
        List<Path> patches = new ArrayList<>();

        @Option(names = "--name", paramLabel = "NAME",
                description = "the build's folder under the cache's built/ (default: the version and a hash of the inputs)")
        String name;

        @Option(names = "--jobs", paramLabel = "N", description = "make -jN (default: the number of CPUs)")
        Integer jobs;

        @Option(names = "--source", paramLabel = "DIR",
                description = "an unpacked kernel tree to build instead of Debian's package (copied, never changed;"
                        + " its cache key is its path and version: after changing it, give a new --name)")
        Path source;

        @Option(names = "--verbose", description = "relay make's output to stderr")
        boolean verbose;

        @Override
        public Integer call() throws Exception {
            if (name != null) {
                String why = KernelBuild.checkName(name);
                if (why != null) return bad(why);
            }
            KernelBuild.From line = KernelBuild.from(from);
            if (line == null) {
                return bad("--from '" + from + "': one of " + String.join(", ",
                        KernelBuild.FROMS.stream().map(KernelBuild.From::name).toList()));
            }
            int n = jobs != null ? jobs : Runtime.getRuntime().availableProcessors();
            if (n < 1 || n > 1024) return bad("--jobs must be between 1 and 1024");
            try {
                List<KernelBuild.Patch> read = KernelBuild.readPatches(patches);
                KernelBuild.Built b = new KernelBuild(org.mmcheck.real.Guest.cacheDir(), System.err, verbose)
                        .build(line, read, name, source, n);
                if (b.cached()) System.err.println("kernel: already built (cached)");
                System.out.println(b.bzImage());
                System.out.flush();
                return Main.OK;
            } catch (KernelBuild.BadInput e) {
                return bad(e.getMessage());
            } catch (KernelBuild.MissingTools e) {
                System.err.println("mmcheck: " + e.getMessage());
                return Main.LIMIT;
            } catch (KernelBuild.Failed e) {
                System.err.println("mmcheck: kernel build failed: " + e.getMessage());
                return Main.EXPECTATION_FAILED;
            } catch (java.io.IOException e) {
                System.err.println("mmcheck: kernel build failed: " + e.getMessage());
                return Main.EXPECTATION_FAILED;
            }
        }

        private static int bad(String message) {
            System.err.println("mmcheck: " + message);
            return Main.BAD_INPUT;
        }
    }
}
