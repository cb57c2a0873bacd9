package org.mmcheck.check;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.kernel.KernelFixture;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.model.Vma;
import org.mmcheck.variant.V5_19;
import org.mmcheck.variant.V5_19NoSwpx;

/** Invariants.check on consistent states built through the kernel and on hand-broken ones. */
class InvariantsTest {

    /** P0 has stored 5 into page 0: one exclusive page, writable PTE. */
    private static KernelFixture oneWrittenPage() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 5);
        return f;
    }

    /** P0 stored 5 and forked P1: one shared page, both PTEs R/O. */
    private static KernelFixture sharedAfterFork() {
        KernelFixture f = oneWrittenPage();
        f.fork(0, 1);
        return f;
    }

    /** Makes P1 a running process with the default VMA at every page but no PTEs. */
    private static void startProc(KernelFixture f, int p) {
        Proc pr = f.s.procs[p];
        pr.status = Proc.Status.RUNNING;
        for (int x = 0; x < pr.vmas.length; x++) pr.vmas[x] = Vma.DEFAULT;
    }

    @Test
    void consistentStatesRaiseNothing() {
        KernelFixture f = KernelFixture.of(3, 3);
        assertEquals(Set.of(), f.invariants());
        f.store(0, 0, 1);
        f.store(0, 1, 2);
        f.fault(0, 2, false);
        assertEquals(Set.of(), f.invariants());
        f.fork(0, 1);
        assertEquals(Set.of(), f.invariants());
        f.store(1, 0, 3);
        f.fork(1, 2);
        f.store(0, 1, 4);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
        f.exit(1);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void writablePteToNonExclusivePage() {
        KernelFixture f = oneWrittenPage();
        f.page(0, 0).anonExclusive = false;
        assertEquals(Set.of(Flags.WRITABLE_NOT_EXCLUSIVE), f.invariants());
    }

    @Test
    void writablePteToSharedPageRaisesOnlyWritableNotExclusive() {
        KernelFixture f = sharedAfterFork();
        f.setPte(1, 0, Pte.present(f.pte(1, 0).target(), true, true, true));
        assertEquals(Set.of(Flags.WRITABLE_NOT_EXCLUSIVE), f.invariants());
    }

    @Test
    void exclusivePageMappedTwice() {
        KernelFixture f = sharedAfterFork();
        f.page(0, 0).anonExclusive = true;
        assertEquals(Set.of(Flags.EXCLUSIVE_SHARED), f.invariants());
    }

    @Test
    void exclusiveSwapCachePageNamedByASwapPte() {
        KernelFixture f = oneWrittenPage();
        Page page = f.page(0, 0);
        SwapSlot slot = f.s.allocSlot();
        slot.hasCache = true;
        slot.count = 1;
        page.swapcache = true;
        page.swapSlot = slot.id;
        page.refcount++;
        startProc(f, 1);
        f.setPte(1, 0, Pte.swap(slot.id, false, false));
        assertEquals(Set.of(Flags.EXCLUSIVE_SHARED), f.invariants());
        page.anonExclusive = false;
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void refcountMismatch() {
        KernelFixture f = oneWrittenPage();
        f.page(0, 0).refcount++;
        assertEquals(Set.of(Flags.REFCOUNT), f.invariants());
    }

    @Test
    void mapcountMismatch() {
        KernelFixture f = sharedAfterFork();
        f.page(0, 0).mapcount = 1;
        assertEquals(Set.of(Flags.REFCOUNT), f.invariants());
    }

    @Test
    void refcountCountsPinBiasGetsAndSwapCache() {
        KernelFixture f = oneWrittenPage();
        Page page = f.page(0, 0);
        page.pins = 1;
        page.gets = 2;
        page.refcount += Page.PIN_BIAS + 2;
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
        page.pins = 0; // the bias is still there, but no pin accounts for it
        assertEquals(Set.of(Flags.REFCOUNT), f.invariants());
    }

    @Test
    void swapSlotCountMismatch() {
        KernelFixture f = KernelFixture.of(1, 1);
        SwapSlot slot = f.s.allocSlot();
        slot.count = 1;
        f.setPte(0, 0, Pte.swap(slot.id, false, false));
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
        slot.count = 2;
        assertEquals(Set.of(Flags.SWAP_COUNT), f.invariants());
    }

    @Test
    void swapSlotClaimingACacheThatDoesNotExist() {
        KernelFixture f = KernelFixture.of(1, 1);
        SwapSlot slot = f.s.allocSlot();
        slot.count = 1;
        slot.hasCache = true;
        f.setPte(0, 0, Pte.swap(slot.id, false, false));
        assertEquals(Set.of(Flags.SWAP_COUNT), f.invariants());
    }

    @Test
    void swapExclusiveBitOnASharedSlot() {
        KernelFixture f = KernelFixture.of(2, 1);
        startProc(f, 1);
        SwapSlot slot = f.s.allocSlot();
        slot.count = 2;
        f.setPte(0, 0, Pte.swap(slot.id, true, false));
        f.setPte(1, 0, Pte.swap(slot.id, false, false));
        assertEquals(Set.of(Flags.SWP_EXCLUSIVE_SHARED), f.invariants());
    }

    @Test
    void swapExclusiveBitIsNotJudgedWithoutTheArchBit() {
        KernelFixture f = KernelFixture.of(2, 1, new V5_19NoSwpx(), new SwapDevice(true, false, false, true));
        startProc(f, 1);
        SwapSlot slot = f.s.allocSlot();
        slot.count = 2;
        f.setPte(0, 0, Pte.swap(slot.id, true, false));
        f.setPte(1, 0, Pte.swap(slot.id, false, false));
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void soleExclusiveSwapPteIsFine() {
        KernelFixture f = KernelFixture.of(1, 1);
        SwapSlot slot = f.s.allocSlot();
        slot.count = 1;
        f.setPte(0, 0, Pte.swap(slot.id, true, false));
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void pinnedPageThatIsNotExclusive() {
        KernelFixture f = sharedAfterFork();
        Page page = f.page(0, 0);
        page.pins = 1;
        page.refcount += Page.PIN_BIAS;
        assertEquals(Set.of(Flags.PINNED_NOT_EXCLUSIVE), f.invariants());
    }

    @Test
    void exclusiveKsmPage() {
        KernelFixture f = oneWrittenPage();
        Page page = f.page(0, 0);
        page.ksm = true;
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        assertEquals(Set.of(Flags.KSM_EXCLUSIVE), f.invariants());
        page.anonExclusive = false;
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void exclusivityInvariantsAreSkippedWithoutTheMechanism() {
        V5_19 noFlag = new V5_19() {
            @Override
            public boolean hasAnonExclusive() {
                return false;
            }
        };
        KernelFixture f = KernelFixture.of(2, 1, noFlag, new SwapDevice(true, false, false, true));
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        assertEquals(false, page.anonExclusive, "no PG_anon_exclusive in such a kernel");
        assertEquals(Set.of(), f.invariants(), "writable PTE to a non-exclusive page is normal there");
        page.refcount++;
        assertEquals(Set.of(Flags.REFCOUNT), f.invariants(), "accounting is still checked");
    }

    @Test
    void exitedProcessesAreNotCounted() {
        KernelFixture f = sharedAfterFork();
        f.exit(1);
        assertEquals(Set.of(), f.invariants());
        // A (broken) leftover PTE of an exited mm is ignored: it is not a mapping any more.
        f.setPte(1, 0, Pte.present(f.pte(0, 0).target(), true, true, false));
        assertEquals(Set.of(), f.invariants());
    }
}
