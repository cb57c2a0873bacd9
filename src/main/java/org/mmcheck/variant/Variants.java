package org.mmcheck.variant;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;

/**
 * The known kernel variants, oldest kernel first, and how a name or a kernel version on the command line
 * or in an expect line selects one.
 */
public final class Variants {
    private static final Map<String, Supplier<KernelPolicy>> ALL = new LinkedHashMap<>();

    static {
        ALL.put("5.7", V5_7::new);
        ALL.put("5.8", V5_8::new);
        ALL.put("5.9", V5_9::new);
        ALL.put("5.11", V5_11::new);
        ALL.put("5.18", V5_18::new);
        ALL.put("5.19", V5_19::new);
        ALL.put("part3-v2", Part3V2::new);
        ALL.put("5.19-noswpx", V5_19NoSwpx::new);
        ALL.put("6.1", V6_1::new);
        ALL.put("6.2", V6_2::new);
        ALL.put("6.8", V6_8::new);
        ALL.put("6.12", V6_12::new);
    }

    private Variants() {}

    /**
     * Adds a variant that is not built in (a patch read from a {@code .variant} file) for the rest of
     * this run, so that every command and {@code expect} line can name it. Its name must be new.
     */
    public static synchronized void register(String name, Supplier<KernelPolicy> policy) {
        if (known(name)) throw new IllegalArgumentException("variant '" + name + "' exists already");
        REGISTERED.put(name, policy);
    }

    /** Variants added by {@link #register}: named explicitly, never part of "all" or of listings. */
    private static final Map<String, Supplier<KernelPolicy>> REGISTERED = new LinkedHashMap<>();

    /** The built-in variants, oldest first ("all" on the command line). */
    public static List<String> names() {
        return new ArrayList<>(ALL.keySet());
    }

    /** The built-in variants and those registered in this run: what an expect line may name. */
    public static synchronized List<String> namesWithRegistered() {
        List<String> out = names();
        out.addAll(REGISTERED.keySet());
        return out;
    }

    public static synchronized boolean known(String name) {
        return ALL.containsKey(name) || REGISTERED.containsKey(name);
    }

    /** A new policy object for the variant, or null when the name is unknown. */
    public static synchronized KernelPolicy policy(String name) {
        Supplier<KernelPolicy> f = ALL.containsKey(name) ? ALL.get(name) : REGISTERED.get(name);
        return f == null ? null : f.get();
    }

    public static boolean modelled(String name) {
        return policy(name) != null;
    }

    /**
     * A variant name as given, or the variant for a kernel version: the newest mainline generation whose
     * first kernel is at or below it ("6.6" is 6.2, "6.0" is 6.1, "4.19" is 5.7).
     *
     * @return the variant's name, or null when the text is neither a name nor a version
     */
    public static String resolve(String nameOrVersion) {
        if (known(nameOrVersion)) return nameOrVersion;
        KernelVersion v = KernelVersion.tryParse(nameOrVersion);
        return v == null || !v.exists() ? null : forKernel(v);
    }

    /** The newest mainline generation whose first kernel is at or below {@code v}. */
    public static String forKernel(KernelVersion v) {
        String best = null;
        KernelVersion bestFirst = null;
        for (Map.Entry<String, Supplier<KernelPolicy>> e : ALL.entrySet()) {
            KernelPolicy p = e.getValue().get();
            KernelVersion first = p.kernels().first();
            if (!p.mainline() || v.before(first)) continue;
            if (bestFirst == null || bestFirst.before(first)) {
                best = e.getKey();
                bestFirst = first;
            }
        }
        return best;
    }

    /**
     * "unknown variant 'X' (did you mean Y?) (known: ..., or a kernel version such as 6.6)": what every
     * command says for a name or version that selects no variant.
     *
     * @param alsoKnown further words the command accepts (such as "all"), or ""
     */
    public static String unknownMessage(String given, String alsoKnown) {
        return "unknown variant '" + given + "'" + suggestion(given) + " (known: " + String.join(", ", names())
                + (alsoKnown.isEmpty() ? "" : ", " + alsoKnown) + ", or a kernel version such as 6.6)";
    }

    /**
     * " (did you mean X?)" for the known name closest to a mistyped one, within two edits; else "".
     * Names only: a version that is off by a digit is still a version.
     */
    public static String suggestion(String typo) {
        String best = null;
        // Versions are short: "5.20" is two edits from several names and means none of them.
        int bestDistance = typo.matches("[0-9.]+") ? 2 : 3;
        for (String n : ALL.keySet()) {
            int d = distance(typo, n);
            if (d < bestDistance) {
                best = n;
                bestDistance = d;
            }
        }
        return best == null ? "" : " (did you mean " + best + "?)";
    }

    /** Levenshtein distance: insertions, deletions and substitutions. */
    public static int distance(String a, String b) {
        int[] prev = new int[b.length() + 1];
        int[] cur = new int[b.length() + 1];
        for (int j = 0; j <= b.length(); j++) prev[j] = j;
        for (int i = 1; i <= a.length(); i++) {
            cur[0] = i;
            for (int j = 1; j <= b.length(); j++) {
                int sub = prev[j - 1] + (a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1);
                cur[j] = Math.min(sub, Math.min(prev[j] + 1, cur[j - 1] + 1));
            }
            int[] t = prev;
            prev = cur;
            cur = t;
        }
        return prev[b.length()];
    }
}
