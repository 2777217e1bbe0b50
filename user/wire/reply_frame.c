// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
#include <string.h>
#include "wire/dhcp_msg.h"
#include "wire/frame_in.h"
#include "wire/frame_out.h"
#include "wire/reply_frame.h"

/* Room for any reply dhcp_reply_encode writes within one Ethernet MTU. */
#define REPLY_DHCP_MAX 1500

int reply_frame_build(uint8_t *buf, size_t cap, const uint8_t src_mac[6],
		      uint32_t src_ip, const struct frame_in *in,
		      const struct dhcp_msg *req,
		      const struct dhcp_reply *reply, size_t *len)
{
	uint8_t dhcp[REPLY_DHCP_MAX];
	struct frame_out fo = {0};
	size_t dhcp_len = 0;
	int ret;

	ret = dhcp_reply_encode(dhcp, sizeof(dhcp), reply, req, &dhcp_len,
				NULL);
	if (ret)
		return ret;
	memcpy(fo.src_mac, src_mac, 6);
	fo.src_ip = src_ip;
	fo.vlan = in->vlan;
	fo.svlan = in->svlan;
	frame_out_address(&fo, req->giaddr, req->ciaddr, req->flags,
			  reply->yiaddr, req->chaddr, in->src_mac,
			  reply->msg_type);
	return frame_out_build(buf, cap, &fo, dhcp, dhcp_len, len);
}
