/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * What the files of the configuration loader share, not part of its API
 * (config.h). The loader reads one Dhcp4 object section by section:
 *
 *   config.c        config_load*, config_free: text in, struct dx_config out
 *   text.c          Kea's JSON text (with comments) into a json-c tree
 *   jpath.c         typed getters and key checks whose messages name
 *                   FILE: JSON-PATH
 *   dhcp4.c         the Dhcp4 object and its global sections
 *   control_sockets.c  control-socket, control-sockets: the Unix socket
 *                   and Kea's HTTP/HTTPS ones
 *   lease_db_conf.c Dhcp4.lease-database: SQLite or PostgreSQL, Kea's keys
 *   hosts_db_conf.c Dhcp4.hosts-database(s): Kea's PostgreSQL host
 *                   databases, the same connection keys
 *   db_tls_conf.c   TLS to a database server (trust-anchor, cert-file,
 *                   key-file, ssl-mode), for both of those
 *   hosts_merge.c   rows of those databases, as reservation objects, into
 *                   the tree before it is read (config_load_hosts)
 *   rate_limits.c   dhcpxdp.rate-limits: what XDP passes up, per kind
 *   timers.c        valid-lifetime, renew-timer, rebind-timer per level
 *   kea_behaviour.c authoritative, match-client-id, echo-client-id,
 *                   min-/max-valid-lifetime per level
 *   starvation.c    Dhcp4.dhcpxdp.starvation, the pool starvation defenses
 *   lease_history.c Dhcp4.dhcpxdp.lease-history, and Kea's legal log hook
 *                   in hooks-libraries
 *   hooks.c         hooks-libraries: the Kea hooks whose work dhcpxdp does
 *   ha.c            libdhcp_ha.so's high-availability relationship
 *   option_defs.c   option-def: custom definitions, the option spaces
 *   options.c       option-data lists (the definitions are wire/option_def
 *                   and option_defs.c)
 *   option_compose.c  option-data of every level and space into the
 *                   top-level options a reply carries (43, 125, ...)
 *   classes.c       client-classes and the class names others refer to
 *   subnets.c       one subnet4 entry, its pools and relays
 *   shared_networks.c  the subnet4 and shared-networks lists: what each
 *                   subnet inherits, and ids for subnets without one
 *   bootp.c         next-server, server-hostname, boot-file-name per level
 *   client_names.c  hostname-char-*, ddns-replace-client-name,
 *                   ddns-generated-prefix, ddns-qualifying-suffix per level
 *   ddns.c          dhcp-ddns and the other ddns-* keys per level
 *   reservations.c  a subnet's reservations; the identifier and address
 *                   checks that reservations_store.c shares
 *   global_reservations.c  Dhcp4.reservations, copied into the subnets
 *                   that look them up (reservations-global)
 *   checks.c        checks across subnets, once all are read
 *   loggers.c       Dhcp4.loggers: where the daemon's log lines go
 *   lookup.c        the daemon's queries on a loaded configuration
 *
 * Only pointers to config.h's structs appear here: this header includes
 * no header of the loader, so config.c (one unit with config.h for
 * scripts/check-layout.sh) includes it without an include loop.
 */
#ifndef DHCPXDP_CONFIG_INTERNAL_H
#define DHCPXDP_CONFIG_INTERNAL_H

#include <errno.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <json-c/json.h>

struct config_diag;
struct dx_config;
struct dx_bootp_conf;
struct dx_kea_conf;
struct dx_option;
struct dx_option_list;
struct dx_subnet_conf;
struct dx_bootp_conf;
struct dx_client_name_conf;

/* A JSON path in messages; longer ones are cut (still pointing the way). */
#define CONFIG_PATH_LEN 256

/* One load: where messages go, what is being filled. */
struct config_ctx {
	const char *file; /* the name messages start with */
	struct config_diag *diag;
	struct dx_config *cfg;
	struct json_object *dhcp4; /* the Dhcp4 object, once found */
	/* While a shared network's subnets are read: its option-data as
	 * configured, the level between Dhcp4's and the subnet's. */
	const struct dx_option_list *link_options;
	/* While a level that may set option 54 is read (Dhcp4, a shared
	 * network, a subnet): where its dhcp-server-identifier goes
	 * (options.c); NULL elsewhere, where option 54 is refused. */
	uint32_t *server_id;
	/* Reservations read from host databases (config_load_hosts), and
	 * where each went in the tree, for messages. */
	struct json_object *hosts;
	struct hosts_placed *placed;
	size_t n_placed;
};

/* --- jpath.c: messages, paths, keys, typed getters -------------------- */

/*
 * "FILE: PATH: reason" into diag->error (the first error only: later ones
 * are fallout); "FILE: reason" when path is NULL or "". Returns -EINVAL.
 */
int jpath_fail(struct config_ctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
/* "FILE: PATH: reason" appended to diag->warnings (dropped without memory). */
void jpath_warn(struct config_ctx *c, const char *path, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* buf (CONFIG_PATH_LEN) = "path.key" ("key" at the top); returns buf. */
const char *jpath_join(char *buf, const char *path, const char *key);
/* buf (CONFIG_PATH_LEN) = "path[i]"; returns buf. */
const char *jpath_idx(char *buf, const char *path, size_t i);

/* "a list", "a string", ... for "expected X, got Y" messages. */
const char *jpath_type_desc(struct json_object *v);

enum key_kind { K_HANDLED, K_IGNORED, K_UNSUPPORTED };

struct key_rule {
	const char *key; /* a trailing '*' matches a prefix */
	enum key_kind kind;
	const char *why; /* for K_UNSUPPORTED */
};

/*
 * The keys of obj against rules (ended by a NULL key): an unsupported key
 * fails, an unknown one warns, "comment" and "user-context" (allowed by
 * Kea everywhere) and the ignored ones pass silently.
 */
int jpath_check_keys(struct config_ctx *c, struct json_object *obj,
		     const char *path, const struct key_rule *rules);

/*
 * The getters return 1 and set *out when the key is there, 0 when it is
 * absent (obj may be NULL), and -EINVAL, with the error set, when it has
 * another type or value.
 */
int jpath_get(struct config_ctx *c, struct json_object *obj, const char *path,
	      const char *key, enum json_type type, const char *want,
	      struct json_object **out);
int jpath_u32(struct config_ctx *c, struct json_object *obj, const char *path,
	      const char *key, uint32_t min, uint32_t max, uint32_t *out);
int jpath_bool(struct config_ctx *c, struct json_object *obj, const char *path,
	       const char *key, bool *out);
/* A borrowed string; an empty one fails. */
int jpath_str(struct config_ctx *c, struct json_object *obj, const char *path,
	      const char *key, const char **out);

/* Replace *dst by a copy of s: 0 or -ENOMEM. */
static inline int config_set_str(char **dst, const char *s)
{
	char *d = strdup(s);

	if (!d)
		return -ENOMEM;
	free(*dst);
	*dst = d;
	return 0;
}

/* A string key and where its copy goes (jpath_strs). */
struct jpath_str_dst {
	const char *key;
	char **dst;
};
/* Each of the n keys of s that obj has, copied into its *dst: 0, or
 * -EINVAL (the error set) or -ENOMEM. */
int jpath_strs(struct config_ctx *c, struct json_object *obj, const char *path,
	       const struct jpath_str_dst *s, size_t n);

static inline uint32_t config_prefix_mask(uint8_t len)
{
	return len ? ~0U << (32 - len) : 0;
}

/* --- text.c -------------------------------------------------------------- */

/*
 * Parse text (blanked in place where it holds comments) into *root (put
 * it with json_object_put). Errors read "FILE: line L, column C: why".
 */
int text_parse(struct config_ctx *c, char *text, struct json_object **root);
/* foreign.c: -EINVAL naming the format when `text` is a dhcpd.conf or a
 * dnsmasq.conf rather than JSON; 0 otherwise. */
int foreign_check(struct config_ctx *c, const char *text);

/* --- dhcp4.c ------------------------------------------------------------- */

/* c->dhcp4 into c->cfg, the defaults first, then section by section. */
int dhcp4_parse(struct config_ctx *c);

/* --- hooks.c ------------------------------------------------------------ */

/* Dhcp4.hooks-libraries: the Kea hooks whose work is built in (flex_id's
 * identifier-expression into cfg->flex_id_expr); any other fails. */
int hooks_parse(struct config_ctx *c);

/* --- control_sockets.c: control-socket, control-sockets ---------------- */

/* The Unix socket's name and the HTTP/HTTPS sockets into c->cfg. */
int control_sockets_parse(struct config_ctx *c);
void control_sockets_free(struct dx_config *cfg);

/* --- lease_db_conf.c ---------------------------------------------------- */

/* Dhcp4.lease-database into cfg->lease_db (defaults already set). */
int lease_db_conf_parse(struct config_ctx *c);
struct dx_lease_db_conf;
/* The PostgreSQL connection keys of o (name, host, ..., on-fail,
 * retry-on-startup) into *db; hosts_db_conf.c shares them. */
int db_conn_conf_parse(struct config_ctx *c, struct json_object *o,
		       const char *path, struct dx_lease_db_conf *db);
/* db_conn_conf_free (config.h) frees the strings of *db. */

/* --- db_tls_conf.c ----------------------------------------------------- */

/* trust-anchor, cert-file and key-file of o into *db (a certificate
 * without its key, or the reverse, fails), and with pgsql ssl-mode. The
 * caller refuses the keys its server's client has no use for. */
int db_tls_conf_parse(struct config_ctx *c, struct json_object *o,
		      const char *path, bool pgsql,
		      struct dx_lease_db_conf *db);
/* Why cipher-list is refused for PostgreSQL, lease or host database. */
#define DB_PGSQL_NO_CIPHER_LIST                                         \
	"libpq has no client cipher setting: the server's ssl_ciphers " \
	"decides"

/* --- hosts_merge.c ------------------------------------------------------ */

/* c->hosts (config_load_hosts) into the subnets' reservations of the tree
 * under c->dhcp4, each row's conflicts with the file warned and skipped. */
int hosts_merge(struct config_ctx *c);
/* The origin of the injected reservation err names, appended to it. */
void hosts_merge_explain(struct config_ctx *c);

/* --- hosts_db_conf.c ---------------------------------------------------- */

/* Dhcp4.hosts-database or Dhcp4.hosts-databases into cfg->hosts_dbs. */
int hosts_db_conf_parse(struct config_ctx *c);
void hosts_db_conf_free(struct dx_config *cfg);

/* --- rate_limits.c ------------------------------------------------------ */

/* Dhcp4.dhcpxdp.rate-limits into cfg, defaults for what is not given. */
int rate_limits_parse(struct config_ctx *c);

/* --- loggers.c ---------------------------------------------------------- */

/* Dhcp4.loggers into cfg->logging, Kea's defaults for what is not given. */
int loggers_parse(struct config_ctx *c);

/* --- timers.c ------------------------------------------------------------ */

enum { T_VALID, T_RENEW, T_REBIND };

/* Timers as written at one level (Dhcp4 or a subnet); 0 = not set there. */
struct timers {
	uint32_t v[3];		    /* indexed by T_VALID, T_RENEW, T_REBIND */
	int calc;		    /* calculate-tee-times: -1 not set, 0, 1 */
	double pct[2];		    /* t1-percent, t2-percent; 0 = not set */
	char path[CONFIG_PATH_LEN]; /* the level's path, for messages */
};

int timers_parse(struct config_ctx *c, struct json_object *obj,
		 const char *path, struct timers *t);
/*
 * The effective timers of level t below parent (NULL for the global
 * level): inherited, then derived (Kea's calculate-tee-times with
 * t1/t2-percent, else 1/2 and 7/8), then checked (renew < rebind <
 * valid).
 */
int timers_resolve(struct config_ctx *c, const struct timers *t,
		   const struct timers *parent, uint32_t *valid,
		   uint32_t *renew, uint32_t *rebind);
/* Fill what t leaves unset from parent (a shared network's timers over
 * Dhcp4's), so that t can be the parent of a subnet. */
void timers_inherit(struct timers *t, const struct timers *parent);

/* --- kea_behaviour.c ---------------------------------------------------- */

/* Dhcp4's authoritative, match-client-id, echo-client-id and
 * min-/max-valid-lifetime, once the global timers are resolved. */
int kea_behaviour_global(struct config_ctx *c);
/* The same keys of one shared network on top of *k (Dhcp4's). */
int kea_behaviour_shared(struct config_ctx *c, struct json_object *obj,
			 const char *path, struct dx_kea_conf *k);
/* The same keys of one subnet (timers resolved), inherited from parent
 * (Dhcp4's, or its shared network's). */
int kea_behaviour_subnet(struct config_ctx *c, struct json_object *so,
			 const char *path, const struct dx_kea_conf *parent,
			 struct dx_subnet_conf *s);

/* --- lease_history.c ----------------------------------------------------- */

/* Dhcp4.dhcpxdp.lease-history into cfg->dhcpxdp.history (after the lease
 * database, whose folder is the default). */
int history_parse(struct config_ctx *c);
/* A hooks-libraries entry: 1 when it is Kea's legal log hook (taken into
 * cfg->dhcpxdp.legal_log), 0 when it is another library, < 0 on error. */
/* ha.c: entry of hooks-libraries if it is libdhcp_ha.so: 1 parsed into
 * cfg->ha, 0 another library, or -EINVAL. */
int ha_hook_parse(struct config_ctx *c, struct json_object *entry,
		  const char *path);
/* ha.c: whether scope (a HA_<scope> class) names a server of the pair;
 * arg is the struct dx_config. */
bool ha_scope_known(const void *cfg, const char *scope);
int legal_log_hook_parse(struct config_ctx *c, struct json_object *entry,
			 const char *path);

/* --- starvation.c -------------------------------------------------------- */

/* Dhcp4.dhcpxdp.starvation into cfg->dhcpxdp.starvation, defaults first. */
int starvation_parse(struct config_ctx *c);

/* --- option_defs.c ------------------------------------------------------- */

struct option_def;

/* The built-in spaces, then Dhcp4.option-def into cfg->option_defs. */
int option_defs_parse(struct config_ctx *c);
void option_defs_free(struct dx_config *cfg);
/*
 * A client class's own option-def (Kea allows only option 43 there, to
 * read a vendor's sub-options): parsed as a global one, then in force
 * ahead of the global definitions until option_defs_class_pop(), while
 * the class's option-data is read. *saved holds the global ones.
 */
struct option_defs_saved {
	struct dx_option_def_conf *defs;
	size_t n, n_class;
	bool pushed;
};
int option_defs_class_push(struct config_ctx *c, struct json_object *obj,
			   const char *path, struct option_defs_saved *saved);
void option_defs_class_pop(struct config_ctx *c,
			   struct option_defs_saved *saved);
/* The index of space @name in cfg->option_spaces (added when @add):
 * 0, -ENOENT, -E2BIG or -ENOMEM. */
int option_space_id(struct dx_config *cfg, const char *name, bool add,
		    uint16_t *out);
/* Spaces that exist without option-def: dhcp4, 43's, docsis3-v4 and
 * every vendor-N (N an enterprise number, RFC 3925 §4). */
bool option_space_builtin(const char *name);
/* Whether option-data may use @space: dhcp4, 43's, vendor-N, docsis3-v4,
 * or one that option-def defines options in or encapsulates. */
bool option_space_known(const struct dx_config *cfg, uint16_t space);
/* 0 and the enterprise number when @space is "vendor-N", else -ENOENT. */
int option_space_vendor(const struct dx_config *cfg, uint16_t space,
			uint32_t *enterprise);
/*
 * The definition of option @name (or, when @name is NULL, @code) in
 * @space: option-def's, then the standard ones; NULL when none.
 * *encapsulate receives the space of its sub-options (0: none).
 */
const struct option_def *option_defs_find(const struct dx_config *cfg,
					  uint16_t space, const char *name,
					  int code, uint16_t *encapsulate);

/* --- options.c ----------------------------------------------------------- */

/*
 * parent's "option-data" (if any) appended to out, as configured (every
 * space; compose with options_compose()); a key twice fails. Any level
 * may call it (Dhcp4, a subnet, a pool, a reservation, a client class).
 */
int options_parse(struct config_ctx *c, struct json_object *parent,
		  const char *ppath, struct dx_option_list *out);
/* options_parse() of a level that may set option 54, into *server_id
 * (left alone when the level does not set it). */
int options_parse_level(struct config_ctx *c, struct json_object *parent,
			const char *ppath, struct dx_option_list *out,
			uint32_t *server_id);
/* Add o to l, replacing an entry of the same key: 0 or -ENOMEM. */
int options_add(struct dx_option_list *l, const struct dx_option *o);
void options_free(struct dx_option_list *l);

/* --- bootp.c ------------------------------------------------------------ */

/*
 * Kea's next-server, server-hostname and boot-file-name of obj (any level
 * that has them: Dhcp4, a shared network, a subnet, a client class, a
 * reservation) into *inherit_into, which holds the level above's values
 * on entry: only the keys obj gives are overwritten (and their has_*
 * set), so a level inherits what it does not say. A key given as ""
 * (or "0.0.0.0") is given: it clears the inherited value. The caller
 * adds the three keys to its key-rule table as K_HANDLED.
 * Returns 0, or -EINVAL with "FILE: PATH.KEY: reason" for a value of the
 * wrong type, a next-server that is not an IPv4 address, a
 * server-hostname over 63 bytes or a boot-file-name over 127 bytes (the
 * BOOTP sname and file fields with their NUL, RFC 2131 §2).
 */
int bootp_fields_parse(struct config_ctx *c, struct json_object *obj,
		       const char *path, struct dx_bootp_conf *inherit_into);
/* The same for a reservation or a client class, where an empty value (or
 * 0.0.0.0) is not given: the level below's stays (as Kea). *b starts
 * empty. */
int bootp_fields_parse_extras(struct config_ctx *c, struct json_object *o,
			      const char *path, struct dx_bootp_conf *b);

/* --- client_names.c ----------------------------------------------------- */

/*
 * Kea's defaults (hostname-char-set "[^A-Za-z0-9.-]", replacement "",
 * ddns-replace-client-name "never", prefix "myhost", suffix "").
 */
void client_names_defaults(struct dx_client_name_conf *n);
/*
 * The five keys of obj (Dhcp4, a shared network or a subnet) into
 * *inherit_into, which holds the level above's values: only the keys
 * given are overwritten. Returns 0, or -EINVAL with "FILE: PATH.KEY:
 * reason" for a wrong type, a hostname-char-set that is not a POSIX
 * extended regular expression or is too long, a replacement too long,
 * a mode Kea does not name, or a prefix or suffix that is not a DNS name.
 * The caller lists the five keys in its key-rule table as K_HANDLED.
 */
int client_names_parse(struct config_ctx *c, struct json_object *obj,
		       const char *path,
		       struct dx_client_name_conf *inherit_into);

/* --- ddns.c ------------------------------------------------------------- */

/* The key-rule entries of the behavioural ddns-* keys (every level). */
/* clang-format off */
#define DDNS_KEY_RULES						\
	{"ddns-send-updates", K_HANDLED, NULL},			\
	{"ddns-override-no-update", K_HANDLED, NULL},		\
	{"ddns-override-client-update", K_HANDLED, NULL},	\
	{"ddns-update-on-renew", K_HANDLED, NULL},		\
	{"ddns-conflict-resolution-mode", K_HANDLED, NULL},	\
	{"ddns-use-conflict-resolution", K_HANDLED, NULL},	\
	{"ddns-ttl-percent", K_HANDLED, NULL},			\
	{"ddns-ttl", K_HANDLED, NULL},				\
	{"ddns-ttl-min", K_HANDLED, NULL},			\
	{"ddns-ttl-max", K_HANDLED, NULL}
/* clang-format on */

/* Kea's defaults: ddns-send-updates true, check-with-dhcid, the rest
 * off or unset. */
void ddns_keys_defaults(struct dx_client_name_conf *n);
/*
 * The behavioural ddns-* keys of obj (Dhcp4, a shared network, a subnet)
 * over *n, which holds the level above's values. 0, or -EINVAL with the
 * key's path: a wrong type, a conflict mode Kea does not name, a
 * ddns-ttl-percent outside (0, 1], ddns-ttl beside ddns-ttl-percent or
 * -min/-max at one level, ddns-ttl-min above ddns-ttl-max.
 */
int ddns_keys_parse(struct config_ctx *c, struct json_object *obj,
		    const char *path, struct dx_client_name_conf *n);
/* Dhcp4.dhcp-ddns into cfg->ddns (Kea's defaults when absent). */
int ddns_conf_parse(struct config_ctx *c);

/* --- option_compose.c ---------------------------------------------------- */

/*
 * The top-level options of @levels (as options_parse() gives them, least
 * specific first; NULL entries are skipped), composed into @out: 43 and
 * other encapsulating options with the sub-options in effect, one 125
 * with a block per enterprise. With @delta, only the options the last
 * level changes (set itself, or whose sub-options it sets): what a pool
 * or reservation lays over the subnet's list. Errors name @path.
 */
int options_compose(struct config_ctx *c, const char *path,
		    const struct dx_option_list *const *levels, size_t n_levels,
		    bool delta, struct dx_option_list *out);

/* --- classes.c ---------------------------------------------------------- */

struct dx_class_guard;

/* Dhcp4.client-classes into cfg->classes, before the subnets. */
int classes_parse(struct config_ctx *c);
/* "client-class" (a string) and "client-classes" (a list) of obj. */
int classes_guard_parse(struct config_ctx *c, struct json_object *obj,
			const char *path, struct dx_class_guard *g);
/* The class names of obj's list `key`, as indexes of configured
 * classes, appended to *idx; a name that is none fails. */
int classes_list_parse(struct config_ctx *c, struct json_object *obj,
		       const char *path, const char *key, uint16_t **idx,
		       size_t *n);
void classes_guard_free(struct dx_class_guard *g);
void classes_free(struct dx_config *cfg);

/* --- subnets.c, shared_networks.c, checks.c ------------------------------ */

/*
 * What a subnet inherits from the level above it: Dhcp4, or its shared
 * network (which inherits from Dhcp4 in turn). Kea's order: subnet, then
 * shared network, then global.
 */
struct subnet_parent {
	const struct timers *timers;	      /* as written, merged down */
	const struct dx_kea_conf *kea;	      /* effective */
	/* The shared network's option-data as configured (options_parse());
	 * NULL at the top level. */
	const struct dx_option_list *options;
	uint32_t server_id; /* option 54, effective at this level; 0: none */
	const char *interface;		      /* NULL: not named */
	const uint32_t *relay_addrs;
	size_t n_relay;
	const char *shared_name; /* NULL at the top level */
	uint32_t shared_id;	 /* 1-based, 0 at the top level */
	const struct dx_bootp_conf *bootp; /* effective */
	const struct dx_client_name_conf *names; /* effective */
	bool res_global, res_in_subnet;	   /* reservations-* flags */
};
/* Dhcp4.subnet4, then each shared network's subnet4, into cfg->subnets
 * (shared_networks.c). */
int subnets_parse(struct config_ctx *c, const struct timers *global);
/* One subnet4 entry into *s (room the caller counted in cfg->subnets). */
int subnet_parse(struct config_ctx *c, struct json_object *so,
		 const char *path, const struct subnet_parent *parent,
		 struct dx_subnet_conf *s);
/* A relay object ("relay": {"ip-addresses": [...]}) of obj into a fresh
 * list; Kea's placeholder 0.0.0.0 ("no relay") is skipped. */
int relay_parse(struct config_ctx *c, struct json_object *obj,
		const char *path, uint32_t **addrs, size_t *n);

/* What needs every subnet: ids, overlaps, relays, interface binding. */
int checks_subnets(struct config_ctx *c);

/* --- host_ids.c ---------------------------------------------------------- */

/* Dhcp4.host-reservation-identifiers into cfg->host_ids (absent: left
 * empty, Kea's default order). */
int host_ids_parse(struct config_ctx *c);

/* --- reservations.c ------------------------------------------------------ */

struct dx_reservation_conf;

/* The subnet's "reservations" (if any) into s, duplicates refused. */
int reservations_parse(struct config_ctx *c, struct json_object *so,
		       const char *spath, struct dx_subnet_conf *s);
/*
 * obj's "reservations" (if any) into a new array *out of *n entries,
 * duplicates refused; an ip-address is checked against s, or only
 * parsed when s is NULL (Dhcp4's, for no subnet in particular).
 */
int reservations_parse_list(struct config_ctx *c, struct json_object *obj,
			    const char *path, const struct dx_subnet_conf *s,
			    struct dx_reservation_conf **out, size_t *n);
/* What one reservation holds (not r itself). */
void reservation_free(struct dx_reservation_conf *r);

/*
 * reservations-global, -in-subnet, -out-of-pool and reservation-mode of
 * obj (any level that has them) into *global and *in_subnet, which hold
 * the level above's values on entry (Kea's defaults false and true at
 * the top): only what obj gives is overwritten. -EINVAL naming the key
 * for a value of the wrong type or an unknown reservation-mode.
 */
int reservations_flags(struct config_ctx *c, struct json_object *obj,
		       const char *path, bool *global, bool *in_subnet);

/* --- global_reservations.c ---------------------------------------------- */

/* Dhcp4.reservations into cfg->global_reservations. */
int global_reservations_parse(struct config_ctx *c);
/*
 * Once every subnet is read: drop a subnet's own reservations when its
 * reservations-in-subnet is false, and add the global ones it may use
 * when its reservations-global is true (docs/configuration.md).
 */
int global_reservations_merge(struct config_ctx *c);
/* Kea's hw-address forms (00:11:22:33:44:55, 00-11-..., 001122334455):
 * 0 or -EINVAL. */
int reservations_parse_hw(const char *text, uint8_t hw[6]);
/* An identifier as hex or 'quoted text': its length (1 to 255) or
 * -EINVAL. */
int reservations_parse_id(const char *text, uint8_t out[255]);
/* A client-id as hex or 'quoted text': its length (2 to 255) or -EINVAL. */
int reservations_parse_client_id(const char *text, uint8_t out[255]);
/* A circuit-id as hex or 'quoted text': its length (1 to 255) or -EINVAL. */
int reservations_parse_circuit_id(const char *text, uint8_t out[255]);
/*
 * May addr be reserved in s? 0, or -EINVAL with "A: outside subnet N/L"
 * or "A is the network|broadcast address of subnet N/L" in why.
 */
int reservations_check_addr(const struct dx_subnet_conf *s, uint32_t addr,
			    char *why, size_t len);

#endif /* DHCPXDP_CONFIG_INTERNAL_H */
