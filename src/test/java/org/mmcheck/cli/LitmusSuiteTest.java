package org.mmcheck.cli;

import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.junit.jupiter.api.DynamicTest;
import org.junit.jupiter.api.TestFactory;
import org.mmcheck.check.Flags;
import org.mmcheck.explore.Limits;
import org.mmcheck.explore.Progress;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.report.Expectations;
import org.mmcheck.report.Verdict;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;

/** Every shipped litmus test under every modelled variant that an expect line covers must hold. */
class LitmusSuiteTest {
    private static final Path SUITE = Path.of("litmus");

    @TestFactory
    List<DynamicTest> shippedLitmusTestsHoldTheirExpectations() throws IOException {
        List<Path> files;
        try (Stream<Path> s = Files.walk(SUITE)) {
            files = s.filter(p -> p.toString().endsWith(".litmus")).sorted().toList();
        }
        assertTrue(files.size() > 0, "no litmus tests found under " + SUITE.toAbsolutePath());
        List<DynamicTest> tests = new ArrayList<>();
        for (Path f : files) {
            for (String variant : Variants.names()) {
                if (!Variants.modelled(variant)) continue;
                tests.add(DynamicTest.dynamicTest(f + " @ " + variant, () -> check(f, variant)));
            }
        }
        return tests;
    }

    private static void check(Path f, String variant) throws Exception {
        Ast.Test test = LitmusParser.parse(f.toString(), Files.readString(f), Set.copyOf(Variants.names()),
                Set.copyOf(Flags.ALL));
        assertTrue(!test.expects().isEmpty(), f + " has no expect line");
        if (Expectations.lineFor(test.expects(), variant) == null) return;
        KernelPolicy policy = Variants.policy(variant);
        Verdict v = TestRun.run(test, policy, new Limits(2_000_000, null, 0.9), Progress.silent(), true);
        assertTrue(v.complete(), f + " did not finish: " + v.stop());
        assertNotNull(v.expectation());
        assertTrue(v.expectation().held(), () -> f + " @ " + variant + ": " + v.expectation().message()
                + "\n" + String.join("\n", v.witnesses().stream().map(w -> w.what() + "\n  "
                + String.join("\n  ", w.steps())).toList()));
    }
}
