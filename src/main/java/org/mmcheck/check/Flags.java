package org.mmcheck.check;

import java.util.List;

/** The stable flag ids of MODEL.md. */
public final class Flags {
    private Flags() {}

    public static final String WRITABLE_NOT_EXCLUSIVE = "writable-not-exclusive";
    public static final String EXCLUSIVE_SHARED = "exclusive-shared";
    public static final String SWP_EXCLUSIVE_SHARED = "swp-exclusive-shared";
    public static final String PINNED_NOT_EXCLUSIVE = "pinned-not-exclusive";
    public static final String KSM_EXCLUSIVE = "ksm-exclusive";
    public static final String REFCOUNT = "refcount";
    public static final String SWAP_COUNT = "swap-count";
    public static final String STALE_READ = "stale-read";
    public static final String LEAK = "leak";
    public static final String PIN_INCOHERENT = "pin-incoherent";
    public static final String STABLE_WRITE = "stable-write";
    public static final String USE_AFTER_FREE = "use-after-free";

    public static final List<String> ALL = List.of(WRITABLE_NOT_EXCLUSIVE, EXCLUSIVE_SHARED,
            SWP_EXCLUSIVE_SHARED, PINNED_NOT_EXCLUSIVE, KSM_EXCLUSIVE, REFCOUNT, SWAP_COUNT, STALE_READ, LEAK,
            PIN_INCOHERENT, STABLE_WRITE, USE_AFTER_FREE);
}
