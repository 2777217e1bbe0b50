#!/usr/bin/python3
"""Turn one of Kea's example configurations into what an operator moving to
dhcpxdp would feed it: the lease database switched to SQLite and the
hooks-libraries list emptied, nothing else touched (comments stay: dhcpxdp
reads Kea's JSON dialect).

Usage: kea_example.py IN OUT LEASE_FILE
"""
import re
import sys


def skip_comment(text, i):
    """Index past a comment (//, #, /* */) starting at text[i], or i."""
    if text[i] == "#" or text.startswith("//", i):
        j = text.find("\n", i)
        return len(text) if j < 0 else j
    if text.startswith("/*", i):
        return text.find("*/", i) + 2
    return i


def skip_string(text, i):
    """Index past the JSON string whose opening quote is text[i]."""
    i += 1
    while text[i] != '"':
        i += 2 if text[i] == "\\" else 1
    return i + 1


def find_key(text, key):
    """(start, index past the opening bracket) of the key's value, the
    key outside comments and strings (a commented-out alternative holds
    the same key), or None."""
    pat = re.compile(r'"%s"\s*:\s*[\[{]' % re.escape(key))
    i, n = 0, len(text)
    while i < n:
        j = skip_comment(text, i)
        if j != i:
            i = j
            continue
        if text[i] == '"':
            m = pat.match(text, i)
            if m:
                return m.start(), m.end()
            i = skip_string(text, i)
            continue
        i += 1
    return None


def skip_to_close(text, i):
    """Index just past the bracket closing the one opened before text[i],
    stepping over strings and comments, which may hold brackets."""
    depth, n = 1, len(text)
    while i < n:
        j = skip_comment(text, i)
        if j != i:
            i = j
            continue
        c = text[i]
        if c == '"':
            i = skip_string(text, i)
            continue
        if c in "[{":
            depth += 1
        elif c in "]}":
            depth -= 1
            if depth == 0:
                return i + 1
        i += 1
    raise ValueError("unbalanced brackets")


def replace_value(text, key, value):
    found = find_key(text, key)
    if not found:
        return text
    end = skip_to_close(text, found[1])
    return text[: found[0]] + '"%s": %s' % (key, value) + text[end:]


def main():
    src, dst, lease_file = sys.argv[1:4]
    with open(src) as f:
        text = f.read()
    text = replace_value(text, "lease-database",
                         '{ "type": "sqlite", "name": "%s" }' % lease_file)
    text = replace_value(text, "hooks-libraries", "[]")
    with open(dst, "w") as f:
        f.write(text)


if __name__ == "__main__":
    main()
