package org.mmcheck.variant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/** The known kernel variants, oldest kernel first, and which of them the model can run yet. */
public final class Variants {
    private static final Map<String, Supplier<KernelPolicy>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("5.7", V5_7::new);
        ALL.put("5.8", V5_8::new);
        ALL.put("5.9", V5_9::new);
        ALL.put("5.18", V5_18::new);
        ALL.put("5.19", V5_19::new);
        ALL.put("part3-v2", Part3V2::new);
        ALL.put("5.19-noswpx", V5_19NoSwpx::new);
    }

    private Variants() {}

    public static List<String> names() {
        return new ArrayList<>(ALL.keySet());
    }

    public static boolean known(String name) {
        return ALL.containsKey(name);
    }

    /** Modelled variants only; null when the name is known but not modelled yet, or unknown. */
    public static KernelPolicy policy(String name) {
        Supplier<KernelPolicy> f = ALL.get(name);
        return f == null ? null : f.get();
    }

    public static boolean modelled(String name) {
        return ALL.get(name) != null;
    }
}
