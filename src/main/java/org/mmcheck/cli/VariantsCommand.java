package org.mmcheck.cli;

import java.util.concurrent.Callable;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;

@Command(name = "variants", description = "List the kernel variant names, oldest kernel first.")
final class VariantsCommand implements Callable<Integer> {
    @Override
    public Integer call() {
        for (String v : Variants.names()) System.out.println(v);
        return Main.OK;
    }
}
