package org.mmcheck.real;

import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStream;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Stream;

/**
 * Builds a small, all-built-in x86-64 kernel from Debian's linux-source-6.1 (or 6.12) with optional patches,
 * so that a patch under review (such as the seed's inverted stable-writes test) can be booted by
 * real mode instead of only being modelled. Everything lands in the cache: the unpacked source once
 * ({@code kernel-src/}), and one folder per build ({@code built/NAME/}) that counts as done only once
 * its {@code .ready} marker is written, last.
 */
public final class KernelBuild {
    /**
     * A kernel line to build from: the Debian package that holds the source tarball (fetched with
     * plain {@code apt-get download}, i.e. its candidate version) and the config fragment, a resource
     * next to this class.
     */
    public record From(String name, String sourcePackage, String configResource) {}

    /** What {@code --from} accepts; the first is the default. */
    public static final List<From> FROMS = List.of(
            new From("6.1", "linux-source-6.1", "kernel-6.1.config"),
            // bookworm-security's 6.12 (6.12.118 here), else bookworm-backports' (older; priority 100,
            // still the candidate when it is the only one).
            new From("6.12", "linux-source-6.12", "kernel-6.12.config"));

    /** The line {@code --from NAME} names, or null. */
    public static From from(String name) {
        for (From f : FROMS) if (f.name().equals(name)) return f;
        return null;
    }

    /** Bumped when the build steps change in a way that should not reuse older builds. */
    static final String RECIPE = "kbuild-1";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._+-]{0,63}");

    /** Bad input (a patch that does not apply, a bad name): exit status 2, one message, no stack trace. */
    public static final class BadInput extends Exception {
        public BadInput(String message) {
            super(message);
        }
    }

    /** Tools the build needs are not installed: exit status 3; the message names the Debian packages. */
    public static final class MissingTools extends Exception {
        public MissingTools(String message) {
            super(message);
        }
    }

    /** The build ran and failed (configuration or compiler): exit status 1. */
    public static final class Failed extends Exception {
        public Failed(String message) {
            super(message);
        }
    }

    /** The bzImage and whether it came from the cache. */
    public record Built(Path bzImage, boolean cached, double seconds) {}

    private final Path cache;
    private final PrintStream log;
    private final boolean verbose;

    public KernelBuild(Path cache, PrintStream log, boolean verbose) {
        this.cache = cache;
        this.log = log;
        this.verbose = verbose;
    }

    /** The folder of finished builds. */
    public static Path builtDir() {
        return Guest.cacheDir().resolve("built");
    }

    /**
     * The bzImage of a finished {@code kernel build --name NAME} (or of the hash-named build that
     * {@code kernel build} printed), or null when there is none or the build never finished.
     */
    public static Path cached(String name) {
        return cached(builtDir(), name);
    }

    /**
     * What a {@code --kernel} argument names, as {@link RealRun} takes it: one of {@code fixed} (such as
     * "6.1" or "running") as it is, an existing kernel image file, or the name of a finished build
     * (its bzImage's path); null when it is none of these.
     */
    public static String resolveKernelArg(String arg, java.util.Collection<String> fixed) {
        if (fixed.contains(arg) || Files.isRegularFile(Path.of(arg))) return arg;
        Path built = cached(arg);
        return built == null ? null : built.toString();
    }

    static Path cached(Path builtDir, String name) {
        if (name == null || !NAME.matcher(name).matches()) return null;
        Path dir = builtDir.resolve(name);
        Path image = dir.resolve("bzImage");
        return Files.isRegularFile(dir.resolve(".ready")) && Files.isRegularFile(image) ? image : null;
    }

    /** Null when {@code name} can be a build's name, else why not. */
    public static String checkName(String name) {
        if (NAME.matcher(name).matches()) return null;
        return "--name '" + name + "': use letters, digits and . _ + - (at most 64, not starting with . _ + -)";
    }

    // ---- tools ------------------------------------------------------------------------------

    /** A tool the build runs (or a header it compiles against), and the Debian package that has it. */
    record Tool(String what, String pkg, boolean header) {}

    static final List<Tool> TOOLS = List.of(
            new Tool("make", "make", false), new Tool("gcc", "gcc", false), new Tool("ld", "binutils", false),
            new Tool("bc", "bc", false), new Tool("flex", "flex", false), new Tool("bison", "bison", false),
            new Tool("perl", "perl", false), new Tool("xz", "xz-utils", false), new Tool("patch", "patch", false),
            // objtool (built for every x86-64 kernel) links against libelf.
            new Tool("/usr/include/libelf.h", "libelf-dev", true));

    /** The Debian packages to install, in order, for the tools {@code have} does not find. */
    static List<String> missingPackages(Predicate<Tool> have) {
        List<String> out = new ArrayList<>();
        for (Tool t : TOOLS) if (!have.test(t) && !out.contains(t.pkg())) out.add(t.pkg());
        return out;
    }

    /** The packages missing on this machine (empty when the build can run). */
    public static List<String> missingPackages() {
        return missingPackages(t -> t.header() ? Files.exists(Path.of(t.what())) : onPath(t.what()));
    }

    private static boolean onPath(String cmd) {
        String path = System.getenv().getOrDefault("PATH", "/usr/bin:/bin");
        for (String d : path.split(":")) {
            if (!d.isEmpty() && Files.isExecutable(Path.of(d, cmd))) return true;
        }
        return false;
    }

    // ---- the config fragment ----------------------------------------------------------------

    /** The fragment shipped with mmcheck for {@code from}. */
    public static String configFragment(From from) {
        try (InputStream in = KernelBuild.class.getResourceAsStream(from.configResource())) {
            if (in == null) throw new IllegalStateException("resource " + from.configResource() + " missing from the jar");
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    private static final Pattern SET = Pattern.compile("(CONFIG_[A-Za-z0-9_]+)=(.*)");
    private static final Pattern UNSET = Pattern.compile("# (CONFIG_[A-Za-z0-9_]+) is not set");

    /**
     * The options a fragment asks for, in order: the value, or null for "is not set". Other comment
     * lines and blank lines are skipped.
     */
    static Map<String, String> options(String fragment) {
        Map<String, String> out = new LinkedHashMap<>();
        for (String line : fragment.split("\n")) {
            line = line.strip();
            Matcher m = SET.matcher(line);
            if (m.matches()) {
                out.put(m.group(1), m.group(2));
                continue;
            }
            m = UNSET.matcher(line);
            if (m.matches()) out.put(m.group(1), null);
        }
        return out;
    }

    /**
     * The fragment's options that did not stick in {@code dotConfig} (after olddefconfig), each as
     * "CONFIG_X=y (the .config has ...)"; empty when all hold.
     */
    static List<String> notStuck(String fragment, String dotConfig) {
        Map<String, String> have = options(dotConfig);
        List<String> out = new ArrayList<>();
        for (Map.Entry<String, String> e : options(fragment).entrySet()) {
            String want = e.getValue();
            String got = have.get(e.getKey());
            boolean ok = want == null ? got == null || got.equals("n") : want.equals(got);
            if (!ok) {
                out.add((want == null ? "# " + e.getKey() + " is not set" : e.getKey() + "=" + want)
                        + " (the .config has " + (got == null ? "it unset" : e.getKey() + "=" + got) + ")");
            }
        }
        return out;
    }

    // ---- cache key --------------------------------------------------------------------------

    /** A patch to apply: its path as given and its bytes. */
    public record Patch(Path file, byte[] content) {
        public String sha256() {
            return sha256Hex(content);
        }
    }

    /** Reads the patches given on the command line; a missing or unreadable one is bad input. */
    public static List<Patch> readPatches(List<Path> files) throws BadInput {
        List<Patch> out = new ArrayList<>();
        for (Path f : files) {
            if (!Files.isRegularFile(f)) throw new BadInput(f + ": no such patch file");
            try {
                out.add(new Patch(f, Files.readAllBytes(f)));
            } catch (IOException e) {
                throw new BadInput(f + ": cannot read: " + e.getMessage());
            }
        }
        return out;
    }

    /**
     * The key of a build: the recipe, the source, the config fragment and every patch's content in
     * order (not its file name). Two builds with one key build the same kernel.
     */
    static String cacheKey(String source, String fragment, List<Patch> patches) {
        StringBuilder s = new StringBuilder(RECIPE).append('\n').append(source).append('\n')
                .append(sha256Hex(fragment.getBytes(StandardCharsets.UTF_8))).append('\n');
        for (Patch p : patches) s.append(p.sha256()).append('\n');
        return sha256Hex(s.toString().getBytes(StandardCharsets.UTF_8));
    }

    static String sha256Hex(byte[] b) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256").digest(b));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException(e);
        }
    }

    // ---- the build --------------------------------------------------------------------------

    /** An unpacked source tree and what it is. */
    record Source(Path tree, String id, String version) {}

    /**
     * Builds (or finds in the cache) a kernel with {@code patches} applied, and returns its bzImage.
     *
     * @param name      the build's folder under built/, or null for a name from the key
     * @param sourceDir an unpacked kernel tree to use instead of Debian's package, or null
     * @param jobs      make -j
     */
    public Built build(From from, List<Patch> patches, String name, Path sourceDir, int jobs)
            throws IOException, BadInput, MissingTools, Failed {
        List<String> missing = missingPackages();
        if (!missing.isEmpty()) {
            throw new MissingTools("kernel build needs " + String.join(", ", missing)
                    + ": install with  apt-get install " + String.join(" ", missing));
        }
        Path built = Files.createDirectories(cache.resolve("built"));
        try (FileChannel ch = FileChannel.open(built.resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE)) {
            FileLock lock = ch.tryLock();
            if (lock == null) {
                log.println("kernel: waiting for another kernel build to finish");
                lock = ch.lock();
            }
            try (FileLock held = lock) {
                return buildLocked(from, patches, name, sourceDir, jobs, built);
            }
        }
    }

    private Built buildLocked(From from, List<Patch> patches, String name, Path sourceDir, int jobs, Path built)
            throws IOException, BadInput, Failed {
        long t0 = System.nanoTime();
        Source src = sourceDir != null ? ownSource(sourceDir) : debianSource(from.sourcePackage());
        String fragment = configFragment(from);
        String key = cacheKey(src.id(), fragment, patches);
        String dirName = name != null ? name : src.version() + "-" + key.substring(0, 12);
        Path entry = built.resolve(dirName);
        Path ready = entry.resolve(".ready");
        if (Files.isRegularFile(ready) && Files.isRegularFile(entry.resolve("bzImage"))) {
            if (Files.readString(ready).strip().equals(key)) {
                return new Built(entry.resolve("bzImage"), true, 0);
            }
            log.println("kernel: " + dirName + " was built from other inputs (source, config or patches); building it again");
        }
        Guest.deleteTree(entry);
        Files.createDirectories(entry);
        Children.removeOnStop(entry);
        try {
            Path tree = entry.resolve("tree");
            log.println("kernel: copying the source tree (" + src.version() + ") into " + entry);
            copyTree(src.tree(), tree);

            applyPatches(tree, patches, log);

            Path frag = entry.resolve("config-fragment");
            Files.writeString(frag, fragment);
            log.println("kernel: configuring (make tinyconfig, then " + from.configResource() + ", then make olddefconfig)");
            Path buildLog = entry.resolve("build.log");
            try (Writer w = Files.newBufferedWriter(buildLog)) {
                step(List.of("make", "ARCH=x86_64", "tinyconfig"), tree, w, buildLog);
                step(List.of("sh", "scripts/kconfig/merge_config.sh", "-m", ".config", frag.toString()), tree, w, buildLog);
                step(List.of("make", "ARCH=x86_64", "olddefconfig"), tree, w, buildLog);
            }
            List<String> bad = notStuck(fragment, Files.readString(tree.resolve(".config")));
            if (!bad.isEmpty()) {
                throw new Failed("config option(s) did not stick after make olddefconfig (a dependency is missing"
                        + " from " + from.configResource() + ", or a patch changed Kconfig):\n  " + String.join("\n  ", bad)
                        + "\nthe .config is in " + tree);
            }
            log.println("kernel: building bzImage with make -j" + jobs
                    + " (several minutes" + (verbose ? "" : "; --verbose shows make's output") + ")");
            long m0 = System.nanoTime();
            try (Writer w = Files.newBufferedWriter(buildLog, StandardOpenOption.APPEND)) {
                step(List.of("make", "ARCH=x86_64", "-j" + jobs, "bzImage"), tree, w, buildLog);
            }
            double makeSeconds = (System.nanoTime() - m0) / 1e9;
            Path image = tree.resolve("arch/x86/boot/bzImage");
            if (!Files.isRegularFile(image)) throw new Failed("make finished but left no arch/x86/boot/bzImage; see " + buildLog);
            Files.copy(image, entry.resolve("bzImage"), StandardCopyOption.REPLACE_EXISTING);
            Files.copy(tree.resolve(".config"), entry.resolve("config"), StandardCopyOption.REPLACE_EXISTING);
            // For reading an oops, and for telling two builds' functions apart.
            Files.copy(tree.resolve("System.map"), entry.resolve("System.map"), StandardCopyOption.REPLACE_EXISTING);
            String release = Files.readString(tree.resolve("include/config/kernel.release")).strip();
            double seconds = (System.nanoTime() - t0) / 1e9;
            Files.writeString(entry.resolve("build.txt"), buildText(src, from, release, fragment, patches, key, jobs, seconds, makeSeconds));
            log.println("kernel: removing the build tree");
            Guest.deleteTree(tree);
            Files.writeString(ready, key + "\n");
            log.printf("kernel: built %s (%s) in %.0f s%n", dirName, release, seconds);
            return new Built(entry.resolve("bzImage"), false, seconds);
        } catch (BadInput e) {
            Guest.deleteTree(entry);
            throw e;
        } finally {
            // A failed build stays (without .ready) for a look at build.log and the tree; the next
            // build of this name starts afresh.
            Children.keepOnStop(entry);
        }
    }

    private static String buildText(Source src, From from, String release, String fragment, List<Patch> patches, String key,
            int jobs, double seconds, double makeSeconds) {
        StringBuilder b = new StringBuilder();
        b.append("source: ").append(src.id()).append('\n');
        b.append("release: ").append(release).append('\n');
        b.append("config: ").append(from.configResource()).append(" sha256 ")
                .append(sha256Hex(fragment.getBytes(StandardCharsets.UTF_8))).append(" on top of tinyconfig\n");
        if (patches.isEmpty()) b.append("patches: none\n");
        for (Patch p : patches) b.append("patch: ").append(p.file()).append(" sha256 ").append(p.sha256()).append('\n');
        b.append("key: ").append(key).append('\n');
        b.append("jobs: ").append(jobs).append('\n');
        b.append(String.format("build seconds: %.0f (make bzImage: %.0f)%n", seconds, makeSeconds));
        b.append("built: ").append(Instant.now()).append('\n');
        return b.toString();
    }

    /** Applies each patch in order with patch -p1 --forward --batch; the first that fails is bad input. */
    static void applyPatches(Path tree, List<Patch> patches, PrintStream log) throws IOException, BadInput {
        for (int i = 0; i < patches.size(); i++) {
            Patch p = patches.get(i);
            String which = patches.size() > 1 ? " (patch " + (i + 1) + " of " + patches.size() + ")" : "";
            log.println("kernel: applying " + p.file() + which);
            Guest.Result r = Guest.run(List.of("patch", "-p1", "--forward", "--batch", "--no-backup-if-mismatch",
                    "-i", p.file().toAbsolutePath().toString()), tree, 300);
            if (r.code() == 127) throw new IOException("cannot run patch: " + r.out().strip());
            if (r.code() != 0) {
                throw new BadInput(p.file() + which + ": does not apply (patch -p1 --forward --batch):\n  "
                        + r.out().strip().replace("\n", "\n  "));
            }
        }
    }

    /** cp -al (hard links: the pristine tree is never written, patch replaces files it changes). */
    private static void copyTree(Path from, Path to) throws IOException {
        Guest.Result r = Guest.run(List.of("cp", "-al", from.toString(), to.toString()), null, 1800);
        if (r.code() == 0) return;
        Guest.deleteTree(to);
        r = Guest.run(List.of("cp", "-a", from.toString(), to.toString()), null, 3600);
        if (r.code() != 0) throw new IOException("cannot copy " + from + ": " + r.out().strip());
    }

    /** Debian's source, downloaded and unpacked into the cache on first use. */
    private Source debianSource(String pkg) throws IOException, Failed {
        Path dir = cache.resolve("kernel-src").resolve(pkg);
        Path ready = dir.resolve(".ready");
        if (!Files.isRegularFile(ready)) {
            Guest.deleteTree(dir);
            Path dl = Files.createDirectories(dir.resolve("deb"));
            Children.removeOnStop(dir);
            try {
                log.println("kernel: fetching " + pkg + " into " + dir + " (apt-get download, about 150 MB)");
                Guest.Result r = Guest.run(List.of("apt-get", "download", "-q", pkg), dl, 1800);
                if (r.code() != 0) throw new Failed("apt-get download " + pkg + " failed: " + r.out().strip());
                Path deb;
                try (Stream<Path> s = Files.list(dl)) {
                    deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst()
                            .orElseThrow(() -> new IOException("apt-get download left no .deb in " + dl));
                }
                String version = Guest.run(List.of("dpkg-deb", "-f", deb.toString(), "Version"), null, 60).out().strip();
                log.println("kernel: unpacking " + deb.getFileName());
                Path root = dir.resolve("root");
                r = Guest.run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), null, 600);
                if (r.code() != 0) throw new Failed("dpkg-deb -x failed: " + r.out().strip());
                Path tarball = root.resolve("usr/src/" + pkg + ".tar.xz");
                Path unpack = Files.createDirectories(dir.resolve("unpack"));
                r = Guest.run(List.of("tar", "-xJf", tarball.toString(), "-C", unpack.toString()), null, 1800);
                if (r.code() != 0) throw new Failed("tar -xJf " + tarball + " failed: " + r.out().strip());
                Files.move(unpack.resolve(pkg), dir.resolve("tree"));
                Guest.deleteTree(unpack);
                Guest.deleteTree(root);
                Guest.deleteTree(dl);
                Files.writeString(dir.resolve("version"), version + "\n");
                Files.writeString(ready, "ok\n");
            } finally {
                Children.keepOnStop(dir);
            }
        }
        String deb = Files.readString(dir.resolve("version")).strip();
        Path tree = dir.resolve("tree");
        return new Source(tree, pkg + " " + deb, makefileVersion(tree));
    }

    /** A tree given with --source: used as is (copied, never changed); its key is its path and version. */
    private static Source ownSource(Path dir) throws BadInput {
        if (!Files.isDirectory(dir)) throw new BadInput(dir + ": not a directory (--source wants an unpacked kernel tree)");
        Path abs = dir.toAbsolutePath().normalize();
        String v = makefileVersion(abs);
        return new Source(abs, "tree " + abs + " " + v, v);
    }

    /** VERSION.PATCHLEVEL.SUBLEVEL from the top Makefile, or "linux" when there is none. */
    static String makefileVersion(Path tree) {
        Map<String, String> v = new LinkedHashMap<>();
        try {
            for (String line : Files.readAllLines(tree.resolve("Makefile"))) {
                Matcher m = Pattern.compile("(VERSION|PATCHLEVEL|SUBLEVEL)\\s*=\\s*(\\d+)\\s*").matcher(line);
                if (m.matches()) v.putIfAbsent(m.group(1), m.group(2));
                if (v.size() == 3) break;
            }
        } catch (IOException e) {
            return "linux";
        }
        if (v.size() < 3) return "linux";
        return v.get("VERSION") + "." + v.get("PATCHLEVEL") + "." + v.get("SUBLEVEL");
    }

    // ---- running make -----------------------------------------------------------------------

    /**
     * Runs one step in {@code dir}, its output into the log (and to stderr with --verbose), under
     * {@link Guest#WATCHDOG} so that make dies with the JVM however the JVM goes. A step that fails
     * ends the build with the last lines of its output.
     */
    private void step(List<String> cmd, Path dir, Writer out, Path logFile) throws IOException, Failed {
        ProcessBuilder pb = new ProcessBuilder(Guest.guarded(cmd)).redirectErrorStream(true).directory(dir.toFile());
        if (Children.stopping()) throw new IOException("stopped: the unfinished build is removed");
        Process p = pb.start();
        Children.track(p);
        long start = System.nanoTime();
        ArrayList<String> tail = new ArrayList<>();
        int[] compiled = {0};
        Thread beat = new Thread(() -> {
            try {
                while (true) {
                    Thread.sleep(120_000);
                    synchronized (tail) {
                        log.printf("kernel: still building: %d files compiled, %d min%n", compiled[0],
                                (System.nanoTime() - start) / 60_000_000_000L);
                    }
                }
            } catch (InterruptedException e) {
                // the step ended
            }
        });
        beat.setDaemon(true);
        if (!verbose) beat.start();
        // The output is read on a thread of its own: the watchdog's helper holds the pipe open until
        // the JVM closes the wrapper's standard input, which happens only once the step has ended.
        IOException[] failed = {null};
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    synchronized (tail) {
                        out.write(line);
                        out.write('\n');
                        out.flush(); // tail -f build.log follows the build
                        if (line.startsWith("  CC ")) compiled[0]++;
                        tail.add(line);
                        if (tail.size() > 25) tail.remove(0);
                    }
                    if (verbose) log.println(line);
                }
            } catch (IOException e) {
                failed[0] = e;
            }
        }, "kernel-build-output");
        reader.start();
        try {
            int code = p.waitFor();
            p.getOutputStream().close();
            reader.join(30_000);
            synchronized (tail) {
                out.flush();
                if (failed[0] != null) throw new IOException("writing the build log: " + failed[0].getMessage());
                if (code != 0 && Children.stopping()) throw new IOException("stopped: the unfinished build is removed");
                if (code != 0) {
                    throw new Failed(String.join(" ", cmd) + " failed (exit " + code + "); its last lines:\n  "
                            + String.join("\n  ", tail) + "\nthe whole output: " + logFile);
                }
            }
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        } finally {
            beat.interrupt();
            Children.untrack(p);
            p.getOutputStream().close();
        }
    }
}
