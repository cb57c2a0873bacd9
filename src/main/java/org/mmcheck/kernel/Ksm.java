package org.mmcheck.kernel;

import java.util.ArrayList;
import java.util.List;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.Vma;

/** mm/ksm.c: merging identical anonymous pages of mergeable ranges into write-protected KSM pages. */
public final class Ksm {
    /** A named page of one process. */
    public record Place(int proc, int vpage) {}

    private final Kernel k;

    Ksm(Kernel k) {
        this.k = k;
    }

    /** Mergeable present anonymous PTEs, in process and page order. */
    public List<Place> mergeablePlaces() {
        List<Place> out = new ArrayList<>();
        for (int p = 0; p < k.s.procs.length; p++) {
            Proc pr = k.procView(p);
            if (!pr.hasMm()) continue;
            for (int x = 0; x < pr.ptes.length; x++) {
                Vma v = pr.vmas[x];
                if (v != null && v.mergeable() && pr.ptes[x].mapsPage()) out.add(new Place(p, x));
            }
        }
        return out;
    }

    private Page pageAt(Place a) {
        Pte t = k.pte(a.proc(), a.vpage());
        return t.mapsPage() ? k.s.page(t.target()) : null;
    }

    private Page pageViewAt(Place a) {
        Pte t = k.pte(a.proc(), a.vpage());
        return t.mapsPage() ? k.s.pageView(t.target()) : null;
    }

    /** Could the page at {@code a} be merged with the one at {@code b} now? (Reads only.) */
    public boolean mergeable(Place a, Place b) {
        Page pa = pageViewAt(a);
        Page pb = pageViewAt(b);
        return pa != null && pb != null && pa.id != pb.id && !pa.ksm && pa.content == pb.content;
    }

    // 5.19 mm/ksm.c ksm_do_scan: one pass over every mergeable page, stable tree first, then unstable.
    public void ksmDoScan() {
        k.log("ksm_do_scan:");
        k.trace.enter();
        List<Place> unstable = new ArrayList<>();
        for (Place a : mergeablePlaces()) {
            Page page = pageAt(a);
            if (page == null || page.ksm) continue;
            Place partner = null;
            for (Place b : mergeablePlaces()) {
                Page pb = pageAt(b);
                if (pb != null && pb.ksm && mergeable(a, b)) {
                    partner = b;
                    break;
                }
            }
            if (partner == null) {
                for (Place b : unstable) {
                    if (mergeable(a, b)) {
                        partner = b;
                        break;
                    }
                }
            }
            if (partner == null) unstable.add(a);
            else cmpAndMergePage(a, partner);
        }
        k.trace.leave();
    }

    // 5.19 mm/ksm.c cmp_and_merge_page: merge into a stable KSM page, or merge two pages into a new one.
    public void cmpAndMergePage(Place a, Place b) {
        Page tree = pageAt(b);
        if (tree.ksm) {
            k.log("cmp_and_merge_page: P%d page#%d matches KSM page#%d", a.proc(), pageAt(a).id, tree.id);
            tryToMergeOnePage(a, tree);
        } else {
            tryToMergeTwoPages(a, b);
        }
    }

    // 5.19 mm/ksm.c try_to_merge_two_pages: the first page becomes the KSM page, the second maps it.
    private void tryToMergeTwoPages(Place a, Place b) {
        Page page = pageAt(a);
        k.log("try_to_merge_two_pages: page#%d (P%d) and page#%d (P%d)", page.id, a.proc(), pageAt(b).id, b.proc());
        if (!tryToMergeOnePage(a, null)) return;
        if (!tryToMergeOnePage(b, page)) {
            k.log("break_cow: undo the KSM page for P%d", a.proc());
            k.trace.enter();
            breakKsm(a);
            k.trace.leave();
        }
    }

    // 5.19 mm/ksm.c try_to_merge_one_page: write-protect the page, then map kpage in its place.
    private boolean tryToMergeOnePage(Place a, Page kpage) {
        Page page = pageAt(a);
        if (!k.trylockPage(page)) return false;
        if (!writeProtectPage(a, page)) return false;
        if (kpage == null) {
            page.ksm = true;
            page.dirty = true;
            k.log("page#%d becomes a KSM page", page.id);
            return true;
        }
        if (page.content != kpage.content) return false;
        replacePage(a, page, kpage);
        return true;
    }

    // 5.19 mm/ksm.c write_protect_page: no extra references, no pin, then a clean R/O PTE.
    private boolean writeProtectPage(Place a, Page page) {
        Pte t = k.pte(a.proc(), a.vpage());
        if (!(t.write() || t.dirty() || page.anonExclusive)) return true;
        int expected = page.mapcount + (page.swapcache ? 1 : 0);
        if (k.refcountSeenAfterClear(page) != expected) {
            k.log("write_protect_page: page#%d refcount=%d != mapcount+swapcache=%d -> fail", page.id,
                    page.refcount, expected);
            return false;
        }
        if (page.anonExclusive && !k.rmap.tryShareAnonRmap(page)) return false;
        if (t.dirty()) page.dirty = true;
        k.setPte(a.proc(), a.vpage(), Pte.present(page.id, false, false, t.softDirty()));
        k.log("write_protect_page: P%d's PTE to page#%d now clean and R/O", a.proc(), page.id);
        return true;
    }

    // 5.19 mm/ksm.c replace_page: map the KSM page R/O (never exclusive) and drop the old page.
    private void replacePage(Place a, Page page, Page kpage) {
        Pte t = k.pte(a.proc(), a.vpage());
        kpage.refcount++;
        k.rmap.pageAddAnonRmap(kpage, false);
        k.setPte(a.proc(), a.vpage(), Pte.present(kpage.id, false, false, t.softDirty()));
        k.rmap.pageRemoveRmap(page);
        k.s.putPage(page);
        if (k.trace.on()) k.log("replace_page: P%d now maps KSM page#%d; old page#%d %s", a.proc(), kpage.id, page.id,
                k.s.isLive(page.id) ? "kept: " + page : "freed");
        if (k.s.isLive(page.id)) k.swapState.freeSwapCache(page);
    }

    // 5.7 mm/ksm.c reuse_ksm_page (5.1 to 5.8): a KSM page mapped once, unshared, may be reused.
    public boolean reuseKsmPage(Page page) {
        boolean ok = !page.swapcache && page.refcount == 1 && page.mapcount == 1;
        k.log("reuse_ksm_page: page#%d refcount=%d mapcount=%d%s -> %s", page.id, page.refcount, page.mapcount,
                page.swapcache ? " swapcache" : "", ok ? "reuse" : "copy");
        // page_move_anon_rmap gives the page an anon_vma mapping again: it is no longer a KSM page, and
        // the stable tree drops its stale node when it next looks (get_ksm_page).
        if (ok) page.ksm = false;
        return ok;
    }

    // 5.19 mm/ksm.c break_ksm: a fault gives the process its own copy; a faked write fault up to 6.1,
    // an unshare fault (the PTE stays R/O) from 6.2.
    public void breakKsm(Place a) {
        Pte t = k.pte(a.proc(), a.vpage());
        if (!t.mapsPage() || !k.s.page(t.target()).ksm) return;
        k.memory.doWpPage(a.proc(), a.vpage(), k.policy.ksmBreaksByUnshare());
    }

    // 5.19 mm/ksm.c unmerge_ksm_pages: MADV_UNMERGEABLE breaks every KSM page of the range.
    public void unmergeKsmPages(int p, int x) {
        Pte t = k.pte(p, x);
        if (t.mapsPage() && k.s.page(t.target()).ksm) {
            k.log("unmerge_ksm_pages -> break_ksm:");
            k.trace.enter();
            breakKsm(new Place(p, x));
            k.trace.leave();
        }
    }
}
