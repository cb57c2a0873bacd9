package org.mmcheck.model;

import java.util.Arrays;

/**
 * Numbers pages and slots by a walk independent of their ids, then flattens the state. Runs on
 * every transition: pages and slots are found in the state's id-indexed tables, and their numbers in
 * per-thread tables indexed by id (ids are small serial numbers) that are valid while their stamp
 * equals the current epoch, so nothing is cleared or allocated per call and nothing is searched.
 */
final class CanonicalEncoder {
    int[] buf = new int[256];
    int len;
    int epoch;
    /** The state being encoded: pages and slots are looked up in its id-indexed tables. */
    private KState cur;
    // by slot id: the swap-cache page, valid when cacheLive[id] == epoch
    Page[] cacheBySlot = new Page[64];
    int[] cacheLive = new int[64];
    // by id: canonical number, valid when numbered[id] == epoch
    int[] pageNumById = new int[64];
    int[] pageNumbered = new int[64];
    int[] slotNumById = new int[64];
    int[] slotNumbered = new int[64];
    // canonical number -> id and object
    int[] pages = new int[16];
    Page[] pageObjs = new Page[16];
    int nPages;
    int[] slots = new int[16];
    SwapSlot[] slotObjs = new SwapSlot[16];
    int nSlots;

    /**
     * One walk numbers and writes: every mm's PTEs and the references number pages and slots as
     * they are met (the order {@link #number} uses), then what only the swap cache or nothing
     * reaches is numbered, then the header, pages and slots are written.
     *
     * @param summarize write each process as the 64-bit hash of everything in it but its PTEs'
     *                  targets ({@link Proc#summary}, cached in the process and shared by every state
     *                  that shares the process), followed by the targets' numbers: for fingerprints.
     *                  False writes every field: for exact keys.
     */
    void encode(KState s, boolean summarize) {
        boolean anyCache = enter(s);
        // Upper bound of the ints written below, so there are no capacity checks.
        int need = s.kpc.length + s.kReclaim.length + 3 + s.refs.length * 13 + s.pageCount() * 3
                + s.slotCount() * 3 + s.inflight.length * 5;
        for (Proc p : s.procs) need += 2 + p.regs.length + p.ptes.length * 9;
        if (buf.length < need) buf = new int[Math.max(need, buf.length * 2)];
        int[] b = buf;
        int n = 0;
        for (Proc p : s.procs) {
            if (summarize) {
                long h = p.summary;
                if (h == 0) {
                    h = summary(p);
                    p.summary = h;
                }
                b[n++] = (int) h;
                b[n++] = (int) (h >>> 32);
                for (Pte t : p.ptes) b[n++] = target(t);
            } else {
                n = writeProc(p, b, n, true);
            }
        }
        for (GupRef r : s.refs) {
            b[n++] = r.state.ordinal() | (r.pin ? 4 : 0) | (r.write ? 8 : 0) | (r.longterm ? 16 : 0)
                    | (r.bound ? 32 : 0);
            if (r.state == GupRef.State.UNSET) continue;
            b[n++] = r.owner;
            b[n++] = r.vpage;
            b[n++] = r.state != GupRef.State.HELD ? -1 : r.page >= 0 ? addPage(r.page) : r.page;
            b[n++] = r.lastValue;
            for (long h : r.snapshot) {
                b[n++] = (int) h;
                b[n++] = (int) (h >>> 32);
            }
        }
        // Paths in flight exist only under lock-level interleaving (a property of the whole test), so
        // atomic tests write nothing here and hash no more than before.
        if (s.ptlock) {
            for (InFlight f : s.inflight) {
                if (f == null) {
                    b[n++] = -1;
                    continue;
                }
                b[n++] = f.bits() | (f.vpage() << 8);
                b[n++] = f.aux();
                b[n++] = f.orig().bits();
                b[n++] = origTarget(f.orig());
                b[n++] = f.page() < 0 ? -1 : addPage(f.page());
            }
        }
        numberTheRest(s, anyCache);
        for (int k : s.kpc) b[n++] = k;
        for (int id : s.kReclaim) b[n++] = id < 0 ? -1 : pageNum(id);
        b[n++] = (s.swap.writeOk() ? 1 : 0) | (s.swap.present() ? 2 : 0) | (s.swapoffDone ? 4 : 0)
                | (small(nPages, 0x3FFF) << 3) | (small(nSlots, 0x7FFF) << 17);
        for (int i = 0; i < nPages; i++) {
            Page p = pageObjs[i];
            boolean refs = p.pins != 0 || p.gets != 0;
            // content+1 0-8, flags 9-14, mapcount 15-22, slot+1 23-30, GUP references follow 31
            b[n++] = small(p.content + 1, 511) | (p.flagBits() << 9) | (small(p.mapcount, 255) << 15)
                    | (small((p.swapcache ? slotNum(p.swapSlot) : -1) + 1, 255) << 23) | (refs ? 1 << 31 : 0);
            b[n++] = p.refcount;
            if (refs) b[n++] = small(p.pins, 0xFFFF) | (small(p.gets, 0x7FFF) << 16);
        }
        for (int i = 0; i < nSlots; i++) {
            SwapSlot sl = slotObjs[i];
            b[n++] = small(sl.count, 0x3FFF) | (sl.claimed ? 1 << 14 : 0) | (sl.hasCache ? 1 << 15 : 0)
                    | (small(sl.content + 1, 0xFFFF) << 16);
            b[n++] = sl.writing;
            // Under lock-level interleaving the offset matters (pte_same of a reused offset), see KState.
            if (s.ptlock) b[n++] = sl.id;
        }
        len = n;
        cur = null;
    }

    /**
     * Writes one process from {@code b[n]} on and returns the new end. A thread's {@link Proc#mm} is
     * fixed by the test and an owner's {@link Proc#threads} follows from its threads' statuses, so
     * neither is written: states that differ in them differ in what is written. Small fields share ints (bit
     * layouts below); each packed field is range-checked, so the encoding stays injective. With
     * {@code targets} false, the PTEs' targets are left out (they depend on the numbering).
     */
    private int writeProc(Proc p, int[] b, int n, boolean targets) {
        Entitlement ent = p.ent;
        // status 0-1, hasPinned 2, high 3, pc 4-19, write_protect_seq 20-30
        b[n++] = p.status.ordinal() | (p.hasPinned ? 4 : 0) | (ent.high != null ? 8 : 0) | (small(p.pc, 0xFFFF) << 4)
                | (small(p.wpSeq, 0x7FF) << 20);
        for (int r : p.regs) b[n++] = r;
        for (int x = 0; x < p.ptes.length; x++) {
            Vma v = p.vmas[x];
            Pte t = p.ptes[x];
            int target = targets ? target(t) : 0;
            long h = ent.history[x];
            // vma 0-6 (64: none), pte 7-12, value+1 13-21, by device 22, history 23, target+1 24-31
            b[n++] = (v == null ? 64 : v.bits()) | (t.bits() << 7) | (small(ent.value[x] + 1, 511) << 13)
                    | (ent.byDevice[x] ? 1 << 22 : 0) | (h != 0 ? 1 << 23 : 0) | (small(target + 1, 255) << 24);
            if (h != 0) {
                b[n++] = (int) h;
                b[n++] = (int) (h >>> 32);
            }
            if (ent.high != null) {
                for (int w = 0; w < 3; w++) {
                    long hw = ent.high[x * 3 + w];
                    b[n++] = (int) hw;
                    b[n++] = (int) (hw >>> 32);
                }
            }
        }
        return n;
    }

    /**
     * What a PTE that an in-flight path read earlier names: as {@link #target} while it is live; a page
     * that has been freed since is -2 (page ids are never reused, so nothing can equal it again); a freed
     * slot is its offset, marked, because the allocator may hand the same offset out again.
     */
    private int origTarget(Pte t) {
        if (t.mapsPage()) return cur.pageAt(t.target()) != null ? addPage(t.target()) : -2;
        if (t.isSwap()) return cur.slotAt(t.target()) != null ? addSlot(t.target()) : -3 - t.target();
        return target(t);
    }

    /** The canonical number of what a PTE maps (numbering it if new): page, slot, zero page (-1) or none (0). */
    private int target(Pte t) {
        if (t.mapsPage()) return addPage(t.target());
        if (t.isSwap()) return addSlot(t.target());
        return t.isPresent() ? Pte.ZERO_PAGE : 0;
    }

    private int[] summaryBuf = new int[64];

    /** Hash of a process without its PTEs' targets; never 0 (0 means "not computed"). */
    private long summary(Proc p) {
        int need = 1 + p.regs.length + p.ptes.length * 9;
        if (summaryBuf.length < need) summaryBuf = new int[need * 2];
        int len = writeProc(p, summaryBuf, 0, false);
        long h = CanonicalKey.hash64(summaryBuf, len);
        return h == 0 ? 1 : h;
    }

    /** {@code v}, which must lie in 0..max to share an int with other fields. */
    private static int small(int v, int max) {
        if (v < 0 || v > max) {
            throw new StateTooLargeException("state too large for the canonical encoding: " + v + " not in 0.." + max);
        }
        return v;
    }

    /** Numbers the state's pages and slots (the same order as {@link #encode}), writing nothing. */
    void number(KState s) {
        boolean anyCache = enter(s);
        for (Proc p : s.procs) {
            for (Pte t : p.ptes) {
                if (t.mapsPage()) addPage(t.target());
                else if (t.isSwap()) addSlot(t.target());
            }
        }
        for (GupRef r : s.refs) if (r.state == GupRef.State.HELD && r.page >= 0) addPage(r.page);
        for (InFlight f : s.inflight) {
            if (f == null) continue;
            origTarget(f.orig());
            if (f.page() >= 0) addPage(f.page());
        }
        numberTheRest(s, anyCache);
        cur = null;
    }

    /** Starts a new epoch and notes the state's swap-cache pages by slot; true if there is any. */
    private boolean enter(KState s) {
        if (++epoch == 0) resetStamps();
        int e = epoch;
        cur = s;
        ensureIds(Math.max(s.nextPageId, s.nextSlotId)); // table bounds never exceed these
        boolean anyCache = false;
        for (int id = 0, bound = s.pageIdBound(); id < bound; id++) {
            Page p = s.pageAt(id);
            if (p != null && p.swapcache) {
                anyCache = true;
                cacheBySlot[p.swapSlot] = p;
                cacheLive[p.swapSlot] = e;
            }
        }
        nPages = 0;
        nSlots = 0;
        return anyCache;
    }

    /** After the walk: what the swap cache reaches, then what nothing reaches. */
    private void numberTheRest(KState s, boolean anyCache) {
        if (anyCache) closeOverSwapCache(0, 0);
        if (nPages < s.pageCount()) addUnreachedPages(s);
        if (nSlots < s.slotCount()) addUnreachedSlots(s);
    }

    /**
     * From the given positions on, pages reach their swap slots and slots their swap-cache pages,
     * until nothing new appears.
     */
    private void closeOverSwapCache(int pi, int si) {
        while (pi < nPages || si < nSlots) {
            if (pi < nPages) {
                Page p = pageObjs[pi++];
                if (p.swapcache) addSlot(p.swapSlot);
            } else {
                int id = slots[si++];
                if (cacheLive[id] == epoch) addPage(cacheBySlot[id].id);
            }
        }
    }

    // What no walk reaches (an unmapped swap-cache page whose slot no PTE names) is ordered by its
    // own contents, which do not depend on ids.
    private void addUnreachedPages(KState s) {
        int first = nPages;
        int firstSlot = nSlots;
        for (int id = 0, bound = s.pageIdBound(); id < bound; id++) {
            if (s.pageAt(id) != null && pageNumbered[id] != epoch) addPage(id);
        }
        // insertion sort of the newcomers by contents (there are one or two)
        for (int i = first + 1; i < nPages; i++) {
            for (int j = i; j > first && comparePages(pageObjs[j - 1], pageObjs[j]) > 0; j--) {
                swapPages(j - 1, j);
            }
        }
        closeOverSwapCache(first, firstSlot);
    }

    private void swapPages(int a, int b) {
        int t = pages[a];
        pages[a] = pages[b];
        pages[b] = t;
        Page o = pageObjs[a];
        pageObjs[a] = pageObjs[b];
        pageObjs[b] = o;
        pageNumById[pages[a]] = a;
        pageNumById[pages[b]] = b;
    }

    private static int comparePages(Page a, Page b) {
        int c = Integer.compare(a.content, b.content);
        if (c == 0) c = Integer.compare(a.flagBits(), b.flagBits());
        if (c == 0) c = Integer.compare(a.refcount, b.refcount);
        if (c == 0) c = Integer.compare(a.mapcount, b.mapcount);
        if (c == 0) c = Integer.compare(a.pins, b.pins);
        if (c == 0) c = Integer.compare(a.gets, b.gets);
        return c;
    }

    private void addUnreachedSlots(KState s) {
        int first = nSlots;
        for (int id = 0, bound = s.slotIdBound(); id < bound; id++) {
            if (s.slotAt(id) != null && slotNumbered[id] != epoch) addSlot(id);
        }
        for (int i = first + 1; i < nSlots; i++) {
            for (int j = i; j > first && compareSlots(slotObjs[j - 1], slotObjs[j]) > 0; j--) {
                int t = slots[j];
                slots[j] = slots[j - 1];
                slots[j - 1] = t;
                SwapSlot o = slotObjs[j];
                slotObjs[j] = slotObjs[j - 1];
                slotObjs[j - 1] = o;
                slotNumById[slots[j]] = j;
                slotNumById[slots[j - 1]] = j - 1;
            }
        }
    }

    private static int compareSlots(SwapSlot a, SwapSlot b) {
        int c = Integer.compare(a.content, b.content);
        if (c == 0) c = Integer.compare(a.count, b.count);
        if (c == 0) c = Boolean.compare(a.hasCache, b.hasCache);
        if (c == 0) c = Boolean.compare(a.claimed, b.claimed);
        if (c == 0) c = Integer.compare(a.writing, b.writing);
        return c;
    }

    /** Numbers page {@code id} if it is new; returns its number. */
    private int addPage(int id) {
        if (pageNumbered[id] == epoch) return pageNumById[id];
        Page p = cur.pageAt(id);
        if (p == null) throw new IllegalStateException("no page#" + id);
        if (nPages == pages.length) {
            pages = Arrays.copyOf(pages, nPages * 2);
            pageObjs = Arrays.copyOf(pageObjs, nPages * 2);
        }
        pageNumbered[id] = epoch;
        pageNumById[id] = nPages;
        pageObjs[nPages] = p;
        pages[nPages] = id;
        return nPages++;
    }

    /** Numbers slot {@code id} if it is new; returns its number. */
    private int addSlot(int id) {
        if (slotNumbered[id] == epoch) return slotNumById[id];
        SwapSlot sl = cur.slotAt(id);
        if (sl == null) throw new IllegalStateException("no slot#" + id);
        if (nSlots == slots.length) {
            slots = Arrays.copyOf(slots, nSlots * 2);
            slotObjs = Arrays.copyOf(slotObjs, nSlots * 2);
        }
        slotNumbered[id] = epoch;
        slotNumById[id] = nSlots;
        slotObjs[nSlots] = sl;
        slots[nSlots] = id;
        return nSlots++;
    }

    private int pageNum(int id) {
        return id < 0 ? id : pageNumbered[id] == epoch ? pageNumById[id] : -1;
    }

    private int slotNum(int id) {
        return slotNumbered[id] == epoch ? slotNumById[id] : -1;
    }

    private void ensureIds(int n) {
        if (n <= cacheLive.length) return;
        int size = Math.max(n, cacheLive.length * 2);
        cacheBySlot = Arrays.copyOf(cacheBySlot, size);
        cacheLive = Arrays.copyOf(cacheLive, size);
        pageNumById = Arrays.copyOf(pageNumById, size);
        pageNumbered = Arrays.copyOf(pageNumbered, size);
        slotNumById = Arrays.copyOf(slotNumById, size);
        slotNumbered = Arrays.copyOf(slotNumbered, size);
    }

    /** After 2^32 encodings the epoch wraps: forget every stamp so no old one can match. */
    private void resetStamps() {
        Arrays.fill(cacheLive, 0);
        Arrays.fill(pageNumbered, 0);
        Arrays.fill(slotNumbered, 0);
        epoch = 1;
    }
}
