package org.mmcheck.sem.por;

import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Small random lock-level litmus programs for checking the partial-order reduction: two or three
 * blocks started by P0 (as threads or forked processes), each a few statements over two or three
 * pages, with sometimes a kernel thread and background reclaim, readahead or swapoff. Mostly valid; the caller skips the
 * rest.
 */
final class RandomPrograms {
    private RandomPrograms() {}

    private static final String[] PAGES = {"x", "y", "z"};

    static String generate(Random rnd, int n) {
        int pages = 2 + rnd.nextInt(2);
        int blocks = 2 + rnd.nextInt(2);
        boolean swap = rnd.nextInt(4) != 0;
        StringBuilder b = new StringBuilder("MM random-" + n + "\n{\n");
        for (int i = 0; i < pages; i++) b.append("  anon ").append(PAGES[i]).append(" = 1;\n");
        if (swap) b.append(rnd.nextBoolean() ? "  swap sync_io;\n" : "  swap;\n");
        List<String> background = new ArrayList<>();
        if (swap && rnd.nextInt(4) == 0) background.add("reclaim");
        if (swap && rnd.nextInt(8) == 0) background.add("readahead");
        if (swap && rnd.nextInt(8) == 0) background.add("swapoff");
        if (!background.isEmpty()) b.append("  kernel ").append(String.join(", ", background)).append(";\n");
        b.append("  interleave ptlock;\n}\n");
        List<String> p0 = new ArrayList<>();
        List<Integer> threads = new ArrayList<>();
        for (int c = 1; c < blocks; c++) {
            boolean thread = rnd.nextBoolean();
            if (thread) threads.add(c);
            // Sometimes P0 does something before starting the others.
            if (rnd.nextInt(3) == 0) p0.add(statement(rnd, pages, 0, swap));
            p0.add((thread ? "clone(P" : "fork(P") + c + ");");
        }
        int body = 1 + rnd.nextInt(3);
        for (int i = 0; i < body; i++) p0.add(statement(rnd, pages, 0, swap));
        for (int c : threads) if (rnd.nextBoolean()) p0.add("wait(P" + c + ");");
        block(b, "P0", p0);
        for (int c = 1; c < blocks; c++) {
            List<String> s = new ArrayList<>();
            int len = 1 + rnd.nextInt(4);
            for (int i = 0; i < len; i++) s.add(statement(rnd, pages, c, swap));
            block(b, "P" + c, s);
        }
        if (swap && rnd.nextInt(3) == 0) {
            block(b, "K0", List.of(rnd.nextInt(3) == 0 ? "swapoff();"
                    : "reclaim(" + rnd.nextInt(blocks) + ":" + PAGES[rnd.nextInt(pages)] + ");"));
        }
        b.append("exists (0:x=2)\n");
        return b.toString();
    }

    private static int reg;

    private static String statement(Random rnd, int pages, int block, boolean swap) {
        String x = PAGES[rnd.nextInt(pages)];
        int v = 2 + rnd.nextInt(3);
        switch (rnd.nextInt(swap ? 9 : 7)) {
            case 0:
            case 1:
                return "*" + x + " = " + v + ";";
            case 2:
            case 3:
                return "r" + (reg++ % 4) + " = *" + x + ";";
            case 4: {
                String ref = "p" + block + "_" + (reg++ % 4);
                String fast = rnd.nextBoolean() ? " | FOLL_FAST" : "";
                return ref + " = pin(" + x + ", FOLL_WRITE | FOLL_LONGTERM" + fast + "); *" + ref + " = " + v + ";";
            }
            case 5:
                return rnd.nextInt(3) == 0 ? "munmap(" + x + ");" : "r" + (reg++ % 4) + " = *" + x + ";";
            case 6:
                return "madvise(" + x + ", MADV_DONTNEED);";
            default:
                return "madvise(" + x + ", MADV_PAGEOUT);";
        }
    }

    private static void block(StringBuilder b, String name, List<String> stmts) {
        b.append(name).append(" {\n");
        for (String s : stmts) b.append("  ").append(s).append('\n');
        b.append("}\n");
    }
}
