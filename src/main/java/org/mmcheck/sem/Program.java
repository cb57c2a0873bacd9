package org.mmcheck.sem;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.mmcheck.litmus.Ast;

/**
 * A litmus test resolved to indices: pages, processes, kernel threads, registers, references and the
 * columns of an outcome. Built once per test; shared by every state.
 */
public final class Program {
    public final Ast.Test test;
    /** interleave ptlock: kernel paths run in stages (see MemoryStaged). */
    private final boolean ptlock;
    public final List<String> pages = new ArrayList<>();
    public final List<String> refs = new ArrayList<>();
    /** Statements of process i (empty for an index without a block). */
    public final List<List<Ast.Stmt>> procBodies = new ArrayList<>();
    public final List<List<Ast.Stmt>> kernelBodies = new ArrayList<>();
    /** Register names of process i, in order of first appearance. */
    public final List<List<String>> regs = new ArrayList<>();
    /** What an outcome records, in display order. */
    public final List<Column> columns = new ArrayList<>();
    /**
     * The block whose mm block i runs in: i itself for a process (P0 or a fork child), the mm of the
     * block that cloned it for a thread. Fixed by the text: each block is started by one statement.
     */
    public final int[] mmOf;

    /** One observed location of an outcome: a register, a page as a process sees it, or a reference. */
    public record Column(Kind kind, int proc, int index, String text) {
        public enum Kind { REG, PAGE, REF }
    }

    public Program(Ast.Test test) {
        this.test = test;
        this.ptlock = test.interleave() == Ast.Interleave.PTLOCK;
        for (Ast.AnonDecl a : test.anons()) pages.add(a.name());
        int maxP = 0;
        int maxK = -1;
        for (Ast.Block b : test.blocks()) {
            if (b.kind() == Ast.BlockKind.PROCESS) maxP = Math.max(maxP, b.index());
            else maxK = Math.max(maxK, b.index());
        }
        for (int i = 0; i <= maxP; i++) {
            procBodies.add(List.of());
            regs.add(new ArrayList<>());
        }
        for (int i = 0; i <= maxK; i++) kernelBodies.add(List.of());
        for (Ast.Block b : test.blocks()) {
            if (b.kind() == Ast.BlockKind.PROCESS) procBodies.set(b.index(), b.body());
            else kernelBodies.set(b.index(), b.body());
            for (Ast.Stmt st : b.body()) collectNames(b, st);
        }
        mmOf = threadOwners(test, procBodies.size());
        for (int p = 0; p < regs.size(); p++) {
            for (int r = 0; r < regs.get(p).size(); r++) {
                columns.add(new Column(Column.Kind.REG, p, r, p + ":" + regs.get(p).get(r)));
            }
        }
        if (test.condition() != null) addAtomColumns(test.condition().expr(), new LinkedHashMap<>());
    }

    /** Follows clone(Pn) statements back to the process that owns the mm (the validator rules out cycles). */
    private static int[] threadOwners(Ast.Test test, int nProcs) {
        int[] clonedBy = new int[nProcs];
        Arrays.fill(clonedBy, -1);
        for (Ast.Block b : test.blocks()) {
            if (b.kind() != Ast.BlockKind.PROCESS) continue;
            for (Ast.Stmt st : b.body()) if (st instanceof Ast.Clone c) clonedBy[c.child()] = b.index();
        }
        int[] mm = new int[nProcs];
        for (int i = 0; i < nProcs; i++) {
            int m = i;
            for (int steps = 0; clonedBy[m] >= 0 && steps < nProcs; steps++) m = clonedBy[m];
            mm[i] = m;
        }
        return mm;
    }

    /** True when block p is a thread of another block's mm. */
    public boolean isThread(int p) {
        return mmOf[p] != p;
    }

    private void collectNames(Ast.Block b, Ast.Stmt st) {
        String reg = null;
        if (st instanceof Ast.LoadPage l) reg = l.reg();
        else if (st instanceof Ast.LoadRef l) reg = l.reg();
        if (reg != null && b.kind() == Ast.BlockKind.PROCESS && !regs.get(b.index()).contains(reg)) {
            regs.get(b.index()).add(reg);
        }
        String ref = null;
        if (st instanceof Ast.Get g) ref = g.ref();
        else if (st instanceof Ast.Pin pn) ref = pn.ref();
        if (ref != null && !refs.contains(ref)) refs.add(ref);
    }

    private void addAtomColumns(Ast.Expr e, Map<String, Boolean> seen) {
        if (e instanceof Ast.And a) {
            addAtomColumns(a.left(), seen);
            addAtomColumns(a.right(), seen);
        } else if (e instanceof Ast.Or o) {
            addAtomColumns(o.left(), seen);
            addAtomColumns(o.right(), seen);
        } else if (e instanceof Ast.Not n) {
            addAtomColumns(n.inner(), seen);
        } else if (e instanceof Ast.PageAtom pa) {
            String text = pa.proc() + ":" + pa.page();
            if (seen.put(text, true) == null) {
                columns.add(new Column(Column.Kind.PAGE, pa.proc(), pages.indexOf(pa.page()), text));
            }
        } else if (e instanceof Ast.RefAtom ra) {
            if (seen.put(ra.ref(), true) == null) {
                columns.add(new Column(Column.Kind.REF, -1, refs.indexOf(ra.ref()), ra.ref()));
            }
        }
    }

    public boolean ptlock() {
        return ptlock;
    }

    public int page(String name) {
        return pages.indexOf(name);
    }

    public int ref(String name) {
        return refs.indexOf(name);
    }

    public int reg(int proc, String name) {
        return regs.get(proc).indexOf(name);
    }

    public int procCount() {
        return procBodies.size();
    }

    public int kernelCount() {
        return kernelBodies.size();
    }
}
