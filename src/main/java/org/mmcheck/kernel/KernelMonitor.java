package org.mmcheck.kernel;

import org.mmcheck.model.Page;

/**
 * Told of the events that the checker judges and the model itself does not: every write into a page's
 * contents (a process store or a device write through a GUP reference; e.g. a write under stable-writes
 * writeback), and every use of something that was already freed.
 */
public interface KernelMonitor {
    KernelMonitor NONE = (k, page, who) -> { };

    void beforeWrite(Kernel k, Page page, String who);

    /** A path used a page, a swap slot or a swap device after it was freed or torn down. */
    default void useAfterFree(Kernel k, String what) {
    }
}
