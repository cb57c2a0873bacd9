/*
 * dmctl: the guest's stand-in for dmsetup (see dm.c). Compiled from dm.c plus this file.
 *   dmctl create NAME DEVICE     a dm-linear device over all of DEVICE; prints its node, e.g. /dev/dm-0
 *   dmctl suspend NAME | resume NAME
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <string.h>
#include <unistd.h>
#include "dm.c"

int main(int argc, char **argv)
{
	int rc;

	if (argc == 4 && !strcmp(argv[1], "create")) {
		struct dm_buf b;
		rc = dm_create_linear(argv[2], argv[3]);
		if (rc == 0) {
			/* DM_DEV_STATUS would tell the minor; the node is dm-<minor> */
			memset(&b, 0, sizeof(b));
			rc = dm_call(DM_DEV_STATUS, argv[2], 0, &b, sizeof(b.io));
			if (rc == 0)
				printf("/dev/dm-%u\n", minor(b.io.dev));
		}
	} else if (argc == 3 && (!strcmp(argv[1], "suspend") || !strcmp(argv[1], "resume"))) {
		rc = dm_suspend(argv[2], !strcmp(argv[1], "suspend"));
	} else {
		fprintf(stderr, "usage: dmctl create NAME DEVICE | suspend NAME | resume NAME\n");
		return 2;
	}
	if (rc < 0) {
		fprintf(stderr, "dmctl %s %s: %s\n", argv[1], argv[2], strerror(errno));
		return 1;
	}
	return 0;
}
