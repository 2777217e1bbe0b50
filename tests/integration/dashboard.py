#!/usr/bin/python3
"""Checks of the Grafana dashboard (contrib/grafana/dhcpxdp.json).

  dashboard.py lint DASHBOARD       -> the JSON parses, every panel but a
                                       row has a target with an expression
  dashboard.py query DASHBOARD URL  -> every template variable and every
                                       target expression, evaluated by the
                                       Prometheus at URL (/api/v1/series,
                                       /api/v1/query), is valid and returns
                                       data

Grafana's variables are substituted as Grafana would: a query variable by
the first value its label_values() finds (a real label value, so a wrong
label name or matcher shows), $__rate_interval and $__interval by a window
that holds several 1 s scrapes, $__range by one that holds the whole test.
Exit status 1 names each failing panel and expression. Stdlib only.
"""
import json
import re
import sys
import urllib.error
import urllib.parse
import urllib.request

BUILTINS = {"__rate_interval": "1m", "__interval": "15s", "__range": "10m",
            "__range_s": "600"}
VAR_RE = re.compile(r"\$\{(\w+)(?::\w+)?\}|\$(\w+)")
LABEL_VALUES_RE = re.compile(r"^label_values\((.*),\s*(\w+)\)$")


def panels(dash):
    """Every panel, those inside collapsed rows too."""
    for p in dash.get("panels", []):
        yield p
        yield from p.get("panels", [])


def lint(dash):
    errors, ids = [], set()
    if not dash.get("title") or not dash.get("uid"):
        errors.append("dashboard without title or uid")
    for p in panels(dash):
        title = p.get("title") or "(untitled)"
        if p.get("id") in ids:
            errors.append("%s: panel id %s twice" % (title, p.get("id")))
        ids.add(p.get("id"))
        if "gridPos" not in p:
            errors.append("%s: no gridPos" % title)
        if p.get("type") == "row":
            continue
        targets = p.get("targets") or []
        if not targets:
            errors.append("%s: no target" % title)
        for t in targets:
            if not (t.get("expr") or "").strip():
                errors.append("%s: target %s without an expression" %
                              (title, t.get("refId")))
    return errors


def get(url, path, params):
    q = urllib.parse.urlencode(params, doseq=True)
    try:
        with urllib.request.urlopen("%s%s?%s" % (url, path, q),
                                    timeout=10) as r:
            return json.load(r)
    except urllib.error.HTTPError as e:
        return json.load(e)


def substitute(expr, values):
    def one(m):
        name = m.group(1) or m.group(2)
        return values.get(name, m.group(0))
    return VAR_RE.sub(one, expr)


def variables(dash, url, errors):
    """Grafana's variables, each by a value it takes in this Prometheus."""
    values = dict(BUILTINS)
    for v in dash.get("templating", {}).get("list", []):
        if v.get("type") == "datasource":
            continue
        q = v.get("query")
        q = q.get("query") if isinstance(q, dict) else q
        m = LABEL_VALUES_RE.match(substitute(q or "", values))
        if v.get("type") != "query" or not m:
            errors.append("variable %s: not a label_values() query: %r" %
                          (v.get("name"), q))
            continue
        ans = get(url, "/api/v1/series", {"match[]": m.group(1)})
        found = sorted({s[m.group(2)] for s in ans.get("data") or []
                        if m.group(2) in s})
        if ans.get("status") != "success" or not found:
            errors.append("variable %s: %s finds no %s: %s" %
                          (v.get("name"), m.group(1), m.group(2),
                           ans.get("error", "no series")))
            continue
        # Escaped for a regular expression inside a PromQL string, as
        # Grafana escapes a multi-value variable.
        values[v["name"]] = re.escape(found[0]).replace("\\", "\\\\")
        print("variable %s = %s (of %d)" % (v["name"], found[0], len(found)))
    return values


def query(dash, url):
    errors = []
    values = variables(dash, url, errors)
    for p in panels(dash):
        for t in p.get("targets", []):
            expr = substitute(t.get("expr", ""), values)
            where = "panel %r, expression %s" % (p.get("title"), expr)
            if "$" in expr:
                errors.append("%s: a variable is left" % where)
                continue
            ans = get(url, "/api/v1/query", {"query": expr})
            if ans.get("status") != "success":
                errors.append("%s: %s" % (where, ans.get("error")))
                continue
            n = len(ans["data"]["result"])
            if n == 0:
                errors.append("%s: no data" % where)
                continue
            print("%3d series  %s / %s" % (n, p.get("title"), t["refId"]))
    return errors


def main():
    mode, path = sys.argv[1], sys.argv[2]
    try:
        with open(path) as f:
            dash = json.load(f)
    except ValueError as e:
        sys.exit("%s: not JSON: %s" % (path, e))
    errors = lint(dash) if mode == "lint" else query(dash, sys.argv[3])
    for e in errors:
        print("FAIL: " + e)
    n = sum(len(p.get("targets", [])) for p in panels(dash))
    print("%d panels, %d targets, %d failures" %
          (sum(1 for p in panels(dash) if p.get("type") != "row"), n,
           len(errors)))
    sys.exit(1 if errors else 0)


if __name__ == "__main__":
    main()
