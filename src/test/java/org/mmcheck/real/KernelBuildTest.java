package org.mmcheck.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** kernel build without building a kernel: the config fragment, patches on a fake tree, the cache key. */
class KernelBuildTest {
    private static final Path SEED = Path.of("examples/patches/seed-stable-writes-inverted.patch");
    private static final PrintStream QUIET = new PrintStream(OutputStream.nullOutputStream());

    /** What real mode and its initramfs need from the kernel, all built in. */
    private static final List<String> REQUIRED = List.of("64BIT", "PRINTK", "TTY", "SERIAL_8250", "SERIAL_8250_CONSOLE",
            "BLK_DEV_INITRD", "RD_GZIP", "DEVTMPFS", "PROC_FS", "PROC_SYSCTL", "SYSFS", "DEBUG_FS", "BINFMT_ELF",
            "BINFMT_SCRIPT", "MULTIUSER", "FUTEX", "EPOLL", "SWAP", "SHMEM", "PCI", "VIRTIO_PCI", "VIRTIO_BLK", "BLOCK",
            "MD", "BLK_DEV_DM", "ZRAM", "LZO_COMPRESS", "KSM", "IO_URING", "GUP_TEST",
            "PROC_PAGE_MONITOR", "ADVISE_SYSCALLS", "ACPI");

    /** What each line's zram needs for lzo-rle: 6.1 compresses through the crypto API, 6.12 through its own backends. */
    private static final Map<String, List<String>> ZRAM_LZO = Map.of(
            "6.1", List.of("CRYPTO", "CRYPTO_LZO"), "6.12", List.of("ZRAM_BACKEND_LZO"));

    @Test
    void eachFragmentAsksForEverythingRealModeNeedsBuiltIn() {
        assertEquals(ZRAM_LZO.keySet(), Set.copyOf(KernelBuild.FROMS.stream().map(KernelBuild.From::name).toList()));
        for (KernelBuild.From from : KernelBuild.FROMS) {
            Map<String, String> opts = KernelBuild.options(KernelBuild.configFragment(from));
            List<String> required = new ArrayList<>(REQUIRED);
            required.addAll(ZRAM_LZO.get(from.name()));
            for (String o : required) {
                assertEquals("y", opts.get("CONFIG_" + o), "CONFIG_" + o + "=y in " + from.configResource());
            }
            assertTrue(opts.containsKey("CONFIG_MODULES") && opts.get("CONFIG_MODULES") == null, "# CONFIG_MODULES is not set");
            for (String off : List.of("NET", "SOUND", "USB_SUPPORT", "DRM", "TRANSPARENT_HUGEPAGE")) {
                assertTrue(opts.containsKey("CONFIG_" + off) && opts.get("CONFIG_" + off) == null, off + " off in " + from);
            }
            assertFalse(opts.containsValue("m"), "no modules");
        }
    }

    @Test
    void everyLineOfEachFragmentIsAnOptionOrAComment() {
        for (KernelBuild.From from : KernelBuild.FROMS) {
            for (String line : KernelBuild.configFragment(from).split("\n")) {
                assertTrue(line.isBlank() || line.startsWith("#") || line.matches("CONFIG_[A-Z0-9_]+=.+"), line);
            }
        }
    }

    /** 6.12's fragment is 6.1's adapted: tinyconfig's SLUB_TINY undone, zram's own LZO backend instead of crypto's. */
    @Test
    void the612FragmentAdaptsWhatMovedSince61() {
        KernelBuild.From from = KernelBuild.from("6.12");
        assertEquals("linux-source-6.12", from.sourcePackage());
        assertEquals("kernel-6.12.config", from.configResource());
        Map<String, String> opts = KernelBuild.options(KernelBuild.configFragment(from));
        assertTrue(opts.containsKey("CONFIG_SLUB_TINY") && opts.get("CONFIG_SLUB_TINY") == null, "# CONFIG_SLUB_TINY is not set");
        assertFalse(opts.containsKey("CONFIG_CRYPTO_LZO"), "zram no longer goes through the crypto API");
        Map<String, String> old = KernelBuild.options(KernelBuild.configFragment(KernelBuild.from("6.1")));
        Set<String> dropped = new java.util.HashSet<>(old.keySet());
        dropped.removeAll(opts.keySet());
        assertEquals(Set.of("CONFIG_CRYPTO", "CONFIG_CRYPTO_LZO"), dropped, "everything else is kept");
    }

    @Test
    void fromNamesTheLinesAndDefaultsTo61() {
        assertEquals("6.1", KernelBuild.FROMS.get(0).name(), "the first is --from's default");
        assertEquals("linux-source-6.1", KernelBuild.from("6.1").sourcePackage());
        assertNull(KernelBuild.from("6.2"));
        assertNull(KernelBuild.from(null));
    }

    @Test
    void anOptionThatDidNotStickIsNamed() {
        String fragment = "CONFIG_ZRAM=y\nCONFIG_KSM=y\n# CONFIG_NET is not set\n# a comment\n";
        assertEquals(List.of(), KernelBuild.notStuck(fragment, "CONFIG_ZRAM=y\nCONFIG_KSM=y\n# CONFIG_NET is not set\n"));
        assertEquals(List.of(), KernelBuild.notStuck(fragment, "CONFIG_ZRAM=y\nCONFIG_KSM=y\n"));
        assertEquals(List.of("CONFIG_ZRAM=y (the .config has it unset)", "# CONFIG_NET is not set (the .config has CONFIG_NET=y)"),
                KernelBuild.notStuck(fragment, "# CONFIG_ZRAM is not set\nCONFIG_KSM=y\nCONFIG_NET=y\n"));
    }

    private static Path fakeTree(Path dir) throws IOException {
        Path tree = Files.createDirectories(dir.resolve("tree/mm"));
        Files.writeString(tree.resolve("hello.c"), "one\ntwo\nthree\n");
        return tree.getParent();
    }

    @Test
    void aPatchThatDoesNotApplyIsBadInputNamingTheFile(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/patch")), "needs patch (Debian package patch)");
        Path tree = fakeTree(dir);
        Path bad = dir.resolve("bad.patch");
        Files.writeString(bad, "--- a/mm/hello.c\n+++ b/mm/hello.c\n@@ -2 +2 @@\n-TWO\n+2\n");
        var e = assertThrows(KernelBuild.BadInput.class,
                () -> KernelBuild.applyPatches(tree, KernelBuild.readPatches(List.of(bad)), QUIET));
        assertTrue(e.getMessage().startsWith(bad + ": does not apply"), e.getMessage());
        assertTrue(e.getMessage().contains("mm/hello.c"), e.getMessage());

        Path good = dir.resolve("good.patch");
        Files.writeString(good, "--- a/mm/hello.c\n+++ b/mm/hello.c\n@@ -2 +2 @@\n-two\n+2\n");
        KernelBuild.applyPatches(tree, KernelBuild.readPatches(List.of(good)), QUIET);
        assertEquals("one\n2\nthree\n", Files.readString(tree.resolve("mm/hello.c")));
        // --forward: the same patch again is refused, not reversed.
        assertThrows(KernelBuild.BadInput.class, () -> KernelBuild.applyPatches(tree, KernelBuild.readPatches(List.of(good)), QUIET));
        assertThrows(KernelBuild.BadInput.class, () -> KernelBuild.readPatches(List.of(dir.resolve("missing.patch"))));
    }

    /** Of two patches, the message says which one failed, even when both have one name. */
    @Test
    void theFailingPatchIsCountedAmongSeveral(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/patch")), "needs patch (Debian package patch)");
        Path tree = fakeTree(dir);
        Path good = dir.resolve("good.patch");
        Files.writeString(good, "--- a/mm/hello.c\n+++ b/mm/hello.c\n@@ -2 +2 @@\n-two\n+2\n");
        var e = assertThrows(KernelBuild.BadInput.class,
                () -> KernelBuild.applyPatches(tree, KernelBuild.readPatches(List.of(good, good)), QUIET));
        assertTrue(e.getMessage().startsWith(good + " (patch 2 of 2): does not apply"), e.getMessage());
        assertTrue(e.getMessage().contains("previously applied"), e.getMessage());
    }

    /** The seed patch is one changed line without context; it applies to a file holding that line anywhere near. */
    @Test
    void theSeedPatchIsOneLineAndApplies(@TempDir Path dir) throws Exception {
        assumeTrue(Files.isExecutable(Path.of("/usr/bin/patch")), "needs patch (Debian package patch)");
        List<String> lines = Files.readAllLines(SEED);
        int start = lines.indexOf("--- a/mm/memory.c");
        assertTrue(start > 0, "a header comment, then the diff");
        List<String> diff = lines.subList(start, lines.size());
        assertEquals(5, diff.size(), "---, +++, @@, one - line, one + line: " + diff);
        String minus = diff.get(3).substring(1);
        String plus = diff.get(4).substring(1);
        assertTrue(diff.get(3).startsWith("-") && diff.get(4).startsWith("+"));
        assertTrue(minus.contains("si->flags & SWP_STABLE_WRITES") && plus.contains("!(si->flags & SWP_STABLE_WRITES)"));
        // A stand-in for mm/memory.c: filler lines, the one line the patch changes, more filler.
        Path tree = Files.createDirectories(dir.resolve("tree/mm")).getParent();
        StringBuilder file = new StringBuilder();
        for (int i = 1; i < 4000; i++) file.append("line ").append(i).append('\n');
        file.append(minus).append('\n');
        for (int i = 0; i < 50; i++) file.append("after ").append(i).append('\n');
        Files.writeString(tree.resolve("mm/memory.c"), file);
        KernelBuild.applyPatches(tree, KernelBuild.readPatches(List.of(SEED)), QUIET);
        List<String> out = Files.readAllLines(tree.resolve("mm/memory.c"));
        assertEquals(plus, out.get(3999));
        assertFalse(out.contains(minus));
    }

    @Test
    void theCacheKeyFollowsPatchContentNotItsName() {
        var a = new KernelBuild.Patch(Path.of("a.patch"), "x".getBytes(StandardCharsets.UTF_8));
        var a2 = new KernelBuild.Patch(Path.of("elsewhere/b.patch"), "x".getBytes(StandardCharsets.UTF_8));
        var b = new KernelBuild.Patch(Path.of("a.patch"), "y".getBytes(StandardCharsets.UTF_8));
        String frag = KernelBuild.configFragment(KernelBuild.FROMS.get(0));
        String none = KernelBuild.cacheKey("src", frag, List.of());
        assertEquals(KernelBuild.cacheKey("src", frag, List.of(a)), KernelBuild.cacheKey("src", frag, List.of(a2)));
        assertNotEquals(KernelBuild.cacheKey("src", frag, List.of(a)), KernelBuild.cacheKey("src", frag, List.of(b)));
        assertNotEquals(none, KernelBuild.cacheKey("src", frag, List.of(a)));
        assertNotEquals(KernelBuild.cacheKey("src", frag, List.of(a, b)), KernelBuild.cacheKey("src", frag, List.of(b, a)));
        assertNotEquals(none, KernelBuild.cacheKey("src", frag + "CONFIG_X=y\n", List.of()));
        assertNotEquals(none, KernelBuild.cacheKey("other source", frag, List.of()));
        // The two lines: another package and Debian version, another fragment.
        String f612 = KernelBuild.configFragment(KernelBuild.from("6.12"));
        assertNotEquals(frag, f612);
        assertNotEquals(KernelBuild.cacheKey("linux-source-6.1 6.1.192-3", frag, List.of()),
                KernelBuild.cacheKey("linux-source-6.12 6.12.118-1~deb12u1", f612, List.of()));
        assertNotEquals(KernelBuild.cacheKey("tree /x 6.12.118", frag, List.of()),
                KernelBuild.cacheKey("tree /x 6.12.118", f612, List.of()), "--source: --from's fragment still counts");
    }

    @Test
    void aBuildCountsOnlyOnceItsReadyMarkerIsWritten(@TempDir Path built) throws IOException {
        Path entry = Files.createDirectories(built.resolve("6.1-x"));
        Files.write(entry.resolve("bzImage"), new byte[] {1});
        assertNull(KernelBuild.cached(built, "6.1-x"), "no .ready: half built");
        Files.writeString(entry.resolve(".ready"), "key\n");
        assertEquals(entry.resolve("bzImage"), KernelBuild.cached(built, "6.1-x"));
        assertNull(KernelBuild.cached(built, "../6.1-x"));
        assertNull(KernelBuild.cached(built, "nothing"));
        assertNotNull(KernelBuild.checkName("a/b"));
        assertNull(KernelBuild.checkName("6.1-seed"));
    }

    @Test
    void missingToolsNameTheirDebianPackages() {
        assertEquals(List.of(), KernelBuild.missingPackages(t -> true));
        List<String> all = KernelBuild.missingPackages(t -> false);
        assertTrue(all.containsAll(List.of("make", "gcc", "bc", "flex", "bison", "xz-utils", "patch", "libelf-dev")), all.toString());
        assertEquals(List.of("flex", "bison"),
                KernelBuild.missingPackages(t -> !t.what().equals("flex") && !t.what().equals("bison")));
    }

    /** A kernel built by `kernel build --name 6.1-seed` records the seed patch; a test never builds one itself. */
    @Test
    void aBuiltSeedKernelRecordsItsPatch() throws IOException {
        Path image = KernelBuild.cached("6.1-seed");
        assumeTrue(image != null, "no 6.1-seed kernel in the cache (building one takes minutes, so no test does it): run"
                + " ./mmcheck kernel build --patch " + SEED + " --name 6.1-seed");
        String info = Files.readString(image.resolveSibling("build.txt"));
        assertTrue(info.contains(KernelBuild.sha256Hex(Files.readAllBytes(SEED))), info);
        assertTrue(Files.size(image) > 500_000, "a bzImage of " + Files.size(image) + " bytes");
    }
}
