package org.mmcheck.variant;

import java.lang.reflect.Method;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import org.mmcheck.variant.data.Patch;
import org.mmcheck.variant.data.PatchedPolicy;

/** The named decision points ({@link Decision}) and, per variant, the generation that decides each. */
public final class Decisions {
    private Decisions() {}

    /** One decision point as a variant has it. */
    public record Point(Decision decision, String decidedBy) {}

    /**
     * Every decision point the variant has, by name; {@code decidedBy} is the variant whose class
     * declares the implementation in effect (where the answer last changed on its chain).
     */
    public static List<Point> of(KernelPolicy policy) {
        Patch patch = PatchedPolicy.patchOf(policy);
        if (patch != null) {
            // A data patch: the base's points, with the changed ones decided by the patch.
            List<Point> out = new ArrayList<>();
            for (Point p : of(PatchedPolicy.baseOf(policy))) {
                Patch.Change c = patch.changes().get(p.decision().name());
                out.add(c == null ? p : new Point(p.decision(), patch.name() + " (" + c.text + ")"));
            }
            return out;
        }
        List<Point> out = new ArrayList<>();
        for (Method m : declaredDecisions(policy.getClass())) {
            Decision d = m.getAnnotation(Decision.class);
            out.add(new Point(d, declaringVariant(policy.getClass(), m)));
        }
        out.sort(Comparator.comparing(p -> p.decision().name()));
        return out;
    }

    /** Methods with {@link Decision}, from the interface and the classes of the chain, once each. */
    private static List<Method> declaredDecisions(Class<?> c) {
        List<Method> out = new ArrayList<>();
        List<String> seen = new ArrayList<>();
        for (Class<?> k = c; k != null && k != Object.class; k = k.getSuperclass()) {
            collect(k, out, seen);
            for (Class<?> i : k.getInterfaces()) collect(i, out, seen);
        }
        return out;
    }

    private static void collect(Class<?> k, List<Method> out, List<String> seen) {
        for (Method m : k.getDeclaredMethods()) {
            Decision d = m.getAnnotation(Decision.class);
            if (d != null && !seen.contains(d.name())) {
                seen.add(d.name());
                out.add(m);
            }
        }
    }

    /** The variant whose class declares the implementation of {@code m} that {@code c} runs. */
    private static String declaringVariant(Class<?> c, Method m) {
        try {
            Class<?> decl = c.getMethod(m.getName(), m.getParameterTypes()).getDeclaringClass();
            Object o = decl.getDeclaredConstructor().newInstance();
            return o instanceof KernelPolicy p ? p.name() : decl.getSimpleName();
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("decision " + m.getName() + " of " + c.getSimpleName(), e);
        }
    }
}
