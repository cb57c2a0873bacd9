package org.mmcheck.variant.data;

import java.lang.reflect.InvocationHandler;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.lang.reflect.Proxy;
import java.util.concurrent.atomic.AtomicLong;
import org.mmcheck.variant.Decision;
import org.mmcheck.variant.KernelPolicy;

/**
 * A {@link KernelPolicy} that answers like its base except at the decision points a {@link Patch}
 * changes. The kernel paths ask every decision through the {@code KernelPolicy} interface (also the
 * base's own code, see V5_19), so wrapping the base object is enough: no Java, no build.
 */
public final class PatchedPolicy implements InvocationHandler {
    private final Patch patch;
    private final KernelPolicy base;
    /** How often a changed point was asked, and how often the change gave another answer than the base's. */
    private final AtomicLong asked = new AtomicLong();
    private final AtomicLong changed = new AtomicLong();

    /** Counts of a policy made by {@link #of}: {asked, answered differently}, or null for any other policy. */
    public static long[] countsOf(KernelPolicy p) {
        return Proxy.isProxyClass(p.getClass()) && Proxy.getInvocationHandler(p) instanceof PatchedPolicy h
                ? new long[] {h.asked.get(), h.changed.get()} : null;
    }

    private PatchedPolicy(Patch patch, KernelPolicy base) {
        this.patch = patch;
        this.base = base;
    }

    /** The patched variant, wrapping {@code base} (a fresh policy object of the base variant). */
    public static KernelPolicy of(Patch patch, KernelPolicy base) {
        return (KernelPolicy) Proxy.newProxyInstance(KernelPolicy.class.getClassLoader(),
                new Class<?>[] {KernelPolicy.class}, new PatchedPolicy(patch, base));
    }

    /** The patch behind a policy made by {@link #of}, or null for any other policy. */
    public static Patch patchOf(KernelPolicy p) {
        return Proxy.isProxyClass(p.getClass()) && Proxy.getInvocationHandler(p) instanceof PatchedPolicy h ? h.patch : null;
    }

    /** The base behind a policy made by {@link #of}, or null for any other policy. */
    public static KernelPolicy baseOf(KernelPolicy p) {
        return Proxy.isProxyClass(p.getClass()) && Proxy.getInvocationHandler(p) instanceof PatchedPolicy h ? h.base : null;
    }

    @Override
    public Object invoke(Object proxy, Method m, Object[] args) throws Throwable {
        switch (m.getName()) {
            case "name":
                return patch.name();
            case "mainline":
                return false;
            case "toString":
                return patch.name();
            case "hashCode":
                return System.identityHashCode(proxy);
            case "equals":
                return proxy == args[0];
            default:
                break;
        }
        Object answer;
        try {
            answer = m.invoke(base, args);
        } catch (InvocationTargetException e) {
            throw e.getCause(); // the kernel paths' own exceptions (WouldBlock) pass through unchanged
        }
        Decision d = m.getAnnotation(Decision.class);
        if (d == null) return answer;
        Patch.Change c = patch.changes().get(d.name());
        if (c == null) return answer;
        boolean was = (Boolean) answer;
        boolean now = c == Patch.Change.EXPR ? patch.expressions().get(d.name()).eval(Inputs.of(m, args, was)) : c.apply(was);
        asked.incrementAndGet();
        if (now != was) changed.incrementAndGet();
        return now;
    }
}
