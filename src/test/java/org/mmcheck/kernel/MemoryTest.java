package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;

/** mm/memory.c under 5.19: do_anonymous_page, do_wp_page and its reuse/copy decisions, handle_mm_fault. */
class MemoryTest {

    // ---- do_anonymous_page

    @Test
    void readFaultMapsTheZeroPageWithoutAllocating() {
        KernelFixture f = KernelFixture.of(1, 1);
        assertEquals(Memory.Fault.OK, f.fault(0, 0, false));
        Pte t = f.pte(0, 0);
        assertTrue(t.isZeroPage(), t.describe());
        assertFalse(t.write());
        assertTrue(f.s.pages().isEmpty(), "no page allocated for a read fault");
        assertEquals(0, f.s.nextPageId);
        assertTrue(f.traceText().contains("do_anonymous_page"), f.traceText());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void writeFaultAllocatesAnExclusivePageMappedWritableAndDirty() {
        KernelFixture f = KernelFixture.of(1, 1);
        assertEquals(Memory.Fault.OK, f.fault(0, 0, true));
        assertEquals(1, f.s.pages().size());
        Page page = f.page(0, 0);
        assertEquals(1, page.refcount);
        assertEquals(1, page.mapcount);
        assertTrue(page.anonExclusive);
        assertEquals(0, page.content, "a new anonymous page is zeroed");
        Pte t = f.pte(0, 0);
        assertTrue(t.write());
        assertTrue(t.dirty());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void secondWriteOnWritablePteDoesNotFaultAgain() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        f.store(0, 0, 6);
        assertSame(page, f.page(0, 0));
        assertEquals(6, page.content);
        assertEquals(1, f.s.pages().size());
        assertFalse(f.traceText().contains("do_wp_page"), f.traceText());
    }

    // ---- do_wp_page: reuse

    @Test
    void writeOnExclusivePageBehindReadOnlyPteReusesInPlace() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        assertEquals(Memory.Fault.OK, f.fault(0, 0, true));
        assertEquals(page.id, f.pte(0, 0).target(), "same page, no copy");
        assertTrue(f.pte(0, 0).write());
        assertTrue(f.pte(0, 0).dirty());
        assertEquals(1, page.refcount);
        assertEquals(1, page.mapcount);
        assertTrue(page.anonExclusive);
        assertEquals(5, page.content);
        assertEquals(1, f.s.pages().size());
        assertTrue(f.traceText().contains("wp_page_reuse"), f.traceText());
        assertFalse(f.traceText().contains("wp_page_copy"), f.traceText());
    }

    @Test
    void nonExclusivePageWithRefcountOneIsReusedAndMarkedExclusive() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        page.anonExclusive = false;
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        assertEquals(Set.of(), f.invariants());

        assertTrue(f.kernel().memory.wpCanReuseAnonFolio(page), "refcount 1 -> reusable");

        f.fault(0, 0, true);
        assertEquals(page.id, f.pte(0, 0).target());
        assertTrue(page.anonExclusive, "wp_can_reuse_anon_folio succeeded -> marked exclusive");
        assertTrue(f.pte(0, 0).write());
        assertEquals(1, f.s.pages().size());
        assertTrue(f.traceText().contains("do_wp_page's reuse test: refcount=1 -> reuse"), f.traceText());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void nonExclusivePageWithExtraReferenceIsCopied() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        page.anonExclusive = false;
        page.gets = 1;
        page.refcount++;
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        assertFalse(f.kernel().memory.wpCanReuseAnonFolio(page), "refcount 2 without swap cache -> copy");

        f.fault(0, 0, true);
        Page copy = f.page(0, 0);
        assertNotEquals(page.id, copy.id);
        assertEquals(5, copy.content);
        assertTrue(copy.anonExclusive);
        assertEquals(1, page.refcount, "only the GET reference is left on the old page");
        assertEquals(0, page.mapcount);
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void refcountAboveThreeIsNeverReused() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        page.anonExclusive = false;
        page.gets = 3;
        page.refcount += 3;
        assertFalse(f.kernel().memory.wpCanReuseAnonFolio(page));
        assertTrue(f.traceText().contains("refcount=4"), f.traceText());
    }

    @Test
    void swapCachePageWithUnusedSlotIsDroppedFromTheCacheAndReused() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        SwapSlot slot = f.s.allocSlot();
        slot.hasCache = true;
        page.swapcache = true;
        page.swapSlot = slot.id;
        page.refcount++;
        page.anonExclusive = false;
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());

        f.fault(0, 0, true);
        assertEquals(page.id, f.pte(0, 0).target(), "reused after leaving the swap cache");
        assertFalse(page.swapcache);
        assertEquals(1, page.refcount);
        assertTrue(page.anonExclusive);
        assertTrue(f.s.slots().isEmpty(), "slot freed: no swap PTE and no cache");
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    // ---- do_wp_page: copy

    @Test
    void writeToPageSharedWithChildCopies() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        Page old = f.page(0, 0);
        f.fork(0, 1);
        assertEquals(2, old.refcount);
        assertEquals(2, old.mapcount);

        f.store(1, 0, 8);
        Page copy = f.page(1, 0);
        assertNotEquals(old.id, copy.id);
        assertTrue(f.traceText().contains("wp_page_copy"), f.traceText());
        assertTrue(copy.anonExclusive);
        assertEquals(1, copy.refcount);
        assertEquals(1, copy.mapcount);
        assertEquals(8, copy.content);
        assertTrue(f.pte(1, 0).write());
        assertEquals(1, old.refcount, "old page lost the child's reference");
        assertEquals(1, old.mapcount);
        assertFalse(old.anonExclusive);
        assertEquals(7, old.content, "the parent's data is untouched");
        assertEquals(old.id, f.pte(0, 0).target());
        assertFalse(f.pte(0, 0).write(), "parent PTE still R/O");
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void copyKeepsTheOldContent() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        f.fork(0, 1);
        f.fault(1, 0, true);
        assertEquals(7, f.page(1, 0).content, "wp_page_copy copies the data");
        assertNotEquals(f.page(0, 0).id, f.page(1, 0).id);
    }

    @Test
    void writeOnTheZeroPageCopiesZeroes() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.fault(0, 0, false);
        assertTrue(f.pte(0, 0).isZeroPage());
        f.fault(0, 0, true);
        assertTrue(f.traceText().contains("zero page"), f.traceText());
        assertTrue(f.traceText().contains("wp_page_copy"), f.traceText());
        Page page = f.page(0, 0);
        assertEquals(0, page.content);
        assertTrue(page.anonExclusive);
        assertEquals(1, page.refcount);
        assertEquals(1, page.mapcount);
        assertTrue(f.pte(0, 0).write());
        assertEquals(1, f.s.pages().size());
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void ksmPageIsAlwaysCopiedEvenWithRefcountOne() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 9);
        Page ksm = f.page(0, 0);
        ksm.ksm = true;
        ksm.anonExclusive = false;
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        assertFalse(f.kernel().memory.wpCanReuseAnonFolio(ksm));

        f.fault(0, 0, true);
        Page copy = f.page(0, 0);
        assertNotEquals(ksm.id, copy.id);
        assertFalse(copy.ksm);
        assertTrue(copy.anonExclusive);
        assertEquals(9, copy.content);
        assertFalse(f.s.isLive(ksm.id), "the KSM page lost its last mapping and reference");
    }

    @Test
    void sharedKsmPageIsCopiedForTheWriterOnly() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 9);
        f.fork(0, 1);
        Page ksm = f.page(0, 0);
        ksm.ksm = true;
        f.fault(0, 0, true);
        assertNotEquals(ksm.id, f.page(0, 0).id);
        assertEquals(ksm.id, f.page(1, 0).id);
        assertEquals(1, ksm.refcount);
        assertEquals(1, ksm.mapcount);
        // The remaining sole mapper is copied too: KSM pages are never reused.
        f.fault(1, 0, true);
        assertNotEquals(ksm.id, f.page(1, 0).id);
        assertFalse(f.s.isLive(ksm.id));
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    // ---- unshare (FAULT_FLAG_UNSHARE)

    @Test
    void unshareOnExclusivePageKeepsThePteReadOnly() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        Pte ro = f.pte(0, 0).wrprotect();
        f.setPte(0, 0, ro);

        f.kernel().memory.doWpPage(0, 0, true);
        assertEquals(ro, f.pte(0, 0), "unshare of an exclusive page leaves the PTE untouched");
        assertTrue(page.anonExclusive);
        assertEquals(1, f.s.pages().size());

        // handle_mm_fault does not even enter do_wp_page: gup_must_unshare is false.
        assertFalse(f.kernel().memory.mustUnshare(f.pte(0, 0)));
        assertEquals(Memory.Fault.OK, f.unshareFault(0, 0));
        assertEquals(ro, f.pte(0, 0));
    }

    @Test
    void unshareOnSharedPageCopiesIntoReadOnlyExclusivePage() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        f.fork(0, 1);
        Page old = f.page(0, 0);
        assertTrue(f.kernel().memory.mustUnshare(f.pte(1, 0)));

        assertEquals(Memory.Fault.OK, f.unshareFault(1, 0));
        Page copy = f.page(1, 0);
        assertNotEquals(old.id, copy.id);
        assertEquals(7, copy.content);
        assertTrue(copy.anonExclusive);
        assertFalse(f.pte(1, 0).write(), "unshare maps the copy R/O");
        assertFalse(f.pte(1, 0).dirty());
        assertEquals(1, old.refcount);
        assertEquals(1, old.mapcount);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void unshareOnReusableNonExclusivePageMarksItExclusiveAndKeepsReadOnly() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        page.anonExclusive = false;
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        f.unshareFault(0, 0);
        assertEquals(page.id, f.pte(0, 0).target());
        assertTrue(page.anonExclusive);
        assertFalse(f.pte(0, 0).write());
        assertEquals(Set.of(), f.invariants());
    }

    // ---- handle_mm_fault permission checks

    @Test
    void writeToReadOnlyVmaIsSigsegvAndChangesNothing() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        f.s.procs[0].vmas[0] = f.vma(0, 0).withProt(true, false);
        f.setPte(0, 0, f.pte(0, 0).wrprotect());
        Pte before = f.pte(0, 0);
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, true));
        assertEquals(before, f.pte(0, 0));
        assertEquals(1, page.refcount);
        assertTrue(f.traceText().contains("SIGSEGV"), f.traceText());
        assertEquals(Memory.Fault.OK, f.fault(0, 0, false), "reading is still allowed");
    }

    @Test
    void writeFaultOnNoneInReadOnlyVmaIsSigsegvWithoutAllocating() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].vmas[0] = f.vma(0, 0).withProt(true, false);
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, true));
        assertTrue(f.pte(0, 0).isNone());
        assertTrue(f.s.pages().isEmpty());
    }

    @Test
    void anyAccessWithoutVmaIsSigsegv() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].vmas[0] = null;
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, false));
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, true));
        assertEquals(Memory.Fault.SIGSEGV, f.unshareFault(0, 0));
        assertTrue(f.pte(0, 0).isNone());
        assertTrue(f.s.pages().isEmpty());
    }

    @Test
    void protNoneVmaRefusesReads() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].vmas[0] = f.vma(0, 0).withProt(false, false);
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, false));
    }
}
