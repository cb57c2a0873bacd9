package org.mmcheck.litmus;

import java.util.List;
import java.util.Set;

/**
 * The parser's output before name resolution. Unlike {@link Ast} it keeps the position of every
 * name and number, so the {@link Validator} can point at the exact offending token.
 */
final class Raw {
    private Raw() {}

    record Name(String text, Pos pos) {}

    record Num(int value, Pos pos) {}

    enum Op {
        STORE, LOAD, GET, PIN, FORK, CLONE, EXIT, WAIT, MUNMAP, MADVISE, MPROTECT, PUT, UNPIN,
        RECLAIM, SWAPOFF, KSM_SCAN, READAHEAD;

        boolean isKernel() {
            return this == RECLAIM || this == SWAPOFF || this == KSM_SCAN || this == READAHEAD;
        }
    }

    /**
     * One statement. Field use by op: STORE target,num(value); LOAD lhs(register),target;
     * GET/PIN lhs(reference),target(page),flags; FORK/CLONE/WAIT num(child); MUNMAP/MADVISE/MPROTECT/PUT/UNPIN
     * target; RECLAIM/READAHEAD num(process),target. Unused fields are null.
     */
    record Stmt(Op op, Pos pos, Name lhs, Name target, Num num, Ast.Advice advice, Ast.Prot prot,
                Set<Ast.GupFlag> flags) {}

    record Block(Ast.BlockKind kind, int index, List<Stmt> body, Pos pos) {
        String label() {
            return (kind == Ast.BlockKind.PROCESS ? "P" : "K") + index;
        }
    }

    sealed interface Expr permits And, Or, Not, Atom {}

    record And(Expr left, Expr right) implements Expr {}

    record Or(Expr left, Expr right) implements Expr {}

    record Not(Expr inner) implements Expr {}

    /** {@code N:name=V} (proc non-null) or {@code name=V}; pos is the atom's first token. */
    record Atom(Num proc, Name name, Num value, Pos pos) implements Expr {}

    record Condition(Ast.Quantifier quantifier, Expr expr, String text, Pos pos) {}

    /** {@code obsPos}: where the observation is written, or null when there is none. */
    record Expect(boolean star, List<Name> variants, Ast.Observation observation, Pos obsPos, List<Name> flags,
                  Pos pos) {}

    record Test(String name, String description, List<Ast.AnonDecl> anons, Ast.SwapDecl swap,
                Set<Ast.Background> background, List<Block> blocks, Condition condition,
                List<Expect> expects, Pos pos, Ast.Interleave interleave) {}
}
