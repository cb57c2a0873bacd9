package org.mmcheck.variant;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/** A mainline kernel version, major.minor; the patch level of a stable release does not matter here. */
public record KernelVersion(int major, int minor) implements Comparable<KernelVersion> {
    /** Below every real version: the start of "up to 5.7". */
    public static final KernelVersion OLDEST = new KernelVersion(0, 0);

    private static final Pattern VERSION = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})(?:\\.\\d{1,4})?");
    private static final Pattern RELEASE = Pattern.compile("(\\d{1,3})\\.(\\d{1,3})(?:[.\\-+].*)?");

    /**
     * A version as a user writes it: "6.6" or "6.1.112".
     *
     * @return null for anything else (a variant name such as "5.19-noswpx" is not a version)
     */
    public static KernelVersion tryParse(String text) {
        return match(VERSION, text);
    }

    /** A kernel release as uname -r prints it: "6.1.0-28-amd64", "6.12.0-rc3"; null if it is not one. */
    public static KernelVersion fromRelease(String release) {
        return match(RELEASE, release.trim());
    }

    private static KernelVersion match(Pattern p, String text) {
        Matcher m = p.matcher(text);
        if (!m.matches()) return null;
        return new KernelVersion(Integer.parseInt(m.group(1)), Integer.parseInt(m.group(2)));
    }

    public static KernelVersion parse(String text) {
        KernelVersion v = tryParse(text);
        if (v == null) throw new IllegalArgumentException("not a kernel version: " + text);
        return v;
    }

    /**
     * Whether mainline ever had (or may yet have) this version: 3.0-3.19, 4.0-4.20, 5.0-5.19, 6.x and
     * later. "5.20" is a typo, not a kernel.
     */
    public boolean exists() {
        switch (major) {
            case 3: return minor <= 19;
            case 4: return minor <= 20;
            case 5: return minor <= 19;
            default: return major >= 6;
        }
    }

    @Override
    public int compareTo(KernelVersion o) {
        return major != o.major ? Integer.compare(major, o.major) : Integer.compare(minor, o.minor);
    }

    public boolean before(KernelVersion o) {
        return compareTo(o) < 0;
    }

    @Override
    public String toString() {
        return major + "." + minor;
    }
}
