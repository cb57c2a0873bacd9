package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;

/** mm/ksm.c under 5.19: scan, write_protect_page, replace_page, break_ksm and unmerge. */
class KsmTest {

    /** P0 with pages 0..n-1 holding the given values, every one MADV_MERGEABLE. */
    private static KernelFixture pages(int... values) {
        KernelFixture f = KernelFixture.of(2, values.length);
        for (int x = 0; x < values.length; x++) {
            f.store(0, x, values[x]);
            f.mergeable(0, x);
        }
        return f;
    }

    private static void assertConsistent(KernelFixture f) {
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    private static void assertMergedKsmPage(KernelFixture f, Page kpage, int mappers) {
        assertTrue(kpage.ksm);
        assertFalse(kpage.anonExclusive, "KSM pages are never exclusive");
        assertEquals(mappers, kpage.mapcount);
        assertEquals(mappers, kpage.refcount);
        assertTrue(kpage.dirty, "marked dirty so that reclaim swaps it rather than dropping it");
    }

    @Test
    void twoIdenticalPagesMergeIntoOneKsmPage() {
        KernelFixture f = pages(5, 5);
        Page a = f.page(0, 0);
        Page b = f.page(0, 1);

        f.ksmScan();
        String tr = f.traceText();
        assertTrue(tr.contains("try_to_merge_two_pages"), tr);
        assertTrue(tr.contains("replace_page"), tr);
        Pte t0 = f.pte(0, 0);
        Pte t1 = f.pte(0, 1);
        assertEquals(t0.target(), t1.target(), "both map one page");
        Page kpage = f.page(0, 0);
        assertMergedKsmPage(f, kpage, 2);
        assertEquals(5, kpage.content);
        for (Pte t : List.of(t0, t1)) {
            assertFalse(t.write(), "R/O");
            assertFalse(t.dirty(), "clean");
        }
        assertEquals(1, f.s.pages().size(), "the other page was freed");
        Page freed = kpage.id == a.id ? b : a;
        assertFalse(f.s.isLive(freed.id));
        assertConsistent(f);
        assertEquals(5, f.load(0, 0));
        assertEquals(5, f.load(0, 1));
    }

    @Test
    void aThirdIdenticalPageJoinsTheStableKsmPage() {
        KernelFixture f = pages(5, 5, 5);
        f.ksmScan();
        Page kpage = f.page(0, 0);
        assertSame(kpage, f.page(0, 1));
        assertSame(kpage, f.page(0, 2));
        assertMergedKsmPage(f, kpage, 3);
        assertEquals(1, f.s.pages().size());
        assertConsistent(f);
    }

    @Test
    void aLaterPageMergesWithAnExistingKsmPage() {
        KernelFixture f = KernelFixture.of(1, 3);
        f.store(0, 0, 5);
        f.store(0, 1, 5);
        f.store(0, 2, 5);
        f.mergeable(0, 0);
        f.mergeable(0, 1);
        f.ksmScan();
        Page kpage = f.page(0, 0);
        assertTrue(kpage.ksm);
        assertTrue(f.pte(0, 2).write(), "not mergeable yet");

        f.mergeable(0, 2);
        f.ksmScan();
        assertTrue(f.traceText().contains("matches KSM page#" + kpage.id), f.traceText());
        assertSame(kpage, f.page(0, 2));
        assertMergedKsmPage(f, kpage, 3);
        assertConsistent(f);
    }

    @Test
    void pagesWithDifferentContentsDoNotMerge() {
        KernelFixture f = pages(5, 6);
        Page a = f.page(0, 0);
        Page b = f.page(0, 1);
        Pte t0 = f.pte(0, 0);
        Pte t1 = f.pte(0, 1);
        f.ksmScan();
        assertEquals(t0, f.pte(0, 0));
        assertEquals(t1, f.pte(0, 1));
        assertFalse(a.ksm || b.ksm);
        assertTrue(a.anonExclusive && b.anonExclusive);
        assertEquals(2, f.s.pages().size());
        assertFalse(f.kernel().ksm.mergeable(new Ksm.Place(0, 0), new Ksm.Place(0, 1)));
    }

    @Test
    void nonMergeableVmasAreIgnored() {
        KernelFixture f = KernelFixture.of(1, 2);
        f.store(0, 0, 5);
        f.store(0, 1, 5);
        assertTrue(f.kernel().ksm.mergeablePlaces().isEmpty());
        f.ksmScan();
        assertFalse(f.page(0, 0).ksm || f.page(0, 1).ksm);
        assertNotEquals(f.page(0, 0).id, f.page(0, 1).id);

        f.mergeable(0, 0); // only one side mergeable
        assertEquals(List.of(new Ksm.Place(0, 0)), f.kernel().ksm.mergeablePlaces());
        f.ksmScan();
        assertFalse(f.page(0, 0).ksm);
        assertEquals(2, f.s.pages().size());
    }

    @Test
    void aPageWithAGetIsNotMergedAndThePartnerIsBrokenAgain() {
        // Scan order: page 1 is write-protected first and becomes the KSM page; page 0 then fails
        // write_protect_page (refcount 2 != mapcount 1) and page 1's KSM page is broken again.
        KernelFixture f = pages(5, 5);
        GupRef g = f.gup(0, 0, false, false, false);
        assertNotNull(g);
        Page held = f.page(0, 0);
        Pte before = f.pte(0, 0);

        f.ksmScan();
        String tr = f.traceText();
        assertTrue(tr.contains("write_protect_page: page#" + held.id + " refcount=2 != mapcount+swapcache=1 -> fail"), tr);
        assertTrue(tr.contains("break_cow"), tr);
        assertEquals(before, f.pte(0, 0), "held page untouched, still writable");
        assertSame(held, f.page(0, 0));
        assertTrue(held.anonExclusive);
        assertFalse(held.ksm);
        assertEquals(2, held.refcount);
        for (Page p : f.s.pages()) assertFalse(p.ksm, "no KSM page is left");
        assertEquals(5, f.load(0, 1));
        assertConsistent(f);
    }

    @Test
    void aPinnedPageIsNotMerged() {
        KernelFixture f = pages(5, 5);
        Page pinned = f.page(0, 1); // scanned first: the would-be KSM page
        GupRef p = f.gup(0, 1, true, true, false);
        assertNotNull(p);
        Pte before = f.pte(0, 1);

        f.ksmScan();
        assertTrue(f.traceText().contains("refcount=" + (1 + Page.PIN_BIAS)), f.traceText());
        assertEquals(before, f.pte(0, 1));
        assertTrue(pinned.anonExclusive);
        assertFalse(pinned.ksm);
        assertNotEquals(f.page(0, 0).id, pinned.id);
        for (Page q : f.s.pages()) assertFalse(q.ksm);
        assertConsistent(f);
    }

    @Test
    void pagesSharedWithAChildMergeWithoutACountProblem() {
        // Shared R/O clean-ness: after fork the PTEs are R/O but dirty; refcount 2 == mapcount 2.
        KernelFixture f = pages(5, 5);
        f.fork(0, 1);
        f.ksmScan();
        Page kpage = f.page(0, 0);
        assertTrue(kpage.ksm);
        assertSame(kpage, f.page(0, 1));
        assertSame(kpage, f.page(1, 0));
        assertSame(kpage, f.page(1, 1));
        assertMergedKsmPage(f, kpage, 4);
        assertConsistent(f);
    }

    @Test
    void writeFaultOnAKsmPageCopies() {
        KernelFixture f = pages(5, 5);
        f.ksmScan();
        Page kpage = f.page(0, 0);

        f.store(0, 0, 9);
        Page mine = f.page(0, 0);
        assertNotEquals(kpage.id, mine.id);
        assertEquals(9, mine.content);
        assertTrue(mine.anonExclusive);
        assertFalse(mine.ksm);
        assertTrue(f.pte(0, 0).write());
        assertSame(kpage, f.page(0, 1));
        assertTrue(kpage.ksm);
        assertEquals(1, kpage.mapcount);
        assertEquals(1, kpage.refcount);
        assertEquals(5, f.load(0, 1));
        assertConsistent(f);

        // Even as the last mapper the KSM page is copied, never reused.
        f.store(0, 1, 10);
        assertNotEquals(kpage.id, f.page(0, 1).id);
        assertFalse(f.s.isLive(kpage.id));
        assertConsistent(f);
    }

    @Test
    void readOnlyPinOfAKsmPageUnsharesIt() {
        KernelFixture f = pages(5, 5);
        f.ksmScan();
        Page kpage = f.page(0, 0);
        GupRef p = f.gup(0, 0, true, false, false);
        assertNotNull(p);
        assertNotEquals(kpage.id, p.page, "a KSM page is never pinned");
        assertTrue(f.page(0, 0).anonExclusive);
        assertFalse(f.pte(0, 0).write());
        assertConsistent(f);
    }

    @Test
    void madvUnmergeableBreaksTheKsmPage() {
        KernelFixture f = pages(5, 5);
        f.ksmScan();
        Page kpage = f.page(0, 0);

        assertTrue(f.kernel().madvise.setMergeable(0, 0, false));
        assertTrue(f.traceText().contains("unmerge_ksm_pages"), f.traceText());
        assertFalse(f.vma(0, 0).mergeable());
        Page own = f.page(0, 0);
        assertNotEquals(kpage.id, own.id);
        assertFalse(own.ksm);
        assertTrue(own.anonExclusive);
        assertEquals(5, own.content);
        assertEquals(1, kpage.mapcount);
        assertConsistent(f);

        // unmerge_ksm_pages directly on the other page; the KSM page goes away.
        f.kernel().ksm.unmergeKsmPages(0, 1);
        assertFalse(f.page(0, 1).ksm);
        assertFalse(f.s.isLive(kpage.id));
        for (Page q : f.s.pages()) assertFalse(q.ksm);
        assertConsistent(f);

        // Unmerging a page that is not a KSM page does nothing.
        Pte t = f.pte(0, 1);
        f.kernel().ksm.unmergeKsmPages(0, 1);
        assertEquals(t, f.pte(0, 1));
        assertFalse(f.traceText().contains("break_ksm"), f.traceText());
    }

    @Test
    void swapOutAndInOfAKsmPageKeepsItNonExclusive() {
        KernelFixture f = pages(5, 5);
        f.ksmScan();
        Page kpage = f.page(0, 0);
        f.reclaim(kpage);
        assertTrue(f.pte(0, 0).isSwap() && f.pte(0, 1).isSwap());
        assertFalse(f.pte(0, 0).exclusive() || f.pte(0, 1).exclusive());
        assertEquals(2, f.slot(0, 0).count);
        f.endWriteback(kpage);
        assertEquals(5, f.load(0, 0));
        assertSame(kpage, f.page(0, 0));
        assertFalse(kpage.anonExclusive);
        assertConsistent(f);
    }

    @Test
    void aKsmPageReusedBy57IsAnOrdinaryPageAgain() {
        // Found by running the KSM tests under interleave ptlock: the reused page stayed "KSM" with a
        // writable PTE, and a later merge mapped it into another place, so a store leaked into it.
        KernelFixture f = KernelFixture.of(1, 2, new org.mmcheck.variant.V5_7(),
                new org.mmcheck.model.SwapDevice(true, false, false, true));
        f.store(0, 0, 3);
        f.store(0, 1, 3);
        f.mergeable(0, 0);
        f.mergeable(0, 1);
        f.ksmScan();
        f.ksmScan();
        Page kpage = f.page(0, 0);
        assertTrue(kpage.ksm, f.traceText());
        f.store(0, 1, 5); // y copies away: the KSM page is mapped once
        f.store(0, 0, 4); // reuse_ksm_page: refcount 1, mapcount 1
        assertEquals(kpage.id, f.page(0, 0).id, "reused in place");
        assertFalse(f.page(0, 0).ksm, "page_move_anon_rmap made it an anonymous page again");
        assertTrue(f.pte(0, 0).write());
        assertConsistent(f);
    }
}
