package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.List;
import org.junit.jupiter.api.Test;
import org.mmcheck.variant.Decisions;
import org.mmcheck.variant.Variants;

/** `mmcheck conditions`: the named decision points and the generation that decides each. */
class ConditionsCommandTest {
    private static String decidedBy(String variant, String point) {
        for (Decisions.Point p : Decisions.of(Variants.policy(variant))) {
            if (p.decision().name().equals(point)) return p.decidedBy();
        }
        throw new AssertionError(point + " not a decision point of " + variant);
    }

    @Test
    void theSeedsPointIsDecidedByThePatchUnderReview() {
        assertEquals("part3-v2", decidedBy("part3-v2", "do_swap_page.stable_writes"));
        assertEquals("5.19", decidedBy("5.19", "do_swap_page.stable_writes"));
        assertEquals("5.19", decidedBy("6.12", "do_swap_page.stable_writes"));
        assertEquals("6.8", decidedBy("6.12", "do_swap_page.claim"));
        assertEquals("6.12", decidedBy("6.12", "do_swap_page.writable_on_read"));
        assertEquals("5.11", decidedBy("5.18", "shrink_folio_list.maybe_pinned"));
    }

    @Test
    void everyVariantHasEveryInterfacePointAndItsOwnDeciderExists() {
        int points = Decisions.of(Variants.policy("5.7")).size();
        for (String v : Variants.names()) {
            List<Decisions.Point> ps = Decisions.of(Variants.policy(v));
            assertTrue(ps.size() >= points, v);
            for (Decisions.Point p : ps) assertTrue(Variants.known(p.decidedBy()), v + ": " + p);
        }
    }

    @Test
    void theCommandListsWhereEachPointChanged() {
        Cli.Result r = Cli.run("conditions");
        assertEquals(Main.OK, r.status());
        assertTrue(r.out().matches("(?s).*do_swap_page\\.claim +changed in 5\\.7, 6\\.8 .*"), r.out());
        assertTrue(r.out().matches("(?s).*do_swap_page\\.stable_writes +changed in 5\\.7, 5\\.19, part3-v2 .*"), r.out());
        Cli.Result v = Cli.run("conditions", "--variant", "6.6");
        assertTrue(v.out().matches("(?s).*break_ksm\\.unshare +break_ksm +decided by 6\\.2 .*"), v.out());
    }
}
