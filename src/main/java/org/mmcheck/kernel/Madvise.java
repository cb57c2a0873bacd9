package org.mmcheck.kernel;

import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.Vma;

/** mm/madvise.c: the advice that changes VMA flags or drops pages. */
public final class Madvise {
    private final Kernel k;

    Madvise(Kernel k) {
        this.k = k;
    }

    /** @return false when there is no VMA (ENOMEM) */
    private boolean hasVma(int p, int x) {
        if (k.procView(p).vmas[x] != null) return true;
        k.log("madvise: no VMA -> ENOMEM");
        return false;
    }

    // 5.19 mm/madvise.c madvise_dontneed_single_vma: zap; the next touch faults in zeroes.
    public boolean madviseDontneed(int p, int x) {
        if (!hasVma(p, x)) return false;
        k.log("madvise_dontneed_single_vma:");
        k.trace.enter();
        k.memory.zapPteRange(p, x);
        k.trace.leave();
        return true;
    }

    // 5.19 mm/madvise.c madvise_behavior: MADV_DONTFORK / MADV_DOFORK toggle VM_DONTCOPY.
    public boolean setDontcopy(int p, int x, boolean on) {
        if (!hasVma(p, x)) return false;
        Proc pr = k.proc(p);
        pr.vmas[x] = pr.vmas[x].withDontcopy(on);
        k.log("madvise_behavior: VM_DONTCOPY %s", on ? "set" : "cleared");
        return true;
    }

    // 5.19 mm/madvise.c madvise_behavior: MADV_WIPEONFORK / MADV_KEEPONFORK toggle VM_WIPEONFORK.
    public boolean setWipeOnFork(int p, int x, boolean on) {
        if (!hasVma(p, x)) return false;
        Proc pr = k.proc(p);
        pr.vmas[x] = pr.vmas[x].withWipeOnFork(on);
        k.log("madvise_behavior: VM_WIPEONFORK %s", on ? "set" : "cleared");
        return true;
    }

    // 5.19 mm/madvise.c madvise_cold_or_pageout_pte_range: reclaim pages mapped only by this process.
    public boolean madvisePageout(int p, int x) {
        if (!hasVma(p, x)) return false;
        Pte t = k.pte(p, x);
        if (!t.mapsPage()) {
            k.log("madvise_pageout: %s, nothing to page out", t);
            return true;
        }
        Page page = k.s.page(t.target());
        if (page.mapcount != 1) {
            k.log("madvise_pageout: page#%d mapcount=%d, maybe shared -> skip", page.id, page.mapcount);
            return true;
        }
        k.log("madvise_pageout -> reclaim_pages:");
        k.trace.enter();
        k.vmscan.shrinkFolioList(page);
        k.trace.leave();
        return true;
    }

    // 5.19 mm/ksm.c ksm_madvise: MADV_MERGEABLE / MADV_UNMERGEABLE (the latter unmerges first).
    public boolean setMergeable(int p, int x, boolean on) {
        if (!hasVma(p, x)) return false;
        Proc pr = k.proc(p);
        if (!on && pr.vmas[x].mergeable()) k.ksm.unmergeKsmPages(p, x);
        pr.vmas[x] = pr.vmas[x].withMergeable(on);
        k.log("ksm_madvise: VM_MERGEABLE %s", on ? "set" : "cleared");
        return true;
    }

    /** Current VMA of a page, for callers that need its flags. */
    public Vma vma(int p, int x) {
        return k.procView(p).vmas[x];
    }
}
