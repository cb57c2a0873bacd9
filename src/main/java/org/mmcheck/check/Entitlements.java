package org.mmcheck.check;

import org.mmcheck.kernel.FlagSink;
import org.mmcheck.model.Entitlement;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.KState;
import org.mmcheck.model.Proc;

/**
 * The user-visible guarantees of MODEL.md: what a process or a reference may read, and how stores,
 * fork and unmapping change that.
 */
public final class Entitlements {
    private Entitlements() {}

    /** A load by process p at page x returned v. */
    public static void onLoad(KState s, int p, int x, int v, FlagSink sink) {
        onLoad(s, p, p, x, null, v, sink);
    }

    /**
     * A load by thread or process {@code actor} from page x of mm {@code p}.
     *
     * @param name the page's name in the test, for the message (null: "page x")
     */
    public static void onLoad(KState s, int actor, int p, int x, String name, int v, FlagSink sink) {
        Entitlement e = s.procs[p].ent;
        int want = e.value[x];
        if (want == v) return;
        String who = "P" + actor + (actor == p ? "" : " (a thread of P" + p + ")") + " read " + v + " at "
                + (name == null ? "page " + x : name) + ", entitled to " + want;
        if (e.byDevice[x]) sink.raise(Flags.PIN_INCOHERENT, () -> who + " (written through a coherent reference)");
        else if (e.heldBefore(x, v)) sink.raise(Flags.STALE_READ, () -> who + " (an older value of its own)");
        else sink.raise(Flags.LEAK, () -> who + " (never entitled to it)");
    }

    /** A store by process p. */
    public static void onStore(KState s, int p, int x, int v) {
        s.mutableProc(p).mutableEnt().set(x, v, false);
        refreshSnapshots(s, p, x);
    }

    /** Process p's mapping of x was zapped but the VMA stays (MADV_DONTNEED): zero-fill from now on. */
    public static void onZap(KState s, int p, int x) {
        s.mutableProc(p).mutableEnt().set(x, 0, false);
        unbind(s, p, x);
        refreshSnapshots(s, p, x);
    }

    /** Process p has no mapping of x any more (munmap, exit). */
    public static void onUnmap(KState s, int p, int x) {
        s.mutableProc(p).mutableEnt().clear(x);
        unbind(s, p, x);
    }

    /** Fork: the child inherits the parent's entitlements; writable GETs of the parent come unbound. */
    public static void onFork(KState s, int parent, int child) {
        Proc pp = s.procs[parent];
        Proc cp = s.mutableProc(child);
        for (int x = 0; x < pp.vmas.length; x++) {
            if (pp.vmas[x] == null || pp.vmas[x].dontcopy()) {
                cp.mutableEnt().clear(x);
            } else if (pp.vmas[x].wipeOnFork()) {
                cp.mutableEnt().set(x, 0, false);
            } else {
                cp.mutableEnt().inherit(pp.ent, x);
            }
        }
        for (GupRef r : s.refs) {
            if (r.state == GupRef.State.HELD && r.bound && r.owner == parent && !r.pin && r.write) r.bound = false;
        }
    }

    private static void unbind(KState s, int p, int x) {
        for (GupRef r : s.refs) {
            if (r.state == GupRef.State.HELD && r.bound && r.owner == p && r.vpage == x) r.bound = false;
        }
    }

    /** References bound to (p, x) may now also return the new entitled value (snapshot semantics). */
    private static void refreshSnapshots(KState s, int p, int x) {
        int v = s.procs[p].ent.value[x];
        if (v < 0) return;
        for (GupRef r : s.refs) {
            if (r.state == GupRef.State.HELD && r.bound && r.owner == p && r.vpage == x) r.allowSnapshot(v);
        }
    }

    /** A reference was just taken: bound to its owner's page, entitled to what the owner is. */
    /**
     * Fork write-protected the parent's PTEs of these shared pages only now (interleave ptlock): until
     * then a store by the parent went into the page the child shares, so the child is entitled to what
     * the parent is entitled to at this point.
     */
    public static void onForkWrprotect(KState s, int parent, int child, int pages) {
        Proc pp = s.procs[parent];
        Proc cp = s.mutableProc(child);
        for (int x = 0; pages >> x != 0; x++) if ((pages & (1 << x)) != 0) cp.mutableEnt().inherit(pp.ent, x);
    }

    public static void onRefTaken(KState s, GupRef r) {
        int v = s.procs[r.owner].ent.value[r.vpage];
        if (v >= 0) r.allowSnapshot(v);
    }

    /** A read through reference r (named {@code name}) returned v. */
    public static void onRefRead(KState s, GupRef r, String name, int v, FlagSink sink) {
        if (r.bound && r.coherent()) {
            int want = s.procs[r.owner].ent.value[r.vpage];
            if (v != want) {
                sink.raise(Flags.PIN_INCOHERENT, () -> name + " read " + v + " but its owner P" + r.owner
                        + " is entitled to " + want + " (the mapping and the reference diverged)");
            }
        } else if (!r.snapshotAllows(v)) {
            sink.raise(Flags.LEAK, () -> name + " read " + v + ", a value its owner P" + r.owner
                    + " never held while the reference was bound");
        }
        r.lastValue = v;
    }

    /** A device write of v through reference r. */
    public static void onRefWrite(KState s, GupRef r, int v) {
        r.allowSnapshot(v);
        r.lastValue = v;
        if (r.bound) {
            s.mutableProc(r.owner).mutableEnt().set(r.vpage, v, true);
            refreshSnapshots(s, r.owner, r.vpage);
        }
    }
}
