package org.mmcheck.cli;

import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import org.mmcheck.variant.Variants;
import org.mmcheck.variant.data.Patch;
import org.mmcheck.variant.data.PatchedPolicy;
import org.mmcheck.variant.data.VariantFile;
import org.mmcheck.variant.data.VariantFileException;

/** What {@code --variant} (and {@code --base}) accept: a variant name, a kernel version, or a {@code .variant} file. */
final class VariantArgs {
    private VariantArgs() {}

    /** Files read in this run, by the path given, so that naming one twice reads it once. */
    private static final Map<String, String> LOADED = new HashMap<>();

    /**
     * Each item's variant name, or null after telling stderr what is wrong with one (a bad
     * {@code .variant} file as {@code file:line:col: ...}, an unknown name with the known ones).
     */
    static String[] resolveOrSay(java.io.PrintStream err, String... items) {
        String[] names = new String[items.length];
        for (int i = 0; i < items.length; i++) {
            try {
                names[i] = resolve(items[i]);
            } catch (VariantFileException e) {
                err.println(e.render());
                return null;
            }
            if (names[i] == null) {
                err.println("mmcheck: " + Variants.unknownMessage(items[i], ""));
                return null;
            }
        }
        return names;
    }

    /**
     * The variant's name, or null when {@code item} is neither a variant, a version nor a
     * {@code .variant} file. A file is read and its variant registered for the rest of the run (so that
     * {@code expect} lines may name it).
     */
    static synchronized String resolve(String item) throws VariantFileException {
        if (!item.endsWith(".variant")) return Variants.resolve(item);
        String known = LOADED.get(item);
        if (known != null) return known;
        Patch p = VariantFile.read(Path.of(item));
        Variants.register(p.name(), () -> PatchedPolicy.of(p, Variants.policy(p.base())));
        LOADED.put(item, p.name());
        return p.name();
    }
}
