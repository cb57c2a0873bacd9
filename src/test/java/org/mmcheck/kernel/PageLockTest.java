package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.model.Page;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.V5_18;
import org.mmcheck.variant.V5_19;
import org.mmcheck.variant.V5_7;
import org.mmcheck.variant.V5_9;

/** A reclaim pass split in two halves, and how the other paths treat the page it holds locked. */
class PageLockTest {
    private static KernelFixture written(KernelPolicy policy, int procs) {
        KernelFixture f = KernelFixture.of(procs, 1, policy, new SwapDevice(true, false, false, true));
        f.store(0, 0, 1);
        return f;
    }

    @Test
    void firstHalfLeavesThePageLockedInTheSwapCacheAndStillMapped() {
        KernelFixture f = written(new V5_19(), 1);
        Page page = f.page(0, 0);
        assertTrue(f.kernel().vmscan.shrinkFolioListBegin(page));
        assertTrue(page.locked && page.swapcache);
        assertTrue(f.pte(0, 0).mapsPage());
        assertEquals(Set.of(), f.invariants());
        f.kernel().vmscan.shrinkFolioListFinish(page);
        assertFalse(page.locked);
        assertTrue(f.pte(0, 0).isSwap());
        assertTrue(page.writeback);
    }

    @Test
    void firstHalfFailsWithoutChangingAnythingWhenThePageIsLockedOrUnderWriteback() {
        KernelFixture f = written(new V5_19(), 1);
        Page page = f.page(0, 0);
        page.locked = true;
        assertFalse(f.kernel().vmscan.shrinkFolioListBegin(page));
        assertFalse(page.swapcache);
        page.locked = false;
        f.reclaim(page);
        assertTrue(page.writeback);
        assertFalse(f.kernel().vmscan.shrinkFolioListBegin(page));
        assertFalse(page.locked);
    }

    @Test
    void doSwapPageSleepsOnALockedSwapCachePage() {
        KernelFixture f = written(new V5_19(), 2);
        f.fork(0, 1);
        Page page = f.page(0, 0);
        f.reclaim(page);          // both PTEs are swap PTEs, page in the swap cache under writeback
        f.endWriteback(page);
        assertTrue(f.kernel().vmscan.shrinkFolioListBegin(page)); // locked again, clean, unmapped
        assertThrows(WouldBlock.class, () -> f.load(0, 0));
    }

    @Test
    void wpCanReuseTrylockFailsSoTheWriteCopiesFrom59On() {
        for (KernelPolicy policy : new KernelPolicy[] {new V5_9(), new V5_18(), new V5_19()}) {
            KernelFixture f = written(policy, 2);
            f.fork(0, 1);
            f.exit(1);                 // mapcount 1, refcount 1, not exclusive on 5.19
            Page page = f.page(0, 0);
            page.locked = true;         // as if reclaim held it between its halves
            f.store(0, 0, 2);
            assertNotEquals(page.id, f.pte(0, 0).target(), policy.name() + ": " + f.traceText());
        }
    }

    @Test
    void doWpPageOf57SleepsOnTheLock() {
        KernelFixture f = written(new V5_7(), 2);
        f.fork(0, 1);
        f.page(0, 0).locked = true;
        assertThrows(WouldBlock.class, () -> f.store(0, 0, 2));
    }

    @Test
    void anExclusivePageIsReusedEvenWhileLocked() {
        KernelFixture f = written(new V5_19(), 1);
        Page page = f.page(0, 0);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        f.kernel().mprotect.mprotectFixup(0, 0, true, true);
        page.locked = true;
        f.store(0, 0, 2);
        assertEquals(page.id, f.pte(0, 0).target(), f.traceText());
    }
}
