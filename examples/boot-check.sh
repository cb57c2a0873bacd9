#!/usr/bin/env bash
# Boots a bzImage (from `./mmcheck kernel build`) under QEMU with a busybox initramfs that checks
# what real mode needs (debugfs gup_test, zram, pagemap/kpageflags, device mapper, a virtio disk
# with a writable stable_writes, swap on both), then powers off. QEMU must exit by itself.
#   examples/boot-check.sh ~/.cache/mmcheck/built/6.1-seed/bzImage
set -euo pipefail
image="${1:?usage: $0 BZIMAGE}"
busybox="${BUSYBOX:-/bin/busybox}"
work="$(mktemp -d)"
trap 'rm -rf "$work"' EXIT
mkdir -p "$work/stage/bin" "$work/stage/proc" "$work/stage/sys" "$work/stage/dev"
cp "$busybox" "$work/stage/bin/busybox"
cat > "$work/stage/init" <<'INIT'
#!/bin/busybox sh
/bin/busybox --install -s /bin
export PATH=/bin
mount -t proc proc /proc
mount -t sysfs sys /sys
mount -t devtmpfs dev /dev
mount -t debugfs debugfs /sys/kernel/debug
echo "@@ uname -r: $(uname -r)"
echo "@@ version: $(cat /proc/sys/kernel/version)"
ok() { if eval "$2"; then echo "@@ ok   $1"; else echo "@@ FAIL $1"; fi; }
ok "gup_test in debugfs" "[ -e /sys/kernel/debug/gup_test ]"
ok "zram0 exists" "[ -b /dev/zram0 ]"
ok "zram0 comp_algorithm" "cat /sys/block/zram0/comp_algorithm"
ok "zram0 disksize 16M" "echo 16M > /sys/block/zram0/disksize && [ \$(cat /sys/block/zram0/disksize) = 16777216 ]"
ok "mkswap+swapon zram0" "mkswap /dev/zram0 >/dev/null && swapon /dev/zram0 && grep zram0 /proc/swaps"
ok "/proc/kpageflags" "[ -r /proc/kpageflags ]"
ok "/proc/kpagecount" "[ -r /proc/kpagecount ]"
ok "/proc/self/pagemap" "[ -r /proc/self/pagemap ]"
ok "/dev/mapper/control (DM)" "[ -c /dev/mapper/control ]"
ok "vda exists" "[ -b /dev/vda ]"
ok "vda stable_writes writable" "echo 1 > /sys/block/vda/queue/stable_writes && [ \$(cat /sys/block/vda/queue/stable_writes) = 1 ] && echo 0 > /sys/block/vda/queue/stable_writes"
ok "mkswap+swapon vda" "mkswap /dev/vda >/dev/null && swapon /dev/vda && grep vda /proc/swaps"
ok "ksm run" "echo 0 > /sys/kernel/mm/ksm/run"
ok "no THP" "[ ! -e /sys/kernel/mm/transparent_hugepage/enabled ]"
echo "@@ poweroff -f"
poweroff -f
INIT
chmod +x "$work/stage/init"
(cd "$work/stage" && find . | cpio -o -H newc --quiet | gzip -1 > "$work/initrd.cpio.gz")
truncate -s 64M "$work/disk.img"
timeout 120 "${QEMU:-qemu-system-x86_64}" -nographic -no-reboot -m 512 -smp 1 -cpu max -kernel "$image" \
  -initrd "$work/initrd.cpio.gz" -drive "file=$work/disk.img,format=raw,if=virtio" \
  -append "console=ttyS0 quiet panic=-1" </dev/null | tee "$work/console.log"
grep -q "@@ FAIL" "$work/console.log" && { echo "boot-check: some check failed" >&2; exit 1; }
grep -q "@@ poweroff -f" "$work/console.log" || { echo "boot-check: init did not finish" >&2; exit 1; }
echo "boot-check: all checks passed and QEMU exited by itself" >&2
