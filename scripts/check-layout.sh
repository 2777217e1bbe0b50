#!/usr/bin/env bash
# Check that the tree keeps the shape README.md ("Layout") describes:
#
#  - every file of user/ is in a role folder, and every role folder has a
#    README.md whose "Depends on:" line names the roles it may use;
#  - an #include or a call from one role to another is one its README
#    allows (the roles form one direction: cli -> daemon -> store/kernel
#    -> engine -> config -> wire -> util);
#  - no two files include or call each other in a loop (a file and its
#    header count as one; calls are read from the objects in BUILD_DIR
#    with nm, so run it after `make`);
#  - nothing in the repository points outside it: no briefing files, no
#    tracker issue numbers, no machine paths, and every relative link in
#    a Markdown file names a file of the repository.
#
# Usage: scripts/check-layout.sh [BUILD_DIR]   (default build)
# Prints cmocka-style lines for tests/run.sh; exits 1 on any finding.
set -u
cd "$(dirname "$0")/.." || exit 2
out=${1:-build}

exec python3 - "$out" <<'PY'
import os, re, subprocess, sys

out = sys.argv[1]
findings = {}  # check name -> list of messages


def finding(check, msg):
    findings.setdefault(check, []).append(msg)


def tracked():
    files = subprocess.run(['git', 'ls-files', '-z'], capture_output=True,
                           text=True).stdout.split('\0')
    return [f for f in files if f and os.path.isfile(f)]


# ---- role folders -----------------------------------------------------
roles = {}  # role -> set of roles it may depend on
for entry in sorted(os.listdir('user')):
    path = os.path.join('user', entry)
    if not os.path.isdir(path):
        finding('role folders', f'{path}: a file outside every role folder')
        continue
    readme = os.path.join(path, 'README.md')
    if not os.path.isfile(readme):
        finding('role folders', f'{path}/: no README.md saying what it owns')
        roles[entry] = set()
        continue
    m = re.search(r'^Depends on:(.*)$', open(readme).read(), re.M)
    if not m:
        finding('role folders', f'{readme}: no "Depends on:" line')
        roles[entry] = set()
        continue
    deps = {d.strip(' `.') for d in m.group(1).split(',')}
    roles[entry] = {d for d in deps if d and d != 'nothing'}
for role, deps in roles.items():
    for d in deps - set(roles):
        finding('role folders', f'user/{role}/README.md: unknown role "{d}"')
    for sub in os.listdir(os.path.join('user', role)):
        if os.path.isdir(os.path.join('user', role, sub)):
            finding('role folders', f'user/{role}/{sub}/: folders nest one deep')


def unit(path):
    """user/ROLE/name.[ch] -> ROLE/name: a file and its header are one."""
    rel = os.path.relpath(path, 'user')
    return os.path.splitext(rel)[0]


def role_of(u):
    return u.split('/', 1)[0]


sources = sorted(os.path.join(d, f) for d, _, fs in os.walk('user')
                 for f in fs if f.endswith(('.c', '.h')))
units = {unit(p) for p in sources}


def check_cycles(check, edges):
    """Tarjan's strongly connected components; each one bigger than a
    node is a loop."""
    index, low, stack, on, n = {}, {}, [], set(), [0]
    sys.setrecursionlimit(10000)

    def visit(v):
        index[v] = low[v] = n[0]
        n[0] += 1
        stack.append(v)
        on.add(v)
        for w in edges.get(v, ()):
            if w not in index:
                visit(w)
                low[v] = min(low[v], low[w])
            elif w in on:
                low[v] = min(low[v], index[w])
        if low[v] == index[v]:
            scc = []
            while True:
                w = stack.pop()
                on.discard(w)
                scc.append(w)
                if w == v:
                    break
            if len(scc) > 1:
                finding(check, 'loop between ' + ', '.join(sorted(scc)))

    for v in sorted(edges):
        if v not in index:
            visit(v)


def check_roles(check, edges, how):
    for a, bs in sorted(edges.items()):
        for b in sorted(bs):
            ra, rb = role_of(a), role_of(b)
            if ra != rb and rb not in roles.get(ra, set()):
                finding(check, f'{a} {how} {b}: user/{ra}/README.md does '
                        f'not list "{rb}"')


# ---- includes -----------------------------------------------------------
inc_edges = {}
for p in sources:
    for m in re.finditer(r'^\s*#\s*include\s+"([^"]+)"', open(p).read(), re.M):
        target = os.path.join('user', m.group(1))
        if os.path.isfile(target):
            u, t = unit(p), unit(target)
            if u != t:
                inc_edges.setdefault(u, set()).add(t)
        elif '/' in m.group(1) and not m.group(1).startswith('dhcpxdp'):
            finding('includes', f'{p}: includes "{m.group(1)}", not in user/')
check_cycles('include loops', inc_edges)
check_roles('includes', inc_edges, 'includes')

# ---- calls (from the objects) -------------------------------------------
objs = {}
for u in units:
    o = os.path.join(out, 'user', u + '.o')
    if os.path.isfile(o):
        objs[u] = o
if not objs:
    finding('calls', f'no objects under {out}/user: run make first')
else:
    defined, wanted = {}, {}
    for u, o in objs.items():
        nm = subprocess.run(['nm', o], capture_output=True, text=True).stdout
        for line in nm.splitlines():
            parts = line.split()
            if len(parts) == 3 and parts[1] in 'TDBR':
                defined[parts[2]] = u
            elif len(parts) == 2 and parts[0] == 'U':
                wanted.setdefault(u, set()).add(parts[1])
    call_edges = {}
    for u, syms in wanted.items():
        for s in syms:
            t = defined.get(s)
            if t and t != u:
                call_edges.setdefault(u, set()).add(t)
    check_cycles('call loops', call_edges)
    check_roles('calls', call_edges, 'calls')

# ---- nothing points outside the repository ------------------------------
self_path = 'scripts/check-layout.sh'
patterns = [
    (re.compile(r'DESIGN\.md|STYLE\.md|\.\./shared|shared[/]hooks'),
     'names a briefing outside the repository'),
    (re.compile(r'\b[Ii]ssues? #?\d'), 'names a tracker issue'),
    (re.compile(r'(?<![\w.])/(work|home|root)/'), 'names a machine path'),
]
link = re.compile(r'\]\(([^)#\s]+)(#[^)]*)?\)')
for f in tracked():
    if f == self_path or f.startswith('tests/fuzz/findings/'):
        continue
    try:
        text = open(f, encoding='utf-8').read()
    except (UnicodeDecodeError, OSError):
        continue
    for no, line in enumerate(text.splitlines(), 1):
        for rx, why in patterns:
            if rx.search(line):
                finding('references', f'{f}:{no}: {why}')
        if f.endswith('.md'):
            for m in link.finditer(line):
                target = m.group(1)
                if re.match(r'[a-z]+:', target):
                    continue
                path = os.path.normpath(os.path.join(os.path.dirname(f),
                                                     target))
                if path.startswith('..') or not os.path.exists(path):
                    finding('references',
                            f'{f}:{no}: link to {target}, not a file of '
                            'the repository')

# ---- report ---------------------------------------------------------------
checks = ['role folders', 'includes', 'include loops', 'calls', 'call loops',
          'references']
print(f'[==========] Running {len(checks)} test(s).')
failed = 0
for c in checks:
    print(f'[ RUN      ] layout: {c}')
    msgs = findings.get(c, [])
    for m in msgs[:40]:
        print(f'  {m}')
    if len(msgs) > 40:
        print(f'  ... and {len(msgs) - 40} more')
    if msgs:
        failed += 1
        print(f'[  FAILED  ] layout: {c}')
    else:
        print(f'[       OK ] layout: {c}')
print(f'[==========] {len(checks)} test(s) run.')
print(f'[  PASSED  ] {len(checks) - failed} test(s).')
if failed:
    print(f'[  FAILED  ] {failed} test(s).')
sys.exit(1 if failed else 0)
PY
