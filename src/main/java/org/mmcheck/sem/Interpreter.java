package org.mmcheck.sem;

import java.util.Set;
import org.mmcheck.check.Entitlements;
import org.mmcheck.kernel.FlagSink;
import org.mmcheck.kernel.Gup;
import org.mmcheck.kernel.GupStaged;
import org.mmcheck.kernel.WouldBlock;
import org.mmcheck.kernel.Kernel;
import org.mmcheck.kernel.Memory;
import org.mmcheck.kernel.MemoryStaged;
import org.mmcheck.litmus.Ast;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.Pte;

/**
 * Runs one litmus statement as the system calls and memory accesses it stands for, through the kernel
 * paths, and keeps the entitlement bookkeeping in step with what the user did.
 */
final class Interpreter {
    private final Program prog;
    private final Kernel k;
    private final FlagSink sink;

    /** Another actor's fork holds the mmap_lock: only lockless statements may run (see {@link #lockless}). */
    boolean locklessOnly;

    Interpreter(Program prog, Kernel k, FlagSink sink) {
        this.prog = prog;
        this.k = k;
        this.sink = sink;
    }

    /**
     * Process or thread p executes st, or one stage of it under {@code interleave ptlock}. Registers,
     * pc, status and a path in flight are p's own; everything the kernel paths touch (page tables, VMAs,
     * MMF_HAS_PINNED, entitlement, the owner of a GUP reference) is the mm's, so p is resolved to its mm
     * here, once, and the paths only ever see an mm index.
     *
     * @return true when the statement is complete, false when a kernel path it started is in flight
     */
    boolean process(int p, Ast.Stmt st) {
        int mm = k.s.mmOf(p);
        if (locklessOnly && !lockless(st)) throw new WouldBlock("fork holds the mmap_lock");
        if (st instanceof Ast.StorePage s) return store(p, mm, prog.page(s.page()), s.value());
        if (st instanceof Ast.LoadPage l) return load(p, mm, prog.reg(p, l.reg()), prog.page(l.page()));
        if (st instanceof Ast.Fork f) return fork(p, mm, f.child());
        if (st instanceof Ast.Get g) return gup(p, mm, g.ref(), g.page(), false, g.flags());
        if (st instanceof Ast.Pin pn) return gup(p, mm, pn.ref(), pn.page(), true, pn.flags());
        if (st instanceof Ast.Clone c) clone(mm, c.child());
        else if (st instanceof Ast.Exit) exit(p, "exit()");
        else if (st instanceof Ast.Wait w) k.log("wait: P%d has finished", w.child());
        else if (st instanceof Ast.Munmap m) munmap(mm, prog.page(m.page()));
        else if (st instanceof Ast.Madvise m) madvise(mm, prog.page(m.page()), m.advice());
        else if (st instanceof Ast.Mprotect m) mprotect(mm, prog.page(m.page()), m.prot());
        else if (st instanceof Ast.Put pt) release(pt.ref());
        else if (st instanceof Ast.Unpin u) release(u.ref());
        else if (st instanceof Ast.LoadRef l) loadRef(p, prog.reg(p, l.reg()), l.ref());
        else if (st instanceof Ast.StoreRef sr) storeRef(sr.ref(), sr.value());
        else throw new IllegalStateException("statement not supported: " + st.text());
        return true;
    }

    /**
     * Faults until p may access its mm's page x: the whole fault in this step, or under ptlock up to the
     * next point where a kernel path drops a lock.
     *
     * @return false when the access cannot proceed in this step (p died, or a path is in flight)
     */
    private boolean faultIn(int p, int mm, int x, boolean write) {
        if (locklessOnly && !k.memory.accessAllowed(mm, x, write)) {
            throw new WouldBlock("a fault needs the mmap_lock, which fork holds");
        }
        MemoryStaged.Access a = prog.ptlock()
                ? k.staged.handleMmFault(p, mm, x, write)
                : k.memory.handleMmFault(mm, x, write, false) == Memory.Fault.SIGSEGV
                        ? MemoryStaged.Access.SIGSEGV : MemoryStaged.Access.DONE;
        if (a == MemoryStaged.Access.SIGSEGV) kill(p);
        return a == MemoryStaged.Access.DONE;
    }

    /**
     * A GUP call by actor a on its mm's page: whole, or under ptlock GUP-fast one stage per step.
     *
     * @return false while GUP-fast is in flight
     */
    private boolean gup(int a, int mm, String name, String pageName, boolean pin, Set<Ast.GupFlag> flags) {
        int ref = prog.ref(name);
        int x = prog.page(pageName);
        Gup.Request req = new Gup.Request(pin, flags.contains(Ast.GupFlag.FOLL_WRITE),
                flags.contains(Ast.GupFlag.FOLL_LONGTERM), flags.contains(Ast.GupFlag.FOLL_FAST),
                flags.contains(Ast.GupFlag.FOLL_FORCE));
        boolean staged = prog.ptlock() && req.fast() && !req.force();
        if (k.s.inflight[a] == null) {
            GupRef old = k.s.refs[ref];
            if (old.state == GupRef.State.HELD) {
                k.log("%s already holds a reference: dropping it first", name);
                k.gup.release(old);
            }
        }
        GupRef r;
        if (staged) {
            GupStaged.Outcome o = k.gupStaged.step(a, mm, x, req, ref);
            if (o.pending()) return false;
            r = o.ref();
        } else {
            r = k.gup.getUserPages(mm, x, req);
        }
        if (r == null) {
            k.log("%s stays unset", name);
            k.s.refs[ref] = new GupRef();
            return true;
        }
        k.s.refs[ref] = r;
        Entitlements.onRefTaken(k.s, r);
        return true;
    }

    /**
     * While another actor's fork holds the mmap_lock (interleave ptlock), only what takes no lock can
     * run: user accesses that need no fault, GUP-fast, and device accesses through references.
     */
    private static boolean lockless(Ast.Stmt st) {
        if (st instanceof Ast.StorePage || st instanceof Ast.LoadPage) return true;
        if (st instanceof Ast.LoadRef || st instanceof Ast.StoreRef) return true;
        Set<Ast.GupFlag> flags = st instanceof Ast.Get g ? g.flags() : st instanceof Ast.Pin pn ? pn.flags() : null;
        return flags != null && flags.contains(Ast.GupFlag.FOLL_FAST) && !flags.contains(Ast.GupFlag.FOLL_FORCE);
    }

    /** The reference if it holds a page; null (and a note in the trace) when its use is a no-op. */
    private GupRef held(String name) {
        GupRef r = k.s.refs[prog.ref(name)];
        if (r.state == GupRef.State.HELD) return r;
        k.log("%s holds no page (%s) -> no-op", name, r.state == GupRef.State.UNSET ? "GUP failed or not taken" : "dropped");
        return null;
    }

    private void release(String name) {
        GupRef r = held(name);
        if (r != null) k.gup.release(r);
    }

    private void loadRef(int p, int reg, String name) {
        GupRef r = held(name);
        if (r == null) return;
        int v = k.gup.read(r);
        k.proc(p).regs[reg] = v;
        k.log("read %d through %s (page#%d)", v, name, r.page);
        Entitlements.onRefRead(k.s, r, name, v, sink);
    }

    private void storeRef(String name, int v) {
        GupRef r = held(name);
        if (r == null) return;
        if (r.page == Pte.ZERO_PAGE) {
            k.log("%s maps the zero page: the device write is dropped", name);
            return;
        }
        Page page = k.s.page(r.page);
        k.writePage(page, v, "the device write through " + name);
        k.log("device writes %d into page#%d through %s", v, page.id, name);
        Entitlements.onRefWrite(k.s, r, v);
    }

    /**
     * Kernel thread t executes (part of) st.
     *
     * @return true when the statement is complete, false when it must run again (second half of a reclaim pass)
     */
    boolean kernel(int t, Ast.Stmt st) {
        // reclaim(N:x) and readahead(N:x) name a block; a thread's page is its mm's.
        if (st instanceof Ast.Reclaim r) return reclaim(t, k.s.mmNamedBy(r.proc()), prog.page(r.page()));
        if (st instanceof Ast.KsmScan) k.ksm.ksmDoScan();
        else if (st instanceof Ast.Swapoff) return swapoff();
        else if (st instanceof Ast.Readahead r) readahead(k.s.mmNamedBy(r.proc()), prog.page(r.page()));
        else throw new IllegalStateException("statement not supported: " + st.text());
        return true;
    }

    /**
     * reclaim(N:x): one shrink pass over the page process N maps, or has in the swap cache, at x, in two
     * steps: the page stays locked in the swap cache, still mapped, between them.
     */
    private boolean reclaim(int t, int p, int x) {
        int held = k.s.kReclaim[t];
        if (held >= 0) {
            k.s.kReclaim[t] = -1;
            k.vmscan.shrinkFolioListFinish(k.s.page(held));
            return true;
        }
        Page page = pageAt(p, x);
        if (page == null) {
            k.log("reclaim: no page at P%d:%s -> nothing to do", p, prog.pages.get(x));
            return true;
        }
        if (!k.vmscan.shrinkFolioListBegin(page)) return true;
        k.s.kReclaim[t] = page.id;
        return false;
    }

    /** The page backing process p's page x: mapped, or in the swap cache for its swap entry. */
    private Page pageAt(int p, int x) {
        if (!k.procView(p).hasMm()) return null;
        Pte t = k.pte(p, x);
        if (t.mapsPage()) return k.s.page(t.target());
        if (t.isSwap()) return k.s.swapCachePage(t.target());
        return null;
    }

    /**
     * swapoff, in a K block or as background activity ({@code kernel swapoff;}): the whole of it, or
     * under lock-level interleaving one entry per step.
     *
     * @return true once the device is gone
     */
    boolean swapoff() {
        return prog.ptlock() ? swapoffStep() : swapoffWhole();
    }

    private boolean swapoffWhole() {
        if (!k.s.swap.present()) {
            k.log("swapoff: no swap device -> EINVAL");
            return true;
        }
        k.swapfile.tryToUnuse();
        return true;
    }

    /** swapoff under ptlock: one entry per step; true once the device is gone. */
    private boolean swapoffStep() {
        if (!k.s.swap.present()) {
            k.log("swapoff: no swap device -> EINVAL");
            return true;
        }
        return k.swapfile.tryToUnuseStep();
    }

    private void readahead(int p, int x) {
        if (!k.procView(p).hasMm() || !k.pte(p, x).isSwap()) {
            k.log("readahead: P%d:%s is not a swap entry -> nothing to do", p, prog.pages.get(x));
            return;
        }
        k.swapState.readSwapCacheAsync(k.s.slot(k.pte(p, x).target()));
    }

    /** A store by p into its mm's page x. */
    private boolean store(int p, int mm, int x, int v) {
        if (!faultIn(p, mm, x, true)) return k.s.inflight[p] == null;
        Page page = k.s.page(k.pte(mm, x).target());
        k.writePage(page, v, storeWho(p));
        k.log("store %d into page#%d", v, page.id);
        Entitlements.onStore(k.s, mm, x, v);
        return true;
    }

    /** A load by p from its mm's page x into p's own register. */
    private boolean load(int p, int mm, int reg, int x) {
        if (!faultIn(p, mm, x, false)) return k.s.inflight[p] == null;
        Pte t = k.pte(mm, x);
        int v = t.isZeroPage() ? 0 : k.s.page(t.target()).content;
        k.proc(p).regs[reg] = v;
        k.log("load %d from %s", v, t.isZeroPage() ? "the zero page" : "page#" + t.target());
        Entitlements.onLoad(k.s, p, mm, x, prog.pages.get(x), v, sink);
        return true;
    }

    /**
     * fork by actor a, a thread of mm {@code parent}: the child is a new process with one thread. Under
     * ptlock in two steps when a shared page's parent PTE is writable: between the copy (with the
     * maybe-pinned check) and the write-protect, GUP-fast can still see the writable PTE; 5.11+ keeps
     * write_protect_seq odd meanwhile (57efa1fe5957).
     *
     * @return false when the write-protect is still to come
     */
    private boolean fork(int a, int parent, int child) {
        InFlight f = k.s.inflight[a];
        boolean seq = prog.ptlock() && k.policy.hasWriteProtectSeq();
        if (f != null) {
            k.log("dup_mmap [2/2] (cont.)");
            k.trace.enter();
            k.fork.dupMmapWrprotect(parent, f.forkWrprotect());
            if (seq) {
                k.proc(parent).wpSeq++;
                k.log("write_protect_seq -> %d (even): fork done with the page tables", k.procView(parent).wpSeq);
            }
            k.trace.leave();
            Entitlements.onForkWrprotect(k.s, parent, child, f.forkWrprotect());
            k.s.setInflight(a, null);
            return true;
        }
        Proc cp = k.proc(child);
        cp.status = prog.procBodies.get(child).isEmpty() ? Proc.Status.DONE : Proc.Status.RUNNING;
        cp.pc = 0;
        k.log("fork: P%d created", child);
        k.trace.enter();
        if (seq) {
            k.proc(parent).wpSeq++;
            k.log("write_protect_seq -> %d (odd): GUP-fast backs off", k.procView(parent).wpSeq);
        }
        int deferred = k.fork.dupMmap(parent, child, prog.ptlock());
        if (deferred == 0 && seq) k.proc(parent).wpSeq++;
        k.trace.leave();
        Entitlements.onFork(k.s, parent, child);
        if (deferred == 0) return true;
        k.s.setInflight(a, InFlight.of(InFlight.Path.FORK, 0, Pte.NONE, -1, false, false, false,
                InFlight.forkAux(child, parent, deferred)));
        return false;
    }

    /** clone(CLONE_VM | CLONE_THREAD ...): the child shares mm (its Proc's mm index is fixed at start). */
    private void clone(int mm, int child) {
        Proc cp = k.proc(child);
        cp.status = prog.procBodies.get(child).isEmpty() ? Proc.Status.DONE : Proc.Status.RUNNING;
        cp.pc = 0;
        k.proc(mm).threads++;
        k.log("clone: P%d created, a thread in P%d's mm", child, mm);
    }

    /**
     * Thread or process p ends. The mm is torn down (exit_mmap) only when p was its last user; until
     * then the other threads keep it, even when p is the process that owns it.
     */
    private void exit(int p, String why) {
        int mm = k.s.mmOf(p);
        k.log("%s: P%d exits", why, p);
        Proc owner = k.procView(mm);
        int others = owner.threads - (p == mm ? 0 : 1) + (p != mm && owner.live() ? 1 : 0);
        if (others == 0) {
            k.trace.enter();
            k.mmap.exitMmap(mm);
            k.trace.leave();
            for (int x = 0; x < prog.pages.size(); x++) Entitlements.onUnmap(k.s, mm, x);
        } else {
            k.log("the mm of P%d lives on: %d other thread(s) still use it", mm, others);
        }
        ended(p, mm);
    }

    private void ended(int p, int mm) {
        k.staged.abandon(p);
        k.proc(p).status = Proc.Status.EXITED;
        if (p != mm) k.proc(mm).threads--;
    }

    /**
     * A fault the VMA does not allow: SIGSEGV, whose default action ends the whole thread group, so
     * every other live thread of the mm goes first and then p takes the mm down with it.
     */
    private void kill(int p) {
        int mm = k.s.mmOf(p);
        if (k.procView(mm).threads > 0 || p != mm) {
            for (int q = 0; q < k.s.procs.length; q++) {
                if (q == p || k.s.mmOf(q) != mm || !k.procView(q).live()) continue;
                k.log("SIGSEGV ends the thread group: P%d dies too", q);
                ended(q, mm);
            }
        }
        exit(p, "SIGSEGV");
    }

    private void munmap(int p, int x) {
        boolean had = k.procView(p).vmas[x] != null;
        k.mmap.doMunmap(p, x);
        if (had) Entitlements.onUnmap(k.s, p, x);
    }

    private void madvise(int p, int x, Ast.Advice advice) {
        switch (advice) {
            case MADV_DONTNEED:
                if (k.madvise.madviseDontneed(p, x)) Entitlements.onZap(k.s, p, x);
                break;
            case MADV_DONTFORK:
                k.madvise.setDontcopy(p, x, true);
                break;
            case MADV_DOFORK:
                k.madvise.setDontcopy(p, x, false);
                break;
            case MADV_WIPEONFORK:
                k.madvise.setWipeOnFork(p, x, true);
                break;
            case MADV_KEEPONFORK:
                k.madvise.setWipeOnFork(p, x, false);
                break;
            case MADV_PAGEOUT:
                k.madvise.madvisePageout(p, x);
                break;
            case MADV_MERGEABLE:
                k.madvise.setMergeable(p, x, true);
                break;
            case MADV_UNMERGEABLE:
                k.madvise.setMergeable(p, x, false);
                break;
            default:
                throw new IllegalStateException("advice not supported: " + advice);
        }
    }

    private void mprotect(int p, int x, Ast.Prot prot) {
        boolean r = prot != Ast.Prot.PROT_NONE;
        boolean w = prot == Ast.Prot.PROT_READ_WRITE;
        k.mprotect.mprotectFixup(p, x, r, w);
    }

    private static final String[] STORE_WHO = new String[64];

    static {
        for (int p = 0; p < STORE_WHO.length; p++) STORE_WHO[p] = "P" + p + "'s store";
    }

    /** "Pn's store", without building the string on every store (it is only read when a flag is raised). */
    private static String storeWho(int p) {
        return p < STORE_WHO.length ? STORE_WHO[p] : "P" + p + "'s store";
    }
}
