package org.mmcheck.cli;

import java.util.concurrent.Callable;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

@Command(name = "variants", mixinStandardHelpOptions = true,
        description = "List the kernel variants, oldest kernel first: name, the kernels it stands for, and"
                + " whether a kernel version on the command line can select it.")
final class VariantsCommand implements Callable<Integer> {
    @Option(names = "--names", description = "Only the names, one per line.")
    boolean namesOnly;

    @Override
    public Integer call() {
        int w = 0;
        for (String v : Variants.names()) w = Math.max(w, v.length());
        for (String v : Variants.names()) {
            if (namesOnly) {
                System.out.println(v);
                continue;
            }
            KernelPolicy p = Variants.policy(v);
            String range = p.kernels().toString();
            System.out.println(String.format("%-" + w + "s  %s", v, p.mainline() ? range
                    : range + " (not a mainline generation: chosen by name only)"));
        }
        return Main.OK;
    }
}
