package org.mmcheck.litmus;

/** Bad input: always carries the position it speaks of, printed as {@code file:line:col: message}. */
public final class LitmusException extends Exception {
    private final Pos pos;

    public LitmusException(Pos pos, String message) {
        super(message);
        this.pos = pos;
    }

    public Pos pos() {
        return pos;
    }

    /** The one line shown to the user. */
    public String render() {
        return pos + ": " + getMessage();
    }
}
