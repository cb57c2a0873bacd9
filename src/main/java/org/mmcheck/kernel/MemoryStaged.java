package org.mmcheck.kernel;

import org.mmcheck.model.InFlight;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.model.Vma;

/**
 * mm/memory.c under lock-level interleaving: the fault paths that drop the page-table lock in the
 * middle run as stages, with an {@link InFlight} record in the state between them, and redo the
 * checks the kernel redoes when it retakes the lock ({@code pte_same}), backing out where it backs
 * out. The decisions themselves are the ones of {@link Memory} and the variant's policy.
 */
public final class MemoryStaged {
    /** How one step of a user access ended. */
    public enum Access { DONE, PENDING, SIGSEGV }

    private final Kernel k;

    MemoryStaged(Kernel k) {
        this.k = k;
    }

    /**
     * One step of a user access by actor a (a process or thread) to page x of mm p: go on with the
     * fault path a is in the middle of, or fault until the PTE allows the access, stopping where a path
     * drops the PT lock. The record of a path in flight is the actor's; the page tables are the mm's.
     *
     * @return DONE when the access may proceed now, PENDING when a path is in flight
     */
    // 5.19 arch/x86/mm/fault.c + mm/memory.c handle_mm_fault, with the retry a user access makes.
    public Access handleMmFault(int a, int p, int x, boolean write) {
        InFlight f = k.s.inflight[a];
        if (f != null) {
            resume(a, p, f);
            if (k.s.inflight[a] != null) return Access.PENDING;
        }
        for (int round = 0; round < 8; round++) {
            Vma vma = k.procView(p).vmas[x];
            if (vma == null || !(write ? vma.write() : vma.read())) {
                k.log("handle_mm_fault: %s access to %s -> SIGSEGV", write ? "write" : "read",
                        vma == null ? "no VMA" : "VMA without permission");
                return Access.SIGSEGV;
            }
            Pte t = k.pte(p, x);
            if (t.isNone()) {
                k.memory.doAnonymousPage(p, x, write);
            } else if (t.isSwap()) {
                // handle_pte_fault read the swap PTE without the PT lock; do_swap_page goes on from it.
                k.log("do_swap_page [1/4]: %s fault on swp PTE %s (read without the PT lock)",
                        write ? "write" : "read", t);
                k.s.setInflight(a, InFlight.of(InFlight.Path.SWAP_IN, x, t, -1, false, false, write, 0));
                return Access.PENDING;
            } else if (write && !t.write()) {
                if (doWpPage(a, p, x)) return Access.PENDING;
            } else {
                return Access.DONE;
            }
        }
        throw new IllegalStateException("fault did not resolve for P" + p);
    }

    /** Runs the next stage of the path actor a is in the middle of, on mm p. */
    public void resume(int a, int p, InFlight f) {
        k.log("%s (cont.)", f.where());
        k.trace.enter();
        try {
            switch (f.path()) {
                case SWAP_IN:
                    if (f.stage() == 2) k.s.setInflight(a, doSwapPageLookup(p, f));
                    else if (f.stage() == 3) k.s.setInflight(a, doSwapPageMap(p, f));
                    else k.s.setInflight(a, doSwapPageRelease(f));
                    break;
                case WP_COPY:
                    wpPageCopyFinish(a, p, f);
                    break;
                default:
                    throw new IllegalStateException("unknown path " + f.path());
            }
        } finally {
            k.trace.leave();
        }
    }

    /**
     * Actor a dies with a path in flight (a SIGSEGV in another thread ends the whole group): what the
     * path holds is given back, as the kernel's fault would when the task is killed.
     */
    public void abandon(int a) {
        InFlight f = k.s.inflight[a];
        if (f == null) return;
        k.s.setInflight(a, null);
        k.log("%s abandoned: the task is killed", f.where());
        if (f.page() >= 0) {
            Page page = k.s.page(f.page());
            page.refcount -= f.heldRefs() - 1;
            k.s.putPage(page);
        }
        if (f.claimed() && k.s.slotAt(f.orig().target()) != null) {
            SwapSlot slot = k.s.slot(f.orig().target());
            slot.claimed = false;
            k.s.maybeFreeSlot(slot);
        }
    }

    // ---- do_swap_page

    // 5.19 mm/memory.c do_swap_page, first part (no PT lock): take the swap device (5.14+), then find
    // the page in the swap cache, or claim the entry (6.8+) and read it into a private page, or read it
    // into the swap cache.
    /** @return the record of stage 3, or null when the fault backs out */
    InFlight doSwapPageLookup(int p, InFlight f) {
        int x = f.vpage();
        boolean write = f.write();
        Pte orig = f.orig();
        if (!k.s.swap.present() || k.s.slotAt(orig.target()) == null) {
            entryGone(orig);
            return null;
        }
        SwapSlot slot = k.s.slot(orig.target());
        Page page = k.s.swapCachePage(slot.id);
        boolean fresh = false;
        boolean claimed = false;
        if (page != null) {
            page.refcount++;
            k.log("swap cache hit: %s", page);
        } else if (k.s.swap.syncIo() && slot.count == 1) {
            if (k.policy.swapInClaimsEntry()) {
                // 6.8 mm/swapfile.c swapcache_prepare: SWAP_HAS_CACHE already set means someone else is
                // swapping this entry in; the fault backs out and waits for it (01626a182302).
                if (slot.claimed || slot.hasCache) {
                    throw new WouldBlock("swapcache_prepare(slot#" + slot.id + ") fails: entry claimed");
                }
                slot.claimed = true;
                claimed = true;
                k.log("swapcache_prepare(slot#%d): entry claimed", slot.id);
            }
            page = k.s.allocPage(slot.content);
            fresh = true;
            k.log("SWP_SYNCHRONOUS_IO and swap count 1: skip the swap cache, read slot#%d into new page#%d",
                    slot.id, page.id);
        } else {
            page = k.swapState.readSwapCacheAsync(slot);
            page.refcount++;
        }
        return new InFlight(InFlight.Path.SWAP_IN, 3, x, orig, page.id, fresh, claimed, write, 0);
    }

    /**
     * The entry read in stage 1 is gone: freed by another fault or a zap (the lookup misses, the PTE has
     * changed, the fault retries), or its device torn down by swapoff. From 5.14 get_swap_device fails
     * and the fault retries; before, do_swap_page reads the freed device's swap_map (2799e77529c2).
     */
    private void entryGone(Pte orig) {
        if (!k.s.swap.present() && !k.policy.swapInGetsSwapDevice()) {
            k.monitor.useAfterFree(k, "do_swap_page looks up slot#" + orig.target()
                    + " of a swap device that swapoff has torn down");
            k.log("the swap device is gone: do_swap_page reads its freed swap_map -> back out");
        } else if (!k.s.swap.present()) {
            k.log("get_swap_device fails: swapoff is done -> back out, retry the fault");
        } else {
            k.log("slot#%d is free now: the lookup misses, the PTE has changed -> back out, retry", orig.target());
        }
    }

    // 5.19 mm/memory.c do_swap_page, second part: lock the page, take the PT lock, check that the PTE
    // is still the one read (pte_same) or back out; decide exclusivity and map.
    /** @return the record of stage 4 (a claim to release), or null when the path is done or backed out */
    InFlight doSwapPageMap(int p, InFlight f) {
        Page page = k.s.page(f.page());
        k.lockPage(page);
        int x = f.vpage();
        Pte orig = f.orig();
        if (!f.fresh() && !(page.swapcache && page.swapSlot == orig.target())) {
            k.log("page#%d left the swap cache of slot#%d -> back out, retry the fault", page.id, orig.target());
            return backOut(f, page);
        }
        Pte now = k.pte(p, x);
        if (!k.policy.swapInPteSame(now.equals(orig))) { // pte_same: by value (a reused swap offset compares equal)
            k.log("pte_same fails: PTE is now %s -> back out", now);
            return backOut(f, page);
        }
        k.log("pte_same ok: %s", orig);
        SwapSlot slot = k.s.slot(orig.target());
        boolean write = f.write();
        boolean reuse = k.policy.swapInReuse(k, page, f.fresh(), orig.exclusive(), slot, write);
        boolean writable = reuse && (write || k.policy.swapInMapsWritableOnRead()) && k.proc(p).vmas[x].write();
        if (f.fresh()) k.rmap.folioAddNewAnonRmap(page, reuse);
        else k.rmap.pageAddAnonRmap(page, reuse);
        k.setPte(p, x, Pte.present(page.id, writable, reuse && write, orig.softDirty()));
        k.log("PTE %s, %s", k.pte(p, x), page);
        return afterMap(f);
    }

    /** The fault gives up: its reference goes (a private page is freed), the claim too, and it retries. */
    private InFlight backOut(InFlight f, Page page) {
        k.s.putPage(page);
        return afterMap(f);
    }

    /** With a claim the path has a last stage (releasing it after the PT unlock); otherwise it is done. */
    private static InFlight afterMap(InFlight f) {
        return f.claimed() ? f.nextWithoutPage() : null;
    }

    // 6.8 mm/swap.c swapcache_clear: the claim taken by swapcache_prepare goes, after the PT unlock.
    /** @return null: the path is done */
    InFlight doSwapPageRelease(InFlight f) {
        SwapSlot slot = k.s.slotAt(f.orig().target()) == null ? null : k.s.slot(f.orig().target());
        if (slot == null || !slot.claimed) throw new IllegalStateException("claim of slot#" + f.orig().target() + " lost");
        slot.claimed = false;
        k.log("swapcache_clear(slot#%d): claim released%s", slot.id,
                slot.count == 0 && !slot.hasCache ? ", slot freed" : "");
        k.s.maybeFreeSlot(slot);
        return null;
    }

    /**
     * do_swap_page in one step (interleave atomic, and the fault that slow GUP takes): the same stages,
     * with nobody in between, so every recheck passes.
     */
    // 5.19 mm/memory.c do_swap_page.
    void doSwapPageWhole(int p, int x, boolean write) {
        Pte orig = k.pte(p, x);
        k.log("do_swap_page: %s fault on swp PTE %s", write ? "write" : "read", orig);
        k.trace.enter();
        InFlight f = doSwapPageLookup(p, InFlight.of(InFlight.Path.SWAP_IN, x, orig, -1, false, false, write, 0));
        if (f != null) f = doSwapPageMap(p, f);
        if (f != null) doSwapPageRelease(f);
        k.trace.leave();
    }

    // ---- do_wp_page / wp_page_copy

    /**
     * do_wp_page under the PT lock: reuse in place (done), or decide to copy, take a reference on the
     * old page and drop the lock.
     *
     * @return true when a copy is in flight
     */
    // 5.19 mm/memory.c do_wp_page -> wp_page_copy, first part.
    boolean doWpPage(int a, int p, int x) {
        Pte t = k.pte(p, x);
        Page old = null;
        if (t.isZeroPage()) {
            k.log("do_wp_page: write fault on the zero page -> copy");
        } else {
            old = k.s.page(t.target());
            k.log("do_wp_page: write fault on %s", old);
            k.trace.enter();
            boolean reuse = k.policy.wpCanReuse(k, old);
            k.trace.leave();
            if (reuse) {
                if (k.policy.hasAnonExclusive() && !old.anonExclusive) {
                    old.anonExclusive = true;
                    k.log("mark page#%d anon-exclusive", old.id);
                }
                k.memory.wpPageReuse(p, x, old);
                return false;
            }
            old.refcount++;
        }
        k.log("wp_page_copy [1/2]: copy needed; %s, PT lock dropped",
                old == null ? "zero page" : "reference taken on page#" + old.id);
        k.s.setInflight(a, InFlight.of(InFlight.Path.WP_COPY, x, t, old == null ? -1 : old.id, false, false, true, 0));
        return true;
    }

    // 5.19 mm/memory.c wp_page_copy, second part: copy the data, retake the PT lock, and install the
    // copy if the PTE is unchanged (pte_same); otherwise drop the copy. The reference taken in the
    // first part goes either way.
    void wpPageCopyFinish(int a, int p, InFlight f) {
        int x = f.vpage();
        Page old = f.page() < 0 ? null : k.s.page(f.page());
        Pte now = k.pte(p, x);
        k.s.setInflight(a, null);
        if (!k.policy.wpCopyPteSame(now.equals(f.orig()))) { // pte_same
            k.log("pte_same fails: PTE is now %s -> drop the copy, retry the fault", now);
        } else {
            k.log("pte_same ok");
            k.memory.wpPageCopy(p, x, old, false);
        }
        if (old != null) {
            k.s.putPage(old);
            if (k.trace.on()) k.log("put_page(page#%d): %s", old.id, k.s.isLive(old.id) ? old : "freed");
        }
    }
}
