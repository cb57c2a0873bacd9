package org.mmcheck.model;

import java.util.Arrays;

/**
 * One process: its program counter and registers, and its mm (one VMA and one PTE per named page).
 * The user-visible entitlement that the checker keeps lives beside it in {@link Entitlement}.
 */
public final class Proc {
    public enum Status { NOT_STARTED, RUNNING, DONE, EXITED }

    public Status status;
    public int pc;
    public final int[] regs;
    public final Vma[] vmas;
    public final Pte[] ptes;
    public boolean hasPinned;   // MMF_HAS_PINNED: sticky once the mm took a FOLL_PIN
    /**
     * Read only: change it through {@link #mutableEnt()}. Copies of a process share it until one of
     * them changes it (most steps change page tables, not what the user may read).
     */
    public Entitlement ent;
    private boolean ownEnt;
    /**
     * Hash of this process for fingerprints, without its PTEs' targets (CanonicalEncoder), or 0 when
     * not computed yet. A copy starts at 0; {@link KState#mutableProc} clears it.
     */
    long summary;

    public Proc(int nRegs, int nPages) {
        status = Status.NOT_STARTED;
        regs = new int[nRegs];
        vmas = new Vma[nPages];
        ptes = new Pte[nPages];
        Arrays.fill(ptes, Pte.NONE);
        ent = new Entitlement(nPages);
        ownEnt = true;
    }

    private Proc(Proc o) {
        status = o.status;
        pc = o.pc;
        regs = o.regs.clone();
        vmas = o.vmas.clone();
        ptes = o.ptes.clone();
        hasPinned = o.hasPinned;
        ent = o.ent;
    }

    public Proc copy() {
        return new Proc(this);
    }

    /** The entitlement, to change: copied first if it is still shared with the process it came from. */
    public Entitlement mutableEnt() {
        if (!ownEnt) {
            ent = ent.copy();
            ownEnt = true;
        }
        return ent;
    }

    /** The mm still exists: the process was forked and has not exited. */
    public boolean hasMm() {
        return status == Status.RUNNING || status == Status.DONE;
    }
}
