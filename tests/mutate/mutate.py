#!/usr/bin/python3
"""Mutation testing of libsales/base, io and text (make mutate; see tests/mutate/README).

usage: tests/mutate/mutate.py [--files F...] [--sample N] [--timeout S] [--report PATH]

Each mutant is one small change a mutation tool would make to one line of a
library source: a comparison flipped (< and <=, > and >=, == and !=), && and
|| swapped, a small integer constant +1 or -1, an if's condition negated, an
expression statement (a call, an assignment) removed, a returned expression
replaced by 0.  Mutants are listed in a fixed order (file, line, column,
operator) and named by that (ID = file:line:col:operator); the same tree gives
the same list each run.

The work happens in build/mutate/ only: a copy of the checkout's sources
(tree/), the library built there as a shared library (-fPIC objects,
libsales.so) with the unit tests and the tools linked to it, so that a mutant
recompiles its one object and relinks the .so, nothing else.  For each mutant
the unit tests that reach the mutated object (the objects a static link would
pull in: nm's undefined and defined symbols, followed through the library)
run, then the CLI cases of tests/mutate/cli-cases whose tool reaches it, each
with a timeout; the first failure kills the mutant.  A mutant that does not
compile is "stillborn" (left out of the score); one whose test runs past its
timeout is killed by timeout; one listed in tests/mutate/equivalent.txt (ID
and the reason) is left out of the score and counted.  The report
(Markdown) gives per file the mutants, killed, timeouts, survived, stillborn,
equivalent, and every survivor with its line and change.
"""
import argparse
import hashlib
import os
import re
import shlex
import shutil
import subprocess
import sys
import threading
import time

TOP = os.path.abspath(os.path.join(os.path.dirname(__file__), '..', '..'))
LAYERS = ('base', 'io', 'text')
OUT = os.path.join(TOP, 'build', 'mutate')
TREE = os.path.join(OUT, 'tree')

# ---------------------------------------------------------------- mutants

def code_mask(text):
    """A copy of text with comments, string and character literals and
    preprocessor lines blanked (same length, newlines kept): operators are
    looked for in what is left."""
    out = list(text)
    i, n = 0, len(text)
    line_start = True
    while i < n:
        c = text[i]
        if line_start and c in ' \t':
            i += 1
            continue
        if line_start and c == '#':
            # a preprocessor line, with its continuations
            while i < n and not (text[i] == '\n' and text[i - 1] != '\\'):
                out[i] = ' '
                i += 1
            continue
        line_start = False
        if c == '\n':
            line_start = True
            i += 1
        elif text.startswith('/*', i):
            j = text.find('*/', i + 2)
            j = n if j < 0 else j + 2
            for k in range(i, j):
                if out[k] != '\n':
                    out[k] = ' '
            i = j
        elif text.startswith('//', i):
            while i < n and text[i] != '\n':
                out[i] = ' '
                i += 1
        elif c in '"\'':
            j = i + 1
            while j < n and text[j] != c:
                j += 2 if text[j] == '\\' else 1
            for k in range(i + 1, min(j, n)):
                out[k] = ' '
            i = j + 1
        else:
            i += 1
    return ''.join(out)


def match_paren(mask, i):
    """The index of the ) closing the ( at i, or -1."""
    depth = 0
    for j in range(i, len(mask)):
        if mask[j] == '(':
            depth += 1
        elif mask[j] == ')':
            depth -= 1
            if depth == 0:
                return j
    return -1


REL = {'<': '<=', '<=': '<', '>': '>=', '>=': '>', '==': '!=', '!=': '=='}
LOGIC = {'&&': '||', '||': '&&'}
DECL = re.compile(r'^\s*(static\s+|const\s+|unsigned\s+|struct\s+\w+\s*\*|enum\s+\w+\s|'
                  r'(int|char|long|size_t|ssize_t|double|float|uint\w*|int\w*|bool|FILE)\b)')
STMT_SKIP = re.compile(r'^\s*(return|break|continue|goto|case|default|else|do|while|for|if|switch)\b')


def mutants_of(path, text):
    """The mutants of one file: (line, col, op, start, end, replacement), in order."""
    mask = code_mask(text)
    lines_at = [0]
    for m in re.finditer('\n', text):
        lines_at.append(m.end())

    def pos(i):
        lo, hi = 0, len(lines_at) - 1
        while lo < hi:
            mid = (lo + hi + 1) // 2
            if lines_at[mid] <= i:
                lo = mid
            else:
                hi = mid - 1
        return lo + 1, i - lines_at[lo] + 1

    # only inside function bodies: depth of braces > 0 at file level means a
    # body or an initialiser; initialisers (after '=') are left out
    body = [False] * len(mask)
    depth = 0
    init = False
    for i, c in enumerate(mask):
        if c == '{':
            if depth == 0:
                k = i - 1
                while k >= 0 and mask[k] in ' \t\n':
                    k -= 1
                init = k >= 0 and mask[k] == '='
            depth += 1
        elif c == '}':
            depth -= 1
        body[i] = depth > 0 and not init
    out = []
    for m in re.finditer(r'<<=?|>>=?|->|<=|>=|==|!=|&&|\|\||<|>', mask):
        op = m.group()
        if not body[m.start()]:
            continue
        if op in REL:
            out.append((m.start(), 'rel', m.start(), m.end(), REL[op]))
        elif op in LOGIC:
            out.append((m.start(), 'logic', m.start(), m.end(), LOGIC[op]))
    for m in re.finditer(r'(?<![\w.])(\d+)([uUlL]*)(?![\w.])', mask):
        if not body[m.start()]:
            continue
        v = int(m.group(1))
        if v > 64 or (len(m.group(1)) > 1 and m.group(1)[0] == '0'):
            continue
        # an array's size in a declaration is left alone: a smaller one only overflows
        before = mask[max(0, m.start() - 1)]
        if before == '[' and DECL.match(mask[lines_at[pos(m.start())[0] - 1]:m.start()]):
            continue
        out.append((m.start(), 'const+1', m.start(), m.end(1), str(v + 1)))
        if v > 0:
            out.append((m.start(), 'const-1', m.start(), m.end(1), str(v - 1)))
    for m in re.finditer(r'\b(if|while)\s*\(', mask):
        if not body[m.start()]:
            continue
        a = m.end() - 1
        b = match_paren(mask, a)
        if b < 0:
            continue
        out.append((m.start(), 'negate', a, b + 1, '(!' + text[a:b + 1] + ')'))
    for m in re.finditer(r'\breturn\s+([^;]+);', mask):
        if not body[m.start()]:
            continue
        expr = m.group(1).strip()
        if expr in ('0', 'NULL') or '\n' in m.group(1):
            continue
        out.append((m.start(), 'return0', m.start(1), m.end(1), '0'))
    # an expression statement on one line of its own: a call or an assignment
    for ln in range(len(lines_at)):
        s = lines_at[ln]
        e = lines_at[ln + 1] - 1 if ln + 1 < len(lines_at) else len(mask)
        line = mask[s:e]
        st = line.strip()
        if not st.endswith(';'):
            continue
        col = s + len(line) - len(line.lstrip())
        if not body[col] or STMT_SKIP.match(line) or DECL.match(line) or st == ';':
            continue
        if not (re.match(r'^[\w.\->\[\]\*\(\) ]+\s*([-+*/|&^]?=[^=]|\+\+|--)', st)
                or re.match(r'^[\w.\->]+\s*\(', st) or re.match(r'^(\+\+|--)', st)):
            continue
        # the line must start a statement: the code line before it ends one (or opens a block,
        # or is an if's, a loop's or a label's head), else it is the tail of a longer one
        prev = ''
        k = ln - 1
        while k >= 0 and not prev:
            prev = mask[lines_at[k]:lines_at[k + 1] - 1].strip()
            k -= 1
        if prev and not prev.endswith((';', '{', '}', ':', 'else')) and \
                not (prev.endswith(')') and re.match(r'^(\}\s*else\s+)?(if|for|while)\b', prev)):
            continue
        out.append((col, 'delete', col, s + len(line.rstrip()), ';'))
    out.sort(key=lambda t: (t[0], t[1], t[4]))
    res = []
    for start, op, a, b, rep in out:
        line, col = pos(start)
        res.append({'file': path, 'line': line, 'col': col, 'op': op, 'a': a, 'b': b,
                    'old': text[a:b], 'new': rep,
                    'id': '%s:%d:%d:%s%s' % (path, line, col, op,
                                             ':' + rep if op in ('rel', 'logic', 'const+1', 'const-1') else '')})
    return res


# ---------------------------------------------------------------- build

def sh(cmd, **kw):
    return subprocess.run(cmd, shell=True, **kw)


class Build:
    """build/mutate/tree: the sources, the objects (-fPIC), libsales.so, the tests and tools."""

    def __init__(self, env):
        self.cc = env.get('CC', 'cc')
        self.cppflags = env['MUTATE_CPPFLAGS']
        self.cflags = env.get('MUTATE_CFLAGS', '-std=c11 -O1 -g0 -w') + ' -fPIC'
        self.gmime = env.get('MUTATE_GMIME_CFLAGS', '')
        self.ldlibs = env['MUTATE_LDLIBS']
        self.lib = os.path.join(TREE, 'out', 'libsales.so')
        self.objs = {}

    def obj(self, src):
        return os.path.join(TREE, 'out', 'lib', src[len('libsales/'):-2] + '.o')

    def compile(self, src, quiet=True):
        o = self.obj(src)
        os.makedirs(os.path.dirname(o), exist_ok=True)
        extra = self.gmime if src.endswith('io/mail.c') else ''
        cmd = '%s %s %s %s -c -o %s %s' % (self.cc, self.cppflags, extra, self.cflags, o + '.new', src)
        r = sh(cmd, cwd=TREE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL if quiet else None)
        if r.returncode != 0:
            return False
        os.replace(o + '.new', o)
        return True

    def mutant_lib(self, src, text, w):
        """Build a worker's libsales.so (out/wN/) with src replaced by text; False if it does
        not compile.  The mutated copy sits beside the original (its includes resolve the same)."""
        wd = os.path.join(TREE, 'out', 'w%d' % w)
        os.makedirs(wd, exist_ok=True)
        msrc = os.path.join(os.path.dirname(src), '.mutant%d-%s' % (w, os.path.basename(src)))
        with open(os.path.join(TREE, msrc), 'w') as fp:
            fp.write(text)
        o = os.path.join(wd, 'mutant.o')
        extra = self.gmime if src.endswith('io/mail.c') else ''
        r = sh('%s %s %s %s -c -o %s %s' % (self.cc, self.cppflags, extra, self.cflags, o, msrc),
               cwd=TREE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        os.unlink(os.path.join(TREE, msrc))
        if r.returncode != 0:
            return None
        objs = ' '.join(o if s_ == src else self.objs[s_] for s_ in sorted(self.objs))
        r = sh('%s -shared -o %s/libsales.so %s %s' % (self.cc, wd, objs, self.ldlibs), cwd=TREE,
               stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        return wd if r.returncode == 0 else None

    def link_lib(self):
        objs = ' '.join(sorted(self.objs.values()))
        r = sh('%s -shared -o %s.new %s %s' % (self.cc, self.lib, objs, self.ldlibs), cwd=TREE)
        if r.returncode != 0:
            return False
        os.replace(self.lib + '.new', self.lib)
        return True

    def setup(self, jobs):
        files = subprocess.run(['git', 'ls-files', 'libsales', 'cmd', 'tests', 'examples', 'man', 'Makefile'],
                               cwd=TOP, capture_output=True, text=True, check=True).stdout.split()
        for f in files:
            d = os.path.join(TREE, f)
            os.makedirs(os.path.dirname(d), exist_ok=True)
            src = os.path.join(TOP, f)
            if os.path.islink(src):
                if os.path.lexists(d):
                    os.unlink(d)
                os.symlink(os.readlink(src), d)
            elif os.path.isfile(src):
                if not os.path.exists(d) or open(src, 'rb').read() != open(d, 'rb').read():
                    shutil.copy2(src, d)
        srcs = sorted(f for f in files if re.match(r'libsales/.*\.c$', f))
        procs = []
        for s in srcs:
            self.objs[s] = self.obj(s)
            o = self.obj(s)
            if os.path.exists(o) and os.path.getmtime(o) >= os.path.getmtime(os.path.join(TREE, s)):
                continue
            while len(procs) >= jobs:
                procs.pop(0).wait()
            os.makedirs(os.path.dirname(o), exist_ok=True)
            extra = self.gmime if s.endswith('io/mail.c') else ''
            procs.append(subprocess.Popen('%s %s %s %s -c -o %s %s' % (self.cc, self.cppflags, extra, self.cflags, o, s),
                                          shell=True, cwd=TREE))
        for p in procs:
            if p.wait() != 0:
                sys.exit('mutate: the library does not build')
        for s in srcs:
            shutil.copy2(self.obj(s), self.obj(s) + '.orig')
        if not self.link_lib():
            sys.exit('mutate: libsales.so does not link')
        rpath = '-Wl,-rpath,' + os.path.dirname(self.lib)
        outs = []
        for f in files:
            m = re.match(r'tests/unit/(test_\w+)\.c$', f) or re.match(r'cmd/([\w-]+)\.c$', f) \
                or re.match(r'tests/tools/([\w-]+)\.c$', f)
            if not m:
                continue
            kind = 'tests' if f.startswith('tests/unit') else 'bin'
            out = os.path.join(TREE, 'out', kind, m.group(1))
            outs.append((f, out))
        procs = []
        for f, out in outs:
            os.makedirs(os.path.dirname(out), exist_ok=True)
            if os.path.exists(out) and os.path.getmtime(out) >= os.path.getmtime(os.path.join(TREE, f)):
                continue
            while len(procs) >= jobs:
                procs.pop(0).wait()
            procs.append(subprocess.Popen('%s %s %s -o %s %s -L%s -lsales %s %s %s' % (
                self.cc, self.cppflags, self.cflags.replace('-fPIC', ''), out, f, os.path.dirname(self.lib),
                rpath, self.ldlibs, '-lcmocka' if 'tests/unit' in f else ''), shell=True, cwd=TREE))
        for p in procs:
            if p.wait() != 0:
                sys.exit('mutate: a test or tool does not build')
        return srcs, outs

    def reach(self, srcs, outs):
        """For each library source, the test binaries and tools that reach its object."""
        defs, undefs = {}, {}
        for s in srcs:
            o = self.obj(s)
            out = subprocess.run(['nm', o], capture_output=True, text=True).stdout
            defs[s] = {l.split()[-1] for l in out.splitlines() if re.match(r'^[0-9a-f]+ [TDBR] ', l)}
            undefs[s] = {l.split()[-1] for l in out.splitlines() if re.match(r'^\s+U ', l)}
        owner = {}
        for s in srcs:
            for d in defs[s]:
                owner[d] = s
        reach = {s: set() for s in srcs}
        self.sales_tests = set()
        for f, out in outs:
            u = subprocess.run(['nm', '-u', out], capture_output=True, text=True).stdout.split()
            seen = set()
            todo = [owner[x] for x in u if x in owner]
            if '/tests/' in out and any(s.startswith('libsales/sales/') for s in todo):
                self.sales_tests.add(os.path.basename(out))
            while todo:
                s = todo.pop()
                if s in seen:
                    continue
                seen.add(s)
                todo.extend(owner[x] for x in undefs[s] if x in owner)
            for s in seen:
                reach[s].add(os.path.basename(out) if '/tests/' in out else 'bin/' + os.path.basename(out))
        return reach


# ---------------------------------------------------------------- tests

class Tests:
    def __init__(self, cli_cases, timeout):
        self.cli = cli_cases
        self.timeout = timeout
        self.base = {}

    def env(self, lib=None):
        e = dict(os.environ)
        e['LC_ALL'] = 'C.UTF-8'
        if lib:
            # before the binaries' RUNPATH (tree/out): this worker's mutated libsales.so
            e['LD_LIBRARY_PATH'] = lib
        return e

    def run_unit(self, name, limit, lib=None):
        t = os.path.join(TREE, 'out', 'tests', name)
        try:
            r = subprocess.run([t], cwd=TREE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, timeout=limit, env=self.env(lib), start_new_session=True)
        except subprocess.TimeoutExpired:
            return 'timeout'
        return 'pass' if r.returncode == 0 else 'fail'

    def run_cli(self, case, limit, lib=None):
        try:
            r = subprocess.run(['sh', os.path.join(TREE, 'tests', 'run.sh'), os.path.join(TREE, 'out'), 'cli', case],
                               cwd=TREE, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL,
                               stdin=subprocess.DEVNULL, timeout=limit, env=self.env(lib), start_new_session=True)
        except subprocess.TimeoutExpired:
            return 'timeout'
        return 'pass' if r.returncode == 0 else 'fail'

    def baseline(self, units):
        """Each test's time on the unmutated tree; a test that fails here is dropped."""
        for u in sorted(units):
            t0 = time.time()
            st = self.run_unit(u, 600)
            self.base[u] = (st, time.time() - t0)
        for c in self.cli:
            t0 = time.time()
            st = self.run_cli(c, 600)
            self.base['cli:' + c] = (st, time.time() - t0)
        return {k: v for k, v in self.base.items() if v[0] != 'pass'}

    def limit(self, key):
        return max(self.timeout, 5 * self.base[key][1] + 5)

    def kill(self, units, tools, own, lib):
        """Run the tests a mutant reaches: 'killed', 'timeout' or 'survived' (and by what).
        The file's own test first, then the others, fastest first."""
        for u in sorted(units, key=lambda u: (u != own, self.base[u][1])):
            if self.base[u][0] != 'pass':
                continue
            st = self.run_unit(u, self.limit(u), lib)
            if st != 'pass':
                return ('killed' if st == 'fail' else 'timeout'), u
        for c in self.cli:
            tool = c.split('/')[0]
            if tool not in tools and tool not in ('shared', 'daily'):
                continue
            if self.base['cli:' + c][0] != 'pass':
                continue
            st = self.run_cli(c, self.limit('cli:' + c), lib)
            if st != 'pass':
                return ('killed' if st == 'fail' else 'timeout'), c
        return 'survived', ''


# ---------------------------------------------------------------- main

def load_list(path):
    res = {}
    if os.path.exists(path):
        for line in open(path):
            line = line.rstrip('\n')
            if not line.strip() or line.startswith('#'):
                continue
            k, _, why = line.partition(' ')
            res[k] = why.strip()
    return res


def main():
    global OUT, TREE
    ap = argparse.ArgumentParser()
    ap.add_argument('--files', nargs='*', default=None)
    ap.add_argument('--sample', type=int, default=0, help='run N mutants, spread evenly over the list')
    ap.add_argument('--timeout', type=float, default=10)
    ap.add_argument('--report', default=os.path.join(OUT, 'REPORT.md'))
    ap.add_argument('--list', action='store_true', help='print the mutants and stop')
    ap.add_argument('--jobs', type=int, default=2, help='mutants run at once')
    ap.add_argument('--out', default=None, help='the work folder (build/mutate): two runs at once need two')
    ap.add_argument('--from-log', default=None,
                    help='no run: the report from the results runs printed (their standard error; '
                         'LOG,LOG: the last result of a mutant wins), with tests/mutate/equivalent.txt as it is now')
    ap.add_argument('--all-tests', action='store_true',
                    help='also the unit tests of libsales/sales (those calling it directly)')
    ap.add_argument('--fresh', action='store_true', help='run again the mutants killed by an earlier run')
    ap.add_argument('--slow', type=float, default=0.5,
                    help='unit tests whose clean run takes longer are left out of the fast set')
    args = ap.parse_args()
    if args.out:
        OUT = os.path.abspath(args.out)
        TREE = os.path.join(OUT, 'tree')
    os.chdir(TOP)
    files = args.files or sorted(os.path.join('libsales', l, f) for l in LAYERS
                                 for f in os.listdir(os.path.join('libsales', l)) if f.endswith('.c'))
    for f in files:
        if not re.match(r'libsales/(base|io|text)/\w+\.c$', f) or not os.path.exists(f):
            sys.exit('mutate: %s: not a C source of libsales/base, io or text' % f)
    mutants = []
    for f in files:
        mutants.extend(mutants_of(f, open(f).read()))
    total = len(mutants)
    if args.sample and args.sample < total:
        mutants = [mutants[i * total // args.sample] for i in range(args.sample)]
    if args.list:
        for m in mutants:
            print('%s  %r -> %r' % (m['id'], m['old'], m['new']))
        print('%d mutants (%d listed)' % (total, len(mutants)), file=sys.stderr)
        return 0
    equivalent = load_list(os.path.join(TOP, 'tests', 'mutate', 'equivalent.txt'))
    if args.from_log:
        byid = {m['id']: m for m in mutants}
        results, secs = {}, 0
        args.left_out = []
        # several logs: a mutant's last result wins (a second run over the survivors after new tests)
        lines = []
        for k, path in enumerate(args.from_log.split(',')):
            lines.extend((k, l) for l in open(path))
        for k, line in lines:
            g = re.match(r'^\[\d+/\d+\] (\S+) (\w+) ?(.*)$', line.rstrip('\n'))
            if g and g.group(1) in byid:
                st, by = g.group(2), g.group(3)
                if g.group(1) in equivalent:
                    st, by = 'equivalent', equivalent[g.group(1)]
                elif st == 'equivalent':
                    continue	# listed then, not now: not run
                results[g.group(1)] = (byid[g.group(1)], st, by)
            g = re.match(r'^real\s+(\d+)m([\d.]+)s', line)
            if g:
                secs += int(g.group(1)) * 60 + float(g.group(2))
            g = k == 0 and re.match(r'^mutate: (test_\w+|cli:\S+) fails on the unmutated tree.*', line)
            if g:
                args.left_out.append(g.group(1) + ' (fails)')
            # the tests left out: the first run's (a later one ran its survivors again)
            g = k == 0 and re.match(r'^mutate: baseline (\S+): pass, ([\d.]+) s', line)
            own = {'test_' + os.path.basename(f)[:-2] for f in files}
            if g and float(g.group(2)) > args.slow and g.group(1) not in own:
                args.left_out.append('%s (%s s)' % (g.group(1), g.group(2)))
        mutants = [m for m in mutants if m['id'] in results]
        results = [results[m['id']] for m in mutants]
        write_report(args, files, total, mutants, results, equivalent, secs)
        return 0
    cli = [l.split()[0] for l in open(os.path.join(TOP, 'tests', 'mutate', 'cli-cases'))
           if l.strip() and not l.startswith('#')]
    b = Build(os.environ)
    t0 = time.time()
    srcs, outs = b.setup(args.jobs)
    reach = b.reach(srcs, outs)
    tests = Tests(cli, args.timeout)
    # the tests of libsales/sales (those calling it directly) are left out unless --all-tests:
    # a change below is for the lower layers' own tests and the CLI cases to see
    if not args.all_tests:
        for f in files:
            reach[f] -= b.sales_tests
    units = set()
    for f in files:
        units |= {x for x in reach[f] if not x.startswith('bin/')}
    broken = tests.baseline(units)
    for k, v in sorted(broken.items()):
        print('mutate: %s fails on the unmutated tree (%s): left out' % (k, v[0]), file=sys.stderr)
    for k, v in sorted(tests.base.items()):
        print('mutate: baseline %s: %s, %.2f s' % (k, v[0], v[1]), file=sys.stderr)
    # a file's own test (test_buf for buf.c) stays however slow it is
    own = {'test_' + os.path.basename(f)[:-2] for f in files}
    slow = sorted(k for k, v in tests.base.items() if v[0] == 'pass' and v[1] > args.slow and k not in own)
    for k in slow:
        tests.base[k] = ('slow', tests.base[k][1])
    args.left_out = ['%s (%s, %.1f s)' % (k, tests.base[k][0], tests.base[k][1]) for k in sorted(broken) + slow]
    print('mutate: %d mutants of %d files (%d in all); built and baseline in %.0f s' %
          (len(mutants), len(files), total, time.time() - t0), file=sys.stderr)
    # killed (and stillborn) mutants of a source unchanged since are not run again: tests are
    # only ever added, so what killed a mutant still does (--fresh runs them all)
    cache_path = os.path.join(OUT, 'killed.cache')
    cache = {} if args.fresh else load_list(cache_path)
    digest = {f: hashlib.sha1(open(f, 'rb').read()).hexdigest()[:12] for f in files}
    lock = threading.Lock()
    results = [None] * len(mutants)
    todo = list(range(len(mutants)))
    done = [0]

    def work(w):
        while True:
            with lock:
                if not todo:
                    return
                i = todo.pop(0)
            m = mutants[i]
            f = m['file']
            key = m['id'] + '@' + digest[f]
            if m['id'] in equivalent:
                st, by = 'equivalent', equivalent[m['id']]
            elif key in cache:
                st, _, by = cache[key].partition(' ')
            else:
                orig = open(os.path.join(TOP, f)).read()
                lib = b.mutant_lib(f, orig[:m['a']] + m['new'] + orig[m['b']:], w)
                if lib:
                    u = {x for x in reach[f] if not x.startswith('bin/')}
                    tools = {x[4:] for x in reach[f] if x.startswith('bin/')}
                    st, by = tests.kill(u, tools, 'test_' + os.path.basename(f)[:-2], lib)
                else:
                    st, by = 'stillborn', ''
            with lock:
                results[i] = (m, st, by)
                done[0] += 1
                if st in ('killed', 'timeout', 'stillborn') and key not in cache:
                    cache[key] = (st + ' ' + by).strip()
                    with open(cache_path, 'a') as fp:
                        fp.write('%s %s\n' % (key, cache[key]))
                print('[%d/%d] %s %s %s' % (done[0], len(mutants), m['id'], st, by), file=sys.stderr, flush=True)

    threads = [threading.Thread(target=work, args=(w,)) for w in range(args.jobs)]
    for th in threads:
        th.start()
    for th in threads:
        th.join()
    write_report(args, files, total, mutants, results, equivalent, time.time() - t0)
    return 0


def write_report(args, files, total, mutants, results, equivalent, secs):
    per = {}
    for m, st, by in results:
        per.setdefault(m['file'], {}).setdefault(st, []).append((m, by))
    rows = []
    tot = {'mutants': 0, 'killed': 0, 'timeout': 0, 'survived': 0, 'stillborn': 0, 'equivalent': 0}
    for f in files:
        d = per.get(f, {})
        r = {k: len(d.get(k, [])) for k in ('killed', 'timeout', 'survived', 'stillborn', 'equivalent')}
        r['mutants'] = sum(r.values())
        for k in tot:
            tot[k] += r[k]
        rows.append((f, r))

    def score(r):
        n = r['mutants'] - r['stillborn'] - r['equivalent']
        return '%.1f%%' % (100.0 * (r['killed'] + r['timeout']) / n) if n else '-'
    shown = []
    for f in args.files or []:
        d = os.path.dirname(f)
        every = sorted(os.path.join(d, x) for x in os.listdir(d) if x.endswith('.c'))
        if all(x in args.files for x in every):
            if d + '/*.c' not in shown:
                shown.append(d + '/*.c')
        else:
            shown.append(f)
    cmd = 'tests/mutate/mutate.py' + (' --files ' + ' '.join(shown) if args.files else '') + \
        (' --sample %d' % args.sample if args.sample else '') + (' --jobs %d' % args.jobs if args.jobs != 2 else '')
    out = ['# Mutation testing report', '',
           '- command: `%s` (run by `make mutate`)' % cmd,
           '- date: %s UTC; %.0f minutes' % (time.strftime('%Y-%m-%d %H:%M', time.gmtime()), secs / 60),
           '- scope: %d files, %d mutants run of the %d they have%s' % (
               len(files), len(mutants), total, ' (a sample)' if len(mutants) < total else ''),
           '- score: %s killed of the mutants that compiled and are not listed as equivalent '
           '(%d killed, %d of them by timeout, of %d); %d listed as equivalent (tests/mutate/equivalent.txt), '
           '%d stillborn (did not compile)' % (
               score(tot), tot['killed'] + tot['timeout'], tot['timeout'],
               tot['mutants'] - tot['stillborn'] - tot['equivalent'], tot['equivalent'], tot['stillborn']),
           '- tests: the unit tests that reach the mutated file, then the CLI cases of '
           'tests/mutate/cli-cases whose tool reaches it%s; left out (failing on the unmutated tree, '
           'or slower than %g s): %s' % (
               '' if args.all_tests else ' (not the unit tests of libsales/sales: --all-tests)',
               args.slow, ', '.join(args.left_out) or 'none'),
           '', '| file | mutants | killed | timeout | survived | stillborn | equivalent | score |',
           '|---|---:|---:|---:|---:|---:|---:|---:|']
    for f, r in rows:
        out.append('| %s | %d | %d | %d | %d | %d | %d | %s |' % (
            f, r['mutants'], r['killed'], r['timeout'], r['survived'], r['stillborn'], r['equivalent'], score(r)))
    out.append('| all | %d | %d | %d | %d | %d | %d | %s |' % (
        tot['mutants'], tot['killed'], tot['timeout'], tot['survived'], tot['stillborn'], tot['equivalent'], score(tot)))
    out += ['', '## Survivors', '']
    for f, _ in rows:
        for m, _ in per.get(f, {}).get('survived', []):
            out.append('- `%s`: `%s` -> `%s`' % (m['id'], ' '.join(m['old'].split())[:80], m['new'][:80]))
    out += ['', '## Listed as equivalent', '']
    for f, _ in rows:
        for m, why in per.get(f, {}).get('equivalent', []):
            out.append('- `%s`: %s' % (m['id'], why))
    os.makedirs(os.path.dirname(os.path.abspath(args.report)), exist_ok=True)
    with open(args.report, 'w') as fp:
        fp.write('\n'.join(out) + '\n')
    print('\n'.join(out[:8]))


if __name__ == '__main__':
    sys.exit(main())
