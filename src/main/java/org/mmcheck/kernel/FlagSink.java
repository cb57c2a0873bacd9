package org.mmcheck.kernel;

/** Where the checks report a violated property during a step (flag id plus why, for the trace). */
public interface FlagSink {
    void raise(String flagId, String why);
}
