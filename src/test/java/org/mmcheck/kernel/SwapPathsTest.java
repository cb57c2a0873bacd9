package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.check.Flags;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapDevice;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Part3V2;
import org.mmcheck.variant.V5_19;
import org.mmcheck.variant.V5_19NoSwpx;

/**
 * The swap paths: shrink_folio_list (add_to_swap, try_to_unmap, pageout, __remove_mapping), writeback,
 * do_swap_page with its exclusive decision, fork and zap of swap PTEs, and swapoff (try_to_unuse).
 */
class SwapPathsTest {
    private static final SwapDevice PLAIN = KernelFixture.swapDevice(false, false);
    private static final SwapDevice STABLE = KernelFixture.swapDevice(true, false);
    private static final SwapDevice SYNC = KernelFixture.swapDevice(false, true);

    /** P0 stored v into page 0 (exclusive, writable) under the given policy and device. */
    private static KernelFixture written(int nProcs, KernelPolicy policy, SwapDevice swap, int v) {
        KernelFixture f = KernelFixture.of(nProcs, 1, policy, swap);
        assertEquals(Memory.Fault.OK, f.store(0, 0, v));
        return f;
    }

    private static void assertConsistent(KernelFixture f) {
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
        assertEquals(Set.of(), f.flags.ids, String.join("\n", f.flags.reasons));
    }

    // ---------------------------------------------------------------- shrink_folio_list

    @Test
    void reclaimOfMappedExclusivePageSwapsItOutWithTheExclusiveBit() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        assertTrue(page.anonExclusive);

        f.reclaim(page);
        Pte t = f.pte(0, 0);
        assertTrue(t.isSwap(), t.describe());
        assertTrue(t.exclusive(), "try_to_unmap_one carries PG_anon_exclusive into the swap PTE");
        assertTrue(t.softDirty(), "soft-dirty carried over");
        SwapSlot slot = f.slot(0, 0);
        assertEquals(1, slot.count);
        assertTrue(slot.hasCache);
        assertEquals(7, slot.writing, "the writeback in flight carries the page's contents");
        assertEquals(-1, slot.content, "nothing written yet");

        assertTrue(f.s.isLive(page.id));
        assertSame(page, f.s.swapCachePage(slot.id));
        assertTrue(page.swapcache);
        assertEquals(slot.id, page.swapSlot);
        assertFalse(page.anonExclusive, "page_try_share_anon_rmap cleared the marker");
        assertEquals(0, page.mapcount);
        assertEquals(1, page.refcount, "only the swap cache holds it");
        assertTrue(page.writeback);
        assertFalse(page.dirty, "cleared for I/O");
        String tr = f.traceText();
        assertTrue(tr.contains("add_to_swap"), tr);
        assertTrue(tr.contains("with the exclusive bit"), tr);
        assertTrue(tr.contains("swap_writepage"), tr);
        assertConsistent(f);
    }

    @Test
    void withoutSwpExclusiveBitTheSwapPteIsPlain() {
        KernelFixture f = written(1, new V5_19NoSwpx(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        assertTrue(f.pte(0, 0).isSwap());
        assertFalse(f.pte(0, 0).exclusive(), "5.19-noswpx cannot carry the bit");
        assertFalse(page.anonExclusive, "the marker is cleared all the same");
        assertTrue(page.writeback);
        assertEquals(1, f.slot(0, 0).count);
        assertTrue(f.traceText().contains("no swp bit on this arch"), f.traceText());
        assertConsistent(f);
    }

    @Test
    void passUnderWritebackKeepsThePage() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        SwapSlot slot = f.slot(0, 0);
        Pte before = f.pte(0, 0);

        f.reclaim(page);
        assertTrue(f.traceText().contains("under writeback -> keep"), f.traceText());
        assertTrue(f.s.isLive(page.id));
        assertTrue(page.swapcache && page.writeback);
        assertEquals(1, page.refcount);
        assertEquals(before, f.pte(0, 0));
        assertEquals(1, slot.count);
        assertEquals(7, slot.writing);
        assertEquals(1, f.s.slots().size());
        assertConsistent(f);
    }

    @Test
    void afterWritebackAFurtherPassFreesThePageAndKeepsTheSlot() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        SwapSlot slot = f.slot(0, 0);

        f.endWriteback(page);
        assertFalse(page.writeback);
        assertEquals(7, slot.content, "end_swap_bio_write: the slot holds what was written");
        assertEquals(-1, slot.writing);
        assertTrue(page.swapcache, "still in the swap cache until a further pass");
        assertConsistent(f);

        f.reclaim(page);
        assertTrue(f.traceText().contains("__remove_mapping"), f.traceText());
        assertFalse(f.s.isLive(page.id), "clean, unmapped, only the cache held it -> freed");
        assertTrue(f.s.pages().isEmpty());
        assertTrue(f.s.slots().contains(slot), "the swap PTE still names the slot");
        assertEquals(1, slot.count);
        assertFalse(slot.hasCache);
        assertEquals(7, slot.content);
        assertTrue(f.pte(0, 0).isSwap() && f.pte(0, 0).exclusive());
        assertConsistent(f);
        assertEquals(7, f.load(0, 0), "the data comes back from the slot");
    }

    @Test
    void pageoutRefusesWhileAGetHoldsThePage() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        GupRef g = f.gup(0, 0, false, false, false);
        assertNotNull(g);
        assertEquals(2, page.refcount);

        f.reclaim(page);
        assertTrue(f.traceText().contains("pageout: refcount=2"), f.traceText());
        assertTrue(f.pte(0, 0).isSwap(), "try_to_unmap itself succeeded (a GET is not a pin)");
        assertTrue(page.swapcache);
        assertEquals(0, page.mapcount);
        assertEquals(2, page.refcount, "swap cache + the GET");
        assertFalse(page.writeback, "no writeback started");
        assertTrue(page.dirty, "still dirty: a later pass may write it");
        assertEquals(-1, f.slot(0, 0).writing);
        assertConsistent(f);

        // Another pass still refuses; after the GET is dropped the page can be written.
        f.reclaim(page);
        assertFalse(page.writeback);
        f.release(g);
        assertEquals(1, page.refcount);
        f.reclaim(page);
        assertTrue(page.writeback, "pageout now starts writeback");
        assertEquals(7, f.slot(0, 0).writing);
        assertConsistent(f);
    }

    @Test
    void reclaimSkipsAMaybePinnedPage() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        GupRef p = f.gup(0, 0, true, false, false);
        assertNotNull(p);
        Pte before = f.pte(0, 0);

        f.reclaim(page);
        assertTrue(f.traceText().contains("page_maybe_dma_pinned -> keep"), f.traceText());
        assertEquals(before, f.pte(0, 0));
        assertFalse(page.swapcache);
        assertTrue(f.s.slots().isEmpty(), "no slot allocated");
        assertEquals(1 + Page.PIN_BIAS, page.refcount);
        assertTrue(page.anonExclusive);
        assertConsistent(f);
    }

    @Test
    void tryToUnmapOneRefusesAPinnedExclusivePageAndRestoresThePte() {
        // A page that is already in the swap cache skips the maybe-pinned check in shrink_folio_list:
        // swap it out, swap it back in by a read fault (exclusive, still cached), pin it, reclaim.
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        f.endWriteback(page);
        assertEquals(7, f.load(0, 0));
        assertSame(page, f.s.page(f.pte(0, 0).target()), "swap-cache hit");
        assertTrue(page.swapcache && page.anonExclusive);
        SwapSlot slot = f.s.slot(page.swapSlot);
        assertEquals(0, slot.count);
        GupRef p = f.gup(0, 0, true, false, false);
        assertNotNull(p);
        assertEquals(2 + Page.PIN_BIAS, page.refcount);
        Pte before = f.pte(0, 0);

        f.reclaim(page);
        String tr = f.traceText();
        assertTrue(tr.contains("maybe pinned"), tr);
        assertTrue(tr.contains("still mapped -> keep"), tr);
        assertEquals(before, f.pte(0, 0), "PTE restored");
        assertTrue(page.anonExclusive, "the pinned page stays exclusive");
        assertEquals(1, page.mapcount);
        assertEquals(2 + Page.PIN_BIAS, page.refcount);
        assertEquals(0, slot.count, "swap_duplicate undone by swap_free");
        assertTrue(f.s.slots().contains(slot));
        assertFalse(page.writeback);
        assertConsistent(f);
    }

    @Test
    void tryToUnmapOneDirectlyRefusesAPinnedExclusivePage() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.gup(0, 0, true, true, false);
        Kernel k = f.kernel();
        assertTrue(k.swapState.addToSwap(page));
        SwapSlot slot = f.s.slot(page.swapSlot);
        Pte before = f.pte(0, 0);

        assertFalse(k.rmap.tryToUnmapOne(0, 0, page));
        assertEquals(before, f.pte(0, 0));
        assertTrue(page.anonExclusive);
        assertEquals(0, slot.count);
        assertEquals(1, page.mapcount);
    }

    @Test
    void pageSharedAfterForkIsUnmappedFromBothProcesses() {
        KernelFixture f = written(2, new V5_19(), PLAIN, 7);
        f.fork(0, 1);
        Page page = f.page(0, 0);
        assertEquals(2, page.mapcount);

        f.reclaim(page);
        assertTrue(f.pte(0, 0).isSwap());
        assertTrue(f.pte(1, 0).isSwap());
        assertEquals(f.pte(0, 0).target(), f.pte(1, 0).target());
        assertFalse(f.pte(0, 0).exclusive(), "a shared page was not exclusive");
        assertFalse(f.pte(1, 0).exclusive());
        SwapSlot slot = f.slot(0, 0);
        assertEquals(2, slot.count);
        assertEquals(0, page.mapcount);
        assertEquals(1, page.refcount);
        assertTrue(page.writeback);
        assertConsistent(f);
    }

    @Test
    void madvisePageoutSkipsAPageMappedTwice() {
        KernelFixture f = written(2, new V5_19(), PLAIN, 7);
        f.fork(0, 1);
        Page page = f.page(0, 0);
        assertTrue(f.kernel().madvise.madvisePageout(0, 0));
        assertTrue(f.traceText().contains("mapcount=2"), f.traceText());
        assertTrue(f.pte(0, 0).mapsPage());
        assertFalse(page.swapcache);
        assertTrue(f.s.slots().isEmpty());
    }

    @Test
    void madvisePageoutOfAnExclusivePageSwapsItOut() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        assertTrue(f.kernel().madvise.madvisePageout(0, 0));
        assertTrue(f.pte(0, 0).isSwap() && f.pte(0, 0).exclusive());
        assertTrue(f.swapCachePage(0, 0).writeback);
        assertConsistent(f);
    }

    @Test
    void noSwapDeviceMeansAddToSwapFails() {
        KernelFixture f = written(1, new V5_19(), new SwapDevice(false, false, false, false), 7);
        Page page = f.page(0, 0);
        Pte before = f.pte(0, 0);
        f.reclaim(page);
        assertTrue(f.traceText().contains("add_to_swap: no usable swap device -> fail"), f.traceText());
        assertEquals(before, f.pte(0, 0));
        assertFalse(page.swapcache);
        assertTrue(page.anonExclusive);
        assertEquals(1, page.refcount);
        assertTrue(f.s.slots().isEmpty());
        assertConsistent(f);
    }

    // ---------------------------------------------------------------- do_swap_page

    /** Page 0 of P0 (content 7) swapped out and still under writeback; then a write fault's do_swap_page. */
    private static KernelFixture swapInWriteUnderWriteback(KernelPolicy policy, SwapDevice swap) {
        KernelFixture f = written(1, policy, swap, 7);
        f.reclaim(f.page(0, 0));
        assertTrue(f.pte(0, 0).exclusive());
        assertTrue(f.swapCachePage(0, 0).writeback);
        f.kernel().memory.doSwapPage(0, 0, true);
        return f;
    }

    private static void assertDroppedExclusive(KernelFixture f) {
        Page page = f.page(0, 0);
        assertTrue(f.traceText().contains("drop exclusive"), f.traceText());
        assertFalse(f.pte(0, 0).write(), "mapped R/O: a write must COW");
        assertFalse(page.anonExclusive);
        assertTrue(page.swapcache && page.writeback, "the swap cache cannot be freed under writeback");
        assertEquals(2, page.refcount);
        assertEquals(1, page.mapcount);
        assertEquals(0, f.s.slot(page.swapSlot).count);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());

        // The write fault goes on into do_wp_page, which copies.
        assertEquals(Memory.Fault.OK, f.store(0, 0, 8));
        Page copy = f.page(0, 0);
        assertNotEquals(page.id, copy.id);
        assertTrue(copy.anonExclusive);
        assertTrue(f.pte(0, 0).write());
        assertEquals(8, copy.content);
        assertEquals(7, page.content, "the page under writeback is untouched");
        assertEquals(0, page.mapcount);
        assertEquals(1, page.refcount);
        assertTrue(page.swapcache && page.writeback);
        assertEquals(Set.of(), f.flags.ids, "no stable-write");
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    private static void assertKeptExclusive(KernelFixture f) {
        Page page = f.page(0, 0);
        assertTrue(f.traceText().contains("keep exclusive"), f.traceText());
        assertTrue(f.pte(0, 0).write(), "exclusive + write fault -> mapped writable");
        assertTrue(f.pte(0, 0).dirty());
        assertTrue(page.anonExclusive);
        assertTrue(page.swapcache && page.writeback);
        assertEquals(2, page.refcount);
        assertEquals(1, page.mapcount);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
    }

    @Test
    void stableWritesDeviceUnderWriteback519DropsExclusiveAndTheWriteCopies() {
        assertDroppedExclusive(swapInWriteUnderWriteback(new V5_19(), STABLE));
    }

    @Test
    void stableWritesDeviceUnderWritebackPart3V2KeepsExclusiveAndTheWriteHitsThePage() {
        KernelFixture f = swapInWriteUnderWriteback(new Part3V2(), STABLE);
        assertKeptExclusive(f);
        Page page = f.page(0, 0);
        f.store(0, 0, 8);
        assertEquals(page.id, f.page(0, 0).id, "no copy");
        assertEquals(Set.of(Flags.STABLE_WRITE), f.flags.ids, "the v2 bug: a write into a page under writeback");
    }

    @Test
    void nonStableDeviceUnderWriteback519KeepsExclusive() {
        KernelFixture f = swapInWriteUnderWriteback(new V5_19(), PLAIN);
        assertKeptExclusive(f);
        f.store(0, 0, 8);
        assertEquals(Set.of(), f.flags.ids, "writing under writeback is fine without SWP_STABLE_WRITES");
    }

    @Test
    void nonStableDeviceUnderWritebackPart3V2DropsExclusive() {
        assertDroppedExclusive(swapInWriteUnderWriteback(new Part3V2(), PLAIN));
    }

    @Test
    void noSwpxOnStableDeviceNeverSeesTheBitAndCopies() {
        KernelFixture f = written(1, new V5_19NoSwpx(), STABLE, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        f.kernel().memory.doSwapPage(0, 0, true);
        assertFalse(f.pte(0, 0).write());
        assertFalse(page.anonExclusive);
        f.store(0, 0, 8);
        assertNotEquals(page.id, f.page(0, 0).id);
        assertEquals(Set.of(), f.flags.ids);
    }

    @Test
    void readaheadPathReadsTheSlotIntoTheSwapCache() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        SwapSlot slot = f.swapOutAndFree(0, 0);
        assertTrue(f.s.pages().isEmpty());

        assertEquals(7, f.load(0, 0));
        String tr = f.traceText();
        assertTrue(tr.contains("read_swap_cache_async"), tr);
        Page page = f.page(0, 0);
        assertEquals(7, page.content);
        assertTrue(page.swapcache, "readahead put it in the swap cache");
        assertEquals(slot.id, page.swapSlot);
        assertTrue(page.anonExclusive, "the swap PTE had the exclusive bit");
        assertFalse(f.pte(0, 0).write(), "read fault: R/O");
        assertEquals(2, page.refcount, "mapping + swap cache");
        assertEquals(1, page.mapcount);
        assertEquals(0, slot.count);
        assertTrue(slot.hasCache);
        assertTrue(f.s.slots().contains(slot));
        assertConsistent(f);

        // The next write reuses the exclusive page in place.
        f.store(0, 0, 8);
        assertEquals(page.id, f.page(0, 0).id);
        assertTrue(f.pte(0, 0).write());
        assertConsistent(f);
    }

    @Test
    void syncIoWithSwapCountOneSkipsTheSwapCache() {
        KernelFixture f = written(1, new V5_19(), SYNC, 7);
        f.swapOutAndFree(0, 0);

        assertEquals(7, f.load(0, 0));
        assertTrue(f.traceText().contains("skip the swap cache"), f.traceText());
        Page page = f.page(0, 0);
        assertFalse(page.swapcache);
        assertTrue(page.anonExclusive, "a fresh page is exclusive");
        assertEquals(1, page.refcount);
        assertEquals(1, page.mapcount);
        assertFalse(f.pte(0, 0).write());
        assertTrue(f.s.slots().isEmpty(), "swap_free freed the slot");
        assertConsistent(f);

        f.store(0, 0, 8);
        assertEquals(page.id, f.page(0, 0).id, "reused in place");
    }

    @Test
    void syncIoFreshPageIsExclusiveEvenWithoutTheSwpBit() {
        KernelFixture f = written(1, new V5_19NoSwpx(), SYNC, 7);
        f.swapOutAndFree(0, 0);
        assertFalse(f.pte(0, 0).exclusive());
        f.fault(0, 0, true);
        Page page = f.page(0, 0);
        assertTrue(page.anonExclusive);
        assertTrue(f.pte(0, 0).write());
        assertConsistent(f);
    }

    @Test
    void syncIoWithSwapCountTwoGoesThroughTheSwapCache() {
        KernelFixture f = written(2, new V5_19(), SYNC, 7);
        f.fork(0, 1);
        f.swapOutAndFree(0, 0);
        SwapSlot slot = f.slot(0, 0);
        assertEquals(2, slot.count);
        assertSame(slot, f.slot(1, 0));

        assertEquals(7, f.load(0, 0));
        assertTrue(f.traceText().contains("read_swap_cache_async"), f.traceText());
        Page page = f.page(0, 0);
        assertTrue(page.swapcache);
        assertFalse(page.anonExclusive, "no swp bit, refcount 2");
        assertEquals(2, page.refcount);
        assertEquals(1, slot.count);
        assertConsistent(f);

        assertEquals(7, f.load(1, 0));
        assertTrue(f.traceText().contains("swap cache hit"), f.traceText());
        assertSame(page, f.page(1, 0));
        assertEquals(3, page.refcount);
        assertEquals(2, page.mapcount);
        assertEquals(0, slot.count);
        assertConsistent(f);

        f.store(1, 0, 9);
        assertNotEquals(page.id, f.page(1, 0).id, "shared page: the writer copies");
        assertEquals(7, f.load(0, 0));
        assertConsistent(f);
    }

    @Test
    void writeFaultWithRefcountTwoFreesTheSwapCache() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        f.endWriteback(page);
        SwapSlot slot = f.slot(0, 0);

        f.fault(0, 0, true);
        assertSame(page, f.page(0, 0), "swap-cache hit, no copy");
        assertFalse(page.swapcache, "should_try_to_free_swap -> try_to_free_swap");
        assertEquals(1, page.refcount);
        assertEquals(1, page.mapcount);
        assertTrue(page.anonExclusive);
        assertTrue(page.dirty, "the only copy is in memory now");
        assertTrue(f.pte(0, 0).write());
        assertFalse(f.s.slots().contains(slot), "slot freed");
        assertTrue(f.s.slots().isEmpty());
        assertConsistent(f);
    }

    @Test
    void noSwpxWriteFaultRegainsExclusivityThroughRefcountOne() {
        KernelFixture f = written(1, new V5_19NoSwpx(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        f.endWriteback(page);

        f.fault(0, 0, true);
        assertTrue(f.traceText().contains("refcount=1 -> RMAP_EXCLUSIVE"), f.traceText());
        assertSame(page, f.page(0, 0));
        assertTrue(page.anonExclusive);
        assertTrue(f.pte(0, 0).write());
        assertFalse(page.swapcache);
        assertConsistent(f);
    }

    @Test
    void readFaultKeepsTheSwapCacheAndNoSwpxMapsNonExclusive() {
        KernelFixture f = written(1, new V5_19NoSwpx(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        f.endWriteback(page);

        assertEquals(7, f.load(0, 0));
        assertTrue(page.swapcache, "read faults do not free the swap cache");
        assertFalse(page.anonExclusive, "no bit, refcount 2 -> not exclusive");
        assertFalse(f.pte(0, 0).write());
        assertEquals(2, page.refcount);
        assertConsistent(f);

        // do_wp_page's refcount test frees the swap cache and reuses.
        f.store(0, 0, 8);
        assertSame(page, f.page(0, 0));
        assertFalse(page.swapcache);
        assertTrue(page.anonExclusive);
        assertEquals(1, page.refcount);
        assertTrue(f.s.slots().isEmpty());
        assertConsistent(f);
    }

    // ---------------------------------------------------------------- fork and zap of swap PTEs

    @Test
    void forkOfAnExclusiveSwapPteClearsTheBitInParentAndChild() {
        KernelFixture f = written(2, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        SwapSlot slot = f.slot(0, 0);
        assertTrue(f.pte(0, 0).exclusive());

        f.fork(0, 1);
        assertTrue(f.traceText().contains("copy_nonpresent_pte"), f.traceText());
        assertTrue(f.pte(0, 0).isSwap() && f.pte(1, 0).isSwap());
        assertEquals(slot.id, f.pte(1, 0).target());
        assertFalse(f.pte(0, 0).exclusive(), "parent bit cleared");
        assertFalse(f.pte(1, 0).exclusive(), "child never gets it");
        assertTrue(f.pte(1, 0).softDirty());
        assertEquals(2, slot.count);
        assertEquals(1, page.refcount, "the swap-cache page is not touched");
        assertConsistent(f);

        // Each swaps in the shared page R/O; the writer copies.
        f.endWriteback(page);
        assertEquals(7, f.load(0, 0));
        assertFalse(page.anonExclusive);
        f.store(0, 0, 8);
        assertNotEquals(page.id, f.page(0, 0).id);
        assertEquals(7, f.load(1, 0));
        assertConsistent(f);
    }

    @Test
    void forkOfAPlainSwapPteOnlyDuplicates() {
        KernelFixture f = written(2, new V5_19NoSwpx(), PLAIN, 7);
        SwapSlot slot = f.swapOutAndFree(0, 0);
        f.fork(0, 1);
        assertEquals(2, slot.count);
        assertEquals(f.pte(0, 0), f.pte(1, 0));
        assertFalse(f.traceText().contains("clear the exclusive bit"), f.traceText());
        assertConsistent(f);
    }

    @Test
    void zapOfASwapPteFreesTheUnmappedCleanCachePageAndTheSlot() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        f.endWriteback(page);
        SwapSlot slot = f.slot(0, 0);

        assertTrue(f.kernel().madvise.madviseDontneed(0, 0));
        assertTrue(f.traceText().contains("free_swap_and_cache: slot#" + slot.id + " count -> 0"), f.traceText());
        assertTrue(f.pte(0, 0).isNone());
        assertFalse(f.s.isLive(page.id));
        assertTrue(f.s.pages().isEmpty());
        assertTrue(f.s.slots().isEmpty());
        assertConsistent(f);
    }

    @Test
    void zapOfASwapPteKeepsACachePageUnderWriteback() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        SwapSlot slot = f.slot(0, 0);

        f.kernel().madvise.madviseDontneed(0, 0);
        assertTrue(f.pte(0, 0).isNone());
        assertTrue(f.s.isLive(page.id), "try_to_free_swap refuses under writeback");
        assertTrue(page.swapcache);
        assertEquals(0, slot.count);
        assertTrue(slot.hasCache);
        assertTrue(f.s.slots().contains(slot));
        assertConsistent(f);

        f.endWriteback(page);
        f.reclaim(page);
        assertTrue(f.s.pages().isEmpty());
        assertTrue(f.s.slots().isEmpty(), "slot freed with the cache page: count was 0");
        assertConsistent(f);
    }

    @Test
    void zapOfOneOfTwoSwapPtesOnlyDropsTheCount() {
        KernelFixture f = written(2, new V5_19(), PLAIN, 7);
        f.fork(0, 1);
        Page page = f.page(0, 0);
        f.reclaim(page);
        f.endWriteback(page);
        SwapSlot slot = f.slot(0, 0);
        assertEquals(2, slot.count);

        f.exit(1);
        assertEquals(1, slot.count);
        assertTrue(f.s.isLive(page.id), "the other swap PTE still needs the slot");
        assertTrue(page.swapcache);
        assertConsistent(f);
        assertEquals(7, f.load(0, 0));
    }

    // ---------------------------------------------------------------- swapoff

    /** Page 0 fully swapped out (slot only), page 1 swapped out and still under writeback. */
    private static KernelFixture twoSwappedPages(KernelPolicy policy) {
        KernelFixture f = KernelFixture.of(1, 2, policy, PLAIN);
        f.store(0, 0, 1);
        f.store(0, 1, 2);
        f.swapOutAndFree(0, 0);
        f.reclaim(0, 1);
        assertTrue(f.swapCachePage(0, 1).writeback);
        assertEquals(2, f.s.slots().size());
        assertEquals(1, f.s.pages().size());
        return f;
    }

    private static void assertSwapoff(KernelPolicy policy, boolean exclusiveExpected) {
        KernelFixture f = twoSwappedPages(policy);
        assertEquals(policy.hasSwpExclusiveBit(), f.pte(0, 0).exclusive());
        assertEquals(policy.hasSwpExclusiveBit(), f.pte(0, 1).exclusive());

        f.kernel().swapfile.tryToUnuse();
        String tr = f.traceText();
        assertTrue(tr.contains("wait for writeback"), tr);
        for (int x = 0; x < 2; x++) {
            Pte t = f.pte(0, x);
            assertTrue(t.mapsPage(), t.describe());
            assertFalse(t.write(), "unuse_pte maps R/O");
            Page page = f.page(0, x);
            assertEquals(x + 1, page.content);
            assertEquals(exclusiveExpected, page.anonExclusive, "page " + x);
            assertFalse(page.writeback);
            assertFalse(page.swapcache);
            assertEquals(1, page.refcount);
            assertEquals(1, page.mapcount);
        }
        assertTrue(f.s.slots().isEmpty(), "every slot freed");
        assertFalse(f.s.swap.present());
        assertFalse(f.s.swap.usable());
        assertConsistent(f);

        // A write reuses the page in place (exclusive, or refcount 1).
        Page p0 = f.page(0, 0);
        f.store(0, 0, 5);
        assertSame(p0, f.page(0, 0));
        assertTrue(f.pte(0, 0).write());

        // The device is gone: reclaim cannot add to swap any more.
        f.reclaim(0, 1);
        assertTrue(f.traceText().contains("no usable swap device"), f.traceText());
        assertTrue(f.pte(0, 1).mapsPage());
        assertConsistent(f);
    }

    @Test
    void swapoffMapsEverySwapPteBackExclusiveIffTheBitWasSet() {
        assertSwapoff(new V5_19(), true);
    }

    @Test
    void swapoffWithoutSwpBitNeverMapsExclusive() {
        assertSwapoff(new V5_19NoSwpx(), false);
    }

    @Test
    void swapoffOfASharedSlotMapsTheSamePageInBoth() {
        KernelFixture f = written(2, new V5_19(), PLAIN, 7);
        f.fork(0, 1);
        f.swapOutAndFree(0, 0);
        f.kernel().swapfile.tryToUnuse();
        Page page = f.page(0, 0);
        assertSame(page, f.page(1, 0));
        assertFalse(page.anonExclusive);
        assertEquals(2, page.mapcount);
        assertEquals(2, page.refcount);
        assertFalse(page.swapcache);
        assertFalse(f.pte(0, 0).write() || f.pte(1, 0).write());
        assertTrue(f.s.slots().isEmpty());
        assertConsistent(f);
    }

    @Test
    void swapoffDropsLeftoverCachePagesNoPteNames() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        f.kernel().madvise.madviseDontneed(0, 0); // leaves the page in the cache under writeback
        assertTrue(page.swapcache && page.writeback);

        f.kernel().swapfile.tryToUnuse();
        assertTrue(f.traceText().contains("drop leftover swap-cache page"), f.traceText());
        assertTrue(f.s.pages().isEmpty());
        assertTrue(f.s.slots().isEmpty());
        assertConsistent(f);
    }

    @Test
    void readSwapCacheAsyncReturnsTheCachedPage() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        Page page = f.page(0, 0);
        f.reclaim(page);
        SwapSlot slot = f.slot(0, 0);
        assertSame(page, f.kernel().swapState.readSwapCacheAsync(slot));
        assertEquals(1, f.s.pages().size());
        assertEquals(1, page.refcount, "no extra reference taken for a cached page");
    }

    @Test
    void backgroundReadaheadThenSwapInHitsTheCache() {
        KernelFixture f = written(1, new V5_19(), PLAIN, 7);
        SwapSlot slot = f.swapOutAndFree(0, 0);
        Page page = f.kernel().swapState.readSwapCacheAsync(slot);
        assertNotNull(page);
        assertEquals(7, page.content);
        assertTrue(page.swapcache);
        assertEquals(1, page.refcount);
        assertEquals(0, page.mapcount);
        assertTrue(slot.hasCache);
        assertConsistent(f);

        f.fault(0, 0, true);
        assertTrue(f.traceText().contains("swap cache hit"), f.traceText());
        assertSame(page, f.page(0, 0));
        assertTrue(page.anonExclusive);
        assertTrue(f.pte(0, 0).write());
        assertFalse(page.swapcache, "write fault with refcount 2 freed the swap cache");
        assertTrue(f.s.slots().isEmpty());
        assertConsistent(f);
    }
}
