// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The fast-path share behind `dhcpxdp status` (control_samples.h). */
#include "daemon/control_samples.h"

void control_samples_push(struct control_samples *s, uint64_t xdp,
			  uint64_t daemon)
{
	if (!s)
		return;
	s->xdp[s->head] = xdp;
	s->daemon[s->head] = daemon;
	s->head = (s->head + 1) % (CONTROL_WINDOW + 1);
	if (s->n < CONTROL_WINDOW + 1)
		s->n++;
}

static uint64_t delta(uint64_t newer, uint64_t older)
{
	return newer >= older ? newer - older : newer;
}

void control_samples_window(const struct control_samples *s, uint64_t *xdp,
			    uint64_t *daemon, unsigned int *seconds)
{
	const size_t ring = CONTROL_WINDOW + 1;
	size_t newest, oldest;

	*xdp = *daemon = 0;
	*seconds = 0;
	if (!s || s->n < 2)
		return;
	newest = (s->head + ring - 1) % ring;
	oldest = (s->head + ring - s->n) % ring;
	*xdp = delta(s->xdp[newest], s->xdp[oldest]);
	*daemon = delta(s->daemon[newest], s->daemon[oldest]);
	*seconds = (unsigned int)(s->n - 1);
}
