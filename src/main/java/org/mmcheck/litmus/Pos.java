package org.mmcheck.litmus;

/** A source position: file name as given by the user, 1-based line and column. */
public record Pos(String file, int line, int col) {
    @Override
    public String toString() {
        return file + ":" + line + ":" + col;
    }
}
