package org.mmcheck.variant.data;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeMap;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.mmcheck.variant.Decision;
import org.mmcheck.variant.KernelPolicy;
import org.mmcheck.variant.Variants;

/**
 * Reads a {@code .variant} file: a patch to a variant, written as data.
 *
 * <pre>
 * # the v2 posting of the swap-PTE exclusive bit, as a reviewer would describe it
 * variant part3-v2-data extends 5.19
 * "the inverted SWP_STABLE_WRITES test in do_swap_page"
 * invert do_swap_page.stable_writes
 * set gup_must_unshare = false
 * </pre>
 *
 * The first line (after comments and blank lines) names the variant and its base (a variant name or a
 * kernel version); an optional quoted line describes it; every further line changes one decision
 * point, named as {@code mmcheck conditions} lists them: {@code invert NAME} negates the base's answer,
 * {@code set NAME = true|false} fixes it. {@code #} starts a comment.
 */
public final class VariantFile {
    private VariantFile() {}

    /** The largest file read: a patch is a few lines. */
    static final long MAX_BYTES = 64 * 1024;

    private static final Pattern HEADER = Pattern.compile("variant\\s+(\\S+)\\s+extends\\s+(\\S+)\\s*");
    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]*");
    private static final Pattern INVERT = Pattern.compile("invert\\s+(\\S+)\\s*");
    private static final Pattern SET = Pattern.compile("set\\s+(\\S+)\\s*=\\s*(.+?)\\s*");

    /** Every decision point a data patch may change, by name: the boolean {@link Decision}s of {@link KernelPolicy}. */
    public static Map<String, Decision> points() {
        Map<String, Decision> out = new TreeMap<>();
        for (Map.Entry<String, Method> e : pointMethods().entrySet()) out.put(e.getKey(), e.getValue().getAnnotation(Decision.class));
        return out;
    }

    /** The same points, with the interface method that asks each. */
    public static Map<String, Method> pointMethods() {
        Map<String, Method> out = new TreeMap<>();
        for (Method m : KernelPolicy.class.getMethods()) {
            Decision d = m.getAnnotation(Decision.class);
            if (d != null && m.getReturnType() == boolean.class) out.put(d.name(), m);
        }
        return out;
    }

    public static Patch read(Path file) throws VariantFileException {
        String name = file.toString();
        try {
            if (!Files.isRegularFile(file)) throw new VariantFileException(name, 1, 1, "no such file");
            if (Files.size(file) > MAX_BYTES) {
                throw new VariantFileException(name, 1, 1, "file too large for a variant (over " + MAX_BYTES + " bytes)");
            }
            String text = StandardCharsets.UTF_8.newDecoder().decode(java.nio.ByteBuffer.wrap(Files.readAllBytes(file))).toString();
            return parse(name, text);
        } catch (CharacterCodingException e) {
            throw new VariantFileException(name, 1, 1, "not UTF-8");
        } catch (IOException e) {
            throw new VariantFileException(name, 1, 1, "cannot read: " + e.getMessage());
        }
    }

    public static Patch parse(String file, String text) throws VariantFileException {
        String[] lines = text.split("\r?\n", -1);
        String vname = null;
        String base = null;
        String description = "";
        Map<String, Patch.Change> changes = new LinkedHashMap<>();
        Map<String, Integer> where = new LinkedHashMap<>();
        Map<String, Decision> points = points();
        Map<String, Expr> expressions = new LinkedHashMap<>();
        boolean expectDescription = false;
        for (int i = 0; i < lines.length; i++) {
            int lineNo = i + 1;
            String raw = lines[i];
            int hash = raw.indexOf('#');
            String line = hash >= 0 && !raw.trim().startsWith("\"") ? raw.substring(0, hash) : raw;
            int col = firstNonBlank(line);
            if (col < 0) continue;
            String t = line.trim();
            if (vname == null) {
                Matcher h = HEADER.matcher(t);
                if (!h.matches()) {
                    throw new VariantFileException(file, lineNo, col + 1, "expected 'variant NAME extends BASE'");
                }
                vname = h.group(1);
                if (!NAME.matcher(vname).matches()) {
                    throw new VariantFileException(file, lineNo, line.indexOf(vname) + 1,
                            "a variant name is letters, digits and . _ + - (not '" + vname + "')");
                }
                if (Variants.known(vname)) {
                    throw new VariantFileException(file, lineNo, line.indexOf(vname) + 1,
                            "'" + vname + "' is already a variant; give the patched one its own name");
                }
                String given = h.group(2);
                base = Variants.resolve(given);
                if (base == null) {
                    throw new VariantFileException(file, lineNo, line.lastIndexOf(given) + 1, Variants.unknownMessage(given, ""));
                }
                expectDescription = true;
                continue;
            }
            if (expectDescription && t.startsWith("\"")) {
                if (t.length() < 2 || !t.endsWith("\"")) {
                    throw new VariantFileException(file, lineNo, col + 1, "the description must end with '\"' on its line");
                }
                description = t.substring(1, t.length() - 1);
                expectDescription = false;
                continue;
            }
            expectDescription = false;
            Matcher inv = INVERT.matcher(t);
            Matcher set = SET.matcher(t);
            String point;
            Patch.Change change;
            if (inv.matches()) {
                point = inv.group(1);
                change = Patch.Change.INVERT;
            } else if (set.matches()) {
                point = set.group(1);
                String v = set.group(2);
                if (v.equals("true")) {
                    change = Patch.Change.TRUE;
                } else if (v.equals("false")) {
                    change = Patch.Change.FALSE;
                } else {
                    change = Patch.Change.EXPR;
                    Method m = pointMethods().get(point);
                    int at = line.indexOf('=') + 1 + (line.substring(line.indexOf('=') + 1).length()
                            - line.substring(line.indexOf('=') + 1).stripLeading().length());
                    if (m != null) {
                        try {
                            expressions.put(point, Expr.parse(v, Inputs.names(m)));
                        } catch (Expr.ParseError e) {
                            throw new VariantFileException(file, lineNo, at + e.col + 1, e.getMessage());
                        }
                    }
                }
            } else {
                throw new VariantFileException(file, lineNo, col + 1,
                        "expected 'invert POINT' or 'set POINT = true|false|EXPR' (points: ./mmcheck conditions)");
            }
            int pcol = line.indexOf(point) + 1;
            if (!points.containsKey(point)) {
                throw new VariantFileException(file, lineNo, pcol, "no decision point '" + point + "'"
                        + suggestion(point, points.keySet()) + " (./mmcheck conditions lists them)");
            }
            if (changes.containsKey(point)) {
                throw new VariantFileException(file, lineNo, pcol, "'" + point + "' is already changed on line " + where.get(point));
            }
            changes.put(point, change);
            where.put(point, lineNo);
        }
        if (vname == null) throw new VariantFileException(file, 1, 1, "empty: expected 'variant NAME extends BASE'");
        return new Patch(vname, description, base, changes, file, expressions);
    }

    private static int firstNonBlank(String s) {
        for (int i = 0; i < s.length(); i++) if (!Character.isWhitespace(s.charAt(i))) return i;
        return -1;
    }

    private static String suggestion(String typo, Iterable<String> names) {
        String best = null;
        int bestD = Integer.MAX_VALUE;
        for (String n : names) {
            int d = Variants.distance(typo, n);
            if (d < bestD) {
                bestD = d;
                best = n;
            }
        }
        return best != null && bestD <= Math.max(2, typo.length() / 4) ? "; did you mean '" + best + "'?" : "";
    }
}
