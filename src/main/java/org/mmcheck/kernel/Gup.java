package org.mmcheck.kernel;

import org.mmcheck.model.GupRef;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.Vma;

/** mm/gup.c: taking and dropping GUP references (FOLL_GET) and pins (FOLL_PIN). */
public final class Gup {
    /** What a GUP request asks for. */
    public record Request(boolean pin, boolean write, boolean longterm, boolean fast, boolean force) {
        @Override
        public String toString() {
            return (pin ? "FOLL_PIN" : "FOLL_GET") + (write ? "|FOLL_WRITE" : "") + (longterm ? "|FOLL_LONGTERM" : "")
                    + (force ? "|FOLL_FORCE" : "");
        }
    }

    private final Kernel k;

    Gup(Kernel k) {
        this.k = k;
    }

    /**
     * Takes one reference to process p's page x, GUP-fast first when asked, the slow path otherwise.
     *
     * @return the reference taken, or null when GUP failed
     */
    public GupRef getUserPages(int p, int x, Request req) {
        if (req.fast() && !req.force()) {
            GupRef r = gupFast(p, x, req);
            if (r != null) return r;
        }
        return getUserPagesSlow(p, x, req);
    }

    // 5.19 mm/gup.c lockless_pages_from_mm -> gup_pte_range: no faults; any obstacle falls back.
    private GupRef gupFast(int p, int x, Request req) {
        Page page = gupFastUsable(p, x, k.pte(p, x), req);
        if (page == null) return null;
        k.log("gup_fast: grab page#%d", page.id);
        return grab(p, x, page, req);
    }

    /** GUP-fast's tests of a PTE it read: the page it may grab, or null (and a note) to fall back. */
    // 5.19 mm/gup.c gup_pte_range: the checks before and after try_grab_folio.
    Page gupFastUsable(int p, int x, Pte t, Request req) {
        boolean needWrite = req.write() || k.policy.gupBreaksCowOnRead();
        // A PROT_NONE mapping keeps its page in a protnone PTE, which GUP-fast refuses.
        Vma vma = k.procView(p).vmas[x];
        if (vma == null || !vma.read() || !t.mapsPage() || (needWrite && !t.write())) {
            k.log("gup_fast: PTE %s not usable -> fall back to the slow path", t);
            return null;
        }
        Page page = k.s.pageAt(t.target());
        if (page == null) {
            k.log("gup_fast: page#%d is gone -> fall back to the slow path", t.target());
            return null;
        }
        if (k.policy.gupMustUnshare(req.pin(), req.write(), req.longterm(), page)) {
            k.log("gup_fast: gup_must_unshare(page#%d) -> fall back to the slow path", page.id);
            return null;
        }
        return k.s.page(page.id);
    }

    // 5.19 mm/gup.c __get_user_pages: check the VMA, fault until follow_page_pte succeeds, grab.
    GupRef getUserPagesSlow(int p, int x, Request req) {
        Proc pr = k.proc(p);
        Vma vma = pr.vmas[x];
        // FOLL_FORCE (ptrace, /proc/pid/mem) may use VM_MAYREAD / VM_MAYWRITE, always set here.
        if (vma == null || (!req.force() && (!vma.read() || (req.write() && !vma.write())))) {
            k.log("__get_user_pages(%s): VMA does not allow it -> -EFAULT", req);
            return null;
        }
        k.log("__get_user_pages(%s):", req);
        // 5.8 (17839856fd58): every GUP of a COW mapping asks for write access internally.
        boolean needWrite = req.write() || (k.policy.gupBreaksCowOnRead() && vma.write());
        if (needWrite && !req.write()) k.log("5.8: break COW even for a read-only GUP");
        boolean forced = req.force() && !(needWrite ? vma.write() : vma.read());
        boolean cowed = false; // FOLL_COW: a forced write fault already broke COW
        k.trace.enter();
        try {
            for (int round = 0; round < 8; round++) {
                Pte t = pr.ptes[x];
                if (t.isNone() || t.isSwap()) {
                    k.log("follow_page_pte: %s -> faultin_page", t);
                    faultinPage(p, x, req.write(), false, forced);
                    continue;
                }
                Page page = t.isZeroPage() ? null : k.s.page(t.target());
                if (needWrite && !t.write() && forced) {
                    // can_follow_write_pte: the variant decides (FOLL_COW up to 5.19, exclusive from 6.0).
                    if (!k.policy.forceWriteMayFollow(t, page, cowed)) {
                        k.log("follow_page_pte: FOLL_FORCE write to a R/O mapping -> faultin_page (write)");
                        faultinPage(p, x, true, false, true);
                        cowed = true;
                        continue;
                    }
                } else if (needWrite && !t.write()) {
                    k.log("follow_page_pte: PTE R/O for FOLL_WRITE -> faultin_page (write)");
                    faultinPage(p, x, true, false, false);
                    continue;
                }
                if (!t.write() && k.policy.gupMustUnshare(req.pin(), req.write(), req.longterm(), page)) {
                    k.log("follow_page_pte: gup_must_unshare(%s) -> faultin_page (FAULT_FLAG_UNSHARE)",
                            page == null ? "the zero page" : "page#" + page.id);
                    faultinPage(p, x, false, true, forced);
                    continue;
                }
                if (page == null) {
                    k.log("follow_page_pte: the zero page");
                    return grabZeroPage(p, x, req);
                }
                return grab(p, x, page, req);
            }
            throw new IllegalStateException("GUP did not converge");
        } finally {
            k.trace.leave();
        }
    }

    // 5.19 mm/gup.c faultin_page: a fault on behalf of GUP (write, or unshare for R/O pins).
    private void faultinPage(int p, int x, boolean write, boolean unshare, boolean force) {
        k.trace.enter();
        k.memory.handleMmFaultForGup(p, x, write, unshare, force);
        k.trace.leave();
    }

    // 5.19 mm/gup.c try_grab_page: FOLL_GET adds 1, FOLL_PIN adds GUP_PIN_COUNTING_BIAS.
    private GupRef grab(int p, int x, Page page, Request req) {
        if (req.pin()) {
            page.refcount += Page.PIN_BIAS;
            page.pins++;
            k.proc(p).hasPinned = true;
        } else {
            page.refcount++;
            page.gets++;
        }
        k.log("try_grab_page: %s", page);
        return newRef(p, x, page.id, page.content, req);
    }

    private GupRef grabZeroPage(int p, int x, Request req) {
        if (req.pin()) k.proc(p).hasPinned = true;
        return newRef(p, x, Pte.ZERO_PAGE, 0, req);
    }

    static GupRef newRef(int p, int x, int pageId, int value, Request req) {
        GupRef r = new GupRef();
        r.state = GupRef.State.HELD;
        r.pin = req.pin();
        r.write = req.write();
        r.longterm = req.longterm();
        r.owner = p;
        r.vpage = x;
        r.page = pageId;
        r.bound = true;
        r.lastValue = value;
        return r;
    }

    // 5.19 mm/gup.c unpin_user_page / put_page: drop the reference.
    public void release(GupRef r) {
        if (r.page != Pte.ZERO_PAGE) {
            Page page = k.s.page(r.page);
            if (r.pin) {
                page.pins--;
                page.refcount -= Page.PIN_BIAS - 1;
            } else {
                page.gets--;
            }
            k.s.putPage(page);
            if (k.trace.on()) k.log("%s: page#%d %s", r.pin ? "unpin_user_page" : "put_page", r.page,
                    k.s.isLive(r.page) ? "-> " + page : "freed");
        }
        r.state = GupRef.State.DROPPED;
    }

    /** What a read through the reference returns (the zero page reads as 0). */
    public int read(GupRef r) {
        return r.page == Pte.ZERO_PAGE ? 0 : k.s.page(r.page).content;
    }
}
