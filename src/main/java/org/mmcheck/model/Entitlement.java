package org.mmcheck.model;

import java.util.Arrays;

/**
 * What a user of one process may expect to read at each named page (MODEL.md, "Entitlement"): the
 * current entitled value, the set of values it was entitled to before (to tell a stale read from a
 * leak), and whether the current value was last set through a coherent reference. Values are the
 * test's literal values; {@link #ABSENT} means no mapping is entitled at all.
 */
public final class Entitlement {
    public static final int ABSENT = -1;

    public final int[] value;
    /** Bit v of {@code history[x]}: the process was once entitled to value v at page x (v < 64). */
    public final long[] history;
    /** The same for values 64..255, three longs per page; null until such a value appears (rare). */
    public long[] high;
    public final boolean[] byDevice;

    public Entitlement(int nPages) {
        value = new int[nPages];
        Arrays.fill(value, ABSENT);
        history = new long[nPages];
        byDevice = new boolean[nPages];
    }

    private Entitlement(Entitlement o) {
        value = o.value.clone();
        history = o.history.clone();
        high = o.high == null ? null : o.high.clone();
        byDevice = o.byDevice.clone();
    }

    public Entitlement copy() {
        return new Entitlement(this);
    }

    /** The process is now entitled to {@code v} at page x (a store, a zero-fill, a device write). */
    public void set(int x, int v, boolean viaDevice) {
        if (value[x] != ABSENT) remember(x, value[x]);
        value[x] = v;
        byDevice[x] = viaDevice;
    }

    /** The mapping is gone: nothing is entitled any more (munmap, exit). */
    public void clear(int x) {
        if (value[x] != ABSENT) remember(x, value[x]);
        value[x] = ABSENT;
        byDevice[x] = false;
    }

    public boolean heldBefore(int x, int v) {
        if (v < 64) return (history[x] & (1L << v)) != 0;
        return high != null && (high[x * 3 + (v >>> 6) - 1] & (1L << (v & 63))) != 0;
    }

    private void remember(int x, int v) {
        if (v < 64) {
            history[x] |= 1L << v;
            return;
        }
        if (high == null) high = new long[history.length * 3];
        high[x * 3 + (v >>> 6) - 1] |= 1L << (v & 63);
    }

    /** Copy page x's entitlement from a parent at fork. */
    public void inherit(Entitlement parent, int x) {
        value[x] = parent.value[x];
        history[x] = parent.history[x];
        if (parent.high != null) {
            if (high == null) high = new long[history.length * 3];
            System.arraycopy(parent.high, x * 3, high, x * 3, 3);
        } else if (high != null) {
            java.util.Arrays.fill(high, x * 3, x * 3 + 3, 0L);
        }
        byDevice[x] = parent.byDevice[x];
    }
}
