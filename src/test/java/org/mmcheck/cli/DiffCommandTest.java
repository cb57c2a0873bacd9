package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** {@code mmcheck diff}: the tests on which two variants answer differently, with their witnesses. */
class DiffCommandTest {
    @Test
    void theSeedsInvertedTestShowsOnTheStableWritesTestsOnly() {
        Cli.Result r = Cli.run("diff", "--base", "5.19", "--variant", "part3-v2", "litmus/history", "litmus/swap");
        assertEquals(Main.EXPECTATION_FAILED, r.status(), r.err());
        assertTrue(r.out().contains("Test seed-stable-writes"), r.out());
        assertTrue(r.out().contains("  part3-v2: Never (0 positive, 1 negative outcome(s)), flag stable-write"), r.out());
        assertTrue(r.out().contains("Witness under part3-v2: flag stable-write"), r.out());
        assertFalse(r.out().contains("Test cve-2020-29374-swap"), "a test both answer alike is not listed");
        assertTrue(r.out().matches("(?s).*Summary: \\d+ test\\(s\\), 2 differ, 0 not compared.*"), r.out());
    }

    @Test
    void aVersionNamesItsGenerationAndEqualAnswersExitZero() {
        Cli.Result r = Cli.run("diff", "--base", "6.6", "--variant", "6.2", "litmus/cowc");
        assertEquals(Main.OK, r.status(), r.out() + r.err());
        assertTrue(r.out().startsWith("Diff 6.2 (for 6.6) -> 6.2 over 31 test(s)"), r.out());
    }

    @Test
    void theZeroPagePinTellsSixOneFromSixTwo() {
        Cli.Result r = Cli.run("diff", "--base", "6.1", "--variant", "6.2", "litmus/cowc/ro-pin-zero-page.litmus");
        assertEquals(Main.EXPECTATION_FAILED, r.status());
        assertTrue(r.out().contains("Witness under 6.1: flag pin-incoherent"), r.out());
    }

    @Test
    void anUnknownVariantIsBadInput() {
        Cli.Result r = Cli.run("diff", "--base", "5.20", "--variant", "5.19", "litmus/cow-after-fork.litmus");
        assertEquals(Main.BAD_INPUT, r.status());
        assertTrue(r.err().contains("unknown variant '5.20'"), r.err());
    }
}
