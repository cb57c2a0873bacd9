/* ==== the test ============================================================== */

/* MM vmsplice-ksm-swapoff
 * vmsplice reference read twice, KSM merge, pageout, reclaim and swapoff from kernel threads */

#define NPAGES 2
#define NREFS 1
#define GUP_TEST 0

static char *const pg_x = PAGE_ADDR(0);
static char *const pg_y = PAGE_ADDR(1);
#define REF_g 0

static pid_t child_pid[MAXPROC];
static void run_block(int p);

/* The declarations: "anon x = v;" is a store by P0 before the test starts. */
static void initial_stores(void)
{
	store(pg_x, 1);
	store(pg_y, 1);
}

/* P0: one statement per turn. */
static void P0(int pc)
{
	int v;

	(void)v;
	switch (pc) {
	case 0: /* g = get(x); */
		report(M_OK, -1, 0, 0, get_ro(REF_g, pg_x) < 0 ? errno : 0);
		break;
	case 1: /* madvise(x, MADV_MERGEABLE); */
		report(M_OK, -1, 0, 0, madvise(pg_x, PAGE, MADV_MERGEABLE) < 0 ? errno : 0);
		break;
	case 2: /* madvise(y, MADV_MERGEABLE); */
		report(M_OK, -1, 0, 0, madvise(pg_y, PAGE, MADV_MERGEABLE) < 0 ? errno : 0);
		break;
	case 3: /* r0 = *g; */
		if (read_ro(REF_g, &v) == 0)
			report(M_LOAD, 0, v, 0, 0); /* r0 */
		else
			report(M_OK, -1, 0, 0, 0); /* g holds no page: a no-op */
		break;
	case 4: /* r1 = *g; */
		if (read_ro(REF_g, &v) == 0)
			report(M_LOAD, 1, v, 0, 0); /* r1 */
		else
			report(M_OK, -1, 0, 0, 0); /* g holds no page: a no-op */
		break;
	case 5: /* put(g); */
		put_ro(REF_g);
		report(M_OK, -1, 0, 0, 0);
		break;
	case 6: /* madvise(y, MADV_PAGEOUT); */
		report(M_OK, -1, 0, 0, madvise(pg_y, PAGE, MADV_PAGEOUT) < 0 ? errno : 0);
		break;
	}
}

/* K0: kernel-thread statements, run by the driver itself. */
static void K0(int pc)
{
	switch (pc) {
	case 0: /* ksm_scan(); */
		ksm_scan();
		break;
	case 1: /* reclaim(0:x); */
		reclaim_of(0, pg_x);
		break;
	}
}

/* K1: kernel-thread statements, run by the driver itself. */
static void K1(int pc)
{
	switch (pc) {
	case 0: /* swapoff(); */
		do_swapoff();
		break;
	}
}

static void run_block(int p)
{
	become(p);
	for (int pc = 0;; pc++) {
		wait_turn();
		switch (p) {
		case 0: P0(pc); break;
		}
	}
}

static void run_kernel(int t, int pc)
{
	switch (t) {
	case 0: K0(pc); break;
	case 1: K1(pc); break;
	}
}

static const char *kind_name(int kind)
{
	static const char *names[] = { "ok", "load", "fork", "exit", "segv", "fail", "clone" };
	return names[kind];
}

/*
 * Writeback under the schedule's control (see dm.c): "hold" suspends the swap device, so that the
 * writes of the next steps stay in flight; "release" resumes it and waits until they have completed.
 */
static void hold_writeback(void)
{
	char name[128];

	if (writeback_held)
		return;
	if (!dm_name_of(swap_device, name, sizeof(name)))
		die("hold writeback: the swap device is not a dm device");
	if (dm_suspend(name, 1) < 0)
		die("dm suspend");
	writeback_held = 1;
}

static void release_writeback(void)
{
	char name[128];

	if (!writeback_held)
		return;
	if (!dm_name_of(swap_device, name, sizeof(name)) || dm_suspend(name, 0) < 0)
		die("dm resume");
	writeback_held = 0;
	settle_writeback();
}

/*
 * argv[1]: the swap device (for swapoff), argv[2]: the schedule, e.g. P0,P1,K0,P0. A step written
 * "K0+" runs with the device held (its writes stay in flight); "W" releases it: every write in flight
 * completes. "K0-" releases it before the step, which waits for those writes (swapoff). Background
 * activity the schedule places: R<p>.<i> reclaims page i of process p, M is a KSM scan, S swapoff.
 */
int main(int argc, char **argv)
{
	int kpc[MAXPROC] = { 0 }, step = 1;
	char sched[4096], *tok, *save;
	struct msg m;

	if (argc != 3) {
		fprintf(stderr, "usage: %s SWAPDEV SCHEDULE\n", argv[0]);
		return 2;
	}
	swap_device = argv[1];
	snprintf(sched, sizeof(sched), "%s", argv[2]);
	stay_on_one_cpu();
	make_pipes(NREFS);
	if (GUP_TEST)
		open_gup_test();
	printf("@@ BEGIN %s\n", argv[2]);
	fflush(stdout);
	pid_of[0] = fork();
	if (pid_of[0] == 0) {
		become(0);
		map_pages(NPAGES);
		initial_stores();
		report(M_OK, -1, 0, 0, 0);
		run_block(0);
	}
	alive[0] = 1;
	if (read(done_pipe[0], &m, sizeof(m)) != sizeof(m))
		die("P0 setup");
	snapshot(0, "init", "ok", NPAGES);
	for (tok = strtok_r(sched, ",", &save); tok; tok = strtok_r(NULL, ",", &save), step++) {
		int n = atoi(tok + 1);
		if (strchr(tok, '-'))
			release_writeback();
		if (strchr(tok, '+'))
			hold_writeback();
		if (tok[0] == 'W') {
			release_writeback();
			snapshot(step, tok, "ok", NPAGES);
		} else if (tok[0] == 'R') {
			/* background reclaim of page i of process n: R<n>.<i> */
			reclaim_of(n, PAGE_ADDR(atoi(strchr(tok, '.') + 1)));
			snapshot(step, tok, "ok", NPAGES);
		} else if (tok[0] == 'M') {
			ksm_scan();
			snapshot(step, tok, "ok", NPAGES);
		} else if (tok[0] == 'S') {
			do_swapoff();
			snapshot(step, tok, "ok", NPAGES);
		} else if (tok[0] == 'P') {
			m = run_process(n);
			if (m.err)
				printf("@@ ERRNO %d %s\n", step, strerror(m.err));
			snapshot(step, tok, kind_name(m.kind), NPAGES);
		} else {
			run_kernel(n, kpc[n]++);
			snapshot(step, tok, "ok", NPAGES);
		}
	}
	final_values(NPAGES);
	finish();
	release_writeback(); /* never leave the device suspended for the next job */
	printf("@@ END\n");
	return 0;
}
