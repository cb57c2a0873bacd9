package org.mmcheck.real;

import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mmcheck.litmus.Ast;
import org.mmcheck.sem.ConditionEval;
import org.mmcheck.sem.Outcome;
import org.mmcheck.sem.Program;

/**
 * What the kernel answered to a test beside what the model answers, over the schedules that ran:
 * the final outcomes (registers from the last snapshot, page columns from the program's final reads)
 * and the test's condition judged on each side. Only those schedules: the model's own verdict over
 * every execution is {@code mmcheck run}'s.
 */
final class Answers {
    private final Program prog;
    private final Ast.Condition cond;
    private final ConditionEval eval;
    private final Set<Outcome> kernel = new LinkedHashSet<>(), model = new LinkedHashSet<>();
    private final Set<String> unread = new LinkedHashSet<>();
    private int runs;

    Answers(Program prog, Ast.Condition cond) {
        this.prog = prog;
        this.cond = cond;
        this.eval = new ConditionEval(prog);
    }

    /** One schedule that ran to its end: the model's outcome there and the kernel's run. */
    void add(Outcome modelOutcome, RealTrace.Run run) {
        if (modelOutcome != null) model.add(modelOutcome);
        Outcome k = kernelOutcome(run);
        if (k != null) kernel.add(k);
        runs++;
    }

    private Outcome kernelOutcome(RealTrace.Run run) {
        if (run.steps() == null || run.steps().isEmpty()) return null;
        Obs.Step last = run.steps().get(run.steps().size() - 1);
        int[] values = new int[prog.columns.size()];
        for (int c = 0; c < values.length; c++) {
            Program.Column col = prog.columns.get(c);
            switch (col.kind()) {
                case REG: {
                    values[c] = 0;
                    for (Obs.ProcObs po : last.procs()) {
                        if (po.proc() == col.proc() && col.index() < po.regs().length) values[c] = po.regs()[col.index()];
                    }
                    break;
                }
                case PAGE: {
                    int[] row = run.finals() == null ? null : run.finals().get(col.proc());
                    int v = row == null || col.index() >= row.length ? -1 : row[col.index()];
                    values[c] = v < 0 ? Outcome.UNMAPPED : v;
                    break;
                }
                default:
                    // what a reference reads at the end: the driver cannot read another process's pins
                    unread.add(col.text());
                    return null;
            }
        }
        return Outcome.of(prog, values);
    }

    /** The lines of the report, or none when nothing ran. */
    List<String> lines() {
        List<String> out = new ArrayList<>();
        if (runs == 0) return out;
        if (!unread.isEmpty()) {
            out.add("answers: not compared: the condition reads " + String.join(", ", unread)
                    + " through a reference, which the driver cannot read at the end");
            return out;
        }
        Set<Outcome> kOnly = new LinkedHashSet<>(kernel), mOnly = new LinkedHashSet<>(model);
        kOnly.removeAll(model);
        mOnly.removeAll(kernel);
        out.add("answers on these " + runs + " schedule(s): kernel " + kernel.size() + " outcome(s), model "
                + model.size() + (kOnly.isEmpty() && mOnly.isEmpty() ? ", the same" : ", different"));
        for (Outcome o : kOnly) out.add("  kernel only: " + o);
        for (Outcome o : mOnly) out.add("  model only:  " + o);
        if (cond != null) out.add(cond.quantifier().name().toLowerCase().replace('_', ' ') + " " + cond.text() + ": kernel "
                + judge(kernel) + ", model " + judge(model));
        return out;
    }

    /** Whether the condition holds on these outcomes, as its quantifier reads. */
    private String judge(Set<Outcome> outs) {
        int sat = 0;
        for (Outcome o : outs) if (eval.holds(cond.expr(), o)) sat++;
        boolean holds = switch (cond.quantifier()) {
            case EXISTS -> sat > 0;
            case NOT_EXISTS -> sat == 0;
            case FORALL -> sat == outs.size();
        };
        return (holds ? "holds" : "fails") + " (" + sat + " of " + outs.size() + " outcome(s) satisfy it)";
    }

    /** Were the outcomes compared (false when the condition reads a reference the driver cannot read)? */
    boolean judged() {
        return unread.isEmpty();
    }

    /** The kernel's outcomes differ from the model's on these schedules. */
    boolean differ() {
        return unread.isEmpty() && runs > 0 && !kernel.equals(model);
    }
}
