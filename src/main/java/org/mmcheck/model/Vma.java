package org.mmcheck.model;

/**
 * The private anonymous VMA that holds one named page in one mm. Immutable. {@code null} in a process
 * means no VMA (never mapped, munmapped, or not inherited because of MADV_DONTFORK).
 *
 * @param read       VM_READ
 * @param write      VM_WRITE (VM_MAYWRITE is always set: the mapping was created PROT_READ|PROT_WRITE)
 * @param dontcopy   VM_DONTCOPY (MADV_DONTFORK)
 * @param wipeOnFork VM_WIPEONFORK
 * @param mergeable  VM_MERGEABLE (MADV_MERGEABLE)
 */
public record Vma(boolean read, boolean write, boolean dontcopy, boolean wipeOnFork, boolean mergeable) {
    public static final Vma DEFAULT = new Vma(true, true, false, false, false);

    public Vma withProt(boolean r, boolean w) {
        return new Vma(r, w, dontcopy, wipeOnFork, mergeable);
    }

    public Vma withDontcopy(boolean v) {
        return new Vma(read, write, v, wipeOnFork, mergeable);
    }

    public Vma withWipeOnFork(boolean v) {
        return new Vma(read, write, dontcopy, v, mergeable);
    }

    public Vma withMergeable(boolean v) {
        return new Vma(read, write, dontcopy, wipeOnFork, v);
    }

    public int bits() {
        return (read ? 1 : 0) | (write ? 2 : 0) | (dontcopy ? 4 : 0) | (wipeOnFork ? 8 : 0) | (mergeable ? 16 : 0);
    }
}
