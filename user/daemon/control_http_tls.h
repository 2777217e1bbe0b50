/* SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause */
/*
 * The TLS side of the HTTPS control sockets (control_http.h): reading and
 * checking trust-anchor, cert-file and key-file when a socket is opened,
 * so a bad file fails the start or the reload naming it; and each
 * connection's client certificate, checked with GnuTLS, libmicrohttpd's
 * TLS library, against the trust anchor.
 */
#ifndef DHCPXDP_CONTROL_HTTP_TLS_H
#define DHCPXDP_CONTROL_HTTP_TLS_H

#include <stdbool.h>
#include <stddef.h>

struct dx_http_socket_conf;

/* The three files' PEM text, NUL-terminated, as libmicrohttpd takes it. */
struct http_tls {
	char *cert, *key, *trust;
};

/*
 * Read sc's files (trust-anchor: a file, or a directory whose files'
 * certificates are all trusted, as OpenSSL's CApath) and check that each
 * holds what it should and that the key is the certificate's. 0, or a
 * negative errno with err = "KEY FILE: reason".
 */
int http_tls_load(const struct dx_http_socket_conf *sc, struct http_tls *t,
		  char *err, size_t errlen);
void http_tls_free(struct http_tls *t);

/*
 * A connection's GnuTLS session (gnutls_session_t), before its
 * handshake: ask for the client's certificate, and with cert_required
 * have the handshake fail without one or with one the trust anchor did
 * not sign (Kea's cert-required).
 */
void http_tls_session_start(void *session, bool cert_required);
/* During a request: the client's certificate, if it sent one, is
 * valid, and there is one when cert_required. */
bool http_tls_client_ok(void *session, bool cert_required);

#endif /* DHCPXDP_CONTROL_HTTP_TLS_H */
