package org.mmcheck.report;

import java.util.List;

/**
 * One step of a witness, for structured output.
 *
 * @param actor     P0, K1, or "kernel" for a background event
 * @param statement the statement, with the stage of a path in flight
 * @param kernel    the kernel paths it ran, one line each, nested by two spaces per call level
 * @param decisions the named decision points it passed, in order
 * @param flags     the flags it raised, each "id: why"
 * @param state     the whole state after it (--full), or empty
 */
public record WitnessStep(String actor, String statement, List<String> kernel, List<Decision> decisions,
                          List<String> flags, List<String> state) {
    /** A decision point and its answer, e.g. do_swap_page.stable_writes = false. */
    public record Decision(String point, String value) {}
}
