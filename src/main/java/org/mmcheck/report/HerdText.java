package org.mmcheck.report;

import java.io.PrintStream;
import java.util.Locale;

/** The herd7-style text output of LITMUS.md, one item per line, plus witnesses when asked for. */
public final class HerdText {
    private HerdText() {}

    public static void print(Verdict v, PrintStream out) {
        print(v, out, false);
    }

    /** @param witnessAsked --witness was given: say so when there is no positive outcome to show */
    public static void print(Verdict v, PrintStream out, boolean witnessAsked) {
        out.println("Test " + v.test());
        out.println("Variant " + v.variant() + (v.requestedAs() == null ? "" : " (for " + v.requestedAs() + ")"));
        out.println("States " + v.outcomes().size());
        for (Verdict.OutcomeLine o : v.outcomes()) out.println(o.text());
        if (v.condition() != null) out.println("Positive: " + v.positive() + " Negative: " + v.negative());
        for (String f : v.flags()) out.println("Flag " + f);
        if (v.condition() != null) {
            out.println("Condition " + v.condition());
            out.println("Observation " + v.test() + " " + v.observation() + " " + v.positive() + " " + v.negative());
        }
        out.println("Explored " + v.explored());
        out.println("Time " + v.test() + " " + String.format(Locale.ROOT, "%.2f", v.seconds()));
        if (!v.complete()) out.println("Stopped " + v.stop() + " (partial results)");
        if (v.expectation() != null) {
            out.println(v.expectation().held() ? "Expect ok" : "Expect FAILED: " + v.expectation().message());
        }
        boolean forall = v.condition() != null && v.condition().startsWith("forall");
        if (witnessAsked && v.complete() && v.condition() != null && !forall && v.positive() == 0) {
            out.println("Witness outcome: none (no execution reaches an outcome satisfying the condition)");
        }
        if (witnessAsked && v.complete() && forall && v.negative() == 0) {
            out.println("Witness outcome: none (every outcome satisfies the condition)");
        }
        if (witnessAsked && v.complete() && v.flags().isEmpty()) {
            out.println("Witness flag: none (no execution raises a flag)");
        }
        for (Verdict.Witness w : v.witnesses()) {
            out.println("Witness " + w.what() + " (" + w.steps().size() + " steps)");
            int i = 1;
            for (String step : w.steps()) {
                out.println("  " + i++ + ". " + step.replace("\n", "\n     "));
            }
        }
        out.println();
    }
}
