package org.mmcheck.real;

import java.util.List;

/**
 * What one step shows, in the same shape for the model and the real kernel, so that they can be
 * compared field by field.
 */
public final class Obs {
    private Obs() {}

    /** Kind of a page-table entry as user space sees it through pagemap. */
    public enum Kind {
        NONE('-'), PRESENT('P'), ZERO('Z'), SWAP('S');
        public final char c;
        Kind(char c) { this.c = c; }
    }

    /**
     * One named page of one process.
     *
     * @param cls       PRESENT: the page (model page id, real PFN); SWAP: the swap entry (slot id,
     *                  real type/offset); only equality within one snapshot means anything
     * @param exclusive PageAnonExclusive (kpageflags ANON and bit 34)
     * @param mapcount  the page's mapcount (kpagecount)
     * @param ksm       a KSM page
     * @param swapcache in the swap cache
     * @param writeback under writeback (PG_writeback): only ever true while a schedule holds the writes
     */
    public record PageObs(Kind kind, long cls, boolean exclusive, int mapcount, boolean ksm, boolean swapcache,
                          boolean writeback) {
        public static final PageObs NONE = new PageObs(Kind.NONE, 0, false, 0, false, false, false);

        /** An entry that is not a present page: only its kind and class mean anything. */
        public static PageObs of(Kind kind, long cls) {
            return new PageObs(kind, cls, false, 0, false, false, false);
        }

        public PageObs withoutKsm() {
            return ksm ? new PageObs(kind, cls, exclusive, mapcount, false, swapcache, writeback) : this;
        }

        public String describe(String clsName) {
            switch (kind) {
                case NONE: return "none";
                case ZERO: return "zero-page";
                case SWAP: return "swap(" + clsName + ")";
                default:
                    return clsName + "{map=" + mapcount + (exclusive ? " excl" : "") + (ksm ? " ksm" : "")
                            + (swapcache ? " swapcache" : "") + (writeback ? " writeback" : "") + "}";
            }
        }
    }

    public enum Life { NOT_STARTED, LIVE, EXITED }

    /** One process: alive or not, its registers, and its pages (empty unless LIVE). */
    public record ProcObs(int proc, Life life, int[] regs, List<PageObs> pages) {
        public ProcObs withoutKsm() {
            return new ProcObs(proc, life, regs, pages.stream().map(PageObs::withoutKsm).toList());
        }
    }

    /** The state after one step (step 0: after the declarations, before the first statement). */
    public record Step(int index, String actor, String statement, List<ProcObs> procs) {
        /** The same step with the KSM bit cleared everywhere: for kernels whose KPF_KSM cannot be read. */
        public Step withoutKsm() {
            return new Step(index, actor, statement, procs.stream().map(ProcObs::withoutKsm).toList());
        }
    }
}
