package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Part3V2;
import org.mmcheck.variant.V5_19;
import org.mmcheck.variant.V5_19NoSwpx;
import org.mmcheck.variant.Variants;

/** The decision points of the modelled variants. */
class PolicyTest {

    @Test
    void v519DropsExclusiveUnderWritebackOnlyForStableWrites() {
        V5_19 v = new V5_19();
        assertTrue(v.dropExclusiveUnderWriteback(true));
        assertFalse(v.dropExclusiveUnderWriteback(false));
    }

    @Test
    void part3V2InvertsTheStableWritesTest() {
        V5_19 v = new Part3V2();
        assertFalse(v.dropExclusiveUnderWriteback(true));
        assertTrue(v.dropExclusiveUnderWriteback(false));
        assertTrue(v.hasAnonExclusive());
        assertTrue(v.hasSwpExclusiveBit());
    }

    @Test
    void noSwpxHasNoSwapExclusiveBitButOtherwiseIs519() {
        V5_19 v = new V5_19NoSwpx();
        assertFalse(v.hasSwpExclusiveBit());
        assertTrue(v.hasAnonExclusive());
        assertTrue(v.dropExclusiveUnderWriteback(true));
        assertFalse(v.dropExclusiveUnderWriteback(false));
    }

    @Test
    void v519HasBothMarkersAndKeepsMprotectedPtesReadOnly() {
        KernelPolicy v = new V5_19();
        assertTrue(v.hasAnonExclusive());
        assertTrue(v.hasSwpExclusiveBit());
        Page page = new Page(0);
        page.anonExclusive = true;
        page.refcount = 1;
        page.mapcount = 1;
        assertFalse(v.mprotectMayMapWritable(page));
    }

    @Test
    void forkMustCopyNeedsExclusiveHasPinnedAndMaybePinned() {
        KernelPolicy v = new V5_19();
        Proc parent = new Proc(0, 1);
        Page page = new Page(0);
        page.refcount = 1 + Page.PIN_BIAS;
        page.anonExclusive = true;
        assertFalse(v.forkMustCopy(parent, page), "no MMF_HAS_PINNED");
        parent.hasPinned = true;
        assertTrue(v.forkMustCopy(parent, page));
        page.anonExclusive = false;
        assertFalse(v.forkMustCopy(parent, page), "a shared page is never copied at fork");
        page.anonExclusive = true;
        page.refcount = 2;
        assertFalse(v.forkMustCopy(parent, page), "not maybe-pinned");
    }

    @Test
    void namesAndRegistry() {
        assertEquals("5.19", new V5_19().name());
        assertEquals("part3-v2", new Part3V2().name());
        assertEquals("5.19-noswpx", new V5_19NoSwpx().name());
        for (String n : new String[] {"5.19", "part3-v2", "5.19-noswpx"}) {
            assertTrue(Variants.modelled(n), n);
            assertEquals(n, Variants.policy(n).name());
        }
    }
}
