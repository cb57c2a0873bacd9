package org.mmcheck.cli;

import java.util.concurrent.Callable;
import picocli.AutoComplete;
import picocli.CommandLine;
import picocli.CommandLine.Command;

/** {@code mmcheck completion}: a bash (and zsh) completion script for every command and option. */
@Command(name = "completion", mixinStandardHelpOptions = true,
        description = "Print a bash/zsh completion script for mmcheck.",
        footer = {"", "Example: source <(./mmcheck completion)"})
final class CompletionCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        System.out.print(AutoComplete.bash("mmcheck", new CommandLine(new Main())));
        System.out.flush();
        return System.out.checkError() ? Main.EXPECTATION_FAILED : Main.OK;
    }
}
