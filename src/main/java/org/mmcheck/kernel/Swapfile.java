package org.mmcheck.kernel;

import org.mmcheck.model.InFlight;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.model.SwapSlot;

/** mm/swapfile.c: swap counts, freeing swap, and swapoff. */
public final class Swapfile {
    private final Kernel k;

    Swapfile(Kernel k) {
        this.k = k;
    }

    // 5.19 mm/swapfile.c swap_duplicate: one more swap PTE refers to the slot.
    public void swapDuplicate(SwapSlot slot) {
        slot.count++;
    }

    // 5.19 mm/swapfile.c swap_free: one swap PTE fewer; the slot goes when nothing uses it.
    public void swapFree(SwapSlot slot) {
        slot.count--;
        k.s.maybeFreeSlot(slot);
    }

    // 5.19 mm/swapfile.c try_to_free_swap (folio_free_swap since 6.0): drop a page from the swap cache.
    public boolean tryToFreeSwap(Page page) {
        if (!page.swapcache) return false;
        if (k.policy.freeSwapKeepsWriteback(page.writeback)) {
            k.log("try_to_free_swap: page#%d under writeback -> keep in swap cache", page.id);
            return false;
        }
        SwapSlot slot = k.s.slot(page.swapSlot);
        if (slot.count > 0) {
            k.log("try_to_free_swap: slot#%d still named by %d swap PTE(s) -> keep", slot.id, slot.count);
            return false;
        }
        page.dirty = true;
        k.swapState.deleteFromSwapCache(page);
        return true;
    }

    // 5.7 mm/swapfile.c reuse_swap_page: reuse when mappings + swap references are at most one.
    public boolean reuseSwapPage(Page page) {
        if (page.ksm) return false;
        int swapcount = page.swapcache ? k.s.slot(page.swapSlot).count : 0;
        int count = page.mapcount + swapcount;
        if (count == 1 && page.swapcache) {
            if (!page.writeback) {
                page.dirty = true;
                k.swapState.deleteFromSwapCache(page);
            } else if (k.s.swap.stableWrites()) {
                k.log("reuse_swap_page: page#%d under writeback to a SWP_STABLE_WRITES device -> no", page.id);
                return false;
            }
        }
        k.log("reuse_swap_page: mapcount %d + swapcount %d -> %s", page.mapcount, swapcount,
                count <= 1 ? "reuse" : "no");
        return count <= 1;
    }

    // 5.19 mm/swapfile.c free_swap_and_cache: a swap PTE went away (zap).
    public void freeSwapAndCache(int slotId) {
        SwapSlot slot = k.s.slot(slotId);
        slot.count--;
        k.log("free_swap_and_cache: slot#%d count -> %d", slot.id, slot.count);
        if (slot.count == 0 && slot.hasCache) {
            Page cache = k.s.swapCachePage(slot.id);
            if (cache != null && cache.mapcount == 0 && k.trylockPage(cache)) tryToFreeSwap(cache);
        }
        k.s.maybeFreeSlot(slot);
    }

    // 5.19 mm/memory.c copy_nonpresent_pte: fork shares the swap entry; neither copy stays exclusive.
    public void copyNonpresentPte(int parent, int child, int x) {
        Pte t = k.pte(parent, x);
        SwapSlot slot = k.s.slot(t.target());
        swapDuplicate(slot);
        if (k.policy.forkClearsSwpExclusive(t.exclusive())) {
            k.setPte(parent, x, t.withSwpExclusive(false));
            k.log("copy_nonpresent_pte: swap_duplicate slot#%d (count %d), clear the exclusive bit in parent and child",
                    slot.id, slot.count);
        } else {
            k.log("copy_nonpresent_pte: swap_duplicate slot#%d (count %d)", slot.id, slot.count);
        }
        // a patch that keeps the bit keeps it in both, as a fork that forgot to clear it would
        k.setPte(child, x, k.pte(parent, x));
    }

    // 5.19 mm/swapfile.c try_to_unuse: bring every swapped page back in, then drop the device. In one
    // step: the stages of tryToUnuseStep with nobody in between (it waits, like them, for a fault that
    // holds an entry's claim or the device).
    public void tryToUnuse() {
        while (!tryToUnuseStep()) {
            // one swap PTE per round
        }
    }

    /**
     * swapoff under lock-level interleaving: one swap PTE per step (unuse_pte takes and drops the PT
     * lock for each), other actors in between, and the device torn down in a last step.
     *
     * @return true when swapoff is done
     */
    // 5.19 mm/swapfile.c try_to_unuse, one entry at a time.
    public boolean tryToUnuseStep() {
        if (k.s.swap.writeOk()) {
            k.s.swap = k.s.swap.swapoffStarted();
            k.log("swapoff: SWP_WRITEOK cleared");
        }
        for (int p = 0; p < k.s.procs.length; p++) {
            Proc pr = k.procView(p);
            if (!pr.hasMm()) continue;
            for (int x = 0; x < pr.ptes.length; x++) {
                if (!pr.ptes[x].isSwap()) continue;
                if (k.s.slotView(pr.ptes[x].target()).claimed) {
                    throw new WouldBlock("swapcache_prepare of slot#" + pr.ptes[x].target() + " fails: a fault holds it");
                }
                unuseSwapEntry(p, x);
                return false;
            }
        }
        // 5.14+: swapoff waits (percpu_ref) for the faults that took the device with get_swap_device.
        if (k.policy.swapInGetsSwapDevice()) {
            for (InFlight f : k.s.inflight) {
                if (f != null && f.path() == InFlight.Path.SWAP_IN && f.stage() >= 3) {
                    throw new WouldBlock("swapoff waits for a do_swap_page that holds the device");
                }
            }
        }
        tearDown();
        return true;
    }

    /** What is left in the swap cache goes, then the device. */
    private void tearDown() {
        for (Page view : k.s.pages()) {
            if (view.swapcache) {
                Page page = k.s.page(view.id);
                k.lockPage(page);
                if (page.writeback) k.pageIo.endSwapBioWrite(page);
                k.log("try_to_unuse: drop leftover swap-cache page#%d", page.id);
                k.swapState.deleteFromSwapCache(page);
            }
        }
        k.s.swap = new SwapDevice(false, k.s.swap.stableWrites(), k.s.swap.syncIo(), false);
        k.log("swapoff: device removed");
    }

    // 5.19 mm/swapfile.c unuse_pte_range: find the page for one swap PTE, wait for writeback, unuse it.
    private void unuseSwapEntry(int p, int x) {
        SwapSlot slot = k.s.slot(k.pte(p, x).target());
        Page page = k.swapState.readSwapCacheAsync(slot);
        k.lockPage(page);
        page.refcount++; // our lookup reference
        if (page.writeback) {
            k.log("unuse_pte_range: wait for writeback of page#%d", page.id);
            k.pageIo.endSwapBioWrite(page);
        }
        unusePte(p, x, page);
        tryToFreeSwap(page);
        k.s.putPage(page);
    }

    // 5.19 mm/swapfile.c unuse_pte: map the page again, R/O, exclusive iff the swap PTE said so.
    private void unusePte(int p, int x, Page page) {
        Pte old = k.pte(p, x);
        SwapSlot slot = k.s.slot(old.target());
        boolean exclusive = old.exclusive();
        page.refcount++;
        k.rmap.pageAddAnonRmap(page, exclusive);
        k.setPte(p, x, Pte.present(page.id, false, false, old.softDirty()));
        swapFree(slot);
        k.log("unuse_pte: P%d maps page#%d R/O%s", p, page.id, exclusive ? ", RMAP_EXCLUSIVE from the swap PTE" : "");
    }
}
