// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * A measurement aid, never for a server that holds real leases: loaded
 * with LD_PRELOAD, it makes fsync() and fdatasync() return at once
 * without writing anything to the disk. scripts/bench-slowpath.sh runs
 * dhcpxdp with it beside the real thing to show how much of the ACK's
 * delay is the lease's fsync, the part Kea's memfile does not pay
 * (docs/benchmarks.md).
 */
int fsync(int fd);
int fdatasync(int fd);

int fsync(int fd)
{
	(void)fd;
	return 0;
}

int fdatasync(int fd)
{
	(void)fd;
	return 0;
}
