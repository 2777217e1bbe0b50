#!/usr/bin/env python3
"""What `dhcpxdp run` did under strace -f, checked against the sandbox of
systemd/dhcpxdp.service: every system call in its SystemCallFilter=
(groups expanded with `systemd-analyze syscall-filter`), every socket of a
family in RestrictAddressFamilies=, no mapping both writable and
executable (MemoryDenyWriteExecute=), nothing written outside the
directories given as writable (ProtectSystem=strict: the state, runtime
and pin directories), and only the device nodes PrivateDevices= leaves.

Usage: syscall_audit.py UNIT WRITABLE_DIR... -- STRACE_FILE...
Prints what it found; exits 1 on the first kind of finding it lists.
"""
import re
import subprocess
import sys


def unit_values(unit, key):
    vals = []
    for line in open(unit):
        if line.startswith(key + '='):
            vals += line.split('=', 1)[1].split()
    return vals


def expand(names, seen=None):
    """Syscall names of a list mixing names and @groups."""
    seen = set() if seen is None else seen
    out = set()
    for n in names:
        if not n.startswith('@'):
            out.add(n)
            continue
        if n in seen:
            continue
        seen.add(n)
        text = subprocess.run(['systemd-analyze', 'syscall-filter', n],
                              capture_output=True, text=True,
                              check=True).stdout
        members = [l.strip() for l in text.splitlines()[1:]
                   if l.strip() and not l.strip().startswith('#')]
        out |= expand(members, seen)
    return out


CALL = re.compile(r'^(\d+)\s+([a-z_0-9]+)\((.*)$')
WRITE_OPEN = re.compile(r'O_WRONLY|O_RDWR|O_CREAT')
# PrivateDevices=: a private /dev with the pseudo devices only.
DEVICES = {'/dev/null', '/dev/zero', '/dev/full', '/dev/random',
           '/dev/urandom', '/dev/tty'}


def main():
    sep = sys.argv.index('--')
    unit, writable = sys.argv[1], sys.argv[2:sep]
    traces = sys.argv[sep + 1:]
    allowed = expand(unit_values(unit, 'SystemCallFilter'))
    families = set(unit_values(unit, 'RestrictAddressFamilies'))
    used, findings = {}, []
    for path in traces:
        for line in open(path, errors='replace'):
            m = CALL.match(line)
            if not m:
                continue  # resumed calls, signals, exits
            name, rest = m.group(2), m.group(3)
            used[name] = used.get(name, 0) + 1
            ok = not re.search(r'= -1 E', rest)
            if name == 'socket':
                fam = rest.split(',', 1)[0]
                if fam not in families:
                    findings.append(f'socket of family {fam}: {line.strip()}')
            if name in ('mmap', 'mprotect', 'pkey_mprotect') and \
                    'PROT_WRITE' in rest and 'PROT_EXEC' in rest:
                findings.append(f'writable and executable: {line.strip()}')
            paths = re.findall(r'"(/[^"]*)"', rest)
            writes = (name in ('open', 'openat', 'creat') and
                      WRITE_OPEN.search(rest)) or \
                name in ('mkdir', 'mkdirat', 'unlink', 'unlinkat', 'rename',
                         'renameat', 'renameat2', 'rmdir', 'chmod',
                         'fchmodat', 'bind') or \
                (name == 'bpf' and 'BPF_OBJ_PIN' in rest)
            for p in paths:
                if p.startswith('/dev/') and ok and p not in DEVICES and \
                        name in ('open', 'openat'):
                    findings.append(f'device outside PrivateDevices=: {line.strip()}')
                if writes and ok and not p.startswith('/dev/') and \
                        not any(p == w or p.startswith(w + '/')
                                for w in writable):
                    findings.append(f'written outside the writable paths: {line.strip()}')
    print(f'{len(used)} distinct system calls in {sum(used.values())} calls:')
    print('  ' + ' '.join(sorted(used)))
    denied = sorted(set(used) - allowed)
    if denied:
        print('not in SystemCallFilter=: ' + ' '.join(denied))
    for f in findings[:20]:
        print(f)
    if not used:
        print('no system call traced')
    return 1 if denied or findings or not used else 0


sys.exit(main())
