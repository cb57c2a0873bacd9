package org.mmcheck.cli;

import java.util.concurrent.Callable;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmcheck variants}: the variant names, one per line, oldest kernel first (LITMUS.md, which
 * scripts rely on); {@code --kernels} adds the kernels each one stands for.
 */
@Command(name = "variants", mixinStandardHelpOptions = true,
        description = "List the kernel variant names, one per line, oldest kernel first.",
        footer = {"", "Example: ./mmcheck variants --kernels"})
final class VariantsCommand implements Callable<Integer> {
    @Option(names = "--kernels",
            description = "Also print the kernels each variant stands for, and which a kernel version can select.")
    boolean kernels;

    @Override
    public Integer call() {
        int w = 0;
        for (String v : Variants.names()) w = Math.max(w, v.length());
        for (String v : Variants.names()) {
            if (!kernels) {
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
