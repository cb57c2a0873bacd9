package org.mmcheck.kernel;

import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;

/** mm/rmap.c and include/linux/rmap.h: mapcounts and the anon-exclusive marker. */
public final class Rmap {
    private final Kernel k;

    Rmap(Kernel k) {
        this.k = k;
    }

    // 5.19 mm/rmap.c page_add_new_anon_rmap: first mapping of a new page, exclusive if the kernel has the flag.
    public void folioAddNewAnonRmap(Page page, boolean exclusive) {
        page.mapcount = 1;
        page.anonExclusive = exclusive && k.policy.hasAnonExclusive();
    }

    // 5.19 mm/rmap.c page_add_anon_rmap: one more mapping of an existing anonymous page.
    public void pageAddAnonRmap(Page page, boolean exclusive) {
        page.mapcount++;
        if (exclusive && k.policy.hasAnonExclusive()) page.anonExclusive = true;
    }

    // 5.19 mm/rmap.c page_remove_rmap: one mapping fewer (the marker is left alone).
    public void pageRemoveRmap(Page page) {
        page.mapcount--;
    }

    // 5.19 include/linux/rmap.h page_try_dup_anon_rmap: fork shares the page unless it must be copied.
    public boolean tryDupAnonRmap(Page page, Proc parent) {
        if (k.policy.forkMustCopy(parent, page)) {
            k.log("page_try_dup_anon_rmap: page#%d exclusive and maybe pinned -> -EBUSY", page.id);
            return false;
        }
        if (page.anonExclusive) {
            page.anonExclusive = false;
            k.log("page_try_dup_anon_rmap: clear anon-exclusive of page#%d", page.id);
        }
        page.mapcount++;
        return true;
    }

    // 5.19 include/linux/rmap.h page_try_share_anon_rmap: give up exclusivity unless maybe pinned.
    public boolean tryShareAnonRmap(Page page) {
        if (k.policy.shareMustFail(k.refcountSeenAfterClear(page) >= Page.PIN_BIAS)) {
            k.log("page_try_share_anon_rmap: page#%d maybe pinned (refcount=%d) -> fail", page.id, page.refcount);
            return false;
        }
        page.anonExclusive = false;
        k.log("page_try_share_anon_rmap: clear anon-exclusive of page#%d", page.id);
        return true;
    }

    // 5.19 mm/rmap.c try_to_unmap: walk every mapping of the page; stop at the first that refuses.
    public boolean tryToUnmap(Page page) {
        for (int p = 0; p < k.s.procs.length; p++) {
            Proc pr = k.procView(p);
            if (!pr.hasMm()) continue;
            for (int x = 0; x < pr.ptes.length; x++) {
                Pte t = pr.ptes[x];
                if (t.mapsPage() && t.target() == page.id && !tryToUnmapOne(p, x, page)) return false;
            }
        }
        return page.mapcount == 0;
    }

    // 5.19 mm/rmap.c try_to_unmap_one: replace one PTE by a swap PTE, carrying exclusivity in its bit.
    public boolean tryToUnmapOne(int p, int x, Page page) {
        Pte t = k.pte(p, x);
        k.setPte(p, x, Pte.NONE);
        if (t.dirty()) page.dirty = true;
        boolean exclusive = page.anonExclusive;
        SwapSlot slot = k.s.slot(page.swapSlot);
        k.swapfile.swapDuplicate(slot);
        if (exclusive && !tryShareAnonRmap(page)) {
            k.swapfile.swapFree(slot);
            k.setPte(p, x, t);
            k.log("try_to_unmap_one: P%d keeps page#%d mapped", p, page.id);
            return false;
        }
        boolean bit = exclusive && k.policy.hasSwpExclusiveBit();
        k.setPte(p, x, Pte.swap(slot.id, bit, t.softDirty()));
        pageRemoveRmap(page);
        k.s.putPage(page);
        k.log("try_to_unmap_one: P%d's PTE -> swap entry slot#%d%s", p, slot.id,
                bit ? " with the exclusive bit" : exclusive ? " (exclusive, but no swp bit on this arch)" : "");
        return true;
    }
}
