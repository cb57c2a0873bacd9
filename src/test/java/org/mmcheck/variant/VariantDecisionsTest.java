package org.mmcheck.variant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmcheck.kernel.KernelFixture;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapDevice;

/** Each generation's answer at the decision points where kernels differ, on one fixed scenario each. */
class VariantDecisionsTest {

    private static KernelFixture fixture(KernelPolicy policy, int procs, boolean stable, boolean syncIo) {
        return KernelFixture.of(procs, 1, policy, new SwapDevice(true, stable, syncIo, true));
    }

    /** Parent's page after fork + child exit, with a read-only GET held: mapcount 1, refcount 2. */
    private static int pageAfterWriteWithGet(KernelPolicy policy) {
        KernelFixture f = fixture(policy, 2, false, false);
        f.store(0, 0, 1);
        f.fork(0, 1);
        f.exit(1);
        assertNotNull(f.gup(0, 0, false, false, false));
        int before = f.pte(0, 0).target();
        f.store(0, 0, 2);
        return f.pte(0, 0).target() == before ? 1 : 0;
    }

    @Test
    void doWpPageReuseIgnoresGupReferencesOnlyUpTo58() {
        assertEquals(1, pageAfterWriteWithGet(new V5_7()), "5.7 reuses by mapcount (CVE-2020-29374)");
        assertEquals(1, pageAfterWriteWithGet(new V5_8()), "5.8 still reuses by mapcount in do_wp_page");
        assertEquals(0, pageAfterWriteWithGet(new V5_9()), "5.9 needs refcount 1");
        assertEquals(0, pageAfterWriteWithGet(new V5_18()), "5.18 needs refcount 1");
        assertEquals(0, pageAfterWriteWithGet(new V5_19()), "5.19: not exclusive after fork, refcount 2");
    }

    @Test
    void reuseSwapPageRefusesAPageUnderStableWriteback() {
        for (boolean stable : new boolean[] {true, false}) {
            KernelFixture f = fixture(new V5_7(), 1, stable, false);
            f.store(0, 0, 1);
            Page page = f.page(0, 0);
            f.reclaim(page);
            assertTrue(page.writeback && f.pte(0, 0).isSwap());
            f.store(0, 0, 2);
            boolean reused = f.pte(0, 0).target() == page.id;
            assertEquals(!stable, reused, "stable=" + stable + ": " + f.traceText());
            assertTrue(f.pte(0, 0).write());
        }
    }

    @Test
    void only58BreaksCowForAReadOnlyGet() {
        for (KernelPolicy policy : new KernelPolicy[] {new V5_7(), new V5_8(), new V5_9()}) {
            KernelFixture f = fixture(policy, 2, false, false);
            f.store(0, 0, 1);
            f.fork(0, 1);
            int shared = f.pte(0, 0).target();
            f.gup(0, 0, false, false, false);
            boolean broke = f.pte(0, 0).target() != shared;
            assertEquals(policy instanceof V5_8, broke, policy.name() + ": " + f.traceText());
        }
    }

    @Test
    void forkCopiesPinnedPagesFrom59On() {
        for (KernelPolicy policy : new KernelPolicy[] {new V5_7(), new V5_8(), new V5_9(), new V5_18(), new V5_19()}) {
            KernelFixture f = fixture(policy, 2, false, false);
            f.store(0, 0, 1);
            f.gup(0, 0, true, true, false);
            f.fork(0, 1);
            boolean copied = f.pte(1, 0).target() != f.pte(0, 0).target();
            boolean expected = !(policy instanceof V5_8) && !policy.name().equals("5.7");
            assertEquals(expected, copied, policy.name() + ": " + f.traceText());
        }
    }

    @Test
    void reclaimSkipsPinnedPagesFrom511On() {
        for (KernelPolicy policy : new KernelPolicy[] {new V5_7(), new V5_9(), new V5_11(), new V5_19()}) {
            KernelFixture f = fixture(policy, 1, false, false);
            f.store(0, 0, 1);
            f.gup(0, 0, true, true, false);
            f.reclaim(0, 0);
            // 5.9 and 5.10 unmap the pinned page (pageout then fails on the extra references).
            boolean unmapped = f.pte(0, 0).isSwap();
            assertEquals(!(policy instanceof V5_11), unmapped, policy.name());
        }
    }

    @Test
    void swapInOfAFullySwappedPageIsWritableByWriteFaultIn518And519() {
        for (KernelPolicy policy : new KernelPolicy[] {new V5_7(), new V5_18(), new V5_19(), new V5_19NoSwpx()}) {
            KernelFixture f = fixture(policy, 1, false, false);
            f.store(0, 0, 1);
            f.swapOutAndFree(0, 0);
            f.store(0, 0, 2);
            Pte t = f.pte(0, 0);
            assertTrue(t.write(), policy.name() + " maps the only user's page writable: " + f.traceText());
            assertFalse(f.s.page(t.target()).swapcache, policy.name() + " frees the swap cache");
        }
    }

    @Test
    void only519KeepsExclusivityAcrossSwapOutWithAGetHeld() {
        for (KernelPolicy policy : new KernelPolicy[] {new V5_18(), new V5_19(), new V5_19NoSwpx()}) {
            KernelFixture f = fixture(policy, 1, false, false);
            f.store(0, 0, 1);
            f.gup(0, 0, false, true, false);
            f.reclaim(0, 0); // unmapped; pageout refused because of the GET
            assertTrue(f.pte(0, 0).isSwap());
            assertEquals(policy.hasSwpExclusiveBit(), f.pte(0, 0).exclusive(), policy.name());
            int page = f.swapCachePage(0, 0).id;
            f.load(0, 0);
            f.store(0, 0, 2);
            boolean samePage = f.pte(0, 0).target() == page;
            assertEquals(policy.name().equals("5.19"), samePage, policy.name() + ": " + f.traceText());
        }
    }

    @Test
    void reuseKsmPageExistsOnlyUpTo58() {
        for (KernelPolicy policy : new KernelPolicy[] {new V5_7(), new V5_9()}) {
            KernelFixture f = fixture(policy, 1, false, false);
            f.store(0, 0, 1);
            Page page = f.page(0, 0);
            page.ksm = true; // a KSM page mapped once, nobody else holds it
            f.setPte(0, 0, f.pte(0, 0).wrprotect());
            f.store(0, 0, 2);
            boolean reused = f.pte(0, 0).target() == page.id;
            assertEquals(policy.name().equals("5.7"), reused, policy.name() + ": " + f.traceText());
        }
    }

    @Test
    void variantsAreListedOldestFirstAndAllModelled() {
        assertEquals(java.util.List.of("5.7", "5.8", "5.9", "5.11", "5.18", "5.19", "part3-v2", "5.19-noswpx",
                "6.1", "6.2", "6.8", "6.12"), Variants.names());
        for (String v : Variants.names()) {
            assertTrue(Variants.modelled(v), v);
            assertEquals(v, Variants.policy(v).name());
        }
        assertNotEquals(Variants.policy("5.19").getClass(), Variants.policy("part3-v2").getClass());
    }
}
