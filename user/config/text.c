// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The configuration's text into a json-c tree: Kea's comments allowed,
 * numbers as Kea's lexer reads them (.5, -.5, 5.), syntax errors given
 * as "line L, column C" of the file as written so an editor can jump there.
 */
#include <ctype.h>
#include <stdio.h>

#include "config/config_internal.h"

/* "line L, column C: what" for byte @off of @text. */
static int text_error(struct config_ctx *c, const char *text, size_t off,
		      const char *what)
{
	unsigned line = 1, col = 1;

	for (size_t i = 0; i < off && text[i]; i++) {
		if (text[i] == '\n')
			line++, col = 1;
		else
			col++;
	}
	return jpath_fail(c, NULL, "line %u, column %u: %s", line, col, what);
}

static int json_error(struct config_ctx *c, const char *text, size_t off,
		      const char *what)
{
	char msg[256];

	snprintf(msg, sizeof(msg), "JSON syntax error: %s", what);
	return text_error(c, text, off, msg);
}

/*
 * Kea accepts //, # and C comments in its JSON; json-c does not, so they
 * are blanked out first (keeping newlines, so line numbers stay right).
 */
static int strip_comments(struct config_ctx *c, char *s)
{
	bool in_str = false;

	for (char *p = s; *p; p++) {
		if (in_str) {
			if (*p == '\\' && p[1])
				p++;
			else if (*p == '"')
				in_str = false;
			continue;
		}
		if (*p == '"') {
			in_str = true;
		} else if (*p == '#' || (*p == '/' && p[1] == '/')) {
			while (p[1] && p[1] != '\n')
				*p++ = ' ';
			*p = ' ';
		} else if (*p == '/' && p[1] == '*') {
			size_t start = p - s;

			*p++ = ' ';
			*p++ = ' ';
			while (*p && !(*p == '*' && p[1] == '/')) {
				if (*p != '\n')
					*p = ' ';
				p++;
			}
			if (!*p)
				return text_error(c, s, start,
						  "unterminated /* comment");
			p[0] = p[1] = ' ';
			p++;
		}
	}
	return 0;
}

/*
 * Kea's lexer reads a number with no digit before or after its point
 * (".5", "-.5", "5."); json-c refuses ".5". Such numbers are rewritten
 * with a 0 inserted; @ins (ascending) keeps where, as offsets of @s, so
 * an error in the rewritten text still points into the file as written.
 */
struct numfix {
	char *out;   /* the rewritten text, NULL when nothing was rewritten */
	size_t *ins; /* offsets in s before which a '0' was inserted */
	size_t n;
};

static bool ends_value_start(const char *s, size_t i)
{
	while (i > 0 && isspace((unsigned char)s[i - 1]))
		i--;
	return i == 0 || s[i - 1] == ':' || s[i - 1] == '[' || s[i - 1] == ',';
}

static int fix_numbers(struct config_ctx *c, const char *s, size_t len,
		       struct numfix *f)
{
	bool in_str = false;
	size_t o = 0;

	/* At most one insertion a byte: len of them bounds both buffers. */
	f->ins = malloc((len + 1) * sizeof(*f->ins));
	f->out = malloc(2 * len + 1);
	if (!f->ins || !f->out)
		return -ENOMEM;
	for (size_t i = 0; i < len; i++) {
		char ch = s[i];

		if (in_str) {
			if (ch == '\\' && i + 1 < len)
				f->out[o++] = ch, ch = s[++i];
			else if (ch == '"')
				in_str = false;
		} else if (ch == '"') {
			in_str = true;
		} else if (ch == '<' && s[i + 1] == '?') {
			/* Kea 2.x's <?include "file"?> (not in Kea's ARM
			 * schema, expanded by its lexer): one file here. */
			return text_error(c, s, i,
					  "<?include ...?> is not supported: "
					  "paste the included file's text in "
					  "its place");
		} else if (ch == '.' && isdigit((unsigned char)s[i + 1]) &&
			   (ends_value_start(s, i) ||
			    (i > 0 && s[i - 1] == '-' &&
			     ends_value_start(s, i - 1)))) {
			f->ins[f->n++] = i; /* .5 -> 0.5 */
			f->out[o++] = '0';
		} else if (ch == '.' && i > 0 &&
			   isdigit((unsigned char)s[i - 1]) &&
			   !isdigit((unsigned char)s[i + 1])) {
			f->out[o++] = ch; /* 5. -> 5.0 */
			f->ins[f->n++] = i + 1;
			ch = '0';
		}
		f->out[o++] = ch;
	}
	f->out[o] = '\0';
	if (!f->n) {
		free(f->out);
		f->out = NULL;
	}
	return 0;
}

/* The offset in the file as written of byte @off of the rewritten text. */
static size_t unfix_offset(const struct numfix *f, size_t off)
{
	size_t k = 0;

	/* Insertion k sits at rewritten offset ins[k] + k. */
	while (k < f->n && f->ins[k] + k < off)
		k++;
	return off - k;
}

int text_parse(struct config_ctx *c, char *text, struct json_object **root)
{
	struct numfix f = {0};
	struct json_tokener *tok;
	enum json_tokener_error je;
	size_t len = strlen(text), end, plen;
	const char *p;
	int r;

	*root = NULL;
	if ((r = foreign_check(c, text)) || (r = strip_comments(c, text)) ||
	    (r = fix_numbers(c, text, len, &f)))
		goto out;
	p = f.out ? f.out : text;
	plen = len + f.n;
	tok = json_tokener_new();
	if (!tok) {
		r = -ENOMEM;
		goto out;
	}
	*root = json_tokener_parse_ex(tok, p, plen);
	je = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (je == json_tokener_continue) {
		r = json_error(c, text, len, "unexpected end of file");
		goto out;
	}
	if (je != json_tokener_success) {
		r = json_error(c, text, unfix_offset(&f, end),
			       json_tokener_error_desc(je));
		goto out;
	}
	while (end < plen && isspace((unsigned char)p[end]))
		end++;
	if (end < plen) {
		json_object_put(*root);
		*root = NULL;
		r = json_error(c, text, unfix_offset(&f, end),
			       "unexpected text after the JSON object");
	}
out:
	free(f.out);
	free(f.ins);
	return r;
}
