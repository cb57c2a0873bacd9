package org.mmcheck.explore;

import java.util.HashMap;

/** The exact seen-set: full keys in a {@link HashMap}, so there are no hash-collision false hits. */
final class HashSeenSet implements SeenSet {

    private final HashMap<Object, Long> ids = new HashMap<>();

    @Override
    public boolean add(Object key, long id) {
        // One hash lookup per generated transition; the boxed id is short-lived garbage when the
        // key is already present, cheaper than hashing a (possibly large) key twice.
        return ids.putIfAbsent(key, id) == null;
    }

    @Override
    public long size() {
        return ids.size();
    }
}
