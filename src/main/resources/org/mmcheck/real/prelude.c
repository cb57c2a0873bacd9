/*
 * Runtime of an mmcheck real-kernel test (generated; see README "Real-kernel mode").
 *
 * A driver process runs one schedule of the litmus test: it starts P0, then for each step of the
 * schedule either lets one process run its next statement (a byte on that process's "go" pipe; the
 * process answers on the shared "done" pipe) or runs a kernel-thread statement itself. After every
 * step it snapshots, from /proc/PID/pagemap, /proc/kpageflags and /proc/kpagecount, the state of
 * every named page of every live process, without touching the pages. Output: lines starting "@@ ".
 *
 * Raw system calls only (no liburing, no pthreads): mmap, fork, clone for threads, madvise,
 * mprotect, vmsplice/tee for read-only GUP references, io_uring fixed buffers for writable long-term
 * pins.
 *
 * Threads (clone(Pn) in the test) share this memory, so nothing here may keep "which block am I" in a
 * global: each block notes its thread id in tid_of[] and finds itself there (whoami).
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <sys/swap.h>
#include <sys/syscall.h>
#include <sys/uio.h>
#include <sys/wait.h>
#include <linux/io_uring.h>

#define PAGE 4096UL
#define MAXPROC 8
#define MAXREG 16
#define MAXREF 8

#ifndef MADV_PAGEOUT
#define MADV_PAGEOUT 21
#endif
#ifndef MADV_WIPEONFORK
#define MADV_WIPEONFORK 18
#define MADV_KEEPONFORK 19
#endif
#ifndef MAP_FIXED_NOREPLACE
#define MAP_FIXED_NOREPLACE 0x100000
#endif

/* Page i lives at a fixed address, with unmapped gaps so that no two pages share a VMA. */
#define PAGE_ADDR(i) ((char *)(0x100000000UL + (unsigned long)(i) * 0x10000UL))

enum msg_kind { M_OK, M_LOAD, M_FORK, M_EXIT, M_SEGV, M_FAIL, M_CLONE };
struct msg { int proc, kind, reg, value, pid, err; };

static int go_pipe[MAXPROC][2];
static int done_pipe[2];
static int ref_pipe[MAXREF][2];   /* read-only GET g: the pipe that vmsplice filled */
static int scratch_pipe[2];       /* tee() target: reading a reference without consuming it */
static int dev_pipe[2];           /* the "device" of io_uring fixed-buffer reads and writes */
static pid_t tid_of[MAXPROC];     /* each block's thread id, written by the block itself */
static const char *swap_device;   /* for swapoff() */
static int writeback_held;        /* the swap device is suspended: its writes stay in flight (see dm.c) */

static void die(const char *what)
{
	printf("@@ ERROR %s: %s\n", what, strerror(errno));
	fflush(stdout);
	_exit(3);
}

/* ---- process side -------------------------------------------------------------------------- */

/* The litmus block the calling thread runs (its own tid in tid_of[]; threads share the table). */
static int whoami(void)
{
	pid_t t = syscall(SYS_gettid);
	for (int p = 0; p < MAXPROC; p++)
		if (tid_of[p] == t)
			return p;
	return -1;
}

static void report(int kind, int reg, int value, int pid, int err)
{
	struct msg m = { whoami(), kind, reg, value, pid, err };
	if (write(done_pipe[1], &m, sizeof(m)) != sizeof(m))
		_exit(4);
}

static void on_segv(int sig)
{
	(void)sig;
	report(M_SEGV, -1, 0, getpid(), 0);
	_exit(0);
}

/* Block until the driver lets this process run its next statement; EOF means the run is over. */
static void wait_turn(void)
{
	char c;
	if (read(go_pipe[whoami()][0], &c, 1) != 1)
		_exit(0);
}

static void become(int p)
{
	struct sigaction sa;
	tid_of[p] = syscall(SYS_gettid);
	memset(&sa, 0, sizeof(sa));
	sa.sa_handler = on_segv;
	sigaction(SIGSEGV, &sa, NULL);
	sigaction(SIGBUS, &sa, NULL);
}

static void store(char *page, int value)
{
	*(volatile unsigned char *)page = (unsigned char)value;
}

static int load(char *page)
{
	return *(volatile unsigned char *)page;
}

/* The SIGSEGV handler ends the whole thread group (_exit is exit_group), as the default action would. */

/* exit() of a test with threads: ends this thread only; the process, and its mm, end with the last one. */
static void exit_thread(void)
{
	report(M_EXIT, -1, 0, syscall(SYS_gettid), 0);
	syscall(SYS_exit, 0);
}

static void run_block(int p);

static int thread_main(void *arg)
{
	run_block((int)(long)arg);
	return 0;
}

/*
 * clone(Pn): a thread of this process (same mm, files, signal handlers, thread group) that runs block
 * p on a stack of its own. glibc's clone() wrapper is the raw system call plus the switch of stacks.
 */
static pid_t start_thread(int p)
{
	size_t size = 256 * 1024;
	char *stack = mmap(NULL, size, PROT_READ | PROT_WRITE, MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK, -1, 0);
	pid_t tid;

	if (stack == MAP_FAILED)
		die("mmap thread stack");
	tid = clone(thread_main, stack + size, CLONE_VM | CLONE_FS | CLONE_FILES | CLONE_SIGHAND | CLONE_THREAD
		    | CLONE_SYSVSEM, (void *)(long)p);
	if (tid < 0)
		die("clone");
	return tid;
}

/* g = get(x): vmsplice takes a FOLL_GET reference on the page and parks it in g's pipe. */
static int get_ro(int ref, char *page)
{
	char buf[PAGE];
	struct iovec iov = { page, PAGE };
	while (read(ref_pipe[ref][0], buf, sizeof(buf)) > 0)
		; /* a reference still held is dropped first */
	return vmsplice(ref_pipe[ref][1], &iov, 1, 0) == (ssize_t)PAGE ? 0 : -1;
}

/* r = *g: tee() duplicates the pipe buffer (same page) into a scratch pipe, so g stays readable. */
static int read_ro(int ref, int *value)
{
	unsigned char buf[PAGE];
	ssize_t n = tee(ref_pipe[ref][0], scratch_pipe[1], PAGE, SPLICE_F_NONBLOCK);
	if (n <= 0)
		return -1; /* g holds no page: a no-op */
	if (read(scratch_pipe[0], buf, sizeof(buf)) != n)
		die("read scratch");
	*value = buf[0];
	return 0;
}

/* put(g): drain the pipe, which drops the page reference. */
static void put_ro(int ref)
{
	char buf[PAGE];
	while (read(ref_pipe[ref][0], buf, sizeof(buf)) > 0)
		;
}

/* ---- io_uring, raw: one ring per pin, one registered buffer (the page) ---------------------- */

struct ring {
	int fd;
	unsigned *sq_tail, *sq_mask, *sq_array, *cq_head, *cq_tail, *cq_mask;
	struct io_uring_sqe *sqes;
	struct io_uring_cqe *cqes;
};
static struct ring pins[MAXREF];

/* p = pin(x, FOLL_WRITE | FOLL_LONGTERM): IORING_REGISTER_BUFFERS pins the page that way. */
static int pin_rw(int ref, char *page)
{
	struct io_uring_params pr;
	struct ring *r = &pins[ref];
	struct iovec iov = { page, PAGE };
	char *sq, *cq;

	memset(&pr, 0, sizeof(pr));
	r->fd = syscall(__NR_io_uring_setup, 4, &pr);
	if (r->fd < 0)
		die("io_uring_setup");
	sq = mmap(NULL, pr.sq_off.array + pr.sq_entries * sizeof(unsigned), PROT_READ | PROT_WRITE,
		  MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQ_RING);
	cq = mmap(NULL, pr.cq_off.cqes + pr.cq_entries * sizeof(struct io_uring_cqe),
		  PROT_READ | PROT_WRITE, MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_CQ_RING);
	r->sqes = mmap(NULL, pr.sq_entries * sizeof(struct io_uring_sqe), PROT_READ | PROT_WRITE,
		       MAP_SHARED | MAP_POPULATE, r->fd, IORING_OFF_SQES);
	if (sq == MAP_FAILED || cq == MAP_FAILED || r->sqes == MAP_FAILED)
		die("mmap io_uring");
	r->sq_tail = (unsigned *)(sq + pr.sq_off.tail);
	r->sq_mask = (unsigned *)(sq + pr.sq_off.ring_mask);
	r->sq_array = (unsigned *)(sq + pr.sq_off.array);
	r->cq_head = (unsigned *)(cq + pr.cq_off.head);
	r->cq_tail = (unsigned *)(cq + pr.cq_off.tail);
	r->cq_mask = (unsigned *)(cq + pr.cq_off.ring_mask);
	r->cqes = (struct io_uring_cqe *)(cq + pr.cq_off.cqes);
	if (syscall(__NR_io_uring_register, r->fd, IORING_REGISTER_BUFFERS, &iov, 1) < 0) {
		close(r->fd);
		r->fd = -1;
		return -1;
	}
	return 0;
}

/* One fixed-buffer read or write of one byte between the pinned page and dev_pipe. */
static int ring_io(struct ring *r, int op, int fd, char *page)
{
	unsigned tail = *r->sq_tail, idx = tail & *r->sq_mask, head;
	struct io_uring_sqe *sqe = &r->sqes[idx];
	int res;

	memset(sqe, 0, sizeof(*sqe));
	sqe->opcode = op;
	sqe->fd = fd;
	sqe->addr = (unsigned long)page;
	sqe->len = 1;
	sqe->buf_index = 0;
	r->sq_array[idx] = idx;
	__atomic_store_n(r->sq_tail, tail + 1, __ATOMIC_RELEASE);
	if (syscall(__NR_io_uring_enter, r->fd, 1, 1, IORING_ENTER_GETEVENTS, NULL, 0) < 0)
		die("io_uring_enter");
	head = *r->cq_head;
	if (head == __atomic_load_n(r->cq_tail, __ATOMIC_ACQUIRE))
		die("io_uring: no completion");
	res = r->cqes[head & *r->cq_mask].res;
	__atomic_store_n(r->cq_head, head + 1, __ATOMIC_RELEASE);
	return res;
}

/* *p = v: the device writes v into the pinned page (IORING_OP_READ_FIXED from a pipe). */
static void write_pin(int ref, char *page, int value)
{
	unsigned char v = value;
	if (pins[ref].fd < 0)
		return; /* p holds no page: a no-op */
	if (write(dev_pipe[1], &v, 1) != 1)
		die("write dev pipe");
	if (ring_io(&pins[ref], IORING_OP_READ_FIXED, dev_pipe[0], page) != 1)
		die("READ_FIXED");
}

/* r = *p: the device reads the pinned page (IORING_OP_WRITE_FIXED into a pipe). */
static int read_pin(int ref, char *page, int *value)
{
	unsigned char v;
	if (pins[ref].fd < 0)
		return -1;
	if (ring_io(&pins[ref], IORING_OP_WRITE_FIXED, dev_pipe[1], page) != 1)
		die("WRITE_FIXED");
	if (read(dev_pipe[0], &v, 1) != 1)
		die("read dev pipe");
	*value = v;
	return 0;
}

/* unpin(p): IORING_UNREGISTER_BUFFERS drops the pin. */
static void unpin_rw(int ref)
{
	if (pins[ref].fd < 0)
		return;
	syscall(__NR_io_uring_register, pins[ref].fd, IORING_UNREGISTER_BUFFERS, NULL, 0);
	close(pins[ref].fd);
	pins[ref].fd = -1;
}

/*
 * ---- read-only long-term pins through gup_test (CONFIG_GUP_TEST) ------------------------------
 * /sys/kernel/debug/gup_test pins a range of the caller's memory with pin_user_pages(_fast) and
 * FOLL_LONGTERM (PIN_LONGTERM_TEST_START), reads the pinned pages back (READ) and unpins (STOP). It
 * holds one set of pages for the whole kernel until STOP or the release of the file. The driver opens
 * the file before P0 starts and keeps it open, so every process shares it and a pin outlives the
 * process that took it, as the model's does. The ioctl numbers are the kernel's user-space interface
 * (mm/gup_test.h).
 */
struct pin_longterm_test {
	uint64_t addr;
	uint64_t size;
	uint32_t flags;
};
#define PIN_LONGTERM_TEST_START _IOW('g', 7, struct pin_longterm_test)
#define PIN_LONGTERM_TEST_STOP _IO('g', 8)
#define PIN_LONGTERM_TEST_READ _IOW('g', 9, uint64_t)
#define PIN_LONGTERM_TEST_FLAG_USE_FAST 2

static int gup_fd = -1;
static int gup_ref = -1; /* the reference that holds gup_test's pin, or -1 */

static void open_gup_test(void)
{
	gup_fd = open("/sys/kernel/debug/gup_test", O_RDWR);
	if (gup_fd < 0) {
		printf("@@ ERROR set-up: /sys/kernel/debug/gup_test: %s (read-only pins need CONFIG_GUP_TEST)\n",
		       strerror(errno));
		fflush(stdout);
		_exit(3);
	}
	/* STOP with nothing pinned is a no-op where the ioctls exist; before 6.2 it is an unknown command */
	if (ioctl(gup_fd, PIN_LONGTERM_TEST_STOP) < 0) {
		printf("@@ ERROR set-up: gup_test has no PIN_LONGTERM_TEST ioctls (%s; they came in Linux 6.2)\n",
		       strerror(errno));
		fflush(stdout);
		_exit(3);
	}
}

/* p = pin(x, FOLL_LONGTERM [| FOLL_FAST]) */
static int pin_ro(int ref, char *page, int fast)
{
	struct pin_longterm_test args = { (unsigned long)page, PAGE, fast ? PIN_LONGTERM_TEST_FLAG_USE_FAST : 0 };

	if (ioctl(gup_fd, PIN_LONGTERM_TEST_START, &args) < 0)
		return -1;
	gup_ref = ref;
	return 0;
}

/* r = *p: the pinned page's first byte, read by the kernel through the pin */
static int read_pin_ro(int ref, int *value)
{
	unsigned char buf[PAGE];
	uint64_t addr = (unsigned long)buf;

	if (gup_ref != ref)
		return -1; /* p holds no page: a no-op */
	if (ioctl(gup_fd, PIN_LONGTERM_TEST_READ, &addr) < 0)
		die("PIN_LONGTERM_TEST_READ");
	*value = buf[0];
	return 0;
}

/* unpin(p) */
static void unpin_ro(int ref)
{
	if (gup_ref != ref)
		return;
	if (ioctl(gup_fd, PIN_LONGTERM_TEST_STOP) < 0)
		die("PIN_LONGTERM_TEST_STOP");
	gup_ref = -1;
}

/* ---- driver side ----------------------------------------------------------------------------- */

static pid_t pid_of[MAXPROC];     /* a process's pid, a thread's tid */
static int alive[MAXPROC];        /* 0 not started, 1 running (its mm exists), 2 exited */
static int group_of[MAXPROC];     /* the block whose process a thread belongs to (itself for a process) */
static int regs[MAXPROC][MAXREG];

static void write_file(const char *path, const char *value)
{
	int fd = open(path, O_WRONLY);
	if (fd < 0 || write(fd, value, strlen(value)) < 0)
		die(path);
	close(fd);
}

static long read_long(const char *path)
{
	char buf[64] = { 0 };
	int fd = open(path, O_RDONLY);
	if (fd < 0 || read(fd, buf, sizeof(buf) - 1) < 0)
		die(path);
	close(fd);
	return atol(buf);
}

/* Wait until a process that reported exit or SIGSEGV has torn down its mm (zombie or gone). */
static void wait_gone(pid_t pid)
{
	char path[64], buf[256];
	for (int i = 0; i < 20000; i++) {
		snprintf(path, sizeof(path), "/proc/%d/stat", pid);
		int fd = open(path, O_RDONLY);
		if (fd < 0)
			return;
		ssize_t n = read(fd, buf, sizeof(buf) - 1);
		close(fd);
		if (n <= 0)
			return;
		buf[n] = 0;
		char *rp = strrchr(buf, ')');
		if (rp && (rp[2] == 'Z' || rp[2] == 'X'))
			return;
		usleep(500);
	}
	printf("@@ ERROR process %d did not exit\n", pid);
}

static uint64_t pread64_at(int fd, uint64_t index)
{
	uint64_t v = 0;
	if (pread(fd, &v, sizeof(v), index * 8) != sizeof(v))
		return 0;
	return v;
}

/*
 * /proc/vmstat shows the global counters without the per-CPU deltas not yet folded into them, so a
 * page just put under writeback can still read as nr_writeback 0. Writing stat_refresh folds them
 * first (root only; without it the wait below may end too early).
 */
static void refresh_vmstat(void)
{
	int fd = open("/proc/sys/vm/stat_refresh", O_WRONLY);

	if (fd < 0)
		return;
	if (write(fd, "1", 1) < 0) {
		/* an old kernel or no permission: fall back to the unfolded counter */
	}
	close(fd);
}

/*
 * Unless the schedule holds the writeback, the model completes every started writeback before it
 * observes a step (see Schedules.java); make the kernel match: wait until /proc/vmstat shows no page
 * under writeback (a swap write to the virtio disk is asynchronous, and a page still under writeback
 * stays in the swap cache at the next swap-in).
 */
static void settle_writeback(void)
{
	char line[128];
	for (int i = 0; i < 4000; i++) {
		long n = -1;
		FILE *f;

		refresh_vmstat();
		f = fopen("/proc/vmstat", "r");
		if (!f)
			return;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "nr_writeback ", 13))
				n = atol(line + 13);
		fclose(f);
		if (n <= 0)
			return;
		usleep(500);
	}
	printf("@@ NOTE writeback did not finish within 2 s\n");
}

/* One line per page of every live process: kind (N none, P present, S swap), pfn, kpageflags, kpagecount. */
static void snapshot(int step, const char *actor, const char *what, int npages)
{
	int kflags, kcount;

	if (!writeback_held)
		settle_writeback();
	kflags = open("/proc/kpageflags", O_RDONLY);
	kcount = open("/proc/kpagecount", O_RDONLY);
	printf("@@ STEP %d %s %s\n", step, actor, what);
	for (int p = 0; p < MAXPROC; p++) {
		if (alive[p] == 0)
			continue;
		printf("@@ PROC %d %s", p, alive[p] == 1 ? "live" : "exited");
		for (int r = 0; r < MAXREG; r++)
			printf(" %d", regs[p][r]);
		printf("\n");
		if (alive[p] != 1)
			continue;
		char path[64];
		snprintf(path, sizeof(path), "/proc/%d/pagemap", pid_of[p]);
		int pm = open(path, O_RDONLY);
		if (pm < 0)
			die(path);
		for (int i = 0; i < npages; i++) {
			uint64_t e = pread64_at(pm, (unsigned long)PAGE_ADDR(i) / PAGE);
			if (e >> 63 & 1) {
				uint64_t pfn = e & ((1ULL << 55) - 1);
				printf("@@ PAGE %d %d P %llu %llx %llu\n", p, i, (unsigned long long)pfn,
				       (unsigned long long)pread64_at(kflags, pfn),
				       (unsigned long long)pread64_at(kcount, pfn));
			} else if (e >> 62 & 1) {
				/* the swap entry: type in bits 0-4, offset in 5-54 */
				printf("@@ PAGE %d %d S %llu 0 0\n", p, i,
				       (unsigned long long)(e & ((1ULL << 55) - 1)));
			} else {
				printf("@@ PAGE %d %d N 0 0 0\n", p, i);
			}
		}
		close(pm);
	}
	close(kflags);
	close(kcount);
	fflush(stdout);
}

/*
 * After the last step, what each block would read at each page (the outcome's page columns), through
 * /proc/PID/mem of the block or of a live thread of its process: "@@ FINAL p i v", v = -1 where there
 * is nothing to read (no mm, no mapping). Reading may fault pages in; nothing is observed afterwards.
 */
static void final_values(int npages)
{
	for (int p = 0; p < MAXPROC; p++) {
		int via = -1;
		char path[64];
		int fd;

		if (alive[p] == 0)
			continue;
		for (int q = 0; q < MAXPROC && via < 0; q++)
			if (alive[q] == 1 && group_of[q] == group_of[p])
				via = alive[p] == 1 ? p : q;
		fd = -1;
		if (via >= 0) {
			snprintf(path, sizeof(path), "/proc/%d/mem", pid_of[via]);
			fd = open(path, O_RDONLY);
		}
		for (int i = 0; i < npages; i++) {
			unsigned char b;
			int v = fd >= 0 && pread(fd, &b, 1, (off_t)(unsigned long)PAGE_ADDR(i)) == 1 ? b : -1;
			printf("@@ FINAL %d %d %d\n", p, i, v);
		}
		if (fd >= 0)
			close(fd);
	}
	fflush(stdout);
}

/* Let process p run one statement and take its answer. */
static struct msg run_process(int p)
{
	struct msg m;
	if (alive[p] != 1 || write(go_pipe[p][1], "g", 1) != 1)
		die("go");
	if (read(done_pipe[0], &m, sizeof(m)) != sizeof(m))
		die("done");
	if (m.kind == M_FORK || m.kind == M_CLONE) {
		/* m.reg carries the child's litmus index */
		pid_of[m.reg] = m.pid;
		alive[m.reg] = 1;
		group_of[m.reg] = m.kind == M_FORK ? m.reg : group_of[p];
	} else if (m.kind == M_LOAD) {
		regs[p][m.reg] = m.value;
	} else if (m.kind == M_EXIT) {
		wait_gone(pid_of[p]);
		alive[p] = 2;
	} else if (m.kind == M_SEGV) {
		/* the signal ends every thread of the process */
		for (int q = 0; q < MAXPROC; q++)
			if (alive[q] == 1 && group_of[q] == group_of[p]) {
				wait_gone(pid_of[q]);
				alive[q] = 2;
			}
	}
	return m;
}

/* Does any live process have a VM_MERGEABLE range ("mg" in smaps)? ksmd only runs when one has. */
static int any_mergeable(void)
{
	char path[64], line[512];
	for (int p = 0; p < MAXPROC; p++) {
		if (alive[p] != 1)
			continue;
		snprintf(path, sizeof(path), "/proc/%d/smaps", pid_of[p]);
		FILE *f = fopen(path, "r");
		if (!f)
			continue;
		while (fgets(line, sizeof(line), f))
			if (!strncmp(line, "VmFlags:", 8) && strstr(line, " mg")) {
				fclose(f);
				return 1;
			}
		fclose(f);
	}
	return 0;
}

/* ksm_scan(): let ksmd run until three more full scans completed (a merge needs two), then stop it. */
static void ksm_scan(void)
{
	long start = read_long("/sys/kernel/mm/ksm/full_scans");
	if (!any_mergeable()) {
		printf("@@ NOTE ksm_scan: no mergeable range, nothing to scan\n");
		return;
	}
	write_file("/sys/kernel/mm/ksm/pages_to_scan", "10000");
	write_file("/sys/kernel/mm/ksm/sleep_millisecs", "10");
	write_file("/sys/kernel/mm/ksm/run", "1");
	for (int i = 0; read_long("/sys/kernel/mm/ksm/full_scans") < start + 3; i++) {
		if (i > 20000)
			die("ksm scan timeout");
		usleep(1000);
	}
	write_file("/sys/kernel/mm/ksm/run", "0");
}

/*
 * reclaim(N:x): MADV_PAGEOUT of process N's page from outside it, through process_madvise. For a
 * thread N, its process's: a pidfd names a thread-group leader.
 */
static void reclaim_of(int p, char *page)
{
	struct iovec iov = { page, PAGE };
	int pidfd = syscall(__NR_pidfd_open, pid_of[group_of[p]], 0);
	if (pidfd < 0)
		die("pidfd_open");
	if (syscall(__NR_process_madvise, pidfd, &iov, 1, MADV_PAGEOUT, 0) < 0)
		die("process_madvise");
	close(pidfd);
}

static void do_swapoff(void)
{
	if (swapoff(swap_device) < 0)
		printf("@@ NOTE swapoff %s: %s\n", swap_device, strerror(errno));
}

/*
 * Every process of the test runs on one CPU (the driver's at start; children inherit it). A page
 * reaches the LRU list through a per-CPU batch, and MADV_PAGEOUT drains only its own CPU's batch
 * before skipping pages that are not on the list yet: on a machine with several CPUs (--kernel
 * running; the QEMU guest has one), a page faulted in on another CPU could escape a pageout that the
 * model, which has no such batches, performs. Steps run one at a time anyway.
 */
static void stay_on_one_cpu(void)
{
	cpu_set_t one;
	int cpu = sched_getcpu();

	if (cpu < 0)
		die("sched_getcpu");
	CPU_ZERO(&one);
	CPU_SET(cpu, &one);
	if (sched_setaffinity(0, sizeof(one), &one) < 0)
		die("sched_setaffinity");
}

static void make_pipes(int nrefs)
{
	for (int p = 0; p < MAXPROC; p++)
		if (pipe(go_pipe[p]) < 0)
			die("pipe");
	for (int r = 0; r < nrefs; r++) {
		if (pipe2(ref_pipe[r], O_NONBLOCK) < 0)
			die("pipe");
		pins[r].fd = -1;
	}
	if (pipe(done_pipe) < 0 || pipe2(scratch_pipe, O_NONBLOCK) < 0 || pipe(dev_pipe) < 0)
		die("pipe");
}

/* Set up P0's pages at their fixed addresses, as "anon x;" declares them. */
static void map_pages(int npages)
{
	for (int i = 0; i < npages; i++) {
		char *a = mmap(PAGE_ADDR(i), PAGE, PROT_READ | PROT_WRITE,
			       MAP_PRIVATE | MAP_ANONYMOUS | MAP_FIXED_NOREPLACE, -1, 0);
		if (a != PAGE_ADDR(i))
			die("mmap");
		madvise(a, PAGE, MADV_NOHUGEPAGE);
	}
}

static void finish(void)
{
	for (int p = 0; p < MAXPROC; p++)
		if (alive[p] == 1) {
			kill(pid_of[p], SIGKILL);
			wait_gone(pid_of[p]);
		}
	while (waitpid(-1, NULL, WNOHANG) > 0)
		;
}
