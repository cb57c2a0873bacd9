package org.mmcheck.litmus;

import java.util.ArrayList;
import java.util.List;

/**
 * Splits litmus source into tokens. Comments and whitespace are dropped; each token keeps its
 * source offsets so the parser can rebuild the condition text with gaps folded to one space.
 */
final class Lexer {

    enum Kind { WORD, STRING, PUNCT, EOF }

    /**
     * WORD is a run of {@code [A-Za-z0-9_.-]}: wide enough for test names, variants ("5.19-noswpx")
     * and flag ids; the parser narrows it where an identifier or a number is needed.
     */
    record Token(Kind kind, String text, Pos pos, int start, int end) {
        boolean isWord(String s) {
            return kind == Kind.WORD && text.equals(s);
        }

        boolean isPunct(String s) {
            return kind == Kind.PUNCT && text.equals(s);
        }

        /** How the token is named in "found ..." messages: quoted, one line, bounded length. */
        String show() {
            return switch (kind) {
                case EOF -> "end of file";
                case STRING -> "string " + quote("\"" + text + "\"");
                default -> quote(text);
            };
        }
    }

    /** Quotes user text for a message, escaping control characters so the message stays one line. */
    static String quote(String s) {
        StringBuilder b = new StringBuilder("'");
        int shown = 0;
        for (int i = 0; i < s.length(); ) {
            int cp = s.codePointAt(i);
            i += Character.charCount(cp);
            if (++shown > 40) {
                b.append("...");
                break;
            }
            if (cp < 0x20 || cp == 0x7f || !Character.isDefined(cp) || Character.isISOControl(cp)
                    || Character.getType(cp) == Character.LINE_SEPARATOR
                    || Character.getType(cp) == Character.PARAGRAPH_SEPARATOR) {
                b.append(String.format("\\u%04X", cp));
            } else {
                b.appendCodePoint(cp);
            }
        }
        return b.append('\'').toString();
    }

    private final String file;
    private final String src;
    private int i;
    private int line = 1;
    private int col = 1;

    private Lexer(String file, String src) {
        this.file = file;
        this.src = src;
    }

    static List<Token> tokenize(String file, String src) throws LitmusException {
        return new Lexer(file, src).run();
    }

    private Pos here() {
        return new Pos(file, line, col);
    }

    /** Consumes one char; the column counts code points, so a surrogate pair is one column. */
    private void advance() {
        char c = src.charAt(i++);
        if (c == '\n') {
            line++;
            col = 1;
        } else if (!(Character.isLowSurrogate(c) && i >= 2 && Character.isHighSurrogate(src.charAt(i - 2)))) {
            col++;
        }
    }

    private boolean at(int k, char c) {
        return i + k < src.length() && src.charAt(i + k) == c;
    }

    static boolean isWordChar(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
                || c == '_' || c == '.' || c == '-';
    }

    private List<Token> run() throws LitmusException {
        List<Token> out = new ArrayList<>();
        int n = src.length();
        while (true) {
            skipSpaceAndComments();
            if (i >= n) {
                out.add(new Token(Kind.EOF, "", here(), i, i));
                return out;
            }
            Pos pos = here();
            int start = i;
            char c = src.charAt(i);
            if (isWordChar(c)) {
                while (i < n && isWordChar(src.charAt(i))) advance();
                out.add(new Token(Kind.WORD, src.substring(start, i), pos, start, i));
            } else if (c == '"') {
                advance();
                while (i < n && src.charAt(i) != '"' && src.charAt(i) != '\n') advance();
                if (i >= n || src.charAt(i) != '"') {
                    throw new LitmusException(pos, "unterminated string: expected '\"' before the end of the line");
                }
                advance();
                out.add(new Token(Kind.STRING, src.substring(start + 1, i - 1), pos, start, i));
            } else if ((c == '/' && at(1, '\\')) || (c == '\\' && at(1, '/'))) {
                advance();
                advance();
                out.add(new Token(Kind.PUNCT, src.substring(start, i), pos, start, i));
            } else if ("{}();,=*:|~".indexOf(c) >= 0) {
                advance();
                out.add(new Token(Kind.PUNCT, String.valueOf(c), pos, start, i));
            } else if ((c == '!' && at(1, '=')) || (c == '<' && at(1, '>'))) {
                throw new LitmusException(pos, "'" + src.substring(i, i + 2) + "' is not an operator here:"
                        + " write 'not equal' as ~(0:r0=1)");
            } else {
                int cp = src.codePointAt(i);
                String shown = (cp < 0x20 || cp == 0x7f || Character.isISOControl(cp) || !Character.isDefined(cp)
                        || Character.isWhitespace(cp))
                        ? String.format("U+%04X", cp) : quote(new String(Character.toChars(cp)));
                throw new LitmusException(pos, "unexpected character " + shown);
            }
        }
    }

    /** Skips whitespace, '#' line comments and '(* *)' comments, which nest as in herd7. */
    private void skipSpaceAndComments() throws LitmusException {
        int n = src.length();
        while (i < n) {
            char c = src.charAt(i);
            if (c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f') {
                advance();
            } else if (c == '#') {
                while (i < n && src.charAt(i) != '\n') advance();
            } else if (c == '(' && at(1, '*')) {
                Pos open = here();
                int depth = 0;
                do {
                    if (i >= n) {
                        throw new LitmusException(open, "unterminated comment: expected '*)' before the end of file");
                    }
                    if (src.charAt(i) == '(' && at(1, '*')) {
                        depth++;
                        advance();
                        advance();
                    } else if (src.charAt(i) == '*' && at(1, ')')) {
                        depth--;
                        advance();
                        advance();
                    } else {
                        advance();
                    }
                } while (depth > 0);
            } else {
                return;
            }
        }
    }
}
