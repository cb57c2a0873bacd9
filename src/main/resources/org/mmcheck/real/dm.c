/*
 * Device-mapper control without dmsetup (the guest has only busybox): raw DM ioctls on
 * /dev/mapper/control. mmcheck puts a dm-linear device over a virtio disk and swaps on it, so that
 * a swap write can be held: while the device is suspended, dm queues every bio it is given, so a page
 * that reclaim writes out stays under writeback (PG_writeback) until the device is resumed. That turns
 * the model's "writeback completes" into a step a schedule can place anywhere.
 *
 * Shared by the test programs (suspend and resume around steps) and by the guest's dmctl tool
 * (create, at boot). Every function returns 0, or -1 with errno set.
 */
#include <limits.h>
#include <stdlib.h>
#include <linux/dm-ioctl.h>
#include <linux/fs.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>

/* One ioctl buffer: the header, then (for a table load) one target spec and its parameter string. */
struct dm_buf {
	struct dm_ioctl io;
	struct dm_target_spec spec;
	char params[256];
};

static int dm_call(unsigned long cmd, const char *name, unsigned flags, struct dm_buf *b, size_t size)
{
	int fd = open("/dev/mapper/control", O_RDWR);
	int rc;

	if (fd < 0)
		return -1;
	b->io.version[0] = DM_VERSION_MAJOR;
	b->io.version[1] = 0;
	b->io.version[2] = 0;
	b->io.data_size = size;
	b->io.data_start = sizeof(struct dm_ioctl);
	b->io.flags = flags;
	snprintf(b->io.name, sizeof(b->io.name), "%s", name);
	rc = ioctl(fd, cmd, b);
	close(fd);
	return rc < 0 ? -1 : 0;
}

/* Hold (suspend) or release (resume) the dm device called name. */
static int dm_suspend(const char *name, int suspend)
{
	struct dm_buf b;

	memset(&b, 0, sizeof(b));
	return dm_call(DM_DEV_SUSPEND, name, suspend ? DM_SUSPEND_FLAG : 0, &b, sizeof(b.io));
}

/* A new dm device called name that maps all of the block device at path linearly, left active. */
static int dm_create_linear(const char *name, const char *path)
{
	struct dm_buf b;
	struct stat st;
	unsigned long long bytes;
	int fd;

	fd = open(path, O_RDONLY);
	if (fd < 0)
		return -1;
	if (fstat(fd, &st) < 0 || ioctl(fd, BLKGETSIZE64, &bytes) < 0) {
		close(fd);
		return -1;
	}
	close(fd);
	memset(&b, 0, sizeof(b));
	if (dm_call(DM_DEV_CREATE, name, 0, &b, sizeof(b.io)) < 0)
		return -1;
	memset(&b, 0, sizeof(b));
	b.io.target_count = 1;
	b.spec.sector_start = 0;
	b.spec.length = bytes / 512;
	snprintf(b.spec.target_type, sizeof(b.spec.target_type), "linear");
	snprintf(b.params, sizeof(b.params), "%u:%u 0", major(st.st_rdev), minor(st.st_rdev));
	if (dm_call(DM_TABLE_LOAD, name, 0, &b, sizeof(b)) < 0)
		return -1;
	return dm_suspend(name, 0); /* the first resume makes the loaded table live */
}

/* The dm name of a device node such as /dev/dm-1 or a link to one (from /sys/block/dm-1/dm/name), or NULL. */
static const char *dm_name_of(const char *dev, char *buf, size_t size)
{
	char real[PATH_MAX], path[PATH_MAX + 32];
	const char *base;
	FILE *f;

	if (!realpath(dev, real))
		return NULL;
	base = strrchr(real, '/');
	snprintf(path, sizeof(path), "/sys/block/%s/dm/name", base ? base + 1 : real);
	f = fopen(path, "r");
	if (!f)
		return NULL;
	if (!fgets(buf, size, f)) {
		fclose(f);
		return NULL;
	}
	fclose(f);
	buf[strcspn(buf, "\n")] = 0;
	return buf;
}
