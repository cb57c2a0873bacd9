package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmcheck.variant.Variants;

/** `mmcheck variants`: names only, one per line, oldest first (LITMUS.md); --kernels adds the ranges. */
class VariantsCommandTest {
    @Test
    void namesOnlyOnePerLineAsTheContractSays() {
        Cli.Result r = Cli.run("variants");
        assertEquals(Main.OK, r.status());
        assertEquals(Variants.names(), List.of(r.out().strip().split("\n")));
    }

    @Test
    void kernelsAddTheRanges() {
        List<String> lines = List.of(Cli.run("variants", "--kernels").out().strip().split("\n"));
        assertEquals("5.9          5.9 to 5.10", lines.get(2));
        assertEquals("part3-v2     5.19 (not a mainline generation: chosen by name only)", lines.get(6));
        assertEquals("6.12         6.11 and later", lines.get(lines.size() - 1));
    }
}
