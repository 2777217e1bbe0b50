// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* WATCHDOG_USEC and WATCHDOG_PID into a ping timer (sd_watchdog.h). */
#include <errno.h>
#include <stdlib.h>
#include <sys/timerfd.h>
#include <unistd.h>
#include "util/sd_notify.h"
#include "util/sd_watchdog.h"

/* A positive decimal number with nothing around it (strtoull alone takes
 * signs and spaces). */
static int parse_positive(const char *s, uint64_t *v)
{
	unsigned long long n;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	n = strtoull(s, &end, 10);
	if (errno || *end || n == 0)
		return -EINVAL;
	*v = n;
	return 0;
}

int sd_watchdog_interval(const char *usec, const char *wpid, pid_t pid,
			 uint64_t *interval_usec)
{
	uint64_t timeout, p;

	if (!interval_usec)
		return -EINVAL;
	*interval_usec = 0;
	if (!usec)
		return 0;
	if (parse_positive(usec, &timeout))
		return -EINVAL;
	/* USEC_INFINITY is how systemd spells "no timeout". */
	if (timeout == UINT64_MAX)
		return -EINVAL;
	if (wpid) {
		if (parse_positive(wpid, &p))
			return -EINVAL;
		/* Set for another process (a parent that forked us): the
		 * pings must come from that one, not from here. */
		if (p != (uint64_t)pid)
			return 0;
	}
	*interval_usec = timeout / 2 ? timeout / 2 : 1;
	return 1;
}

int sd_watchdog_open(struct sd_watchdog *w)
{
	struct itimerspec its = {0};
	int ret;

	if (!w)
		return -EINVAL;
	w->fd = -1;
	ret = sd_watchdog_interval(getenv("WATCHDOG_USEC"),
				   getenv("WATCHDOG_PID"), getpid(),
				   &w->interval_usec);
	if (ret <= 0)
		return ret;
	its.it_value.tv_sec = (time_t)(w->interval_usec / 1000000);
	its.it_value.tv_nsec = (long)(w->interval_usec % 1000000) * 1000;
	its.it_interval = its.it_value;
	w->fd = timerfd_create(CLOCK_MONOTONIC, TFD_CLOEXEC | TFD_NONBLOCK);
	if (w->fd < 0)
		return -errno;
	if (timerfd_settime(w->fd, 0, &its, NULL)) {
		ret = -errno;
		close(w->fd);
		w->fd = -1;
		return ret;
	}
	return 1;
}

int sd_watchdog_ping(struct sd_watchdog *w)
{
	uint64_t ticks;

	if (!w || w->fd < 0)
		return -EINVAL;
	/* Several expirations while the loop was busy still make one
	 * ping: it says the loop turns now. */
	if (read(w->fd, &ticks, sizeof(ticks)) < 0 && errno != EAGAIN)
		return -errno;
	return sd_notify_send("WATCHDOG=1");
}

void sd_watchdog_close(struct sd_watchdog *w)
{
	if (!w || w->fd < 0)
		return;
	close(w->fd);
	w->fd = -1;
}
