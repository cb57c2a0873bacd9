package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.Page;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.V5_19;
import org.mmcheck.variant.V5_9;
import org.mmcheck.variant.V6_1;

/** GUP-fast in three stages (interleave ptlock), driven step by step. */
class GupStagedTest {
    private static final Gup.Request RW_PIN = new Gup.Request(true, true, true, true, false);

    private static KernelFixture fixture(KernelPolicy policy) {
        KernelFixture f = KernelFixture.of(2, 1, policy, new SwapDevice(true, false, false, true));
        f.s.ptlock = true;
        f.store(0, 0, 1);
        return f;
    }

    private static GupStaged.Outcome step(KernelFixture f) {
        return f.kernel().gupStaged.step(0, 0, 0, RW_PIN, 0);
    }

    @Test
    void theGrabIsSpeculativeUntilTheRecheck() {
        KernelFixture f = fixture(new V5_19());
        Page page = f.page(0, 0);
        assertTrue(step(f).pending(), "[1/3] PTE read");
        assertTrue(step(f).pending(), "[2/3] grabbed");
        assertEquals(1 + Page.PIN_BIAS, page.refcount);
        assertEquals(0, page.pins, "not a pin yet: pinned-page invariants do not apply");
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
        GupStaged.Outcome done = step(f);
        assertFalse(done.pending());
        assertNotNull(done.ref());
        assertEquals(1, page.pins);
        assertEquals(1 + Page.PIN_BIAS, page.refcount);
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
    }

    @Test
    void aPteChangedBeforeTheRecheckPutsThePageBackAndTakesTheSlowPath() {
        KernelFixture f = fixture(new V5_19());
        Page page = f.page(0, 0);
        step(f);
        step(f);
        f.kernel().memory.zapPteRange(0, 0); // MADV_DONTNEED by a sibling thread
        assertTrue(f.pte(0, 0).isNone());
        GupStaged.Outcome done = step(f);
        assertTrue(f.traceText().contains("recheck fails"), f.traceText());
        assertFalse(f.s.isLive(page.id), "the speculative pin was the last reference: the page is freed");
        assertNotNull(done.ref(), "the slow path faults a new page in and pins it");
        assertTrue(done.ref().page != page.id);
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
    }

    /** A fork of mm 0 between its stages: write_protect_seq odd from 5.11. */
    private static void forkWindowOpens(KernelFixture f) {
        f.s.mutableProc(0).wpSeq = 1;
        f.s.setInflight(1, InFlight.of(InFlight.Path.FORK, 0, org.mmcheck.model.Pte.NONE, -1, false, false, false,
                InFlight.forkAux(1, 0, 1)));
    }

    @Test
    void anOddWriteProtectSeqSendsGupFastToTheSlowPathWhichWaitsForFork() {
        KernelFixture f = fixture(new V6_1());
        forkWindowOpens(f);
        try {
            step(f);
            throw new AssertionError("the slow path must wait while fork holds the mmap_lock");
        } catch (WouldBlock expected) {
            assertTrue(f.traceText().contains("write_protect_seq is odd"), f.traceText());
        }
    }

    @Test
    void before511GupFastDoesNotLookAtFork() {
        KernelFixture f = fixture(new V5_9());
        forkWindowOpens(f);
        assertTrue(step(f).pending(), "5.9 reads the PTE as if no fork were running");
        assertTrue(step(f).pending());
        assertFalse(step(f).pending(), "and its recheck passes: the PTE is unchanged");
        assertEquals(1, f.page(0, 0).pins);
    }

    @Test
    void aChangedWriteProtectSeqFailsTheRecheckFrom511() {
        KernelFixture f = fixture(new V5_19());
        step(f);
        step(f);
        f.s.mutableProc(0).wpSeq = 2; // a whole fork ran in between
        GupStaged.Outcome done = step(f);
        assertTrue(f.traceText().contains("write_protect_seq changed (0 -> 2)"), f.traceText());
        assertNotNull(done.ref(), "taken again by the slow path");
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
    }
}
