package org.mmcheck.synth;

import java.util.function.Predicate;

/** A family of small litmus programs that synth tries in order of size. */
public interface Space {
    /**
     * Calls {@code visit} with every program of exactly {@code size} statements, in a fixed order, until
     * it returns false. Returns false when stopped that way.
     */
    boolean programsOfSize(int size, Predicate<String> visit);

    /** A short name for reports ({@code atomic}, {@code ptlock}). */
    String name();

    /** What the space holds, in words, for "equivalent up to the bound". */
    String describe();
}
