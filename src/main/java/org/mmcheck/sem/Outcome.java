package org.mmcheck.sem;

import java.util.Arrays;
import org.mmcheck.litmus.Ast;

/**
 * The final values of one execution, one per {@link Program.Column}; {@link #UNMAPPED} where a page
 * cannot be read. Equality is by values only.
 */
public final class Outcome {
    public static final int UNMAPPED = Ast.NOTHING;

    private final int[] values;
    private final Program prog;

    Outcome(int[] values, Program prog) {
        this.values = values;
        this.prog = prog;
    }

    /** An outcome observed elsewhere (a real kernel's), one value per column of {@code prog}. */
    public static Outcome of(Program prog, int[] values) {
        if (values.length != prog.columns.size()) throw new IllegalArgumentException("one value per column");
        return new Outcome(values.clone(), prog);
    }

    public int value(int column) {
        return values[column];
    }

    @Override
    public boolean equals(Object o) {
        return o instanceof Outcome other && Arrays.equals(values, other.values);
    }

    @Override
    public int hashCode() {
        return Arrays.hashCode(values);
    }

    /** herd style, e.g. {@code 0:r0=1; 1:r0=0;} */
    @Override
    public String toString() {
        StringBuilder text = new StringBuilder();
        for (int c = 0; c < values.length; c++) {
            if (c > 0) text.append(' ');
            text.append(prog.columns.get(c).text()).append('=')
                    .append(values[c] == UNMAPPED ? "-" : Integer.toString(values[c])).append(';');
        }
        return text.toString();
    }
}
