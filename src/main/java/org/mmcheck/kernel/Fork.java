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
            copyPteRange(parent, child, x);
        }
    }

    // 5.19 mm/memory.c copy_pte_range: dispatch on the kind of PTE.
    private void copyPteRange(int parent, int child, int x) {
        Pte t = k.pte(parent, x);
        if (t.isPresent()) k.memory.copyPresentPte(parent, child, x);
        else if (t.isSwap()) k.swapfile.copyNonpresentPte(parent, child, x);
    }
}
