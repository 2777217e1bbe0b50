// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * TLS for the HTTPS control sockets (control_http_tls.h). libmicrohttpd
 * takes the files' text and builds GnuTLS credentials of its own; they are
 * checked here first, with GnuTLS too, for messages that name the file
 * (libmicrohttpd says only that its set-up failed).
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <gnutls/gnutls.h>
#include <gnutls/x509.h>
#include "config/config.h"
#include "daemon/control_http_tls.h"

/* A certificate chain or key is a few KiB; a CA directory a few hundred. */
#define TLS_FILE_MAX  (1 << 20)
#define TLS_TRUST_MAX (8 << 20)
#define PEM_CERT      "-----BEGIN CERTIFICATE-----"

/* Append the file at path to *buf (*len, NUL kept); 0 or -errno. */
static int slurp(const char *path, char **buf, size_t *len, size_t max)
{
	size_t want, got = 0;
	struct stat st;
	char *grown;
	ssize_t n = 0;
	int fd, ret = 0;

	fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return -errno;
	if (fstat(fd, &st)) {
		ret = -errno;
		goto out;
	}
	if (!S_ISREG(st.st_mode)) {
		ret = S_ISDIR(st.st_mode) ? -EISDIR : -EINVAL;
		goto out;
	}
	if ((size_t)st.st_size > max - *len) {
		ret = -EFBIG;
		goto out;
	}
	grown = realloc(*buf, *len + (size_t)st.st_size + 2);
	if (!grown) {
		ret = -ENOMEM;
		goto out;
	}
	*buf = grown;
	want = (size_t)st.st_size;
	while (got < want && (n = read(fd, *buf + *len + got, want - got)) > 0)
		got += (size_t)n;
	if (n < 0)
		ret = -errno;
	*len += got;
	/* Files of a directory are joined: each ends its own line. */
	if (*len && (*buf)[*len - 1] != '\n')
		(*buf)[(*len)++] = '\n';
	(*buf)[*len] = '\0';
out:
	close(fd);
	return ret;
}

static const char *file_err(int ret)
{
	switch (ret) {
	case -EFBIG:
		return "larger than a certificate or key file can be";
	case -EINVAL:
		return "not a regular file";
	default:
		return strerror(-ret);
	}
}

/* Every file of dir that holds a PEM certificate, joined. */
static int slurp_dir(const char *dir, char **buf, size_t *len, char *err,
		     size_t errlen)
{
	char path[4096];
	struct dirent *e;
	DIR *dh = opendir(dir);
	int ret = 0;

	if (!dh) {
		ret = -errno;
		snprintf(err, errlen, "trust-anchor %s: %s", dir,
			 strerror(-ret));
		return ret;
	}
	while ((e = readdir(dh))) {
		size_t before = *len;

		if (e->d_name[0] == '.')
			continue;
		snprintf(path, sizeof(path), "%s/%s", dir, e->d_name);
		ret = slurp(path, buf, len, TLS_TRUST_MAX);
		if (ret == -EISDIR || ret == -EINVAL) {
			ret = 0;
			continue;
		}
		if (ret) {
			snprintf(err, errlen, "trust-anchor %s: %s", path,
				 file_err(ret));
			break;
		}
		if (!strstr(*buf + before, PEM_CERT)) {
			*len = before; /* not a certificate: skipped */
			(*buf)[*len] = '\0';
		}
	}
	closedir(dh);
	return ret;
}

static int check_certs(const char *key, const char *file, const char *pem,
		       char *err, size_t errlen)
{
	gnutls_datum_t dt = {(unsigned char *)pem, (unsigned int)strlen(pem)};
	gnutls_x509_crt_t *list = NULL;
	unsigned int n = 0;
	int ret;

	ret = gnutls_x509_crt_list_import2(&list, &n, &dt, GNUTLS_X509_FMT_PEM,
					   0);
	for (unsigned int i = 0; ret >= 0 && i < n; i++)
		gnutls_x509_crt_deinit(list[i]);
	gnutls_free(list);
	if (ret >= 0 && n > 0)
		return 0;
	snprintf(err, errlen, "%s %s: no PEM certificate in it%s%s", key, file,
		 ret < 0 ? ": " : "", ret < 0 ? gnutls_strerror(ret) : "");
	return -EINVAL;
}

static int check_key(const char *file, const char *pem, char *err,
		     size_t errlen)
{
	gnutls_datum_t dt = {(unsigned char *)pem, (unsigned int)strlen(pem)};
	gnutls_x509_privkey_t k;
	int ret;

	if (gnutls_x509_privkey_init(&k) < 0)
		return -ENOMEM;
	ret = gnutls_x509_privkey_import2(k, &dt, GNUTLS_X509_FMT_PEM, NULL, 0);
	gnutls_x509_privkey_deinit(k);
	if (ret >= 0)
		return 0;
	snprintf(err, errlen,
		 "key-file %s: not an unencrypted PEM private key: %s", file,
		 gnutls_strerror(ret));
	return -EINVAL;
}

/* The key must be the certificate's: GnuTLS checks it when they pair. */
static int check_pair(const struct dx_http_socket_conf *sc,
		      const struct http_tls *t, char *err, size_t errlen)
{
	gnutls_datum_t c = {(unsigned char *)t->cert,
			    (unsigned int)strlen(t->cert)};
	gnutls_datum_t k = {(unsigned char *)t->key,
			    (unsigned int)strlen(t->key)};
	gnutls_certificate_credentials_t cred;
	int ret;

	if (gnutls_certificate_allocate_credentials(&cred) < 0)
		return -ENOMEM;
	ret = gnutls_certificate_set_x509_key_mem(cred, &c, &k,
						  GNUTLS_X509_FMT_PEM);
	gnutls_certificate_free_credentials(cred);
	if (ret >= 0)
		return 0;
	snprintf(err, errlen, "cert-file %s with key-file %s: %s",
		 sc->cert_file, sc->key_file, gnutls_strerror(ret));
	return -EINVAL;
}

int http_tls_load(const struct dx_http_socket_conf *sc, struct http_tls *t,
		  char *err, size_t errlen)
{
	size_t cl = 0, kl = 0, tl = 0;
	struct stat st;
	int ret;

	if (!sc || !t || !sc->tls)
		return -EINVAL;
	memset(t, 0, sizeof(*t));
	if ((ret = slurp(sc->cert_file, &t->cert, &cl, TLS_FILE_MAX))) {
		snprintf(err, errlen, "cert-file %s: %s", sc->cert_file,
			 file_err(ret));
		goto fail;
	}
	if ((ret = slurp(sc->key_file, &t->key, &kl, TLS_FILE_MAX))) {
		snprintf(err, errlen, "key-file %s: %s", sc->key_file,
			 file_err(ret));
		goto fail;
	}
	if (!stat(sc->trust_anchor, &st) && S_ISDIR(st.st_mode)) {
		ret = slurp_dir(sc->trust_anchor, &t->trust, &tl, err, errlen);
	} else {
		ret = slurp(sc->trust_anchor, &t->trust, &tl, TLS_TRUST_MAX);
		if (ret)
			snprintf(err, errlen, "trust-anchor %s: %s",
				 sc->trust_anchor, file_err(ret));
	}
	if (ret)
		goto fail;
	if (!t->trust) {
		snprintf(err, errlen, "trust-anchor %s: no certificate in it",
			 sc->trust_anchor);
		ret = -EINVAL;
		goto fail;
	}
	if ((ret = check_certs("cert-file", sc->cert_file, t->cert, err,
			       errlen)) ||
	    (ret = check_key(sc->key_file, t->key, err, errlen)) ||
	    (ret = check_certs("trust-anchor", sc->trust_anchor, t->trust, err,
			       errlen)) ||
	    (ret = check_pair(sc, t, err, errlen)))
		goto fail;
	return 0;
fail:
	http_tls_free(t);
	return ret;
}

void http_tls_free(struct http_tls *t)
{
	if (!t)
		return;
	/* The key is a secret: not left in freed memory. */
	if (t->key)
		explicit_bzero(t->key, strlen(t->key));
	free(t->cert);
	free(t->key);
	free(t->trust);
	memset(t, 0, sizeof(*t));
}

void http_tls_session_start(void *session, bool cert_required)
{
	gnutls_session_t s = session;

	if (!s)
		return;
	if (cert_required) {
		/* RFC 8446 §4.4.2.4: without a certificate the handshake
		 * fails; GnuTLS then verifies the one sent against the
		 * credentials' trust list (the trust anchor). */
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUIRE);
		gnutls_session_set_verify_cert(s, NULL, 0);
	} else {
		gnutls_certificate_server_set_request(s, GNUTLS_CERT_REQUEST);
	}
}

bool http_tls_client_ok(void *session, bool cert_required)
{
	gnutls_session_t s = session;
	unsigned int n = 0, status = 0;

	if (!s)
		return false;
	if (!gnutls_certificate_get_peers(s, &n) || !n)
		return !cert_required;
	return gnutls_certificate_verify_peers2(s, &status) >= 0 && !status;
}
