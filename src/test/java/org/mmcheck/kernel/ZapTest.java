package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.model.Page;

/** zap_pte_range through munmap (do_munmap), MADV_DONTNEED and exit (exit_mmap) under 5.19. */
class ZapTest {

    @Test
    void munmapFreesTheLastReferenceAndRemovesTheVma() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        f.kernel().mmap.doMunmap(0, 0);
        assertTrue(f.pte(0, 0).isNone());
        assertNull(f.vma(0, 0));
        assertFalse(f.s.isLive(page.id));
        assertTrue(f.s.pages().isEmpty());
        assertEquals(0, page.refcount);
        assertEquals(0, page.mapcount);
        assertTrue(f.traceText().contains("freed"), f.traceText());
        assertEquals(Set.of(), f.invariants());
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, false), "no VMA after munmap");
    }

    @Test
    void munmapWithoutVmaDoesNothing() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].vmas[0] = null;
        f.kernel().mmap.doMunmap(0, 0);
        assertNull(f.vma(0, 0));
        assertTrue(f.pte(0, 0).isNone());
    }

    @Test
    void dontneedFreesThePageButKeepsTheVma() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        assertTrue(f.kernel().madvise.madviseDontneed(0, 0));
        assertTrue(f.pte(0, 0).isNone());
        assertNotNull(f.vma(0, 0), "MADV_DONTNEED keeps the VMA");
        assertFalse(f.s.isLive(page.id));
        assertEquals(0, f.load(0, 0), "the next touch faults in zeroes");
        assertTrue(f.pte(0, 0).isZeroPage());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void dontneedWithoutVmaFails() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].vmas[0] = null;
        assertFalse(f.kernel().madvise.madviseDontneed(0, 0));
        assertTrue(f.traceText().contains("ENOMEM"), f.traceText());
    }

    @Test
    void dontneedOfTheZeroPageTouchesNoPage() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.fault(0, 0, false);
        assertTrue(f.kernel().madvise.madviseDontneed(0, 0));
        assertTrue(f.pte(0, 0).isNone());
        assertTrue(f.s.pages().isEmpty());
    }

    @Test
    void unmapBySharerDropsOneReferenceAndOneMapping() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        f.fork(0, 1);
        f.kernel().mmap.doMunmap(1, 0);
        assertTrue(f.s.isLive(page.id));
        assertEquals(1, page.refcount);
        assertEquals(1, page.mapcount);
        assertEquals(page.id, f.pte(0, 0).target(), "the parent keeps its mapping");
        assertNull(f.vma(1, 0));
        assertNotNull(f.vma(0, 0));
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void zapDoesNotClearExclusivityOfASurvivingPage() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        page.gets = 1; // an extra reference (e.g. a FOLL_GET) keeps the page alive
        page.refcount++;
        f.kernel().madvise.madviseDontneed(0, 0);
        assertTrue(f.s.isLive(page.id));
        assertEquals(1, page.refcount);
        assertEquals(0, page.mapcount);
        assertTrue(page.anonExclusive, "zap leaves PG_anon_exclusive alone");
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void zapOfPinnedPageKeepsPinAndExclusivity() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        f.s.procs[0].hasPinned = true;
        page.pins = 1;
        page.refcount += Page.PIN_BIAS;
        f.kernel().mmap.doMunmap(0, 0);
        assertTrue(f.s.isLive(page.id));
        assertEquals(Page.PIN_BIAS, page.refcount);
        assertEquals(0, page.mapcount);
        assertTrue(page.anonExclusive);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void exitTearsDownEveryMapping() {
        KernelFixture f = KernelFixture.of(2, 3);
        f.store(0, 0, 1);
        f.store(0, 1, 2);
        f.fault(0, 2, false);
        Page a = f.page(0, 0);
        Page b = f.page(0, 1);
        f.fork(0, 1);
        f.store(1, 1, 3); // child copies page 1
        Page childB = f.page(1, 1);

        f.exit(1);
        for (int x = 0; x < 3; x++) {
            assertNull(f.vma(1, x));
            assertTrue(f.pte(1, x).isNone());
        }
        assertFalse(f.s.isLive(childB.id), "the child's private copy is freed");
        assertEquals(1, a.refcount);
        assertEquals(1, a.mapcount);
        assertEquals(1, b.refcount);
        assertEquals(2, f.s.pages().size());
        assertTrue(f.traceText().contains("exit_mmap"), f.traceText());
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void exitOfTheLastMapperFreesEverything() {
        KernelFixture f = KernelFixture.of(1, 2);
        f.store(0, 0, 1);
        f.store(0, 1, 2);
        f.exit(0);
        assertTrue(f.s.pages().isEmpty());
        assertEquals(Set.of(), f.invariants());
    }
}
