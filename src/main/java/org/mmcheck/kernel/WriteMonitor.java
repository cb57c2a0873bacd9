package org.mmcheck.kernel;

import org.mmcheck.model.Page;

/**
 * Told of every write into a page's contents (a process store or a device write through a GUP
 * reference), so that the checker can judge it (e.g. a write under stable-writes writeback). The model
 * itself does not judge.
 */
public interface WriteMonitor {
    WriteMonitor NONE = (k, page, who) -> { };

    void beforeWrite(Kernel k, Page page, String who);
}
