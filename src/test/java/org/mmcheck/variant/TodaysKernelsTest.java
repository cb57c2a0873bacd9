package org.mmcheck.variant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmcheck.kernel.Gup;
import org.mmcheck.kernel.KernelFixture;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapDevice;

/** The decision points that 6.1, 6.2, 6.8 and 6.12 change, each against the generation before it. */
class TodaysKernelsTest {

    private static KernelFixture fixture(KernelPolicy policy, int procs, boolean syncIo) {
        return KernelFixture.of(procs, 1, policy, new SwapDevice(true, false, syncIo, true));
    }

    /** mprotect(PROT_READ) then mprotect(PROT_READ|PROT_WRITE) of an exclusive page: is the PTE writable? */
    private static boolean writableAfterMprotectRoundTrip(KernelPolicy policy) {
        KernelFixture f = fixture(policy, 1, false);
        f.store(0, 0, 1);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        assertFalse(f.pte(0, 0).write());
        f.kernel().mprotect.mprotectFixup(0, 0, true, true);
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
        return f.pte(0, 0).write();
    }

    @Test
    void mprotectMapsExclusivePagesWritableFrom61() {
        assertFalse(writableAfterMprotectRoundTrip(new V5_19()));
        assertTrue(writableAfterMprotectRoundTrip(new V6_1()));
        assertTrue(writableAfterMprotectRoundTrip(new V6_12()));
    }

    @Test
    void mprotectKeepsASharedPageReadOnlyIn61() {
        KernelFixture f = fixture(new V6_1(), 2, false);
        f.store(0, 0, 1);
        f.fork(0, 1);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        f.kernel().mprotect.mprotectFixup(0, 0, true, true);
        assertFalse(f.pte(0, 0).write(), "shared with the child: not exclusive");
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
    }

    /** A R/O long-term pin of a page never written (the shared zero page), then a store by the owner. */
    private static GupRef roLongtermPinOfZeroPage(KernelFixture f) {
        assertEquals(0, f.load(0, 0));
        assertTrue(f.pte(0, 0).isZeroPage());
        return f.kernel().gup.getUserPages(0, 0, new Gup.Request(true, false, true, false, false));
    }

    @Test
    void roLongtermPinUnsharesTheZeroPageFrom62() {
        KernelFixture old = fixture(new V6_1(), 1, false);
        GupRef r = roLongtermPinOfZeroPage(old);
        assertNotNull(r);
        assertEquals(Pte.ZERO_PAGE, r.page, "6.1 pins the zero page itself");

        KernelFixture f = fixture(new V6_2(), 1, false);
        r = roLongtermPinOfZeroPage(f);
        assertNotNull(r);
        Page page = f.page(0, 0);
        assertEquals(page.id, r.page, "6.2 pins a fresh anonymous page that the PTE maps");
        assertTrue(page.anonExclusive);
        assertFalse(f.pte(0, 0).write(), "an unshare fault keeps the PTE read-only");
        assertTrue(f.traceText().contains("gup_must_unshare(the zero page)"), f.traceText());
        f.store(0, 0, 5);
        assertEquals(page.id, f.page(0, 0).id, "the write reuses the pinned page: the pin stays coherent");
        assertEquals(5, f.kernel().gup.read(r));
    }

    @Test
    void aShortTermRoPinStillTakesTheZeroPageIn62() {
        KernelFixture f = fixture(new V6_2(), 1, false);
        f.load(0, 0);
        GupRef r = f.kernel().gup.getUserPages(0, 0, new Gup.Request(true, false, false, false, false));
        assertEquals(Pte.ZERO_PAGE, r.page);
    }

    /** The PTE after a forced write (ptrace) into an exclusive page behind mprotect(PROT_READ). */
    private static Pte forcedWriteIntoReadOnlyExclusivePage(KernelPolicy policy, KernelFixture[] out) {
        KernelFixture f = fixture(policy, 1, false);
        f.store(0, 0, 1);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        GupRef r = f.kernel().gup.getUserPages(0, 0, new Gup.Request(false, true, false, false, true));
        assertNotNull(r);
        out[0] = f;
        return f.pte(0, 0);
    }

    @Test
    void forcedWriteFollowsAnExclusivePageWithoutAFaultFrom61() {
        KernelFixture[] f = new KernelFixture[1];
        Pte before = forcedWriteIntoReadOnlyExclusivePage(new V5_19(), f);
        assertTrue(f[0].traceText().contains("faultin_page"), "5.19 faults first (FOLL_COW): " + f[0].traceText());
        assertTrue(before.dirty());
        Pte after = forcedWriteIntoReadOnlyExclusivePage(new V6_1(), f);
        assertFalse(f[0].traceText().contains("faultin_page"), "6.1 follows the exclusive page: " + f[0].traceText());
        assertFalse(after.write());
    }

    @Test
    void forcedWriteIntoASharedPageCopiesFirstIn61() {
        KernelFixture f = fixture(new V6_1(), 2, false);
        f.store(0, 0, 1);
        f.fork(0, 1);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        int shared = f.page(0, 0).id;
        GupRef r = f.kernel().gup.getUserPages(0, 0, new Gup.Request(false, true, false, false, true));
        assertNotNull(r);
        assertTrue(r.page != shared, "never writes into the page the child still maps");
        assertTrue(f.page(0, 0).anonExclusive);
    }

    /** Swap the page out fully, read it back: the PTE the read fault installs. */
    private static Pte readFaultAfterSwapOut(KernelPolicy policy) {
        KernelFixture f = fixture(policy, 1, false);
        f.store(0, 0, 7);
        f.swapOutAndFree(0, 0);
        assertTrue(f.pte(0, 0).exclusive(), "the swap PTE carries the exclusive bit");
        assertEquals(7, f.load(0, 0));
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
        return f.pte(0, 0);
    }

    @Test
    void exclusiveSwapInIsWritableOnAReadFaultFrom612() {
        assertFalse(readFaultAfterSwapOut(new V6_8()).write());
        Pte t = readFaultAfterSwapOut(new V6_12());
        assertTrue(t.write());
        assertFalse(t.dirty(), "a read fault does not dirty the PTE");
    }

    @Test
    void swapInClaimsTheEntryOnTheSynchronousPathFrom68() {
        for (KernelPolicy p : new KernelPolicy[] {new V6_2(), new V6_8()}) {
            KernelFixture f = fixture(p, 1, true);
            f.store(0, 0, 7);
            f.swapOutAndFree(0, 0);
            assertEquals(7, f.load(0, 0));
            assertEquals(p instanceof V6_8, f.traceText().contains("swapcache_prepare"), p.name() + ": " + f.traceText());
            assertTrue(f.s.slots().isEmpty(), "the claim is gone and the slot freed");
        }
    }

    /** Two identical mergeable pages merged by KSM, then MADV_UNMERGEABLE on the first. */
    private static KernelFixture unmergedAfterMerge(KernelPolicy policy) {
        KernelFixture f = KernelFixture.of(1, 2, policy, new SwapDevice(true, false, false, true));
        f.store(0, 0, 3);
        f.store(0, 1, 3);
        f.mergeable(0, 0);
        f.mergeable(0, 1);
        f.ksmScan();
        f.ksmScan();
        assertTrue(f.page(0, 0).ksm, "merged: " + f.traceText());
        f.kernel().ksm.unmergeKsmPages(0, 0);
        assertFalse(f.page(0, 0).ksm);
        assertTrue(f.invariants().isEmpty(), f.invariantReasons());
        return f;
    }

    @Test
    void ksmUnmergeBreaksCowByUnshareFrom62() {
        Pte old = unmergedAfterMerge(new V6_1()).pte(0, 0);
        assertTrue(old.write() && old.dirty(), "6.1 fakes a write fault");
        KernelFixture f = unmergedAfterMerge(new V6_2());
        Pte t = f.pte(0, 0);
        assertFalse(t.write(), "6.2 unshares: the PTE stays read-only");
        assertTrue(f.page(0, 0).anonExclusive);
        assertEquals(3, f.load(0, 0));
    }

    @Test
    void synchronousIoPageoutFreesTheSwapCacheInTheSamePass() {
        for (KernelPolicy p : new KernelPolicy[] {new V5_7(), new V5_19(), new V6_12()}) {
            KernelFixture f = fixture(p, 1, true);
            f.store(0, 0, 4);
            Page page = f.page(0, 0);
            f.reclaim(page);
            assertTrue(f.pte(0, 0).isSwap(), p.name());
            assertFalse(f.s.isLive(page.id), p.name() + ": freed in the same pass: " + f.traceText());
            assertNull(f.s.swapCachePageView(f.pte(0, 0).target()), p.name());
            assertEquals(4, f.slot(0, 0).content, p.name() + ": the write finished");
            assertTrue(f.invariants().isEmpty(), f.invariantReasons());

            KernelFixture slow = fixture(p, 1, false);
            slow.store(0, 0, 4);
            Page sp = slow.page(0, 0);
            slow.reclaim(sp);
            assertTrue(sp.writeback, p.name() + ": an ordinary device completes later");
        }
    }
}
