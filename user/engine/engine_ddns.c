// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * DNS updates (Kea ARM, "DDNS for DHCPv4"; RFC 4702, RFC 4703): which
 * RRs a lease's name goes into - decided from the Client FQDN option's
 * flags or, for option 12 and generated names, both - the option 81 or
 * 12 a reply carries back, and the name change requests (engine.h,
 * struct engine_ncr) a lease's grant and end produce. No I/O: the
 * daemon sends the requests (daemon/ddns.c).
 */
#include <stdio.h>
#include <string.h>

#include "engine/engine_internal.h"

bool ddns_on(const struct engine *e, const struct eng_subnet *s)
{
	return e->cfg->ddns.enable_updates && s->conf->names.send_updates;
}

/* The client's option 81, when it sent a well-formed one. */
static bool req_fqdn(const struct dhcp_msg *req, struct client_fqdn *f)
{
	return req->fqdn && !client_fqdn_parse(req->fqdn, req->fqdn_len, f);
}

size_t ddns_name_of(const struct eng_subnet *s, const struct dhcp_msg *req,
		    uint32_t a, char out[DX_LEASE_HOSTNAME_MAX + 1])
{
	struct client_fqdn f;

	if (req_fqdn(req, &f))
		return client_name_fqdn(s, &f, a, out);
	return client_name_of(s, req, a, out);
}

/*
 * The TTL of the RRs (Kea's calculateDdnsTtl): ddns-ttl when given, else
 * ddns-ttl-percent of the lease time, else a third of it and at least 10
 * minutes (RFC 4702 §5); then within ddns-ttl-min and -max.
 */
static uint32_t ddns_ttl(const struct dx_client_name_conf *n, uint32_t lt)
{
	uint32_t ttl;

	if (n->has_ttl)
		return n->ttl;
	if (n->has_ttl_percent) {
		ttl = (uint32_t)((double)lt * n->ttl_percent);
	} else {
		ttl = lt / 3;
		if (ttl < 600)
			ttl = 600;
	}
	if (n->has_ttl_min && ttl < n->ttl_min)
		ttl = n->ttl_min;
	if (n->has_ttl_max && ttl > n->ttl_max)
		ttl = n->ttl_max;
	return ttl;
}

/* One request about l's name into the sink; false when it has no room
 * or the name cannot be a DHCID's (then nothing is sent). */
static bool emit(struct engine *e, struct eng_subnet *s,
		 const struct lt_lease *l, int kind, const char *name,
		 uint8_t flags, uint32_t ttl, struct sink *k)
{
	const uint8_t *cid = lt_client_id(l);
	uint8_t hw[7] = {DHCP_HTYPE_ETHER};
	struct engine_ncr *n;
	int r;

	(void)e;
	if (!k->ncr || *k->n_ncr >= k->ncr_cap || !name || !*name)
		return false;
	n = &k->ncr[*k->n_ncr];
	memset(n, 0, sizeof(*n));
	n->kind = (uint8_t)kind;
	n->fwd = flags & DX_LEASE_F_DNS_FWD;
	n->rev = flags & DX_LEASE_F_DNS_REV;
	n->conflict_mode = (uint8_t)s->conf->names.conflict_mode;
	n->addr = l->addr;
	n->expires = l->expires;
	n->ttl = ttl;
	snprintf(n->fqdn, sizeof(n->fqdn), "%s.", name);
	/* RFC 4701 §3.3 and Kea: the client-id when there is one, else the
	 * hardware type and address. */
	memcpy(hw + 1, l->mac, 6);
	if (l->client_id_len)
		r = dhcid_compute(DHCID_ID_CLIENTID, cid, l->client_id_len,
				  name, n->dhcid);
	else
		r = dhcid_compute(DHCID_ID_HWADDR, hw, sizeof(hw), name,
				  n->dhcid);
	if (r)
		return false;
	(*k->n_ncr)++;
	return true;
}

/* What the request asks of the server's DNS updates, as lease flags. */
static uint8_t wanted(const struct eng_subnet *s, const struct dhcp_msg *req)
{
	const struct dx_client_name_conf *n = &s->conf->names;
	struct client_fqdn f;
	uint8_t sf, out = 0;

	if (!req_fqdn(req, &f)) /* option 12 or a generated name (Kea) */
		return DDNS_LEASE_FLAGS;
	sf = client_fqdn_reply_flags(f.flags, true, n->override_no_update,
				     n->override_client_update);
	/* RFC 4702 §4: S says the server does the A RR; N that it does
	 * none, else it always does the PTR RR. */
	if (sf & FQDN_F_S)
		out |= DX_LEASE_F_DNS_FWD;
	if (!(sf & FQDN_F_N))
		out |= DX_LEASE_F_DNS_REV;
	return out;
}

void ddns_grant(struct engine *e, struct eng_subnet *s, struct lt_lease *l,
		const struct dhcp_msg *req, const char *old_name,
		uint8_t old_flags, bool was_active, uint32_t lt, struct sink *k)
{
	const char *name = lt_hostname(l);
	uint32_t ttl = ddns_ttl(&s->conf->names, lt);
	uint8_t flags = 0;
	bool changed;

	old_flags &= DDNS_LEASE_FLAGS;
	if (ddns_on(e, s) && name && *name)
		flags = wanted(s, req);
	changed = old_flags != flags || strcmp(old_name, name ? name : "");
	l->flags = (uint8_t)((l->flags & ~DDNS_LEASE_FLAGS) | flags);
	/* The name moved: what the old one holds goes first. */
	if (was_active && old_flags && changed && e->cfg->ddns.enable_updates)
		emit(e, s, l, ENGINE_NCR_REMOVE, old_name, old_flags, ttl, k);
	/* A renewal with the same name changes nothing in DNS unless
	 * ddns-update-on-renew (Kea). */
	if (flags && (!was_active || changed || s->conf->names.update_on_renew))
		emit(e, s, l, ENGINE_NCR_ADD, name, flags, ttl, k);
}

void ddns_end(struct engine *e, struct eng_subnet *s, struct lt_lease *l,
	      struct sink *k)
{
	uint8_t flags = l->flags & DDNS_LEASE_FLAGS;

	if (!flags)
		return;
	l->flags &= (uint8_t)~DDNS_LEASE_FLAGS;
	/* Updates switched off since the ADD: D2 is not there to ask. */
	if (e->cfg->ddns.enable_updates)
		emit(e, s, l, ENGINE_NCR_REMOVE, lt_hostname(l), flags,
		     ddns_ttl(&s->conf->names, s->conf->valid_lifetime), k);
}

/* Room in the reply's list for one more option, the list in class_opts. */
static struct dhcp_opt *reply_slot(struct engine_result *res, uint8_t code)
{
	struct dhcp_opt *out = res->class_opts;
	size_t n = res->reply.n_opts;

	if (res->reply.opts != out) {
		if (n > ENGINE_CLASS_OPTS)
			return NULL;
		if (n)
			memmove(out, res->reply.opts, n * sizeof(*out));
		res->reply.opts = out;
	}
	for (size_t i = 0; i < n; i++)
		if (out[i].code == code)
			return &out[i];
	if (n >= ENGINE_CLASS_OPTS)
		return NULL;
	res->reply.n_opts = n + 1;
	return &out[n];
}

void ddns_reply(struct engine *e, struct eng_subnet *s,
		const struct dhcp_msg *req, struct engine_result *res)
{
	const struct dx_client_name_conf *n = &s->conf->names;
	char name[DX_LEASE_HOSTNAME_MAX + 1];
	uint32_t a = res->reply.yiaddr;
	const struct lt_lease *l;
	struct client_fqdn f;
	struct dhcp_opt *o;
	bool fqdn = req_fqdn(req, &f);
	int len;

	if (!e->cfg->ddns.enable_updates || res->action != ENGINE_REPLY ||
	    (res->reply.msg_type != DHCPOFFER &&
	     res->reply.msg_type != DHCPACK) ||
	    !a || (!fqdn && !req->hostname))
		return;
	/* A reserved address: the reservation's own option 12, no DNS
	 * (docs/configuration.md). */
	l = lt_find_addr(e->lt, s->id, a);
	if (!l || (l->state != DX_LEASE_ACTIVE && l->state != LT_STATE_OFFERED))
		return;
	if (l->state == DX_LEASE_ACTIVE) {
		const char *h = lt_hostname(l);

		snprintf(name, sizeof(name), "%s", h ? h : "");
	} else {
		ddns_name_of(s, req, a, name);
	}
	if (fqdn) {
		/* RFC 4702 §4: the flags tell the client who updates what;
		 * the name is the one the server uses. */
		len = client_fqdn_encode(
			client_fqdn_reply_flags(f.flags, n->send_updates,
						n->override_no_update,
						n->override_client_update),
			name, res->name_opt, sizeof(res->name_opt));
		if (len < 0 || !(o = reply_slot(res, DHCP_OPT_FQDN)))
			return;
		*o = (struct dhcp_opt){DHCP_OPT_FQDN, (uint16_t)len,
				       res->name_opt};
		return;
	}
	if (!*name || !(o = reply_slot(res, DHCP_OPT_HOST_NAME)))
		return;
	len = (int)strlen(name);
	memcpy(res->name_opt, name, (size_t)len);
	*o = (struct dhcp_opt){DHCP_OPT_HOST_NAME, (uint16_t)len,
			       res->name_opt};
}
