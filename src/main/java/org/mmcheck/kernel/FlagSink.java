package org.mmcheck.kernel;

import java.util.function.Supplier;

/** Where the checks report a violated property during a step (flag id plus why, for the trace). */
public interface FlagSink {
    void raise(String flagId, String why);

    /** The same, with the explanation built only if the sink keeps it (witness replay). */
    default void raise(String flagId, Supplier<String> why) {
        raise(flagId, why.get());
    }
}
