package org.mmcheck.cli;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import org.mmcheck.variant.Decisions;
import org.mmcheck.variant.Variants;
import org.mmcheck.variant.data.Inputs;
import org.mmcheck.variant.data.VariantFile;
import org.mmcheck.variant.data.VariantFileException;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * {@code mmcheck conditions}: the named decision points where kernel generations differ, what each
 * asks, and where each changed; with {@code --variant}, which generation decides it for that variant.
 */
@Command(name = "conditions", mixinStandardHelpOptions = true,
        description = "List the named decision points of the kernel paths and the generations that change them.",
        footer = {"", "Example: ./mmcheck conditions --variant part3-v2"})
final class ConditionsCommand implements Callable<Integer> {
    @Option(names = "--variant", paramLabel = "NAME|VERSION",
            description = "Show which generation decides each point for this variant.")
    String variant;

    @Option(names = "--inputs", description = "List, per point, the inputs a .variant expression may use there.")
    boolean inputs;

    @Override
    public Integer call() {
        if (inputs) {
            for (Map.Entry<String, java.lang.reflect.Method> e : VariantFile.pointMethods().entrySet()) {
                System.out.printf("%-32s %s%n", e.getKey(), String.join(", ", Inputs.names(e.getValue())));
            }
            return Main.OK;
        }
        if (variant != null) {
            String name;
            try {
                name = VariantArgs.resolve(variant);
            } catch (VariantFileException e) {
                System.err.println(e.render());
                return Main.BAD_INPUT;
            }
            if (name == null) {
                System.err.println("mmcheck: " + Variants.unknownMessage(variant, ""));
                return Main.BAD_INPUT;
            }
            for (Decisions.Point p : Decisions.of(Variants.policy(name))) {
                System.out.printf("%-32s %-26s decided by %-12s %s%n", p.decision().name(), p.decision().function(),
                        p.decidedBy(), p.decision().meaning());
            }
            return Main.OK;
        }
        // Per point: the variants, in order, at which the deciding generation changes.
        Map<String, List<String>> changes = new LinkedHashMap<>();
        Map<String, String> meaning = new LinkedHashMap<>();
        Map<String, String> last = new LinkedHashMap<>();
        for (String v : Variants.names()) {
            for (Decisions.Point p : Decisions.of(Variants.policy(v))) {
                String n = p.decision().name();
                meaning.putIfAbsent(n, p.decision().function() + ": " + p.decision().meaning());
                List<String> c = changes.computeIfAbsent(n, k -> new ArrayList<>());
                if (!p.decidedBy().equals(last.get(n)) && !c.contains(p.decidedBy())) c.add(p.decidedBy());
                last.put(n, p.decidedBy());
            }
        }
        for (Map.Entry<String, List<String>> e : changes.entrySet()) {
            System.out.printf("%-32s changed in %-40s %s%n", e.getKey(), String.join(", ", e.getValue()),
                    meaning.get(e.getKey()));
        }
        return Main.OK;
    }
}
