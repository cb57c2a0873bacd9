package org.mmcheck.sem;

import java.util.List;

/**
 * One step of a witness: who acted (P0, K1, or a background event), the statement, the kernel paths
 * it ran with their decisions, and why each flag was raised.
 */
public record StepLabel(String actor, String statement, List<String> kernel, List<String> violations,
                        List<String> state) {
    public StepLabel(String actor, String statement, List<String> kernel, List<String> violations) {
        this(actor, statement, kernel, violations, List.of());
    }

    @Override
    public String toString() {
        StringBuilder b = new StringBuilder(actor).append(": ").append(statement);
        for (String line : kernel) b.append("\n    ").append(line);
        for (String v : violations) b.append("\n    !! ").append(v);
        for (String line : state) b.append("\n    | ").append(line);
        return b.toString();
    }
}
