package org.mmcheck.variant;

/**
 * The mainline kernels a variant stands for, from {@code first} to {@code last} (null: to today).
 */
public record KernelRange(KernelVersion first, KernelVersion last) {
    public static KernelRange of(String first, String last) {
        return new KernelRange(KernelVersion.parse(first), last == null ? null : KernelVersion.parse(last));
    }

    /** "5.9 to 5.10", "6.11 and later", "up to 5.7", "5.19" */
    @Override
    public String toString() {
        if (first.equals(KernelVersion.OLDEST)) return "up to " + last;
        if (last == null) return first + " and later";
        if (last.equals(first)) return first.toString();
        return first + " to " + last;
    }
}
