package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;

/** mm/gup.c under 5.19: FOLL_GET and FOLL_PIN, the slow path's faults and unshare, GUP-fast, release. */
class GupTest {

    /** P0 stored v into page 0. */
    private static KernelFixture written(int nProcs, int v) {
        KernelFixture f = KernelFixture.of(nProcs, 1);
        f.store(0, 0, v);
        return f;
    }

    /** P0 stored v into page 0, then forked P1: one shared page, both PTEs R/O. */
    private static KernelFixture shared(int v) {
        KernelFixture f = written(2, v);
        f.fork(0, 1);
        return f;
    }

    private static void assertConsistent(KernelFixture f) {
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void getOfAnExclusivePageAddsOneReference() {
        KernelFixture f = written(1, 7);
        Page page = f.page(0, 0);
        Pte before = f.pte(0, 0);

        GupRef r = f.gup(0, 0, false, false, false);
        assertNotNull(r);
        assertEquals(GupRef.State.HELD, r.state);
        assertFalse(r.pin);
        assertFalse(r.write);
        assertEquals(0, r.owner);
        assertEquals(0, r.vpage);
        assertEquals(page.id, r.page);
        assertTrue(r.bound);
        assertEquals(7, r.lastValue);
        assertEquals(2, page.refcount);
        assertEquals(1, page.gets);
        assertEquals(0, page.pins);
        assertFalse(page.maybeDmaPinned());
        assertFalse(f.s.procs[0].hasPinned, "FOLL_GET does not set MMF_HAS_PINNED");
        assertEquals(before, f.pte(0, 0));
        assertTrue(page.anonExclusive);
        assertConsistent(f);
    }

    @Test
    void pinOfAnExclusivePageAddsThePinBias() {
        KernelFixture f = written(1, 7);
        Page page = f.page(0, 0);

        GupRef r = f.gup(0, 0, true, true, false);
        assertNotNull(r);
        assertTrue(r.pin);
        assertTrue(r.write);
        assertEquals(page.id, r.page);
        assertEquals(1 + Page.PIN_BIAS, page.refcount);
        assertEquals(1, page.pins);
        assertEquals(0, page.gets);
        assertTrue(page.maybeDmaPinned());
        assertTrue(f.s.procs[0].hasPinned, "FOLL_PIN sets MMF_HAS_PINNED");
        assertTrue(page.anonExclusive);
        assertConsistent(f);
    }

    @Test
    void writePinOfAReadOnlySharedPteBreaksCowAndPinsTheCopy() {
        KernelFixture f = shared(7);
        Page old = f.page(0, 0);

        GupRef r = f.gup(0, 0, true, true, false);
        assertNotNull(r);
        assertTrue(f.traceText().contains("PTE R/O for FOLL_WRITE"), f.traceText());
        Page copy = f.page(0, 0);
        assertNotEquals(old.id, copy.id);
        assertEquals(copy.id, r.page);
        assertEquals(7, copy.content);
        assertTrue(copy.anonExclusive);
        assertTrue(f.pte(0, 0).write());
        assertEquals(1 + Page.PIN_BIAS, copy.refcount);
        assertEquals(1, copy.pins);
        assertSame(old, f.page(1, 0), "the child keeps the old page");
        assertEquals(1, old.refcount);
        assertEquals(1, old.mapcount);
        assertEquals(0, old.pins);
        assertConsistent(f);
    }

    @Test
    void readOnlyPinOfASharedPageUnshares() {
        KernelFixture f = shared(7);
        Page old = f.page(0, 0);

        GupRef r = f.gup(0, 0, true, false, false);
        assertNotNull(r);
        String tr = f.traceText();
        assertTrue(tr.contains("gup_must_unshare"), tr);
        assertTrue(tr.contains("FAULT_FLAG_UNSHARE"), tr);
        Page copy = f.page(0, 0);
        assertNotEquals(old.id, copy.id, "unshare gave P0 its own page");
        assertEquals(copy.id, r.page);
        assertTrue(copy.anonExclusive);
        assertFalse(f.pte(0, 0).write(), "unshare keeps the PTE R/O");
        assertEquals(7, copy.content);
        assertEquals(1 + Page.PIN_BIAS, copy.refcount);
        assertSame(old, f.page(1, 0));
        assertEquals(1, old.refcount);
        assertEquals(1, old.mapcount);
        assertConsistent(f);

        // The pin stays coherent with P0's later writes: the page is exclusive, so they reuse it.
        f.store(0, 0, 8);
        assertSame(copy, f.page(0, 0));
        assertEquals(8, f.kernel().gup.read(r));
        assertEquals(7, f.load(1, 0));
    }

    @Test
    void readOnlyGetOfASharedPageDoesNotUnshare() {
        KernelFixture f = shared(7);
        Page page = f.page(0, 0);
        Pte before = f.pte(0, 0);

        GupRef r = f.gup(0, 0, false, false, false);
        assertNotNull(r);
        assertFalse(f.traceText().contains("unshare"), f.traceText());
        assertEquals(before, f.pte(0, 0));
        assertEquals(page.id, r.page);
        assertEquals(3, page.refcount);
        assertEquals(1, page.gets);
        assertFalse(page.anonExclusive);
        assertEquals(1, f.s.pages().size());
        assertConsistent(f);
    }

    @Test
    void readOnlyPinOfAnExclusiveReadOnlyPteNeedsNoUnshare() {
        KernelFixture f = written(1, 7);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        Page page = f.page(0, 0);
        assertFalse(f.pte(0, 0).write());
        GupRef r = f.gup(0, 0, true, false, false);
        assertNotNull(r);
        assertFalse(f.traceText().contains("gup_must_unshare"), f.traceText());
        assertSame(page, f.page(0, 0));
        assertEquals(1 + Page.PIN_BIAS, page.refcount);
    }

    @Test
    void fastPathGrabsAWritableExclusivePte() {
        KernelFixture f = written(1, 7);
        Page page = f.page(0, 0);
        GupRef r = f.gup(0, 0, true, true, true);
        assertNotNull(r);
        String tr = f.traceText();
        assertTrue(tr.contains("gup_fast: grab"), tr);
        assertFalse(tr.contains("__get_user_pages"), tr);
        assertEquals(1 + Page.PIN_BIAS, page.refcount);
    }

    @Test
    void fastPathFallsBackWhenThePteIsNotPresent() {
        KernelFixture f = KernelFixture.of(1, 1);
        GupRef r = f.gup(0, 0, true, true, true);
        assertNotNull(r);
        String tr = f.traceText();
        assertTrue(tr.contains("gup_fast: PTE none not usable -> fall back"), tr);
        assertTrue(tr.contains("faultin_page"), tr);
        Page page = f.page(0, 0);
        assertEquals(page.id, r.page);
        assertEquals(0, page.content);
        assertTrue(page.anonExclusive);
        assertEquals(1 + Page.PIN_BIAS, page.refcount);
        assertConsistent(f);
    }

    @Test
    void fastPathFallsBackOnASwapPteAndPinsTheSwappedInPage() {
        KernelFixture f = written(1, 7);
        f.swapOutAndFree(0, 0);
        GupRef r = f.gup(0, 0, true, false, true);
        assertNotNull(r);
        String tr = f.traceText();
        assertTrue(tr.contains("fall back to the slow path"), tr);
        assertTrue(tr.contains("do_swap_page"), tr);
        Page page = f.page(0, 0);
        assertEquals(page.id, r.page);
        assertEquals(7, page.content);
        assertTrue(page.anonExclusive, "exclusive from the swap PTE bit: no unshare needed");
        assertEquals(1, page.pins);
        assertConsistent(f);
    }

    @Test
    void fastPathFallsBackWhenUnshareIsNeeded() {
        KernelFixture f = shared(7);
        Page old = f.page(0, 0);
        GupRef r = f.gup(0, 0, true, false, true);
        assertNotNull(r);
        String tr = f.traceText();
        assertTrue(tr.contains("gup_fast: gup_must_unshare(page#" + old.id + ") -> fall back"), tr);
        assertNotEquals(old.id, r.page);
        assertTrue(f.page(0, 0).anonExclusive);
        assertConsistent(f);
    }

    @Test
    void fastWritePinOnAReadOnlyPteFallsBackAndBreaksCow() {
        KernelFixture f = shared(7);
        Page old = f.page(0, 0);
        GupRef r = f.gup(0, 0, true, true, true);
        assertNotNull(r);
        assertTrue(f.traceText().contains("not usable -> fall back"), f.traceText());
        assertNotEquals(old.id, r.page);
        assertTrue(f.pte(0, 0).write());
        assertConsistent(f);
    }

    @Test
    void writeGupOnAReadOnlyVmaFails() {
        KernelFixture f = written(1, 7);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        Page page = f.page(0, 0);
        for (boolean pin : new boolean[] {false, true}) {
            for (boolean fast : new boolean[] {false, true}) {
                assertNull(f.gup(0, 0, pin, true, fast), "pin=" + pin + " fast=" + fast);
                assertTrue(f.traceText().contains("-EFAULT"), f.traceText());
            }
        }
        assertEquals(1, page.refcount);
        assertEquals(0, page.pins + page.gets);
        assertFalse(f.s.procs[0].hasPinned);
        assertNotNull(f.gup(0, 0, false, false, false), "a read-only GET is fine");
    }

    @Test
    void fastPathRefusesAProtNoneMapping() {
        KernelFixture f = written(1, 7);
        f.kernel().mprotect.mprotectFixup(0, 0, false, false);
        assertNull(f.gup(0, 0, false, false, false), "slow path: -EFAULT");
        assertNull(f.gup(0, 0, false, false, true), "GUP-fast must fall back and fail as well");
        assertNull(f.gup(0, 0, true, false, true));
        assertEquals(1, f.page(0, 0).refcount);
    }

    @Test
    void gupWithoutVmaFails() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].vmas[0] = null;
        assertNull(f.gup(0, 0, true, false, false));
        assertNull(f.gup(0, 0, false, false, true));
    }

    @Test
    void readOnlyGupOfAnUntouchedPageGetsTheZeroPage() {
        KernelFixture f = KernelFixture.of(1, 1);
        GupRef r = f.gup(0, 0, true, false, false);
        assertNotNull(r);
        assertEquals(Pte.ZERO_PAGE, r.page);
        assertTrue(f.pte(0, 0).isZeroPage());
        assertTrue(f.s.pages().isEmpty(), "the zero page is never pinned");
        assertTrue(f.s.procs[0].hasPinned);
        assertEquals(0, f.kernel().gup.read(r));
        f.release(r);
        assertEquals(GupRef.State.DROPPED, r.state);
    }

    @Test
    void releaseDropsExactlyWhatWasTaken() {
        KernelFixture f = written(1, 7);
        Page page = f.page(0, 0);
        GupRef g = f.gup(0, 0, false, false, false);
        GupRef p = f.gup(0, 0, true, true, false);
        assertEquals(2 + Page.PIN_BIAS, page.refcount);

        f.release(p);
        assertEquals(GupRef.State.DROPPED, p.state);
        assertEquals(2, page.refcount);
        assertEquals(0, page.pins);
        assertEquals(1, page.gets);
        assertTrue(f.s.procs[0].hasPinned, "MMF_HAS_PINNED is sticky");
        assertConsistent(f);

        f.release(g);
        assertEquals(GupRef.State.DROPPED, g.state);
        assertEquals(1, page.refcount);
        assertEquals(0, page.gets);
        assertConsistent(f);
    }

    @Test
    void releaseOfTheLastReferenceFreesAnUnmappedPage() {
        KernelFixture f = written(1, 7);
        Page page = f.page(0, 0);
        GupRef p = f.gup(0, 0, true, true, false);
        f.kernel().mmap.doMunmap(0, 0);
        assertTrue(f.s.isLive(page.id), "the pin keeps the page");
        assertEquals(Page.PIN_BIAS, page.refcount);
        assertEquals(7, f.kernel().gup.read(p));
        f.release(p);
        assertTrue(f.traceText().contains("freed"), f.traceText());
        assertFalse(f.s.isLive(page.id));
        assertConsistent(f);
    }

    @Test
    void readReturnsThePageContents() {
        KernelFixture f = written(1, 7);
        GupRef g = f.gup(0, 0, false, true, false);
        assertEquals(7, f.kernel().gup.read(g));
        f.store(0, 0, 9);
        assertEquals(9, f.kernel().gup.read(g), "the process's write is seen through the reference");
        f.kernel().writePage(f.s.page(g.page), 11, "device");
        assertEquals(11, f.load(0, 0), "and the device's write by the process");
    }
}
