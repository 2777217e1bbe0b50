// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The client behind a request, as RFC 2131 §4.2 identifies it: client-id
 * (61) if sent, else chaddr. What the engine knows of it in a subnet -
 * its lease, held offer and sticky row (lease_table.c) - and its
 * reservation (the indexes engine_build.c sorted).
 */
#include <stdint.h>
#include <string.h>

#include "engine/engine_internal.h"
#include "wire/relay_info.h"

static const struct eng_res *res_by_hw(const struct eng_subnet *s,
				       const uint8_t mac[6])
{
	size_t lo = 0, hi = s->n_res_hw;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int d = memcmp(s->res_by_hw[mid]->conf->hw, mac, 6);

		if (d < 0)
			lo = mid + 1;
		else if (d > 0)
			hi = mid;
		else
			return s->res_by_hw[mid];
	}
	return NULL;
}

const uint8_t *res_id_cid(const struct eng_res *r, size_t *len)
{
	*len = r->conf->client_id_len;
	return r->conf->client_id;
}

const uint8_t *res_id_circ(const struct eng_res *r, size_t *len)
{
	*len = r->conf->circuit_id_len;
	return r->conf->circuit_id;
}

const uint8_t *res_id_duid(const struct eng_res *r, size_t *len)
{
	*len = r->conf->duid_len;
	return r->conf->duid;
}

const uint8_t *res_id_flex(const struct eng_res *r, size_t *len)
{
	*len = r->conf->flex_id_len;
	return r->conf->flex_id;
}

/* Binary search of index v (sorted by the identifier id_of gives). */
static const struct eng_res *res_by_id(struct eng_res *const *v, size_t n,
				       res_id_fn *id_of, const uint8_t *id,
				       size_t len)
{
	size_t lo = 0, hi = n;

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2, l;
		const uint8_t *x = id_of(v[mid], &l);
		int d = cid_cmp(x, l, id, len);

		if (d < 0)
			lo = mid + 1;
		else if (d > 0)
			hi = mid;
		else
			return v[mid];
	}
	return NULL;
}

/*
 * Reservations are looked up by each identifier of Kea's
 * host-reservation-identifiers in its order, the first match winning
 * (default hw-address, duid, circuit-id, client-id, flex-id). The
 * circuit id is the relay's (RFC 3046 §2.1) and the flex-id is computed
 * from the request (Kea's flex_id identifier-expression): both known only
 * for a request, not for a lease loaded from the database.
 */
const struct eng_res *client_res(const struct eng_subnet *s,
				 const struct client_ids *id)
{
	const struct eng_res *r = NULL;

	for (size_t i = 0; !r && i < s->n_host_ids; i++) {
		switch (s->host_ids[i]) {
		case DX_HOST_ID_HW:
			r = res_by_hw(s, id->mac);
			break;
		case DX_HOST_ID_CIRCUIT_ID:
			if (id->circ && id->circ_len)
				r = res_by_id(s->res_by_circ, s->n_res_circ,
					      res_id_circ, id->circ,
					      id->circ_len);
			break;
		case DX_HOST_ID_CLIENT_ID:
			if (id->cid && id->cid_len)
				r = res_by_id(s->res_by_cid, s->n_res_cid,
					      res_id_cid, id->cid, id->cid_len);
			break;
		case DX_HOST_ID_FLEX_ID:
			/* Kea: an empty flex-id identifies no one. */
			if (id->flex && id->flex_len)
				r = res_by_id(s->res_by_flex, s->n_res_flex,
					      res_id_flex, id->flex,
					      id->flex_len);
			break;
		case DX_HOST_ID_DUID:
			/* RFC 4361 §6.1: type 255, a 4-byte IAID, then the
			 * DUID. */
			if (id->cid && id->cid_len > 5 && id->cid[0] == 255)
				r = res_by_id(s->res_by_duid, s->n_res_duid,
					      res_id_duid, id->cid + 5,
					      id->cid_len - 5);
			break;
		}
	}
	return r;
}

const struct eng_res *client_res_req(const struct eng_subnet *s,
				     const struct dhcp_msg *req)
{
	struct client_ids id = {.mac = req->chaddr,
				.cid = req->client_id,
				.cid_len = req->client_id_len};

	uint8_t flex[DX_FLEX_ID_MAX];
	int n;

	id.circ = relay_info_circuit_id(req, &id.circ_len);
	/* One that cannot be computed, or is too long to be any
	 * reservation's, matches none (Kea: an evaluation error). */
	if (s->flex_expr && s->n_res_flex &&
	    (n = cls_eval_bytes(s->flex_expr, req, flex, sizeof(flex))) > 0) {
		id.flex = flex;
		id.flex_len = (size_t)n;
	}
	return client_res(s, &id);
}

static bool newer(const struct lt_lease *a, const struct lt_lease *b)
{
	return !b || a->last_seen > b->last_seen;
}

/*
 * Client identification (RFC 2131 §4.2): client-id (61) if sent, else
 * chaddr; the reservation as client_res() finds it.
 */
void client_view(const struct engine *e, const struct eng_subnet *s,
		 const struct dhcp_msg *req, struct client *cl)
{
	memset(cl, 0, sizeof(*cl));
	cl->mac = req->chaddr;
	cl->cid = req->client_id;
	cl->cid_len = req_cid_len(req);
	/* Kea's match-client-id false: the lease is the chaddr's, whatever
	 * client-id it was made with (reservations by client-id still
	 * count, below). */
	if (!s->conf->ignore_client_id) {
		cl->mcid = cl->cid;
		cl->mcid_len = cl->cid_len;
	}
	cl->n = lt_find_client(e->lt, s->id, cl->mac, cl->mcid, cl->mcid_len,
			       cl->ent, CLIENT_MAX_LEASES);
	if (cl->n > CLIENT_MAX_LEASES)
		cl->n = CLIENT_MAX_LEASES;
	for (size_t i = 0; i < cl->n; i++) {
		struct lt_lease *l = cl->ent[i];

		if (l->state == DX_LEASE_ACTIVE) {
			if (newer(l, cl->active))
				cl->active = l;
		} else if (l->state == LT_STATE_OFFERED) {
			cl->offered = l;
		} else if (l->state == DX_LEASE_RELEASED ||
			   l->state == DX_LEASE_EXPIRED) {
			if (newer(l, cl->sticky))
				cl->sticky = l;
		}
	}
	cl->res = client_res_req(s, req);
	if (cl->res && !cl->res->conf->addr) {
		cl->extras = cl->res;
		cl->res = NULL;
	}
	if (cl->res) {
		/*
		 * Usable unless a lease loaded from the database (the config
		 * changed) still holds the address for someone else: that
		 * lease keeps it until its horizon; the reserved client is
		 * served from the pool meanwhile (as Kea).
		 */
		const struct lt_lease *l =
			lt_find_addr(e->lt, s->id, cl->res->conf->addr);

		cl->res_usable =
			!l || !holds_addr(l) ||
			lt_owned_by(l, cl->mac, cl->mcid, cl->mcid_len);
	}
}
