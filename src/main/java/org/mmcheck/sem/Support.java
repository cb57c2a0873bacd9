package org.mmcheck.sem;

import java.util.Set;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;

/**
 * Parts of the litmus language that the model cannot run yet: reported at the statement's position
 * instead of being silently ignored.
 */
final class Support {
    private Support() {}

    static void check(Ast.Test t) throws LitmusException {
        for (Ast.Block b : t.blocks()) {
            for (Ast.Stmt st : b.body()) {
                String why = unsupported(st);
                if (why != null) throw new LitmusException(st.pos(), "'" + st.text() + "' is not supported yet (" + why + ")");
            }
        }
    }

    private static String unsupported(Ast.Stmt st) {
        Set<Ast.GupFlag> flags = null;
        if (st instanceof Ast.Get g) flags = g.flags();
        else if (st instanceof Ast.Pin p) flags = p.flags();
        if (flags != null && flags.contains(Ast.GupFlag.FOLL_FORCE)) return "FOLL_FORCE";
        return null;
    }
}
