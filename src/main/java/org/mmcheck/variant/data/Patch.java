package org.mmcheck.variant.data;

import java.util.Map;

/**
 * A variant described as data: a base variant and what changes at its named decision points.
 *
 * @param name        the new variant's name
 * @param description one line on what it models (may be empty)
 * @param base        the variant it starts from
 * @param changes     decision point name (as {@code mmcheck conditions} lists it) to its change, in file order
 * @param source      where it was read from, for messages
 * @param expressions for the points set to an expression ({@link Change#EXPR}), the expression
 */
public record Patch(String name, String description, String base, Map<String, Change> changes, String source,
                    Map<String, Expr> expressions) {
    /** A patch without expressions. */
    public Patch(String name, String description, String base, Map<String, Change> changes, String source) {
        this(name, description, base, changes, source, Map.of());
    }


    /** What happens to a decision point's answer. */
    public enum Change {
        /** The base's answer, negated (the base's test still runs, with whatever it does on the way). */
        INVERT("invert"),
        /** Always yes. */
        TRUE("set true"),
        /** Always no. */
        FALSE("set false"),
        /** The value of an expression over the point's inputs ({@link Patch#expressions}). */
        EXPR("set to an expression");

        public final String text;

        Change(String text) {
            this.text = text;
        }

        public boolean apply(boolean baseAnswer) {
            return this == INVERT ? !baseAnswer : this == TRUE;
        }
    }
}
