package org.mmcheck.sem;

import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;

/**
 * Parts of the litmus language that the model cannot run yet: reported at the statement's position
 * instead of being silently ignored.
 */
final class Support {
    private Support() {}

    static void check(Ast.Test t) throws LitmusException {
        if (t.background().contains(Ast.Background.KSM)) {
            throw new LitmusException(t.pos(), "background KSM ('kernel ksm') is not supported yet");
        }
        for (Ast.Block b : t.blocks()) {
            for (Ast.Stmt st : b.body()) {
                String why = unsupported(st);
                if (why != null) throw new LitmusException(st.pos(), "'" + st.text() + "' is not supported yet (" + why + ")");
            }
        }
    }

    private static String unsupported(Ast.Stmt st) {
        if (st instanceof Ast.Get || st instanceof Ast.Pin || st instanceof Ast.Put || st instanceof Ast.Unpin
                || st instanceof Ast.StoreRef || st instanceof Ast.LoadRef) {
            return "GUP references";
        }
        if (st instanceof Ast.KsmScan) return "KSM";
        if (st instanceof Ast.Madvise m) {
            switch (m.advice()) {
                case MADV_MERGEABLE:
                case MADV_UNMERGEABLE:
                    return "KSM";
                default:
                    return null;
            }
        }
        return null;
    }
}
