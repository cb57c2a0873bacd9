package org.mmcheck.sem;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.stream.Stream;
import org.mmcheck.check.Flags;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.litmus.Pos;
import org.mmcheck.variant.Variants;

/** Litmus tests on disk: command-line arguments to files, and files to validated tests. */
public final class LitmusFiles {
    private LitmusFiles() {}

    /** Files as given, directories as every {@code *.litmus} below them (sorted), without repeats. */
    public static List<Path> expand(List<Path> args) throws LitmusException {
        Set<Path> out = new LinkedHashSet<>();
        for (Path f : args) {
            if (Files.isDirectory(f)) {
                try (Stream<Path> s = Files.walk(f)) {
                    s.filter(p -> p.toString().endsWith(".litmus") && Files.isRegularFile(p)).sorted().forEach(out::add);
                } catch (IOException e) {
                    throw new LitmusException(new Pos(f.toString(), 1, 1), "cannot read directory: " + e.getMessage());
                }
            } else if (!Files.isRegularFile(f)) {
                throw new LitmusException(new Pos(f.toString(), 1, 1), "no such file");
            } else {
                out.add(f);
            }
        }
        return new ArrayList<>(out);
    }

    /** Reads and parses one test against the known variant names and flag ids. */
    public static Ast.Test parse(Path f) throws LitmusException {
        String src;
        try {
            src = Files.readString(f, StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new LitmusException(new Pos(f.toString(), 1, 1), "cannot read file: " + e.getMessage());
        }
        // An ordered set: messages list the known flags in the order of MODEL.md.
        return LitmusParser.parse(f.toString(), src, Variants.names(), Variants::resolve,
                new LinkedHashSet<>(Flags.ALL));
    }
}
