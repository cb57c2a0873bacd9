package org.mmcheck.variant;

/**
 * 5.19 to 6.2 on architectures without __HAVE_ARCH_PTE_SWP_EXCLUSIVE: the swap PTE cannot carry the
 * exclusive bit, so exclusivity is lost on swap-out and regained only through a fresh page or refcount 1.
 */
public final class V5_19NoSwpx extends V5_19 {
    @Override
    public String name() {
        return "5.19-noswpx";
    }

    @Override
    public boolean hasSwpExclusiveBit() {
        return false;
    }

    @Override
    public KernelRange kernels() {
        return KernelRange.of("5.19", "6.2");
    }

    @Override
    public boolean mainline() {
        return false;
    }
}
