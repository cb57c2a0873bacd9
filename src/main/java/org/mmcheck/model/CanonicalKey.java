package org.mmcheck.model;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The canonical form of a {@link KState}: page frames and swap slots are symmetric (their numbers mean
 * nothing), so they are renumbered in the order a fixed walk meets them — every mm's PTEs, then the GUP
 * references, then the swap cache — and the state is flattened into an int array. Two states that
 * differ only by numbering get equal keys.
 */
public final class CanonicalKey {
    private final int[] data;
    private final int hash;
    /** Page and slot ids in canonical order (for deterministic enumeration of per-page events). */
    private final int[] pageOrder;
    private final int[] slotOrder;

    private CanonicalKey(int[] data, int[] pageOrder, int[] slotOrder) {
        this.data = data;
        this.hash = Arrays.hashCode(data);
        this.pageOrder = pageOrder;
        this.slotOrder = slotOrder;
    }

    public int[] pageOrder() {
        return pageOrder;
    }

    public int[] slotOrder() {
        return slotOrder;
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof CanonicalKey k && k.hash == hash && Arrays.equals(k.data, data);
    }

    @Override
    public int hashCode() {
        return hash;
    }

    public static CanonicalKey of(KState s) {
        Numbering n = new Numbering(s);
        int[] out = new Encoder(s, n).encode();
        int[] pages = n.pages.stream().mapToInt(Integer::intValue).toArray();
        int[] slots = n.slots.stream().mapToInt(Integer::intValue).toArray();
        return new CanonicalKey(out, pages, slots);
    }

    /** Assigns canonical numbers to pages and slots by a walk independent of their ids. */
    private static final class Numbering {
        final List<Integer> pages = new ArrayList<>();
        final List<Integer> slots = new ArrayList<>();
        final Map<Integer, Integer> pageNum = new HashMap<>();
        final Map<Integer, Integer> slotNum = new HashMap<>();

        Numbering(KState s) {
            for (Proc p : s.procs) {
                for (Pte t : p.ptes) {
                    if (t.mapsPage()) page(t.target());
                    else if (t.isSwap()) slot(t.target());
                }
            }
            for (GupRef r : s.refs) if (r.state == GupRef.State.HELD) page(r.page);
            closeOverSwapCache(s);
            // What no walk reaches (e.g. an unmapped swap-cache page whose slot no PTE names) is
            // ordered by its own contents, which do not depend on ids.
            List<Page> rest = new ArrayList<>();
            for (Page p : s.pages) if (!pageNum.containsKey(p.id)) rest.add(p);
            rest.sort(Comparator.comparingInt((Page p) -> p.content).thenComparingInt(Page::flagBits)
                    .thenComparingInt(p -> p.refcount).thenComparingInt(p -> p.mapcount)
                    .thenComparingInt(p -> p.pins).thenComparingInt(p -> p.gets));
            for (Page p : rest) page(p.id);
            closeOverSwapCache(s);
            List<SwapSlot> restSlots = new ArrayList<>();
            for (SwapSlot sl : s.slots) if (!slotNum.containsKey(sl.id)) restSlots.add(sl);
            restSlots.sort(Comparator.comparingInt((SwapSlot x) -> x.content).thenComparingInt(x -> x.count)
                    .thenComparing(x -> x.hasCache));
            for (SwapSlot sl : restSlots) slot(sl.id);
        }

        private void closeOverSwapCache(KState s) {
            boolean changed = true;
            while (changed) {
                changed = false;
                for (int i = 0; i < pages.size(); i++) {
                    Page p = s.page(pages.get(i));
                    if (p.swapcache && !slotNum.containsKey(p.swapSlot)) {
                        slot(p.swapSlot);
                        changed = true;
                    }
                }
                for (int i = 0; i < slots.size(); i++) {
                    Page c = s.swapCachePage(slots.get(i));
                    if (c != null && !pageNum.containsKey(c.id)) {
                        page(c.id);
                        changed = true;
                    }
                }
            }
        }

        int page(int id) {
            if (id < 0) return id;
            Integer n = pageNum.get(id);
            if (n == null) {
                n = pages.size();
                pages.add(id);
                pageNum.put(id, n);
            }
            return n;
        }

        int slot(int id) {
            if (id < 0) return id;
            Integer n = slotNum.get(id);
            if (n == null) {
                n = slots.size();
                slots.add(id);
                slotNum.put(id, n);
            }
            return n;
        }
    }

    /** Flattens the state with canonical numbers. */
    private static final class Encoder {
        private final KState s;
        private final Numbering n;
        private int[] buf = new int[128];
        private int len;

        Encoder(KState s, Numbering n) {
            this.s = s;
            this.n = n;
        }

        int[] encode() {
            for (int k : s.kpc) put(k);
            put((s.swap.writeOk() ? 1 : 0) | (s.swapoffDone ? 2 : 0));
            for (Proc p : s.procs) {
                put(p.status.ordinal());
                put(p.pc);
                put(p.hasPinned ? 1 : 0);
                for (int r : p.regs) put(r);
                for (int x = 0; x < p.ptes.length; x++) {
                    put(p.vmas[x] == null ? -1 : p.vmas[x].bits());
                    Pte t = p.ptes[x];
                    put(t.kind().ordinal() | (t.write() ? 4 : 0) | (t.dirty() ? 8 : 0) | (t.exclusive() ? 16 : 0)
                            | (t.softDirty() ? 32 : 0));
                    put(t.isNone() ? 0 : t.isSwap() ? n.slot(t.target()) : n.page(t.target()));
                    put(p.ent.value[x]);
                    for (long h : p.ent.history[x]) putLong(h);
                    put(p.ent.byDevice[x] ? 1 : 0);
                }
            }
            for (GupRef r : s.refs) {
                put(r.state.ordinal() | (r.pin ? 4 : 0) | (r.write ? 8 : 0) | (r.longterm ? 16 : 0)
                        | (r.bound ? 32 : 0));
                put(r.owner);
                put(r.vpage);
                put(r.state == GupRef.State.HELD ? n.page(r.page) : -1);
                put(r.lastValue);
                for (long h : r.snapshot) putLong(h);
            }
            put(n.pages.size());
            for (int id : n.pages) {
                Page p = s.page(id);
                put(p.refcount);
                put(p.mapcount);
                put(p.content);
                put(p.flagBits());
                put(p.swapcache ? n.slot(p.swapSlot) : -1);
                put(p.pins);
                put(p.gets);
            }
            put(n.slots.size());
            for (int id : n.slots) {
                SwapSlot sl = s.slot(id);
                put(sl.count);
                put(sl.hasCache ? 1 : 0);
                put(sl.content);
                put(sl.writing);
            }
            return Arrays.copyOf(buf, len);
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
