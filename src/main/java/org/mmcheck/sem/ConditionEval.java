package org.mmcheck.sem;

import org.mmcheck.litmus.Ast;

/** Evaluates a test's condition expression on one final outcome. */
public final class ConditionEval {
    private final Program prog;

    public ConditionEval(Program prog) {
        this.prog = prog;
    }

    public boolean holds(Ast.Expr e, Outcome o) {
        if (e instanceof Ast.And a) return holds(a.left(), o) && holds(a.right(), o);
        if (e instanceof Ast.Or or) return holds(or.left(), o) || holds(or.right(), o);
        if (e instanceof Ast.Not n) return !holds(n.inner(), o);
        if (e instanceof Ast.RegAtom r) return o.value(column(r.proc() + ":" + r.reg())) == r.value();
        if (e instanceof Ast.PageAtom pa) return o.value(column(pa.proc() + ":" + pa.page())) == pa.value();
        Ast.RefAtom ra = (Ast.RefAtom) e;
        return o.value(column(ra.ref())) == ra.value();
    }

    private int column(String text) {
        for (int c = 0; c < prog.columns.size(); c++) if (prog.columns.get(c).text().equals(text)) return c;
        throw new IllegalStateException("no column " + text);
    }
}
