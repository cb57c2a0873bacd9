package org.mmcheck.cli;

/**
 * Which witnesses a run prints: none; every one ({@code --witness}: per positive outcome, or per
 * negative one of a {@code forall}, and per flag); or those picked by {@code --witness-outcome N}
 * and {@code --witness-flag ID}. {@code full}: each step also shows the whole state after it.
 */
record WitnessRequest(boolean all, Integer outcome, String flag, boolean full) {
    static final WitnessRequest NONE = new WitnessRequest(false, null, null, false);
    static final WitnessRequest ALL = new WitnessRequest(true, null, null, false);

    boolean any() {
        return all || outcome != null || flag != null;
    }

    /** Picked by number or flag rather than all of them. */
    boolean picked() {
        return outcome != null || flag != null;
    }
}
