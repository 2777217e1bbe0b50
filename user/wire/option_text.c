// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * What the readers of option-data text share (option_encode.c for Kea's
 * types, option_dnr.c for v4-dnr), in a file of its own so that neither
 * calls into the other for it.
 */
#include <ctype.h>
#include <string.h>

#include "wire/option_def.h"

char *option_text_trim(char *s)
{
	char *end;

	while (isspace((unsigned char)*s))
		s++;
	end = s + strlen(s);
	while (end > s && isspace((unsigned char)end[-1]))
		*--end = '\0';
	return s;
}
