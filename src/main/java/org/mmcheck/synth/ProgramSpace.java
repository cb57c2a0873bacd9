package org.mmcheck.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Small litmus programs in order of size, for looking for the smallest test that tells two variants
 * apart. A program has one page {@code x} (populated or not), a swap configuration, one or two processes (P1 forked by
 * P0), and optionally a kernel thread that reclaims P0's x. Its size is its number of statements
 * (the kernel thread's included). Values and register names are handed out in order of appearance,
 * so two programs that differ only in them are generated once; a second process exists only when P0
 * forks it.
 */
public final class ProgramSpace implements Space {
    /** A process statement, with a slot for a fresh value or register number. */
    private enum Op {
        STORE, LOAD, FORK, PAGEOUT, DONTNEED, PIN_RW, STORE_PIN, LOAD_PIN, PIN_RO, UNPIN, PROTECT_RO, PROTECT_RW
    }

    /** The page populated by a store before the test (x = 1), or left empty (the zero page on a read). */
    static final String[] INIT = {"  anon x = 1;\n", "  anon x;\n"};

    /** The swap set-ups tried, plainest first. */
    static final String[] SWAP = {"", "  swap;\n", "  swap stable_writes;\n", "  swap sync_io;\n"};

    private final int maxProcs;

    public ProgramSpace(int maxProcs) {
        this.maxProcs = maxProcs;
    }

    @Override
    public String name() {
        return "atomic";
    }

    @Override
    public String describe() {
        return "one page, populated or not; no swap, swap, stable_writes or sync_io; stores, loads, fork,"
                + " MADV_PAGEOUT, MADV_DONTNEED, mprotect, R/W and R/O long-term pins; a kernel thread's reclaim;"
                + " atomic steps; up to " + maxProcs + " process(es)";
    }

    @Override
    public boolean programsOfSize(int size, Predicate<String> visit) {
        for (int kernel = 0; kernel <= 1; kernel++) {
            int user = size - kernel;
            if (user < 1) continue;
            for (int procs = 1; procs <= maxProcs; procs++) {
                for (int p0 = 1; p0 <= user; p0++) {
                    int p1 = user - p0;
                    if ((procs == 1) != (p1 == 0)) continue;
                    for (String init : INIT) {
                        for (String swap : SWAP) {
                            if (!bodies(p0, p1, procs, init + swap, kernel == 1, visit)) return false;
                        }
                    }
                }
            }
        }
        return true;
    }

    private boolean bodies(int n0, int n1, int procs, String decls, boolean kernel, Predicate<String> visit) {
        Op[] ops = Op.values();
        int[] a = new int[n0];
        int[] b = new int[n1];
        long combos0 = pow(ops.length, n0);
        long combos1 = pow(ops.length, n1);
        for (long i = 0; i < combos0; i++) {
            digits(i, ops.length, a);
            if (!validBody(a, true, procs == 2)) continue;
            for (long j = 0; j < combos1; j++) {
                digits(j, ops.length, b);
                if (!validBody(b, false, false)) continue;
                String text = render(a, b, procs, decls, kernel);
                if (text != null && !visit.test(text)) return false;
            }
        }
        return true;
    }

    /** Forks only in P0 and exactly once when there is a P1; pin stores and unpins only after a pin. */
    private static boolean validBody(int[] body, boolean first, boolean forks) {
        int fork = 0;
        boolean pinned = false;
        boolean writable = false;
        for (int o : body) {
            Op op = Op.values()[o];
            if (op == Op.FORK) fork++;
            if (op == Op.PIN_RW || op == Op.PIN_RO) {
                if (pinned) return false; // one reference per process keeps the space small
                pinned = true;
            }
            if ((op == Op.STORE_PIN || op == Op.LOAD_PIN || op == Op.UNPIN) && !pinned) return false;
            if (op == Op.STORE_PIN && !writable) return false; // the validator refuses a store through a R/O pin
            if (op == Op.PIN_RW) writable = true;
        }
        return first ? fork == (forks ? 1 : 0) : fork == 0;
    }

    private static String render(int[] a, int[] b, int procs, String decls, boolean kernel) {
        int[] next = {1, 0}; // the last value stored, the next register of the process being written
        StringBuilder t = new StringBuilder();
        t.append("MM synth\n{\n").append(decls).append("}\n");
        t.append("P0 {\n");
        for (int o : a) t.append("  ").append(statement(Op.values()[o], 0, next)).append('\n');
        t.append("}\n");
        if (procs == 2) {
            next[1] = 0;
            t.append("P1 {\n");
            for (int o : b) t.append("  ").append(statement(Op.values()[o], 1, next)).append('\n');
            t.append("}\n");
        }
        if (kernel) t.append("K0 {\n  reclaim(0:x);\n}\n");
        t.append("exists (0:x=1").append(procs == 2 ? " \\/ 1:x=1" : "").append(")\n");
        return t.toString();
    }

    private static String statement(Op op, int proc, int[] next) {
        String ref = "p" + proc;
        switch (op) {
            case STORE:
                return "*x = " + (++next[0]) + ";";
            case LOAD:
                return "r" + (next[1]++) + " = *x;";
            case FORK:
                return "fork(P1);";
            case PAGEOUT:
                return "madvise(x, MADV_PAGEOUT);";
            case DONTNEED:
                return "madvise(x, MADV_DONTNEED);";
            case PIN_RW:
                return ref + " = pin(x, FOLL_WRITE | FOLL_LONGTERM);";
            case PIN_RO:
                return ref + " = pin(x, FOLL_LONGTERM);";
            case STORE_PIN:
                return "*" + ref + " = " + (++next[0]) + ";";
            case LOAD_PIN:
                return "r" + (next[1]++) + " = *" + ref + ";";
            case PROTECT_RO:
                return "mprotect(x, PROT_READ);";
            case PROTECT_RW:
                return "mprotect(x, PROT_READ|PROT_WRITE);";
            default:
                return "unpin(" + ref + ");";
        }
    }

    private static long pow(int b, int e) {
        long r = 1;
        for (int i = 0; i < e; i++) r *= b;
        return r;
    }

    private static void digits(long n, int base, int[] out) {
        for (int i = out.length - 1; i >= 0; i--) {
            out[i] = (int) (n % base);
            n /= base;
        }
    }

    /** Every program of {@code size} statements (for tests and counting). */
    public List<String> all(int size) {
        List<String> out = new ArrayList<>();
        programsOfSize(size, out::add);
        return out;
    }
}
