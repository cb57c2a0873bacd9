package org.mmcheck.variant.data;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.mmcheck.variant.Decisions;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;

/** Reading {@code .variant} files, and the patched policy they make. */
class VariantFileTest {

    private static String error(String text) {
        VariantFileException e = assertThrows(VariantFileException.class, () -> VariantFile.parse("p.variant", text));
        return e.render();
    }

    @Test
    void theShippedExampleIsPart3V2() throws Exception {
        Patch p = VariantFile.read(Path.of("variants/part3-v2.variant"));
        assertEquals("part3-v2-data", p.name());
        assertEquals("5.19", p.base());
        assertEquals(Map.of("do_swap_page.stable_writes", Patch.Change.INVERT), p.changes());
        assertTrue(p.description().contains("inverted"));
    }

    @Test
    void versionsCommentsAndBothKindsOfChange() throws Exception {
        Patch p = VariantFile.parse("p.variant", """
                # a comment line

                variant my-patch extends 6.6   # 6.6 is variant 6.2
                "what it models"
                set gup_must_unshare = false
                  invert do_wp_page.reuse
                """);
        assertEquals("6.2", p.base());
        assertEquals(List.of("gup_must_unshare", "do_wp_page.reuse"), List.copyOf(p.changes().keySet()));
        assertEquals(Patch.Change.FALSE, p.changes().get("gup_must_unshare"));
    }

    @Test
    void mistakesArePointedAt() {
        assertEquals("p.variant:1:1: expected 'variant NAME extends BASE'", error("varient x extends 5.19\n"));
        assertEquals("p.variant:1:9: '5.19' is already a variant; give the patched one its own name",
                error("variant 5.19 extends 5.19\n"));
        assertTrue(error("variant x extends 5.20\n").startsWith("p.variant:1:19: "), error("variant x extends 5.20\n"));
        assertEquals("p.variant:2:8: no decision point 'do_wp_page.reus'; did you mean 'do_wp_page.reuse'?"
                + " (./mmcheck conditions lists them)", error("variant x extends 5.19\ninvert do_wp_page.reus\n"));
        assertTrue(error("variant x extends 5.19\nset do_wp_page.reuse = maybe\n")
                .startsWith("p.variant:2:24: no input 'maybe' here (inputs: anon_exclusive, base, ksm, mapcount,"));
        assertEquals("p.variant:2:52: expression ends early",
                error("variant x extends 5.19\nset do_wp_page.reuse = anon_exclusive && mapcount >\n"));
        assertEquals("p.variant:2:42: a number where a truth value is needed",
                error("variant x extends 5.19\nset do_wp_page.reuse = anon_exclusive && mapcount\n"));
        assertEquals("p.variant:3:8: 'do_wp_page.reuse' is already changed on line 2",
                error("variant x extends 5.19\ninvert do_wp_page.reuse\ninvert do_wp_page.reuse\n"));
        assertEquals("p.variant:2:3: expected 'invert POINT' or 'set POINT = true|false|EXPR' (points: ./mmcheck conditions)",
                error("variant x extends 5.19\n  flip do_wp_page.reuse\n"));
        assertEquals("p.variant:1:1: empty: expected 'variant NAME extends BASE'", error("# nothing\n"));
    }

    @Test
    void anExpressionReadsThePointsInputs() throws Exception {
        Patch p = VariantFile.parse("p.variant", "variant mc extends 5.19\n"
                + "set do_wp_page.reuse = anon_exclusive || (mapcount == 1 && !swapcache)\n"
                + "set do_swap_page.stable_writes = !stable_writes\n");
        assertEquals(Patch.Change.EXPR, p.changes().get("do_wp_page.reuse"));
        KernelPolicy patched = PatchedPolicy.of(p, Variants.policy("5.19"));
        // The expression form of part3-v2's inverted test.
        assertEquals(false, patched.dropExclusiveUnderWriteback(true));
        assertEquals(true, patched.dropExclusiveUnderWriteback(false));
        java.util.Map<String, Object> in = new java.util.HashMap<>();
        in.put("anon_exclusive", false);
        in.put("mapcount", 1);
        in.put("swapcache", false);
        assertTrue(p.expressions().get("do_wp_page.reuse").eval(in));
        in.put("swapcache", true);
        assertEquals(false, p.expressions().get("do_wp_page.reuse").eval(in));
    }

    @Test
    void everyBooleanDecisionPointCanBeChanged() {
        Map<String, ?> points = VariantFile.points();
        assertTrue(points.containsKey("do_swap_page.stable_writes"));
        assertTrue(points.containsKey("copy_present_pte.maybe_pinned"));
        assertEquals(24, points.size(), points.keySet().toString());
    }

    @Test
    void thePatchedPolicyChangesOnlyItsPoints() throws Exception {
        Patch p = VariantFile.parse("p.variant", "variant t-inv extends 5.19\ninvert do_swap_page.stable_writes\nset anon_exclusive = false\n");
        KernelPolicy base = Variants.policy("5.19");
        KernelPolicy patched = PatchedPolicy.of(p, Variants.policy("5.19"));
        assertEquals("t-inv", patched.name());
        assertEquals(!base.dropExclusiveUnderWriteback(true), patched.dropExclusiveUnderWriteback(true));
        assertEquals(!base.dropExclusiveUnderWriteback(false), patched.dropExclusiveUnderWriteback(false));
        assertEquals(false, patched.hasAnonExclusive());
        assertEquals(base.hasSwpExclusiveBit(), patched.hasSwpExclusiveBit());
        assertEquals(base.kernels(), patched.kernels());
        assertEquals(false, patched.mainline());
        String decided = Decisions.of(patched).stream().filter(d -> d.decision().name().equals("anon_exclusive"))
                .findFirst().orElseThrow().decidedBy();
        assertEquals("t-inv (set false)", decided);
    }
}
