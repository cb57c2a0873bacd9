package org.mmcheck.explore;

import java.util.HashSet;

/**
 * The exact seen-set: full keys in a {@link HashSet}, so there are no fingerprint-collision false
 * hits, at the price of the keys' memory (typically 10-50 times the fingerprint table's).
 */
final class HashSeenSet implements SeenSet {

    private final HashSet<Object> keys = new HashSet<>();

    @Override
    public boolean exact() {
        return true;
    }

    @Override
    public boolean add(long fingerprint, Object key) {
        return keys.add(key);
    }

    @Override
    public boolean contains(long fingerprint, Object key) {
        return keys.contains(key);
    }

    @Override
    public boolean seenBefore(long fingerprint) {
        return false; // a HashSet cannot be read while it is being written
    }

    @Override
    public long size() {
        return keys.size();
    }

    @Override
    public long bytes() {
        return -1;
    }
}
