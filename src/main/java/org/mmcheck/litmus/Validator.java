package org.mmcheck.litmus;

import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.function.Function;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import org.mmcheck.model.EncodingLimits;

/**
 * Resolves names in a {@link Raw.Test} and checks everything the grammar alone cannot: blocks,
 * fork tree, page/reference/register names, condition atoms and expect lines. Produces the
 * {@link Ast} consumers rely on ("every name is resolved").
 */
final class Validator {

    private static final Pattern REGISTER_LIKE = Pattern.compile("r[0-9]+");

    private final Raw.Test t;
    private final List<String> knownVariants;
    /** A name or a kernel version to the variant name it selects, or null. */
    private final Function<String, String> resolveVariant;
    private final List<String> knownFlags;

    private final Set<String> pages = new HashSet<>();
    private final Map<Integer, Raw.Block> procs = new HashMap<>();
    private final Map<Integer, Raw.Block> kthreads = new HashMap<>();
    /** Reference name -> the first get/pin statement assigning it. */
    private final Map<String, Raw.Stmt> refs = new HashMap<>();
    private final Set<String> writableRefs = new HashSet<>();
    /** Process index -> registers loaded in that block. */
    private final Map<Integer, Set<String>> registers = new HashMap<>();
    /** Child index -> parent index, and the fork or clone statement that started it. */
    private final Map<Integer, Integer> parent = new HashMap<>();
    private final Map<Integer, Raw.Stmt> forkOf = new HashMap<>();

    Validator(Raw.Test t, List<String> knownVariants, Function<String, String> resolveVariant,
              List<String> knownFlags) {
        this.t = t;
        this.knownVariants = knownVariants;
        this.resolveVariant = resolveVariant;
        this.knownFlags = knownFlags;
    }

    private static LitmusException err(Pos pos, String msg) {
        return new LitmusException(pos, msg);
    }

    Ast.Test run() throws LitmusException {
        for (Ast.AnonDecl a : t.anons()) pages.add(a.name());
        checkBlocks();
        collectNames();
        List<Ast.Block> blocks = new ArrayList<>();
        for (Raw.Block b : t.blocks()) blocks.add(resolveBlock(b));
        checkForkTree();
        checkSize();
        Ast.Condition cond = null;
        if (t.condition() != null) {
            Raw.Condition c = t.condition();
            cond = new Ast.Condition(c.quantifier(), resolve(c.expr()), c.text(), c.pos());
        }
        List<Ast.Expect> expects = checkExpects();
        Set<Ast.Background> background = EnumSet.noneOf(Ast.Background.class);
        background.addAll(t.background());
        return new Ast.Test(t.name(), t.description(), t.anons(), t.swap(), Collections.unmodifiableSet(background),
                List.copyOf(blocks), cond, expects, t.pos(), t.interleave());
    }

    // ---- blocks

    private void checkBlocks() throws LitmusException {
        for (Raw.Block b : t.blocks()) {
            Map<Integer, Raw.Block> m = b.kind() == Ast.BlockKind.PROCESS ? procs : kthreads;
            Raw.Block first = m.putIfAbsent(b.index(), b);
            if (first != null) {
                throw err(b.pos(), "duplicate block " + b.label() + " (first at line " + first.pos().line() + ")");
            }
        }
        if (!procs.containsKey(0)) throw err(t.pos(), "the test has no P0 block (the initial process)");
        // Statement kind first: a misplaced statement is the clearest thing to report about it.
        for (Raw.Block b : t.blocks()) {
            for (Raw.Stmt s : b.body()) {
                if (b.kind() == Ast.BlockKind.PROCESS && s.op().isKernel()) {
                    throw err(s.pos(), "kernel statement '" + text(s) + "' is only allowed in K blocks, not in "
                            + b.label());
                }
                if (b.kind() == Ast.BlockKind.KERNEL && !s.op().isKernel()) {
                    throw err(s.pos(), "process statement '" + text(s) + "' is not allowed in kernel thread "
                            + b.label());
                }
            }
        }
    }

    /** References are global to the test, so they are collected before any statement is resolved. */
    private void collectNames() throws LitmusException {
        for (Raw.Block b : t.blocks()) {
            for (Raw.Stmt s : b.body()) {
                if (s.op() != Raw.Op.GET && s.op() != Raw.Op.PIN) continue;
                Raw.Name ref = s.lhs();
                if (pages.contains(ref.text())) {
                    throw err(ref.pos(), "'" + ref.text() + "' is a page and cannot also name a reference");
                }
                Raw.Stmt first = refs.putIfAbsent(ref.text(), s);
                if (first != null && first.op() != s.op()) {
                    throw err(ref.pos(), "reference '" + ref.text() + "' is taken by both get and pin (first by "
                            + opName(first.op()) + " at line " + first.pos().line() + ")");
                }
                if (s.flags().contains(Ast.GupFlag.FOLL_WRITE)) writableRefs.add(ref.text());
            }
        }
        for (Raw.Block b : t.blocks()) {
            for (Raw.Stmt s : b.body()) {
                if (s.op() != Raw.Op.LOAD) continue;
                Raw.Name reg = s.lhs();
                if (pages.contains(reg.text())) {
                    throw err(reg.pos(), "register '" + reg.text() + "' has the name of a page");
                }
                if (refs.containsKey(reg.text())) {
                    throw err(reg.pos(), "register '" + reg.text() + "' has the name of a reference");
                }
                registers.computeIfAbsent(b.index(), k -> new HashSet<>()).add(reg.text());
            }
        }
    }

    /** Enum order, so consumers iterate flags the way text() prints them. */
    private static Set<Ast.GupFlag> flagSet(Set<Ast.GupFlag> flags) {
        Set<Ast.GupFlag> s = EnumSet.noneOf(Ast.GupFlag.class);
        s.addAll(flags);
        return Collections.unmodifiableSet(s);
    }

    private static String opName(Raw.Op op) {
        return op == Raw.Op.GET ? "get" : "pin";
    }

    // ---- statements

    private Ast.Block resolveBlock(Raw.Block b) throws LitmusException {
        List<Ast.Stmt> body = new ArrayList<>();
        Set<Integer> forkedHere = new HashSet<>();
        for (Raw.Stmt s : b.body()) {
            String text = text(s);
            Pos pos = s.pos();
            Ast.Stmt r;
            switch (s.op()) {
                case STORE -> {
                    String n = s.target().text();
                    if (pages.contains(n)) {
                        r = new Ast.StorePage(n, s.num().value(), pos, text);
                    } else if (refs.containsKey(n)) {
                        if (!writableRefs.contains(n)) {
                            throw err(s.target().pos(), "'" + text + "' writes through reference '" + n
                                    + "', which is never taken with FOLL_WRITE");
                        }
                        r = new Ast.StoreRef(n, s.num().value(), pos, text);
                    } else {
                        throw unknownPageOrRef(s.target());
                    }
                }
                case LOAD -> {
                    String n = s.target().text();
                    if (pages.contains(n)) r = new Ast.LoadPage(s.lhs().text(), n, pos, text);
                    else if (refs.containsKey(n)) r = new Ast.LoadRef(s.lhs().text(), n, pos, text);
                    else throw unknownPageOrRef(s.target());
                }
                case GET -> r = new Ast.Get(s.lhs().text(), page(s.target()), flagSet(s.flags()), pos, text);
                case PIN -> r = new Ast.Pin(s.lhs().text(), page(s.target()), flagSet(s.flags()), pos, text);
                case PUT -> r = new Ast.Put(ref(s.target(), Raw.Op.GET, "put"), pos, text);
                case UNPIN -> r = new Ast.Unpin(ref(s.target(), Raw.Op.PIN, "unpin"), pos, text);
                case MUNMAP -> r = new Ast.Munmap(page(s.target()), pos, text);
                case MADVISE -> r = new Ast.Madvise(page(s.target()), s.advice(), pos, text);
                case MPROTECT -> r = new Ast.Mprotect(page(s.target()), s.prot(), pos, text);
                case EXIT -> r = new Ast.Exit(pos, text);
                case FORK -> {
                    int child = s.num().value();
                    checkFork(b, s, child);
                    forkedHere.add(child);
                    r = new Ast.Fork(child, pos, text);
                }
                case CLONE -> {
                    int child = s.num().value();
                    checkFork(b, s, child);
                    forkedHere.add(child);
                    r = new Ast.Clone(child, pos, text);
                }
                case WAIT -> {
                    int child = s.num().value();
                    if (!forkedHere.contains(child)) {
                        throw err(s.num().pos(), b.label() + " cannot wait for P" + child + ": there is no fork(P"
                                + child + ") or clone(P" + child + ") earlier in " + b.label());
                    }
                    r = new Ast.Wait(child, pos, text);
                }
                case RECLAIM -> r = new Ast.Reclaim(process(s.num()), page(s.target()), pos, text);
                case READAHEAD -> r = new Ast.Readahead(process(s.num()), page(s.target()), pos, text);
                case SWAPOFF -> r = new Ast.Swapoff(pos, text);
                case KSM_SCAN -> r = new Ast.KsmScan(pos, text);
                default -> throw new IllegalStateException(s.op().toString());
            }
            body.add(r);
        }
        return new Ast.Block(b.kind(), b.index(), List.copyOf(body), b.pos());
    }

    /**
     * fork(Pn) and clone(Pn) start a block under the same rules: an existing block other than P0 and the
     * caller, started by one statement only (so a block is a process or a thread, never both).
     */
    private void checkFork(Raw.Block b, Raw.Stmt s, int child) throws LitmusException {
        Pos at = s.num().pos();
        String verb = s.op() == Raw.Op.CLONE ? "clone" : "fork";
        String done = verb.equals("clone") ? "cloned" : "forked";
        if (child == 0) throw err(at, "P0 is the initial process and cannot be " + done);
        if (!procs.containsKey(child)) throw err(at, verb + " of P" + child + ", but there is no block P" + child);
        if (child == b.index()) throw err(at, "P" + child + " cannot " + verb + " itself");
        Raw.Stmt first = forkOf.putIfAbsent(child, s);
        if (first != null && first.op() != s.op()) {
            String firstVerb = first.op() == Raw.Op.CLONE ? "clone" : "fork";
            throw err(at, "P" + child + " is already started by " + firstVerb + "(P" + child + ") at line "
                    + first.pos().line()
                    + " (a block is started either by fork or by clone, never both)");
        }
        if (first != null) {
            throw err(at, "P" + child + " is already " + done + " at line " + first.pos().line()
                    + (verb.equals("fork") ? " (each process is forked at most once)"
                    : " (each thread is cloned at most once)"));
        }
        parent.put(child, b.index());
    }

    /** Every non-initial block must be forked or cloned, by a chain of such starts from P0. */
    private void checkForkTree() throws LitmusException {
        for (Raw.Block b : t.blocks()) {
            for (Raw.Stmt s : b.body()) {
                if (s.op() != Raw.Op.FORK && s.op() != Raw.Op.CLONE) continue;
                String verb = s.op() == Raw.Op.CLONE ? "clone" : "fork";
                int child = s.num().value();
                Integer x = b.index();
                for (int steps = 0; x != null && steps <= procs.size(); steps++) {
                    if (x == child) {
                        throw err(s.num().pos(), "P" + b.index() + " cannot " + verb + " P" + child
                                + ": P" + child + " is its ancestor (" + verb + "s would form a cycle)");
                    }
                    x = parent.get(x);
                }
            }
        }
        for (Raw.Block b : t.blocks()) {
            if (b.kind() == Ast.BlockKind.PROCESS && b.index() != 0 && !parent.containsKey(b.index())) {
                throw err(b.pos(), b.label() + " is never forked or cloned");
            }
        }
    }

    /**
     * The test must fit the packed fields of the state encoding (model.EncodingLimits): every state it can
     * reach is encoded, and a field too wide would stop the search. Counted from the text, conservatively.
     */
    private void checkSize() throws LitmusException {
        int processes = 1;
        int threads = 1;
        int gets = 0;
        int pins = 0;
        for (Raw.Block b : t.blocks()) {
            if (b.body().size() > EncodingLimits.MAX_PC) {
                throw err(b.body().get(EncodingLimits.MAX_PC).pos(), b.label() + " has " + b.body().size()
                        + " statements; a block may have at most " + EncodingLimits.MAX_PC);
            }
            for (Raw.Stmt s : b.body()) {
                if (s.op() == Raw.Op.FORK && ++processes > EncodingLimits.MAX_MAPCOUNT) {
                    throw err(s.pos(), "too many processes: a page can be mapped by at most "
                            + EncodingLimits.MAX_MAPCOUNT + " processes (P0 and the forked blocks)");
                }
                if (s.op() == Raw.Op.CLONE && ++threads > EncodingLimits.MAX_THREADS) {
                    throw err(s.pos(), "too many threads: at most " + EncodingLimits.MAX_THREADS
                            + " blocks may share one address space");
                }
                if (s.op() == Raw.Op.GET && ++gets > EncodingLimits.MAX_GETS) {
                    throw err(s.pos(), "too many get statements: at most " + EncodingLimits.MAX_GETS);
                }
                if (s.op() == Raw.Op.PIN && ++pins > EncodingLimits.MAX_PINS) {
                    throw err(s.pos(), "too many pin statements: at most " + EncodingLimits.MAX_PINS);
                }
            }
        }
        // Each process's PTE of each page, each reference and each block's in-flight path may hold a page
        // of its own; pages are numbered 0..MAX_NUMBERED in the encoding.
        long pages = (long) processes * t.anons().size() + refs.size() + t.blocks().size();
        if (pages > EncodingLimits.MAX_NUMBERED + 1) {
            throw err(t.pos(), "test too large for the state encoding: " + processes + " process(es) x "
                    + t.anons().size() + " page(s) + " + refs.size() + " reference(s) + " + t.blocks().size()
                    + " block(s) may hold " + pages + " pages at once; at most " + (EncodingLimits.MAX_NUMBERED + 1));
        }
    }

    private LitmusException unknownPageOrRef(Raw.Name n) {
        return err(n.pos(), "unknown page or reference '" + n.text() + "'");
    }

    private String page(Raw.Name n) throws LitmusException {
        if (pages.contains(n.text())) return n.text();
        if (refs.containsKey(n.text())) throw err(n.pos(), "expected a page, found reference '" + n.text() + "'");
        throw err(n.pos(), "unknown page '" + n.text() + "'");
    }

    /** put() drops a get reference and unpin() a pin; the other one is an error worth naming. */
    private String ref(Raw.Name n, Raw.Op taker, String call) throws LitmusException {
        Raw.Stmt s = refs.get(n.text());
        if (s == null) {
            if (pages.contains(n.text())) {
                throw err(n.pos(), call + "() needs a reference taken by " + opName(taker) + ", found page '"
                        + n.text() + "'");
            }
            throw err(n.pos(), "unknown reference '" + n.text() + "'");
        }
        if (s.op() != taker) {
            throw err(n.pos(), call + "() needs a reference taken by " + opName(taker) + ", but '" + n.text()
                    + "' is taken by " + opName(s.op()) + (s.op() == Raw.Op.PIN ? " (use unpin)" : " (use put)"));
        }
        return n.text();
    }

    private int process(Raw.Num n) throws LitmusException {
        if (!procs.containsKey(n.value())) throw err(n.pos(), "no process P" + n.value());
        return n.value();
    }

    // ---- condition

    /** Recursion depth is bounded by the parser's nesting limit. */
    private Ast.Expr resolve(Raw.Expr e) throws LitmusException {
        if (e instanceof Raw.And a) return new Ast.And(resolve(a.left()), resolve(a.right()));
        if (e instanceof Raw.Or o) return new Ast.Or(resolve(o.left()), resolve(o.right()));
        if (e instanceof Raw.Not n) return new Ast.Not(resolve(n.inner()));
        Raw.Atom a = (Raw.Atom) e;
        String name = a.name().text();
        int v = a.value().value();
        String shown = v == Ast.NOTHING ? "-" : Integer.toString(v);
        if (a.proc() == null) {
            if (refs.containsKey(name)) return new Ast.RefAtom(name, v, a.pos());
            if (pages.contains(name)) {
                throw err(a.name().pos(), "page '" + name + "' needs a process number, as in 0:" + name + "=" + shown);
            }
            throw err(a.name().pos(), "unknown reference '" + name + "'");
        }
        int proc = process(a.proc());
        if (pages.contains(name)) return new Ast.PageAtom(proc, name, v, a.pos());
        if (registers.getOrDefault(proc, Set.of()).contains(name)) {
            if (v == Ast.NOTHING) {
                throw err(a.value().pos(), "register " + name + " always holds a value; '-' (nothing to read) is for"
                        + " pages and references");
            }
            return new Ast.RegAtom(proc, name, v, a.pos());
        }
        if (refs.containsKey(name)) {
            throw err(a.name().pos(), "'" + name + "' is a reference; write " + name + "=" + shown
                    + " without a process number");
        }
        throw err(a.name().pos(), "P" + proc + " has no register " + name
                + (REGISTER_LIKE.matcher(name).matches() ? "" : " and there is no page " + name));
    }

    // ---- expectations

    private List<Ast.Expect> checkExpects() throws LitmusException {
        List<Ast.Expect> out = new ArrayList<>();
        Map<String, Pos> named = new HashMap<>();
        Pos star = null;
        for (Raw.Expect e : t.expects()) {
            if (e.star()) {
                if (star != null) throw err(e.pos(), "second 'expect *' line (the first is at line " + star.line() + ")");
                star = e.pos();
            }
            List<String> variants = new ArrayList<>();
            for (Raw.Name v : e.variants()) {
                String name = resolveVariant.apply(v.text());
                if (name == null) {
                    throw err(v.pos(), "unknown variant " + Lexer.quote(v.text()) + " (known: "
                            + String.join(", ", knownVariants)
                            + (resolveVariant.apply("6.6") != null ? ", or a kernel version such as 6.6)" : ")"));
                }
                Pos first = named.putIfAbsent(name, v.pos());
                if (first != null) {
                    throw err(v.pos(), "variant " + name + (name.equals(v.text()) ? "" : " (for " + v.text() + ")")
                            + " already has an expect line (line " + first.line() + ")");
                }
                variants.add(name);
            }
            if (e.observation() != null && t.condition() == null) {
                throw err(e.obsPos(), "'" + e.observation().name() + "' needs a condition to observe, and the test"
                        + " has none (without a condition an expect line lists flags only)");
            }
            List<String> flags = new ArrayList<>();
            for (Raw.Name f : e.flags()) {
                if (!knownFlags.contains(f.text())) {
                    throw err(f.pos(), "unknown flag " + Lexer.quote(f.text()) + " (known: "
                            + String.join(", ", knownFlags) + ")");
                }
                if (flags.contains(f.text())) throw err(f.pos(), "flag " + f.text() + " listed twice");
                flags.add(f.text());
            }
            out.add(new Ast.Expect(e.star(), List.copyOf(variants), e.observation(), List.copyOf(flags), e.pos()));
        }
        return List.copyOf(out);
    }

    // ---- canonical text

    /** The canonical source form of a statement, e.g. {@code p = pin(x, FOLL_WRITE|FOLL_LONGTERM);}. */
    static String text(Raw.Stmt s) {
        String target = s.target() == null ? "" : s.target().text();
        return switch (s.op()) {
            case STORE -> "*" + target + " = " + s.num().value() + ";";
            case LOAD -> s.lhs().text() + " = *" + target + ";";
            case GET, PIN -> s.lhs().text() + " = " + opName(s.op()) + "(" + target
                    + (s.flags().isEmpty() ? "" : ", " + s.flags().stream().map(Enum::name)
                    .collect(Collectors.joining("|"))) + ");";
            case FORK -> "fork(P" + s.num().value() + ");";
            case CLONE -> "clone(P" + s.num().value() + ");";
            case WAIT -> "wait(P" + s.num().value() + ");";
            case EXIT -> "exit();";
            case SWAPOFF -> "swapoff();";
            case KSM_SCAN -> "ksm_scan();";
            case MUNMAP -> "munmap(" + target + ");";
            case PUT -> "put(" + target + ");";
            case UNPIN -> "unpin(" + target + ");";
            case MADVISE -> "madvise(" + target + ", " + s.advice().name() + ");";
            case MPROTECT -> "mprotect(" + target + ", "
                    + (s.prot() == Ast.Prot.PROT_READ_WRITE ? "PROT_READ|PROT_WRITE" : s.prot().name()) + ");";
            case RECLAIM -> "reclaim(" + s.num().value() + ":" + target + ");";
            case READAHEAD -> "readahead(" + s.num().value() + ":" + target + ");";
        };
    }
}
