package org.mmcheck.kernel;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.Pte;

/** FOLL_FORCE: GUP on behalf of ptrace or /proc/pid/mem, past the VMA's protection. */
class GupForceTest {
    private static GupRef gup(KernelFixture f, boolean write, boolean force) {
        return f.kernel().gup.getUserPages(0, 0, new Gup.Request(false, write, false, false, force));
    }

    private static KernelFixture readOnly(int procs, boolean fork) {
        KernelFixture f = KernelFixture.of(procs, 1);
        f.store(0, 0, 1);
        if (fork) f.fork(0, 1);
        f.kernel().mprotect.mprotectFixup(0, 0, true, false);
        return f;
    }

    @Test
    void forcedWriteBreaksCowOfASharedPageAndLeavesTheNewPteReadOnlyButDirty() {
        KernelFixture f = readOnly(2, true);
        int shared = f.pte(0, 0).target();
        GupRef r = gup(f, true, true);
        assertNotNull(r, f.traceText());
        Pte t = f.pte(0, 0);
        assertNotEquals(shared, t.target());
        assertEquals(t.target(), r.page);
        assertFalse(t.write());
        assertTrue(t.dirty());
        assertEquals(shared, f.pte(1, 0).target(), "the child keeps the old page");
        assertEquals(Set.of(), f.invariants());
    }

    @Test
    void forcedWriteReusesAnExclusivePage() {
        KernelFixture f = readOnly(1, false);
        int page = f.pte(0, 0).target();
        GupRef r = gup(f, true, true);
        assertNotNull(r);
        assertEquals(page, r.page);
        assertFalse(f.pte(0, 0).write());
    }

    @Test
    void withoutForceAWriteToAReadOnlyMappingFails() {
        KernelFixture f = readOnly(1, false);
        assertNull(gup(f, true, false));
    }

    @Test
    void forceReadsAProtNoneMapping() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.store(0, 0, 4);
        f.kernel().mprotect.mprotectFixup(0, 0, false, false);
        assertNull(gup(f, false, false));
        GupRef r = gup(f, false, true);
        assertNotNull(r);
        assertEquals(4, f.kernel().gup.read(r));
    }
}
