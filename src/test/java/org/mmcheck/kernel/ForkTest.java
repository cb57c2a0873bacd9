package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;

/** kernel/fork.c dup_mmap and mm/memory.c copy_present_pte / copy_present_page under 5.19. */
class ForkTest {

    @Test
    void sharedAnonPageGetsOneMoreReferenceAndBothPtesReadOnly() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        assertTrue(page.anonExclusive);
        assertTrue(f.pte(0, 0).write());

        f.fork(0, 1);
        assertEquals(1, f.s.pages().size(), "no copy");
        assertEquals(2, page.refcount);
        assertEquals(2, page.mapcount);
        assertFalse(page.anonExclusive, "page_try_dup_anon_rmap clears exclusivity");
        assertEquals(page.id, f.pte(0, 0).target());
        assertEquals(page.id, f.pte(1, 0).target());
        assertFalse(f.pte(0, 0).write(), "parent PTE write-protected");
        assertFalse(f.pte(1, 0).write(), "child PTE R/O");
        assertEquals(f.vma(0, 0), f.vma(1, 0));
        assertTrue(f.traceText().contains("clear anon-exclusive"), f.traceText());
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void dontcopyVmaIsNotInherited() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        assertTrue(f.kernel().madvise.setDontcopy(0, 0, true));
        Pte parentPte = f.pte(0, 0);

        f.fork(0, 1);
        assertNull(f.vma(1, 0), "child gets no VMA");
        assertTrue(f.pte(1, 0).isNone());
        assertEquals(parentPte, f.pte(0, 0), "parent PTE untouched (still writable)");
        assertEquals(1, page.refcount);
        assertEquals(1, page.mapcount);
        assertTrue(page.anonExclusive);
        assertTrue(f.traceText().contains("VM_DONTCOPY"), f.traceText());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void wipeOnForkChildGetsAnEmptyVma() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        assertTrue(f.kernel().madvise.setWipeOnFork(0, 0, true));
        Pte parentPte = f.pte(0, 0);

        f.fork(0, 1);
        assertNotNull(f.vma(1, 0));
        assertTrue(f.vma(1, 0).wipeOnFork());
        assertTrue(f.pte(1, 0).isNone());
        assertEquals(parentPte, f.pte(0, 0));
        assertEquals(1, page.refcount);
        assertTrue(page.anonExclusive);
        assertEquals(0, f.load(1, 0), "the child reads zeroes");
        assertTrue(f.pte(1, 0).isZeroPage());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void zeroPageOnlyMappingHasNoAnonVmaSoForkDoesNotCopyItsPageTable() {
        // Seen on 6.1 by `mmcheck real` (zero-page-fork): copy_page_range skips a VMA without anon_vma.
        KernelFixture f = KernelFixture.of(2, 1);
        f.fault(0, 0, false);
        f.fork(0, 1);
        assertTrue(f.pte(0, 0).isZeroPage());
        assertTrue(f.pte(1, 0).isNone());
        assertEquals(0, f.load(1, 0));
        assertTrue(f.pte(1, 0).isZeroPage());
        assertTrue(f.s.pages().isEmpty());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void zeroPageIsSharedWhenTheVmaHasAnAnonVma() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 1);
        f.kernel().madvise.madviseDontneed(0, 0);
        f.fault(0, 0, false);
        f.fork(0, 1);
        assertTrue(f.pte(0, 0).isZeroPage());
        assertTrue(f.pte(1, 0).isZeroPage());
        assertTrue(f.s.pages().isEmpty());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void noneAndUnmappedPagesStayNone() {
        KernelFixture f = KernelFixture.of(2, 2);
        f.s.procs[0].vmas[1] = null;
        f.fork(0, 1);
        assertTrue(f.pte(1, 0).isNone());
        assertNotNull(f.vma(1, 0));
        assertNull(f.vma(1, 1));
        assertTrue(f.pte(1, 1).isNone());
    }

    @Test
    void pinnedExclusivePageIsCopiedForTheChild() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        f.s.procs[0].hasPinned = true;
        page.pins = 1;
        page.refcount += Page.PIN_BIAS;
        Pte parentPte = f.pte(0, 0);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());

        f.fork(0, 1);
        assertEquals(parentPte, f.pte(0, 0), "parent PTE unchanged, still writable");
        assertTrue(f.pte(0, 0).write());
        assertEquals(1 + Page.PIN_BIAS, page.refcount);
        assertEquals(1, page.mapcount);
        assertTrue(page.anonExclusive, "the pinned page stays exclusive");

        Page copy = f.page(1, 0);
        assertNotEquals(page.id, copy.id);
        assertEquals(7, copy.content);
        assertEquals(1, copy.refcount);
        assertEquals(1, copy.mapcount);
        assertTrue(copy.anonExclusive);
        assertTrue(f.pte(1, 0).write(), "VM_WRITE child VMA: copy mapped writable");
        assertTrue(f.pte(1, 0).dirty());
        assertTrue(f.traceText().contains("copy_present_page"), f.traceText());
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void exclusivePageInPinnedMmButNotMaybePinnedIsShared() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        f.s.procs[0].hasPinned = true; // MMF_HAS_PINNED is sticky, but this page has no pin
        f.fork(0, 1);
        assertEquals(page.id, f.pte(1, 0).target());
        assertEquals(2, page.refcount);
        assertFalse(page.anonExclusive);
    }

    @Test
    void maybePinnedPageInMmWithoutPinsIsShared() {
        // folio_needs_cow_for_dma needs MMF_HAS_PINNED too: a refcount >= 1024 alone does not copy.
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        page.gets = Page.PIN_BIAS;
        page.refcount += Page.PIN_BIAS;
        f.fork(0, 1);
        assertEquals(page.id, f.pte(1, 0).target());
        assertEquals(2 + Page.PIN_BIAS, page.refcount);
        assertEquals(2, page.mapcount);
    }

    @Test
    void afterChildExitsParentReusesTheNoLongerSharedPage() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        f.fork(0, 1);
        f.exit(1);
        assertEquals(1, page.refcount);
        assertEquals(1, page.mapcount);
        assertFalse(page.anonExclusive);

        f.store(0, 0, 8);
        assertEquals(page.id, f.pte(0, 0).target(), "refcount 1 -> wp_can_reuse_anon_folio reuses");
        assertTrue(page.anonExclusive);
        assertEquals(8, page.content);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void parentWriteAfterForkLeavesChildTheOldValue() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        f.fork(0, 1);
        f.store(0, 0, 8);
        assertEquals(8, f.load(0, 0));
        assertEquals(7, f.load(1, 0));
        assertNotEquals(f.page(0, 0).id, f.page(1, 0).id);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void grandchildSharesWithBoth() {
        KernelFixture f = KernelFixture.of(3, 1);
        f.store(0, 0, 7);
        Page page = f.page(0, 0);
        f.fork(0, 1);
        f.fork(1, 2);
        assertEquals(3, page.refcount);
        assertEquals(3, page.mapcount);
        assertEquals(Set.of(), f.invariants());
    }
}
