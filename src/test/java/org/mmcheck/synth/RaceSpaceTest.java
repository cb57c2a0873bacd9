package org.mmcheck.synth;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.mmcheck.check.Flags;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.variant.Variants;

/** The race programs of synth: valid lock-level tests, counted by statements, one of each mirror pair. */
class RaceSpaceTest {
    private final RaceSpace space = new RaceSpace();

    @Test
    void everyProgramIsAValidLockLevelTestOfItsSize() throws Exception {
        for (int size = 1; size <= 4; size++) {
            for (String text : space.all(size)) {
                Ast.Test t = LitmusParser.parse("race.litmus", text, Set.copyOf(Variants.names()), Set.copyOf(Flags.ALL));
                assertEquals(Ast.Interleave.PTLOCK, t.interleave(), text);
                assertEquals(size, statements(text), text);
            }
        }
        assertTrue(space.all(1).isEmpty(), "a race needs two actors");
    }

    @Test
    void twoThreadsWithTheirBodiesSwappedAreTriedOnce() {
        Set<String> seen = new HashSet<>();
        for (int size = 3; size <= 5; size++) {
            for (String text : space.all(size)) {
                if (!text.contains("clone(P1);")) continue;
                String[] bodies = threadBodies(text);
                String key = bodies[0] + "|" + bodies[1];
                String mirror = bodies[1] + "|" + bodies[0];
                String prefix = text.substring(0, text.indexOf("clone(P1);")) + "@";
                assertTrue(seen.add(prefix + key), text);
                if (!key.equals(mirror)) assertFalse(seen.contains(prefix + mirror), text);
            }
        }
    }

    @Test
    void theSmallestProgramsRaceAPinOrAnAccessWithReclaim() {
        List<String> two = space.all(2);
        assertTrue(two.stream().anyMatch(t -> t.contains("p = pin(x, FOLL_WRITE | FOLL_LONGTERM | FOLL_FAST);")
                && t.contains("K0 {\n  reclaim(0:x);\n}")), String.join("\n", two));
        assertTrue(two.stream().allMatch(t -> t.contains("interleave ptlock;")));
    }

    /** Statements in the blocks, and the background reclaim declaration. */
    private static int statements(String text) {
        String blocks = text.substring(text.indexOf("}\n") + 2, text.lastIndexOf("exists"));
        int n = text.contains("kernel reclaim;") ? 1 : 0;
        for (char c : blocks.toCharArray()) if (c == ';') n++;
        return n;
    }

    /** The statements of P0 after the clone and of P1, values and register numbers left out. */
    private static String[] threadBodies(String text) {
        String p0 = text.substring(text.indexOf("clone(P1);") + 10, text.indexOf("}\nP1 {"));
        String p1 = text.substring(text.indexOf("P1 {") + 4);
        p1 = p1.substring(0, p1.indexOf('}'));
        return new String[] {p0.replaceAll("\\d+", "#").trim(), p1.replaceAll("\\d+", "#").trim()};
    }
}
