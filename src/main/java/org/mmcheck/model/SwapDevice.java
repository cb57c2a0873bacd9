package org.mmcheck.model;

/**
 * The one swap device of a test. Immutable configuration plus the on/off state.
 *
 * @param present      a device exists (false for {@code swap none;})
 * @param stableWrites SWP_STABLE_WRITES: pages must not change while under writeback
 * @param syncIo       SWP_SYNCHRONOUS_IO: swap-in may skip the swap cache
 * @param writeOk      SWP_WRITEOK: new slots may be allocated (cleared when swapoff starts)
 */
public record SwapDevice(boolean present, boolean stableWrites, boolean syncIo, boolean writeOk) {
    /**
     * Slots on the device. A real device is finite too; here the bound also keeps the state space
     * finite: under lock-level interleaving a swap-in that backs out can leave its page in the swap
     * cache of an entry nobody names any more (as the kernel does, until reclaim frees it), and with
     * background reclaim such pages could otherwise pile up without end. No shipped test needs more
     * than a few.
     */
    public static final int SLOTS = 8;

    public SwapDevice swapoffStarted() {
        return new SwapDevice(present, stableWrites, syncIo, false);
    }

    public boolean usable() {
        return present && writeOk;
    }
}
