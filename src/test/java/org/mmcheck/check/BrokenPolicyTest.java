package org.mmcheck.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.time.Duration;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mmcheck.cli.TestRun;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.kernel.Kernel;
import org.mmcheck.kernel.KernelFixture;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;
import org.mmcheck.report.Verdict;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.V5_19;
import org.mmcheck.variant.Variants;

/**
 * The checker must notice a broken kernel. For every flag of {@link Flags#ALL} at least one test breaks
 * one thing and asserts that the flag is raised, while the same litmus test under the real 5.19 raises
 * nothing. Most breakages are a 5.19 policy with one decision changed, run through {@link TestRun}; the
 * broken policies have names of their own, so no expect line applies to them.
 */
class BrokenPolicyTest {

    // ------------------------------------------------------------------ broken policies

    /** do_wp_page reuses every page in place, shared or not (the pre-CVE-2020-29374 mistake, worse). */
    static final class AlwaysReuse extends V5_19 {
        @Override
        public String name() {
            return "broken-reuse";
        }

        @Override
        public boolean wpCanReuse(Kernel k, Page page) {
            return true;
        }
    }

    /** mprotect(PROT_WRITE) maps every private PTE writable, exclusive page or not. */
    static final class MprotectAlwaysWritable extends V5_19 {
        @Override
        public String name() {
            return "broken-mprotect";
        }

        @Override
        public boolean mprotectMayMapWritable(Page page) {
            return true;
        }
    }

    /** fork shares pinned exclusive pages with the child (no copy_present_page). */
    static final class ForkNeverCopies extends V5_19 {
        @Override
        public String name() {
            return "broken-fork";
        }

        @Override
        public boolean forkMustCopy(Proc parent, Page page) {
            return false;
        }
    }

    /** R/O pins never unshare (gup_must_unshare always false). */
    static final class NeverUnshare extends V5_19 {
        @Override
        public String name() {
            return "broken-unshare";
        }

        @Override
        public boolean gupMustUnshare(boolean pin, boolean write, boolean longterm, Page page) {
            return false;
        }
    }

    /** The SWP_STABLE_WRITES test of do_swap_page inverted (as in the part3 v2 posting). */
    static final class InvertedStableWrites extends V5_19 {
        @Override
        public String name() {
            return "broken-stable-inverted";
        }

        @Override
        public boolean dropExclusiveUnderWriteback(boolean stableWrites) {
            return !stableWrites;
        }
    }

    /**
     * No policy decision can unbalance a refcount or a swap count: the kernel paths do the counting
     * themselves. The one decision with side effects is do_wp_page's reuse test (the 5.18-style test frees
     * the swap cache). These policies add a broken swap-cache free to it, a kernel-level component bug
     * reached through the policy hook, so that the whole litmus pipeline can be exercised:
     * {@code forgetRef} drops PG_swapcache and SWAP_HAS_CACHE but not the cache's page reference (refcount);
     * otherwise it puts the page but leaves SWAP_HAS_CACHE set on the slot (swap-count).
     */
    static final class BrokenFreeSwap extends V5_19 {
        private final boolean forgetRef;

        BrokenFreeSwap(boolean forgetRef) {
            this.forgetRef = forgetRef;
        }

        @Override
        public String name() {
            return forgetRef ? "broken-free-swap-ref" : "broken-free-swap-cache-bit";
        }

        @Override
        public boolean wpCanReuse(Kernel k, Page page) {
            if (page.swapcache && !page.writeback && k.s.slot(page.swapSlot).count == 0) {
                SwapSlot slot = k.s.slot(page.swapSlot);
                page.swapcache = false;
                page.swapSlot = -1;
                if (forgetRef) {
                    slot.hasCache = false;
                    k.s.maybeFreeSlot(slot);
                } else {
                    k.s.putPage(page);
                }
            }
            return super.wpCanReuse(k, page);
        }
    }

    // ------------------------------------------------------------------ helpers

    private static Ast.Test parse(String source) throws Exception {
        return LitmusParser.parse("broken.litmus", source, Set.copyOf(Variants.names()), Set.copyOf(Flags.ALL));
    }

    private static Verdict run(Ast.Test test, KernelPolicy policy) throws Exception {
        Verdict v = TestRun.run(test, policy, new Limits(500_000, Duration.ofSeconds(120), 0.0), Progress.silent(),
                true);
        assertTrue(v.complete(), test.name() + " @ " + policy.name() + " stopped: " + v.stop());
        return v;
    }

    private static String witnesses(Verdict v) {
        StringBuilder b = new StringBuilder();
        for (Verdict.Witness w : v.witnesses()) b.append(w.what()).append("\n  ").append(String.join("\n  ", w.steps())).append('\n');
        return b.toString();
    }

    /**
     * Runs the test under the broken policy and under 5.19: the broken run raises every flag of
     * {@code mustRaise}; the 5.19 run raises nothing and meets its expect line.
     */
    private static Verdict assertBrokenRaises(String source, KernelPolicy broken, String... mustRaise) throws Exception {
        Ast.Test test = parse(source);
        Verdict bad = run(test, broken);
        assertEquals(broken.name(), bad.variant());
        assertNull(bad.expectation(), "no expect line covers " + broken.name());
        Set<String> raised = new TreeSet<>(bad.flags());
        for (String f : mustRaise) {
            assertTrue(raised.contains(f), broken.name() + " should raise " + f + ", raised " + raised);
        }
        assertTrue(Flags.ALL.containsAll(raised), raised.toString());

        Verdict good = run(test, new V5_19());
        assertEquals(List.of(), good.flags(), "5.19 raises nothing:\n" + witnesses(good));
        assertNotNull(good.expectation());
        assertTrue(good.expectation().held(), good.expectation().message());
        return bad;
    }

    // ------------------------------------------------------------------ one test (at least) per flag

    private static final String FORK_THEN_WRITE = """
            MM fork-then-write
            { anon x = 1; }
            P0 { fork(P1); *x = 2; }
            P1 { r1 = *x; }
            exists (1:r1=2)
            expect 5.19 Never
            """;

    @Test
    void writableNotExclusive_mprotectMapsASharedPageWritable() throws Exception {
        Verdict v = assertBrokenRaises("""
                MM mprotect-shared
                { anon x = 1; }
                P0 { fork(P1); mprotect(x, PROT_READ|PROT_WRITE); *x = 2; }
                P1 { r1 = *x; }
                exists (1:r1=2)
                expect 5.19 Never
                """, new MprotectAlwaysWritable(), Flags.WRITABLE_NOT_EXCLUSIVE, Flags.LEAK);
        assertEquals("Sometimes", v.observation(), "the child can see the parent's write");
    }

    @Test
    void exclusiveShared_reuseOfASharedPageMarksItExclusive() throws Exception {
        // do_wp_page marks a reused page exclusive, so a broken reuse shows as exclusive-shared (not as
        // writable-not-exclusive) together with the fork-isolation leak.
        Verdict v = assertBrokenRaises(FORK_THEN_WRITE, new AlwaysReuse(), Flags.EXCLUSIVE_SHARED, Flags.LEAK);
        assertEquals("Sometimes", v.observation());
    }

    @Test
    void leak_childSeesTheParentsWriteAfterFork() throws Exception {
        Verdict v = assertBrokenRaises(FORK_THEN_WRITE, new AlwaysReuse(), Flags.LEAK);
        assertTrue(v.outcomes().stream().anyMatch(o -> o.positive() && o.text().contains("1:r1=2")), v.outcomes().toString());
    }

    @Test
    void staleRead_theChildOverwritesThePageWithAValueTheParentHeldBefore() throws Exception {
        assertBrokenRaises("""
                MM stale
                { anon x = 1; }
                P0 { fork(P1); *x = 3; r0 = *x; }
                P1 { *x = 1; }
                exists (0:r0=1)
                expect 5.19 Never
                """, new AlwaysReuse(), Flags.STALE_READ);
    }

    @Test
    void swpExclusiveShared_reclaimOfAnExclusiveButSharedPage() throws Exception {
        // No decision sets the swap-PTE bit directly: try_to_unmap_one copies PG_anon_exclusive. A broken
        // reuse leaves an exclusive page mapped twice; reclaim then writes the bit into the first swap PTE
        // of a slot with count 2.
        assertBrokenRaises("""
                MM reuse-then-reclaim
                { anon x = 1; }
                P0 { fork(P1); *x = 2; }
                P1 { r1 = *x; }
                K0 { reclaim(0:x); }
                expect 5.19
                """, new AlwaysReuse(), Flags.SWP_EXCLUSIVE_SHARED, Flags.EXCLUSIVE_SHARED);
    }

    @Test
    void pinnedNotExclusive_forkSharesAPinnedPage() throws Exception {
        Verdict v = assertBrokenRaises("""
                MM pin-then-fork
                { anon x = 1; }
                P0 { p = pin(x, FOLL_WRITE | FOLL_LONGTERM); fork(P1); *x = 2; r0 = *p; }
                P1 { r1 = *x; }
                exists (0:r0=1)
                expect 5.19 Never
                """, new ForkNeverCopies(), Flags.PINNED_NOT_EXCLUSIVE, Flags.PIN_INCOHERENT);
        assertEquals("Always", v.observation(), "the parent's write always COWs away from its own pin");
    }

    @Test
    void leak_deviceWriteThroughAPinSharedByForkReachesTheChild() throws Exception {
        assertBrokenRaises("""
                MM pin-fork-dma
                { anon x = 1; }
                P0 { p = pin(x, FOLL_WRITE | FOLL_LONGTERM); fork(P1); *p = 3; }
                P1 { r1 = *x; }
                exists (1:r1=3)
                expect 5.19 Never
                """, new ForkNeverCopies(), Flags.LEAK, Flags.PINNED_NOT_EXCLUSIVE);
    }

    @Test
    void pinIncoherent_readOnlyPinOfASharedPageWithoutUnshare() throws Exception {
        Verdict v = assertBrokenRaises("""
                MM ro-pin-shared
                { anon x = 1; }
                P0 { fork(P1); p = pin(x, FOLL_LONGTERM); *x = 2; r0 = *p; }
                P1 { r1 = *x; }
                exists (0:r0=1)
                expect 5.19 Never
                """, new NeverUnshare(), Flags.PIN_INCOHERENT, Flags.PINNED_NOT_EXCLUSIVE);
        assertEquals("Always", v.observation());
    }

    @Test
    void stableWrite_invertedStableWritesTest() throws Exception {
        Verdict v = assertBrokenRaises("""
                MM stable
                { anon x = 1; swap stable_writes; }
                P0 { *x = 2; }
                K0 { reclaim(0:x); }
                exists (0:x=1)
                expect 5.19 Never
                """, new InvertedStableWrites(), Flags.STABLE_WRITE);
        assertEquals(List.of(Flags.STABLE_WRITE), v.flags(), "only the stable-writes contract is broken");
    }

    @Test
    void stableWrite_notRaisedOnANonStableDevice() throws Exception {
        // The same inversion is harmless (only slower) without SWP_STABLE_WRITES.
        Verdict v = run(parse("""
                MM nonstable
                { anon x = 1; }
                P0 { *x = 2; }
                K0 { reclaim(0:x); }
                exists (0:x=1)
                """), new InvertedStableWrites());
        assertEquals(List.of(), v.flags());
    }

    private static final String SWAP_IN_THEN_WRITE = """
            MM swapin-write
            { anon x = 1; }
            P0 { madvise(x, MADV_PAGEOUT); r0 = *x; *x = 2; r1 = *x; }
            exists (0:r0=1 /\\ 0:r1=2)
            expect 5.19 Always
            """;

    @Test
    void refcount_swapCacheFreeThatKeepsTheCachesReference() throws Exception {
        assertBrokenRaises(SWAP_IN_THEN_WRITE, new BrokenFreeSwap(true), Flags.REFCOUNT);
    }

    @Test
    void swapCount_swapCacheFreeThatLeavesSwapHasCacheSet() throws Exception {
        Verdict v = assertBrokenRaises(SWAP_IN_THEN_WRITE, new BrokenFreeSwap(false), Flags.SWAP_COUNT);
        assertEquals(List.of(Flags.SWAP_COUNT), v.flags());
    }

    // ------------------------------------------------------------------ kernel-level breakage on fixtures

    @Test
    void refcount_unpinThatDropsOneReferenceInsteadOfThePinBias() {
        // A broken unpin_user_page (put_page instead of removing GUP_PIN_COUNTING_BIAS): no policy decides this.
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 7);
        GupRef r = f.gup(0, 0, true, true, false);
        Page page = f.s.page(r.page);
        assertEquals(Set.of(), f.invariants());
        page.pins--;
        f.s.putPage(page);
        assertEquals(Set.of(Flags.REFCOUNT), f.invariants());
    }

    @Test
    void swapCount_forkThatCopiesASwapPteWithoutSwapDuplicate() {
        // A broken copy_nonpresent_pte that forgets swap_duplicate (but clears the exclusive bit): only the
        // swap count is wrong.
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        SwapSlot slot = f.swapOutAndFree(0, 0);
        f.s.procs[1].status = Proc.Status.RUNNING;
        f.s.procs[1].vmas[0] = f.vma(0, 0);
        f.setPte(0, 0, f.pte(0, 0).withSwpExclusive(false));
        f.setPte(1, 0, f.pte(0, 0));
        assertEquals(1, slot.count);
        assertEquals(Set.of(Flags.SWAP_COUNT), f.invariants());
    }

    @Test
    void swpExclusiveShared_forkThatKeepsTheSwapExclusiveBit() {
        // A broken copy_nonpresent_pte that duplicates the entry but leaves the exclusive bit in both copies.
        // No policy decision touches the bit at fork, so the breakage is made by hand on a fixture.
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        f.swapOutAndFree(0, 0);
        Pte swp = f.pte(0, 0);
        assertTrue(swp.exclusive());
        f.s.procs[1].status = Proc.Status.RUNNING;
        f.s.procs[1].vmas[0] = f.vma(0, 0);
        f.kernel().swapfile.swapDuplicate(f.slot(0, 0));
        f.setPte(1, 0, swp);
        assertEquals(Set.of(Flags.SWP_EXCLUSIVE_SHARED), f.invariants(), f.invariantReasons());

        // The real copy_nonpresent_pte keeps the invariant.
        KernelFixture g = KernelFixture.of(2, 1);
        g.store(0, 0, 7);
        g.swapOutAndFree(0, 0);
        g.fork(0, 1);
        assertEquals(Set.of(), g.invariants(), g.invariantReasons());
    }

    @Test
    void ksmExclusive_replacePageThatMapsTheKsmPageExclusive() {
        // KSM pages can never become exclusive through a policy decision: do_wp_page, do_swap_page and
        // replace_page test PageKsm in the shared paths before any policy is asked. The breakage is a
        // replace_page that passes RMAP_EXCLUSIVE, done by hand after a real merge.
        KernelFixture f = KernelFixture.of(1, 2);
        f.store(0, 0, 5);
        f.store(0, 1, 5);
        f.mergeable(0, 0);
        f.mergeable(0, 1);
        f.ksmScan();
        Page kpage = f.page(0, 0);
        assertTrue(kpage.ksm);
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());

        f.store(0, 1, 6); // page 1 copies away: the KSM page is mapped once
        assertEquals(1, kpage.mapcount);
        kpage.anonExclusive = true; // what a replace_page or do_swap_page passing RMAP_EXCLUSIVE would leave
        assertEquals(Set.of(Flags.KSM_EXCLUSIVE), f.invariants(), f.invariantReasons());
    }

    @Test
    void writableNotExclusive_handBrokenUnusePteThatMapsWritable() {
        // Fixture-level companion: swapoff's unuse_pte mapping a shared page writable.
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 7);
        f.fork(0, 1);
        f.swapOutAndFree(0, 0);
        f.kernel().swapfile.tryToUnuse();
        assertEquals(Set.of(), f.invariants(), f.invariantReasons());
        Pte t = f.pte(0, 0);
        f.setPte(0, 0, Pte.present(t.target(), true, true, t.softDirty()));
        assertEquals(Set.of(Flags.WRITABLE_NOT_EXCLUSIVE), f.invariants());
    }

    /** 5.19 without get_swap_device in do_swap_page (as before 2799e77529c2). */
    static final class NoSwapDeviceRef extends V5_19 {
        @Override
        public String name() {
            return "broken-no-get-swap-device";
        }

        @Override
        public boolean swapInGetsSwapDevice() {
            return false;
        }
    }

    @Test
    void useAfterFree_swapInWithoutTheDeviceRaceswithSwapoff() throws Exception {
        assertBrokenRaises("""
                MM swapin-swapoff
                { anon x = 1; interleave ptlock; }
                P0 { madvise(x, MADV_PAGEOUT); r0 = *x; }
                K0 { swapoff(); }
                exists (0:r0=1)
                expect 5.19 Always
                """, new NoSwapDeviceRef(), Flags.USE_AFTER_FREE);
    }

    @Test
    void everyFlagIsCoveredByABrokenTest() {
        // Keep in step with the tests above: a flag added to Flags.ALL needs a broken scenario here.
        Set<String> covered = Set.of(Flags.WRITABLE_NOT_EXCLUSIVE, Flags.EXCLUSIVE_SHARED, Flags.SWP_EXCLUSIVE_SHARED,
                Flags.PINNED_NOT_EXCLUSIVE, Flags.KSM_EXCLUSIVE, Flags.REFCOUNT, Flags.SWAP_COUNT, Flags.STALE_READ,
                Flags.LEAK, Flags.PIN_INCOHERENT, Flags.STABLE_WRITE, Flags.USE_AFTER_FREE);
        assertEquals(new TreeSet<>(Flags.ALL), new TreeSet<>(covered));
    }
}
