package org.mmcheck.kernel;

import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.Vma;

/** kernel/fork.c: duplicating the address space for a child. */
public final class Fork {
    private final Kernel k;

    Fork(Kernel k) {
        this.k = k;
    }

    // 5.19 kernel/fork.c dup_mmap -> mm/memory.c copy_page_range/copy_pte_range, per named page.
    public void dupMmap(int parent, int child) {
        dupMmap(parent, child, false);
    }

    /**
     * As {@link #dupMmap(int, int)}; with {@code deferWrprotect} the parent's writable PTEs of shared
     * pages are left writable, to be write-protected by {@link #dupMmapWrprotect} in a later step (the
     * window in which GUP-fast can still see them writable).
     *
     * @return the pages (bit x) whose parent PTE is still to write-protect
     */
    public int dupMmap(int parent, int child, boolean deferWrprotect) {
        int deferred = 0;
        Proc pp = k.proc(parent);
        Proc cp = k.proc(child);
        for (int x = 0; x < pp.vmas.length; x++) {
            Vma vma = pp.vmas[x];
            cp.ptes[x] = Pte.NONE;
            if (vma == null || vma.dontcopy()) {
                cp.vmas[x] = null;
                if (vma != null) k.log("dup_mmap: VM_DONTCOPY, child gets no VMA for page %d", x);
                continue;
            }
            cp.vmas[x] = vma;
            if (vma.wipeOnFork()) {
                cp.vmas[x] = new Vma(vma.read(), vma.write(), vma.dontcopy(), true, vma.mergeable(), false);
                k.log("dup_mmap: VM_WIPEONFORK, child VMA empty");
                continue;
            }
            if (!vma.anonVma()) {
                k.log("copy_page_range: no anon_vma, page tables not copied (the child faults afresh)");
                continue;
            }
            if (copyPteRange(parent, child, x, deferWrprotect)) deferred |= 1 << x;
        }
        return deferred;
    }

    /** @return true when the parent's PTE is left writable for now (see dupMmap) */
    // 5.19 mm/memory.c copy_pte_range: dispatch on the kind of PTE.
    private boolean copyPteRange(int parent, int child, int x, boolean deferWrprotect) {
        Pte t = k.pte(parent, x);
        if (t.isPresent()) return k.memory.copyPresentPte(parent, child, x, deferWrprotect);
        if (t.isSwap()) k.swapfile.copyNonpresentPte(parent, child, x);
        return false;
    }

    // 5.19 mm/memory.c copy_present_pte, its last part: write-protect the parent's PTE of a shared page.
    public void dupMmapWrprotect(int parent, int pages) {
        for (int x = 0; pages >> x != 0; x++) {
            if ((pages & (1 << x)) == 0) continue;
            Pte t = k.pte(parent, x);
            if (t.isPresent() && t.write()) k.setPte(parent, x, t.wrprotect());
            k.log("copy_present_pte: parent PTE of page %d write-protected", x);
        }
    }
}
