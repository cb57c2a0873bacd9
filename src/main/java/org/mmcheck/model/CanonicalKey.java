package org.mmcheck.model;

import java.util.Arrays;

/**
 * The canonical form of a {@link KState}: page frames and swap slots are symmetric (their numbers mean
 * nothing), so they are renumbered in the order a fixed walk meets them — every mm's PTEs, then the GUP
 * references, then the swap cache — and the state is flattened into an int array. Two states that
 * differ only by numbering get equal keys, and equal 64-bit fingerprints.
 *
 * <p>The walk and the flattening are {@link CanonicalEncoder}'s. Hot path: {@link #fingerprint(KState)}
 * encodes into a per-thread scratch buffer and keeps nothing but the hash; {@link #of(KState)} keeps
 * the whole array for exact comparison.
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

    private static final ThreadLocal<CanonicalEncoder> SCRATCH = ThreadLocal.withInitial(CanonicalEncoder::new);

    /** The exact key (a copy of the canonical encoding). */
    public static CanonicalKey of(KState s) {
        CanonicalEncoder e = SCRATCH.get();
        e.encode(s, false);
        return new CanonicalKey(Arrays.copyOf(e.buf, e.len));
    }

    /** A 64-bit fingerprint of the canonical encoding. */
    public static long fingerprint(KState s) {
        CanonicalEncoder e = SCRATCH.get();
        e.encode(s, true);
        return hash64(e.buf, e.len);
    }

    /**
     * A fingerprint computed from every field, ignoring the processes' cached summaries: to check
     * that something did not change in place (a cached summary would hide that).
     */
    public static long fingerprintUncached(KState s) {
        CanonicalEncoder e = SCRATCH.get();
        e.encode(s, false);
        return hash64(e.buf, e.len);
    }

    /** Page ids in canonical order, for deterministic enumeration of per-page events (cached). */
    public static int[] pageOrder(KState s) {
        if (s.pageOrder == null) cacheOrders(s);
        return s.pageOrder;
    }

    /** Slot ids in canonical order (cached). */
    public static int[] slotOrder(KState s) {
        if (s.slotOrder == null) cacheOrders(s);
        return s.slotOrder;
    }

    private static void cacheOrders(KState s) {
        CanonicalEncoder e = SCRATCH.get();
        e.number(s);
        s.pageOrder = Arrays.copyOf(e.pages, e.nPages);
        s.slotOrder = Arrays.copyOf(e.slots, e.nSlots);
    }

    /**
     * Four independent lanes, each folding in one long (two ints) per round with a multiply, so the
     * multiplies overlap; a final avalanche mixes the lanes. Cheap and well mixed.
     */
    static long hash64(int[] a, int len) {
        long h1 = 0x9E3779B97F4A7C15L ^ len;
        long h2 = 0xC2B2AE3D27D4EB4FL;
        long h3 = 0x165667B19E3779F9L;
        long h4 = 0x27D4EB2F165667C5L;
        int i = 0;
        for (; i + 8 <= len; i += 8) {
            h1 = Long.rotateLeft(h1 + pair(a, i) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
            h2 = Long.rotateLeft(h2 + pair(a, i + 2) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
            h3 = Long.rotateLeft(h3 + pair(a, i + 4) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
            h4 = Long.rotateLeft(h4 + pair(a, i + 6) * 0xC2B2AE3D27D4EB4FL, 31) * 0x9E3779B97F4A7C15L;
        }
        long h = Long.rotateLeft(h1, 1) + Long.rotateLeft(h2, 7) + Long.rotateLeft(h3, 12) + Long.rotateLeft(h4, 18);
        for (; i < len; i++) {
            h = Long.rotateLeft(h ^ ((a[i] & 0xFFFFFFFFL) * 0x9E3779B97F4A7C15L), 23) * 0xC2B2AE3D27D4EB4FL;
        }
        h ^= h >>> 33;
        h *= 0xFF51AFD7ED558CCDL;
        h ^= h >>> 33;
        h *= 0xC4CEB9FE1A85EC53L;
        h ^= h >>> 33;
        return h;
    }

    private static long pair(int[] a, int i) {
        return (a[i] & 0xFFFFFFFFL) | ((long) a[i + 1] << 32);
    }
}
