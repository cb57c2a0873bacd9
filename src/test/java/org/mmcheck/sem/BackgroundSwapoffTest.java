package org.mmcheck.sem;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;
import org.mmcheck.check.Flags;
import org.mmcheck.explore.Explorer;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.explore.Result;
import org.mmcheck.explore.TransitionSystem.Transition;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.model.KState;
import org.mmcheck.variant.Variants;

/** {@code kernel swapoff;} under interleave ptlock runs one swap entry per step, as swapoff() in a K block does. */
class BackgroundSwapoffTest {
    private static final String SRC = """
            MM bg-swapoff
            { anon x = 1; anon y = 1; swap; kernel swapoff; interleave ptlock; }
            P0 { madvise(x, MADV_PAGEOUT); madvise(y, MADV_PAGEOUT); r0 = *x; *y = 2; r1 = *y; }
            exists (0:r0=1 /\\ 0:r1=2)
            """;

    private static Ast.Test test() throws Exception {
        return LitmusParser.parse("t.litmus", SRC, Set.copyOf(Variants.names()), Set.copyOf(Flags.ALL));
    }

    @Test
    void oneEntryPerStepAndTheSameAnswersAsWhole() throws Exception {
        Ast.Test t = test();
        LitmusModel m = new LitmusModel(t, Variants.policy("6.12"));
        KState s = m.initial();
        for (int i = 0; i < 2; i++) { // both page-outs first
            Transition<KState> pageout = null;
            for (Transition<KState> tr : m.successors(s, true)) {
                if (((StepLabel) tr.label()).actor().equals("P0")) pageout = tr;
            }
            s = pageout.target();
        }
        List<String> kernel = m.successors(s, true).stream().map(tr -> (StepLabel) tr.label())
                .filter(l -> l.actor().equals("kernel")).map(StepLabel::statement).toList();
        assertTrue(kernel.contains("swapoff (one entry)"), kernel.toString());

        Answer staged = explore(t);
        Answer whole = explore(t.withInterleave(Ast.Interleave.ATOMIC));
        assertEquals(whole.outcomes(), staged.outcomes());
        assertEquals(whole.flags(), staged.flags());
        assertTrue(staged.states() > whole.states(), "the stages add states: " + staged.states() + " vs " + whole.states());
    }

    private record Answer(Set<String> outcomes, Set<String> flags, long states) {}

    private static Answer explore(Ast.Test t) {
        Result<KState> r = new Explorer<>(new LitmusModel(t, Variants.policy("6.12")), Limits.none(), Progress.silent()).run();
        Set<String> outs = new TreeSet<>();
        r.outcomes().keySet().forEach(o -> outs.add(o.toString()));
        return new Answer(outs, new TreeSet<>(r.flags().keySet()), r.distinctStates());
    }
}
