package org.mmcheck.real;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mmcheck.litmus.Ast;
import org.mmcheck.sem.Program;

/**
 * Translates a litmus test into one C program in the style of the kernel's cow.c selftest: the
 * runtime ({@code prelude.c}, fixed) followed by one function per litmus block with one {@code case}
 * per statement, then the fixed schedule driver ({@code main.c}: {@code main} reads the schedule and
 * runs the blocks step by step). The schedule is not compiled in: the program takes it on the
 * command line, so one binary runs every schedule of its test.
 */
public final class CGen {
    private final Ast.Test test;
    private final Program prog;
    private final Map<String, String> pinPage = new HashMap<>();
    /** References that are read-only pins: gup_test's (see prelude.c). */
    private final java.util.Set<String> roPins = new java.util.HashSet<>();
    private final StringBuilder out = new StringBuilder();
    /** The test starts threads: exit() must then end one thread, not the whole process. */
    private final boolean threads;

    public CGen(Ast.Test test) {
        this.test = test;
        this.prog = new Program(test);
        for (Ast.Block b : test.blocks()) {
            for (Ast.Stmt st : b.body()) {
                if (st instanceof Ast.Pin p) pinPage.put(p.ref(), p.page());
                if (st instanceof Ast.Pin p && Reproducibility.readOnlyPin(p)) roPins.add(p.ref());
            }
        }
        boolean anyClone = false;
        for (int p = 0; p < prog.procCount(); p++) anyClone |= prog.isThread(p);
        threads = anyClone;
    }

    /** The whole C source. */
    public String generate() {
        out.append(resource("prelude.c"));
        out.append("\n/* ==== device-mapper control (dm.c) =========================================== */\n\n");
        out.append(resource("dm.c"));
        out.append("\n/* ==== the test ============================================================== */\n\n");
        out.append("/* MM ").append(test.name());
        if (test.description() != null && !test.description().isEmpty()) {
            out.append("\n * ").append(test.description().replace("*/", "* /"));
        }
        out.append(" */\n\n");
        out.append("#define NPAGES ").append(prog.pages.size()).append('\n');
        out.append("#define NREFS ").append(prog.refs.size()).append('\n');
        out.append("#define GUP_TEST ").append(roPins.isEmpty() ? 0 : 1).append("\n\n");
        for (int i = 0; i < prog.pages.size(); i++) {
            out.append("static char *const pg_").append(prog.pages.get(i)).append(" = PAGE_ADDR(").append(i).append(");\n");
        }
        for (int i = 0; i < prog.refs.size(); i++) {
            out.append("#define REF_").append(prog.refs.get(i)).append(' ').append(i).append('\n');
        }
        out.append("\nstatic pid_t child_pid[MAXPROC];\n");
        out.append("static void run_block(int p);\n\n");

        out.append("/* The declarations: \"anon x = v;\" is a store by P0 before the test starts. */\n");
        out.append("static void initial_stores(void)\n{\n");
        for (Ast.AnonDecl a : test.anons()) {
            if (a.init() != null) out.append("\tstore(pg_").append(a.name()).append(", ").append(a.init()).append(");\n");
        }
        out.append("}\n\n");

        List<Ast.Block> procs = new ArrayList<>();
        List<Ast.Block> kthreads = new ArrayList<>();
        for (Ast.Block b : test.blocks()) (b.kind() == Ast.BlockKind.PROCESS ? procs : kthreads).add(b);
        for (Ast.Block b : procs) processBlock(b);
        for (Ast.Block b : kthreads) kernelBlock(b);

        out.append("static void run_block(int p)\n{\n");
        out.append("\tbecome(p);\n");
        out.append("\tfor (int pc = 0;; pc++) {\n");
        out.append("\t\twait_turn();\n");
        out.append("\t\tswitch (p) {\n");
        for (Ast.Block b : procs) {
            out.append("\t\tcase ").append(b.index()).append(": ").append(b.label()).append("(pc); break;\n");
        }
        out.append("\t\t}\n\t}\n}\n\n");

        out.append("static void run_kernel(int t, int pc)\n{\n\tswitch (t) {\n");
        for (Ast.Block b : kthreads) {
            out.append("\tcase ").append(b.index()).append(": ").append(b.label()).append("(pc); break;\n");
        }
        out.append("\t}\n}\n\n");
        out.append(resource("main.c"));
        return out.toString();
    }

    private void processBlock(Ast.Block b) {
        out.append("/* ").append(b.label()).append(": one statement per turn. */\n");
        out.append("static void ").append(b.label()).append("(int pc)\n{\n");
        out.append("\tint v;\n\n\t(void)v;\n");
        out.append("\tswitch (pc) {\n");
        int pc = 0;
        for (Ast.Stmt st : b.body()) {
            out.append("\tcase ").append(pc++).append(": /* ").append(st.text()).append(" */\n");
            for (String line : processStmt(b.index(), st)) out.append("\t\t").append(line).append('\n');
            out.append("\t\tbreak;\n");
        }
        out.append("\t}\n}\n\n");
    }

    private static final String OK = "report(M_OK, -1, 0, 0, 0);";
    private static final String OK_OR_ERRNO = "report(M_OK, -1, 0, 0, %s < 0 ? errno : 0);";

    private List<String> processStmt(int p, Ast.Stmt st) {
        List<String> l = new ArrayList<>();
        if (st instanceof Ast.StorePage s) {
            l.add("store(pg_" + s.page() + ", " + s.value() + ");");
            l.add(OK);
        } else if (st instanceof Ast.LoadPage ld) {
            l.add("report(M_LOAD, " + prog.reg(p, ld.reg()) + ", load(pg_" + ld.page() + "), 0, 0); /* "
                    + ld.reg() + " */");
        } else if (st instanceof Ast.Fork f) {
            l.add("fflush(stdout);");
            l.add("child_pid[" + f.child() + "] = fork();");
            l.add("if (child_pid[" + f.child() + "] == 0)");
            l.add("\trun_block(" + f.child() + ");");
            l.add("report(M_FORK, " + f.child() + ", 0, child_pid[" + f.child() + "], 0);");
        } else if (st instanceof Ast.Clone c) {
            l.add("child_pid[" + c.child() + "] = start_thread(" + c.child() + ");");
            l.add("report(M_CLONE, " + c.child() + ", 0, child_pid[" + c.child() + "], 0);");
        } else if (st instanceof Ast.Exit && threads) {
            l.add("exit_thread();");
        } else if (st instanceof Ast.Exit) {
            l.add("report(M_EXIT, -1, 0, getpid(), 0);");
            l.add("_exit(0);");
        } else if (st instanceof Ast.Wait w && prog.isThread(w.child())) {
            l.add("/* the schedule only gets here once thread P" + w.child() + " is done; nothing to reap */");
            l.add(OK);
        } else if (st instanceof Ast.Wait w) {
            l.add("/* the schedule only gets here once P" + w.child() + " is done: reap it if it exited */");
            l.add("waitpid(child_pid[" + w.child() + "], NULL, WNOHANG);");
            l.add(OK);
        } else if (st instanceof Ast.Munmap m) {
            l.add(String.format(OK_OR_ERRNO, "munmap(pg_" + m.page() + ", PAGE)"));
        } else if (st instanceof Ast.Madvise m) {
            l.add(String.format(OK_OR_ERRNO, "madvise(pg_" + m.page() + ", PAGE, " + m.advice() + ")"));
        } else if (st instanceof Ast.Mprotect m) {
            String prot = m.prot() == Ast.Prot.PROT_READ_WRITE ? "PROT_READ | PROT_WRITE" : m.prot().name();
            l.add(String.format(OK_OR_ERRNO, "mprotect(pg_" + m.page() + ", PAGE, " + prot + ")"));
        } else if (st instanceof Ast.Get g) {
            l.add(String.format(OK_OR_ERRNO, "get_ro(REF_" + g.ref() + ", pg_" + g.page() + ")"));
        } else if (st instanceof Ast.Pin pn && Reproducibility.readOnlyPin(pn)) {
            String fast = pn.flags().contains(Ast.GupFlag.FOLL_FAST) ? "1" : "0";
            l.add(String.format(OK_OR_ERRNO, "pin_ro(REF_" + pn.ref() + ", pg_" + pn.page() + ", " + fast + ")"));
        } else if (st instanceof Ast.Pin pn) {
            l.add(String.format(OK_OR_ERRNO, "pin_rw(REF_" + pn.ref() + ", pg_" + pn.page() + ")"));
        } else if (st instanceof Ast.Put pt) {
            l.add("put_ro(REF_" + pt.ref() + ");");
            l.add(OK);
        } else if (st instanceof Ast.Unpin u) {
            l.add((roPins.contains(u.ref()) ? "unpin_ro(REF_" : "unpin_rw(REF_") + u.ref() + ");");
            l.add(OK);
        } else if (st instanceof Ast.LoadRef lr) {
            String call = roPins.contains(lr.ref()) ? "read_pin_ro(REF_" + lr.ref() + ", &v)"
                    : pinPage.containsKey(lr.ref())
                    ? "read_pin(REF_" + lr.ref() + ", pg_" + pinPage.get(lr.ref()) + ", &v)"
                    : "read_ro(REF_" + lr.ref() + ", &v)";
            l.add("if (" + call + " == 0)");
            l.add("\treport(M_LOAD, " + prog.reg(p, lr.reg()) + ", v, 0, 0); /* " + lr.reg() + " */");
            l.add("else");
            l.add("\t" + OK + " /* " + lr.ref() + " holds no page: a no-op */");
        } else if (st instanceof Ast.StoreRef sr) {
            if (pinPage.containsKey(sr.ref())) {
                l.add("write_pin(REF_" + sr.ref() + ", pg_" + pinPage.get(sr.ref()) + ", " + sr.value() + ");");
                l.add(OK);
            } else {
                l.add("/* not reproducible: a write through a read-only reference */");
                l.add("report(M_FAIL, -1, 0, 0, EINVAL);");
            }
        } else {
            l.add("report(M_FAIL, -1, 0, 0, ENOSYS); /* not a process statement */");
        }
        return l;
    }

    private void kernelBlock(Ast.Block b) {
        out.append("/* ").append(b.label()).append(": kernel-thread statements, run by the driver itself. */\n");
        out.append("static void ").append(b.label()).append("(int pc)\n{\n\tswitch (pc) {\n");
        int pc = 0;
        for (Ast.Stmt st : b.body()) {
            out.append("\tcase ").append(pc++).append(": /* ").append(st.text()).append(" */\n");
            if (st instanceof Ast.KsmScan) out.append("\t\tksm_scan();\n");
            else if (st instanceof Ast.Swapoff) out.append("\t\tdo_swapoff();\n");
            else if (st instanceof Ast.Reclaim r) {
                out.append("\t\treclaim_of(").append(r.proc()).append(", pg_").append(r.page()).append(");\n");
            } else out.append("\t\tprintf(\"@@ ERROR not reproducible\\n\");\n");
            out.append("\t\tbreak;\n");
        }
        out.append("\t}\n}\n\n");
    }

    /** A fixed part of every program: prelude.c (the runtime) or main.c (the schedule driver). */
    static String resource(String name) {
        try (InputStream in = CGen.class.getResourceAsStream(name)) {
            if (in == null) throw new IllegalStateException(name + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new IllegalStateException(e);
        }
    }
}
