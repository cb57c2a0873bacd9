package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.Page;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.V5_19;
import org.mmcheck.variant.V6_2;
import org.mmcheck.variant.V6_8;

/** The fault paths split where they drop the PT lock (interleave ptlock), driven stage by stage. */
class MemoryStagedTest {
    private static KernelFixture fixture(KernelPolicy policy, int procs, boolean syncIo) {
        KernelFixture f = KernelFixture.of(procs, 1, policy, new SwapDevice(true, false, syncIo, true));
        f.s.ptlock = true;
        return f;
    }

    private static MemoryStaged.Access step(KernelFixture f, int p, boolean write) {
        return f.kernel().staged.handleMmFault(p, p, 0, write);
    }

    private static void assertBalanced(KernelFixture f) {
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
    }

    @Test
    void wpPageCopyBacksOutWhenReclaimUnmapsThePageMeanwhile() {
        KernelFixture f = fixture(new V5_19(), 2, false);
        f.store(0, 0, 1);
        f.fork(0, 1);
        Page shared = f.page(0, 0);

        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, true));
        InFlight w = f.s.inflight[0];
        assertEquals(InFlight.Path.WP_COPY, w.path());
        assertEquals(3, shared.refcount, "two mappings and the copying fault's reference");
        assertBalanced(f);

        f.reclaim(shared); // unmaps both PTEs; pageout refuses while the fault holds its reference
        assertTrue(f.pte(0, 0).isSwap());
        assertBalanced(f);

        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, true), "backs out, retries, starts do_swap_page");
        assertTrue(f.traceText().contains("pte_same fails"), f.traceText());
        assertEquals(InFlight.Path.SWAP_IN, f.s.inflight[0].path());
        assertBalanced(f);

        // do_swap_page maps the page (shared through the slot: R/O), then the write copies it again.
        int steps = 0;
        while (step(f, 0, true) == MemoryStaged.Access.PENDING) {
            assertBalanced(f);
            assertTrue(++steps < 5, "the fault converges");
        }
        assertNull(f.s.inflight[0]);
        assertBalanced(f);
        assertEquals(1, f.load(1, 0), "the child still reads its data");
    }

    @Test
    void wpPageCopyInstallsTheCopyWhenThePteIsUnchanged() {
        KernelFixture f = fixture(new V5_19(), 2, false);
        f.store(0, 0, 1);
        f.fork(0, 1);
        Page shared = f.page(0, 0);
        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, true));
        assertEquals(MemoryStaged.Access.DONE, step(f, 0, true));
        assertTrue(f.traceText().contains("pte_same ok"), f.traceText());
        assertTrue(f.page(0, 0).id != shared.id);
        assertTrue(f.pte(0, 0).write());
        assertEquals(1, shared.refcount, "only the child maps the old page; the fault's reference is gone");
        assertBalanced(f);
    }

    /** P0 has written v and the page went out to a fresh slot on a SYNCHRONOUS_IO device. */
    private static KernelFixture swappedOut(KernelPolicy policy) {
        KernelFixture f = fixture(policy, 1, true);
        f.store(0, 0, 5);
        f.swapOutAndFree(0, 0);
        return f;
    }

    @Test
    void doSwapPageRunsInFourStagesWithAClaimFrom68() {
        KernelFixture f = swappedOut(new V6_8());
        SwapSlot slot = f.slot(0, 0);
        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, false), "the swap PTE is read");
        assertTrue(!slot.claimed);
        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, false), "claimed and read");
        assertTrue(slot.claimed);
        assertBalanced(f);
        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, false), "mapped; the claim is released next");
        assertTrue(f.pte(0, 0).isPresent());
        assertTrue(f.s.isSlotUsed(slot.id), "the claim keeps the slot");
        assertBalanced(f);
        assertEquals(MemoryStaged.Access.DONE, step(f, 0, false));
        assertTrue(f.s.slots().isEmpty(), "claim released, slot freed");
        assertBalanced(f);
    }

    @Test
    void aClaimedEntryMakesAnotherFaultWait() {
        KernelFixture f = swappedOut(new V6_8());
        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, false), "the swap PTE is read");
        f.slot(0, 0).claimed = true; // another fault is between its swapcache_prepare and swapcache_clear
        assertThrows(WouldBlock.class, () -> step(f, 0, false));
    }

    @Test
    void before68TheSkipPathTakesNoClaimAndHasThreeStages() {
        KernelFixture f = swappedOut(new V6_2());
        SwapSlot slot = f.slot(0, 0);
        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, false));
        assertEquals(MemoryStaged.Access.PENDING, step(f, 0, false));
        assertTrue(!slot.claimed);
        assertEquals(MemoryStaged.Access.DONE, step(f, 0, false));
        assertTrue(f.s.slots().isEmpty());
        assertBalanced(f);
    }

    @Test
    void aFreedOffsetIsHandedOutAgain() {
        KernelFixture f = swappedOut(new V6_2());
        int first = f.slot(0, 0).id;
        f.load(0, 0);
        f.store(0, 0, 6);
        f.swapOutAndFree(0, 0);
        assertEquals(first, f.slot(0, 0).id, "lowest free offset first: pte_same cannot tell the two apart");
    }
}
