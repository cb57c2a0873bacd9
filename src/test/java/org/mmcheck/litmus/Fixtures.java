package org.mmcheck.litmus;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/** Shared test data: the known variant/flag sets and the example tests (resource copies). */
final class Fixtures {
    private Fixtures() {}

    static final Set<String> VARIANTS = new LinkedHashSet<>(org.mmcheck.variant.Variants.names());
    static final Set<String> FLAGS = new LinkedHashSet<>(List.of("writable-not-exclusive", "exclusive-shared",
            "swp-exclusive-shared", "pinned-not-exclusive", "ksm-exclusive", "refcount", "swap-count",
            "stale-read", "leak", "pin-incoherent", "stable-write"));

    static final List<String> EXAMPLES = List.of("cow-after-fork.litmus", "ro-pin-shared.litmus",
            "seed-stable-writes.litmus", "swapout-fork-cow.litmus", "vmsplice-unmap-child.litmus");

    /** The shared example folder when the test runs inside the repository, else null. */
    static Path sharedDir() {
        Path p = Path.of("..", "shared", "litmus");
        return Files.isDirectory(p) ? p : null;
    }

    static String resource(String name) {
        try (InputStream in = Fixtures.class.getResourceAsStream("/litmus/" + name)) {
            if (in == null) throw new IllegalStateException("missing test resource " + name);
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static Ast.Test parse(String file, String src) throws LitmusException {
        return LitmusParser.parse(file, src, VARIANTS, FLAGS);
    }
}
