package org.mmcheck.kernel;

import org.mmcheck.model.GupRef;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.Page;
import org.mmcheck.model.Pte;

/**
 * mm/gup.c's lockless walk (GUP-fast) under lock-level interleaving, in three stages: read the PTE
 * without locks | grab the page (a speculative reference: it counts in the refcount, but it is not a
 * pin yet) | recheck the PTE and, where the variant has it, write_protect_seq, and back off on any
 * change. A back-off, or a PTE GUP-fast cannot use, falls back to the slow path, which takes the
 * mmap_lock and so waits for a fork in progress.
 */
public final class GupStaged {
    /** One step's result: still in flight, or done with the reference (null when GUP failed). */
    public record Outcome(boolean pending, GupRef ref) {
        static final Outcome PENDING = new Outcome(true, null);
    }

    private final Kernel k;

    GupStaged(Kernel k) {
        this.k = k;
    }

    /**
     * One step of a GUP-fast call by actor a on page x of mm p, whose result goes to reference
     * {@code ref}: its first stage, or the next stage of the call in flight.
     */
    public Outcome step(int a, int p, int x, Gup.Request req, int ref) {
        InFlight f = k.s.inflight[a];
        if (f == null) return readPte(a, p, x, req, ref);
        k.log("%s (cont.)", f.where());
        k.trace.enter();
        try {
            return f.stage() == 2 ? grab(a, p, f, req) : recheck(a, p, f, req);
        } finally {
            k.trace.leave();
        }
    }

    // 5.19 mm/gup.c lockless_pages_from_mm: note write_protect_seq, then read the PTE without locks.
    private Outcome readPte(int a, int p, int x, Gup.Request req, int ref) {
        int seq = k.procView(p).wpSeq;
        k.log("gup_fast [1/3]: %s of page %d", req, x);
        k.trace.enter();
        try {
            if (k.policy.hasWriteProtectSeq() && (seq & 1) != 0) {
                k.log("write_protect_seq is odd: fork is copying the page tables -> slow path");
                return slowPath(p, x, req);
            }
            // mm_set_has_pinned_flag comes before the walk: fork's check can see it from here on.
            if (req.pin() && !k.procView(p).hasPinned) k.proc(p).hasPinned = true;
            Pte t = k.pte(p, x);
            if (k.gup.gupFastUsable(p, x, t, req) == null) return slowPath(p, x, req);
            k.log("read PTE %s locklessly", t);
            k.s.setInflight(a, InFlight.of(InFlight.Path.GUP_FAST, x, t, -1, false, false, false,
                    InFlight.gupAux(ref, req.pin(), req.write(), req.longterm(), seq)));
            return Outcome.PENDING;
        } finally {
            k.trace.leave();
        }
    }

    // 5.19 mm/gup.c try_grab_folio: a speculative reference, only if the page is not being freed.
    private Outcome grab(int a, int p, InFlight f, Gup.Request req) {
        int x = f.vpage();
        if (k.s.pageAt(f.orig().target()) == null) {
            k.log("try_grab_folio: page#%d was freed -> back off, slow path", f.orig().target());
            k.s.setInflight(a, null);
            return slowPath(p, x, req);
        }
        Page page = k.s.page(f.orig().target());
        page.refcount += req.pin() ? Page.PIN_BIAS : 1;
        k.log("try_grab_folio: speculative %s on %s", req.pin() ? "pin" : "reference", page);
        k.s.setInflight(a, f.nextHolding(page.id));
        return Outcome.PENDING;
    }

    // 5.19 mm/gup.c gup_pte_range after the grab: the PTE must be unchanged (and, 5.11+,
    // write_protect_seq too, in lockless_pages_from_mm); else put the page back and fall back.
    private Outcome recheck(int a, int p, InFlight f, Gup.Request req) {
        int x = f.vpage();
        Page page = k.s.page(f.page());
        Pte now = k.pte(p, x);
        k.s.setInflight(a, null);
        String why = null;
        boolean unchanged = k.policy.gupFastPteUnchanged(now.equals(f.orig()));
        if (!unchanged && f.gupStaleView()) {
            k.log("the recheck reads the PTE as it was: no barrier orders it after the clear (before 6.1)");
        } else if (!unchanged) {
            why = "PTE changed"; // the trace line below names the new PTE
        } else if (k.policy.hasWriteProtectSeq() && k.procView(p).wpSeq != f.gupSeq()) {
            why = "write_protect_seq changed (" + f.gupSeq() + " -> " + k.procView(p).wpSeq + ")";
        } else if (!(f.gupStaleView() ? f.orig() : now).write()
                && k.policy.gupMustUnshare(req.pin(), req.write(), req.longterm(), page)) {
            why = "gup_must_unshare(page#" + page.id + ")";
        }
        if (why != null) {
            k.log("recheck fails: %s%s -> put the page back, slow path", why, why.equals("PTE changed") ? " to " + now : "");
            page.refcount -= f.heldRefs() - 1;
            k.s.putPage(page);
            return slowPath(p, x, req);
        }
        if (req.pin()) page.pins++;
        else page.gets++;
        k.log("recheck ok: %s taken on %s", req.pin() ? "pin" : "reference", page);
        return new Outcome(false, Gup.newRef(p, x, page.id, page.content, req));
    }

    /** The slow path takes the mmap_lock: while fork holds it, the caller waits (the step is not enabled). */
    private Outcome slowPath(int p, int x, Gup.Request req) {
        if (k.s.forkInFlight(p)) throw new WouldBlock("mmap_lock is held by fork");
        return new Outcome(false, k.gup.getUserPagesSlow(p, x, req));
    }
}
