package org.mmcheck.cli;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** Entry point: {@code mmcheck run ...} and {@code mmcheck variants}. */
@Command(name = "mmcheck", mixinStandardHelpOptions = true, versionProvider = Main.Version.class,
        description = "Explores litmus tests of Linux anonymous memory under kernel variants.",
        subcommands = {RunCommand.class, DiffCommand.class, VariantsCommand.class, ConditionsCommand.class, RealCommand.class,
                BenchCommand.class, MutantsCommand.class, SynthCommand.class, ReproCommand.class, KernelCommand.class,
                CompletionCommand.class})
public final class Main implements Runnable {
    /** Exit statuses of LITMUS.md. */
    public static final int OK = 0;
    public static final int EXPECTATION_FAILED = 1;
    public static final int BAD_INPUT = 2;
    public static final int LIMIT = 3;

    @CommandLine.Spec
    CommandLine.Model.CommandSpec spec;

    /** "mmcheck 0.1.0 (commit abc...)": the commit is recorded by ./mmcheck when it builds the jar. */
    static final class Version implements CommandLine.IVersionProvider {
        @Override
        public String[] getVersion() {
            String commit = System.getProperty("mmcheck.commit", "");
            return new String[] {"mmcheck 0.1.0 (commit " + (commit.isBlank()
                    ? "unknown: run through ./mmcheck, which records it when it builds the jar" : commit) + ")"};
        }
    }

    @Override
    public void run() {
        throw new CommandLine.ParameterException(spec.commandLine(), "missing command: run or variants");
    }

    public static int execute(String... args) {
        CommandLine cl = new CommandLine(new Main());
        cl.setParameterExceptionHandler((ex, a) -> {
            ex.getCommandLine().getErr().println("mmcheck: " + ex.getMessage());
            ex.getCommandLine().getErr().println("Try 'mmcheck --help'.");
            return BAD_INPUT;
        });
        cl.setExecutionExceptionHandler((ex, c, parsed) -> {
            c.getErr().println("mmcheck: internal error: " + ex);
            if (System.getenv("MMCHECK_DEBUG") != null) ex.printStackTrace(c.getErr());
            return 70;
        });
        int status = cl.execute(args);
        // System.out never throws: a full disk or a closed pipe only shows here.
        if (System.out.checkError() && status != BAD_INPUT && status != EXPECTATION_FAILED) {
            return outputFailed(System.err);
        }
        return status;
    }

    /** Standard output could not be written (a full disk, a closed pipe): the results are lost, which fails the run. */
    static int outputFailed(java.io.PrintStream err) {
        err.println("mmcheck: error writing standard output (disk full or pipe closed): results lost");
        err.flush();
        return EXPECTATION_FAILED;
    }

    public static void main(String[] args) {
        System.exit(execute(args));
    }
}
