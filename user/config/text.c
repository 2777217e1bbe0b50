// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * The configuration's text into a json-c tree: Kea's comments allowed,
 * syntax errors given as "line L, column C" so an editor can jump there.
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

int text_parse(struct config_ctx *c, char *text, struct json_object **root)
{
	struct json_tokener *tok;
	enum json_tokener_error je;
	size_t len = strlen(text), end;
	int r;

	if ((r = foreign_check(c, text)) || (r = strip_comments(c, text)))
		return r;
	tok = json_tokener_new();
	if (!tok)
		return -ENOMEM;
	*root = json_tokener_parse_ex(tok, text, len);
	je = json_tokener_get_error(tok);
	end = json_tokener_get_parse_end(tok);
	json_tokener_free(tok);
	if (je == json_tokener_continue)
		return json_error(c, text, len, "unexpected end of file");
	if (je != json_tokener_success)
		return json_error(c, text, end, json_tokener_error_desc(je));
	while (end < len && isspace((unsigned char)text[end]))
		end++;
	if (end < len) {
		json_object_put(*root);
		*root = NULL;
		return json_error(c, text, end,
				  "unexpected text after the JSON object");
	}
	return 0;
}
