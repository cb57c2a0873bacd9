package org.mmcheck.variant;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

/** Names, kernel versions and the generation each version selects; witness spellings per generation. */
class VariantSelectionTest {
    @Test
    void aVersionSelectsTheNewestGenerationAtOrBelowIt() {
        assertEquals("5.7", Variants.resolve("4.19"));
        assertEquals("5.7", Variants.resolve("5.7"));
        assertEquals("5.9", Variants.resolve("5.10"));
        assertEquals("5.11", Variants.resolve("5.15"));
        assertEquals("5.18", Variants.resolve("5.18"));
        assertEquals("5.19", Variants.resolve("5.19"));
        assertEquals("6.1", Variants.resolve("6.0"));
        assertEquals("6.1", Variants.resolve("6.1.112"));
        assertEquals("6.2", Variants.resolve("6.6"));
        assertEquals("6.8", Variants.resolve("6.10"));
        assertEquals("6.12", Variants.resolve("6.11"));
        assertEquals("6.12", Variants.resolve("6.18"));
    }

    @Test
    void namesWinAndNonsenseIsRejected() {
        assertEquals("part3-v2", Variants.resolve("part3-v2"));
        assertEquals("5.19-noswpx", Variants.resolve("5.19-noswpx"));
        assertNull(Variants.resolve("5.20"), "5.19 was followed by 6.0");
        assertNull(Variants.resolve("4.21"));
        assertNull(Variants.resolve("6"));
        assertNull(Variants.resolve("5.19-noswp"));
        assertNull(Variants.resolve(""));
    }

    @Test
    void releasesFromUnameGiveTheirVersion() {
        assertEquals(new KernelVersion(6, 1), KernelVersion.fromRelease("6.1.0-28-amd64"));
        assertEquals(new KernelVersion(6, 12), KernelVersion.fromRelease("6.12.0-rc3"));
        assertNull(KernelVersion.fromRelease("linux"));
        assertEquals("6.1", Variants.forKernel(KernelVersion.fromRelease("6.1.0-28-amd64")));
    }

    @Test
    void everyVariantHasARangeAndMainlineRangesDoNotOverlap() {
        KernelVersion lastEnd = null;
        for (String n : Variants.names()) {
            KernelPolicy p = Variants.policy(n);
            assertTrue(p.kernels().first() != null, n);
            if (!p.mainline()) continue;
            if (lastEnd != null) assertTrue(lastEnd.before(p.kernels().first()), n + " overlaps the generation before");
            lastEnd = p.kernels().last();
            if (lastEnd == null) assertEquals("6.12", n, "only the newest generation is open-ended");
        }
        assertEquals("5.9 to 5.10", new V5_9().kernels().toString());
        assertEquals("up to 5.7", new V5_7().kernels().toString());
        assertEquals("6.11 and later", new V6_12().kernels().toString());
    }

    @Test
    void witnessesSpellFunctionsAsTheGenerationDid() {
        String line = "shrink_folio_list: page#0; folio_maybe_dma_pinned -> keep; page_try_dup_anon_rmap: ok";
        assertEquals("shrink_page_list: page#0; page_maybe_dma_pinned -> keep; page_try_dup_anon_rmap: ok",
                FunctionNames.of(new V5_19().kernels().first()).respell(line));
        assertEquals(line, FunctionNames.of(new V6_2().kernels().first()).respell(line));
        assertEquals("shrink_folio_list: page#0; folio_maybe_dma_pinned -> keep; folio_try_dup_anon_rmap_pte: ok",
                FunctionNames.of(new V6_8().kernels().first()).respell(line));
        assertEquals("copy_one_pte: share", FunctionNames.of(new V5_8().kernels().first()).respell("copy_present_pte: share"));
        assertEquals("copy_present_pte: share", FunctionNames.of(new V5_9().kernels().first()).respell("copy_present_pte: share"));
        assertFalse(FunctionNames.of(new V6_2().kernels().first()).respell("wp_can_reuse_anon_folio: x")
                .contains("wp_can_reuse_anon_folio"), "6.2-6.7 test reuse inside do_wp_page");
        assertEquals("xshrink_folio_list", FunctionNames.of(new V5_7().kernels().first()).respell("xshrink_folio_list"),
                "whole words only");
    }

    @Test
    void typosGetASuggestionAndNonsenseDoesNot() {
        assertEquals(" (did you mean 6.1?)", Variants.suggestion("6.l"));
        assertEquals(" (did you mean part3-v2?)", Variants.suggestion("part3v2"));
        assertEquals(" (did you mean 5.19-noswpx?)", Variants.suggestion("5.19-noswp"));
        assertEquals("", Variants.suggestion("5.20"), "a version two edits from several names");
        assertEquals("", Variants.suggestion("xyzzy"));
    }
}
