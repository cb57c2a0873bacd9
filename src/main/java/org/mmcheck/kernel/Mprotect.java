package org.mmcheck.kernel;

import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.Vma;

/** mm/mprotect.c: changing the protection of a private anonymous mapping. */
public final class Mprotect {
    private final Kernel k;

    Mprotect(Kernel k) {
        this.k = k;
    }

    /** @return false when there is no VMA (ENOMEM) */
    // 5.19 mm/mprotect.c mprotect_fixup -> change_pte_range.
    public boolean mprotectFixup(int p, int x, boolean read, boolean write) {
        Proc pr = k.proc(p);
        Vma vma = pr.vmas[x];
        if (vma == null) {
            k.log("mprotect: no VMA -> ENOMEM");
            return false;
        }
        pr.vmas[x] = vma.withProt(read, write);
        changePteRange(p, x, write);
        return true;
    }

    // 5.19 mm/mprotect.c change_pte_range: drop the write bit, or add it where the variant allows.
    private void changePteRange(int p, int x, boolean write) {
        Pte t = k.pte(p, x);
        if (!t.isPresent()) return;
        if (!write) {
            if (t.write()) {
                k.setPte(p, x, t.wrprotect());
                k.log("change_pte_range: PTE write-protected");
            }
            return;
        }
        if (t.write() || !t.mapsPage()) return;
        Page page = k.s.page(t.target());
        if (k.policy.mprotectMayMapWritable(page)) {
            k.setPte(p, x, Pte.present(page.id, true, t.dirty(), t.softDirty()));
            k.log("change_pte_range: exclusive page#%d mapped writable", page.id);
        } else {
            k.log("change_pte_range: private PTE stays R/O (the next write faults)");
        }
    }
}
