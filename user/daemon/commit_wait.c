// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* The commit-wait histogram (commit_wait.h). */
#include <json-c/json.h>
#include "daemon/commit_wait.h"

/* From a fast disk's fsync (~0.5 ms) to one that stalls replies. */
const uint64_t commit_wait_le_us[COMMIT_WAIT_BUCKETS] = {
	500,   1000,   2500,   5000,   10000,	25000,
	50000, 100000, 250000, 500000, 1000000, 2500000,
};

void commit_wait_note(struct commit_wait *w, uint64_t us)
{
	for (int i = 0; i < COMMIT_WAIT_BUCKETS; i++)
		if (us <= commit_wait_le_us[i])
			w->le[i]++;
	w->count++;
	w->sum_us += us;
}

struct json_object *commit_wait_json(const struct commit_wait *w)
{
	struct json_object *o = json_object_new_object();
	struct json_object *le = json_object_new_array();
	struct json_object *n = json_object_new_array();

	for (int i = 0; i < COMMIT_WAIT_BUCKETS; i++) {
		json_object_array_add(
			le,
			json_object_new_int64((int64_t)commit_wait_le_us[i]));
		json_object_array_add(n,
				      json_object_new_int64((int64_t)w->le[i]));
	}
	json_object_object_add(o, "le-us", le);
	json_object_object_add(o, "buckets", n);
	json_object_object_add(o, "count",
			       json_object_new_int64((int64_t)w->count));
	json_object_object_add(o, "sum-us",
			       json_object_new_int64((int64_t)w->sum_us));
	return o;
}

static bool get_u64(struct json_object *o, const char *k, uint64_t *v)
{
	struct json_object *x;

	if (!json_object_object_get_ex(o, k, &x) ||
	    !json_object_is_type(x, json_type_int) ||
	    json_object_get_int64(x) < 0)
		return false;
	*v = (uint64_t)json_object_get_int64(x);
	return true;
}

bool commit_wait_from_json(struct json_object *o, struct commit_wait *w)
{
	struct json_object *n;

	if (!o || !json_object_object_get_ex(o, "buckets", &n) ||
	    !json_object_is_type(n, json_type_array) ||
	    json_object_array_length(n) != COMMIT_WAIT_BUCKETS)
		return false;
	for (int i = 0; i < COMMIT_WAIT_BUCKETS; i++) {
		struct json_object *x = json_object_array_get_idx(n, i);

		if (!json_object_is_type(x, json_type_int) ||
		    json_object_get_int64(x) < 0)
			return false;
		w->le[i] = (uint64_t)json_object_get_int64(x);
	}
	return get_u64(o, "count", &w->count) &&
	       get_u64(o, "sum-us", &w->sum_us);
}
