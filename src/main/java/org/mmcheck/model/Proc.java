package org.mmcheck.model;

import java.util.Arrays;

/**
 * One process: its program counter and registers, and its mm (one VMA and one PTE per named page).
 * The user-visible entitlement that the checker keeps lives beside it in {@link Entitlement}.
 *
 * <p>A thread (a block started by {@code clone}) is a Proc too, for its own pc, registers and status,
 * but its mm is its owner's: {@link #mm} names the owner, and the thread's own VMAs, PTEs and
 * entitlement stay empty. The owner counts its live threads in {@link #threads}, so its mm outlives
 * the owner's own exit until the last thread is gone (mm_users, in effect).
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
     * The mm's write_protect_seq (5.11+): odd while fork copies the page tables. Only lock-level
     * interleaving moves it (an atomic fork leaves it even and unchanged).
     */
    public int wpSeq;
    /**
     * For a thread, the index of the process whose mm it shares; {@link #OWN_MM} for a process. Fixed
     * by the test's text (each block is started once, by fork or by clone), so the same in every state.
     */
    public int mm = OWN_MM;
    public static final int OWN_MM = -1;
    /**
     * On a process: how many of its threads (other than itself) are running or done, i.e. still hold
     * the mm. It follows from the threads' statuses, so the canonical encoding need not add it.
     */
    public int threads;
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
        wpSeq = o.wpSeq;
        mm = o.mm;
        threads = o.threads;
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

    /**
     * This Proc owns an mm that still exists: the process was started and has not exited, or it has
     * but one of its threads still runs in the mm. Always false for a thread (its mm is its owner's),
     * so walks over every mm (rmap, KSM, swapoff, invariants) see each mm once.
     */
    public boolean hasMm() {
        return mm == OWN_MM && (status == Status.RUNNING || status == Status.DONE || threads > 0);
    }

    /** The thread (or process) itself still runs or has stopped at the end of its block. */
    public boolean live() {
        return status == Status.RUNNING || status == Status.DONE;
    }
}
