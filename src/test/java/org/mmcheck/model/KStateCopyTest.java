package org.mmcheck.model;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotSame;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** A successor shares its parent's pages and slots until it changes them (copy on write). */
class KStateCopyTest {

    private static KState parent() {
        KState s = new KState(new Proc[] {new Proc(0, 1)}, 0, 0, new SwapDevice(true, false, false, true));
        s.allocPage(1);
        s.allocPage(2);
        s.allocSlot().count = 1;
        return s;
    }

    @Test
    void readingDoesNotCopyAndChangingCopiesOnce() {
        KState p = parent();
        KState c = p.copy();
        assertSame(p.pageView(0), c.pageView(0), "shared after copy");
        Page mine = c.page(0);
        assertNotSame(p.pageView(0), mine);
        assertSame(mine, c.page(0), "copied once, then owned");
        assertSame(mine, c.pageView(0));
        mine.content = 9;
        assertEquals(1, p.pageView(0).content, "the parent keeps its page");
        assertSame(p.pageView(1), c.pageView(1), "pages the step did not touch stay shared");
        assertSame(p.page(0), p.pageView(0), "a state owns the pages it allocated");
    }

    @Test
    void slotsAndFreeingAreCopyOnWriteToo() {
        KState p = parent();
        KState c = p.copy();
        c.slot(0).count = 0;
        c.maybeFreeSlot(c.slot(0));
        assertTrue(c.slots().isEmpty());
        assertEquals(1, p.slotView(0).count);
        Page freed = c.page(1);
        c.putPage(freed);
        assertEquals(1, c.pages().size());
        assertEquals(2, p.pages().size());
        assertEquals(1, p.pageView(1).refcount);
    }

    @Test
    void swapCacheLookupCopiesOnlyForChanges() {
        KState p = parent();
        Page cached = p.page(0);
        cached.swapcache = true;
        cached.swapSlot = 0;
        KState c = p.copy();
        assertSame(cached, c.swapCachePageView(0));
        assertNotSame(cached, c.swapCachePage(0));
        assertEquals(null, c.swapCachePageView(7));
    }

    @Test
    void tablesAreIndexedByIdAndKeepIdOrder() {
        KState p = parent();
        KState c = p.copy();
        c.putPage(c.page(0));
        Page third = c.allocPage(3);
        assertEquals(2, third.id);
        assertEquals(java.util.List.of(1, 2), c.pages().stream().map(pg -> pg.id).toList());
        assertEquals(2, c.pageCount());
        assertEquals(null, c.pageAt(0), "freed");
        assertEquals(null, c.pageAt(-1));
        assertEquals(null, c.pageAt(99));
        assertTrue(c.pageIdBound() >= 3);
        assertEquals(2, p.pageCount(), "the parent's table did not grow or lose a page");
        assertEquals(null, p.pageAt(2));
        assertSame(p.pageView(0), p.pages().get(0));
        assertEquals(1, c.slotCount());
        assertTrue(c.isSlotUsed(0));
        assertEquals(null, c.slotAt(1));
    }
}
