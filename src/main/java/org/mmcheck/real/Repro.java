package org.mmcheck.real;

import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.mmcheck.litmus.Ast;
import org.mmcheck.sem.Program;

/**
 * A witness as a standalone C program: the test's C translation (as {@code real} runs it) with the
 * witness's schedule compiled in, a comment per step, and a check at the end that prints PASS when the
 * kernel reached the registers of the witness's outcome and FAIL when it did not. A flag cannot be
 * seen from user space: a flag witness runs its schedule and prints the snapshots to compare.
 */
public final class Repro {
    private Repro() {}

    /** One step of the witness: who runs, and the statement (for the comment). */
    public record Step(String actor, String statement) {}

    /**
     * @param what     "outcome 1:r0=2;" or "flag leak" (what the witness reaches)
     * @param outcome  the outcome's columns and values ({1:r0=2, 0:x=1}) when the witness reaches one, else null
     * @param variant  the model variant the witness is from
     */
    public static String program(Ast.Test test, String variant, String what, List<Step> steps,
                                 Map<String, Integer> outcome) {
        Program prog = new Program(test);
        String driver = new CGen(test).generate()
                .replace("int main(int argc, char **argv)", "static int run_schedule(int argc, char **argv)");
        List<String> schedule = new ArrayList<>();
        StringBuilder b = new StringBuilder(driver);
        b.append("\n/* ==== the reproducer ====================================================== */\n\n");
        b.append("/*\n * mmcheck repro: ").append(comment(test.name())).append(" under variant ").append(comment(variant))
                .append(", the witness of ").append(comment(what)).append("\n *\n");
        int n = 1;
        for (Step s : steps) {
            schedule.add(s.actor());
            b.append(" * step ").append(n++).append(": ").append(s.actor()).append(": ").append(comment(s.statement())).append('\n');
        }
        b.append(" *\n * Build: gcc -O2 -static -o repro repro.c\n");
        b.append(" * Run as root, with swap on where the test swaps: ./repro [SWAP-DEVICE]\n");
        b.append(" * (the device is only needed by swapoff(); each step prints an @@ snapshot line)\n */\n");
        b.append("static const char repro_schedule[] = \"").append(String.join(",", schedule)).append("\";\n\n");
        b.append("int main(int argc, char **argv)\n{\n");
        b.append("\tchar *args[] = { argv[0], argc > 1 ? argv[1] : \"none\", (char *)repro_schedule, NULL };\n");
        b.append("\tint failed = 0;\n\n");
        b.append("\trun_schedule(3, args);\n");
        List<String> checks = new ArrayList<>();
        if (outcome != null) {
            for (Map.Entry<String, Integer> e : outcome.entrySet()) {
                String column = e.getKey();
                int colon = column.indexOf(':');
                if (colon <= 0 || e.getValue() == null) continue; // a reference, or nothing to read
                int p = Integer.parseInt(column.substring(0, colon));
                String name = column.substring(colon + 1);
                if (p >= prog.regs.size() || !prog.regs.get(p).contains(name)) continue; // a page: seen in the snapshots
                int r = prog.reg(p, name);
                String t = column + "=" + e.getValue();
                int value = e.getValue();
                checks.add(t);
                b.append("\tif (regs[").append(p).append("][").append(r).append("] != ").append(value).append(") {\n");
                b.append("\t\tprintf(\"FAIL: ").append(t).append(" expected, the kernel gave %d\\n\", regs[").append(p)
                        .append("][").append(r).append("]);\n");
                b.append("\t\tfailed = 1;\n\t}\n");
            }
        }
        if (!checks.isEmpty()) {
            b.append("\tif (!failed)\n\t\tprintf(\"PASS: the kernel reached ").append(String.join(" ", checks))
                    .append(" as the witness does\\n\");\n");
        } else {
            b.append("\tprintf(\"DONE: ").append(comment(what).replace("\"", "'"))
                    .append(" is not visible in registers; compare the @@ snapshots with the model's witness\\n\");\n");
        }
        b.append("\treturn failed;\n}\n");
        return b.toString();
    }

    private static String comment(String s) {
        return s.replace("*/", "* /").replace("\n", " ");
    }
}
