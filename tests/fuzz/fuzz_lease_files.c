// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The lease-file parsers (user/migrate/) on arbitrary text, as an
 * operator's kea-leases4.csv, dhcpd.leases or dnsmasq file reaches
 * `dhcpxdp leases import`: rows, or an error naming a line, never a crash
 * or a leak. The first byte picks the format. Rows that parse are planned
 * against a small configuration, and the imported ones written back as
 * Kea's CSV and read again.
 */
#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "config/config.h"
#include "migrate/migrate.h"
#include "fuzz_common.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char cfg_json[] =
	"{\"Dhcp4\": {\"subnet4\": [{\"id\": 1, \"subnet\": \"10.0.0.0/8\","
	" \"relay\": {\"ip-addresses\": [\"10.0.0.1\"]},"
	" \"pools\": [{\"pool\": \"10.0.0.10 - 10.0.0.200\"}],"
	" \"reservations\": [{\"hw-address\": \"02:00:00:00:00:01\","
	"   \"ip-address\": \"10.0.0.5\"}]}]}}";

static struct dx_config *cfg;

/* Each imported row, in Kea's CSV and parsed again, is the same lease. */
static void round_trip(const struct mig_lease *l, const struct mig_row_plan *rp)
{
	struct dx_lease_rec r;
	struct mig_set back = {0};
	char text[4096];
	size_t n = strlen(mig_kea_csv_header);
	int len;

	mig_plan_rec(l, rp, 1800000000, &r);
	memcpy(text, mig_kea_csv_header, n);
	len = mig_kea_csv_row(&r, 600, text + n, sizeof(text) - n);
	FUZZ_CHECK(len > 0);
	FUZZ_CHECK(mig_parse_kea_csv(text, n + (size_t)len, "back", &back, NULL,
				     0) == 0);
	FUZZ_CHECK(back.n == 1 && back.v[0].addr == l->addr);
	FUZZ_CHECK(back.v[0].client_id_len == l->client_id_len);
	FUZZ_CHECK(
		!memcmp(back.v[0].client_id, l->client_id, l->client_id_len));
	mig_set_free(&back);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	struct config_diag diag;
	struct mig_set s = {0};
	struct mig_plan p;
	char err[256] = "";
	int format, ret;

	if (!cfg) {
		FUZZ_CHECK(config_load_string(cfg_json, "fuzz.json", &cfg,
					      &diag) == 0);
		config_diag_free(&diag);
	}
	if (!size)
		return 0;
	format = 1 + data[0] % 3;
	ret = mig_parse(format, (const char *)data + 1, size - 1, "f", &s, err,
			sizeof(err));
	/* A malformed file is an error naming its line. */
	FUZZ_CHECK(ret != -EINVAL || !strncmp(err, "f:", 2));
	if (!ret && mig_plan(&s, cfg, NULL, 1800000000, &p) == 0) {
		size_t total = 0;

		for (int k = MIG_IMPORT; k < __MIG_OUTCOME_MAX; k++)
			total += p.count[k];
		FUZZ_CHECK(total == s.n);
		for (size_t i = 0; i < s.n; i++)
			if (p.rows[i].outcome == MIG_IMPORT)
				round_trip(&s.v[i], &p.rows[i]);
		mig_plan_free(&p);
	}
	mig_set_free(&s);
	return 0;
}
