package org.mmcheck.real;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.mmcheck.litmus.Ast;
import org.mmcheck.sem.Program;

/**
 * Which litmus statements a stock kernel can reproduce from user space, and why the others cannot.
 * A test with any reason is reported "not reproducible" and skipped: nothing is faked.
 */
public final class Reproducibility {
    private Reproducibility() {}

    /** Where the test runs: a QEMU guest (which we may reconfigure freely) or the machine itself. */
    public enum Target { GUEST, RUNNING }

    /** The reasons this test cannot be run as written on a kernel without CONFIG_GUP_TEST. */
    public static List<String> reasons(Ast.Test t, Target target) {
        return reasons(t, target, false);
    }

    /**
     * The reasons this test cannot be run as written (empty: it can), each with its position.
     *
     * @param gupTest the kernel has CONFIG_GUP_TEST (/sys/kernel/debug/gup_test) with its
     *                PIN_LONGTERM_TEST ioctls (6.2+): read-only long-term pins are taken through them
     */
    public static List<String> reasons(Ast.Test t, Target target, boolean gupTest) {
        List<String> out = new ArrayList<>();
        // Background activity runs where a schedule places it, caused by the driver (Schedules.background):
        // reclaim as MADV_PAGEOUT of the page, KSM as a scan, swapoff as swapoff(2). Readahead of one
        // chosen entry cannot be caused from user space.
        if (t.background().contains(Ast.Background.READAHEAD)) {
            out.add(at(t.pos()) + "background swap readahead (kernel readahead) of one chosen entry cannot be caused"
                    + " from user space");
        }
        if (t.background().contains(Ast.Background.SWAPOFF) && target == Target.RUNNING) {
            out.add(at(t.pos()) + "background swapoff (kernel swapoff) of the machine's own swap is not done on"
                    + " --kernel running");
        }
        Map<String, String> pinOwner = new HashMap<>();
        int roPins = 0;
        Map<String, Integer> pinCount = new HashMap<>();
        for (Ast.Block b : t.blocks()) {
            for (Ast.Stmt st : b.body()) {
                String why = statement(st, target, gupTest);
                if (why != null) out.add(at(st.pos()) + "'" + st.text() + "': " + why);
                if (st instanceof Ast.Pin p && readOnlyPin(p)) {
                    roPins++;
                } else if (st instanceof Ast.Pin p) {
                    pinOwner.put(p.ref(), b.label());
                    pinCount.merge(p.ref(), 1, Integer::sum);
                }
            }
        }
        // A pin is an io_uring ring of the pinning process: only that process (any of its threads,
        // which share its files and memory) can use it, and it must outlive the test (the ring, and
        // with it the pin, goes away when the process exits).
        int[] mmOf = new Program(t).mmOf;
        for (Ast.Block b : t.blocks()) {
            for (Ast.Stmt st : b.body()) {
                String ref = refUsed(st);
                if (ref != null && pinOwner.containsKey(ref) && !sameProcess(pinOwner.get(ref), b, mmOf)) {
                    out.add(at(st.pos()) + "'" + st.text() + "': pin " + ref + " is an io_uring ring of "
                            + pinOwner.get(ref) + "; another process cannot use it");
                }
                if (st instanceof Ast.Exit && pinOwner.containsValue(b.label())) {
                    out.add(at(st.pos()) + "'" + st.text() + "': exit closes the io_uring ring and drops the pin,"
                            + " while the model keeps it");
                }
            }
        }
        // gup_test holds one set of pinned pages for the whole kernel
        if (gupTest && roPins > 1) out.add(at(t.pos()) + "more than one read-only pin: gup_test holds one at a time");
        for (var e : pinCount.entrySet()) {
            if (e.getValue() > 1) out.add(at(t.pos()) + "pin " + e.getKey() + " is taken more than once");
        }
        int maxProc = 0;
        for (Ast.Block b : t.blocks()) if (b.kind() == Ast.BlockKind.PROCESS) maxProc = Math.max(maxProc, b.index());
        if (maxProc >= 8) out.add(at(t.pos()) + "more than 8 processes");
        if (t.anons().size() > 64) out.add(at(t.pos()) + "more than 64 pages");
        return out;
    }

    /** Block {@code label} (a P block's label) and block b run in one process (one is a thread of the other). */
    private static boolean sameProcess(String label, Ast.Block b, int[] mmOf) {
        if (label.equals(b.label())) return true;
        if (b.kind() != Ast.BlockKind.PROCESS || label.charAt(0) != 'P') return false;
        return mmOf[Integer.parseInt(label.substring(1))] == mmOf[b.index()];
    }

    private static String refUsed(Ast.Stmt st) {
        if (st instanceof Ast.LoadRef l) return l.ref();
        if (st instanceof Ast.StoreRef s) return s.ref();
        if (st instanceof Ast.Put p) return p.ref();
        if (st instanceof Ast.Unpin u) return u.ref();
        return null;
    }

    /** A pin without FOLL_WRITE: on a kernel with CONFIG_GUP_TEST, gup_test's; otherwise none. */
    public static boolean readOnlyPin(Ast.Pin p) {
        return !p.flags().contains(Ast.GupFlag.FOLL_WRITE);
    }

    private static String statement(Ast.Stmt st, Target target, boolean gupTest) {
        if (st instanceof Ast.Get g) {
            if (g.flags().contains(Ast.GupFlag.FOLL_WRITE)) {
                return "a writable FOLL_GET reference (an O_DIRECT transfer in flight) cannot be held from user"
                        + " space; io_uring would take a FOLL_PIN instead, which fork and reclaim treat differently";
            }
            if (g.flags().contains(Ast.GupFlag.FOLL_LONGTERM) || g.flags().contains(Ast.GupFlag.FOLL_FORCE)) {
                return "vmsplice takes a plain read-only FOLL_GET, without FOLL_LONGTERM/FOLL_FORCE";
            }
            return null;
        }
        if (st instanceof Ast.Pin p) {
            if (readOnlyPin(p) && !gupTest) {
                return "a read-only long-term pin needs gup_test's PIN_LONGTERM_TEST ioctls: CONFIG_GUP_TEST, which"
                        + " Debian kernels do not build, on Linux 6.2 or later";
            }
            if (readOnlyPin(p)) {
                boolean ok = p.flags().equals(Set.of(Ast.GupFlag.FOLL_LONGTERM))
                        || p.flags().equals(Set.of(Ast.GupFlag.FOLL_LONGTERM, Ast.GupFlag.FOLL_FAST));
                return ok ? null : "gup_test pins with FOLL_LONGTERM, optionally through GUP-fast, and nothing else";
            }
            if (!p.flags().equals(Set.of(Ast.GupFlag.FOLL_WRITE, Ast.GupFlag.FOLL_LONGTERM))) {
                return "io_uring fixed buffers pin with exactly FOLL_WRITE | FOLL_LONGTERM (slow path)";
            }
            return null;
        }
        if (st instanceof Ast.Readahead) return "swap readahead cannot be triggered for one chosen entry";
        if (st instanceof Ast.Swapoff && target == Target.RUNNING) {
            return "swapoff of the machine's own swap is not done on --kernel running";
        }
        if (st instanceof Ast.Reclaim r && r.proc() != 0) return null;
        return null;
    }

    static String at(org.mmcheck.litmus.Pos pos) {
        return pos == null ? "" : pos + ": ";
    }
}
