package org.mmcheck.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.mmcheck.cli.Main;

/**
 * Property: any mangled variant of a valid test either parses or fails with exactly one
 * LitmusException rendered as one {@code file:line:col: message} line; nothing else escapes.
 * And end to end: any mangled shipped test, run by the command line with a state bound, ends in
 * exit 0, 1, 2 or 3, bad input as one {@code file:line:col: message}, never an internal error or a
 * stack trace.
 */
class FuzzTest {
    /** The layout every --json line must have (docs/schema/run-output.schema.json). */
    private static final com.networknt.schema.Schema SCHEMA = schema();

    private static com.networknt.schema.Schema schema() {
        try (var in = java.nio.file.Files.newInputStream(java.nio.file.Path.of("docs/schema/run-output.schema.json"))) {
            return com.networknt.schema.SchemaRegistry.withDefaultDialect(
                    com.networknt.schema.SpecificationVersion.DRAFT_2020_12).getSchema(in);
        } catch (java.io.IOException e) {
            throw new java.io.UncheckedIOException(e);
        }
    }


    private static final Pattern RENDERED = Pattern.compile("^[^:]+:\\d+:\\d+: .+$");
    private static final String[] TOKENS = {"*", ";", "{", "}", "(", ")", ",", "=", ":", "|", "~", "/\\", "\\/",
            "(*", "*)", "#", "\"", "P0", "P1", "P2", "K0", "x", "y", "g", "r0", "0", "1", "255", "256",
            "99999999999999999999", "fork(P1);", "get(x)", "pin(x, FOLL_WRITE)", "exists", "~exists", "forall",
            "expect", "Never", "flag", "leak", "5.7", "anon", "swap", "none", "kernel", "reclaim(0:x);", "\n",
            " ", "\t", "\r", "\u00e9", "\uD83D\uDE00", "\u0000", "@", "-", "."};

    @Test
    void mutantsParseOrFailWithOneLine() {
        List<String> seeds = new ArrayList<>();
        for (String f : Fixtures.EXAMPLES) seeds.add(Fixtures.resource(f));
        Random rnd = new Random(20240611L);
        int parsed = 0;
        int failed = 0;
        for (int i = 0; i < 5000; i++) {
            String src = seeds.get(rnd.nextInt(seeds.size()));
            int rounds = 1 + rnd.nextInt(4);
            for (int k = 0; k < rounds; k++) src = mutate(src, rnd);
            try {
                Fixtures.parse("m.litmus", src);
                parsed++;
            } catch (LitmusException e) {
                failed++;
                String r = e.render();
                if (!RENDERED.matcher(r).matches() || e.getMessage().startsWith("internal")) {
                    fail("bad message " + r + " for input:\n" + src);
                }
                assertEquals("m.litmus", e.pos().file());
                assertTrue(e.pos().line() >= 1 && e.pos().col() >= 1, r);
            } catch (Throwable t) {
                fail("unexpected " + t + " for input:\n" + src, t);
            }
        }
        // Both outcomes must actually be exercised for the property to mean anything.
        assertTrue(parsed > 50, "parsed " + parsed);
        assertTrue(failed > 1000, "failed " + failed);
    }

    /** The shipped tests, the seeds of the end-to-end fuzz (the suite runs at the repository root). */
    private static List<String> shippedTests() throws Exception {
        List<String> out = new ArrayList<>();
        try (Stream<Path> files = Files.walk(Path.of("litmus"))) {
            for (Path f : files.filter(p -> p.toString().endsWith(".litmus")).sorted().toList()) {
                out.add(Files.readString(f));
            }
        }
        return out;
    }

    @Test
    void mutantsOfTheShippedTestsEndInAContractExitStatusThroughTheCommandLine(@TempDir Path dir) throws Exception {
        List<String> seeds = shippedTests();
        assertTrue(seeds.size() > 50, "seeds " + seeds.size());
        Random rnd = new Random(20261206L);
        String[] variants = {"5.19", "5.7", "6.1", "6.12", "5.9"};
        int[] byStatus = new int[4];
        PrintStream savedOut = System.out;
        PrintStream savedErr = System.err;
        int jsonLines = 0;
        try {
            for (int i = 0; i < 3000; i++) {
                String src = seeds.get(rnd.nextInt(seeds.size()));
                int rounds = 1 + rnd.nextInt(3);
                for (int k = 0; k < rounds; k++) src = mutate(src, rnd);
                if (rnd.nextInt(10) == 0) src = src.replaceAll("(?m)^\\s*(~?exists|forall)\\b.*$", ""); // no condition
                byte[] bytes = src.getBytes(StandardCharsets.UTF_8);
                if (rnd.nextInt(50) == 0 && bytes.length > 0) bytes[rnd.nextInt(bytes.length)] = (byte) 0xff;
                Path f = dir.resolve("m" + (i % 7) + ".litmus");
                Files.write(f, bytes);
                List<String> args = new ArrayList<>(List.of("run", "--max-states", "300", "--workers", "1",
                        "--variant", variants[rnd.nextInt(variants.length)]));
                if (rnd.nextInt(4) == 0) args.addAll(List.of("--interleave", "ptlock"));
                if (rnd.nextInt(8) == 0) args.add("--witness");
                if (rnd.nextInt(8) == 0) args.add("--json");
                args.add(f.toString());
                ByteArrayOutputStream out = new ByteArrayOutputStream();
                ByteArrayOutputStream err = new ByteArrayOutputStream();
                System.setOut(new PrintStream(out, true, StandardCharsets.UTF_8));
                System.setErr(new PrintStream(err, true, StandardCharsets.UTF_8));
                int status;
                try {
                    status = Main.execute(args.toArray(new String[0]));
                } catch (Throwable t) {
                    System.setOut(savedOut);
                    System.setErr(savedErr);
                    throw new AssertionError("escaped " + t + " for " + args + " on:\n" + src, t);
                }
                System.setOut(savedOut);
                System.setErr(savedErr);
                String e = err.toString(StandardCharsets.UTF_8);
                String why = "exit " + status + " for " + args + "\nstderr: " + e + "\ninput:\n" + src;
                assertTrue(status >= 0 && status <= 3, why);
                if (!args.contains("--json")) { // JSON has its nulls; the text output has none
                    assertFalse(Pattern.compile("\\bnull\\b").matcher(out.toString(StandardCharsets.UTF_8)).find(),
                            why + "\nstdout: " + out.toString(StandardCharsets.UTF_8));
                } else {
                    // Whatever the input, every line of --json is an object of the documented schema.
                    for (String line : out.toString(StandardCharsets.UTF_8).split("\n")) {
                        if (line.isBlank()) continue;
                        var errors = SCHEMA.validate(new com.fasterxml.jackson.databind.ObjectMapper().readTree(line));
                        assertTrue(errors.isEmpty(), why + "\nline: " + line + "\nschema: " + errors);
                        jsonLines++;
                    }
                }
                assertFalse(e.contains("internal") || e.contains("Exception") || e.contains("\tat "), why);
                if (status == Main.BAD_INPUT) {
                    assertTrue(RENDERED.matcher(e.strip()).matches() && e.startsWith(f + ":"), why);
                }
                byStatus[status]++;
            }
        } finally {
            System.setOut(savedOut);
            System.setErr(savedErr);
        }
        assertTrue(jsonLines > 100, "JSON lines checked: " + jsonLines);
        // the mutants must reach both the validator's errors and the explorer
        assertTrue(byStatus[Main.BAD_INPUT] > 1000, Arrays.toString(byStatus));
        assertTrue(byStatus[Main.OK] + byStatus[Main.EXPECTATION_FAILED] + byStatus[Main.LIMIT] > 200,
                Arrays.toString(byStatus));
    }

    @Test
    void deepNegationAndHugeInputsStayLitmusExceptions() {
        String[] inputs = {
            "MM t { anon x; } P0 { } exists (" + "~".repeat(200_000) + "0:x=1)",
            "MM t { anon x; } P0 { } exists (0:x=1" + " \\/ 0:x=1".repeat(50_000) + ")",
            "MM t { anon x; } P0 { " + "*x = 1; ".repeat(20_000) + "}",
            "MM t { anon x; } P" + "9".repeat(1000) + " { }",
            "MM t { anon x; } P0 { fork(P" + "9".repeat(1000) + "); }",
        };
        for (String src : inputs) {
            try {
                Fixtures.parse("t.litmus", src);
            } catch (LitmusException e) {
                assertTrue(RENDERED.matcher(e.render()).matches(), e.render());
                assertFalse(e.getMessage().startsWith("internal"), e.render());
            }
        }
    }

    private static String mutate(String s, Random rnd) {
        if (s.isEmpty()) return TOKENS[rnd.nextInt(TOKENS.length)];
        int at = rnd.nextInt(s.length() + 1);
        switch (rnd.nextInt(9)) {
            case 0: // delete a char
                return at < s.length() ? s.substring(0, at) + s.substring(at + 1) : s;
            case 1: // insert a random char (printable ASCII mostly, sometimes anything)
                char c = rnd.nextInt(4) == 0 ? (char) rnd.nextInt(0x3000) : (char) (32 + rnd.nextInt(95));
                return s.substring(0, at) + c + s.substring(at);
            case 2: // insert a token
                return s.substring(0, at) + TOKENS[rnd.nextInt(TOKENS.length)] + s.substring(at);
            case 3: { // duplicate a span
                int end = Math.min(s.length(), at + rnd.nextInt(30));
                return s.substring(0, end) + s.substring(at, end) + s.substring(end);
            }
            case 4: { // delete a span
                int end = Math.min(s.length(), at + rnd.nextInt(20));
                return s.substring(0, at) + s.substring(end);
            }
            case 5: // truncate
                return s.substring(0, at);
            case 6: { // replace a word-ish token with another token
                int end = at;
                while (end < s.length() && Character.isLetterOrDigit(s.charAt(end))) end++;
                return s.substring(0, at) + TOKENS[rnd.nextInt(TOKENS.length)] + s.substring(end);
            }
            case 7: { // swap two lines
                List<String> lines = new ArrayList<>(Arrays.asList(s.split("\n", -1)));
                int a = rnd.nextInt(lines.size());
                int b = rnd.nextInt(lines.size());
                String t = lines.get(a);
                lines.set(a, lines.get(b));
                lines.set(b, t);
                return String.join("\n", lines);
            }
            default: { // replace a char by a nearby syntax char
                String syn = "*;{}(),=:|~/\\\"#0123456789PKxr";
                return at < s.length() ? s.substring(0, at) + syn.charAt(rnd.nextInt(syn.length())) + s.substring(at + 1) : s;
            }
        }
    }
}
