package org.mmcheck.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.stream.Stream;

import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/** One case per error class: the exact one-line message, position included. */
class ErrorsTest {

    /** A valid test to mutate; line numbers below refer to it. */
    private static final String BASE = """
            MM base
            {
              anon x = 1;
            }
            P0 {
              fork(P1);
              *x = 2;
            }
            P1 {
              r0 = *x;
            }
            exists (1:r0=2)
            expect * Never
            """;

    private static Arguments c(String name, String src, String expected) {
        return Arguments.of(name, src, expected);
    }

    /** BASE with one exact substring replaced (which must occur once). */
    private static String base(String from, String to) {
        if (BASE.indexOf(from) < 0 || BASE.indexOf(from) != BASE.lastIndexOf(from)) {
            throw new IllegalArgumentException("not unique in BASE: " + from);
        }
        return BASE.replace(from, to);
    }

    static Stream<Arguments> cases() {
        String known = "(known: 5.7, 5.8, 5.9, 5.11, 5.18, 5.19, part3-v2, 5.19-noswpx, 6.1, 6.2, 6.8, 6.12)";
        return Stream.of(
                // ---- lexical
                c("unterminated comment", base("P1 {", "(* oops\nP1 {"), "t.litmus:9:1: unterminated comment: expected '*)' before the end of file"),
                c("unterminated nested comment", "MM t (* a (* b *) c\n{ } P0 { }", "t.litmus:1:6: unterminated comment: expected '*)' before the end of file"),
                c("unterminated string", "MM t \"no end\n{ } P0 { }", "t.litmus:1:6: unterminated string: expected '\"' before the end of the line"),
                c("bad character", base("*x = 2;", "*x = 2 @;"), "t.litmus:7:10: unexpected character '@'"),
                c("control character", base("*x = 2;", "*x\u0001 = 2;"), "t.litmus:7:5: unexpected character U+0001"),
                c("lone slash", base("(1:r0=2)", "(1:r0=2 / 1:r0=1)"), "t.litmus:12:16: unexpected character '/'"),
                // ---- syntax
                c("missing MM", "XX t { } P0 { }", "t.litmus:1:1: expected 'MM' at the start of the test, found 'XX'"),
                c("empty input", "", "t.litmus:1:1: expected 'MM' at the start of the test, found end of file"),
                c("missing name", "MM { } P0 { }", "t.litmus:1:4: expected a test name after 'MM', found '{'"),
                c("missing declarations", "MM t P0 { }", "t.litmus:1:6: expected '{' to open the declarations, found 'P0'"),
                c("bad declaration", base("anon x = 1;", "anonx = 1;"), "t.litmus:3:3: expected a declaration (anon, swap, kernel or interleave) or '}', found 'anonx'"),
                c("missing semicolon after statement", base("  *x = 2;\n", "  *x = 2\n"), "t.litmus:8:1: expected ';' after statement, found '}'"),
                c("missing semicolon after declaration", base("anon x = 1;", "anon x = 1"), "t.litmus:4:1: expected ';' after the declaration of 'x', found '}'"),
                c("bad statement", base("*x = 2;", "x 2;"), "t.litmus:7:3: expected a statement or '}', found 'x'"),
                c("bad right-hand side", base("r0 = *x;", "r0 = x;"), "t.litmus:10:8: expected '*' (load), 'get(' or 'pin(' after 'r0 =', found 'x'"),
                c("eof in block", "MM t { } P0 { exit();", "t.litmus:1:22: expected a statement or '}' to close P0, found end of file"),
                c("eof in declarations", "MM t { anon x;", "t.litmus:1:15: expected a declaration (anon, swap, kernel or interleave) or '}', found end of file"),
                c("bad page name", base("anon x = 1;", "anon 5x = 1;"), "t.litmus:3:8: expected a page name after 'anon', found '5x'"),
                c("bad advice", base("*x = 2;", "madvise(x, MADV_FREE);"), "t.litmus:7:14: expected an advice (MADV_DONTNEED, MADV_PAGEOUT, ...), found 'MADV_FREE'"),
                c("bad protection", base("*x = 2;", "mprotect(x, PROT_WRITE);"), "t.litmus:7:15: unsupported protection: expected PROT_NONE, PROT_READ or PROT_READ|PROT_WRITE"),
                c("bad gup flag", base("*x = 2;", "p = pin(x, FOLL_WRITE|FOLL_GET);"), "t.litmus:7:25: expected a GUP flag (FOLL_WRITE, FOLL_LONGTERM, FOLL_FAST, FOLL_FORCE), found 'FOLL_GET'"),
                c("duplicate gup flag", base("*x = 2;", "p = pin(x, FOLL_WRITE|FOLL_WRITE);"), "t.litmus:7:25: GUP flag FOLL_WRITE given twice"),
                c("bad fork argument", base("fork(P1);", "fork(1);"), "t.litmus:6:8: expected a process block name like P1 in fork(), found '1'"),
                c("garbage after blocks", base("exists", "exist"), "t.litmus:12:1: expected a block (P0 { ... }), a condition (exists, ~exists, forall), 'expect' or end of file, found 'exist'"),
                c("condition without parenthesis", base("(1:r0=2)", "1:r0=2"), "t.litmus:12:8: expected '(' after 'exists', found '1'"),
                c("tilde without exists", base("exists", "~forall"), "t.litmus:12:2: expected 'exists' after '~', found 'forall'"),
                c("not-equal operator", base("(1:r0=2)", "(1:r0!=2)"), "t.litmus:12:13: '!=' is not an operator here: write 'not equal' as ~(0:r0=1)"),
                c("SQL not-equal", base("(1:r0=2)", "(1:r0<>2)"), "t.litmus:12:13: '<>' is not an operator here: write 'not equal' as ~(0:r0=1)"),
                c("unclosed parenthesis", base("(1:r0=2)", "(1:r0=2"), "t.litmus:13:1: expected ')' to close the '(' at line 12, column 8, found 'expect'"),
                c("bad atom", base("(1:r0=2)", "(1:r0==2)"), "t.litmus:12:14: expected a value 0..255 or '-', found '='"),
                c("garbage after condition", base("expect", "expekt"), "t.litmus:13:1: expected 'expect' or end of file after the condition, found 'expekt'"),
                c("bad observation", base("* Never", "* never"), "t.litmus:13:10: expected an observation (Never, Sometimes, Always), 'flag', 'expect' or end of file, found 'never'"),
                c("flag without id", base("* Never", "* Never flag"), "t.litmus:14:1: expected a flag name after 'flag', found end of file"),
                c("bad variant list", base("expect *", "expect 5.7,"), "t.litmus:13:13: expected a variant name after ',', found 'Never'"),
                // ---- values
                c("value out of range", base("*x = 2;", "*x = 256;"), "t.litmus:7:8: value '256' out of range 0..255"),
                c("huge value", base("anon x = 1;", "anon x = 99999999999999999999999;"), "t.litmus:3:12: value '99999999999999999999999' out of range 0..255"),
                c("negative value", base("*x = 2;", "*x = -1;"), "t.litmus:7:8: expected a value 0..255, found '-1'"),
                c("huge process number", base("(1:r0=2)", "(123456789012345678901:r0=2)"), "t.litmus:12:9: process number in '123456789012345678901' is too large (at most 9999)"),
                c("deep nesting", "MM t { anon x; } P0 { } exists " + "(".repeat(100000) + "0:x=1" + ")".repeat(100000), "t.litmus:1:233: condition is nested too deeply (more than 200 levels)"),
                c("long conjunction", "MM t { anon x; } P0 { } exists (0:x=1" + " /\\ 0:x=1".repeat(300) + ")", "t.litmus:1:1830: condition is nested too deeply (more than 200 levels)"),
                // ---- declarations
                c("duplicate page", base("anon x = 1;", "anon x = 1; anon x;"), "t.litmus:3:20: duplicate page 'x' (first declared at line 3)"),
                c("two swap declarations", base("anon x = 1;", "anon x = 1; swap; swap none;"), "t.litmus:3:21: second swap declaration (the first is at line 3)"),
                c("swap none with flags", base("anon x = 1;", "anon x = 1; swap none, sync_io;"), "t.litmus:3:26: 'swap none' cannot be combined with swap flags"),
                c("swap flags then none", base("anon x = 1;", "anon x = 1; swap stable_writes, none;"), "t.litmus:3:35: 'swap none' cannot be combined with swap flags"),
                c("bad swap flag", base("anon x = 1;", "anon x = 1; swap fast;"), "t.litmus:3:20: expected a swap flag (stable_writes, sync_io) or none, found 'fast'"),
                c("empty kernel declaration", base("anon x = 1;", "anon x = 1; kernel;"), "t.litmus:3:21: expected a kernel activity (reclaim, ksm, swapoff, readahead), found ';'"),
                c("duplicate kernel activity", base("anon x = 1;", "anon x = 1; kernel ksm, ksm;"), "t.litmus:3:27: kernel activity 'ksm' given twice"),
                // ---- names
                c("unknown page or reference", base("*x = 2;", "*y = 2;"), "t.litmus:7:4: unknown page or reference 'y'"),
                c("unknown page in load", base("r0 = *x;", "r0 = *z;"), "t.litmus:10:9: unknown page or reference 'z'"),
                c("unknown page in madvise", base("*x = 2;", "madvise(y, MADV_PAGEOUT);"), "t.litmus:7:11: unknown page 'y'"),
                c("reference is not a page", base("*x = 2;", "g = get(x); munmap(g);"), "t.litmus:7:22: expected a page, found reference 'g'"),
                c("page and reference", base("*x = 2;", "x = get(x);"), "t.litmus:7:3: 'x' is a page and cannot also name a reference"),
                c("register named like a page", base("r0 = *x;", "x = *x;"), "t.litmus:10:3: register 'x' has the name of a page"),
                c("register named like a reference", base("r0 = *x;", "g = *x; g = get(x);"), "t.litmus:10:3: register 'g' has the name of a reference"),
                c("get and pin", base("*x = 2;", "g = get(x); g = pin(x);"), "t.litmus:7:15: reference 'g' is taken by both get and pin (first by get at line 7)"),
                c("put of a pin", base("*x = 2;", "p = pin(x); put(p);"), "t.litmus:7:19: put() needs a reference taken by get, but 'p' is taken by pin (use unpin)"),
                c("unpin of a get", base("*x = 2;", "g = get(x); unpin(g);"), "t.litmus:7:21: unpin() needs a reference taken by pin, but 'g' is taken by get (use put)"),
                c("put of unknown", base("*x = 2;", "put(h);"), "t.litmus:7:7: unknown reference 'h'"),
                c("put of a page", base("*x = 2;", "put(x);"), "t.litmus:7:7: put() needs a reference taken by get, found page 'x'"),
                c("write through read-only reference", base("*x = 2;", "g = get(x); *g = 3;"), "t.litmus:7:16: '*g = 3;' writes through reference 'g', which is never taken with FOLL_WRITE"),
                // ---- blocks
                c("no P0", "MM t { } P1 { }", "t.litmus:1:1: the test has no P0 block (the initial process)"),
                c("duplicate block", base("P1 {\n  r0", "P1 { }\nP1 {\n  r0"), "t.litmus:10:1: duplicate block P1 (first at line 9)"),
                c("never forked", base("fork(P1);", "exit();"), "t.litmus:9:1: P1 is never forked or cloned"),
                c("fork of missing block", base("fork(P1);", "fork(P1); fork(P2);"), "t.litmus:6:18: fork of P2, but there is no block P2"),
                c("fork of P0", base("r0 = *x;", "fork(P0);"), "t.litmus:10:8: P0 is the initial process and cannot be forked"),
                c("fork itself", base("r0 = *x;", "fork(P1);"), "t.litmus:10:8: P1 cannot fork itself"),
                c("forked twice", base("r0 = *x;", "r0 = *x; } P2 { fork(P1);"), "t.litmus:10:24: P1 is already forked at line 6 (each process is forked at most once)"),
                c("fork cycle", "MM t { } P0 { } P1 { fork(P2); } P2 { fork(P1); }", "t.litmus:1:27: P1 cannot fork P2: P2 is its ancestor (forks would form a cycle)"),
                c("clone of P0", base("r0 = *x;", "clone(P0);"), "t.litmus:10:9: P0 is the initial process and cannot be cloned"),
                c("clone itself", base("r0 = *x;", "clone(P1);"), "t.litmus:10:9: P1 cannot clone itself"),
                c("clone of missing block", base("fork(P1);", "fork(P1); clone(P2);"), "t.litmus:6:19: clone of P2, but there is no block P2"),
                c("forked and cloned", base("*x = 2;", "clone(P1);"), "t.litmus:7:9: P1 is already started by fork(P1) at line 6 (a block is started either by fork or by clone, never both)"),
                c("cloned and forked", base("fork(P1);\n  *x = 2;", "clone(P1);\n  fork(P1);"), "t.litmus:7:8: P1 is already started by clone(P1) at line 6 (a block is started either by fork or by clone, never both)"),
                c("cloned twice", base("fork(P1);\n  *x = 2;", "clone(P1);\n  clone(P1);"), "t.litmus:7:9: P1 is already cloned at line 6 (each thread is cloned at most once)"),
                c("clone cycle", "MM t { } P0 { } P1 { clone(P2); } P2 { fork(P1); }", "t.litmus:1:28: P1 cannot clone P2: P2 is its ancestor (clones would form a cycle)"),
                c("bad clone argument", base("fork(P1);", "clone(x);"), "t.litmus:6:9: expected a process block name like P1 in clone(), found 'x'"),
                c("clone in K block", base("P1 {", "K0 { clone(P1); }\nP1 {"), "t.litmus:9:6: process statement 'clone(P1);' is not allowed in kernel thread K0"),
                c("wait without fork", base("*x = 2;", "*x = 2; } P2 { wait(P1);"), "t.litmus:7:23: P2 cannot wait for P1: there is no fork(P1) or clone(P1) earlier in P2"),
                c("wait before fork", base("fork(P1);", "wait(P1); fork(P1);"), "t.litmus:6:8: P0 cannot wait for P1: there is no fork(P1) or clone(P1) earlier in P0"),
                c("kernel statement in P block", base("*x = 2;", "reclaim(0:x);"), "t.litmus:7:3: kernel statement 'reclaim(0:x);' is only allowed in K blocks, not in P0"),
                c("process statement in K block", base("P1 {", "K0 { fork(P1); }\nP1 {"), "t.litmus:9:6: process statement 'fork(P1);' is not allowed in kernel thread K0"),
                c("reclaim of missing process", base("P1 {", "K0 { readahead(3:x); }\nP1 {"), "t.litmus:9:16: no process P3"),
                c("reclaim of unknown page", base("P1 {", "K0 { reclaim(1:y); }\nP1 {"), "t.litmus:9:16: unknown page 'y'"),
                // ---- condition atoms
                c("missing register", base("(1:r0=2)", "(1:r5=2)"), "t.litmus:12:11: P1 has no register r5"),
                c("register of another process", base("(1:r0=2)", "(0:r0=2)"), "t.litmus:12:11: P0 has no register r0"),
                c("unknown atom name", base("(1:r0=2)", "(1:y=2)"), "t.litmus:12:11: P1 has no register y and there is no page y"),
                c("atom of missing process", base("(1:r0=2)", "(4:x=2)"), "t.litmus:12:9: no process P4"),
                c("unknown reference atom", base("(1:r0=2)", "(g=2)"), "t.litmus:12:9: unknown reference 'g'"),
                c("page atom without process", base("(1:r0=2)", "(x=2)"), "t.litmus:12:9: page 'x' needs a process number, as in 0:x=2"),
                c("nothing for a register", base("(1:r0=2)", "(1:r0=-)"), "t.litmus:12:14: register r0 always holds a value; '-' (nothing to read) is for pages and references"),
                c("nothing without process", base("(1:r0=2)", "(x=-)"), "t.litmus:12:9: page 'x' needs a process number, as in 0:x=-"),
                c("negative atom value", base("(1:r0=2)", "(1:x=-1)"), "t.litmus:12:13: expected a value 0..255 or '-', found '-1'"),
                // ---- expectations
                c("unknown variant", base("expect * Never", "expect 5.19,5.20 Never"), "t.litmus:13:13: unknown variant '5.20' " + known),
                c("unknown flag", base("expect * Never", "expect * Never flag leak lek"), "t.litmus:13:26: unknown flag 'lek' (known: writable-not-exclusive, exclusive-shared, swp-exclusive-shared, pinned-not-exclusive, ksm-exclusive, refcount, swap-count, stale-read, leak, pin-incoherent, stable-write)"),
                c("variant on two lines", base("expect * Never", "expect 5.7, 5.8 Never\nexpect 5.9,5.8 Sometimes"), "t.litmus:14:12: variant 5.8 already has an expect line (line 13)"),
                c("two star lines", base("expect * Never", "expect * Never\nexpect * Always"), "t.litmus:14:1: second 'expect *' line (the first is at line 13)"),
                c("flag listed twice", base("expect * Never", "expect * Never flag leak leak"), "t.litmus:13:26: flag leak listed twice"));
    }

    @ParameterizedTest(name = "{0}")
    @MethodSource("cases")
    void rendersExactMessage(String name, String src, String expected) {
        LitmusException e = assertThrows(LitmusException.class, () -> Fixtures.parse("t.litmus", src));
        assertEquals(expected, e.render());
    }
}
