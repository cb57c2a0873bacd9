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
 * @param anonVma    the VMA has an anon_vma: an anonymous page was mapped in it once (fork copies page
 *                   tables only then, so a zero-page-only mapping is not copied)
 */
public record Vma(boolean read, boolean write, boolean dontcopy, boolean wipeOnFork, boolean mergeable,
                  boolean anonVma) {
    public static final Vma DEFAULT = new Vma(true, true, false, false, false, false);

    public Vma withProt(boolean r, boolean w) {
        return new Vma(r, w, dontcopy, wipeOnFork, mergeable, anonVma);
    }

    public Vma withDontcopy(boolean v) {
        return new Vma(read, write, v, wipeOnFork, mergeable, anonVma);
    }

    public Vma withWipeOnFork(boolean v) {
        return new Vma(read, write, dontcopy, v, mergeable, anonVma);
    }

    public Vma withMergeable(boolean v) {
        return new Vma(read, write, dontcopy, wipeOnFork, v, anonVma);
    }

    public Vma withAnonVma() {
        return anonVma ? this : new Vma(read, write, dontcopy, wipeOnFork, mergeable, true);
    }

    private static final Vma[] BY_BITS = new Vma[64];

    static {
        for (int b = 0; b < 64; b++) {
            BY_BITS[b] = new Vma((b & 1) != 0, (b & 2) != 0, (b & 4) != 0, (b & 8) != 0, (b & 16) != 0, (b & 32) != 0);
        }
    }

    /** The VMA with these {@link #bits()}. */
    public static Vma ofBits(int bits) {
        return BY_BITS[bits];
    }

    public int bits() {
        return (read ? 1 : 0) | (write ? 2 : 0) | (dontcopy ? 4 : 0) | (wipeOnFork ? 8 : 0) | (mergeable ? 16 : 0)
                | (anonVma ? 32 : 0);
    }
}
