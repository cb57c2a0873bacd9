package org.mmcheck.model;

/**
 * A state as one int array, exactly (ids and all), for the states that wait in the
 * search queue. A queued state is expanded long after it was made, when its dozens of small objects
 * have left the CPU caches; one contiguous array is read in a few cache misses instead of one per
 * object, and takes less memory. {@link #unpack} rebuilds objects owned by the new state, so the
 * successors that follow share fresh, cached objects.
 *
 * <p>Not the canonical key: page and slot ids are kept, so a state comes back as it was and its
 * successors are exactly those of the original.
 */
public final class StateCodec {
    private StateCodec() {}

    private static final Proc.Status[] STATUSES = Proc.Status.values();
    /** Atomic tests have no paths in flight and pack none. */
    private static final InFlight[] NO_INFLIGHT = new InFlight[0];
    private static final GupRef.State[] REF_STATES = GupRef.State.values();

    public static int[] pack(KState s) {
        int size = 8 + s.kpc.length + s.kReclaim.length + s.refs.length * 13 + s.pageCount() * 8
                + s.slotCount() * 5 + s.procs.length * 6;
        for (Proc p : s.procs) size += 4 + p.regs.length + p.ptes.length * (p.ent.high == null ? 7 : 13);
        int[] b = new int[size];
        int n = 0;
        b[n++] = s.procs.length;
        b[n++] = s.kpc.length;
        b[n++] = s.refs.length;
        SwapDevice d = s.swap;
        b[n++] = (d.present() ? 1 : 0) | (d.stableWrites() ? 2 : 0) | (d.syncIo() ? 4 : 0) | (d.writeOk() ? 8 : 0)
                | (s.swapoffDone ? 16 : 0) | (s.ptlock ? 32 : 0);
        b[n++] = s.nextPageId;
        b[n++] = s.nextSlotId;
        for (int k : s.kpc) b[n++] = k;
        for (int k : s.kReclaim) b[n++] = k;
        for (InFlight f : s.ptlock ? s.inflight : NO_INFLIGHT) {
            if (f == null) {
                b[n++] = -1;
                continue;
            }
            b[n++] = f.bits();
            b[n++] = f.vpage();
            b[n++] = f.orig().target();
            b[n++] = f.orig().bits();
            b[n++] = f.page();
            b[n++] = f.aux();
        }
        for (Proc p : s.procs) {
            Entitlement e = p.ent;
            b[n++] = p.regs.length;
            b[n++] = p.ptes.length;
            // status 0-2, hasPinned 3, high 4, live threads 5-14, mm owner + 1 from 15
            b[n++] = p.status.ordinal() | (p.hasPinned ? 8 : 0) | (e.high != null ? 16 : 0)
                    | (fits(p.threads, 0x3FF) << 5) | ((p.mm + 1) << 15);
            b[n++] = p.pc | (fits(p.wpSeq, 0x7FFF) << 16);
            for (int r : p.regs) b[n++] = r;
            for (int x = 0; x < p.ptes.length; x++) {
                Vma v = p.vmas[x];
                b[n++] = v == null ? -1 : v.bits();
                b[n++] = p.ptes[x].target();
                b[n++] = p.ptes[x].bits();
                b[n++] = e.value[x];
                b[n++] = e.byDevice[x] ? 1 : 0;
                n = putLong(b, n, e.history[x]);
                if (e.high != null) for (int w = 0; w < 3; w++) n = putLong(b, n, e.high[x * 3 + w]);
            }
        }
        for (GupRef r : s.refs) {
            b[n++] = r.state.ordinal() | (r.pin ? 4 : 0) | (r.write ? 8 : 0) | (r.longterm ? 16 : 0)
                    | (r.bound ? 32 : 0);
            b[n++] = r.owner;
            b[n++] = r.vpage;
            b[n++] = r.page;
            b[n++] = r.lastValue;
            for (long h : r.snapshot) n = putLong(b, n, h);
        }
        b[n++] = s.pageCount();
        for (int id = 0, bound = s.pageIdBound(); id < bound; id++) {
            Page p = s.pageAt(id);
            if (p == null) continue;
            b[n++] = p.id;
            b[n++] = p.refcount;
            b[n++] = p.mapcount;
            b[n++] = p.content;
            b[n++] = p.flagBits();
            b[n++] = p.swapSlot;
            b[n++] = p.pins;
            b[n++] = p.gets;
        }
        b[n++] = s.slotCount();
        for (int id = 0, bound = s.slotIdBound(); id < bound; id++) {
            SwapSlot sl = s.slotAt(id);
            if (sl == null) continue;
            b[n++] = sl.id;
            b[n++] = sl.count;
            b[n++] = (sl.hasCache ? 1 : 0) | (sl.claimed ? 2 : 0);
            b[n++] = sl.content;
            b[n++] = sl.writing;
        }
        assert n <= size;
        if (n < size) b = java.util.Arrays.copyOf(b, n);
        return b;
    }

    public static KState unpack(int[] b) {
        int n = 0;
        int nProcs = b[n++];
        int nKernel = b[n++];
        int nRefs = b[n++];
        int dev = b[n++];
        Proc[] procs = new Proc[nProcs];
        SwapDevice d = new SwapDevice((dev & 1) != 0, (dev & 2) != 0, (dev & 4) != 0, (dev & 8) != 0);
        KState s = new KState(procs, nKernel, nRefs, d);
        s.swapoffDone = (dev & 16) != 0;
        s.ptlock = (dev & 32) != 0;
        s.nextPageId = b[n++];
        s.nextSlotId = b[n++];
        for (int t = 0; t < nKernel; t++) s.kpc[t] = b[n++];
        for (int t = 0; t < nKernel; t++) s.kReclaim[t] = b[n++];
        for (int i = 0; s.ptlock && i < nProcs; i++) {
            int bits = b[n++];
            if (bits < 0) continue;
            int vpage = b[n++];
            int target = b[n++];
            Pte orig = Pte.ofBits(target, b[n++]);
            int page = b[n++];
            s.setInflight(i, InFlight.of(bits, vpage, orig, page, b[n++]));
        }
        for (int i = 0; i < nProcs; i++) {
            int nRegs = b[n++];
            int nPages = b[n++];
            Proc p = new Proc(nRegs, nPages);
            procs[i] = p;
            int bits = b[n++];
            p.status = STATUSES[bits & 7];
            p.hasPinned = (bits & 8) != 0;
            p.threads = (bits >>> 5) & 0x3FF;
            p.mm = (bits >>> 15) - 1;
            Entitlement e = p.ent;
            if ((bits & 16) != 0) e.high = new long[nPages * 3];
            int pc = b[n++];
            p.pc = pc & 0xFFFF;
            p.wpSeq = pc >>> 16;
            for (int r = 0; r < nRegs; r++) p.regs[r] = b[n++];
            for (int x = 0; x < nPages; x++) {
                int vma = b[n++];
                p.vmas[x] = vma < 0 ? null : Vma.ofBits(vma);
                int target = b[n++];
                p.ptes[x] = Pte.ofBits(target, b[n++]);
                e.value[x] = b[n++];
                e.byDevice[x] = b[n++] != 0;
                e.history[x] = getLong(b, n);
                n += 2;
                if (e.high != null) {
                    for (int w = 0; w < 3; w++, n += 2) e.high[x * 3 + w] = getLong(b, n);
                }
            }
        }
        for (GupRef r : s.refs) {
            int bits = b[n++];
            r.state = REF_STATES[bits & 3];
            r.pin = (bits & 4) != 0;
            r.write = (bits & 8) != 0;
            r.longterm = (bits & 16) != 0;
            r.bound = (bits & 32) != 0;
            r.owner = b[n++];
            r.vpage = b[n++];
            r.page = b[n++];
            r.lastValue = b[n++];
            for (int w = 0; w < 4; w++, n += 2) r.snapshot[w] = getLong(b, n);
        }
        int nPages = b[n++];
        for (int i = 0; i < nPages; i++) {
            Page p = new Page(b[n++]);
            p.refcount = b[n++];
            p.mapcount = b[n++];
            p.content = b[n++];
            p.setFlagBits(b[n++]);
            p.swapSlot = b[n++];
            p.pins = b[n++];
            p.gets = b[n++];
            s.adopt(p);
        }
        int nSlots = b[n++];
        for (int i = 0; i < nSlots; i++) {
            SwapSlot sl = new SwapSlot(b[n++]);
            sl.count = b[n++];
            int flags = b[n++];
            sl.hasCache = (flags & 1) != 0;
            sl.claimed = (flags & 2) != 0;
            sl.content = b[n++];
            sl.writing = b[n++];
            s.adopt(sl);
        }
        return s;
    }

    private static int fits(int v, int max) {
        if (v < 0 || v > max) throw new StateTooLargeException("too many threads to pack: " + v + " (at most " + max + ")");
        return v;
    }

    private static int putLong(int[] b, int n, long v) {
        b[n] = (int) v;
        b[n + 1] = (int) (v >>> 32);
        return n + 2;
    }

    private static long getLong(int[] b, int n) {
        return (b[n] & 0xFFFFFFFFL) | ((long) b[n + 1] << 32);
    }
}
