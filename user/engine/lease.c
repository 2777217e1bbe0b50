// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/* Names of the lease states, for logs, listings and the control socket. */
#include "engine/lease.h"

const char *lease_state_name(int state)
{
	switch (state) {
	case DX_LEASE_ACTIVE:
		return "active";
	case DX_LEASE_RELEASED:
		return "released";
	case DX_LEASE_DECLINED:
		return "declined";
	case DX_LEASE_EXPIRED:
		return "expired";
	}
	return "unknown";
}
