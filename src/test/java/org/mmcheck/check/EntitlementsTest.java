package org.mmcheck.check;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.kernel.KernelFixture;
import org.mmcheck.kernel.KernelFixture.RecordingSink;
import org.mmcheck.model.Entitlement;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.KState;

/** The entitlement rules of MODEL.md: loads, stores, fork, zap and unmap, and reference binding. */
class EntitlementsTest {

    private static Set<String> load(KState s, int p, int x, int v) {
        RecordingSink sink = new RecordingSink();
        Entitlements.onLoad(s, p, x, v, sink);
        return sink.ids;
    }

    private static GupRef hold(KState s, int i, int owner, int x, boolean pin, boolean write) {
        GupRef r = s.refs[i];
        r.state = GupRef.State.HELD;
        r.owner = owner;
        r.vpage = x;
        r.pin = pin;
        r.write = write;
        r.bound = true;
        return r;
    }

    // ---- onLoad

    @Test
    void loadOfTheEntitledValueRaisesNothing() {
        KernelFixture f = KernelFixture.of(1, 1);
        assertEquals(Set.of(), load(f.s, 0, 0, 0), "initially entitled to zeroes");
        Entitlements.onStore(f.s, 0, 0, 5);
        assertEquals(Set.of(), load(f.s, 0, 0, 5));
    }

    @Test
    void loadOfAnOlderOwnValueIsStale() {
        KernelFixture f = KernelFixture.of(1, 1);
        Entitlements.onStore(f.s, 0, 0, 1);
        Entitlements.onStore(f.s, 0, 0, 2);
        assertEquals(Set.of(Flags.STALE_READ), load(f.s, 0, 0, 1));
        assertEquals(Set.of(Flags.STALE_READ), load(f.s, 0, 0, 0));
    }

    @Test
    void loadOfAValueNeverEntitledIsALeak() {
        KernelFixture f = KernelFixture.of(1, 1);
        Entitlements.onStore(f.s, 0, 0, 1);
        assertEquals(Set.of(Flags.LEAK), load(f.s, 0, 0, 9));
    }

    @Test
    void loadMismatchAfterADeviceWriteIsPinIncoherent() {
        KernelFixture f = KernelFixture.of(1, 1);
        Entitlements.onStore(f.s, 0, 0, 1);
        f.s.procs[0].mutableEnt().set(0, 4, true);
        assertEquals(Set.of(Flags.PIN_INCOHERENT), load(f.s, 0, 0, 1), "even an older own value");
        assertEquals(Set.of(Flags.PIN_INCOHERENT), load(f.s, 0, 0, 9));
        assertEquals(Set.of(), load(f.s, 0, 0, 4));
    }

    @Test
    void ownStoreAfterDeviceWriteClearsByDevice() {
        KernelFixture f = KernelFixture.of(1, 1);
        f.s.procs[0].mutableEnt().set(0, 4, true);
        Entitlements.onStore(f.s, 0, 0, 5);
        assertFalse(f.s.procs[0].ent.byDevice[0]);
        assertEquals(Set.of(Flags.STALE_READ), load(f.s, 0, 0, 4));
    }

    // ---- onFork

    @Test
    void childInheritsValuesAndHistory() {
        KernelFixture f = KernelFixture.of(2, 2);
        Entitlements.onStore(f.s, 0, 0, 7);
        Entitlements.onStore(f.s, 0, 1, 8);
        Entitlements.onFork(f.s, 0, 1);
        Entitlement c = f.s.procs[1].ent;
        assertEquals(7, c.value[0]);
        assertEquals(8, c.value[1]);
        assertTrue(c.heldBefore(0, 0), "history is inherited");
        assertEquals(Set.of(Flags.STALE_READ), load(f.s, 1, 0, 0));
        assertEquals(Set.of(), load(f.s, 1, 0, 7));
        // Independent afterwards.
        Entitlements.onStore(f.s, 1, 0, 9);
        assertEquals(7, f.s.procs[0].ent.value[0]);
        assertEquals(Set.of(Flags.LEAK), load(f.s, 0, 0, 9), "the child's store is a leak for the parent");
    }

    @Test
    void dontforkChildIsAbsentAndWipeonforkChildIsZero() {
        KernelFixture f = KernelFixture.of(2, 3);
        for (int x = 0; x < 3; x++) Entitlements.onStore(f.s, 0, x, 5);
        f.s.procs[0].vmas[0] = f.vma(0, 0).withDontcopy(true);
        f.s.procs[0].vmas[1] = f.vma(0, 1).withWipeOnFork(true);
        Entitlements.onFork(f.s, 0, 1);
        Entitlement c = f.s.procs[1].ent;
        assertEquals(Entitlement.ABSENT, c.value[0]);
        assertEquals(0, c.value[1]);
        assertEquals(5, c.value[2]);
        assertEquals(Set.of(Flags.LEAK), load(f.s, 1, 1, 5), "wiped page must not show the parent's data");
    }

    @Test
    void forkWithoutVmaGivesAbsent() {
        KernelFixture f = KernelFixture.of(2, 1);
        f.s.procs[0].vmas[0] = null;
        Entitlements.onFork(f.s, 0, 1);
        assertEquals(Entitlement.ABSENT, f.s.procs[1].ent.value[0]);
    }

    @Test
    void forkUnbindsWritableGetsButNotPinsOrReadOnlyGets() {
        KernelFixture f = KernelFixture.of(2, 1);
        KState s = f.s;
        GupRef wget = hold(s, 0, 0, 0, false, true);
        GupRef pin = hold(s, 1, 0, 0, true, false);
        Entitlements.onFork(s, 0, 1);
        assertFalse(wget.bound);
        assertTrue(pin.bound);

        KernelFixture g = KernelFixture.of(2, 1);
        GupRef roGet = hold(g.s, 0, 0, 0, false, false);
        Entitlements.onFork(g.s, 0, 1);
        assertTrue(roGet.bound);
    }

    @Test
    void forkDoesNotUnbindReferencesOfOtherOwners() {
        KernelFixture f = KernelFixture.of(3, 1);
        GupRef wget = hold(f.s, 0, 2, 0, false, true);
        Entitlements.onFork(f.s, 0, 1);
        assertTrue(wget.bound);
    }

    // ---- zap and unmap

    @Test
    void zapEntitlesZeroAndUnbindsReferencesOfThatPage() {
        KernelFixture f = KernelFixture.of(1, 2);
        Entitlements.onStore(f.s, 0, 0, 5);
        GupRef pin0 = hold(f.s, 0, 0, 0, true, true);
        GupRef pin1 = hold(f.s, 1, 0, 1, true, true);
        Entitlements.onZap(f.s, 0, 0);
        assertEquals(0, f.s.procs[0].ent.value[0]);
        assertTrue(f.s.procs[0].ent.heldBefore(0, 5));
        assertFalse(pin0.bound);
        assertTrue(pin1.bound, "only references to the zapped page come unbound");
        assertEquals(Set.of(Flags.STALE_READ), load(f.s, 0, 0, 5));
    }

    @Test
    void unmapEntitlesNothing() {
        KernelFixture f = KernelFixture.of(1, 1);
        Entitlements.onStore(f.s, 0, 0, 5);
        GupRef pin = hold(f.s, 0, 0, 0, true, false);
        Entitlements.onUnmap(f.s, 0, 0);
        assertEquals(Entitlement.ABSENT, f.s.procs[0].ent.value[0]);
        assertTrue(f.s.procs[0].ent.heldBefore(0, 5));
        assertFalse(pin.bound);
    }

    @Test
    void storeWidensTheSnapshotOfBoundReferences() {
        KernelFixture f = KernelFixture.of(1, 1);
        GupRef ro = hold(f.s, 0, 0, 0, false, false);
        GupRef pin = hold(f.s, 1, 0, 0, true, false);
        Entitlements.onStore(f.s, 0, 0, 5);
        assertTrue(ro.snapshotAllows(5));
        assertFalse(ro.snapshotAllows(6));
        assertTrue(pin.bound, "a store does not unbind anything");
        ro.bound = false;
        Entitlements.onStore(f.s, 0, 0, 6);
        assertFalse(ro.snapshotAllows(6), "an unbound reference no longer follows the owner");
    }

    @Test
    void kernelDrivenScenarioRaisesNothing() {
        // Store, fork, both write: each reads its own value.
        KernelFixture f = KernelFixture.of(2, 1);
        f.store(0, 0, 1);
        f.fork(0, 1);
        f.store(1, 0, 2);
        f.store(0, 0, 3);
        for (int[] pv : List.of(new int[] {0, 3}, new int[] {1, 2})) {
            int v = f.load(pv[0], 0);
            assertEquals(pv[1], v);
            assertEquals(Set.of(), load(f.s, pv[0], 0, v));
        }
    }
}
