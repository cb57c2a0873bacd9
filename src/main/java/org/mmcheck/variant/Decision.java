package org.mmcheck.variant;

import java.lang.annotation.ElementType;
import java.lang.annotation.Retention;
import java.lang.annotation.RetentionPolicy;
import java.lang.annotation.Target;

/**
 * Names a decision point of the kernel paths that a variant decides ({@code function.what}), for
 * {@code mmcheck conditions}: a reviewer reads which points exist and which generation last changed
 * each, without reading Java.
 */
@Retention(RetentionPolicy.RUNTIME)
@Target(ElementType.METHOD)
public @interface Decision {
    /** "do_swap_page.stable_writes" */
    String name();

    /** The kernel function that decides it. */
    String function();

    /** One line: the question the kernel answers there. */
    String meaning();
}
