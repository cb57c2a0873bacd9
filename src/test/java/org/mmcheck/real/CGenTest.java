package org.mmcheck.real;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;
import org.mmcheck.check.Flags;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.variant.Variants;

/**
 * Golden files for the C generation: src/test/resources/real/NAME.c holds the test-specific part of
 * the program generated for src/test/resources/real/NAME.litmus (the fixed runtime, prelude.c, is left
 * out). Regenerate with -Dmmcheck.updateGolden=true after a deliberate change, and review the diff.
 */
class CGenTest {
    static final Path DIR = Path.of("src/test/resources/real");

    static Ast.Test parse(Path file) throws Exception {
        return LitmusParser.parse(file.toString(), Files.readString(file), Set.copyOf(Variants.names()),
                Set.copyOf(Flags.ALL));
    }

    static String testPart(String c) {
        int at = c.indexOf("/* ==== the test");
        return c.substring(at);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fork-write", "pin-fork", "vmsplice-ksm-swapoff", "threads"})
    void golden(String name) throws Exception {
        String c = testPart(new CGen(parse(DIR.resolve(name + ".litmus"))).generate());
        Path golden = DIR.resolve(name + ".c");
        if (Boolean.getBoolean("mmcheck.updateGolden")) {
            Files.writeString(golden, c, StandardCharsets.UTF_8);
        }
        assertEquals(Files.readString(golden), c, "generated C differs from " + golden);
    }

    @ParameterizedTest
    @ValueSource(strings = {"fork-write", "pin-fork", "vmsplice-ksm-swapoff", "threads"})
    void compilesStatically(String name, @TempDir Path tmp) throws Exception {
        assumeTrue(Guest.run(List.of("sh", "-c", "command -v gcc && test -f /usr/lib/x86_64-linux-gnu/libc.a"),
                null, 10).code() == 0, "gcc with a static libc is not installed");
        Path src = tmp.resolve(name + ".c");
        Files.writeString(src, new CGen(parse(DIR.resolve(name + ".litmus"))).generate());
        Guest.compile(src, tmp.resolve(name));
        assertTrue(Files.isExecutable(tmp.resolve(name)));
    }

    @Test
    void threadsAreRawClonesAndEndOneByOne() throws Exception {
        String c = new CGen(parse(DIR.resolve("threads.litmus"))).generate();
        assertTrue(c.contains("CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD"));
        assertTrue(c.contains("child_pid[1] = start_thread(1);"));
        assertTrue(c.contains("exit_thread();"), "exit() in a test with threads ends one thread");
        assertFalse(c.contains("waitpid(child_pid[1]"), "a thread is not reaped with waitpid");
        assertTrue(c.contains("waitpid") && !c.contains("pthread_"));
        String plain = new CGen(parse(DIR.resolve("fork-write.litmus"))).generate();
        assertTrue(plain.contains("_exit(0);") && !plain.contains("exit_thread();"));
    }

    @Test
    void readOnlyPinsGoThroughGupTest() throws Exception {
        String c = new CGen(parse(Path.of("litmus/cowc/ro-fast-pin-zero-page.litmus"))).generate();
        assertTrue(c.contains("#define GUP_TEST 1"));
        assertTrue(c.contains("pin_ro(REF_p, pg_x, 1)"), "FOLL_FAST: gup_test's USE_FAST");
        assertTrue(c.contains("read_pin_ro(REF_p, &v)") && c.contains("unpin_ro(REF_p);"));
        String rw = new CGen(parse(DIR.resolve("pin-fork.litmus"))).generate();
        assertTrue(rw.contains("#define GUP_TEST 0") && rw.contains("pin_rw("), "a writable pin stays io_uring's");
        // a Debian kernel has no gup_test; a kernel built by mmcheck does, and holds one pin at a time
        Ast.Test ro = parse(Path.of("litmus/cowc/ro-pin-on-shared.litmus"));
        assertFalse(Reproducibility.reasons(ro, Reproducibility.Target.GUEST).isEmpty());
        assertTrue(Reproducibility.reasons(ro, Reproducibility.Target.GUEST, true).isEmpty());
    }

    @Test
    void preludeIsOurs() throws IOException {
        String p = CGen.resource("prelude.c");
        assertTrue(p.contains("IORING_REGISTER_BUFFERS"));
        assertTrue(p.contains("vmsplice"));
        assertTrue(p.contains("tee("));
    }
}
