package org.mmcheck.variant.data;

import java.util.Map;
import java.util.Set;

/**
 * A small boolean expression over a decision point's inputs, for {@code set POINT = EXPR} in a
 * {@code .variant} file: names, {@code true}, {@code false}, integers, {@code !}, {@code &&},
 * {@code ||}, parentheses, and comparisons {@code == != < <= > >=} between integers (or between
 * booleans with {@code ==} and {@code !=}).
 */
public final class Expr {
    private final Node root;
    private final String text;

    private Expr(Node root, String text) {
        this.root = root;
        this.text = text;
    }

    /** Why a text is not an expression: where (0-based column in the text) and what. */
    public static final class ParseError extends Exception {
        public final int col;

        ParseError(int col, String message) {
            super(message);
            this.col = col;
        }
    }

    /**
     * Parses {@code text}; every name must be among {@code names}.
     */
    public static Expr parse(String text, Set<String> names) throws ParseError {
        Parser p = new Parser(text, names);
        Node n = p.or();
        p.skipBlanks();
        if (p.i < text.length()) throw new ParseError(p.i, "unexpected '" + text.charAt(p.i) + "'");
        if (!(n.type() == Boolean.class)) throw new ParseError(0, "the expression must be true or false, not a number");
        return new Expr(n, text);
    }

    /** The value with these inputs (booleans as Boolean, counts as Integer). */
    public boolean eval(Map<String, Object> inputs) {
        return (Boolean) root.eval(inputs);
    }

    @Override
    public String toString() {
        return text;
    }

    private interface Node {
        Object eval(Map<String, Object> in);

        Class<?> type();
    }

    private static final class Parser {
        final String s;
        final Set<String> names;
        int i;

        Parser(String s, Set<String> names) {
            this.s = s;
            this.names = names;
        }

        void skipBlanks() {
            while (i < s.length() && Character.isWhitespace(s.charAt(i))) i++;
        }

        boolean eat(String tok) {
            skipBlanks();
            if (s.startsWith(tok, i)) {
                i += tok.length();
                return true;
            }
            return false;
        }

        Node or() throws ParseError {
            return chain("||", this::and, true);
        }

        Node and() throws ParseError {
            return chain("&&", this::cmp, false);
        }

        /** {@code next (op next)*} over truth values; {@code or} tells || from &&. */
        private Node chain(String op, Operand next, boolean or) throws ParseError {
            skipBlanks();
            int la = i;
            Node l = next.parse();
            while (eat(op)) {
                skipBlanks();
                int rb = i;
                Node a = bool(l, la);
                Node b = bool(next.parse(), rb);
                l = or ? node(in -> (Boolean) a.eval(in) || (Boolean) b.eval(in), Boolean.class)
                        : node(in -> (Boolean) a.eval(in) && (Boolean) b.eval(in), Boolean.class);
            }
            return l;
        }

        private interface Operand {
            Node parse() throws ParseError;
        }

        Node cmp() throws ParseError {
            Node l = unary();
            for (String op : new String[] {"==", "!=", "<=", ">=", "<", ">"}) {
                int at = i;
                if (!eat(op)) continue;
                Node a = l;
                Node b = unary();
                if (a.type() != b.type()) throw new ParseError(at, "'" + op + "' compares a number with a truth value");
                if (a.type() == Boolean.class && !op.equals("==") && !op.equals("!=")) {
                    throw new ParseError(at, "'" + op + "' compares numbers");
                }
                return node(in -> compare(op, a.eval(in), b.eval(in)), Boolean.class);
            }
            return l;
        }

        Node unary() throws ParseError {
            if (eat("!")) {
                skipBlanks();
                int at = i;
                Node a = bool(unary(), at);
                return node(in -> !(Boolean) a.eval(in), Boolean.class);
            }
            if (eat("(")) {
                Node a = or();
                if (!eat(")")) throw new ParseError(i, "expected ')'");
                return a;
            }
            skipBlanks();
            int start = i;
            while (i < s.length() && (Character.isLetterOrDigit(s.charAt(i)) || s.charAt(i) == '_')) i++;
            String word = s.substring(start, i);
            if (word.isEmpty()) throw new ParseError(start, i < s.length() ? "unexpected '" + s.charAt(i) + "'" : "expression ends early");
            if (word.equals("true") || word.equals("false")) {
                boolean v = word.equals("true");
                return node(in -> v, Boolean.class);
            }
            if (Character.isDigit(word.charAt(0))) {
                try {
                    int v = Integer.parseInt(word);
                    return node(in -> v, Integer.class);
                } catch (NumberFormatException e) {
                    throw new ParseError(start, "not a number: '" + word + "'");
                }
            }
            if (!names.contains(word)) {
                throw new ParseError(start, "no input '" + word + "' here (inputs: " + String.join(", ", new java.util.TreeSet<>(names)) + ")");
            }
            Class<?> t = Inputs.type(word);
            return node(in -> {
                Object v = in.get(word);
                if (v == null) throw new IllegalStateException("input " + word + " not given");
                return v;
            }, t);
        }

        /** {@code n}, which starts at column {@code at}, if it is a truth value. */
        Node bool(Node n, int at) throws ParseError {
            if (n.type() != Boolean.class) throw new ParseError(at, "a number where a truth value is needed");
            return n;
        }

        private static Node node(java.util.function.Function<Map<String, Object>, Object> f, Class<?> type) {
            return new Node() {
                @Override
                public Object eval(Map<String, Object> in) {
                    return f.apply(in);
                }

                @Override
                public Class<?> type() {
                    return type;
                }
            };
        }

        private static boolean compare(String op, Object a, Object b) {
            if (a instanceof Boolean x) return op.equals("==") == x.equals(b);
            int x = (Integer) a;
            int y = (Integer) b;
            switch (op) {
                case "==": return x == y;
                case "!=": return x != y;
                case "<": return x < y;
                case "<=": return x <= y;
                case ">": return x > y;
                default: return x >= y;
            }
        }
    }
}
