package org.mmcheck.cli;

import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import org.mmcheck.explore.Explorer;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.explore.Result;
import org.mmcheck.explore.Step;
import org.mmcheck.explore.StopReason;
import org.mmcheck.litmus.Ast;
import org.mmcheck.model.KState;
import org.mmcheck.report.Expectations;
import org.mmcheck.report.Verdict;
import org.mmcheck.report.WitnessStep;
import org.mmcheck.sem.ConditionEval;
import org.mmcheck.sem.LitmusModel;
import org.mmcheck.sem.StepLabel;
import org.mmcheck.variant.KernelPolicy;

/** Explores one test under one variant and turns the explorer's result into a {@link Verdict}. */
public final class TestRun {
    private TestRun() {}

    public static Verdict run(Ast.Test test, KernelPolicy policy, Limits limits, Progress progress,
                              boolean witnesses) {
        return run(test, policy, limits, progress, witnesses, 1);
    }

    /** As above on {@code workers} threads; the verdict does not depend on their number. */
    public static Verdict run(Ast.Test test, KernelPolicy policy, Limits limits, Progress progress,
                              boolean witnesses, int workers) {
        return run(test, policy, limits, progress, witnesses, workers, true);
    }

    /**
     * As above, with or without partial-order reduction (only lock-level tests have any): the
     * outcomes and flags are the same either way, the state counts and witnesses may differ.
     */
    public static Verdict run(Ast.Test test, KernelPolicy policy, Limits limits, Progress progress,
                              boolean witnesses, int workers, boolean partialOrder) {
        return run(test, policy, limits, progress, witnesses ? WitnessRequest.ALL : WitnessRequest.NONE, workers,
                partialOrder);
    }

    /** As above, with the witnesses picked by {@code want}. */
    static Verdict run(Ast.Test test, KernelPolicy policy, Limits limits, Progress progress,
                       WitnessRequest want, int workers, boolean partialOrder) {
        LitmusModel model = new LitmusModel(test, policy, partialOrder).withFullStates(want.full());
        Result<KState> r = new Explorer<>(model, limits, progress, workers).run();
        ConditionEval eval = new ConditionEval(model.program());
        Ast.Condition cond = test.condition();

        List<Map.Entry<Object, Long>> outs = new ArrayList<>(r.outcomes().entrySet());
        outs.sort(Comparator.comparing(e -> e.getKey().toString()));
        List<Verdict.OutcomeLine> lines = new ArrayList<>();
        List<Verdict.Witness> wit = new ArrayList<>();
        int pos = 0;
        // A forall is refuted by a negative outcome: that is the one to show.
        boolean forall = cond != null && cond.quantifier() == Ast.Quantifier.FORALL;
        int number = 0;
        for (Map.Entry<Object, Long> e : outs) {
            org.mmcheck.sem.Outcome o = (org.mmcheck.sem.Outcome) e.getKey();
            boolean positive = cond != null && eval.holds(cond.expr(), o);
            if (positive) pos++;
            lines.add(new Verdict.OutcomeLine(o.toString(), positive));
            number++;
            boolean wanted = want.outcome() != null ? want.outcome() == number
                    : want.all() && cond != null && (forall ? !positive : positive);
            if (wanted) {
                String what = (forall && !positive ? "counterexample outcome " : "outcome ") + o;
                wit.add(witness(what, r.witnessToState(e.getValue())));
            }
        }
        int neg = lines.size() - pos;
        List<String> flags = new ArrayList<>(r.flags().keySet());
        for (String f : flags) {
            if (want.flag() != null ? want.flag().equals(f) : want.all()) {
                wit.add(witness("flag " + f, r.witnessToFlag(f)));
            }
        }
        String observation = null;
        String condText = null;
        boolean complete = r.stopReason() == StopReason.COMPLETE;
        if (cond != null) {
            condText = quantifier(cond.quantifier()) + " " + cond.text();
            if (complete) observation = pos == 0 ? "Never" : neg == 0 ? "Always" : "Sometimes";
            // A stopped run has not seen every outcome: only Sometimes (both kinds found) is established.
            else observation = pos > 0 && neg > 0 ? "Sometimes" : "Unknown";
        }
        Verdict.ExpectationResult exp = complete
                ? Expectations.judge(test.expects(), policy.name(), observation, flags) : null;
        return new Verdict(test.name(), policy.name(), lines, pos, neg, flags, condText, observation,
                r.distinctStates(), r.transitions(), r.elapsed().toNanos() / 1e9,
                complete ? null : r.stopReason().name().toLowerCase().replace('_', '-'), exp, wit, null);
    }

    /**
     * A witness: its steps as text and as structures. A flag the state raises stays raised on every
     * later step until the state changes back; it is shown at the step that raised it, not again.
     */
    private static Verdict.Witness witness(String what, List<Step> steps) {
        List<String> text = new ArrayList<>();
        List<WitnessStep> trace = new ArrayList<>();
        java.util.Set<String> shown = new java.util.HashSet<>();
        for (Step s : steps) {
            if (!(s.label() instanceof StepLabel l)) {
                text.add(String.valueOf(s.label()));
                continue;
            }
            List<String> fresh = new ArrayList<>();
            for (String v : l.violations()) {
                String id = v.contains(":") ? v.substring(0, v.indexOf(':')) : v;
                if (shown.add(id)) fresh.add(v);
            }
            text.add(new StepLabel(l.actor(), l.statement(), l.kernel(), fresh, l.state()).toString());
            List<WitnessStep.Decision> decisions = new ArrayList<>();
            for (String line : l.kernel()) {
                String t = line.trim();
                int eq = t.indexOf(" = ");
                if (t.startsWith("[") && t.endsWith("]") && eq > 0) {
                    decisions.add(new WitnessStep.Decision(t.substring(1, eq), t.substring(eq + 3, t.length() - 1)));
                }
            }
            trace.add(new WitnessStep(l.actor(), l.statement(), l.kernel(), decisions, fresh, l.state()));
        }
        return new Verdict.Witness(what, text, trace);
    }

    private static String quantifier(Ast.Quantifier q) {
        switch (q) {
            case NOT_EXISTS:
                return "~exists";
            case FORALL:
                return "forall";
            default:
                return "exists";
        }
    }
}
