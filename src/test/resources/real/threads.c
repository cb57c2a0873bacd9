/* ==== the test ============================================================== */

/* MM threads
 * clone, a fork by a thread, wait for a thread, exit of the process before its thread, reclaim naming a thread */

#define NPAGES 1
#define NREFS 0
#define GUP_TEST 0

static char *const pg_x = PAGE_ADDR(0);

static pid_t child_pid[MAXPROC];
static void run_block(int p);

/* The declarations: "anon x = v;" is a store by P0 before the test starts. */
static void initial_stores(void)
{
	store(pg_x, 1);
}

/* P0: one statement per turn. */
static void P0(int pc)
{
	int v;

	(void)v;
	switch (pc) {
	case 0: /* clone(P1); */
		child_pid[1] = start_thread(1);
		report(M_CLONE, 1, 0, child_pid[1], 0);
		break;
	case 1: /* wait(P1); */
		/* the schedule only gets here once thread P1 is done; nothing to reap */
		report(M_OK, -1, 0, 0, 0);
		break;
	case 2: /* clone(P3); */
		child_pid[3] = start_thread(3);
		report(M_CLONE, 3, 0, child_pid[3], 0);
		break;
	case 3: /* exit(); */
		exit_thread();
		break;
	}
}

/* P1: one statement per turn. */
static void P1(int pc)
{
	int v;

	(void)v;
	switch (pc) {
	case 0: /* fork(P2); */
		fflush(stdout);
		child_pid[2] = fork();
		if (child_pid[2] == 0)
			run_block(2);
		report(M_FORK, 2, 0, child_pid[2], 0);
		break;
	case 1: /* *x = 2; */
		store(pg_x, 2);
		report(M_OK, -1, 0, 0, 0);
		break;
	}
}

/* P2: one statement per turn. */
static void P2(int pc)
{
	int v;

	(void)v;
	switch (pc) {
	case 0: /* r0 = *x; */
		report(M_LOAD, 0, load(pg_x), 0, 0); /* r0 */
		break;
	case 1: /* exit(); */
		exit_thread();
		break;
	}
}

/* P3: one statement per turn. */
static void P3(int pc)
{
	int v;

	(void)v;
	switch (pc) {
	case 0: /* r0 = *x; */
		report(M_LOAD, 0, load(pg_x), 0, 0); /* r0 */
		break;
	}
}

/* K0: kernel-thread statements, run by the driver itself. */
static void K0(int pc)
{
	switch (pc) {
	case 0: /* reclaim(3:x); */
		reclaim_of(3, pg_x);
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
		case 1: P1(pc); break;
		case 2: P2(pc); break;
		case 3: P3(pc); break;
		}
	}
}

static void run_kernel(int t, int pc)
{
	switch (t) {
	case 0: K0(pc); break;
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
