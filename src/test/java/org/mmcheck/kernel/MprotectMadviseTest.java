package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;

/** mm/mprotect.c mprotect_fixup and the VMA-flag advice of mm/madvise.c under 5.19. */
class MprotectMadviseTest {

    @Test
    void protReadWriteProtectsThePte() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        assertTrue(f.kernel().mprotect.mprotectFixup(0, 0, true, false));
        assertFalse(f.pte(0, 0).write());
        assertEquals(page.id, f.pte(0, 0).target());
        assertFalse(f.vma(0, 0).write());
        assertTrue(f.vma(0, 0).read());
        assertTrue(page.anonExclusive, "mprotect does not touch exclusivity");
        assertTrue(f.traceText().contains("write-protected"), f.traceText());
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, true));
        assertEquals(5, f.load(0, 0));
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void protReadWriteLeavesThePteReadOnlyAndTheNextWriteReusesTheExclusivePage() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        assertTrue(f.kernel().mprotect.mprotectFixup(0, 0, true, true));
        assertTrue(f.vma(0, 0).write());
        assertFalse(f.pte(0, 0).write(), "5.19: private PTEs stay R/O after PROT_WRITE");
        assertTrue(f.traceText().contains("stays R/O"), f.traceText());

        f.store(0, 0, 6);
        assertTrue(f.traceText().contains("do_wp_page"), f.traceText());
        assertTrue(f.traceText().contains("wp_page_reuse"), f.traceText());
        assertFalse(f.traceText().contains("wp_page_copy"), f.traceText());
        assertEquals(page.id, f.pte(0, 0).target());
        assertTrue(f.pte(0, 0).write());
        assertEquals(1, f.s.pages().size());
        assertEquals(6, page.content);
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void protNoneKeepsThePageButRefusesAccess() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        f.kernel().mprotect.mprotectFixup(0, 0, false, false);
        assertEquals(page.id, f.pte(0, 0).target());
        assertFalse(f.pte(0, 0).write());
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, false));
        assertEquals(Memory.Fault.SIGSEGV, f.fault(0, 0, true));
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void mprotectOfTheZeroPageAndOfNoneIsHarmless() {
        KernelFixture f = KernelFixture.of(1, 2);
        f.fault(0, 0, false);
        f.kernel().mprotect.mprotectFixup(0, 0, true, true);
        assertTrue(f.pte(0, 0).isZeroPage());
        f.kernel().mprotect.mprotectFixup(0, 1, true, false);
        assertTrue(f.pte(0, 1).isNone());
        assertFalse(f.vma(0, 1).write());
    }

    @Test
    void mprotectWithoutVmaFails() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].vmas[0] = null;
        assertFalse(f.kernel().mprotect.mprotectFixup(0, 0, true, true));
        assertTrue(f.traceText().contains("ENOMEM"), f.traceText());
    }

    @Test
    void mprotectOnSharedPageThenWriteStillCopies() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 5);
        Page page = f.page(0, 0);
        f.fork(0, 1);
        f.kernel().mprotect.mprotectFixup(1, 0, true, false);
        f.kernel().mprotect.mprotectFixup(1, 0, true, true);
        f.store(1, 0, 6);
        assertTrue(f.page(1, 0).id != page.id, "the child must not write into the shared page");
        assertEquals(5, page.content);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void madviseTogglesVmaFlags() {
        KernelFixture f = KernelFixture.of(1, 1);
        Kernel k = f.kernel();
        assertTrue(k.madvise.setDontcopy(0, 0, true));
        assertTrue(f.vma(0, 0).dontcopy());
        assertTrue(k.madvise.setDontcopy(0, 0, false));
        assertFalse(f.vma(0, 0).dontcopy());
        assertTrue(k.madvise.setWipeOnFork(0, 0, true));
        assertTrue(f.vma(0, 0).wipeOnFork());
        assertTrue(k.madvise.setWipeOnFork(0, 0, false));
        assertFalse(f.vma(0, 0).wipeOnFork());
        assertTrue(f.vma(0, 0).read() && f.vma(0, 0).write(), "protection untouched");
    }

    @Test
    void madviseFlagsWithoutVmaFail() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].vmas[0] = null;
        Kernel k = f.kernel();
        assertFalse(k.madvise.setDontcopy(0, 0, true));
        assertFalse(k.madvise.setWipeOnFork(0, 0, true));
        assertEquals(null, f.vma(0, 0));
    }

    @Test
    void madviseFlagsDoNotTouchThePte() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 5);
        Pte before = f.pte(0, 0);
        f.kernel().madvise.setDontcopy(0, 0, true);
        f.kernel().madvise.setWipeOnFork(0, 0, true);
        assertEquals(before, f.pte(0, 0));
    }
}
