package org.mmcheck.variant.data;

import java.lang.reflect.Method;
import java.lang.reflect.Parameter;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;
import org.mmcheck.model.SwapSlot;

/**
 * What a {@code set POINT = EXPR} expression may read at a decision point: {@code base} (the base
 * variant's own answer), the point's yes/no arguments by name (snake_case), and the facts of the page,
 * process, swap slot or PTE it is asked about.
 */
public final class Inputs {
    private Inputs() {}

    /** The names that a page, a process, a slot or a PTE argument gives, with their types. */
    private static final Map<String, Class<?>> DERIVED = new LinkedHashMap<>();

    static {
        DERIVED.put("base", Boolean.class);
        for (String b : new String[] {"anon_exclusive", "swapcache", "writeback", "ksm", "maybe_pinned", "zero_page"}) {
            DERIVED.put(b, Boolean.class);
        }
        for (String n : new String[] {"mapcount", "refcount", "pins"}) DERIVED.put(n, Integer.class);
        DERIVED.put("has_pinned", Boolean.class);
        DERIVED.put("swapcount", Integer.class);
        DERIVED.put("pte_write", Boolean.class);
        DERIVED.put("pte_dirty", Boolean.class);
    }

    /** Boolean or Integer. */
    static Class<?> type(String name) {
        Class<?> t = DERIVED.get(name);
        return t == null ? Boolean.class : t; // a yes/no argument
    }

    /** The names an expression at decision point {@code m} may use. */
    public static TreeSet<String> names(Method m) {
        TreeSet<String> out = new TreeSet<>();
        out.add("base");
        for (Parameter p : m.getParameters()) {
            Class<?> t = p.getType();
            if (t == boolean.class) out.add(snake(p.getName()));
            else if (t == Page.class) out.addAll(java.util.List.of("anon_exclusive", "swapcache", "writeback", "ksm",
                    "maybe_pinned", "zero_page", "mapcount", "refcount", "pins"));
            else if (t == Proc.class) out.add("has_pinned");
            else if (t == SwapSlot.class) out.add("swapcount");
            else if (t == Pte.class) out.addAll(java.util.List.of("pte_write", "pte_dirty"));
        }
        return out;
    }

    /** The values at one call of decision point {@code m}. */
    static Map<String, Object> of(Method m, Object[] args, boolean base) {
        Map<String, Object> in = new LinkedHashMap<>();
        in.put("base", base);
        Parameter[] ps = m.getParameters();
        for (int i = 0; i < ps.length; i++) {
            Class<?> t = ps[i].getType();
            Object a = args[i];
            if (t == boolean.class) {
                in.put(snake(ps[i].getName()), a);
            } else if (t == Page.class) {
                Page p = (Page) a;
                in.put("zero_page", p == null);
                in.put("anon_exclusive", p != null && p.anonExclusive);
                in.put("swapcache", p != null && p.swapcache);
                in.put("writeback", p != null && p.writeback);
                in.put("ksm", p != null && p.ksm);
                in.put("maybe_pinned", p != null && p.maybeDmaPinned());
                in.put("mapcount", p == null ? 0 : p.mapcount);
                in.put("refcount", p == null ? 0 : p.refcount);
                in.put("pins", p == null ? 0 : p.pins);
            } else if (t == Proc.class) {
                in.put("has_pinned", a != null && ((Proc) a).hasPinned);
            } else if (t == SwapSlot.class) {
                in.put("swapcount", a == null ? 0 : ((SwapSlot) a).count);
            } else if (t == Pte.class) {
                in.put("pte_write", a != null && ((Pte) a).write());
                in.put("pte_dirty", a != null && ((Pte) a).dirty());
            }
        }
        return in;
    }

    /** stableWrites -> stable_writes */
    static String snake(String camel) {
        return camel.replaceAll("([a-z0-9])([A-Z])", "$1_$2").toLowerCase();
    }
}
