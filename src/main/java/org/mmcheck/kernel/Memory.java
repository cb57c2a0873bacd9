package org.mmcheck.kernel;

import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.model.Vma;

/** mm/memory.c: page faults, copy-on-write, the fork-time PTE copy and PTE teardown. */
public final class Memory {
    /** How a fault ended. */
    public enum Fault { OK, SIGSEGV }

    private final Kernel k;

    Memory(Kernel k) {
        this.k = k;
    }

    /** A user access by the process: the VMA must allow it (else SIGSEGV), then handle_mm_fault. */
    // 5.19 arch/x86/mm/fault.c access_error + mm/memory.c handle_mm_fault: fault until the access can proceed.
    public Fault handleMmFault(int p, int x, boolean write, boolean unshare) {
        Vma vma = k.procView(p).vmas[x];
        if (vma == null || !(write ? vma.write() : vma.read())) {
            k.log("handle_mm_fault: %s access to %s -> SIGSEGV", write ? "write" : "read",
                    vma == null ? "no VMA" : "VMA without permission");
            return Fault.SIGSEGV;
        }
        return handlePteFault(p, x, write, unshare, false);
    }

    /**
     * A fault on behalf of GUP, which has checked the VMA itself. With FOLL_FORCE the VMA's protection may
     * forbid the access (VM_MAYREAD / VM_MAYWRITE allow it): a forced write breaks COW (or reuses an
     * exclusive page) and leaves the PTE dirty but read-only, since the VMA has no VM_WRITE.
     */
    // 5.19 mm/gup.c faultin_page -> handle_mm_fault.
    public void handleMmFaultForGup(int p, int x, boolean write, boolean unshare, boolean force) {
        handlePteFault(p, x, write, unshare, force);
    }

    // 5.19 mm/memory.c handle_pte_fault: dispatch on the PTE until it allows the access.
    private Fault handlePteFault(int p, int x, boolean write, boolean unshare, boolean force) {
        for (int round = 0; round < 8; round++) {
            Pte t = k.pte(p, x);
            if (t.isNone()) {
                doAnonymousPage(p, x, write);
            } else if (t.isSwap()) {
                doSwapPage(p, x, write);
            } else if (write && !t.write()) {
                doWpPage(p, x, false);
                // Without VM_WRITE the PTE stays read-only: a forced write is done once COW is broken.
                if (force && !k.procView(p).vmas[x].write()) return Fault.OK;
            } else if (unshare && !write && (t.isZeroPage() || mustUnshare(t))) {
                // GUP asked for the unshare (gup_must_unshare); for the zero page only 6.2+ asks.
                doWpPage(p, x, true);
                return Fault.OK;
            } else {
                return Fault.OK;
            }
        }
        throw new IllegalStateException("fault did not resolve for P" + p);
    }

    /** Whether the VMA and the PTE let process p access page x now, with no fault at all. */
    public boolean accessAllowed(int p, int x, boolean write) {
        Vma vma = k.procView(p).vmas[x];
        if (vma == null || !(write ? vma.write() : vma.read())) return false;
        Pte t = k.pte(p, x);
        return t.isPresent() && (!write || t.write());
    }

    /** gup_must_unshare for a R/O pin of the page this PTE maps (the variant decides). */
    public boolean mustUnshare(Pte t) {
        return t.mapsPage() && k.policy.gupMustUnshare(true, false, true, k.s.page(t.target()));
    }

    // 5.19 mm/memory.c do_anonymous_page: first touch of a private anonymous page.
    public void doAnonymousPage(int p, int x, boolean write) {
        if (!write) {
            k.setPte(p, x, Pte.zeroPage());
            k.log("do_anonymous_page: read fault, map the shared zero page R/O");
            return;
        }
        anonVmaPrepare(p, x);
        Page page = k.s.allocPage(0);
        k.rmap.folioAddNewAnonRmap(page, true);
        boolean w = k.proc(p).vmas[x].write();
        k.setPte(p, x, Pte.present(page.id, w, true, true));
        k.log("do_anonymous_page: write fault, new zeroed page#%d%s, PTE %s", page.id,
                page.anonExclusive ? " (anon-exclusive)" : "", k.pte(p, x));
    }

    // 5.19 mm/rmap.c anon_vma_prepare: the VMA gets its anon_vma with its first anonymous page.
    private void anonVmaPrepare(int p, int x) {
        Proc pr = k.proc(p);
        pr.vmas[x] = pr.vmas[x].withAnonVma();
    }

    // 5.19 mm/memory.c do_wp_page: write (or unshare) fault on a present R/O PTE.
    public void doWpPage(int p, int x, boolean unshare) {
        Pte t = k.pte(p, x);
        String what = unshare ? "unshare fault" : "write fault";
        if (t.isZeroPage()) {
            k.log("do_wp_page: %s on the zero page -> copy", what);
            k.trace.enter();
            wpPageCopy(p, x, null, unshare);
            k.trace.leave();
            return;
        }
        Page page = k.s.page(t.target());
        k.log("do_wp_page: %s on %s", what, page);
        k.trace.enter();
        boolean reuse = k.policy.wpCanReuse(k, page);
        if (reuse) {
            if (k.policy.hasAnonExclusive() && !page.anonExclusive) {
                page.anonExclusive = true;
                k.log("mark page#%d anon-exclusive", page.id);
            }
            if (unshare) {
                k.log("unshare: page#%d is exclusive, keep the R/O PTE", page.id);
            } else {
                wpPageReuse(p, x, page);
            }
        } else {
            wpPageCopy(p, x, page, unshare);
        }
        k.trace.leave();
    }

    // 5.19 mm/memory.c wp_can_reuse_anon_folio (5.19 spelt it inline in do_wp_page): refcount test.
    public boolean wpCanReuseAnonFolio(Page page) {
        if (k.policy.wpCopiesKsm(page.ksm) || page.refcount > 3) {
            k.log("wp_can_reuse_anon_folio: refcount=%d%s -> copy", page.refcount, page.ksm ? " ksm" : "");
            return false;
        }
        int cache = page.swapcache ? 1 : 0;
        if (page.refcount > 1 + cache) {
            k.log("wp_can_reuse_anon_folio: refcount=%d > 1+swapcache(%d) -> copy", page.refcount, cache);
            return false;
        }
        if (!k.trylockPage(page)) return false;
        if (page.swapcache) k.swapfile.tryToFreeSwap(page);
        if (page.refcount != 1) {
            k.log("wp_can_reuse_anon_folio: refcount=%d != 1 after trying to free swap -> copy", page.refcount);
            return false;
        }
        k.log("wp_can_reuse_anon_folio: refcount=1 -> reuse");
        return true;
    }

    // 5.19 mm/memory.c wp_page_reuse: make the PTE writable in place.
    public void wpPageReuse(int p, int x, Page page) {
        boolean w = k.proc(p).vmas[x].write();
        Pte old = k.pte(p, x);
        k.setPte(p, x, Pte.present(page.id, w, true, old.softDirty()));
        k.log("wp_page_reuse: page#%d, PTE %s", page.id, k.pte(p, x));
    }

    // 5.19 mm/memory.c wp_page_copy: give the faulting mm its own copy (or a zeroed page).
    public void wpPageCopy(int p, int x, Page old, boolean unshare) {
        anonVmaPrepare(p, x);
        Page copy = k.s.allocPage(old == null ? 0 : old.content);
        k.rmap.folioAddNewAnonRmap(copy, true);
        boolean w = !unshare && k.proc(p).vmas[x].write();
        Pte prev = k.pte(p, x);
        k.setPte(p, x, Pte.present(copy.id, w, !unshare, prev.softDirty()));
        k.log("wp_page_copy: new page#%d%s (val=%d), PTE %s", copy.id,
                copy.anonExclusive ? " (anon-exclusive)" : "", copy.content, k.pte(p, x));
        if (old != null) {
            k.rmap.pageRemoveRmap(old);
            k.s.putPage(old);
            if (k.s.isLive(old.id)) {
                k.log("old %s", old);
                if (old.swapcache && old.mapcount == 0) k.swapState.freeSwapCache(old);
            }
        }
    }

    /**
     * @param deferWrprotect leave the parent's PTE writable for now (lock-level interleaving: fork
     *                       write-protects it in a later step)
     * @return true when the parent's writable PTE was left for a later write-protect
     */
    // 5.19 mm/memory.c copy_present_pte: fork's copy of one present PTE into the child.
    public boolean copyPresentPte(int parent, int child, int x, boolean deferWrprotect) {
        Pte t = k.pte(parent, x);
        if (t.isZeroPage()) {
            k.setPte(child, x, t);
            k.log("copy_present_pte: zero page shared R/O");
            return false;
        }
        Page page = k.s.page(t.target());
        if (!k.rmap.tryDupAnonRmap(page, k.proc(parent))) {
            copyPresentPage(parent, child, x, page);
            return false;
        }
        page.refcount++;
        boolean defer = deferWrprotect && t.write();
        if (t.write() && !defer) k.setPte(parent, x, t.wrprotect());
        k.setPte(child, x, t.wrprotect());
        k.log(defer ? "copy_present_pte: share %s, child PTE R/O; the parent's is write-protected next"
                : "copy_present_pte: share %s, both PTEs R/O", page);
        return defer;
    }

    // 5.19 mm/memory.c copy_present_page: the child gets a copy of a possibly pinned page now.
    public void copyPresentPage(int parent, int child, int x, Page page) {
        Page copy = k.s.allocPage(page.content);
        k.rmap.folioAddNewAnonRmap(copy, true);
        boolean w = k.proc(child).vmas[x].write();
        k.setPte(child, x, Pte.present(copy.id, w, true, k.pte(parent, x).softDirty()));
        k.log("copy_present_page: %s may be pinned -> child gets new page#%d, parent PTE unchanged",
                page, copy.id);
    }

    // 5.19 mm/memory.c do_swap_page: fault on a swap PTE; decides exclusivity of the page mapped back.
    public void doSwapPage(int p, int x, boolean write) {
        k.staged.doSwapPageWhole(p, x, write);
    }

    // 5.19 mm/memory.c should_try_to_free_swap: a write fault by the only user frees the swap slot.
    public boolean shouldTryToFreeSwap(Page page, boolean write) {
        return page.swapcache && write && !page.ksm && page.refcount == 2;
    }

    // 5.19 mm/memory.c zap_pte_range: tear down one PTE (munmap, MADV_DONTNEED, exit).
    public void zapPteRange(int p, int x) {
        Pte t = k.pte(p, x);
        if (t.isNone()) return;
        k.setPte(p, x, Pte.NONE);
        if (t.isSwap()) {
            k.log("zap_pte_range: swap PTE slot#%d", t.target());
            k.trace.enter();
            k.swapfile.freeSwapAndCache(t.target());
            k.trace.leave();
            return;
        }
        if (t.isZeroPage()) {
            k.log("zap_pte_range: zero page");
            return;
        }
        Page page = k.s.page(t.target());
        k.rmap.pageRemoveRmap(page);
        k.s.putPage(page);
        if (k.trace.on()) k.log("zap_pte_range: unmap page#%d -> %s", page.id,
                k.s.isLive(page.id) ? page : "freed");
    }
}
