// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Kea's classification expressions (user/classify) on arbitrary text:
 * the input up to its first NUL is an expression, the rest a DHCP
 * payload. The text parses as a test, or fails with a message naming a
 * position inside it; a test that parses evaluates on the payload (when
 * it decodes) to true, false or -E2BIG, never past its arena; the text
 * as a string expression yields a value within the room given.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "classify/classify.h"
#include "wire/dhcp_msg.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* About 18 KiB: static, not on the stack. */
static struct dhcp_msg msg;

static void check_error(int r, const char *err)
{
	FUZZ_CHECK(r == -EINVAL || r == -ENOMEM);
	if (r == -EINVAL)
		FUZZ_CHECK(!strncmp(err, "position ", 9));
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const char *const names[] = {"a", "b", "VENDOR_CLASS_x"};
	const uint8_t *nul = memchr(data, 0, size);
	size_t tlen = nul ? (size_t)(nul - data) : size;
	struct cls_set set = {.known_decided = true};
	struct cls_prog *p = NULL;
	char err[CLS_ERR_MAX], *text;
	uint8_t out[256];
	bool have_msg;
	int r;

	text = malloc(tlen + 1);
	if (!text)
		return 0;
	memcpy(text, data, tlen);
	text[tlen] = 0;
	have_msg = nul && !dhcp_msg_decode(&msg, nul + 1, size - tlen - 1);
	cls_set_add(&set, 0);
	r = cls_parse(text, names, 3, &p, err, sizeof(err));
	if (r) {
		FUZZ_CHECK(!p);
		check_error(r, err);
	} else if (have_msg) {
		r = cls_eval(p, &msg, &set);
		FUZZ_CHECK(r == 0 || r == 1 || r == -E2BIG);
	}
	cls_prog_free(p);
	if (have_msg) {
		r = cls_eval_string(text, &msg, out, sizeof(out), err,
				    sizeof(err));
		FUZZ_CHECK(r >= 0 || r == -EINVAL || r == -ENOMEM ||
			   r == -ENOSPC || r == -E2BIG);
		FUZZ_CHECK(r <= (int)sizeof(out));
	}
	free(text);
	return 0;
}
