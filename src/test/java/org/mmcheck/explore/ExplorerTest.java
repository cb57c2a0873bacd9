package org.mmcheck.explore;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.NoSuchElementException;
import org.junit.jupiter.api.Test;
import org.mmcheck.explore.ToyModels.Counters;
import org.mmcheck.explore.ToyModels.Graph;
import org.mmcheck.explore.ToyModels.Pair;

class ExplorerTest {

    static <S> Result<S> explore(TransitionSystem<S> system) {
        return new Explorer<>(system, Limits.none(), Progress.silent()).run();
    }

    static List<Object> labels(List<Step> steps) {
        List<Object> out = new ArrayList<>();
        for (Step s : steps) {
            out.add(s.label());
        }
        return out;
    }

    @Test
    void countsStatesAndTransitionsOfTwoCounters() {
        Result<Pair> r = explore(new Counters(3, s -> s.a() == 3 && s.b() == 3 ? "done" : null));
        assertEquals(StopReason.COMPLETE, r.stopReason());
        assertEquals(16, r.distinctStates());
        assertEquals(24, r.transitions());
        assertEquals(Map.of("done", 15L), r.outcomes());
        assertTrue(r.flags().isEmpty());
        assertEquals(List.of("A", "A", "A", "B", "B", "B"), labels(r.witnessToState(15)));
    }

    @Test
    void outcomesKeepDiscoveryOrderAndFirstState() {
        // BFS ids worked out by hand: (3,0)=6, (3,1)=10, (3,2)=13, (3,3)=15.
        Result<Pair> r = explore(new Counters(3, s -> s.a() == 3 ? "a3b" + s.b() : null));
        Map<Object, Long> expected = new LinkedHashMap<>();
        expected.put("a3b0", 6L);
        expected.put("a3b1", 10L);
        expected.put("a3b2", 13L);
        expected.put("a3b3", 15L);
        assertEquals(new ArrayList<>(expected.entrySet()), new ArrayList<>(r.outcomes().entrySet()));
        assertEquals(List.of("A", "A", "A", "B"), labels(r.witnessToState(10)));
    }

    @Test
    void initialStateIsCheckedForOutcome() {
        Result<String> r = explore(new Graph("only").outcome("only", "end"));
        assertEquals(StopReason.COMPLETE, r.stopReason());
        assertEquals(1, r.distinctStates());
        assertEquals(0, r.transitions());
        assertEquals(Map.of("end", 0L), r.outcomes());
        assertEquals(List.of(), r.witnessToState(0));
    }

    @Test
    void witnessLengthIsBfsDepthAndLabelsComeFromReplay() {
        // Every state is its own outcome, so outcomes() maps every state to its id.
        Result<Pair> r = explore(new Counters(5, s -> s));
        assertEquals(36, r.outcomes().size());
        long expectedId = 0;
        for (Map.Entry<Object, Long> e : r.outcomes().entrySet()) {
            assertEquals(expectedId++, e.getValue(), "ids are handed out in discovery order");
            Pair p = (Pair) e.getKey();
            List<Step> w = r.witnessToState(e.getValue());
            assertEquals(p.a() + p.b(), w.size(), "witness length is the BFS depth of " + p);
            // Labels are null on the hot path, so non-null labels prove the replay explained.
            assertEquals(p.a(), w.stream().filter(s -> "A".equals(s.label())).count());
            assertEquals(p.b(), w.stream().filter(s -> "B".equals(s.label())).count());
            for (Step s : w) {
                assertEquals(List.of(), s.flags());
            }
        }
        assertEquals(List.of(), r.witnessToState(0));
    }

    /**
     * S0 -a-> S1 -c-> S3 -f[bad]-> S5 is the shortest way to "bad"; it is also reachable via S2 -e->
     * S3 (same depth, later in BFS), S4 -g[bad]-> S5 (same depth, later) and S4 -x-> S7 -y-> S8
     * -z[bad]-> S9 (deeper). "back" and "loop" are raised on transitions into already-seen states.
     */
    static Graph flagGraph() {
        return new Graph("S0")
                .edge("S0", "a", "S1").edge("S0", "b", "S2")
                .edge("S1", "c", "S3").edge("S1", "d", "S4")
                .edge("S2", "e", "S3").edge("S2", "w", "S1", "back")
                .edge("S3", "f", "S5", "bad")
                .edge("S4", "x", "S7").edge("S4", "g", "S5", "bad")
                .edge("S5", "m", "S0", "loop", "back")
                .edge("S7", "y", "S8")
                .edge("S8", "z", "S9", "bad");
    }

    @Test
    void flagsRecordTheShortestHitInDiscoveryOrder() {
        Result<String> r = explore(flagGraph());
        assertEquals(9, r.distinctStates());
        assertEquals(12, r.transitions());
        assertEquals(List.of("back", "bad", "loop"), new ArrayList<>(r.flags().keySet()));
        assertEquals(new FlagHit(2, 1), r.flags().get("back")); // S2 is id 2, "w" its 2nd edge
        assertEquals(new FlagHit(3, 0), r.flags().get("bad")); // S3 is id 3
        assertEquals(new FlagHit(5, 0), r.flags().get("loop")); // S5 is id 5

        List<Step> bad = r.witnessToFlag("bad");
        assertEquals(List.of("a", "c", "f"), labels(bad));
        assertEquals(List.of(), bad.get(0).flags());
        assertEquals(List.of("bad"), bad.get(2).flags(), "the last step is the flagged transition");
    }

    /**
     * The same graph with "bad" as a property of S5 rather than of the edges into it: the explorer
     * asks for S5's state flags once, when it first finds it, and the hit and witness are those of
     * the edge version.
     */
    @Test
    void stateFlagsAreAskedOncePerNewStateAndBlameTheFirstEdgeIntoIt() {
        Graph g = new Graph("S0")
                .edge("S0", "a", "S1").edge("S0", "b", "S2")
                .edge("S1", "c", "S3").edge("S1", "d", "S4")
                .edge("S2", "e", "S3").edge("S2", "w", "S1", "back")
                .edge("S3", "f", "S5")
                .edge("S4", "x", "S7").edge("S4", "g", "S5", "odd")
                .edge("S5", "m", "S0", "loop", "back")
                .edge("S7", "y", "S8")
                .edge("S8", "z", "S9")
                .stateFlag("S5", "bad").stateFlag("S9", "bad").stateFlag("S0", "never-asked");
        Result<String> r = explore(g);
        assertEquals(9, r.distinctStates());
        assertEquals(List.of("back", "bad", "odd", "loop"), new ArrayList<>(r.flags().keySet()));
        assertEquals(new FlagHit(3, 0), r.flags().get("bad"));
        List<Step> bad = r.witnessToFlag("bad");
        assertEquals(List.of("a", "c", "f"), labels(bad));
        assertEquals(List.of("bad"), bad.get(2).flags());
        assertEquals(List.of("odd", "bad"), r.witnessToFlag("odd").get(2).flags(), "step flags, then the target's");
        for (String state : List.of("S1", "S2", "S3", "S4", "S5", "S7", "S8", "S9")) {
            assertEquals(1, g.stateFlagCalls.get(state), state);
        }
        assertEquals(null, g.stateFlagCalls.get("S0"), "the initial state is never a new target");
    }

    @Test
    void flagOnTransitionIntoSeenStateIsRecorded() {
        Result<String> r = explore(flagGraph());
        List<Step> back = r.witnessToFlag("back");
        assertEquals(List.of("b", "w"), labels(back));
        assertEquals(List.of("back"), back.get(1).flags());
        List<Step> loop = r.witnessToFlag("loop");
        assertEquals(List.of("a", "c", "f", "m"), labels(loop));
        assertEquals(List.of("loop", "back"), loop.get(3).flags());
    }

    @Test
    void unknownIdsAndFlagsAreRejected() {
        Result<String> r = explore(flagGraph());
        assertThrows(IllegalArgumentException.class, () -> r.witnessToState(9));
        assertThrows(IllegalArgumentException.class, () -> r.witnessToState(-1));
        assertThrows(NoSuchElementException.class, () -> r.witnessToFlag("never"));
    }

    @Test
    void twoRunsGiveEqualResults() {
        List<TransitionSystem<?>> systems = List.of(
                new Counters(40, s -> (s.a() * 7 + s.b()) % 13 == 0 ? "m" + (s.a() % 5) : null),
                flagGraph());
        for (TransitionSystem<?> system : systems) {
            assertSameResult(explore(system), explore(system));
        }
        Limits cut = new Limits(20_000, null, 0);
        assertSameResult(new Explorer<>(new ToyModels.Infinite(), cut, Progress.silent()).run(),
                new Explorer<>(new ToyModels.Infinite(), cut, Progress.silent()).run());
    }

    static void assertSameResult(Result<?> x, Result<?> y) {
        assertEquals(x.stopReason(), y.stopReason());
        assertEquals(x.distinctStates(), y.distinctStates());
        assertEquals(x.transitions(), y.transitions());
        assertEquals(new ArrayList<>(x.outcomes().entrySet()), new ArrayList<>(y.outcomes().entrySet()));
        assertEquals(new ArrayList<>(x.flags().entrySet()), new ArrayList<>(y.flags().entrySet()));
        for (long id : x.outcomes().values()) {
            assertEquals(x.witnessToState(id), y.witnessToState(id));
        }
        for (String flag : x.flags().keySet()) {
            assertEquals(x.witnessToFlag(flag), y.witnessToFlag(flag));
        }
    }
}
