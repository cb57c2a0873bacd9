package org.mmcheck.real;

import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.mmcheck.sem.Program;

/**
 * Compares the model's observation of a step with the real kernel's.
 *
 * <p>Compared, per live process and named page: the kind of entry (none, present, zero page, swap);
 * for present pages whether two entries share a page (model page id ⇔ PFN, as a bijection within
 * the step), PageAnonExclusive, mapcount, KSM, swap cache and writeback; for swap entries whether two entries
 * share a slot. Per process: alive or exited, and every register. Not compared: flags (the checker's
 * verdicts), refcounts and pins (kpagecount is the mapcount), raw PFNs or swap offsets across steps
 * (the allocator reuses them), the swap cache of pages that no PTE maps (pagemap cannot reach them), and
 * a mapped page the kernel still keeps in the swap cache where the model already freed it (transient
 * references decide that on the kernel; seen once in about ten runs of seed-stable-writes).
 */
public final class Compare {
    private final Program prog;

    public Compare(Program prog) {
        this.prog = prog;
    }

    Program program() {
        return prog;
    }

    /** The differences of one step, empty when the step agrees. */
    public List<String> diff(Obs.Step model, Obs.Step real) {
        List<String> d = new ArrayList<>();
        Map<Long, Long> m2r = new HashMap<>(), r2m = new HashMap<>();
        Map<Long, Long> sm2r = new HashMap<>(), sr2m = new HashMap<>();
        for (int p = 0; p < prog.procCount(); p++) {
            Obs.ProcObs mp = proc(model, p), rp = proc(real, p);
            if (mp.life() != rp.life()) {
                d.add("P" + p + ": model " + life(mp.life()) + ", kernel " + life(rp.life()));
                continue;
            }
            if (mp.life() == Obs.Life.NOT_STARTED) continue;
            for (int r = 0; r < prog.regs.get(p).size(); r++) {
                int mv = r < mp.regs().length ? mp.regs()[r] : 0, rv = r < rp.regs().length ? rp.regs()[r] : 0;
                if (mv != rv) d.add(p + ":" + prog.regs.get(p).get(r) + ": model " + mv + ", kernel " + rv);
            }
            if (mp.life() != Obs.Life.LIVE) continue;
            for (int x = 0; x < prog.pages.size(); x++) {
                String where = "P" + p + ":" + prog.pages.get(x);
                Obs.PageObs a = x < mp.pages().size() ? mp.pages().get(x) : Obs.PageObs.NONE;
                Obs.PageObs b = x < rp.pages().size() ? rp.pages().get(x) : Obs.PageObs.NONE;
                if (a.kind() != b.kind()) {
                    d.add(where + ": model " + a.kind().name().toLowerCase() + ", kernel " + b.kind().name().toLowerCase());
                    continue;
                }
                if (a.kind() == Obs.Kind.SWAP) {
                    if (!biject(sm2r, sr2m, a.cls(), b.cls())) {
                        d.add(where + ": swap entry shared differently (model slot#" + a.cls() + ")");
                    }
                }
                if (a.kind() != Obs.Kind.PRESENT) continue;
                if (!biject(m2r, r2m, a.cls(), b.cls())) {
                    d.add(where + ": page shared differently (model page#" + a.cls() + ", kernel pfn " + b.cls() + ")");
                }
                if (a.exclusive() != b.exclusive()) d.add(where + ": anon-exclusive model " + a.exclusive() + ", kernel " + b.exclusive());
                if (a.mapcount() != b.mapcount()) d.add(where + ": mapcount model " + a.mapcount() + ", kernel " + b.mapcount());
                if (a.ksm() != b.ksm()) d.add(where + ": ksm model " + a.ksm() + ", kernel " + b.ksm());
                if (a.writeback() != b.writeback()) {
                    d.add(where + ": writeback model " + a.writeback() + ", kernel " + b.writeback());
                }
                // The kernel may keep a page in the swap cache longer than the model: should_try_to_free_swap
                // and friends test the refcount, which transient holders (per-CPU LRU batches) raise at
                // random. The model has no transient references, so only the converse is a disagreement.
                if (a.swapcache() && !b.swapcache()) d.add(where + ": swapcache model true, kernel false");
            }
        }
        return d;
    }

    private static boolean biject(Map<Long, Long> ab, Map<Long, Long> ba, long a, long b) {
        Long pb = ab.putIfAbsent(a, b), pa = ba.putIfAbsent(b, a);
        return (pb == null || pb == b) && (pa == null || pa == a);
    }

    private static Obs.ProcObs proc(Obs.Step s, int p) {
        for (Obs.ProcObs po : s.procs()) if (po.proc() == p) return po;
        return new Obs.ProcObs(p, Obs.Life.NOT_STARTED, new int[0], List.of());
    }

    private static String life(Obs.Life l) {
        return l == Obs.Life.NOT_STARTED ? "not started" : l == Obs.Life.LIVE ? "running" : "exited";
    }

    /** Both states side by side, one row per process and page. */
    public String sideBySide(Obs.Step model, Obs.Step real) {
        List<String[]> rows = new ArrayList<>();
        rows.add(new String[] {"", "model", "kernel"});
        Map<Long, String> mNames = new HashMap<>(), rNames = new HashMap<>();
        for (int p = 0; p < prog.procCount(); p++) {
            Obs.ProcObs mp = proc(model, p), rp = proc(real, p);
            if (mp.life() == Obs.Life.NOT_STARTED && rp.life() == Obs.Life.NOT_STARTED) continue;
            rows.add(new String[] {"P" + p, life(mp.life()) + regs(p, mp), life(rp.life()) + regs(p, rp)});
            for (int x = 0; x < prog.pages.size(); x++) {
                String a = x < mp.pages().size() ? name(mp.pages().get(x), mNames, "page", "slot") : "";
                String b = x < rp.pages().size() ? name(rp.pages().get(x), rNames, "pfn", "swp") : "";
                if (a.isEmpty() && b.isEmpty()) continue;
                rows.add(new String[] {"  " + prog.pages.get(x), a, b});
            }
        }
        int w0 = 0, w1 = 0;
        for (String[] r : rows) {
            w0 = Math.max(w0, r[0].length());
            w1 = Math.max(w1, r[1].length());
        }
        StringBuilder sb = new StringBuilder();
        for (String[] r : rows) {
            sb.append("      ").append(pad(r[0], w0)).append("  ").append(pad(r[1], w1)).append("  ").append(r[2]).append('\n');
        }
        return sb.toString();
    }

    private String regs(int p, Obs.ProcObs po) {
        if (po.life() == Obs.Life.NOT_STARTED || prog.regs.get(p).isEmpty()) return "";
        StringBuilder b = new StringBuilder();
        for (int r = 0; r < prog.regs.get(p).size(); r++) {
            b.append(' ').append(prog.regs.get(p).get(r)).append('=').append(r < po.regs().length ? po.regs()[r] : 0);
        }
        return b.toString();
    }

    /** Pages and slots get small letters in order of appearance, so both sides read alike. */
    private static String name(Obs.PageObs o, Map<Long, String> names, String page, String slot) {
        long key = o.kind() == Obs.Kind.SWAP ? -1 - o.cls() : o.cls();
        String n = names.computeIfAbsent(key, k -> (o.kind() == Obs.Kind.SWAP ? "S" : "A") + (names.size() + 1));
        return o.describe(n);
    }

    private static String pad(String s, int w) {
        return s.length() >= w ? s : s + " ".repeat(w - s.length());
    }
}
