package org.mmcheck.model;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmcheck.kernel.KernelFixture;

/** Canonical keys identify states up to the numbering of pages (and slots). */
class CanonicalKeyTest {

    /** P0 stores 1 at page 0 and 2 at page 1, in the given order, then forks P1. */
    private static KernelFixture twoPages(boolean firstPage0, boolean fork) {
        KernelFixture f = KernelFixture.of(2, 2);
        if (firstPage0) {
            f.store(0, 0, 1);
            f.store(0, 1, 2);
        } else {
            f.store(0, 1, 2);
            f.store(0, 0, 1);
        }
        if (fork) f.fork(0, 1);
        return f;
    }

    @Test
    void statesDifferingOnlyInPageIdsHaveEqualKeys() {
        KernelFixture a = twoPages(true, false);
        KernelFixture b = twoPages(false, false);
        assertNotEquals(a.pte(0, 0).target(), b.pte(0, 0).target(), "the page ids really differ");
        CanonicalKey ka = CanonicalKey.of(a.s);
        CanonicalKey kb = CanonicalKey.of(b.s);
        assertEquals(ka, kb);
        assertEquals(ka.hashCode(), kb.hashCode());
    }

    @Test
    void equalKeysAfterForkAndCopyToo() {
        KernelFixture a = twoPages(true, true);
        KernelFixture b = twoPages(false, true);
        a.store(1, 0, 3);
        b.store(1, 0, 3);
        assertEquals(CanonicalKey.of(a.s), CanonicalKey.of(b.s));
    }

    @Test
    void idsShiftedByAFreedPageDoNotMatter() {
        KernelFixture a = KernelFixture.of(1, 1);
        a.store(0, 0, 4);
        KernelFixture b = KernelFixture.of(1, 1);
        b.s.putPage(b.s.allocPage(0));
        b.store(0, 0, 4);
        assertNotEquals(a.pte(0, 0).target(), b.pte(0, 0).target());
        assertEquals(CanonicalKey.of(a.s), CanonicalKey.of(b.s));
    }

    @Test
    void pageOrderFollowsTheWalkNotTheIds() {
        KernelFixture a = twoPages(true, false);
        KernelFixture b = twoPages(false, false);
        int[] oa = CanonicalKey.pageOrder(a.s);
        int[] ob = CanonicalKey.pageOrder(b.s);
        assertArrayEquals(new int[] {a.pte(0, 0).target(), a.pte(0, 1).target()}, oa);
        assertArrayEquals(new int[] {b.pte(0, 0).target(), b.pte(0, 1).target()}, ob);
    }

    @Test
    void differentContentGivesDifferentKeys() {
        KernelFixture a = twoPages(true, false);
        KernelFixture b = twoPages(true, false);
        b.page(0, 1).content = 3;
        assertNotEquals(CanonicalKey.of(a.s), CanonicalKey.of(b.s));
    }

    @Test
    void differentEntitlementGivesDifferentKeys() {
        KernelFixture a = twoPages(true, false);
        KernelFixture b = twoPages(true, false);
        b.s.procs[0].mutableEnt().set(0, 1, true);
        assertNotEquals(CanonicalKey.of(a.s), CanonicalKey.of(b.s));
    }

    @Test
    void swappedContentsAreDifferentStates() {
        // Page 0 holding 1 and page 1 holding 2 is not the same as the reverse.
        KernelFixture a = KernelFixture.of(1, 2);
        a.store(0, 0, 1);
        a.store(0, 1, 2);
        KernelFixture b = KernelFixture.of(1, 2);
        b.store(0, 0, 1);
        b.store(0, 1, 2);
        b.page(0, 0).content = 2;
        b.page(0, 1).content = 1;
        assertNotEquals(CanonicalKey.of(a.s), CanonicalKey.of(b.s));
    }

    @Test
    void sharingIsPartOfTheKey() {
        KernelFixture a = KernelFixture.of(2, 1);
        a.store(0, 0, 1);
        a.fork(0, 1);
        KernelFixture b = KernelFixture.of(2, 1);
        b.store(0, 0, 1);
        b.fork(0, 1);
        b.fault(1, 0, true); // the child copies; contents stay 1 everywhere
        b.setPte(1, 0, b.pte(1, 0).wrprotect());
        assertNotEquals(CanonicalKey.of(a.s), CanonicalKey.of(b.s));
    }

    @Test
    void copyHasTheSameKeyAndIsIndependent() {
        KernelFixture a = twoPages(true, true);
        KState c = a.s.copy();
        assertEquals(CanonicalKey.of(a.s), CanonicalKey.of(c));
        c.page(a.pte(0, 0).target()).refcount++;
        assertNotEquals(CanonicalKey.of(a.s), CanonicalKey.of(c));
        assertEquals(2, a.page(0, 0).refcount, "the original is unchanged");
    }

    @Test
    void historyAndReferenceCountsAreInTheKey() {
        KernelFixture a = twoPages(true, false);
        KernelFixture b = twoPages(true, false);
        b.s.procs[0].mutableEnt().set(0, 1, false); // same value, but 1 is now also in the history
        assertNotEquals(CanonicalKey.of(a.s), CanonicalKey.of(b.s));
        KernelFixture c = twoPages(true, false);
        c.page(0, 0).gets = 1;
        c.page(0, 0).refcount++;
        assertNotEquals(CanonicalKey.of(a.s), CanonicalKey.of(c.s));
    }

    @Test
    void fieldsTooLargeToPackAreRefusedNotTruncated() {
        KernelFixture a = twoPages(true, false);
        a.page(0, 0).mapcount = 256;
        IllegalStateException e = assertThrows(IllegalStateException.class, () -> CanonicalKey.of(a.s));
        assertTrue(e.getMessage().contains("too large"), e.getMessage());
    }
}
