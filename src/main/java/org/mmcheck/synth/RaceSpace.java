package org.mmcheck.synth;

import java.util.ArrayList;
import java.util.List;
import java.util.function.Predicate;

/**
 * Small lock-level programs ({@code interleave ptlock}) in which two actors race on one populated page
 * {@code x}, in order of size, for variants whose differences are races. The shapes are those of the
 * hand-written tests in {@code litmus/races/}:
 * <ul>
 *   <li>a process and a kernel thread: {@code P0 { A } K0 { reclaim(0:x); }}, or {@code swapoff();}, or
 *       background reclaim ({@code kernel reclaim;});</li>
 *   <li>two threads: {@code P0 { [page-out;] clone(P1); A } P1 { B }};</li>
 *   <li>a process and its child: {@code P0 { [page-out;] fork(P1); A } P1 { B }}.</li>
 * </ul>
 * A and B are 1 to {@value #MAX_ACTOR} statements: load, store, {@code MADV_PAGEOUT}, {@code MADV_DONTNEED},
 * a GUP-fast R/W long-term pin and a store through it, and (for threads) a fork of a child that does
 * nothing. The swap device is the default one, or {@code sync_io} when something pages out.
 *
 * <p>The size counts every statement (the prefix, the clone or fork, the kernel thread's statement, and
 * the background reclaim declaration). Pruned: an actor repeating a statement back to back; a store
 * through the pin before the pin; more than one pin or fork; for two threads, the copy with the two
 * bodies swapped (the threads are interchangeable); {@code sync_io} or {@code swapoff} where nothing
 * goes to swap. Values and register names are handed out in order of appearance.
 */
public final class RaceSpace implements Space {
    /** Most statements per racing actor. */
    public static final int MAX_ACTOR = 3;

    private enum Op { LOAD, STORE, PAGEOUT, PIN, STORE_PIN, DONTNEED, FORK }

    private enum Shape { KERNEL, THREADS, CHILD }

    /** What the kernel side of the KERNEL shape is: its block and its declaration. */
    private enum KernelSide {
        RECLAIM("K0 {\n  reclaim(0:x);\n}\n", ""),
        SWAPOFF("K0 {\n  swapoff();\n}\n", ""),
        BACKGROUND("", "  kernel reclaim;\n");

        final String block;
        final String decl;

        KernelSide(String block, String decl) {
            this.block = block;
            this.decl = decl;
        }
    }

    private static final String PIN = "p = pin(x, FOLL_WRITE | FOLL_LONGTERM | FOLL_FAST);";

    /** Valid actor bodies by length (index 0 unused). */
    private final List<List<Op[]>> bodies = new ArrayList<>();

    public RaceSpace() {
        bodies.add(List.of());
        for (int n = 1; n <= MAX_ACTOR; n++) bodies.add(bodiesOf(n));
    }

    @Override
    public String name() {
        return "ptlock";
    }

    @Override
    public String describe() {
        return "two racing actors under interleave ptlock (a process and a kernel thread's reclaim, swapoff or"
                + " background reclaim; two threads; a process and its child), each of 1-" + MAX_ACTOR
                + " statements from load, store, MADV_PAGEOUT, MADV_DONTNEED, GUP-fast R/W pin, store through it,"
                + " fork; an optional page-out first; one populated page; swap or sync_io";
    }

    @Override
    public boolean programsOfSize(int size, Predicate<String> visit) {
        for (Shape shape : Shape.values()) {
            for (int prefix = 0; prefix <= (shape == Shape.KERNEL ? 0 : 1); prefix++) {
                int rest = size - prefix - 1; // minus the clone, the fork or the kernel's statement
                if (shape == Shape.KERNEL) {
                    if (!kernelPrograms(rest, visit)) return false;
                } else {
                    for (int na = 1; na <= MAX_ACTOR; na++) {
                        int nb = rest - na;
                        if (nb < 1 || nb > MAX_ACTOR) continue;
                        if (!pairPrograms(shape, prefix == 1, na, nb, visit)) return false;
                    }
                }
            }
        }
        return true;
    }

    private boolean kernelPrograms(int n, Predicate<String> visit) {
        if (n < 1 || n > MAX_ACTOR) return true;
        for (KernelSide k : KernelSide.values()) {
            for (int sync = 0; sync <= 1; sync++) {
                for (Op[] a : bodies.get(n)) {
                    if (count(a, Op.FORK) > 0) continue;
                    boolean pagesOut = count(a, Op.PAGEOUT) > 0;
                    if (k == KernelSide.SWAPOFF && !pagesOut) continue;
                    String text = render(Shape.KERNEL, false, a, null, k, sync == 1);
                    if (!visit.test(text)) return false;
                }
            }
        }
        return true;
    }

    private boolean pairPrograms(Shape shape, boolean prefix, int na, int nb, Predicate<String> visit) {
        for (int sync = 0; sync <= 1; sync++) {
            for (Op[] a : bodies.get(na)) {
                for (Op[] b : bodies.get(nb)) {
                    if (count(a, Op.PIN) + count(b, Op.PIN) > 1) continue;
                    int forks = count(a, Op.FORK) + count(b, Op.FORK);
                    if (forks > (shape == Shape.THREADS ? 1 : 0)) continue;
                    if (shape == Shape.THREADS && compare(a, b) > 0) continue; // the threads are interchangeable
                    boolean pagesOut = prefix || count(a, Op.PAGEOUT) + count(b, Op.PAGEOUT) > 0;
                    if (sync == 1 && !pagesOut) continue;
                    String text = render(shape, prefix, a, b, null, sync == 1);
                    if (!visit.test(text)) return false;
                }
            }
        }
        return true;
    }

    /** Bodies of n statements: nothing repeated back to back, a store through the pin after the pin, one pin, one fork. */
    private static List<Op[]> bodiesOf(int n) {
        List<Op[]> out = new ArrayList<>();
        Op[] ops = Op.values();
        int[] d = new int[n];
        long total = 1;
        for (int i = 0; i < n; i++) total *= ops.length;
        for (long i = 0; i < total; i++) {
            long m = i;
            for (int j = n - 1; j >= 0; j--) {
                d[j] = (int) (m % ops.length);
                m /= ops.length;
            }
            Op[] body = new Op[n];
            boolean ok = true;
            boolean pinned = false;
            for (int j = 0; j < n && ok; j++) {
                body[j] = ops[d[j]];
                if (j > 0 && body[j] == body[j - 1]) ok = false;
                if (body[j] == Op.STORE_PIN && !pinned) ok = false;
                if (body[j] == Op.PIN) pinned = true;
            }
            if (ok && count(body, Op.PIN) <= 1 && count(body, Op.FORK) <= 1) out.add(body);
        }
        return out;
    }

    private static int count(Op[] body, Op op) {
        int c = 0;
        for (Op o : body) if (o == op) c++;
        return c;
    }

    /** Shorter first, then by statement. */
    private static int compare(Op[] a, Op[] b) {
        if (a.length != b.length) return Integer.compare(a.length, b.length);
        for (int i = 0; i < a.length; i++) if (a[i] != b[i]) return a[i].compareTo(b[i]);
        return 0;
    }

    private static String render(Shape shape, boolean prefix, Op[] a, Op[] b, KernelSide k, boolean sync) {
        int[] value = {1};
        boolean pin = count(a, Op.PIN) + (b == null ? 0 : count(b, Op.PIN)) > 0;
        boolean fork = count(a, Op.FORK) + (b == null ? 0 : count(b, Op.FORK)) > 0;
        StringBuilder t = new StringBuilder("MM synth\n{\n  anon x = 1;\n");
        if (sync) t.append("  swap sync_io;\n");
        if (k != null) t.append(k.decl);
        t.append("  interleave ptlock;\n}\nP0 {\n");
        if (prefix) t.append("  madvise(x, MADV_PAGEOUT);\n");
        if (shape == Shape.THREADS) t.append("  clone(P1);\n");
        if (shape == Shape.CHILD) t.append("  fork(P1);\n");
        body(t, a, value);
        t.append("}\n");
        if (b != null) {
            t.append("P1 {\n");
            body(t, b, value);
            t.append("}\n");
        }
        if (fork) t.append("P2 {\n}\n");
        if (k != null) t.append(k.block);
        t.append("exists (0:x=1");
        if (shape == Shape.CHILD) t.append(" \\/ 1:x=1");
        if (fork) t.append(" \\/ 2:x=1");
        if (pin) t.append(" \\/ p=1");
        return t.append(")\n").toString();
    }

    private static void body(StringBuilder t, Op[] ops, int[] value) {
        int reg = 0;
        for (Op op : ops) {
            t.append("  ");
            switch (op) {
                case LOAD -> t.append("r").append(reg++).append(" = *x;");
                case STORE -> t.append("*x = ").append(++value[0]).append(';');
                case PAGEOUT -> t.append("madvise(x, MADV_PAGEOUT);");
                case DONTNEED -> t.append("madvise(x, MADV_DONTNEED);");
                case PIN -> t.append(PIN);
                case STORE_PIN -> t.append("*p = ").append(++value[0]).append(';');
                default -> t.append("fork(P2);");
            }
            t.append('\n');
        }
    }

    /** Every program of {@code size} statements (for tests and counting). */
    public List<String> all(int size) {
        List<String> out = new ArrayList<>();
        programsOfSize(size, out::add);
        return out;
    }
}
