package org.mmcheck.model;

import java.util.Arrays;

/**
 * The canonical form of a {@link KState}: page frames and swap slots are symmetric (their numbers mean
 * nothing), so they are renumbered in the order a fixed walk meets them — every mm's PTEs, then the GUP
 * references, then the swap cache — and the state is flattened into an int array. Two states that
 * differ only by numbering get equal keys, and equal 64-bit fingerprints.
 *
 * <p>Hot path: {@link #fingerprint(KState)} encodes into a per-thread scratch buffer and keeps nothing
 * but the hash; {@link #of(KState)} keeps the whole array for exact comparison.
 */
public final class CanonicalKey {
    private final int[] data;
    private final int hash;

    private CanonicalKey(int[] data) {
        this.data = data;
        this.hash = Arrays.hashCode(data);
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanonicalKey k && k.hash == hash && Arrays.equals(k.data, data);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    private static final ThreadLocal<Encoder> SCRATCH = ThreadLocal.withInitial(Encoder::new);

    /** The exact key (a copy of the canonical encoding). */
    public static CanonicalKey of(KState s) {
        Encoder e = SCRATCH.get();
        e.encode(s);
        return new CanonicalKey(Arrays.copyOf(e.buf, e.len));
    }

    /** A 64-bit fingerprint of the canonical encoding; also caches the canonical orders in the state. */
    public static long fingerprint(KState s) {
        Encoder e = SCRATCH.get();
        e.encode(s);
        return hash64(e.buf, e.len);
    }

    /** Page ids in canonical order, for deterministic enumeration of per-page events. */
    public static int[] pageOrder(KState s) {
        if (s.pageOrder == null) SCRATCH.get().encode(s);
        return s.pageOrder;
    }

    /** Slot ids in canonical order. */
    public static int[] slotOrder(KState s) {
        if (s.slotOrder == null) SCRATCH.get().encode(s);
        return s.slotOrder;
    }

    /** Two independent multiply-xorshift lanes folded together: cheap and well mixed. */
    static long hash64(int[] a, int len) {
        long h1 = 0x9E3779B97F4A7C15L ^ len;
        long h2 = 0xC2B2AE3D27D4EB4FL + len;
        for (int i = 0; i < len; i++) {
            long v = a[i] & 0xFFFFFFFFL;
            h1 = (h1 ^ v) * 0xBF58476D1CE4E5B9L;
            h1 ^= h1 >>> 31;
            h2 = (h2 + v) * 0x94D049BB133111EBL;
            h2 ^= h2 >>> 29;
        }
        long h = h1 ^ Long.rotateLeft(h2, 32);
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        return h;
    }

    /** Numbers pages and slots by a walk independent of their ids, then flattens the state. */
    private static final class Encoder {
        int[] buf = new int[256];
        int len;
        // canonical number -> id, and id lookups by linear scan (states hold a handful of pages)
        int[] pages = new int[16];
        Page[] pageObjs = new Page[16];
        int nPages;
        int[] slots = new int[16];
        SwapSlot[] slotObjs = new SwapSlot[16];
        int nSlots;

        void encode(KState s) {
            number(s);
            if (s.pageOrder == null) {
                s.pageOrder = Arrays.copyOf(pages, nPages);
                s.slotOrder = Arrays.copyOf(slots, nSlots);
            }
            Arrays.fill(pageObjs, nPages, Math.min(pageObjs.length, nPages + 4), null);
            len = 0;
            for (int k : s.kpc) put(k);
            for (int id : s.kReclaim) put(id < 0 ? -1 : pageNum(id));
            put((s.swap.writeOk() ? 1 : 0) | (s.swap.present() ? 2 : 0) | (s.swapoffDone ? 4 : 0));
            for (Proc p : s.procs) {
                put(p.status.ordinal() | (p.hasPinned ? 8 : 0) | (p.ent.high != null ? 16 : 0));
                put(p.pc);
                for (int r : p.regs) put(r);
                Entitlement ent = p.ent;
                for (int x = 0; x < p.ptes.length; x++) {
                    put(p.vmas[x] == null ? -1 : p.vmas[x].bits());
                    Pte t = p.ptes[x];
                    put(t.kind().ordinal() | (t.write() ? 4 : 0) | (t.dirty() ? 8 : 0) | (t.exclusive() ? 16 : 0)
                            | (t.softDirty() ? 32 : 0));
                    put(t.isNone() ? 0 : t.isSwap() ? slotNum(t.target()) : pageNum(t.target()));
                    put(ent.value[x] | (ent.byDevice[x] ? 0x10000 : 0));
                    putLong(ent.history[x]);
                    if (ent.high != null) for (int w = 0; w < 3; w++) putLong(ent.high[x * 3 + w]);
                }
            }
            for (GupRef r : s.refs) {
                put(r.state.ordinal() | (r.pin ? 4 : 0) | (r.write ? 8 : 0) | (r.longterm ? 16 : 0)
                        | (r.bound ? 32 : 0));
                if (r.state == GupRef.State.UNSET) continue;
                put(r.owner);
                put(r.vpage);
                put(r.state == GupRef.State.HELD ? pageNum(r.page) : -1);
                put(r.lastValue);
                for (long h : r.snapshot) putLong(h);
            }
            put(nPages);
            for (int i = 0; i < nPages; i++) {
                Page p = pageObjs[i];
                put(p.refcount);
                put(p.mapcount);
                put(p.content);
                put(p.flagBits());
                put(p.swapcache ? slotNum(p.swapSlot) : -1);
                put(p.pins | (p.gets << 16));
            }
            put(nSlots);
            for (int i = 0; i < nSlots; i++) {
                SwapSlot sl = slotObjs[i];
                put(sl.count | (sl.hasCache ? 0x10000 : 0));
                put(sl.content);
                put(sl.writing);
            }
        }

        private void number(KState s) {
            nPages = 0;
            nSlots = 0;
            boolean anyCache = false;
            for (int i = 0, n = s.pages.size(); i < n; i++) anyCache |= s.pages.get(i).swapcache;
            for (Proc p : s.procs) {
                for (Pte t : p.ptes) {
                    if (t.mapsPage()) addPage(s, t.target());
                    else if (t.isSwap()) addSlot(s, t.target());
                }
            }
            for (GupRef r : s.refs) if (r.state == GupRef.State.HELD && r.page >= 0) addPage(s, r.page);
            if (anyCache) closeOverSwapCache(s);
            if (nPages < s.pages.size()) addUnreachedPages(s);
            if (nSlots < s.slots.size()) addUnreachedSlots(s);
        }

        /** Pages reach their swap slots and slots their swap-cache pages, until nothing new appears. */
        private void closeOverSwapCache(KState s) {
            int pi = 0;
            int si = 0;
            while (pi < nPages || si < nSlots) {
                if (pi < nPages) {
                    Page p = pageObjs[pi++];
                    if (p.swapcache) addSlot(s, p.swapSlot);
                } else {
                    Page c = s.swapCachePage(slots[si++]);
                    if (c != null) addPage(c);
                }
            }
        }

        // What no walk reaches (an unmapped swap-cache page whose slot no PTE names) is ordered by its
        // own contents, which do not depend on ids.
        private void addUnreachedPages(KState s) {
            int first = nPages;
            for (Page p : s.pages) if (indexOf(pages, first, p.id) < 0) addPage(p);
            // insertion sort of the newcomers by contents (there are one or two)
            for (int i = first + 1; i < nPages; i++) {
                for (int j = i; j > first && comparePages(pageObjs[j - 1], pageObjs[j]) > 0; j--) {
                    int t = pages[j];
                    pages[j] = pages[j - 1];
                    pages[j - 1] = t;
                    Page o = pageObjs[j];
                    pageObjs[j] = pageObjs[j - 1];
                    pageObjs[j - 1] = o;
                }
            }
            closeOverSwapCache(s);
        }

        private static int comparePages(Page a, Page b) {
            return Arrays.compare(pageSortKey(a), pageSortKey(b));
        }

        private void addUnreachedSlots(KState s) {
            SwapSlot[] rest = s.slots.stream().filter(x -> indexOf(slots, nSlots, x.id) < 0).toArray(SwapSlot[]::new);
            Arrays.sort(rest, (a, b) -> Arrays.compare(new int[] {a.content, a.count, a.hasCache ? 1 : 0, a.writing},
                    new int[] {b.content, b.count, b.hasCache ? 1 : 0, b.writing}));
            for (SwapSlot x : rest) addSlot(s, x.id);
        }

        private static int[] pageSortKey(Page p) {
            return new int[] {p.content, p.flagBits(), p.refcount, p.mapcount, p.pins, p.gets};
        }

        private static int indexOf(int[] a, int n, int id) {
            for (int i = 0; i < n; i++) if (a[i] == id) return i;
            return -1;
        }

        private void addPage(KState s, int id) {
            if (indexOf(pages, nPages, id) < 0) addPage(s.page(id));
        }

        private void addPage(Page p) {
            if (indexOf(pages, nPages, p.id) >= 0) return;
            if (nPages == pages.length) {
                pages = Arrays.copyOf(pages, nPages * 2);
                pageObjs = Arrays.copyOf(pageObjs, nPages * 2);
            }
            pageObjs[nPages] = p;
            pages[nPages++] = p.id;
        }

        private void addSlot(KState s, int id) {
            if (indexOf(slots, nSlots, id) >= 0) return;
            if (nSlots == slots.length) {
                slots = Arrays.copyOf(slots, nSlots * 2);
                slotObjs = Arrays.copyOf(slotObjs, nSlots * 2);
            }
            slotObjs[nSlots] = s.slot(id);
            slots[nSlots++] = id;
        }

        private int pageNum(int id) {
            return id < 0 ? id : indexOf(pages, nPages, id);
        }

        private int slotNum(int id) {
            return indexOf(slots, nSlots, id);
        }

        private void putLong(long v) {
            put((int) v);
            put((int) (v >>> 32));
        }

        private void put(int v) {
            if (len == buf.length) buf = Arrays.copyOf(buf, len * 2);
            buf[len++] = v;
        }
    }
}
