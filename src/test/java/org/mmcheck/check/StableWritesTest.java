package org.mmcheck.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.kernel.KernelFixture;
import org.mmcheck.model.Page;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.variant.V5_19;

/** The stable-write monitor: writes into a page under writeback to a SWP_STABLE_WRITES device. */
class StableWritesTest {

    private static KernelFixture withDevice(boolean stableWrites) {
        return KernelFixture.of(1, 1, new V5_19(), new SwapDevice(true, stableWrites, false, true));
    }

    @Test
    void writeUnderWritebackToStableWritesDeviceIsFlagged() {
        KernelFixture f = withDevice(true);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        assertEquals(Set.of(), f.flags.ids);
        page.writeback = true;
        f.store(0, 0, 6);
        assertEquals(Set.of(Flags.STABLE_WRITE), f.flags.ids);
    }

    @Test
    void writeUnderWritebackWithoutStableWritesIsFine() {
        KernelFixture f = withDevice(false);
        f.store(0, 0, 5);
        f.page(0, 0).writeback = true;
        f.store(0, 0, 6);
        assertEquals(Set.of(), f.flags.ids);
    }

    @Test
    void writeWithoutWritebackIsFine() {
        KernelFixture f = withDevice(true);
        f.store(0, 0, 5);
        f.store(0, 0, 6);
        assertEquals(Set.of(), f.flags.ids);
    }

    @Test
    void deviceWriteThroughTheKernelIsMonitoredToo() {
        KernelFixture f = withDevice(true);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        page.writeback = true;
        f.kernel().writePage(page, 7, "R0's device write");
        assertEquals(Set.of(Flags.STABLE_WRITE), f.flags.ids);
        assertEquals(7, page.content);
    }
}
