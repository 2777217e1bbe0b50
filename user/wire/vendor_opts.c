// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Sub-option layouts of options 43 and 125 (vendor_opts.h).
 */
#include <errno.h>
#include <string.h>

#include "wire/vendor_opts.h"

int vendor_opts_put_sub(uint8_t *buf, size_t cap, size_t *used, uint8_t code,
			const uint8_t *data, size_t len)
{
	if (!buf || !used || (len && !data))
		return -EINVAL;
	/* RFC 2132 §8.4: a one-byte length, like a top-level option. */
	if (len > 255)
		return -EMSGSIZE;
	if (*used > cap || cap - *used < 2 + len)
		return -ENOSPC;
	buf[*used] = code;
	buf[*used + 1] = (uint8_t)len;
	if (len)
		memcpy(buf + *used + 2, data, len);
	*used += 2 + len;
	return 0;
}

int vendor_opts_put_vivso(uint8_t *buf, size_t cap, size_t *used,
			  uint32_t enterprise, const uint8_t *subs, size_t len)
{
	uint8_t *p;

	if (!buf || !used || (len && !subs))
		return -EINVAL;
	/* RFC 3925 §4: enterprise-number (4), data-len (1), option-data. */
	if (len > 255)
		return -EMSGSIZE;
	if (*used > cap || cap - *used < 5 + len)
		return -ENOSPC;
	p = buf + *used;
	p[0] = enterprise >> 24;
	p[1] = enterprise >> 16;
	p[2] = enterprise >> 8;
	p[3] = enterprise;
	p[4] = (uint8_t)len;
	if (len)
		memcpy(p + 5, subs, len);
	*used += 5 + len;
	return 0;
}
