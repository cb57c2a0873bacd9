package org.mmcheck.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.function.Consumer;

import org.junit.jupiter.api.Test;

/** The five example tests parse into the expected trees, from the resource copies and the shared folder. */
class ExamplesTest {

    /** Runs the check on the resource copy and, when present, on the shared folder's file. */
    private static void check(String file, Consumer<Ast.Test> assertions) throws Exception {
        assertions.accept(Fixtures.parse(file, Fixtures.resource(file)));
        Path dir = Fixtures.sharedDir();
        if (dir != null && Files.exists(dir.resolve(file))) {
            assertions.accept(Fixtures.parse(file, Files.readString(dir.resolve(file), StandardCharsets.UTF_8)));
        }
    }

    private static List<String> texts(Ast.Block b) {
        List<String> out = new ArrayList<>();
        for (Ast.Stmt s : b.body()) out.add(s.text());
        return out;
    }

    private static void defaults(Ast.Test t) {
        assertEquals(List.of(new Ast.AnonDecl("x", 1, t.anons().get(0).pos())), t.anons());
        assertTrue(t.background().isEmpty());
    }

    @Test
    void cowAfterFork() throws Exception {
        check("cow-after-fork.litmus", t -> {
            assertEquals("cow-after-fork", t.name());
            assertEquals("A write by the parent after fork is never seen by the child", t.description());
            assertEquals(new Pos("cow-after-fork.litmus", 1, 1), t.pos());
            defaults(t);
            assertEquals(new Ast.SwapDecl(true, false, false, new Pos("cow-after-fork.litmus", 3, 1)), t.swap());
            assertEquals(2, t.blocks().size());
            Ast.Block p0 = t.process(0);
            assertEquals(List.of("fork(P1);", "*x = 2;"), texts(p0));
            assertEquals(new Ast.Fork(1, new Pos("cow-after-fork.litmus", 7, 3), "fork(P1);"), p0.body().get(0));
            assertEquals(new Ast.StorePage("x", 2, new Pos("cow-after-fork.litmus", 8, 3), "*x = 2;"), p0.body().get(1));
            Ast.Block p1 = t.process(1);
            assertEquals(new Ast.LoadPage("r0", "x", new Pos("cow-after-fork.litmus", 11, 3), "r0 = *x;"), p1.body().get(0));
            Ast.Condition c = t.condition();
            assertEquals(Ast.Quantifier.EXISTS, c.quantifier());
            assertEquals("(1:r0=2)", c.text());
            assertEquals(new Pos("cow-after-fork.litmus", 13, 1), c.pos());
            assertEquals(new Ast.RegAtom(1, "r0", 2, new Pos("cow-after-fork.litmus", 13, 9)), c.expr());
            assertEquals(List.of(new Ast.Expect(true, List.of(), Ast.Observation.Never, List.of(),
                    new Pos("cow-after-fork.litmus", 14, 1))), t.expects());
        });
    }

    @Test
    void roPinShared() throws Exception {
        check("ro-pin-shared.litmus", t -> {
            assertEquals("ro-pin-shared", t.name());
            defaults(t);
            assertEquals(List.of("fork(P1);", "p = pin(x, FOLL_LONGTERM);", "*x = 2;", "r0 = *p;"), texts(t.process(0)));
            Ast.Pin pin = assertInstanceOf(Ast.Pin.class, t.process(0).body().get(1));
            assertEquals("p", pin.ref());
            assertEquals("x", pin.page());
            assertEquals(Set.of(Ast.GupFlag.FOLL_LONGTERM), pin.flags());
            Ast.LoadRef load = assertInstanceOf(Ast.LoadRef.class, t.process(0).body().get(3));
            assertEquals("p", load.ref());
            assertEquals("r0", load.reg());
            assertInstanceOf(Ast.LoadPage.class, t.process(1).body().get(0));
            assertEquals(new Ast.RegAtom(0, "r0", 1, new Pos("ro-pin-shared.litmus", 15, 9)), t.condition().expr());
            assertEquals(2, t.expects().size());
            Ast.Expect e = t.expects().get(0);
            assertFalse(e.star());
            assertEquals(List.of("5.7", "5.9", "5.11", "5.18"), e.variants());
            assertEquals(Ast.Observation.Always, e.observation());
            assertEquals(List.of("pin-incoherent"), e.flags());
            assertTrue(t.expects().get(1).star());
        });
    }

    @Test
    void seedStableWrites() throws Exception {
        check("seed-stable-writes.litmus", t -> {
            assertEquals("seed-stable-writes", t.name());
            defaults(t);
            assertEquals(new Ast.SwapDecl(true, true, false, new Pos("seed-stable-writes.litmus", 8, 3)), t.swap());
            assertEquals(2, t.blocks().size());
            Ast.Block k0 = t.blocks().get(1);
            assertEquals(Ast.BlockKind.KERNEL, k0.kind());
            assertEquals("K0", k0.label());
            assertEquals(new Ast.Reclaim(0, "x", new Pos("seed-stable-writes.litmus", 14, 3), "reclaim(0:x);"),
                    k0.body().get(0));
            assertEquals(new Ast.PageAtom(0, "x", 1, new Pos("seed-stable-writes.litmus", 16, 9)), t.condition().expr());
            assertEquals("(0:x=1)", t.condition().text());
            Ast.Expect e = t.expects().get(0);
            assertEquals(List.of("part3-v2"), e.variants());
            assertEquals(Ast.Observation.Never, e.observation());
            assertEquals(List.of("stable-write"), e.flags());
        });
    }

    @Test
    void swapoutForkCow() throws Exception {
        check("swapout-fork-cow.litmus", t -> {
            assertEquals("swapout-fork-cow", t.name());
            defaults(t);
            Ast.Madvise m = assertInstanceOf(Ast.Madvise.class, t.process(0).body().get(0));
            assertEquals(Ast.Advice.MADV_PAGEOUT, m.advice());
            assertEquals("madvise(x, MADV_PAGEOUT);", m.text());
            assertEquals(List.of("madvise(x, MADV_PAGEOUT);", "fork(P1);", "*x = 2;"), texts(t.process(0)));
            assertEquals(List.of("r0 = *x;"), texts(t.process(1)));
            assertEquals(Ast.Quantifier.EXISTS, t.condition().quantifier());
        });
    }

    @Test
    void vmspliceUnmapChild() throws Exception {
        check("vmsplice-unmap-child.litmus", t -> {
            assertEquals("vmsplice-unmap-child", t.name());
            assertTrue(t.description().startsWith("CVE-2020-29374"));
            defaults(t);
            assertEquals(List.of("g = get(x);", "munmap(x);", "r0 = *g;"), texts(t.process(1)));
            Ast.Get g = assertInstanceOf(Ast.Get.class, t.process(1).body().get(0));
            assertTrue(g.flags().isEmpty());
            assertInstanceOf(Ast.Munmap.class, t.process(1).body().get(1));
            assertInstanceOf(Ast.LoadRef.class, t.process(1).body().get(2));
            Ast.Expect e = t.expects().get(0);
            assertEquals(List.of("5.7"), e.variants());
            assertEquals(Ast.Observation.Sometimes, e.observation());
            assertEquals(List.of("leak"), e.flags());
        });
    }

    @Test
    void everySharedExampleParses() throws Exception {
        Path dir = Fixtures.sharedDir();
        if (dir == null) return;
        try (var files = Files.list(dir)) {
            for (Path f : (Iterable<Path>) files.filter(p -> p.toString().endsWith(".litmus"))::iterator) {
                // Every shared example must at least parse, including ones added after these tests.
                Fixtures.parse(f.getFileName().toString(), Files.readString(f, StandardCharsets.UTF_8));
            }
        }
    }

    @Test
    void noDescriptionNoConditionNoExpect() throws Exception {
        Ast.Test t = Fixtures.parse("t.litmus", "MM t { } P0 { }");
        assertNull(t.description());
        assertNull(t.condition());
        assertTrue(t.expects().isEmpty());
        assertTrue(t.anons().isEmpty());
        assertEquals(Ast.SwapDecl.defaultDevice(new Pos("t.litmus", 1, 6)), t.swap());
    }
}
