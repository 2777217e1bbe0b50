#!/usr/bin/python3
# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
"""Helpers of scripts/bench-slowpath.sh.

  slowpath.py parse LOG PERIOD [key=value ...]
      One perfdhcp run (with -x t) -> one JSON line on stdout: offered
      rate, sent/received per exchange, DORA drop %, and mean/p99 delay
      per exchange computed from perfdhcp's per-exchange timestamps
      (-x t prints "sent / received" for every *successful* exchange, so
      delays cover answered exchanges only). key=value pairs are copied in.
  slowpath.py gen-parse perfdhcp|loadgen FILE PERIOD [key=value ...]
      One step of the generators' ramp (perfdhcp's log with FILE.time from
      /usr/bin/time, or dhcpxdp-loadgen's JSON) -> one JSON line: the same
      fields as parse, plus the generator's and the server's CPU share
      (wall= and srv_cpu_s= given) and the drops counted on each side.
  slowpath.py report DIR
      Reads DIR/ramp.jsonl, DIR/mix.jsonl, DIR/gen.jsonl, DIR/lat.jsonl,
      DIR/limits.jsonl, DIR/scale.jsonl,
      prints the markdown tables (medians over runs) and writes
      DIR/ramp.dat and DIR/ramp.gp for gnuplot.
"""
import json
import math
import re
import statistics
import sys

EXCH = {
    "DISCOVER-OFFER": "do",
    "REQUEST-ACK": "ra",
    "REQUEST-ACK (renewal)": "rn",
}
SERVERS = ["dhcpxdp", "dhcpxdp-pg", "kea", "kea-pg", "dnsmasq", "dhcpd"]
LABEL = {
    "dhcpxdp": "dhcpxdp (slow path)",
    "dhcpxdp-pg": "dhcpxdp (slow path), PostgreSQL",
    "kea": "Kea 2.2 memfile",
    "kea-pg": "Kea 2.2 PostgreSQL",
    "dnsmasq": "dnsmasq",
    "dhcpd": "ISC dhcpd",
    "dhcpxdp-nofsync": "dhcpxdp, fsync made free (a measurement)",
}
MAX_DROP = 1.0  # % of DORA exchanges left unanswered


def pct(xs, p):
    """Nearest-rank percentile."""
    if not xs:
        return None
    xs = sorted(xs)
    k = max(0, math.ceil(p / 100.0 * len(xs)) - 1)
    return xs[k]


def parse(path, period, extra):
    stats = {}
    delays = {}
    cur_stat = cur_ts = None
    with open(path, errors="replace") as f:
        for line in f:
            line = line.rstrip("\n")
            m = re.match(r"\*\*\*Statistics for: (.*)\*\*\*", line)
            if m:
                cur_stat, cur_ts = EXCH.get(m.group(1)), None
                continue
            m = re.match(r"\*\*\*Timestamps for packets: (.*)\*\*\*", line)
            if m:
                cur_ts, cur_stat = EXCH.get(m.group(1)), None
                if cur_ts:
                    delays[cur_ts] = []
                continue
            if cur_stat:
                m = re.match(r"(sent|received) packets: (\d+)", line)
                if m:
                    stats[cur_stat + "_" + m.group(1)] = int(m.group(2))
            if cur_ts:
                m = re.match(r"sent / received: ([\d.]+) / ([\d.]+)", line)
                if m:
                    d = float(m.group(2)) - float(m.group(1))
                    if d >= 0:  # timestamps wrap at a day boundary
                        delays[cur_ts].append(d * 1000.0)
    out = dict(extra)
    out.update(stats)
    sent = stats.get("do_sent", 0)
    out["offered"] = round(sent / period, 1)
    done = stats.get("ra_received", 0)
    out["drops"] = round(100.0 * (1 - done / sent), 3) if sent else 100.0
    if stats.get("rn_sent"):
        out["rn_drops"] = round(
            100.0 * (1 - stats.get("rn_received", 0) / stats["rn_sent"]), 3)
    for k, v in delays.items():
        out[k + "_mean"] = round(statistics.fmean(v), 3) if v else None
        out[k + "_p99"] = round(pct(v, 99), 3) if v else None
    return out


def gen_parse(gen, path, period, extra):
    """A step of the generators' ramp; see the module's docstring."""
    if gen == "perfdhcp":
        out = parse(path, period, extra)
        try:
            with open(path + ".time") as f:
                e, u, s = f.read().split()[-3:]
            out["gen_cpu_s"] = float(u) + float(s)
        except (OSError, ValueError):
            out["gen_cpu_s"] = None
        # Replies lost in perfdhcp's UDP socket.
        out["gen_drops"] = extra.get("cli_rcvbuf", 0)
        return finish_gen(out)
    out = dict(extra)
    try:
        with open(path) as f:
            j = json.load(f)
    except (OSError, ValueError):
        out.update(offered=0.0, drops=100.0)
        return out
    out["offered"] = j["offered"]
    out["drops"] = round(j["drops"], 3)
    for k, c in (("do", "discover"), ("ra", "request")):
        out[k + "_sent"] = j[c]["sent"]
        out[k + "_received"] = j[c]["answered"]
        lat = j[c].get("lat_ms", {})
        out[k + "_mean"] = lat.get("mean")
        out[k + "_p99"] = lat.get("p99")
    out["gen_cpu_s"] = j["cpu_s"]
    # Replies lost in the generator's ring, requests it could not send.
    out["gen_drops"] = j["rx_ring_drops"] + j["tx_errors"]
    return finish_gen(out)


def finish_gen(out):
    wall = out.get("wall") or 0
    if wall > 0:
        if out.get("gen_cpu_s") is not None:
            out["gen_cpu"] = round(out["gen_cpu_s"] / wall, 3)
        out["srv_cpu"] = round(out.get("srv_cpu_s", 0) / wall, 3)
    for k in ("wall", "srv_cpu_s", "gen_cpu_s"):
        if isinstance(out.get(k), float):
            out[k] = round(out[k], 3)
    return out


FULL_CPU = 0.9  # share of one CPU from which a side counts as saturated


def limited_by(r):
    """Which side kept a step from its rate with <= MAX_DROP % drops."""
    gen = []
    if r["offered"] < 0.95 * r["rate"]:
        gen.append("sent short of the rate")
    if r.get("gen_drops"):
        gen.append(f'{r["gen_drops"]:,} replies dropped in it')
    if (r.get("gen_cpu") or 0) >= FULL_CPU:
        gen.append(f'CPU {100 * r["gen_cpu"]:.0f} %')
    if r["drops"] <= MAX_DROP and not gen:
        return "–"
    if gen:
        return "generator (" + ", ".join(gen) + ")"
    srv = []
    if r.get("srv_drops"):
        srv.append(f'{r["srv_drops"]:,} requests dropped on receipt')
    if (r.get("srv_cpu") or 0) >= FULL_CPU:
        srv.append(f'CPU {100 * r["srv_cpu"]:.0f} %')
    return "server (" + (", ".join(srv) or "answers missing") + ")"


def pc(x):
    return f"{100 * x:.0f} %" if x is not None else "–"


def report_gen(gen):
    """Section 3: perfdhcp and dhcpxdp-loadgen on the same steps."""
    servers = [s for s in SERVERS if any(r["server"] == s for r in gen)]
    at = {(r["server"], r["gen"], r["rate"]): r for r in gen}
    period = gen[0].get("period", "")
    print("### Generators: perfdhcp and dhcpxdp-loadgen on the same DORA "
          "steps (1 run; CPU as a share of one CPU)")
    print()
    print("| server | DORA/s at <= 1% drops, perfdhcp | dhcpxdp-loadgen | "
          "loadgen ÷ perfdhcp | steps both sent at the asked rate: same "
          "verdict (<= 1 %) | largest Δ offered | largest Δ drops "
          "(both <= 25 %) | perfdhcp CPU at its top step "
          "| loadgen CPU there |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|")
    for s in servers:
        best, top = {}, {}
        for g in ("perfdhcp", "loadgen"):
            ok = [r for r in gen if r["server"] == s and r["gen"] == g
                  and r["drops"] <= MAX_DROP]
            best[g] = max((r["offered"] for r in ok), default=0.0)
            top[g] = max(ok, key=lambda r: r["offered"]) if ok else None
        both = [(at[(s, "perfdhcp", r)], at[(s, "loadgen", r)])
                for (sv, g, r) in at if sv == s and g == "perfdhcp"
                and (s, "loadgen", r) in at]
        both = [(p, l) for p, l in both if p["offered"] >= 0.95 * p["rate"]
                and l["offered"] >= 0.95 * l["rate"]]
        doff = max((abs(l["offered"] / p["offered"] - 1) * 100
                    for p, l in both if p["offered"]), default=None)
        # Past a server's ceiling the share dropped depends on how deep
        # the queues get: compared only where neither lost over 25 %.
        ddr = max((abs(l["drops"] - p["drops"]) for p, l in both
                   if max(l["drops"], p["drops"]) <= 25), default=None)
        agree = sum((p["drops"] <= MAX_DROP) == (l["drops"] <= MAX_DROP)
                    for p, l in both)
        ratio = (f'{best["loadgen"] / best["perfdhcp"]:.2f}'
                 if best["perfdhcp"] else "–")
        lg_there = (at.get((s, "loadgen", top["perfdhcp"]["rate"]))
                    if top["perfdhcp"] else None)
        print(f'| {LABEL[s]} | {fmt(best["perfdhcp"], 0)} '
              f'| {fmt(best["loadgen"], 0)} | {ratio} '
              f'| {agree} of {len(both)} | {fmt(doff, 1)} % '
              f'| {fmt(ddr, 2)} pp '
              f'| {pc(top["perfdhcp"] and top["perfdhcp"].get("gen_cpu"))} '
              f'| {pc(lg_there and lg_there.get("gen_cpu"))} |')
    print()
    print("Per step (p = perfdhcp, l = dhcpxdp-loadgen; drops % of DORA "
          "exchanges; ACK p99 in ms; CPU as a share of one CPU; "
          "\"limited by\" only where a step fell short):")
    print()
    print("| server | asked/s | offered p / l | drops p / l | ACK p99 p / l "
          "| generator CPU p / l | server CPU p / l | lost in generator "
          "p / l | lost on receipt by server p / l | limited by (p) "
          "| limited by (l) |")
    print("|---|---:|---:|---:|---:|---:|---:|---:|---:|---|---|")
    for s in servers:
        for rate in sorted({r["rate"] for r in gen if r["server"] == s}):
            p = at.get((s, "perfdhcp", rate))
            l = at.get((s, "loadgen", rate))
            def f(r, k, nd=2):
                return fmt(r.get(k), nd) if r else "–"
            def c(r, k):
                return pc(r.get(k)) if r else "–"
            print(f"| {LABEL[s]} | {rate:,} | {f(p, 'offered', 0)} / "
                  f"{f(l, 'offered', 0)} | {f(p, 'drops')} / {f(l, 'drops')} "
                  f"| {f(p, 'ra_p99')} / {f(l, 'ra_p99')} "
                  f"| {c(p, 'gen_cpu')} / {c(l, 'gen_cpu')} "
                  f"| {c(p, 'srv_cpu')} / {c(l, 'srv_cpu')} "
                  f"| {f(p, 'gen_drops', 0)} / {f(l, 'gen_drops', 0)} "
                  f"| {f(p, 'srv_drops', 0)} / {f(l, 'srv_drops', 0)} "
                  f"| {limited_by(p) if p else '–'} "
                  f"| {limited_by(l) if l else '–'} |")
    print()


def lat_runs(lat):
    return sorted({r["run"] for r in lat})


def lat_p99(lat, server, kind):
    return med([r[kind]["lat_ms"].get("p99") for r in lat
                if r["server"] == server])


def report_lat(lat):
    """Section 3c: the latency at Kea's maximum, servers alternated."""
    r0 = lat[0]
    print(f"### Latency at Kea's maximum: {r0['rate']:,} DORA/s for "
          f"{r0['period']} s, {len(lat_runs(lat))} runs, the servers in turn "
          f"(dhcpxdp-loadgen; median, min–max in brackets)")
    print()
    print("| server | drops % | OFFER p99 (ms) | ACK p50 (ms) | ACK p99 (ms) |")
    print("|---|---:|---:|---:|---:|")
    for s in ("dhcpxdp", "kea", "dhcpxdp-nofsync"):
        rows = [r for r in lat if r["server"] == s]
        if not rows:
            continue

        def cell(kind, q):
            xs = [r[kind]["lat_ms"].get(q) for r in rows]
            xs = [x for x in xs if x is not None]
            if not xs:
                return "–"
            return f"{med(xs):.2f} ({min(xs):.2f}–{max(xs):.2f})"
        print(f"| {LABEL[s]} | {fmt(med([r['drops'] for r in rows]))} "
              f"| {cell('discover', 'p99')} | {cell('request', 'p50')} "
              f"| {cell('request', 'p99')} |")
    print()
    print("dhcpxdp sends an ACK only once its lease is fsync'd (group "
          "commit); Kea's memfile writes its lease file without an fsync. "
          "The third row is dhcpxdp with fsync() and fdatasync() made to "
          "return at once (tests/bench/no_fsync.c, LD_PRELOAD): what is left "
          "of its ACK delay without the disk. Never run a server so.")
    print()


def report_targets(gen, lat):
    """The slow path's targets, from the C generator's ramp (section 3):
    DORA/s at <= MAX_DROP % against each peer, the latency at the rate
    where Kea reached its maximum (from the alternated runs of section 3c
    when there are some, else from the ramp's one step), and how far the
    generator outran perfdhcp."""
    def best(s, g="loadgen"):
        ok = [r for r in gen if r["server"] == s and r["gen"] == g
              and r["drops"] <= MAX_DROP]
        return max(ok, key=lambda r: r["offered"]) if ok else None
    mine = best("dhcpxdp")
    if not mine:
        return
    print("### Slow-path targets (dhcpxdp-loadgen's ramp above; dhcpxdp "
          "fsyncs every lease, Kea memfile does not)")
    print()
    print("| target | measured | met |")
    print("|---|---|---|")
    capped = all(r["drops"] <= MAX_DROP for r in gen
                 if r["server"] == "dhcpxdp" and r["gen"] == "loadgen")
    ge = "≥ " if capped else ""
    for s, want in (("kea", 3), ("dhcpd", 20), ("dnsmasq", 20)):
        peer = best(s)
        if not any(r["server"] == s for r in gen):
            continue
        if not peer or not peer["offered"]:
            print(f"| DORA/s ≥ {want}× {LABEL[s]} | {LABEL[s]} never held "
                  f"≤ {MAX_DROP:g} % drops | – |")
            continue
        x = mine["offered"] / peer["offered"]
        print(f"| DORA/s ≥ {want}× {LABEL[s]} | {ge}{mine['offered']:,.0f} ÷ "
              f"{peer['offered']:,.0f} = {ge}{x:.1f}× | "
              f"{'yes' if x >= want else 'no'} |")
    kea = best("kea")
    if lat:
        for k, name in (("discover", "OFFER"), ("request", "ACK")):
            a, b = lat_p99(lat, "dhcpxdp", k), lat_p99(lat, "kea", k)
            if a is None or b is None:
                continue
            print(f"| {name} p99 at Kea's maximum ({lat[0]['rate']:,}/s) no "
                  f"worse than Kea's (median of {len(lat_runs(lat))} "
                  f"alternated runs, section above) | dhcpxdp {a:.2f} ms, "
                  f"Kea {b:.2f} ms | {'yes' if a <= b else 'no'} |")
    else:
        at = {(r["server"], r["rate"]): r for r in gen if r["gen"] == "loadgen"}
        there = kea and at.get(("dhcpxdp", kea["rate"]))
        for k, name in (("do", "OFFER"), ("ra", "ACK")):
            if not there:
                break
            a, b = there.get(k + "_p99"), kea.get(k + "_p99")
            if a is None or b is None:
                continue
            print(f"| {name} p99 at Kea's maximum ({kea['rate']:,}/s asked) "
                  f"no worse than Kea's | dhcpxdp {a:.2f} ms, Kea "
                  f"{b:.2f} ms | {'yes' if a <= b else 'no'} |")
    offered = {g: max((r["offered"] for r in gen if r["gen"] == g),
                      default=0.0) for g in ("perfdhcp", "loadgen")}
    if offered["perfdhcp"]:
        x = offered["loadgen"] / offered["perfdhcp"]
        print(f"| the generator offers ≥ 3× what perfdhcp can | "
              f"{offered['loadgen']:,.0f} ÷ {offered['perfdhcp']:,.0f} DORA/s "
              f"offered at most = {x:.1f}× | {'yes' if x >= 3 else 'no'} |")
    print()


def report_limits(rows):
    """Section 3b: each class of a mixed run at the limits."""
    r0 = rows[0]
    print(f"### Mixed at the limits: dhcpxdp, {r0['prebound']:,} clients "
          f"bound first, then for {r0['period_s']:.0f} s renewals asked at "
          f"{r0['renew_rate']:,.0f}/s, DORA at {r0['dora_rate']:,}/s (the "
          f"slow path's maximum above), a DISCOVER flood at "
          f"{r0['flood_rate']:,.0f}/s (dhcpxdp-loadgen; median of "
          f"{len(rows)} run(s))")
    print()
    print("| class | offered /s | answered | latency p50 / p99 (ms) |")
    print("|---|---:|---:|---:|")
    names = [("renew", "renewals (REQUEST → ACK)"),
             ("discover", "DORA: DISCOVER → OFFER"),
             ("request", "DORA: REQUEST → ACK"),
             ("flood", "flood DISCOVER → OFFER")]
    for k, label in names:
        sent = med([r[k]["sent"] / r["period_s"] for r in rows])
        share = med([r[k]["answered"] / r[k]["sent"] if r[k]["sent"] else None
                     for r in rows])
        p50 = med([r[k].get("lat_ms", {}).get("p50") for r in rows])
        p99 = med([r[k].get("lat_ms", {}).get("p99") for r in rows])
        print(f"| {label} | {fmt(sent, 0)} "
              f"| {fmt(share * 100, 1) + ' %' if share is not None else '–'} "
              f"| {fmt(p50)} / {fmt(p99)} |")
    xdp = med([r["xdp_renewals"] / r["renew"]["answered"]
               if r["renew"]["answered"] else None for r in rows])
    print()
    print(f"Renewals answered by XDP: "
          f"{fmt(xdp * 100, 1) + ' %' if xdp is not None else '–'}. "
          f"CPU: generator {fmt(med([r['cpu_share'] for r in rows]) * 100, 0)} % "
          f"of a core, server "
          f"{fmt(med([r['srv_cpu_s'] / r['srv_wall_s'] for r in rows]) * 100, 0)} % "
          f"(its whole run, binding included). The renewals offered are "
          f"what the generator could send: where it is below the rate "
          f"asked, the generator, not the server, was the limit.")
    print()


def load(path):
    try:
        with open(path) as f:
            return [json.loads(l) for l in f if l.strip()]
    except FileNotFoundError:
        return []


def med(xs):
    xs = [x for x in xs if x is not None]
    return statistics.median(xs) if xs else None


def fmt(x, nd=2):
    if x is None:
        return "–"
    if isinstance(x, float) and nd == 0:
        return f"{x:,.0f}"
    return f"{x:,.{nd}f}" if isinstance(x, float) else f"{x:,}"


def report(d):
    ramp = load(d + "/ramp.jsonl")
    mix = load(d + "/mix.jsonl")
    scale = load(d + "/scale.jsonl")
    servers = [s for s in SERVERS if any(r["server"] == s for r in ramp)]
    runs = sorted({r["run"] for r in ramp})
    best = {}  # server -> list of per-run best rows
    for s in servers:
        best[s] = []
        for run in runs:
            ok = [r for r in ramp if r["server"] == s and r["run"] == run
                  and r["drops"] <= MAX_DROP]
            # The real rate, not the asked one: when the generator falls
            # short (it shares the machine's two CPUs with the server), a
            # higher step may have offered less than a lower one.
            best[s].append(max(ok, key=lambda r: r["offered"]) if ok else None)
    summary = {}
    for s in servers:
        rows = [r for r in best[s] if r]
        summary[s] = {
            # What perfdhcp really sent: above ~20,000/s it cannot keep up.
            "rate": med([r["offered"] for r in rows]) if rows else 0.0,
            "offered": med([r["offered"] for r in rows]),
            "do_mean": med([r.get("do_mean") for r in rows]),
            "do_p99": med([r.get("do_p99") for r in rows]),
            "ra_mean": med([r.get("ra_mean") for r in rows]),
            "ra_p99": med([r.get("ra_p99") for r in rows]),
            # "≥": no step of the run failed, the ceiling is the
            # generator's, not the server's.
            "runs": ", ".join(
                ("≥" if r and all(
                    x["drops"] <= MAX_DROP for x in ramp
                    if x["server"] == s and x["run"] == r["run"]) else "")
                + (f'{r["offered"]:.0f}' if r else "0") for r in best[s]),
        }
    for s in servers:
        # A server that never completed one exchange gets no ratio: say
        # so instead of a bare 0, which reads like a measurement.
        mine = [r for r in ramp if r["server"] == s]
        if mine and not any(r.get("ra_received") for r in mine):
            summary[s]["runs"] = "answered nothing"
        elif not any(best[s]):
            low = min(mine, key=lambda r: r["drops"])
            summary[s]["runs"] = (f'no step at <= {MAX_DROP:g}%; least '
                                  f'{low["drops"]:.1f}% unanswered at '
                                  f'{low["offered"]:.0f}/s')
    x = summary.get("dhcpxdp", {}).get("rate")
    print(f"### Slow path: DORA with perfdhcp (highest rate with <= {MAX_DROP:g}% "
          f"of exchanges unanswered; median of {len(runs)} run(s))")
    print()
    print("| server | DORA/s at <= 1% drops | per run (DORA/s) | dhcpxdp ÷ server "
          "| OFFER mean / p99 (ms) | ACK mean / p99 (ms) |")
    print("|---|---:|---|---:|---:|---:|")
    for s in servers:
        m = summary[s]
        ratio = f"{x / m['rate']:.2f}" if x and m["rate"] else "–"
        print(f"| {LABEL[s]} | {fmt(m['rate'], 0)} | {m['runs']} | {ratio} "
              f"| {fmt(m['do_mean'])} / {fmt(m['do_p99'])} "
              f"| {fmt(m['ra_mean'])} / {fmt(m['ra_p99'])} |")
    print()
    if mix:
        mruns = sorted({r["run"] for r in mix})
        r0 = mix[0]
        print(f"### Mixed: DORA {r0['rate']}/s + renewals {r0['renew']}/s "
              f"for {r0['period']} s (median of {len(mruns)} run(s))")
        print()
        print("| server | DORA drops % | renewal drops % | ACK mean / p99 (ms) "
              "| renewal ACK mean / p99 (ms) | renewals answered in XDP |")
        print("|---|---:|---:|---:|---:|---:|")
        for s in SERVERS:
            rows = [r for r in mix if r["server"] == s]
            if not rows:
                continue
            xs = [r.get("xdp_share") for r in rows]
            share = med(xs)
            print(f"| {LABEL[s]} | {fmt(med([r['drops'] for r in rows]))} "
                  f"| {fmt(med([r.get('rn_drops') for r in rows]))} "
                  f"| {fmt(med([r.get('ra_mean') for r in rows]))} / "
                  f"{fmt(med([r.get('ra_p99') for r in rows]))} "
                  f"| {fmt(med([r.get('rn_mean') for r in rows]))} / "
                  f"{fmt(med([r.get('rn_p99') for r in rows]))} "
                  f"| {fmt(share * 100, 1) + ' %' if share is not None else '–'} |")
        print()
    gen = load(d + "/gen.jsonl")
    if gen:
        report_gen(gen)
        lat = load(d + "/lat.jsonl")
        if lat:
            report_lat(lat)
        report_targets(gen, lat)
    limits = load(d + "/limits.jsonl")
    if limits:
        report_limits(limits)
    if scale:
        full = [r for r in scale if r["leases"] > 0]
        empty = [r for r in scale if r["leases"] == 0]
        n = full[0]["leases"] if full else 0
        rss = med([r["rss_kib"] for r in full])
        rss0 = med([r["rss_kib"] for r in empty])
        print(f"### Scale: dhcpxdp with {n:,} leases in the database "
              f"(median of {len(full)} start(s))")
        print()
        print("| figure | value | target |")
        print("|---|---:|---:|")
        print(f"| start-up to \"ready\" | {fmt(med([r['startup_s'] for r in full]))} s "
              f"| < 5 s |")
        if empty:
            print(f"| start-up, empty database | "
                  f"{fmt(med([r['startup_s'] for r in empty]))} s | |")
        print(f"| daemon RSS | {fmt(rss / 1024, 1)} MiB | |")
        if rss0 is not None:
            print(f"| daemon RSS, empty database | {fmt(rss0 / 1024, 1)} MiB | |")
            print(f"| RSS per lease ((RSS − RSS empty) / leases) | "
                  f"{fmt((rss - rss0) * 1024 / n, 1)} B | <= 128 B |")
        print(f"| RSS per lease (RSS / leases) | {fmt(rss * 1024 / n, 1)} B | |")
        ml = med([r["memlock"] for r in full])
        me = med([r["max_entries"] for r in full])
        print(f"| dx_leases memlock (max_entries {me:,}) | {fmt(ml / 2**20, 1)} MiB | |")
        print(f"| dx_leases kernel memory per lease | {fmt(ml / n, 1)} B | |")
        print(f"| all dhcpxdp maps memlock | "
              f"{fmt(med([r['memlock_all'] for r in full]) / 2**20, 1)} MiB | |")
        print()
    # gnuplot data: one block per server, rate vs median drops over runs.
    with open(d + "/ramp.dat", "w") as f:
        for s in servers:
            f.write(f'"{LABEL[s]}"\n')
            for rate in sorted({r["rate"] for r in ramp if r["server"] == s}):
                rs = [r for r in ramp
                      if r["server"] == s and r["rate"] == rate]
                f.write(f"{med([r['offered'] for r in rs]):.0f} "
                        f"{med([r['drops'] for r in rs]):.3f}\n")
            f.write("\n\n")
    with open(d + "/ramp.gp", "w") as f:
        f.write(f"""set terminal pngcairo size 900,560 noenhanced font ",11"
set output "{d}/slowpath.png"
set title "Slow path DORA: offered rate vs unanswered exchanges (perfdhcp, median of {len(runs)} run(s))"
set xlabel "offered DORA exchanges per second (log scale)"
set ylabel "DORA exchanges unanswered (%)"
set logscale x 2
set yrange [0:*]
set grid
set key top left
set arrow from graph 0, first {MAX_DROP} to graph 1, first {MAX_DROP} nohead dt 2 lc rgb "red"
plot for [i=0:{len(servers) - 1}] "{d}/ramp.dat" index i using 1:2 with linespoints lw 2 pt 7 title columnheader(1)
""")


def kv_args(args):
    """key=value arguments, numbers as numbers."""
    extra = {}
    for kv in args:
        k, v = kv.split("=", 1)
        try:
            v = int(v)
        except ValueError:
            try:
                v = float(v)
            except ValueError:
                pass
        extra[k] = v
    return extra


def main():
    if len(sys.argv) >= 4 and sys.argv[1] == "parse":
        extra = kv_args(sys.argv[4:])
        print(json.dumps(parse(sys.argv[2], float(sys.argv[3]), extra)))
    elif len(sys.argv) >= 5 and sys.argv[1] == "gen-parse":
        extra = kv_args(sys.argv[5:])
        print(json.dumps(gen_parse(sys.argv[2], sys.argv[3],
                                   float(sys.argv[4]), extra)))
    elif len(sys.argv) == 3 and sys.argv[1] == "report":
        report(sys.argv[2])
    else:
        print(__doc__, file=sys.stderr)
        sys.exit(2)


if __name__ == "__main__":
    main()
