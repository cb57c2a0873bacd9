package org.mmcheck.report;

import java.util.List;

/**
 * Everything mmcheck concluded about one test under one variant, ready to print: the final outcomes,
 * the observation of the condition, the flags, the counts, the expectation's fate and witnesses.
 *
 * @param condition    the condition as written ("exists (1:r0=2)"), null when the test has none
 * @param observation  Never, Sometimes or Always (null without a condition)
 * @param stop         null when the exploration was complete, else why it stopped
 * @param expectation  null when no expect line covers this variant
 * @param requestedAs  the kernel version the user asked for when it is not the variant's name ("6.6" for
 *                     6.2), else null
 */
public record Verdict(String test, String variant, List<OutcomeLine> outcomes, int positive, int negative,
                      List<String> flags, String condition, String observation, long explored, long transitions,
                      double seconds, String stop, ExpectationResult expectation, List<Witness> witnesses,
                      String requestedAs) {

    /** The same verdict, saying that the user asked for it as {@code version}. */
    public Verdict requestedAs(String version) {
        return new Verdict(test, variant, outcomes, positive, negative, flags, condition, observation, explored,
                transitions, seconds, stop, expectation, witnesses, version);
    }

    public record OutcomeLine(String text, boolean positive) {
        /**
         * The columns and their values, in order: "0:r0=1; 1:x=-;" gives {0:r0=1, 1:x=null}, null
         * where there is nothing to read.
         */
        public java.util.Map<String, Integer> values() {
            java.util.Map<String, Integer> out = new java.util.LinkedHashMap<>();
            for (String part : text.split(";")) {
                String t = part.trim();
                int eq = t.lastIndexOf('=');
                if (eq <= 0) continue;
                String v = t.substring(eq + 1);
                out.put(t.substring(0, eq), v.equals("-") ? null : Integer.valueOf(v));
            }
            return out;
        }
    }

    /** @param held whether it held; {@code message} says what differed when it did not */
    public record ExpectationResult(boolean held, String message) {}

    /**
     * @param what  "outcome 1:r0=2;" or "flag leak"
     * @param steps each step as text (what the text output prints)
     * @param trace the same steps as structures (JSON), or empty when the model gives no structure
     */
    public record Witness(String what, List<String> steps, List<WitnessStep> trace) {
        public Witness(String what, List<String> steps) {
            this(what, steps, List.of());
        }
    }

    public boolean complete() {
        return stop == null;
    }
}
