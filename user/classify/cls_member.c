// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Class names and membership: the configured classes by index, and Kea's
 * built-in ones (Kea ARM, "Built-in Client Classes"): ALL, KNOWN,
 * UNKNOWN, VENDOR_CLASS_<the whole of option 60>, HA_<server> (the
 * request is in that server's scope of a high-availability pair). The
 * other built-in prefixes (AFTER_, EXTERNAL_, SPAWN_) and names (BOOTP,
 * DROP, SKIP_DDNS) are assigned by Kea's hooks or features dhcpxdp does
 * not have: they are valid names no request ever belongs to.
 */
#include <errno.h>
#include <string.h>

#include "classify/classify.h"

#define VENDOR_PREFIX "VENDOR_CLASS_"
#define HA_PREFIX     "HA_"

static bool starts_with(const char *s, const char *prefix)
{
	return !strncmp(s, prefix, strlen(prefix));
}

int cls_ref_resolve(const char *name, const char *const *names, size_t n,
		    struct cls_ref *ref)
{
	static const char *const never[] = {"AFTER_", "EXTERNAL_", "SPAWN_",
					    "BOOTP",  "DROP",	   "SKIP_DDNS"};

	if (!name || !ref)
		return -EINVAL;
	memset(ref, 0, sizeof(*ref));
	/* A configured class first: Kea lets one be named like a prefix. */
	for (size_t i = 0; i < n && i < CLS_MAX_CLASSES; i++)
		if (names[i] && !strcmp(names[i], name)) {
			ref->kind = CLS_REF_CLASS;
			ref->idx = (uint16_t)i;
			return 0;
		}
	if (!strcmp(name, "ALL"))
		ref->kind = CLS_REF_ALL;
	else if (!strcmp(name, "KNOWN"))
		ref->kind = CLS_REF_KNOWN;
	else if (!strcmp(name, "UNKNOWN"))
		ref->kind = CLS_REF_UNKNOWN;
	else if (starts_with(name, VENDOR_PREFIX)) {
		ref->kind = CLS_REF_VENDOR;
		ref->vendor = name + strlen(VENDOR_PREFIX);
		ref->vendor_len = strlen(ref->vendor);
	} else if (starts_with(name, HA_PREFIX)) {
		ref->kind = CLS_REF_HA;
		ref->vendor = name + strlen(HA_PREFIX);
		ref->vendor_len = strlen(ref->vendor);
	} else {
		for (size_t i = 0; i < sizeof(never) / sizeof(never[0]); i++)
			if (starts_with(name, never[i])) {
				ref->kind = CLS_REF_NEVER;
				return 0;
			}
		return -ENOENT;
	}
	return 0;
}

bool cls_ref_member(const struct cls_ref *ref, const struct cls_set *s,
		    const struct dhcp_msg *m)
{
	const uint8_t *v;
	size_t len;

	switch (ref->kind) {
	case CLS_REF_CLASS:
		return cls_set_has(s, ref->idx);
	case CLS_REF_ALL:
		return true;
	case CLS_REF_KNOWN:
		return s->known_decided && s->known;
	case CLS_REF_UNKNOWN:
		return s->known_decided && !s->known;
	case CLS_REF_VENDOR:
		v = dhcp_msg_option(m, DHCP_OPT_VENDOR_CLASS, &len);
		return v && len == ref->vendor_len &&
		       !memcmp(v, ref->vendor, len);
	case CLS_REF_HA:
		return s->ha_scope && !strcmp(s->ha_scope, ref->vendor);
	default:
		return false;
	}
}
