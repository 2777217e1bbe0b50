// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * `dhcpxdp leases import --format kea-csv|dhcpd|dnsmasq FILE`: the leases
 * of the server being replaced, so that dhcpxdp does not start from an
 * empty database and hand out addresses live clients still hold.
 *
 * The file is parsed and planned whole first (user/migrate/): with any
 * conflict nothing is written unless --force, which skips the rows in
 * conflict. With the daemon stopped, the rows go into the lease database
 * in one transaction (lease_db_commit_ops: all or nothing, fsync'd);
 * with it running, each goes through the daemon's lease4-add, so the
 * engine takes the address and the lease map is filled, commit first.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>
#include "cli/cli.h"
#include "cli/lease_mac_index.h"
#include "cli/control_client.h"
#include "config/config.h"
#include "config/reservations_store.h"
#include "migrate/migrate.h"
#include "store/lease_db.h"
#include "util/clock.h"
#include "util/fmt.h"

#define IMPORT_FILE_MAX (1ul << 30)

struct import_opts {
	const char *format, *config, *socket, *file;
	bool dry_run, force;
};

static int read_file(const char *path, char **text, size_t *len)
{
	FILE *f = fopen(path, "re");
	size_t cap = 1 << 16, n = 0;
	char *buf = NULL, *nb;
	int ret = 0;

	*text = NULL;
	if (!f)
		return -errno;
	for (;;) {
		nb = realloc(buf, cap);
		if (!nb) {
			ret = -ENOMEM;
			goto out;
		}
		buf = nb;
		n += fread(buf + n, 1, cap - n, f);
		if (n < cap)
			break;
		if (cap >= IMPORT_FILE_MAX) {
			ret = -EFBIG;
			goto out;
		}
		cap *= 2;
	}
	if (ferror(f))
		ret = -EIO;
out:
	fclose(f);
	if (ret) {
		free(buf);
		return ret;
	}
	*text = buf;
	*len = n;
	return 0;
}

/* What the plan reads: rows by address from the database, by MAC from
 * the rows read once (lease_mac_index.h). */
struct import_db {
	struct lease_db *db;
	struct lease_mac_index macs;
};

static int db_by_addr(void *arg, uint32_t subnet, uint32_t addr,
		      struct dx_lease_rec *out)
{
	const struct import_db *idb = arg;

	return lease_db_get_by_addr(idb->db, subnet, addr, out);
}

static int db_by_mac(void *arg, uint32_t subnet, const uint8_t mac[6],
		     struct dx_lease_rec *out)
{
	const struct import_db *idb = arg;

	return lease_mac_index_get(&idb->macs, subnet, mac, out);
}

static void report(const struct import_opts *o, const struct mig_set *s,
		   const struct mig_plan *p)
{
	char a[FMT_IPV4_LEN];

	printf("%s (%s): %zu lease(s)", o->file, o->format, s->n);
	if (s->superseded)
		printf(", %zu earlier row(s) superseded by later ones",
		       s->superseded);
	printf("\n");
	for (int k = MIG_IMPORT; k < __MIG_OUTCOME_MAX; k++)
		printf("  %-28s %zu\n", mig_outcome_name(k), p->count[k]);
	if (p->moves)
		printf("note: %zu of the leases to import are not what dhcpxdp "
		       "would grant (outside the pools, or the client has a "
		       "reservation elsewhere): each address stays its "
		       "client's until the lease ends, and the client's next "
		       "request is NAKed, moving it\n",
		       p->moves);
	for (size_t i = 0; i < s->n; i++) {
		const struct mig_row_plan *rp = &p->rows[i];

		if (rp->outcome != MIG_CONFLICT)
			continue;
		printf("conflict: %s:%u: %s: %s", o->file, s->v[i].line,
		       fmt_ipv4(a, s->v[i].addr),
		       mig_conflict_text(rp->conflict));
		if (rp->other_line)
			printf(" (line %u)", rp->other_line);
		printf("\n");
	}
}

static bool imported(const struct mig_row_plan *rp)
{
	return rp->outcome == MIG_IMPORT || rp->outcome == MIG_IMPORT_DECLINED;
}

/* The daemon stopped: every row in one transaction. */
static int write_db(struct lease_db *db, const struct mig_set *s,
		    const struct mig_plan *p, int64_t now, size_t *n)
{
	struct dx_lease_op *ops = calloc(s->n ? s->n : 1, sizeof(*ops));
	int ret;

	*n = 0;
	if (!ops)
		return -ENOMEM;
	for (size_t i = 0; i < s->n; i++) {
		if (!imported(&p->rows[i]))
			continue;
		ops[*n].kind = DX_LEASE_OP_UPSERT;
		mig_plan_rec(&s->v[i], &p->rows[i], now, &ops[*n].rec);
		(*n)++;
	}
	ret = lease_db_commit_ops(db, ops, *n);
	free(ops);
	return ret;
}

/* Kea's lease4-add arguments for one row (Kea's names). */
static struct json_object *lease4_add_args(const struct dx_lease_rec *r,
					   const struct dx_config *cfg)
{
	const struct dx_subnet_conf *sc =
		config_subnet_by_id(cfg, r->subnet_id);
	struct json_object *a = json_object_new_object();
	char buf[3 * DX_LEASE_CLIENT_ID_MAX + 1];
	int64_t valid = r->expires - r->last_seen;

	if (valid <= 0 || valid > UINT32_MAX - 1)
		valid = sc ? sc->valid_lifetime : 1;
	json_object_object_add(a, "ip-address",
			       json_object_new_string(fmt_ipv4(buf, r->addr)));
	json_object_object_add(a, "subnet-id",
			       json_object_new_int64(r->subnet_id));
	if (r->state == DX_LEASE_ACTIVE)
		json_object_object_add(
			a, "hw-address",
			json_object_new_string(fmt_mac(buf, r->mac)));
	if (r->client_id_len) {
		size_t o = 0;

		for (size_t i = 0; i < r->client_id_len; i++)
			o += (size_t)snprintf(buf + o, sizeof(buf) - o,
					      "%s%02x", i ? ":" : "",
					      r->client_id[i]);
		json_object_object_add(a, "client-id",
				       json_object_new_string(buf));
	}
	json_object_object_add(a, "valid-lft", json_object_new_int64(valid));
	json_object_object_add(a, "expire", json_object_new_int64(r->expires));
	if (r->hostname[0])
		json_object_object_add(a, "hostname",
				       json_object_new_string(r->hostname));
	/* Kea's Lease::STATE_DECLINED */
	json_object_object_add(
		a, "state",
		json_object_new_int(r->state == DX_LEASE_DECLINED ? 1 : 0));
	return a;
}

/* The daemon running: one lease4-add a row; the first failure stops. */
static int send_daemon(const char *socket, const struct dx_config *cfg,
		       const struct mig_set *s, const struct mig_plan *p,
		       int64_t now, size_t *n)
{
	char err[1200], a[FMT_IPV4_LEN];
	struct json_object *resp, *v;
	struct dx_lease_rec r;
	int ret, result;

	*n = 0;
	for (size_t i = 0; i < s->n; i++) {
		if (!imported(&p->rows[i]))
			continue;
		mig_plan_rec(&s->v[i], &p->rows[i], now, &r);
		ret = ctl_call(socket, "lease4-add", lease4_add_args(&r, cfg),
			       &resp, err, sizeof(err));
		if (ret) {
			fprintf(stderr, "dhcpxdp leases import: %s\n", err);
			return ret;
		}
		json_object_object_get_ex(resp, "result", &v);
		result = json_object_get_int(v);
		if (result != 0) {
			json_object_object_get_ex(resp, "text", &v);
			fprintf(stderr,
				"dhcpxdp leases import: line %u, %s: the "
				"daemon refused it: %s\n",
				s->v[i].line, fmt_ipv4(a, r.addr),
				json_object_get_string(v));
			json_object_put(resp);
			return -EEXIST;
		}
		json_object_put(resp);
		(*n)++;
	}
	return 0;
}

/*
 * Is a daemon answering on the socket, and does it take lease4-add?
 * 0 not running, 1 running, or a negative errno after a message (the
 * socket is there but not ours to use).
 */
static int probe_daemon(const char *socket, bool *has_add)
{
	struct json_object *resp, *args, *c;
	char err[1200];
	int ret;

	*has_add = false;
	ret = ctl_call(socket, "list-commands", NULL, &resp, err, sizeof(err));
	if (ret == -ENOENT || ret == -ECONNREFUSED || ret == -ENOTDIR)
		return 0;
	if (ret) {
		fprintf(stderr, "dhcpxdp leases import: %s\n", err);
		return ret;
	}
	if (json_object_object_get_ex(resp, "arguments", &args) &&
	    json_object_is_type(args, json_type_array))
		for (size_t i = 0; i < json_object_array_length(args); i++) {
			c = json_object_array_get_idx(args, i);
			if (!strcmp(json_object_get_string(c), "lease4-add"))
				*has_add = true;
		}
	json_object_put(resp);
	return 1;
}

/* Plan, report, and say whether to write: 0 go on, else the exit code. */
static int decide(const struct import_opts *o, const struct mig_set *s,
		  const struct mig_plan *p)
{
	report(o, s, p);
	if (p->conflicts && !o->force) {
		printf("%zu conflict(s): nothing %s; --force imports the rest "
		       "and skips the rows in conflict\n",
		       p->conflicts,
		       o->dry_run ? "would be imported" : "imported");
		return 1;
	}
	if (o->dry_run) {
		printf("dry run: %zu lease(s) would be imported\n",
		       p->count[MIG_IMPORT] + p->count[MIG_IMPORT_DECLINED]);
		return 0;
	}
	return -1;
}

static int do_import(void *opts)
{
	const struct import_opts *o = opts;
	int format = mig_format_of(o->format), ret, running = 0, code = 1;
	struct mig_set set = {0};
	struct mig_plan plan = {0};
	struct dx_config *cfg = NULL;
	struct lease_db *db = NULL;
	struct import_db idb = {0};
	struct mig_db_ops dbops = {db_by_addr, db_by_mac, &idb};
	struct cli_db_owner owner = {0};
	const char *socket;
	char *text = NULL, err[1200];
	bool has_add = false;
	int64_t now = now_wall();
	size_t len = 0, n = 0;

	if (!format) {
		fprintf(stderr,
			"dhcpxdp leases import: --format kea-csv, dhcpd "
			"or dnsmasq is required\n");
		return EXIT_USAGE;
	}
	if (cli_config("leases import", o->config, &cfg))
		return 1;
	/* Run-time reservations count as much as the file's. */
	if (rstore_load_merge(cfg, err, sizeof(err))) {
		fprintf(stderr, "dhcpxdp leases import: %s\n", err);
		goto out;
	}
	ret = read_file(o->file, &text, &len);
	if (ret) {
		fprintf(stderr, "dhcpxdp leases import: cannot read %s: %s\n",
			o->file, strerror(-ret));
		goto out;
	}
	ret = mig_parse(format, text, len, o->file, &set, err, sizeof(err));
	if (ret) {
		fprintf(stderr, "dhcpxdp leases import: %s\n",
			ret == -EINVAL ? err : strerror(-ret));
		goto out;
	}
	socket = o->socket ? o->socket : cfg->control_socket.socket_name;
	running = probe_daemon(socket, &has_add);
	if (running < 0)
		goto out;
	cli_db_owner_before(&cfg->lease_db, &owner);
	if (lease_db_open(&cfg->lease_db, &db, err, sizeof(err))) {
		fprintf(stderr, "dhcpxdp leases import: %s\n", err);
		goto out;
	}
	idb.db = db;
	ret = lease_mac_index_load(&idb.macs, db);
	if (!ret)
		ret = mig_plan(&set, cfg, &dbops, now, &plan);
	if (ret) {
		fprintf(stderr,
			"dhcpxdp leases import: reading the lease database "
			"failed: %s\n",
			lease_db_errmsg(db));
		goto out;
	}
	code = decide(o, &set, &plan);
	if (code >= 0)
		goto out;
	code = 1;
	if (running && !has_add) {
		fprintf(stderr,
			"dhcpxdp leases import: the daemon is running "
			"and does not take lease4-add: stop it first\n");
		goto out;
	}
	if (running) {
		ret = send_daemon(socket, cfg, &set, &plan, now, &n);
		printf("%zu lease(s) imported through the running daemon%s\n",
		       n, ret ? "; the others were not" : "");
	} else {
		ret = write_db(db, &set, &plan, now, &n);
		if (ret)
			fprintf(stderr,
				"dhcpxdp leases import: writing %s failed, "
				"nothing imported: %s\n",
				lease_db_name(db), lease_db_errmsg(db));
		else
			printf("%zu lease(s) imported into %s\n", n,
			       lease_db_name(db));
	}
	code = ret ? 1 : 0;
out:
	lease_mac_index_free(&idb.macs);
	mig_plan_free(&plan);
	mig_set_free(&set);
	free(text);
	if (db) {
		lease_db_close(db);
		cli_db_owner_restore("leases import", &cfg->lease_db,
				     &owner);
	}
	config_free(cfg);
	return code;
}

#define I(nm, sh, ty, field, val, hlp) \
	PARAM_OPT(nm, sh, ty, struct import_opts, field, val, hlp)

static const struct param import_params[] = {
	I("format", 0, PARAM_STR, format, "FORMAT",
	  "kea-csv (kea-leases4.csv), dhcpd (dhcpd.leases)\n"
	  "or dnsmasq (its --dhcp-leasefile)"),
	I("dry-run", 0, PARAM_FLAG, dry_run, NULL,
	  "show what would be imported, write nothing"),
	I("force", 0, PARAM_FLAG, force, NULL,
	  "import despite conflicts, skipping the rows\nin conflict"),
	I("config", 'c', PARAM_STR, config, "FILE", CLI_HELP_CONFIG),
	I("socket", 0, PARAM_STR, socket, "PATH", CLI_HELP_SOCKET),
	PARAM_ARG("FILE", struct import_opts, file, true,
		  "the other server's lease file"),
	{0},
};

const struct cli_cmd cmd_leases_import = {
	.name = "leases import",
	.summary = "bring leases across from Kea, ISC dhcpd or dnsmasq",
	.params = import_params,
	.opts_size = sizeof(struct import_opts),
	.run = do_import,
};
