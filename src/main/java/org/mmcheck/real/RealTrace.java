package org.mmcheck.real;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Parses what the C programs print on the guest console. Only lines holding "@@ " count (kernel
 * messages share the console); a job's lines lie between "@@ RUN id" and "@@ DONE id rc".
 */
public final class RealTrace {
    /** kpageflags bits (include/uapi/linux/kernel-page-flags.h, plus the kernel-internal 34). */
    static final int KPF_WRITEBACK = 8, KPF_ANON = 12, KPF_SWAPCACHE = 13, KPF_KSM = 21, KPF_ZERO_PAGE = 24, KPF_ANON_EXCLUSIVE = 34;

    /**
     * One job: its steps, or what went wrong; {@code finals}: after the last step, what block p reads
     * at page i ({@code finals.get(p)[i]}, -1: nothing to read), for the blocks that ran.
     */
    public record Run(String id, List<Obs.Step> steps, List<String> notes, String error, boolean complete,
                      Map<Integer, int[]> finals) {}

    /** Console text → job id → run, with the page flags as the kernel reported them. */
    public static Map<String, Run> parse(String console, int nPagesHint) {
        Map<String, Run> out = new LinkedHashMap<>();
        String id = null;
        List<Obs.Step> steps = null;
        List<String> notes = null;
        Map<Integer, int[]> finals = null;
        String error = null;
        boolean ended = false;
        Obs.Step cur = null;
        List<Obs.ProcObs> procs = null;
        for (String raw : console.split("\r?\n")) {
            int at = raw.indexOf("@@ ");
            if (at < 0) continue;
            String[] f = raw.substring(at + 3).trim().split("\\s+");
            if (f.length == 0) continue;
            switch (f[0]) {
                case "RUN":
                    id = f[1];
                    steps = new ArrayList<>();
                    notes = new ArrayList<>();
                    finals = new LinkedHashMap<>();
                    error = null;
                    ended = false;
                    break;
                case "STEP": {
                    if (steps == null) break;
                    procs = new ArrayList<>();
                    cur = new Obs.Step(Integer.parseInt(f[1]), f[2], f.length > 3 ? f[3] : "", procs);
                    steps.add(cur);
                    break;
                }
                case "PROC": {
                    if (procs == null) break;
                    int[] regs = new int[f.length - 3];
                    for (int i = 3; i < f.length; i++) regs[i - 3] = Integer.parseInt(f[i]);
                    Obs.Life life = f[2].equals("live") ? Obs.Life.LIVE : Obs.Life.EXITED;
                    procs.add(new Obs.ProcObs(Integer.parseInt(f[1]), life, regs, new ArrayList<>()));
                    break;
                }
                case "PAGE": {
                    if (procs == null || procs.isEmpty()) break;
                    Obs.ProcObs po = procs.get(procs.size() - 1);
                    po.pages().add(page(f[3], Long.parseLong(f[4]), Long.parseUnsignedLong(f[5], 16),
                            Long.parseLong(f[6])));
                    break;
                }
                case "FINAL": {
                    if (finals == null || f.length < 4) break;
                    int p = Integer.parseInt(f[1]), i = Integer.parseInt(f[2]);
                    int[] row = finals.computeIfAbsent(p, k -> new int[Math.max(nPagesHint, 64)]);
                    if (i < row.length) row[i] = Integer.parseInt(f[3]);
                    break;
                }
                case "ERRNO":
                case "NOTE":
                    if (notes != null) notes.add(String.join(" ", f));
                    break;
                case "ERROR":
                    if (notes != null) error = String.join(" ", f);
                    break;
                case "END":
                    ended = true;
                    break;
                case "DONE":
                    if (id != null && f.length > 1 && f[1].equals(id)) {
                        String rc = f.length > 2 ? f[2] : "?";
                        if (!ended && error == null) error = "program stopped early (exit status " + rc + ")";
                        out.put(id, new Run(id, steps, notes, error, ended && error == null, finals));
                        id = null;
                        steps = null;
                        procs = null;
                    }
                    break;
                default:
                    break;
            }
        }
        if (id != null) out.put(id, new Run(id, steps, notes, error != null ? error : "no end of output (boot died or timed out)", false,
                finals));
        return out;
    }

    static Obs.PageObs page(String kind, long cls, long flags, long count) {
        switch (kind) {
            case "S":
                return Obs.PageObs.of(Obs.Kind.SWAP, cls);
            case "P": {
                if (bit(flags, KPF_ZERO_PAGE)) return Obs.PageObs.of(Obs.Kind.ZERO, 0);
                boolean anon = bit(flags, KPF_ANON);
                return new Obs.PageObs(Obs.Kind.PRESENT, cls, anon && bit(flags, KPF_ANON_EXCLUSIVE),
                        (int) count, bit(flags, KPF_KSM), bit(flags, KPF_SWAPCACHE), bit(flags, KPF_WRITEBACK));
            }
            default:
                return Obs.PageObs.NONE;
        }
    }

    private static boolean bit(long flags, int b) {
        return (flags >>> b & 1) != 0;
    }
}
