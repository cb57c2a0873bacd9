package org.mmcheck.check;

import org.mmcheck.kernel.FlagSink;
import org.mmcheck.kernel.Kernel;
import org.mmcheck.kernel.KernelMonitor;
import org.mmcheck.model.Page;

/** stable-write: nothing may change a page under writeback to a SWP_STABLE_WRITES device. */
public final class StableWrites implements KernelMonitor {
    private final FlagSink sink;

    public StableWrites(FlagSink sink) {
        this.sink = sink;
    }

    @Override
    public void beforeWrite(Kernel k, Page page, String who) {
        check(k, page, who, sink);
    }

    /** Raises stable-write on {@code sink} when {@code page} may not change now. */
    public static void check(Kernel k, Page page, String who, FlagSink sink) {
        if (page.writeback && k.s.swap.stableWrites()) {
            sink.raise(Flags.STABLE_WRITE, () -> who + " writes page#" + page.id
                    + " while it is under writeback to a stable-writes swap device");
        }
    }
}
