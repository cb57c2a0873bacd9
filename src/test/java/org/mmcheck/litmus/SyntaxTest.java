package org.mmcheck.litmus;

import static org.junit.jupiter.api.Assertions.assertArrayEquals;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertInstanceOf;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.List;
import java.util.Set;

import org.junit.jupiter.api.Test;

/** Every accepted form: declarations, statements with their canonical text, conditions, expects. */
class SyntaxTest {

    private static Ast.Test parse(String src) throws LitmusException {
        return Fixtures.parse("t.litmus", src);
    }

    @Test
    void declarations() throws Exception {
        Ast.Test t = parse("MM a-b.1_c { anon x; anon y = 255; swap stable_writes, sync_io;"
                + " kernel readahead, reclaim ,ksm,swapoff; } P0 { }");
        assertEquals("a-b.1_c", t.name());
        assertNull(t.anons().get(0).init());
        assertEquals(255, t.anons().get(1).init());
        assertEquals(new Ast.SwapDecl(true, true, true, new Pos("t.litmus", 1, 36)), t.swap());
        assertEquals(Set.of(Ast.Background.values()), t.background());
        assertEquals(new Ast.SwapDecl(false, false, false, new Pos("t.litmus", 1, 8)),
                parse("MM t { swap none; } P0 { }").swap());
        assertEquals(new Ast.SwapDecl(true, false, true, new Pos("t.litmus", 1, 8)),
                parse("MM t { swap sync_io; } P0 { }").swap());
        assertEquals(new Ast.SwapDecl(true, false, false, new Pos("t.litmus", 1, 8)),
                parse("MM t { swap; } P0 { }").swap());
        assertEquals(Set.of(Ast.Background.KSM), parse("MM t { kernel ksm; } P0 { }").background());
    }

    @Test
    void everyStatementHasItsCanonicalText() throws Exception {
        String src = """
                MM all
                { anon x; anon y = 3; }
                P0 {
                  *x=1 ; r0=*x;
                  g = get( x ); w = get(x,FOLL_WRITE);
                  p = pin(x, FOLL_LONGTERM | FOLL_WRITE); q = pin(y, FOLL_FAST|FOLL_FORCE);
                  r1 = *g; *w = 7; r2 = *p;
                  put(g); unpin(p);
                  fork(P1); wait(P1);
                  munmap(y);
                  madvise(x, MADV_DONTNEED); madvise(x, MADV_PAGEOUT); madvise(x, MADV_DONTFORK);
                  madvise(x, MADV_DOFORK); madvise(x, MADV_WIPEONFORK); madvise(x, MADV_KEEPONFORK);
                  madvise(x, MADV_MERGEABLE); madvise(x, MADV_UNMERGEABLE);
                  mprotect(x, PROT_READ); mprotect(x, PROT_NONE); mprotect(x, PROT_WRITE|PROT_READ);
                  mprotect(x, PROT_READ|PROT_WRITE);
                  exit();
                }
                P1 { put(w); }
                K0 { reclaim(0:x); swapoff(); ksm_scan(); readahead( 1 : y ); }
                K1 { }
                """;
        Ast.Test t = parse(src);
        List<String> texts = new ArrayList<>();
        List<Class<?>> kinds = new ArrayList<>();
        for (Ast.Block b : t.blocks()) {
            for (Ast.Stmt s : b.body()) {
                texts.add(s.text());
                kinds.add(s.getClass());
            }
        }
        assertEquals(List.of("*x = 1;", "r0 = *x;", "g = get(x);", "w = get(x, FOLL_WRITE);",
                "p = pin(x, FOLL_WRITE|FOLL_LONGTERM);", "q = pin(y, FOLL_FAST|FOLL_FORCE);",
                "r1 = *g;", "*w = 7;", "r2 = *p;", "put(g);", "unpin(p);", "fork(P1);", "wait(P1);", "munmap(y);",
                "madvise(x, MADV_DONTNEED);", "madvise(x, MADV_PAGEOUT);", "madvise(x, MADV_DONTFORK);",
                "madvise(x, MADV_DOFORK);", "madvise(x, MADV_WIPEONFORK);", "madvise(x, MADV_KEEPONFORK);",
                "madvise(x, MADV_MERGEABLE);", "madvise(x, MADV_UNMERGEABLE);",
                "mprotect(x, PROT_READ);", "mprotect(x, PROT_NONE);", "mprotect(x, PROT_READ|PROT_WRITE);",
                "mprotect(x, PROT_READ|PROT_WRITE);", "exit();", "put(w);",
                "reclaim(0:x);", "swapoff();", "ksm_scan();", "readahead(1:y);"), texts);
        assertEquals(List.of(Ast.StorePage.class, Ast.LoadPage.class, Ast.Get.class, Ast.Get.class, Ast.Pin.class,
                Ast.Pin.class, Ast.LoadRef.class, Ast.StoreRef.class, Ast.LoadRef.class, Ast.Put.class,
                Ast.Unpin.class, Ast.Fork.class, Ast.Wait.class, Ast.Munmap.class), kinds.subList(0, 14));
        Ast.Mprotect rw = assertInstanceOf(Ast.Mprotect.class, t.process(0).body().get(24));
        assertEquals(Ast.Prot.PROT_READ_WRITE, rw.prot());
        assertEquals(List.of(Ast.GupFlag.FOLL_WRITE, Ast.GupFlag.FOLL_LONGTERM),
                List.copyOf(((Ast.Pin) t.process(0).body().get(4)).flags()));
        assertEquals(new Ast.Readahead(1, "y", new Pos("t.litmus", 19, 43), "readahead(1:y);"),
                t.blocks().get(2).body().get(3));
        assertEquals(4, t.blocks().size());
    }

    @Test
    void conditionPrecedenceAndText() throws Exception {
        Ast.Test t = parse("""
                MM c { anon x; }
                P0 { r0 = *x; g = get(x); }
                forall  ( 0:r0=1 \\/ ~ 0:x=2 /\\ (* a comment *) g=3 )
                """);
        Ast.Condition c = t.condition();
        assertEquals(Ast.Quantifier.FORALL, c.quantifier());
        assertEquals("( 0:r0=1 \\/ ~ 0:x=2 /\\ g=3 )", c.text());
        Ast.Or or = assertInstanceOf(Ast.Or.class, c.expr());
        assertEquals(new Ast.RegAtom(0, "r0", 1, new Pos("t.litmus", 3, 11)), or.left());
        Ast.And and = assertInstanceOf(Ast.And.class, or.right());
        Ast.Not not = assertInstanceOf(Ast.Not.class, and.left());
        assertEquals(new Ast.PageAtom(0, "x", 2, new Pos("t.litmus", 3, 23)), not.inner());
        assertEquals(new Ast.RefAtom("g", 3, new Pos("t.litmus", 3, 48)), and.right());

        Ast.Condition n = parse("MM c { anon x; } P0 { r0 = *x; }\n~exists ((0:r0=1 \\/ 0:r0=2) /\\ 0:x=1)").condition();
        assertEquals(Ast.Quantifier.NOT_EXISTS, n.quantifier());
        assertEquals(new Pos("t.litmus", 2, 1), n.pos());
        assertEquals("((0:r0=1 \\/ 0:r0=2) /\\ 0:x=1)", n.text());
        assertInstanceOf(Ast.Or.class, assertInstanceOf(Ast.And.class, n.expr()).left());

        // '-': nothing to read, for pages and references (what outcomes print for them)
        Ast.Condition d = parse("MM c { anon x; } P0 { g = get(x); munmap(x); }\nexists (0:x=- /\\ g=-)").condition();
        assertEquals("(0:x=- /\\ g=-)", d.text());
        Ast.And both = assertInstanceOf(Ast.And.class, d.expr());
        assertEquals(new Ast.PageAtom(0, "x", Ast.NOTHING, new Pos("t.litmus", 2, 9)), both.left());
        assertEquals(new Ast.RefAtom("g", Ast.NOTHING, new Pos("t.litmus", 2, 18)), both.right());

        // '/\' and '\/' associate to the left
        Ast.Expr chain = parse("MM c { anon x; } P0 { } exists (0:x=1 /\\ 0:x=2 /\\ 0:x=3)").condition().expr();
        assertInstanceOf(Ast.And.class, assertInstanceOf(Ast.And.class, chain).left());
    }

    @Test
    void expectLines() throws Exception {
        Ast.Test t = parse("""
                MM e { anon x; } P0 { } exists (0:x=1)
                expect 5.7 , 5.8,5.9 flag leak refcount
                expect 5.19-noswpx Sometimes
                expect part3-v2
                expect * Always flag stale-read flag swap-count
                """);
        assertEquals(4, t.expects().size());
        assertEquals(new Ast.Expect(false, List.of("5.7", "5.8", "5.9"), null, List.of("leak", "refcount"),
                new Pos("t.litmus", 2, 1)), t.expects().get(0));
        assertEquals(Ast.Observation.Sometimes, t.expects().get(1).observation());
        assertTrue(t.expects().get(2).flags().isEmpty());
        assertEquals(new Ast.Expect(true, List.of(), Ast.Observation.Always, List.of("stale-read", "swap-count"),
                new Pos("t.litmus", 5, 1)), t.expects().get(3));
    }

    @Test
    void commentsAndPositions() throws Exception {
        Ast.Test t = parse("# heading\r\nMM t (* a (* nested *) comment\n spanning lines *) \"d\"\n{\tanon x;}\n"
                + "P0 { # trailing\n   *x = 1; }");
        assertEquals("d", t.description());
        assertEquals(new Pos("t.litmus", 2, 1), t.pos());
        assertEquals(new Pos("t.litmus", 4, 3), t.anons().get(0).pos());
        assertEquals(new Pos("t.litmus", 6, 4), t.process(0).body().get(0).pos());
    }

    @Test
    void forkTreeAndWait() throws Exception {
        Ast.Test t = parse("""
                MM f { anon x; }
                P2 { r0 = *x; }
                P0 { fork(P1); wait(P1); }
                P1 { fork(P2); exit(); wait(P2); }
                exists (2:r0=0)
                """);
        assertEquals(List.of("P2", "P0", "P1"), t.blocks().stream().map(Ast.Block::label).toList());
        assertEquals(new Ast.Wait(2, new Pos("t.litmus", 4, 24), "wait(P2);"), t.process(1).body().get(2));
    }

    @Test
    void cloneStartsAThreadInItsCallersMm() throws Exception {
        Ast.Test t = parse("""
                MM c { anon x; }
                P0 { clone(P1); wait(P1); }
                P1 { clone(P2); fork(P3); }
                P2 { r0 = *x; }
                P3 { clone(P4); }
                P4 { }
                exists (2:r0=0 /\\ 4:x=0)
                """);
        assertEquals(new Ast.Clone(1, new Pos("t.litmus", 2, 6), "clone(P1);"), t.process(0).body().get(0));
        assertEquals(new Ast.Wait(1, new Pos("t.litmus", 2, 17), "wait(P1);"), t.process(0).body().get(1));
        // P1 and P2 run in P0's mm, P3 is a process forked by a thread, P4 a thread of P3.
        assertArrayEquals(new int[] {0, 0, 0, 3, 3}, new org.mmcheck.sem.Program(t).mmOf);
    }

    @Test
    void keywordsMayNameRegistersAndReferences() throws Exception {
        Ast.Test t = parse("MM k { anon x; } P0 { fork = *x; get = get(x); put(get); } exists (0:fork=1 /\\ get=1)");
        assertEquals("fork = *x;", t.process(0).body().get(0).text());
        assertEquals("get = get(x);", t.process(0).body().get(1).text());
    }
}
