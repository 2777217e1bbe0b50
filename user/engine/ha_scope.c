// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The scopes of a high-availability pair (config/ha.c), as Kea's HA hook
 * draws them (Kea ARM, "Load Balancing Configuration"): a request belongs
 * to the primary's or the secondary's scope by the RFC 3074 hash of its
 * client identifier (option 61, else chaddr); in hot-standby every request
 * is the primary's. A server answers the scopes it serves - its own, and
 * its partner's while the daemon has found the partner down - and drops
 * the rest, which the partner answers. Only the messages whose answer
 * allocates or frees (DISCOVER, REQUEST, DECLINE, RELEASE, INFORM) are
 * filtered, as in Kea. The request's scope also names its HA_<server>
 * class.
 */
#include <string.h>

#include "engine/engine_internal.h"

/*
 * RFC 3074 §6: the mixing table of the load-balancing hash, 256 distinct
 * values in pseudo-random order (Pearson's hash), as the RFC gives them.
 */
static const uint8_t loadb_mx_tbl[256] = {
	251, 175, 119, 215, 81,	 14,  79,  191, 103, 49,  181, 143, 186, 157,
	0,   232, 31,  32,  55,	 60,  152, 58,	17,  237, 174, 70,  160, 144,
	220, 90,  57,  223, 59,	 3,   18,  140, 111, 166, 203, 196, 134, 243,
	124, 95,  222, 179, 197, 65,  180, 48,	36,  15,  107, 46,  233, 130,
	165, 30,  123, 161, 209, 23,  97,  16,	40,  91,  219, 61,  100, 10,
	210, 109, 250, 127, 22,	 138, 29,  108, 244, 67,  207, 9,   178, 204,
	74,  98,  126, 249, 167, 116, 34,  77,	193, 200, 121, 5,   20,	 113,
	71,  35,  128, 13,  182, 94,  25,  226, 227, 199, 75,  27,  41,	 245,
	230, 224, 43,  225, 177, 26,  155, 150, 212, 142, 218, 115, 241, 73,
	88,  105, 39,  114, 62,	 255, 192, 201, 145, 214, 168, 158, 221, 148,
	154, 122, 12,  84,  82,	 163, 44,  139, 228, 236, 205, 242, 217, 11,
	187, 146, 159, 64,  86,	 239, 195, 42,	106, 198, 118, 112, 184, 172,
	87,  2,	  173, 117, 176, 229, 247, 253, 137, 185, 99,  164, 102, 147,
	45,  66,  231, 52,  141, 211, 194, 206, 246, 238, 56,  110, 78,	 248,
	63,  240, 189, 93,  92,	 51,  53,  183, 19,  171, 72,  50,  33,	 104,
	101, 69,  8,   252, 83,	 120, 76,  135, 85,  54,  202, 125, 188, 213,
	96,  235, 136, 208, 162, 129, 190, 132, 156, 38,  47,  1,   7,	 254,
	24,  4,	  216, 131, 89,	 21,  28,  133, 37,  153, 149, 80,  170, 68,
	6,   169, 234, 151,
};

/* RFC 3074 §6: hash = len, then each byte from the last, mixed. */
uint8_t ha_lb_hash(const uint8_t *key, size_t len)
{
	uint8_t h = (uint8_t)len;

	while (len)
		h = loadb_mx_tbl[h ^ key[--len]];
	return h;
}

static bool filtered(uint8_t msg_type)
{
	switch (msg_type) {
	case DHCPDISCOVER:
	case DHCPREQUEST:
	case DHCPDECLINE:
	case DHCPRELEASE:
	case DHCPINFORM:
		return true;
	default:
		return false;
	}
}

int ha_scope_of(const struct dx_ha_conf *ha, const struct dhcp_msg *req)
{
	const uint8_t *cid;
	size_t len = 0;
	uint8_t h;

	if (ha->mode != DX_HA_LOAD_BALANCING || !filtered(req->msg_type))
		return 0;
	/* Option 61 as sent (type byte included), else the hardware
	 * address: the identifier Kea's HA hook hashes. */
	cid = dhcp_msg_option(req, DHCP_OPT_CLIENT_ID, &len);
	if (cid && len)
		h = ha_lb_hash(cid, len);
	else if (req->hlen)
		h = ha_lb_hash(req->chaddr, req->hlen);
	else
		return -1;
	/* Primary and secondary are scopes 0 and 1 (config/ha.c). */
	return h % 2;
}

void engine_ha_set_partner_down(struct engine *e, bool down)
{
	e->ha_partner_down = down;
}

bool engine_ha_partner_down(const struct engine *e)
{
	return e->ha_partner_down;
}

void engine_ha_set_maintenance(struct engine *e, enum engine_ha_maintenance m)
{
	e->ha_maintenance = m;
}

void engine_ha_force_scopes(struct engine *e, uint32_t scopes)
{
	e->ha_forced = true;
	e->ha_forced_scopes = scopes;
}

void engine_ha_unforce(struct engine *e)
{
	e->ha_forced = false;
}

bool engine_ha_serves(const struct engine *e, int scope)
{
	const struct dx_ha_conf *ha = &e->cfg->ha;
	const struct dx_ha_peer *p;

	if (!ha->mode)
		return true;
	/* Scopes are the primary's, and the secondary's when balancing;
	 * a standby and backups have none. */
	if (scope < 0 || scope > (ha->mode == DX_HA_LOAD_BALANCING ? 1 : 0))
		return false;
	if (e->ha_forced)
		return e->ha_forced_scopes & (1u << scope);
	if (e->ha_maintenance == ENGINE_HA_IN_MAINTENANCE)
		return false;
	if (e->ha_maintenance == ENGINE_HA_PARTNER_IN_MAINTENANCE)
		return ha->peers[ha->self].role != DX_HA_BACKUP;
	/* Our own scope (a standby and a backup have none), and a
	 * partner's one once it is down, unless auto-failover is off for
	 * it (Kea: the operator moves it by hand). */
	if ((size_t)scope == ha->self)
		return ha->peers[scope].role == DX_HA_PRIMARY ||
		       ha->peers[scope].role == DX_HA_SECONDARY;
	p = &ha->peers[scope];
	return e->ha_partner_down && p->auto_failover &&
	       ha->peers[ha->self].role != DX_HA_BACKUP;
}

const char *ha_scope_name(const struct engine *e, const struct dhcp_msg *req)
{
	int scope = ha_scope_of(&e->cfg->ha, req);

	if (!e->cfg->ha.mode || scope < 0)
		return NULL;
	return e->cfg->ha.peers[scope].name;
}

bool ha_drop(const struct engine *e, const struct dhcp_msg *req)
{
	if (!e->cfg->ha.mode || !filtered(req->msg_type))
		return false;
	return !engine_ha_serves(e, ha_scope_of(&e->cfg->ha, req));
}
