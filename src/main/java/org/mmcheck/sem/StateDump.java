package org.mmcheck.sem;

import java.util.ArrayList;
import java.util.List;
import org.mmcheck.model.GupRef;
import org.mmcheck.model.InFlight;
import org.mmcheck.model.KState;
import org.mmcheck.model.Page;
import org.mmcheck.model.Proc;
import org.mmcheck.model.SwapSlot;

/** The whole state in a few lines, for {@code --full} witnesses: page tables, pages, slots, references, paths in flight. */
final class StateDump {
    private StateDump() {}

    static List<String> lines(KState s, Program prog) {
        List<String> out = new ArrayList<>();
        for (int p = 0; p < s.procs.length; p++) {
            Proc pr = s.procs[p];
            if (!pr.hasMm()) continue;
            StringBuilder b = new StringBuilder("P").append(p).append(':');
            for (int x = 0; x < pr.ptes.length; x++) {
                b.append(' ').append(prog.pages.get(x)).append('=');
                b.append(pr.vmas[x] == null ? "no-vma" : pr.ptes[x].describe());
            }
            out.add(b.toString());
        }
        StringBuilder pages = new StringBuilder();
        for (Page pg : s.pages()) pages.append(pages.length() == 0 ? "" : " ").append(pg.describe());
        if (pages.length() > 0) out.add(pages.toString());
        StringBuilder slots = new StringBuilder();
        for (SwapSlot sl : s.slots()) slots.append(slots.length() == 0 ? "" : " ").append(sl.describe());
        if (slots.length() > 0) out.add(slots.toString());
        for (int g = 0; g < s.refs.length; g++) {
            GupRef r = s.refs[g];
            if (r.state == GupRef.State.UNSET) continue;
            out.add(prog.refs.get(g) + ": " + r.state.name().toLowerCase() + (r.state == GupRef.State.HELD
                    ? " page#" + r.page + (r.bound ? ", bound to P" + r.owner + ":" + prog.pages.get(r.vpage) : ", unbound")
                    : ", last value " + r.lastValue));
        }
        for (int a = 0; a < s.inflight.length; a++) {
            InFlight f = s.inflight[a];
            if (f != null) out.add("P" + a + " in " + f.where() + (f.page() >= 0 ? " holding page#" + f.page() : ""));
        }
        return out;
    }
}
