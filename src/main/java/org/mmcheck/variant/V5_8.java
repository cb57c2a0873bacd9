package org.mmcheck.variant;

/** Linux 5.8: as 5.7, but every GUP of a COW page breaks COW first, even for reads (17839856fd58). */
public final class V5_8 extends V5_7 {
    @Override
    public String name() {
        return "5.8";
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("5.8", "5.8");
    }

    @Override
    public boolean gupBreaksCowOnRead() {
        return true;
    }
}
