package org.mmcheck.litmus;

import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.function.Function;
import java.util.Set;
import java.util.regex.Pattern;

import org.mmcheck.litmus.Lexer.Kind;
import org.mmcheck.litmus.Lexer.Token;

/**
 * Recursive-descent parser for the litmus format (shared/spec/LITMUS.md). It checks syntax only
 * and produces a {@link Raw} tree; names are resolved and cross-checked by {@link Validator}.
 */
public final class LitmusParser {

    /** Deepest condition tree accepted; keeps recursion (here and in consumers) far from the stack limit. */
    static final int MAX_CONDITION_DEPTH = 200;
    /** Process / kernel-thread indices are small; the bound keeps number parsing overflow-free. */
    static final int MAX_INDEX = 9999;

    private static final Pattern IDENT = Pattern.compile("[A-Za-z_][A-Za-z0-9_]*");
    private static final Pattern DIGITS = Pattern.compile("[0-9]+");
    private static final Pattern BLOCK = Pattern.compile("[PK][0-9]+");

    private final String file;
    private final List<Token> toks;
    private int p;

    private LitmusParser(String file, List<Token> toks) {
        this.file = file;
        this.toks = toks;
    }

    /** Parses and validates one test. fileName is used verbatim in positions. */
    public static Ast.Test parse(String fileName, String source, Set<String> knownVariants, Set<String> knownFlags)
            throws LitmusException {
        return parse(fileName, source, List.copyOf(knownVariants), v -> knownVariants.contains(v) ? v : null,
                knownFlags);
    }

    /**
     * As above, where an expect line may also name a variant another way (a kernel version):
     * {@code resolveVariant} maps what the line says to a variant name, or to null when it names none.
     */
    public static Ast.Test parse(String fileName, String source, List<String> knownVariants,
                                 Function<String, String> resolveVariant, Set<String> knownFlags)
            throws LitmusException {
        Objects.requireNonNull(source, "source");
        String file = fileName == null ? "<input>" : fileName;
        try {
            Raw.Test raw = new LitmusParser(file, Lexer.tokenize(file, source)).parseTest();
            return new Validator(raw, knownVariants, resolveVariant, new ArrayList<>(knownFlags)).run();
        } catch (RuntimeException | StackOverflowError e) {
            // The contract is "only LitmusException": a bug here must still reach the user as one line.
            throw new LitmusException(new Pos(file, 1, 1), "internal parser error: " + e);
        }
    }

    // ---- token cursor

    private Token peek() {
        return toks.get(p);
    }

    private Token peek(int k) {
        return toks.get(Math.min(p + k, toks.size() - 1));
    }

    private Token next() {
        Token t = toks.get(p);
        if (t.kind() != Kind.EOF) p++;
        return t;
    }

    private static LitmusException err(Token t, String expected) {
        return new LitmusException(t.pos(), "expected " + expected + ", found " + t.show());
    }

    private Token punct(String s, String where) throws LitmusException {
        if (!peek().isPunct(s)) throw err(peek(), "'" + s + "' " + where);
        return next();
    }

    private Raw.Name ident(String what) throws LitmusException {
        Token t = peek();
        if (t.kind() != Kind.WORD || !IDENT.matcher(t.text()).matches()) throw err(t, what);
        next();
        return new Raw.Name(t.text(), t.pos());
    }

    /** A value 0..255; long digit strings are rejected by length so parsing never overflows. */
    private Raw.Num value() throws LitmusException {
        Token t = peek();
        if (t.kind() != Kind.WORD || !DIGITS.matcher(t.text()).matches()) throw err(t, "a value 0..255");
        String d = t.text().replaceFirst("^0+(?=.)", "");
        if (d.length() > 3 || Integer.parseInt(d) > 255) {
            throw new LitmusException(t.pos(), "value " + Lexer.quote(t.text()) + " out of range 0..255");
        }
        next();
        return new Raw.Num(Integer.parseInt(d), t.pos());
    }

    /** A process number as in {@code 0:x}. */
    private Raw.Num procNumber(String what) throws LitmusException {
        Token t = peek();
        if (t.kind() != Kind.WORD || !DIGITS.matcher(t.text()).matches()) throw err(t, what);
        next();
        return new Raw.Num(index(t, t.text()), t.pos());
    }

    private static int index(Token t, String digits) throws LitmusException {
        String d = digits.replaceFirst("^0+(?=.)", "");
        if (d.length() > 4 || Integer.parseInt(d) > MAX_INDEX) {
            throw new LitmusException(t.pos(), "process number in " + Lexer.quote(t.text())
                    + " is too large (at most " + MAX_INDEX + ")");
        }
        return Integer.parseInt(d);
    }

    // ---- test

    private Raw.Test parseTest() throws LitmusException {
        Token mm = peek();
        if (!mm.isWord("MM")) throw err(mm, "'MM' at the start of the test");
        next();
        Token name = peek();
        if (name.kind() != Kind.WORD) throw err(name, "a test name after 'MM'");
        next();
        String description = null;
        if (peek().kind() == Kind.STRING) description = next().text();
        Token open = punct("{", "to open the declarations");

        List<Ast.AnonDecl> anons = new ArrayList<>();
        Map<String, Pos> anonPos = new HashMap<>();
        Ast.SwapDecl swap = null;
        Set<Ast.Background> background = EnumSet.noneOf(Ast.Background.class);
        Pos kernelPos = null;
        Ast.Interleave interleave = null;
        Pos interleavePos = null;
        while (!peek().isPunct("}")) {
            Token t = peek();
            if (t.isWord("anon")) {
                next();
                Raw.Name n = ident("a page name after 'anon'");
                Pos first = anonPos.putIfAbsent(n.text(), n.pos());
                if (first != null) {
                    throw new LitmusException(n.pos(), "duplicate page '" + n.text() + "' (first declared at line "
                            + first.line() + ")");
                }
                Integer init = null;
                if (peek().isPunct("=")) {
                    next();
                    init = value().value();
                }
                punct(";", "after the declaration of '" + n.text() + "'");
                anons.add(new Ast.AnonDecl(n.text(), init, t.pos()));
            } else if (t.isWord("swap")) {
                if (swap != null) {
                    throw new LitmusException(t.pos(), "second swap declaration (the first is at line "
                            + swap.pos().line() + ")");
                }
                next();
                swap = parseSwap(t);
            } else if (t.isWord("kernel")) {
                if (kernelPos != null) {
                    throw new LitmusException(t.pos(), "second kernel declaration (the first is at line "
                            + kernelPos.line() + ")");
                }
                kernelPos = t.pos();
                next();
                parseBackground(background);
            } else if (t.isWord("interleave")) {
                if (interleavePos != null) {
                    throw new LitmusException(t.pos(), "second interleave declaration (the first is at line "
                            + interleavePos.line() + ")");
                }
                interleavePos = t.pos();
                next();
                Token g = next();
                if (g.isWord("atomic")) interleave = Ast.Interleave.ATOMIC;
                else if (g.isWord("ptlock")) interleave = Ast.Interleave.PTLOCK;
                else throw err(g, "atomic or ptlock after 'interleave'");
                punct(";", "after the interleave declaration");
            } else {
                throw err(t, "a declaration (anon, swap, kernel or interleave) or '}'");
            }
        }
        next();
        if (swap == null) swap = Ast.SwapDecl.defaultDevice(open.pos());

        List<Raw.Block> blocks = new ArrayList<>();
        while (peek().kind() == Kind.WORD && BLOCK.matcher(peek().text()).matches()) {
            blocks.add(parseBlock());
        }

        Raw.Condition condition = null;
        if (peek().isPunct("~") || peek().isWord("exists") || peek().isWord("forall")) {
            condition = parseCondition();
        } else if (!peek().isWord("expect") && peek().kind() != Kind.EOF) {
            throw err(peek(), "a block (P0 { ... }), a condition (exists, ~exists, forall), 'expect' or end of file");
        }

        List<Raw.Expect> expects = new ArrayList<>();
        while (peek().isWord("expect")) expects.add(parseExpect());
        if (peek().kind() != Kind.EOF) {
            throw err(peek(), condition != null && expects.isEmpty()
                    ? "'expect' or end of file after the condition" : "'expect' or end of file");
        }
        return new Raw.Test(name.text(), description, List.copyOf(anons), swap, background, List.copyOf(blocks),
                condition, List.copyOf(expects), mm.pos(), interleave == null ? Ast.Interleave.ATOMIC : interleave);
    }

    private Ast.SwapDecl parseSwap(Token kw) throws LitmusException {
        if (peek().isPunct(";")) {
            next();
            return new Ast.SwapDecl(true, false, false, kw.pos());
        }
        boolean none = false;
        boolean stable = false;
        boolean sync = false;
        while (true) {
            Token t = peek();
            boolean dup;
            if (t.isWord("none")) {
                dup = none;
                none = true;
            } else if (t.isWord("stable_writes")) {
                dup = stable;
                stable = true;
            } else if (t.isWord("sync_io")) {
                dup = sync;
                sync = true;
            } else {
                throw err(t, "a swap flag (stable_writes, sync_io) or none");
            }
            if (dup) throw new LitmusException(t.pos(), "swap flag '" + t.text() + "' given twice");
            if (none && (stable || sync)) {
                throw new LitmusException(t.pos(), "'swap none' cannot be combined with swap flags");
            }
            next();
            if (peek().isPunct(",")) {
                next();
                continue;
            }
            punct(";", "after the swap declaration");
            return new Ast.SwapDecl(!none, stable, sync, kw.pos());
        }
    }

    private void parseBackground(Set<Ast.Background> out) throws LitmusException {
        while (true) {
            Token t = peek();
            Ast.Background b;
            switch (t.kind() == Kind.WORD ? t.text() : "") {
                case "reclaim" -> b = Ast.Background.RECLAIM;
                case "ksm" -> b = Ast.Background.KSM;
                case "swapoff" -> b = Ast.Background.SWAPOFF;
                case "readahead" -> b = Ast.Background.READAHEAD;
                default -> throw err(t, "a kernel activity (reclaim, ksm, swapoff, readahead)");
            }
            if (!out.add(b)) throw new LitmusException(t.pos(), "kernel activity '" + t.text() + "' given twice");
            next();
            if (peek().isPunct(",")) {
                next();
                continue;
            }
            punct(";", "after the kernel declaration");
            return;
        }
    }

    // ---- blocks and statements

    private Raw.Block parseBlock() throws LitmusException {
        Token head = next();
        Ast.BlockKind kind = head.text().charAt(0) == 'P' ? Ast.BlockKind.PROCESS : Ast.BlockKind.KERNEL;
        int index = index(head, head.text().substring(1));
        punct("{", "after " + head.text());
        List<Raw.Stmt> body = new ArrayList<>();
        while (!peek().isPunct("}")) {
            if (peek().kind() == Kind.EOF) throw err(peek(), "a statement or '}' to close " + head.text());
            body.add(parseStmt());
        }
        next();
        return new Raw.Block(kind, index, List.copyOf(body), head.pos());
    }

    private Raw.Stmt parseStmt() throws LitmusException {
        Token t = peek();
        Raw.Stmt s;
        if (t.isPunct("*")) {
            next();
            Raw.Name target = ident("a page or reference name after '*'");
            punct("=", "after '*" + target.text() + "'");
            s = new Raw.Stmt(Raw.Op.STORE, t.pos(), null, target, value(), null, null, null);
        } else if (t.kind() == Kind.WORD && peek(1).isPunct("=")) {
            Raw.Name lhs = ident("a register or reference name");
            next();
            Token rhs = peek();
            if (rhs.isPunct("*")) {
                next();
                Raw.Name target = ident("a page or reference name after '*'");
                s = new Raw.Stmt(Raw.Op.LOAD, t.pos(), lhs, target, null, null, null, null);
            } else if ((rhs.isWord("get") || rhs.isWord("pin")) && peek(1).isPunct("(")) {
                next();
                next();
                Raw.Name page = ident("a page name after '" + rhs.text() + "('");
                Set<Ast.GupFlag> flags = EnumSet.noneOf(Ast.GupFlag.class);
                if (peek().isPunct(",")) {
                    next();
                    flags = gupFlags();
                }
                punct(")", "after the arguments of " + rhs.text());
                s = new Raw.Stmt(rhs.text().equals("get") ? Raw.Op.GET : Raw.Op.PIN, t.pos(), lhs, page, null,
                        null, null, flags);
            } else {
                throw err(rhs, "'*' (load), 'get(' or 'pin(' after '" + lhs.text() + " ='");
            }
        } else if (t.kind() == Kind.WORD) {
            s = parseCall(t);
        } else {
            throw err(t, "a statement or '}'");
        }
        punct(";", "after statement");
        return s;
    }

    /** Statements of the form {@code name(args)}, the semicolon excluded. */
    private Raw.Stmt parseCall(Token t) throws LitmusException {
        String kw = t.text();
        Raw.Op op;
        switch (kw) {
            case "fork" -> op = Raw.Op.FORK;
            case "clone" -> op = Raw.Op.CLONE;
            case "wait" -> op = Raw.Op.WAIT;
            case "exit" -> op = Raw.Op.EXIT;
            case "swapoff" -> op = Raw.Op.SWAPOFF;
            case "ksm_scan" -> op = Raw.Op.KSM_SCAN;
            case "munmap" -> op = Raw.Op.MUNMAP;
            case "put" -> op = Raw.Op.PUT;
            case "unpin" -> op = Raw.Op.UNPIN;
            case "madvise" -> op = Raw.Op.MADVISE;
            case "mprotect" -> op = Raw.Op.MPROTECT;
            case "reclaim" -> op = Raw.Op.RECLAIM;
            case "readahead" -> op = Raw.Op.READAHEAD;
            default -> throw err(t, "a statement or '}'");
        }
        next();
        punct("(", "after '" + kw + "'");
        Raw.Name target = null;
        Raw.Num num = null;
        Ast.Advice advice = null;
        Ast.Prot prot = null;
        switch (op) {
            case FORK, CLONE, WAIT -> {
                Token c = peek();
                if (c.kind() != Kind.WORD || !c.text().startsWith("P") || !DIGITS.matcher(c.text().substring(1)).matches()) {
                    throw err(c, "a process block name like P1 in " + kw + "()");
                }
                next();
                num = new Raw.Num(index(c, c.text().substring(1)), c.pos());
            }
            case EXIT, SWAPOFF, KSM_SCAN -> { }
            case MUNMAP, MADVISE, MPROTECT -> target = ident("a page name in " + kw + "()");
            case PUT, UNPIN -> target = ident("a reference name in " + kw + "()");
            case RECLAIM, READAHEAD -> {
                num = procNumber("a process number (as in " + kw + "(0:x)) in " + kw + "()");
                punct(":", "after the process number in " + kw + "()");
                target = ident("a page name after ':' in " + kw + "()");
            }
            default -> throw new IllegalStateException(op.toString());
        }
        if (op == Raw.Op.MADVISE) {
            punct(",", "after the page in madvise()");
            Token a = peek();
            advice = null;
            for (Ast.Advice v : Ast.Advice.values()) if (a.isWord(v.name())) advice = v;
            if (advice == null) throw err(a, "an advice (MADV_DONTNEED, MADV_PAGEOUT, ...)");
            next();
        } else if (op == Raw.Op.MPROTECT) {
            punct(",", "after the page in mprotect()");
            prot = prot();
        }
        punct(")", "to close " + kw + "(");
        return new Raw.Stmt(op, t.pos(), null, target, num, advice, prot, null);
    }

    /** PROT_NONE, PROT_READ, or PROT_READ and PROT_WRITE joined by '|' in either order. */
    private Ast.Prot prot() throws LitmusException {
        Token first = peek();
        String expected = "a protection (PROT_NONE, PROT_READ, PROT_READ|PROT_WRITE)";
        boolean read = false;
        boolean write = false;
        boolean none = false;
        while (true) {
            Token t = peek();
            if (t.isWord("PROT_READ") && !read) read = true;
            else if (t.isWord("PROT_WRITE") && !write) write = true;
            else if (t.isWord("PROT_NONE") && !none) none = true;
            else throw err(t, expected);
            next();
            if (!peek().isPunct("|")) break;
            next();
        }
        if (none && !read && !write) return Ast.Prot.PROT_NONE;
        if (read && !write && !none) return Ast.Prot.PROT_READ;
        if (read && write && !none) return Ast.Prot.PROT_READ_WRITE;
        throw new LitmusException(first.pos(), "unsupported protection: expected PROT_NONE, PROT_READ or PROT_READ|PROT_WRITE");
    }

    private Set<Ast.GupFlag> gupFlags() throws LitmusException {
        Set<Ast.GupFlag> flags = EnumSet.noneOf(Ast.GupFlag.class);
        while (true) {
            Token t = peek();
            Ast.GupFlag f = null;
            for (Ast.GupFlag v : Ast.GupFlag.values()) if (t.isWord(v.name())) f = v;
            if (f == null) throw err(t, "a GUP flag (FOLL_WRITE, FOLL_LONGTERM, FOLL_FAST, FOLL_FORCE)");
            if (!flags.add(f)) throw new LitmusException(t.pos(), "GUP flag " + f.name() + " given twice");
            next();
            if (!peek().isPunct("|")) return flags;
            next();
        }
    }

    // ---- condition

    /** A condition subtree with its height, so the depth limit also covers long '/\' chains. */
    private record Sub(Raw.Expr e, int depth) {}

    private Raw.Condition parseCondition() throws LitmusException {
        Token q = next();
        Ast.Quantifier quant;
        String kw;
        if (q.isPunct("~")) {
            if (!peek().isWord("exists")) throw err(peek(), "'exists' after '~'");
            next();
            quant = Ast.Quantifier.NOT_EXISTS;
            kw = "~exists";
        } else {
            quant = q.isWord("exists") ? Ast.Quantifier.EXISTS : Ast.Quantifier.FORALL;
            kw = q.text();
        }
        if (!peek().isPunct("(")) throw err(peek(), "'(' after '" + kw + "'");
        int from = p;
        Raw.Expr e = parseOr(0).e();
        StringBuilder text = new StringBuilder();
        for (int k = from; k < p; k++) {
            Token t = toks.get(k);
            if (k > from && t.start() > toks.get(k - 1).end()) text.append(' ');
            text.append(t.text());
        }
        return new Raw.Condition(quant, e, text.toString(), q.pos());
    }

    private Sub parseOr(int nest) throws LitmusException {
        Sub left = parseAnd(nest);
        while (peek().isPunct("\\/")) {
            Token op = next();
            Sub right = parseAnd(nest);
            left = combine(op, new Raw.Or(left.e(), right.e()), left, right);
        }
        return left;
    }

    private Sub parseAnd(int nest) throws LitmusException {
        Sub left = parseUnary(nest);
        while (peek().isPunct("/\\")) {
            Token op = next();
            Sub right = parseUnary(nest);
            left = combine(op, new Raw.And(left.e(), right.e()), left, right);
        }
        return left;
    }

    private static Sub combine(Token op, Raw.Expr e, Sub l, Sub r) throws LitmusException {
        return checked(op, e, Math.max(l.depth(), r.depth()) + 1);
    }

    private static Sub checked(Token at, Raw.Expr e, int depth) throws LitmusException {
        if (depth > MAX_CONDITION_DEPTH) {
            throw new LitmusException(at.pos(), "condition is nested too deeply (more than "
                    + MAX_CONDITION_DEPTH + " levels)");
        }
        return new Sub(e, depth);
    }

    /** {@code nest} counts open '(' and '~' so the recursion itself is bounded, not just the tree. */
    private Sub parseUnary(int nest) throws LitmusException {
        Token t = peek();
        if (nest > MAX_CONDITION_DEPTH) {
            throw new LitmusException(t.pos(), "condition is nested too deeply (more than "
                    + MAX_CONDITION_DEPTH + " levels)");
        }
        if (t.isPunct("~")) {
            next();
            Sub inner = parseUnary(nest + 1);
            return checked(t, new Raw.Not(inner.e()), inner.depth() + 1);
        }
        if (t.isPunct("(")) {
            next();
            Sub inner = parseOr(nest + 1);
            punct(")", "to close the '(' at line " + t.pos().line() + ", column " + t.pos().col());
            return inner;
        }
        return new Sub(parseAtom(), 1);
    }

    private Raw.Atom parseAtom() throws LitmusException {
        Token t = peek();
        String expected = "a condition atom (N:rK=V, N:x=V or g=V), '(' or '~'";
        if (t.kind() != Kind.WORD) throw err(t, expected);
        Raw.Num proc = null;
        if (DIGITS.matcher(t.text()).matches()) {
            proc = procNumber(expected);
            punct(":", "after the process number " + proc.value());
            Raw.Name name = ident("a register or page name after '" + proc.value() + ":'");
            punct("=", "after '" + proc.value() + ":" + name.text() + "'");
            return new Raw.Atom(proc, name, atomValue(), t.pos());
        }
        Raw.Name name = ident(expected);
        punct("=", "after '" + name.text() + "'");
        return new Raw.Atom(null, name, atomValue(), t.pos());
    }

    /** A condition's value: 0..255, or {@code -} for nothing to read ({@link Ast#NOTHING}). */
    private Raw.Num atomValue() throws LitmusException {
        Token t = peek();
        if (t.isWord("-")) {
            next();
            return new Raw.Num(Ast.NOTHING, t.pos());
        }
        if (t.kind() != Kind.WORD || !DIGITS.matcher(t.text()).matches()) throw err(t, "a value 0..255 or '-'");
        return value();
    }

    // ---- expectations

    /** Words that end a variant list, so "expect 5.7, Never" reports the dangling comma. */
    private static boolean isExpectKeyword(Token t) {
        for (Ast.Observation o : Ast.Observation.values()) if (t.isWord(o.name())) return true;
        return t.isWord("flag") || t.isWord("expect");
    }

    private Raw.Expect parseExpect() throws LitmusException {
        Token kw = next();
        boolean star = false;
        List<Raw.Name> variants = new ArrayList<>();
        if (peek().isPunct("*")) {
            next();
            star = true;
        } else {
            while (true) {
                Token v = peek();
                if (v.kind() != Kind.WORD || isExpectKeyword(v)) {
                    throw err(v, variants.isEmpty() ? "a variant name or '*' after 'expect'" : "a variant name after ','");
                }
                next();
                variants.add(new Raw.Name(v.text(), v.pos()));
                if (!peek().isPunct(",")) break;
                next();
            }
        }
        Ast.Observation obs = null;
        Pos obsPos = null;
        for (Ast.Observation o : Ast.Observation.values()) if (peek().isWord(o.name())) obs = o;
        if (obs != null) obsPos = next().pos();
        List<Raw.Name> flags = new ArrayList<>();
        while (peek().isWord("flag")) {
            next();
            int before = flags.size();
            while (peek().kind() == Kind.WORD && !peek().isWord("expect") && !peek().isWord("flag")) {
                Token f = next();
                flags.add(new Raw.Name(f.text(), f.pos()));
            }
            if (flags.size() == before) throw err(peek(), "a flag name after 'flag'");
        }
        if (!peek().isWord("expect") && peek().kind() != Kind.EOF) {
            String what = !flags.isEmpty() ? "a flag name, 'expect' or end of file"
                    : obs != null ? "'flag', 'expect' or end of file"
                    : star ? "an observation (Never, Sometimes, Always), 'flag', 'expect' or end of file"
                    : "',', an observation (Never, Sometimes, Always), 'flag', 'expect' or end of file";
            throw err(peek(), what);
        }
        return new Raw.Expect(star, List.copyOf(variants), obs, obsPos, List.copyOf(flags), kw.pos());
    }
}
