package org.mmcheck.litmus;

import java.util.List;
import java.util.Set;

/**
 * The syntax tree of a litmus test (see shared/spec/LITMUS.md). Produced by {@link LitmusParser},
 * already validated: every name is resolved (pages, references, registers, blocks), so consumers
 * never see an unknown name. Each node keeps its position for later "not supported" messages.
 */
public final class Ast {
    private Ast() {}

    /** A whole test. {@code swap} is never null (absent declaration = default device). */
    public record Test(String name, String description, List<AnonDecl> anons, SwapDecl swap,
                       Set<Background> background, List<Block> blocks, Condition condition,
                       List<Expect> expects, Pos pos, Interleave interleave) {
        /** The same test at another interleaving granularity ({@code --interleave}). */
        public Test withInterleave(Interleave i) {
            return new Test(name, description, anons, swap, background, blocks, condition, expects, pos, i);
        }

        /** The process block with this index, or null. */
        public Block process(int index) {
            for (Block b : blocks) if (b.kind() == BlockKind.PROCESS && b.index() == index) return b;
            return null;
        }
    }

    /**
     * {@code interleave atomic;} (the default: one statement is one step) or {@code interleave ptlock;}
     * (kernel paths split where the kernel drops a lock).
     */
    public enum Interleave { ATOMIC, PTLOCK }

    /** {@code anon x;} (init null) or {@code anon x = 5;}. */
    public record AnonDecl(String name, Integer init, Pos pos) {}

    /** {@code swap ...;} — {@code present=false} for {@code swap none;}. */
    public record SwapDecl(boolean present, boolean stableWrites, boolean syncIo, Pos pos) {
        public static SwapDecl defaultDevice(Pos pos) {
            return new SwapDecl(true, false, false, pos);
        }
    }

    public enum Background { RECLAIM, KSM, SWAPOFF, READAHEAD }

    public enum BlockKind { PROCESS, KERNEL }

    /** {@code P0 { ... }} or {@code K0 { ... }}. */
    public record Block(BlockKind kind, int index, List<Stmt> body, Pos pos) {
        public String label() {
            return (kind == BlockKind.PROCESS ? "P" : "K") + index;
        }
    }

    public enum Advice {
        MADV_DONTNEED, MADV_PAGEOUT, MADV_DONTFORK, MADV_DOFORK, MADV_WIPEONFORK,
        MADV_KEEPONFORK, MADV_MERGEABLE, MADV_UNMERGEABLE
    }

    public enum Prot { PROT_NONE, PROT_READ, PROT_READ_WRITE }

    public enum GupFlag { FOLL_WRITE, FOLL_LONGTERM, FOLL_FAST, FOLL_FORCE }

    /** Every statement; {@code text()} is its canonical source form, e.g. {@code "*x = 1;"}. */
    public sealed interface Stmt permits StorePage, LoadPage, StoreRef, LoadRef, Fork, Clone, Exit, Wait,
            Munmap, Madvise, Mprotect, Get, Pin, Put, Unpin, Reclaim, Swapoff, KsmScan, Readahead {
        Pos pos();
        String text();
    }

    // ---- process statements
    /** {@code *x = 1;} where x is a declared page. */
    public record StorePage(String page, int value, Pos pos, String text) implements Stmt {}
    /** {@code r0 = *x;} where x is a declared page. */
    public record LoadPage(String reg, String page, Pos pos, String text) implements Stmt {}
    /** {@code *g = 7;} where g is a reference name. */
    public record StoreRef(String ref, int value, Pos pos, String text) implements Stmt {}
    /** {@code r1 = *g;} where g is a reference name. */
    public record LoadRef(String reg, String ref, Pos pos, String text) implements Stmt {}
    public record Fork(int child, Pos pos, String text) implements Stmt {}
    /** {@code clone(Pn);}: block n starts as a thread sharing the caller's mm (LITMUS.md v2, Threads). */
    public record Clone(int child, Pos pos, String text) implements Stmt {}
    public record Exit(Pos pos, String text) implements Stmt {}
    public record Wait(int child, Pos pos, String text) implements Stmt {}
    public record Munmap(String page, Pos pos, String text) implements Stmt {}
    public record Madvise(String page, Advice advice, Pos pos, String text) implements Stmt {}
    public record Mprotect(String page, Prot prot, Pos pos, String text) implements Stmt {}
    /** {@code g = get(x[, flags]);} (FOLL_GET). */
    public record Get(String ref, String page, Set<GupFlag> flags, Pos pos, String text) implements Stmt {}
    /** {@code p = pin(x[, flags]);} (FOLL_PIN). */
    public record Pin(String ref, String page, Set<GupFlag> flags, Pos pos, String text) implements Stmt {}
    public record Put(String ref, Pos pos, String text) implements Stmt {}
    public record Unpin(String ref, Pos pos, String text) implements Stmt {}

    // ---- kernel statements (K blocks only)
    /** {@code reclaim(0:x);} */
    public record Reclaim(int proc, String page, Pos pos, String text) implements Stmt {}
    public record Swapoff(Pos pos, String text) implements Stmt {}
    public record KsmScan(Pos pos, String text) implements Stmt {}
    /** {@code readahead(0:x);} */
    public record Readahead(int proc, String page, Pos pos, String text) implements Stmt {}

    // ---- condition
    public enum Quantifier { EXISTS, NOT_EXISTS, FORALL }

    /** {@code text} is the condition as written (after the quantifier keyword, whitespace folded). */
    public record Condition(Quantifier quantifier, Expr expr, String text, Pos pos) {}

    /**
     * The value {@code -} of a page or reference atom: nothing to read (the process has no mapping
     * there, or no mm any more; the reference was never taken). Outcomes print it as {@code -} too.
     */
    public static final int NOTHING = -1;

    public sealed interface Expr permits And, Or, Not, RegAtom, PageAtom, RefAtom {}
    public record And(Expr left, Expr right) implements Expr {}
    public record Or(Expr left, Expr right) implements Expr {}
    public record Not(Expr inner) implements Expr {}
    /** {@code 1:r0=2}: register r0 of process 1. */
    public record RegAtom(int proc, String reg, int value, Pos pos) implements Expr {}
    /** {@code 0:x=1}: what process 0 would read at page x at the end ({@code 0:x=-}: it has no mapping). */
    public record PageAtom(int proc, String page, int value, Pos pos) implements Expr {}
    /** {@code g=1}: what reference g would read at the end ({@code g=-}: it was never taken). */
    public record RefAtom(String ref, int value, Pos pos) implements Expr {}

    // ---- expectations
    public enum Observation { Never, Sometimes, Always }

    /**
     * {@code expect 5.19,part3-v2 Sometimes flag leak stale-read}. {@code star} is true for {@code *}
     * (then {@code variants} is empty); {@code observation} is null when not given.
     */
    public record Expect(boolean star, List<String> variants, Observation observation,
                         List<String> flags, Pos pos) {}
}
