package org.mmcheck.model;

/** A state has a field wider than its packed encoding allows ({@link EncodingLimits}): the test is too large. */
public final class StateTooLargeException extends IllegalStateException {
    public StateTooLargeException(String message) {
        super(message);
    }
}
