package org.mmcheck.model;

/**
 * The widths of the packed fields of {@link CanonicalEncoder} and {@link StateCodec}: how large a test
 * may be for its states to be encoded. The litmus validator refuses larger tests up front; a state that
 * exceeds one anyway raises {@link StateTooLargeException}.
 */
public final class EncodingLimits {
    private EncodingLimits() {}

    /** A page's mapcount (8 bits): one PTE per address space, so at most this many address spaces (processes). */
    public static final int MAX_MAPCOUNT = 255;
    /** A page or slot number written in 8 bits with 1 added (PTE targets, a swap-cache page's slot): numbers 0..254. */
    public static final int MAX_NUMBERED = 254;
    /** A process's program counter (16 bits): statements per block. */
    public static final int MAX_PC = 0xFFFF;
    /** Live threads of one address space (StateCodec, 10 bits). */
    public static final int MAX_THREADS = 0x3FF;
    /** FOLL_PIN references on one page (16 bits). */
    public static final int MAX_PINS = 0xFFFF;
    /** FOLL_GET references on one page (15 bits). */
    public static final int MAX_GETS = 0x7FFF;
}
