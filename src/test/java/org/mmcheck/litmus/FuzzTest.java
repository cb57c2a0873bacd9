package org.mmcheck.litmus;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.Random;
import java.util.regex.Pattern;

import org.junit.jupiter.api.Test;

/**
 * Property: any mangled variant of a valid test either parses or fails with exactly one
 * LitmusException rendered as one {@code file:line:col: message} line; nothing else escapes.
 */
class FuzzTest {

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
