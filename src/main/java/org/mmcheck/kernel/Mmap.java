package org.mmcheck.kernel;

import org.mmcheck.model.Proc;

/** mm/mmap.c: munmap and the teardown at exit. */
public final class Mmap {
    private final Kernel k;

    Mmap(Kernel k) {
        this.k = k;
    }

    // 5.19 mm/mmap.c do_munmap -> unmap_region: zap the page and remove the VMA.
    public void doMunmap(int p, int x) {
        Proc pr = k.proc(p);
        if (pr.vmas[x] == null) {
            k.log("munmap: no VMA, nothing to do");
            return;
        }
        k.memory.zapPteRange(p, x);
        pr.vmas[x] = null;
        k.log("munmap: VMA removed");
    }

    // 5.19 mm/mmap.c exit_mmap: tear down every mapping of the mm.
    public void exitMmap(int p) {
        Proc pr = k.proc(p);
        for (int x = 0; x < pr.vmas.length; x++) {
            if (pr.vmas[x] == null) continue;
            k.memory.zapPteRange(p, x);
            pr.vmas[x] = null;
        }
        k.log("exit_mmap: address space torn down");
    }
}
