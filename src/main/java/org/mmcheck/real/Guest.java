package org.mmcheck.real;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.stream.Stream;

/**
 * A Debian kernel under QEMU (TCG): fetches the kernel package with apt-get download into
 * ~/.cache/mmcheck, builds a busybox initramfs holding the test programs, boots once and returns
 * the console. Nothing is installed into /boot and nothing of the host is changed.
 */
public final class Guest {
    /** A job of one boot: a compiled test program, the swap device it wants, one schedule. */
    public record Job(String id, Path binary, String swapDevice, String schedule) {}

    /** An unpacked kernel: its release, image and module tree, and the QEMU to boot it with. */
    public record Kernel(String release, String version, Path vmlinuz, Path modules, String qemu) {}

    private final PrintStream log;

    public Guest(PrintStream log) {
        this.log = log;
    }

    public static Path cacheDir() {
        String xdg = System.getenv("XDG_CACHE_HOME");
        Path base = xdg != null && !xdg.isEmpty() ? Path.of(xdg) : Path.of(System.getProperty("user.home"), ".cache");
        return base.resolve("mmcheck");
    }

    public static boolean haveQemu(String qemu) {
        try {
            return run(List.of("sh", "-c", "command -v " + qemu), null, 10).code == 0;
        } catch (IOException e) {
            return false;
        }
    }

    /**
     * The kernel for {@code which} ("6.1" or "6.12"), fetched and unpacked on first use. The package is
     * the dependency of linux-image-cloud-amd64 (bookworm, or bookworm-backports for 6.12), or
     * $KERNEL_PKG when set.
     */
    public Kernel kernel(String which) throws IOException {
        Path image = Path.of(which);
        if (which.contains("/") || Files.isRegularFile(image)) return built(image);
        String pkg = System.getenv("KERNEL_PKG");
        String release = which.equals("6.12") ? "bookworm-backports" : null;
        if (pkg == null || pkg.isEmpty()) pkg = resolvePackage(release);
        Path dir = cacheDir().resolve("kernels").resolve(pkg);
        Path ready = dir.resolve(".ready");
        if (!Files.exists(ready)) {
            log.println("real: fetching " + pkg + " into " + dir + " (apt-get download)");
            Path dl = Files.createDirectories(dir.resolve("deb"));
            List<String> cmd = new ArrayList<>(List.of("apt-get", "download", "-q"));
            if (release != null) cmd.addAll(List.of("-t", release));
            cmd.add(pkg);
            Result r = run(cmd, dl, 600);
            if (r.code != 0) throw new IOException("apt-get download " + pkg + " failed: " + r.out.trim());
            Path deb;
            try (Stream<Path> s = Files.list(dl)) {
                deb = s.filter(p -> p.toString().endsWith(".deb")).findFirst()
                        .orElseThrow(() -> new IOException("no .deb downloaded"));
            }
            Path root = dir.resolve("root");
            r = run(List.of("dpkg-deb", "-x", deb.toString(), root.toString()), null, 300);
            if (r.code != 0) throw new IOException("dpkg-deb -x failed: " + r.out);
            String rel = onlyChild(root.resolve("lib/modules"));
            r = run(List.of("depmod", "-b", root.toString(), rel), null, 300);
            if (r.code != 0) throw new IOException("depmod failed (install kmod): " + r.out);
            String version = run(List.of("dpkg-deb", "-f", deb.toString(), "Version"), null, 30).out.trim();
            Files.writeString(dir.resolve("version"), version + "\n");
            Files.writeString(ready, "ok\n");
        }
        Path root = dir.resolve("root");
        String rel = onlyChild(root.resolve("lib/modules"));
        String version = Files.readString(dir.resolve("version")).trim();
        String qemu = qemu();
        return new Kernel(rel, version, root.resolve("boot/vmlinuz-" + rel), root.resolve("lib/modules/" + rel), qemu);
    }

    /** The QEMU binary: $QEMU, or qemu-system-x86_64. */
    private static String qemu() {
        return System.getenv().getOrDefault("QEMU", "qemu-system-x86_64");
    }

    /**
     * A kernel image the user built (a bzImage with everything the guest needs built in, as
     * {@code mmcheck kernel build} makes): no module tree, nothing fetched.
     */
    public static Kernel built(Path image) throws IOException {
        String release = bzImageRelease(image);
        String qemu = qemu();
        return new Kernel(release, "built: " + image, image, null, qemu);
    }

    /**
     * The release a bzImage was built as, from its boot-protocol header: the 16-bit field at 0x20E
     * points (plus 0x200) at the kernel's version string, whose first word is the release. An
     * unreadable or foreign file is an IOException naming it.
     */
    public static String bzImageRelease(Path image) throws IOException {
        byte[] b;
        try {
            b = Files.readAllBytes(image);
        } catch (IOException e) {
            throw new IOException("cannot read kernel image " + image + ": " + e.getMessage());
        }
        boolean header = b.length > 0x210 && b[0x202] == 'H' && b[0x203] == 'd' && b[0x204] == 'r' && b[0x205] == 'S';
        int at = header ? ((b[0x20E] & 0xff) | (b[0x20F] & 0xff) << 8) + 0x200 : -1;
        if (at < 0x200 || at >= b.length) throw new IOException(image + " is not an x86 bzImage (no boot header)");
        int end = at;
        while (end < b.length && b[end] != 0 && b[end] != ' ') end++;
        return new String(b, at, end - at, StandardCharsets.US_ASCII);
    }

    private String resolvePackage(String release) throws IOException {
        String meta = "linux-image-cloud-amd64";
        String spec = meta;
        if (release != null) {
            Result m = run(List.of("sh", "-c", "apt-cache madison " + meta + " | grep " + release + " | head -1"), null, 60);
            String[] f = m.out.split("\\|");
            if (f.length < 2) throw new IOException(meta + " is not available from " + release + " (add it to the apt sources)");
            spec = meta + "=" + f[1].trim();
        }
        Result r = run(List.of("apt-cache", "depends", spec), null, 60);
        for (String line : r.out.split("\n")) {
            line = line.trim();
            if (line.startsWith("Depends: linux-image-")) return line.substring("Depends: ".length()).trim();
        }
        throw new IOException("cannot resolve " + spec + " (apt-get update?): " + r.out.trim());
    }

    private static String onlyChild(Path dir) throws IOException {
        try (Stream<Path> s = Files.list(dir)) {
            return s.map(p -> p.getFileName().toString()).sorted().findFirst()
                    .orElseThrow(() -> new IOException("no kernel modules in " + dir));
        }
    }

    /**
     * The swap and disk modules, in load order, resolved with modprobe --show-depends. zram's default
     * compressor (lzo-rle) is a module of its own that zram would ask for on demand, which the
     * initramfs cannot do: without it zram0 gets no size and swapon fails.
     */
    private List<Path> modules(Kernel k) throws IOException {
        List<Path> out = new ArrayList<>();
        if (k.modules() == null) return out; // a kernel with everything built in
        Path base = k.modules().getParent().getParent().getParent();
        for (String m : List.of("lzo-rle", "zram", "virtio_pci", "virtio_blk", "dm-mod")) {
            Result r = run(List.of("modprobe", "-d", base.toString(), "-S", k.release(), "--show-depends", m), null, 60);
            for (String line : r.out.split("\n")) {
                line = line.trim();
                if (!line.startsWith("insmod ")) continue;
                Path p = Path.of(line.substring(7).trim().split("\\s+")[0]);
                if (!out.contains(p)) out.add(p);
            }
        }
        return out;
    }

    /** The swap devices of a guest: plain, held-writeback (dm over vdb), stable-writes (dm over vdc). */
    public static final String PLAIN_DEVICE = "/dev/vda", HELD_DEVICE = "/dev/mmheld", STABLE_DEVICE = "/dev/mmstable";

    private static final String INIT = String.join("\n",
            "#!/bin/busybox sh",
            "/bin/busybox --install -s /bin",
            "export PATH=/bin",
            "mount -t proc proc /proc",
            "mount -t sysfs sys /sys",
            "mount -t devtmpfs dev /dev",
            "mount -t debugfs debugfs /sys/kernel/debug 2>/dev/null",
            "for m in $(cat /modules.list); do insmod /lib/mod/$m 2>/dev/null; done",
            "echo 128M > /sys/block/zram0/disksize",
            "mkswap /dev/zram0 >/dev/null",
            "[ -b /dev/vda ] && mkswap /dev/vda >/dev/null",
            // Swap devices whose writes a schedule can hold (dm.c): dm-linear over the second and third
            // disks; the third is a stable-writes device (set on the disk, which dm inherits, and on dm).
            "if [ -b /dev/vdb ] && dm=$(/bin/dmctl create mmheld /dev/vdb); then",
            "  ln -s $dm /dev/mmheld; mkswap /dev/mmheld >/dev/null",
            "else echo \"@@ NOTE set-up: no dm device over /dev/vdb (device mapper missing?)\"; fi",
            "echo 1 > /sys/block/vdc/queue/stable_writes 2>/dev/null",
            "if [ -b /dev/vdc ] && dm=$(/bin/dmctl create mmstable /dev/vdc); then",
            "  ln -s $dm /dev/mmstable; echo 1 > /sys/block/${dm#/dev/}/queue/stable_writes 2>/dev/null",
            "  mkswap /dev/mmstable >/dev/null",
            "else echo \"@@ NOTE set-up: no dm device over /dev/vdc (device mapper missing?)\"; fi",
            "echo 0 > /sys/kernel/mm/ksm/run",
            "echo never > /sys/kernel/mm/transparent_hugepage/enabled 2>/dev/null",
            "echo \"@@ KERNEL $(uname -r) $(cat /proc/sys/kernel/version)\"",
            "while read id dev sched; do",
            "  swapoff -a 2>/dev/null",
            // A set-up step that fails ends the job as a failed run, never as a model disagreement.
            "  if [ \"$dev\" != none ] && ! swapon $dev; then",
            "    echo \"@@ RUN $id\"; echo \"@@ ERROR set-up: swapon $dev failed\"; echo \"@@ DONE $id 98\"",
            "    continue",
            "  fi",
            "  if [ \"$dev\" = " + STABLE_DEVICE + " ] && [ \"$(cat /sys/block/$(basename $(readlink -f $dev))/queue/stable_writes)\" != 1 ]; then",
            "    echo \"@@ RUN $id\"; echo \"@@ ERROR set-up: $dev is not a stable-writes device\"; echo \"@@ DONE $id 98\"",
            "    continue",
            "  fi",
            "  echo \"@@ RUN $id\"",
            "  timeout 60 /tests/${id%%s*} $dev $sched",
            "  echo \"@@ DONE $id $?\"",
            // a program that died holding a device leaves it suspended: release it for the next job
            "  /bin/dmctl resume mmheld 2>/dev/null; /bin/dmctl resume mmstable 2>/dev/null",
            "done < /jobs",
            "echo \"@@ BOOT-END\"",
            "poweroff -f",
            "");

    /** Boots at most this many times for one run (see {@link #boot}). */
    static final int MAX_BOOTS = 4;

    /**
     * Runs every job, in one boot when the guest survives it. When the guest dies part-way (a kernel
     * oops: Debian's 6.12 under QEMU 7.2's TCG hits one in SLUB now and then) or hangs, it boots again
     * for the jobs that did not finish, at most {@link #MAX_BOOTS} boots in all. Returns the consoles
     * of all boots, in order: a job cut short by a dying boot is started again in the next one, and
     * {@link RealTrace#parse} keeps only its last, whole run.
     */
    public String boot(Kernel k, List<Job> jobs, Path work) throws IOException {
        Path stage = stage(k, jobs, work);
        StringBuilder all = new StringBuilder();
        List<Job> left = jobs;
        for (int n = 1; ; n++) {
            String console = bootOnce(k, stage, left, work, n);
            all.append(console);
            List<Job> unfinished = unfinished(left, console);
            if (unfinished.isEmpty() || console.contains("@@ BOOT-END")) break;
            String why = crashLine(console);
            if (n == MAX_BOOTS) {
                log.println("real: the guest died again (" + why + "); " + unfinished.size() + " job(s) not run");
                break;
            }
            log.println("real: the guest died after " + (left.size() - unfinished.size()) + " of " + left.size()
                    + " job(s) (" + why + "); booting again for the " + unfinished.size() + " left");
            left = unfinished;
        }
        return all.toString();
    }

    /** The jobs without a "@@ DONE" line in this console. */
    static List<Job> unfinished(List<Job> jobs, String console) {
        List<Job> out = new ArrayList<>();
        for (Job j : jobs) if (!console.contains("@@ DONE " + j.id() + " ")) out.add(j);
        return out;
    }

    /** The first line that says why a guest died, for the log. */
    static String crashLine(String console) {
        for (String line : console.split("\r?\n")) {
            if (line.contains("RIP: 0010:") || line.contains("Kernel panic") || line.contains("BUG:")) {
                int at = line.indexOf(']');
                return (at >= 0 && line.startsWith("[") ? line.substring(at + 1) : line).trim();
            }
        }
        return "no oops on the console: timed out or QEMU failed";
    }

    /** The initramfs tree minus its job list: busybox, the modules, init and every job's binary. */
    private Path stage(Kernel k, List<Job> jobs, Path work) throws IOException {
        Path stage = Files.createDirectories(work.resolve("initramfs"));
        for (String d : List.of("bin", "proc", "sys", "dev", "tests", "lib/mod")) Files.createDirectories(stage.resolve(d));
        Files.copy(Path.of(System.getenv().getOrDefault("BUSYBOX", "/bin/busybox")), stage.resolve("bin/busybox"),
                StandardCopyOption.REPLACE_EXISTING);
        StringBuilder modList = new StringBuilder();
        for (Path m : modules(k)) {
            String name = m.getFileName().toString();
            if (name.endsWith(".xz")) {
                name = name.substring(0, name.length() - 3);
                Result r = run(List.of("sh", "-c", "xz -dc '" + m + "' > '" + stage.resolve("lib/mod/" + name) + "'"), null, 60);
                if (r.code != 0) throw new IOException("xz failed (install xz-utils): " + r.out);
            } else {
                Files.copy(m, stage.resolve("lib/mod/" + name), StandardCopyOption.REPLACE_EXISTING);
            }
            modList.append(name).append('\n');
        }
        Files.writeString(stage.resolve("modules.list"), modList);
        for (Job j : jobs) {
            Path dst = stage.resolve("tests").resolve(j.binary().getFileName());
            if (!Files.exists(dst)) Files.copy(j.binary(), dst);
        }
        compileDmctl(work, stage.resolve("bin/dmctl"));
        Path init = stage.resolve("init");
        Files.writeString(init, INIT);
        init.toFile().setExecutable(true);
        return stage;
    }

    private String bootOnce(Kernel k, Path stage, List<Job> jobs, Path work, int attempt) throws IOException {
        StringBuilder jobList = new StringBuilder();
        for (Job j : jobs) {
            jobList.append(j.id()).append(' ').append(j.swapDevice()).append(' ').append(j.schedule()).append('\n');
        }
        Files.writeString(stage.resolve("jobs"), jobList);
        Path initrd = work.resolve("initrd.cpio.gz");
        Result r = run(List.of("sh", "-c", "cd '" + stage + "' && find . | cpio -o -H newc --quiet | gzip -1 > '" + initrd + "'"), null, 120);
        if (r.code != 0) throw new IOException("cpio failed (install cpio): " + r.out);
        List<String> drives = new ArrayList<>();
        for (String name : List.of("swap.img", "swap-held.img", "swap-stable.img")) { // vda, vdb, vdc
            Path disk = work.resolve(name);
            try (var f = new java.io.RandomAccessFile(disk.toFile(), "rw")) {
                f.setLength(64L << 20);
            }
            drives.addAll(List.of("-drive", "file=" + disk + ",format=raw,if=virtio"));
        }
        long timeout = 120 + 5L * jobs.size();
        // -cpu max: Debian's 6.12 oopses early in boot on QEMU 7.2's default TCG model (qemu64).
        List<String> cmd = new ArrayList<>(List.of(k.qemu(), "-nographic", "-no-reboot", "-m", "512", "-smp", "1",
                "-cpu", "max",
                "-kernel", k.vmlinuz().toString(), "-initrd", initrd.toString()));
        cmd.addAll(drives);
        cmd.addAll(List.of("-append", "console=ttyS0 quiet panic=-1 transparent_hugepage=never"));
        String accel = System.getenv("ACCEL");
        if (accel != null && !accel.isEmpty()) cmd.addAll(List.of("-accel", accel));
        log.println("real: booting " + k.release() + " under QEMU with " + jobs.size() + " jobs"
                + (attempt > 1 ? " (boot " + attempt + " of at most " + MAX_BOOTS + ")" : ""));
        Result q = run(guarded(cmd), work, timeout, true);
        if (q.code == 127) throw new IOException("cannot run " + k.qemu() + ": " + q.out.trim());
        Files.writeString(work.resolve(attempt == 1 ? "console.log" : "console-" + attempt + ".log"), q.out);
        if (q.code == 124) log.println("real: QEMU timed out after " + timeout + " s");
        return q.out;
    }

    /** The guest's dmctl (dm.c and dmctl.c from the resources). */
    private static void compileDmctl(Path work, Path out) throws IOException {
        Path dir = Files.createDirectories(work.resolve("dmctl"));
        Files.writeString(dir.resolve("dm.c"), CGen.resource("dm.c"));
        Files.writeString(dir.resolve("dmctl.c"), CGen.resource("dmctl.c"));
        compile(dir.resolve("dmctl.c"), out);
    }

    /** gcc -static; returns the compiler's messages on failure. */
    public static void compile(Path src, Path out) throws IOException {
        Result r = run(List.of("gcc", "-static", "-O1", "-Wall", "-o", out.toString(), src.toString()), null, 120);
        if (r.code != 0) throw new IOException("gcc failed for " + src + ":\n" + r.out);
    }

    record Result(int code, String out) {}

    /**
     * A shell wrapper that runs {@code "$@"} and kills it (SIGKILL) as soon as the wrapper's standard
     * input reaches end of file: the JVM holds the other end of that pipe and never writes to it, so
     * when the JVM goes, however it goes (SIGKILL included, where no shutdown hook runs), the kernel
     * closes the pipe and the guest dies with it instead of running on as an orphan.
     */
    static final String WATCHDOG = "exec 3<&0 0</dev/null; \"$@\" & c=$!; "
            + "{ cat <&3 >/dev/null; kill -9 $c 2>/dev/null; } & w=$!; exec 3<&-; "
            + "wait $c; s=$?; kill $w 2>/dev/null; exit $s";

    /** The command under {@link #WATCHDOG}. */
    static List<String> guarded(List<String> cmd) {
        List<String> out = new ArrayList<>(List.of("sh", "-c", WATCHDOG, "sh"));
        out.addAll(cmd);
        return out;
    }

    /** Runs a command, stdout and stderr merged; code 124 on time-out. */
    static Result run(List<String> cmd, Path dir, long timeoutSeconds) throws IOException {
        return run(cmd, dir, timeoutSeconds, false);
    }

    /**
     * @param keepStdinOpen hold the command's standard input open until it ends (for {@link #WATCHDOG}),
     *                      instead of closing it at once
     */
    static Result run(List<String> cmd, Path dir, long timeoutSeconds, boolean keepStdinOpen) throws IOException {
        ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true);
        if (dir != null) pb.directory(dir.toFile());
        if (Children.stopping()) throw new IOException("stopped");
        Process p;
        try {
            p = pb.start();
        } catch (IOException e) {
            return new Result(127, e.getMessage());
        }
        Children.track(p);
        try {
            return waitFor(p, timeoutSeconds, keepStdinOpen);
        } finally {
            Children.untrack(p);
            try {
                p.getOutputStream().close();
            } catch (IOException ignored) {
                // already closed
            }
        }
    }

    private static Result waitFor(Process p, long timeoutSeconds, boolean keepStdinOpen) throws IOException {
        if (!keepStdinOpen) p.getOutputStream().close();
        ByteArrayOutputStream buf = new ByteArrayOutputStream();
        Thread reader = new Thread(() -> {
            try (InputStream in = p.getInputStream()) {
                in.transferTo(buf);
            } catch (IOException ignored) {
                // the process went away
            }
        });
        reader.start();
        try {
            if (!p.waitFor(timeoutSeconds, TimeUnit.SECONDS)) {
                Children.kill(p); // the guest under the shell wrapper too
                p.waitFor(10, TimeUnit.SECONDS);
                reader.join(5000);
                return new Result(124, buf.toString(StandardCharsets.UTF_8));
            }
            reader.join(10000);
        } catch (InterruptedException e) {
            Children.kill(p);
            Thread.currentThread().interrupt();
            throw new IOException("interrupted");
        }
        synchronized (buf) {
            return new Result(p.exitValue(), buf.toString(StandardCharsets.UTF_8));
        }
    }

    public static void deleteTree(Path dir) {
        if (!Files.exists(dir)) return;
        try (Stream<Path> s = Files.walk(dir)) {
            s.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException ignored) {
            // best effort
        }
    }
}
