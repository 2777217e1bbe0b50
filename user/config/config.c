// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Configuration loader: Kea's Dhcp4 JSON object, the common subset, into
 * struct dx_config. Every message carries FILE: JSON-PATH so an operator
 * can find the offending key; see docs/configuration.md for the keys and
 * config_internal.h for how the loader is divided.
 */
#include <stdio.h>

#include "config/config.h"
#include "config/config_internal.h"

#define CONFIG_MAX_FILE (64u << 20)

static const char *const other_servers[] = {
	"Dhcp6", "DhcpDdns", "Control-agent", "Netconf", "Logging", NULL,
};

static int load(struct config_ctx *c, char *text)
{
	struct json_object *root = NULL;
	int r;

	if ((r = text_parse(c, text, &root)))
		goto out;
	if (json_object_get_type(root) != json_type_object) {
		r = jpath_fail(c, NULL,
			       "expected a JSON object with a \"Dhcp4\" key");
		goto out;
	}
	json_object_object_foreach(root, key, val)
	{
		bool known = !strcmp(key, "Dhcp4");

		(void)val;
		for (size_t i = 0; !known && other_servers[i]; i++)
			if (!strcmp(key, other_servers[i])) {
				jpath_warn(
					c, key,
					"ignored: dhcpxdp reads only the Dhcp4 "
					"object");
				known = true;
			}
		if (!known)
			jpath_warn(c, key, "unknown key, ignored");
	}
	r = jpath_get(c, root, "", "Dhcp4", json_type_object, "an object",
		      &c->dhcp4);
	if (r == 0)
		r = jpath_fail(c, NULL, "no \"Dhcp4\" object");
	if (r < 0 || (r = hosts_merge(c)))
		goto out;
	r = dhcp4_parse(c);
	if (!r)
		r = loggers_parse(c);
	if (r)
		hosts_merge_explain(c);
out:
	json_object_put(root);
	return r;
}

static int load_common(const char *text, size_t len, const char *name,
		       struct json_object *hosts, struct dx_config **out,
		       struct config_diag *diag)
{
	struct config_diag local = {0};
	struct config_ctx c = {.file = name, .hosts = hosts};
	char *copy = NULL;
	int r = -ENOMEM;

	c.diag = diag ? diag : &local;
	c.diag->error[0] = '\0';
	c.diag->warnings = NULL;
	c.diag->n_warnings = 0;
	*out = NULL;
	c.cfg = calloc(1, sizeof(*c.cfg));
	copy = malloc(len + 1);
	if (!c.cfg || !copy)
		goto out;
	memcpy(copy, text, len);
	copy[len] = '\0';
	if (strlen(copy) != len) {
		r = jpath_fail(&c, NULL, "the file contains a NUL byte");
		goto out;
	}
	if (!(c.cfg->path = strdup(name)))
		goto out;
	r = load(&c, copy);
out:
	free(copy);
	free(c.placed);
	if (r == -ENOMEM && !c.diag->error[0])
		snprintf(c.diag->error, sizeof(c.diag->error),
			 "%s: out of memory", name);
	if (r) {
		config_free(c.cfg);
		c.cfg = NULL;
	}
	*out = c.cfg;
	config_diag_free(&local);
	return r;
}

int config_load_string(const char *json, const char *name,
		       struct dx_config **out, struct config_diag *diag)
{
	if (!out)
		return -EINVAL;
	if (!name)
		name = "<string>";
	if (!json) {
		*out = NULL;
		if (diag)
			snprintf(diag->error, sizeof(diag->error),
				 "%s: no configuration text", name);
		return -EINVAL;
	}
	return load_common(json, strlen(json), name, NULL, out, diag);
}

int config_load(const char *path, struct dx_config **out,
		struct config_diag *diag)
{
	return config_load_hosts(path, NULL, out, diag);
}

int config_load_hosts(const char *path, struct json_object *hosts,
		      struct dx_config **out, struct config_diag *diag)
{
	char *buf = NULL;
	size_t len = 0;
	FILE *f = NULL;
	int r;

	if (!out || !path)
		return -EINVAL;
	*out = NULL;
	if (diag) {
		diag->error[0] = '\0';
		diag->warnings = NULL;
		diag->n_warnings = 0;
	}
	f = fopen(path, "re");
	if (!f) {
		r = -errno;
		goto err;
	}
	buf = malloc(CONFIG_MAX_FILE + 1);
	if (!buf) {
		r = -ENOMEM;
		goto err;
	}
	len = fread(buf, 1, CONFIG_MAX_FILE + 1, f);
	if (ferror(f)) {
		r = -EIO;
		goto err;
	}
	if (len > CONFIG_MAX_FILE) {
		r = -EFBIG;
		goto err;
	}
	fclose(f);
	r = load_common(buf, len, path, hosts, out, diag);
	free(buf);
	return r;
err:
	if (diag)
		snprintf(diag->error, sizeof(diag->error),
			 "%s: cannot read: %s", path, strerror(-r));
	if (f)
		fclose(f);
	free(buf);
	return r;
}

void config_free(struct dx_config *cfg)
{
	if (!cfg)
		return;
	cls_prog_free(cfg->flex_id_expr);
	for (size_t i = 0; i < cfg->n_interfaces; i++)
		free(cfg->interfaces[i].name);
	free(cfg->interfaces);
	for (size_t i = 0; i < cfg->n_subnets; i++) {
		struct dx_subnet_conf *s = &cfg->subnets[i];

		for (size_t j = 0; s->pool_guards && j < s->n_pools; j++)
			classes_guard_free(&s->pool_guards[j]);
		free(s->pool_guards);
		for (size_t j = 0; s->pool_additional && j < s->n_pools; j++)
			free(s->pool_additional[j].idx);
		free(s->pool_additional);
		for (size_t j = 0; s->pool_opts && j < s->n_pools; j++) {
			options_free(&s->pool_opts[j].option_data);
			options_free(&s->pool_opts[j].options);
		}
		free(s->pool_opts);
		free(s->pools);
		options_free(&s->options);
		options_free(&s->option_data);
		options_free(&s->own_options);
		classes_guard_free(&s->guard);
		free(s->additional);
		for (size_t j = 0; j < s->n_reservations; j++)
			if (!s->reservations[j].global)
				reservation_free(&s->reservations[j]);
		free(s->reservations);
		free(s->relay_addrs);
		free(s->interface);
		free(s->shared_network);
		free(s->path);
	}
	free(cfg->subnets);
	for (size_t j = 0; j < cfg->n_global_reservations; j++)
		reservation_free(&cfg->global_reservations[j]);
	free(cfg->global_reservations);
	classes_free(cfg);
	options_free(&cfg->options);
	options_free(&cfg->option_data);
	option_defs_free(cfg);
	db_conn_conf_free(&cfg->lease_db);
	hosts_db_conf_free(cfg);
	free(cfg->control_socket.socket_type);
	free(cfg->control_socket.socket_name);
	control_sockets_free(cfg);
	free(cfg->dhcpxdp.pin_dir);
	free(cfg->dhcpxdp.xdp_mode);
	free(cfg->dhcpxdp.metrics_listen);
	free(cfg->dhcpxdp.history.path);
	free(cfg->dhcpxdp.legal_log.path);
	free(cfg->dhcpxdp.legal_log.base_name);
	free(cfg->path);
	free(cfg);
}

void config_diag_free(struct config_diag *diag)
{
	if (!diag)
		return;
	for (size_t i = 0; i < diag->n_warnings; i++)
		free(diag->warnings[i]);
	free(diag->warnings);
	diag->warnings = NULL;
	diag->n_warnings = 0;
}
