package org.mmcheck.report;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.mmcheck.litmus.Ast;

/** Judges a run against the test's {@code expect} lines. */
public final class Expectations {
    private Expectations() {}

    /** The expect line covering {@code variant}: one that names it, else the {@code *} line, else null. */
    public static Ast.Expect lineFor(List<Ast.Expect> lines, String variant) {
        for (Ast.Expect e : lines) if (!e.star() && e.variants().contains(variant)) return e;
        for (Ast.Expect e : lines) if (e.star()) return e;
        return null;
    }

    /** null when no line covers the variant. */
    public static Verdict.ExpectationResult judge(List<Ast.Expect> lines, String variant, String observation,
                                                   List<String> flags) {
        Ast.Expect e = lineFor(lines, variant);
        if (e == null) return null;
        StringBuilder why = new StringBuilder();
        if (e.observation() != null && !e.observation().name().equals(observation)) {
            why.append("expected ").append(e.observation()).append(", observed ").append(observation);
        }
        Set<String> want = new TreeSet<>(e.flags());
        Set<String> got = new TreeSet<>(flags);
        if (!want.equals(got)) {
            if (why.length() > 0) why.append("; ");
            why.append("expected flags ").append(want.isEmpty() ? "none" : String.join(" ", want))
                    .append(", raised ").append(got.isEmpty() ? "none" : String.join(" ", got));
        }
        return new Verdict.ExpectationResult(why.length() == 0, why.length() == 0 ? null
                : e.pos() + ": " + why);
    }
}
