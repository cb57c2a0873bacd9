package org.mmcheck.variant;

import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.function.Supplier;
import org.mmcheck.kernel.Trace;

/**
 * Names the decision points in witnesses: a policy that answers like the one it wraps and, when the
 * step's trace is recording, adds a line such as {@code [do_wp_page.reuse = true]} wherever a
 * decision that depends on the situation (a point with arguments) is taken. Points without arguments
 * are features of a generation (has PG_anon_exclusive) and are not repeated on every step.
 * Used only to replay witnesses; the search asks the plain policy.
 */
public final class DecisionLog {
    private DecisionLog() {}

    /** {@code base}, logging into the trace {@code trace} returns at the time of each call. */
    public static KernelPolicy wrap(KernelPolicy base, Supplier<Trace> trace) {
        return (KernelPolicy) Proxy.newProxyInstance(KernelPolicy.class.getClassLoader(), new Class<?>[] {KernelPolicy.class},
                (proxy, m, args) -> {
                    if (m.getName().equals("equals")) return proxy == args[0];
                    if (m.getName().equals("hashCode")) return System.identityHashCode(proxy);
                    Object answer;
                    try {
                        answer = m.invoke(base, args);
                    } catch (InvocationTargetException e) {
                        throw e.getCause();
                    }
                    log(m, args, answer, trace.get());
                    return answer;
                });
    }

    private static void log(Method m, Object[] args, Object answer, Trace t) {
        Decision d = m.getAnnotation(Decision.class);
        if (d == null || args == null || args.length == 0 || t == null || !t.on()) return;
        t.log("[" + d.name() + " = " + answer + "]");
    }
}
