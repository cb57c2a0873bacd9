package org.mmcheck.variant;

import java.util.ArrayList;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Kernel functions that were renamed: the model's code and traces use one spelling, and a witness shows
 * the spelling of the variant's own generation, so that a reader can find the function in that kernel.
 * Only witness text is rewritten (never on the search's hot path).
 */
public final class FunctionNames {
    /** {@code model} is spelt {@code kernel} in kernels from {@code from} up to, not including, {@code until}. */
    private record Rename(String model, String kernel, KernelVersion from, KernelVersion until) {
        boolean covers(KernelVersion v) {
            return !v.before(from) && (until == null || v.before(until));
        }
    }

    private static final KernelVersion OLDEST = KernelVersion.OLDEST;
    private static final List<Rename> RENAMES = List.of(
            // folio conversion of reclaim (6.0).
            new Rename("shrink_folio_list", "shrink_page_list", OLDEST, v("6.0")),
            new Rename("folio_maybe_dma_pinned", "page_maybe_dma_pinned", OLDEST, v("6.0")),
            // 49b58785b93d (6.7) moved the reuse test out of do_wp_page into its own function.
            new Rename("wp_can_reuse_anon_folio", "do_wp_page's reuse test", OLDEST, v("6.7")),
            // 08e7795e2444, e3b4b1374f87 (6.8): the rmap helpers became folio helpers.
            new Rename("page_try_dup_anon_rmap", "folio_try_dup_anon_rmap_pte", v("6.8"), null),
            new Rename("page_try_share_anon_rmap", "folio_try_share_anon_rmap_pte", v("6.8"), null),
            // Before 5.9 one function copied every kind of PTE at fork.
            new Rename("copy_present_pte", "copy_one_pte", OLDEST, v("5.9")),
            new Rename("copy_nonpresent_pte", "copy_one_pte", OLDEST, v("5.9")));

    private final List<Rename> active = new ArrayList<>();
    private final Pattern any;

    private FunctionNames(KernelVersion generation) {
        StringBuilder alt = new StringBuilder();
        for (Rename r : RENAMES) {
            if (!r.covers(generation)) continue;
            active.add(r);
            alt.append(alt.length() == 0 ? "" : "|").append(Pattern.quote(r.model()));
        }
        any = active.isEmpty() ? null : Pattern.compile("\\b(" + alt + ")\\b");
    }

    /** The spelling of the kernels from {@code first} on (a variant's first kernel). */
    public static FunctionNames of(KernelVersion first) {
        return new FunctionNames(first);
    }

    /** The line with every function name the model spells differently in this generation respelt. */
    public String respell(String line) {
        if (any == null) return line;
        Matcher m = any.matcher(line);
        if (!m.find()) return line;
        StringBuilder b = new StringBuilder();
        do {
            String model = m.group(1);
            for (Rename r : active) {
                if (r.model().equals(model)) {
                    m.appendReplacement(b, Matcher.quoteReplacement(r.kernel()));
                    break;
                }
            }
        } while (m.find());
        m.appendTail(b);
        return b.toString();
    }

    private static KernelVersion v(String s) {
        return KernelVersion.parse(s);
    }
}
