package org.mmcheck.variant.data;

/** A mistake in a {@code .variant} file, at a line and column (both from 1). */
public final class VariantFileException extends Exception {
    private final String file;
    private final int line;
    private final int col;

    public VariantFileException(String file, int line, int col, String message) {
        super(message);
        this.file = file;
        this.line = line;
        this.col = col;
    }

    /** {@code file:line:col: message}, as every input error of mmcheck is shown. */
    public String render() {
        return file + ":" + line + ":" + col + ": " + getMessage();
    }
}
