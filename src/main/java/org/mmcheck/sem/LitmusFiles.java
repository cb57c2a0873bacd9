package org.mmcheck.sem;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CoderResult;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.nio.file.AccessDeniedException;
import java.nio.file.FileSystemException;
import java.nio.file.FileSystemLoopException;
import java.nio.file.FileVisitOption;
import java.nio.file.FileVisitResult;
import java.nio.file.Files;
import java.nio.file.NoSuchFileException;
import java.nio.file.Path;
import java.nio.file.SimpleFileVisitor;
import java.nio.file.attribute.BasicFileAttributes;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import org.mmcheck.check.Flags;
import org.mmcheck.litmus.Ast;
import org.mmcheck.litmus.LitmusException;
import org.mmcheck.litmus.LitmusParser;
import org.mmcheck.litmus.Pos;
import org.mmcheck.variant.Variants;

/** Litmus tests on disk: command-line arguments to files, and files to validated tests. */
public final class LitmusFiles {
    private LitmusFiles() {}

    /** Largest litmus file read: the shipped tests are a few KB; this keeps the lexer far from the heap limit. */
    public static final long MAX_BYTES = 1 << 20;

    private static LitmusException at(Path f, String message) {
        return new LitmusException(new Pos(f.toString(), 1, 1), message);
    }

    /**
     * Files as given, directories as every {@code *.litmus} below them (sorted, symbolic links followed),
     * without repeats (the same file reached twice, by any spelling or link, counts once). A directory
     * with no test in it, a missing or unreadable path, a symbolic link loop, and a path that is neither
     * a directory nor a regular file are errors naming the path.
     */
    public static List<Path> expand(List<Path> args) throws LitmusException {
        List<Path> out = new ArrayList<>();
        Set<Path> seen = new HashSet<>();
        for (Path f : args) {
            BasicFileAttributes a = attributes(f);
            if (a.isDirectory()) {
                List<Path> found = walk(f);
                if (found.isEmpty()) throw at(f, "no *.litmus files in this directory (nothing to run)");
                for (Path p : found) if (seen.add(identity(p))) out.add(p);
            } else {
                checkRegular(f, a);
                if (seen.add(identity(f))) out.add(f);
            }
        }
        return out;
    }

    /** The attributes of {@code f}, links followed; what is wrong with it as a LitmusException otherwise. */
    private static BasicFileAttributes attributes(Path f) throws LitmusException {
        try {
            return Files.readAttributes(f, BasicFileAttributes.class);
        } catch (NoSuchFileException e) {
            if (Files.isSymbolicLink(f)) throw at(f, "broken symbolic link (its target does not exist)");
            throw at(f, "no such file or directory");
        } catch (AccessDeniedException e) {
            throw at(f, "permission denied");
        } catch (FileSystemException e) {
            throw at(f, reason(e));
        } catch (IOException e) {
            throw at(f, "cannot read: " + e.getMessage());
        }
    }

    private static String reason(FileSystemException e) {
        String r = e.getReason();
        if (r != null && r.toLowerCase().contains("too many levels of symbolic links")) {
            return "symbolic link loop (too many levels of symbolic links)";
        }
        return "cannot read: " + (r != null ? r : e.getMessage());
    }

    /** A regular file, or an error saying what {@code f} is instead. */
    private static void checkRegular(Path f, BasicFileAttributes a) throws LitmusException {
        if (a.isRegularFile()) return;
        if (a.isDirectory()) throw at(f, "is a directory, not a litmus file");
        throw at(f, "not a regular file (" + kind(f) + "); a litmus test must be a regular file");
    }

    /** What a non-regular, non-directory file is, from its Unix mode where the platform tells it. */
    private static String kind(Path f) {
        try {
            int mode = (Integer) Files.getAttribute(f, "unix:mode");
            switch (mode & 0170000) {
                case 0010000: return "a FIFO";
                case 0020000: return "a character device";
                case 0060000: return "a block device";
                case 0140000: return "a socket";
                default: break;
            }
        } catch (IOException | UnsupportedOperationException | IllegalArgumentException | ClassCastException e) {
            // fall through
        }
        return "a special file";
    }

    private static Path identity(Path f) {
        try {
            return f.toRealPath();
        } catch (IOException e) {
            return f.toAbsolutePath().normalize();
        }
    }

    private static List<Path> walk(Path dir) throws LitmusException {
        List<Path> found = new ArrayList<>();
        LitmusException[] failure = {null};
        try {
            Files.walkFileTree(dir, EnumSet.of(FileVisitOption.FOLLOW_LINKS), Integer.MAX_VALUE,
                    new SimpleFileVisitor<>() {
                        @Override
                        public FileVisitResult visitFile(Path p, BasicFileAttributes a) {
                            if (!p.getFileName().toString().endsWith(".litmus")) return FileVisitResult.CONTINUE;
                            if (a.isRegularFile()) {
                                found.add(p);
                                return FileVisitResult.CONTINUE;
                            }
                            try {
                                checkRegular(p, attributes(p)); // says what the entry is instead
                                failure[0] = at(p, "cannot read this entry");
                            } catch (LitmusException e) {
                                failure[0] = e;
                            }
                            return FileVisitResult.TERMINATE;
                        }

                        @Override
                        public FileVisitResult visitFileFailed(Path p, IOException e) {
                            if (e instanceof FileSystemLoopException) {
                                failure[0] = at(p, "symbolic link loop (a link back to a directory above it)");
                            } else if (e instanceof AccessDeniedException) {
                                failure[0] = at(p, "cannot read directory: permission denied");
                            } else if (e instanceof NoSuchFileException && Files.isSymbolicLink(p)) {
                                // a dangling link that is not named *.litmus is not a test: skip it
                                if (!p.getFileName().toString().endsWith(".litmus")) return FileVisitResult.CONTINUE;
                                failure[0] = at(p, "broken symbolic link (its target does not exist)");
                            } else if (e instanceof FileSystemException fe) {
                                failure[0] = at(p, reason(fe));
                            } else {
                                failure[0] = at(p, "cannot read: " + e.getMessage());
                            }
                            return FileVisitResult.TERMINATE;
                        }
                    });
        } catch (IOException | RuntimeException e) {
            throw at(dir, "cannot read directory: " + e.getMessage());
        }
        if (failure[0] != null) throw failure[0];
        found.sort(null);
        return found;
    }

    /** Reads and parses one test against the known variant names and flag ids. */
    public static Ast.Test parse(Path f) throws LitmusException {
        // An ordered set: messages list the known flags in the order of MODEL.md.
        return LitmusParser.parse(f.toString(), read(f), Variants.namesWithRegistered(), Variants::resolve,
                new LinkedHashSet<>(Flags.ALL));
    }

    /**
     * The text of one litmus file: a regular file of at most {@link #MAX_BYTES} bytes in UTF-8. Anything
     * else is refused with a message at {@code file:1:1} (or where the bad byte is).
     */
    public static String read(Path f) throws LitmusException {
        BasicFileAttributes a = attributes(f);
        checkRegular(f, a);
        if (a.size() > MAX_BYTES) throw at(f, tooLarge(a.size()));
        byte[] bytes;
        try (InputStream in = Files.newInputStream(f)) {
            bytes = in.readNBytes((int) MAX_BYTES + 1); // the file may have grown since
        } catch (AccessDeniedException e) {
            throw at(f, "cannot read file: permission denied");
        } catch (FileSystemException e) {
            throw at(f, reason(e));
        } catch (IOException e) {
            throw at(f, "cannot read file: " + e.getMessage());
        }
        if (bytes.length > MAX_BYTES) throw at(f, tooLarge(bytes.length));
        return decode(f.toString(), bytes);
    }

    private static String tooLarge(long size) {
        return "file too large: " + size + " bytes (a litmus file may have at most " + MAX_BYTES + " bytes, 1 MiB)";
    }

    /** Strict UTF-8; the first invalid byte is reported at its line and column, with its byte offset. */
    static String decode(String file, byte[] bytes) throws LitmusException {
        CharsetDecoder dec = StandardCharsets.UTF_8.newDecoder()
                .onMalformedInput(CodingErrorAction.REPORT).onUnmappableCharacter(CodingErrorAction.REPORT);
        ByteBuffer in = ByteBuffer.wrap(bytes);
        CharBuffer out = CharBuffer.allocate(bytes.length + 1);
        CoderResult r = dec.decode(in, out, true);
        if (!r.isError()) r = dec.flush(out);
        if (r.isError()) {
            int offset = in.position();
            String before = new String(bytes, 0, offset, StandardCharsets.UTF_8);
            int line = 1;
            int lineStart = 0;
            for (int i = 0; i < before.length(); i++) {
                if (before.charAt(i) == '\n') {
                    line++;
                    lineStart = i + 1;
                }
            }
            int col = 1 + before.codePointCount(lineStart, before.length());
            throw new LitmusException(new Pos(file, line, col), String.format(
                    "not UTF-8: invalid byte 0x%02X at byte offset %d (litmus files are UTF-8 text)",
                    bytes[offset] & 0xff, offset));
        }
        out.flip();
        return out.toString();
    }
}
