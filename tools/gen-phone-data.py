#!/usr/bin/env python3
"""gen-phone-data.py - libphonenumber metadata to libsales/text/phone_data.c.

Usage: python3 tools/gen-phone-data.py METADATA.max.json > libsales/text/phone_data.c

METADATA.max.json is the file of that name in the npm package
libphonenumber-js (the version pinned in PINNED below; it carries Google's
libphonenumber metadata, Apache-2.0).  Fetch it with:

	cd /tmp && npm pack libphonenumber-js@1.13.14 && tar xzf libphonenumber-js-1.13.14.tgz
	python3 tools/gen-phone-data.py /tmp/package/metadata.max.json > libsales/text/phone_data.c

The national-number patterns are regular expressions over digits with
bounded repetition only, so every country calling code's set of valid
national significant numbers (NSN) is a finite language: the script turns
it into one minimal acyclic DFA over the digits 0-9, shared by all calling
codes, and writes its transition table.  No regex is left for run time.

An NSN is valid for a region when it matches the region's general pattern
and possible lengths and the pattern and lengths of one of the accepted
types: fixed line, mobile, fixed-line-or-mobile, toll-free, VoIP, personal
number, UAN, voicemail and pager.  Premium-rate and shared-cost numbers are
not accepted (a CRM's leads are not called on them).  An accepting state is
labelled with the first region (in libphonenumber's order for the calling
code, main country first) whose rules accept the number.
"""
import json
import sys

PINNED = "libphonenumber-js 1.13.14 (libphonenumber metadata 9.0.40)"

# Index of each type in libphonenumber-js's compact "types" array.
FIXED, MOBILE, TOLL_FREE, PREMIUM, PERSONAL, VOICEMAIL, UAN, PAGER, VOIP, SHARED = range(10)
ACCEPTED = (FIXED, MOBILE, TOLL_FREE, PERSONAL, VOICEMAIL, UAN, PAGER, VOIP)


# ---- regular expressions: parse into a tiny AST ----------------------------
# ('set', frozenset_of_digits) | ('cat', [..]) | ('alt', [..]) | ('rep', node, lo, hi)

class Parser:
    def __init__(self, s):
        self.s, self.i = s, 0

    def peek(self):
        return self.s[self.i] if self.i < len(self.s) else None

    def take(self):
        c = self.s[self.i]
        self.i += 1
        return c

    def parse(self):
        n = self.alt()
        if self.i != len(self.s):
            raise ValueError("trailing input in %r at %d" % (self.s, self.i))
        return n

    def alt(self):
        items = [self.cat()]
        while self.peek() == '|':
            self.take()
            items.append(self.cat())
        return items[0] if len(items) == 1 else ('alt', items)

    def cat(self):
        items = []
        while self.peek() not in (None, '|', ')'):
            items.append(self.quant())
        return ('cat', items)

    def quant(self):
        a = self.atom()
        while True:
            c = self.peek()
            if c == '?':
                self.take()
                a = ('rep', a, 0, 1)
            elif c == '{':
                j = self.s.index('}', self.i)
                body = self.s[self.i + 1:j]
                self.i = j + 1
                if ',' in body:
                    lo, hi = body.split(',')
                    a = ('rep', a, int(lo), int(hi))
                else:
                    a = ('rep', a, int(body), int(body))
            elif c in ('*', '+'):
                raise ValueError("unbounded repetition in %r" % self.s)
            else:
                return a

    def atom(self):
        c = self.take()
        if c.isdigit():
            return ('set', frozenset(c))
        if c == '\\':
            e = self.take()
            if e == 'd':
                return ('set', frozenset('0123456789'))
            raise ValueError("escape \\%s in %r" % (e, self.s))
        if c == '[':
            digits = set()
            if self.peek() == '^':
                raise ValueError("negated class in %r" % self.s)
            while self.peek() != ']':
                a = self.take()
                if a == '\\':
                    assert self.take() == 'd'
                    digits |= set('0123456789')
                    continue
                if self.peek() == '-':
                    self.take()
                    b = self.take()
                    digits |= set(str(x) for x in range(int(a), int(b) + 1))
                else:
                    digits.add(a)
            self.take()
            return ('set', frozenset(digits))
        if c == '(':
            if self.s.startswith('?:', self.i):
                self.i += 2
            n = self.alt()
            assert self.take() == ')'
            return n
        raise ValueError("unexpected %r in %r" % (c, self.s))


# ---- Thompson NFA -----------------------------------------------------------

class NFA:
    def __init__(self):
        self.eps = []      # state -> list of states
        self.trans = []    # state -> list of (digit set, state)

    def new(self):
        self.eps.append([])
        self.trans.append([])
        return len(self.eps) - 1

    def build(self, node, start):
        """Add node after start; return its end state."""
        kind = node[0]
        if kind == 'set':
            end = self.new()
            self.trans[start].append((node[1], end))
            return end
        if kind == 'cat':
            s = start
            for x in node[1]:
                s = self.build(x, s)
            return s
        if kind == 'alt':
            end = self.new()
            for x in node[1]:
                e = self.build(x, start)
                self.eps[e].append(end)
            return end
        if kind == 'rep':
            _, x, lo, hi = node
            s = start
            for _ in range(lo):
                s = self.build(x, s)
            end = self.new()
            self.eps[s].append(end)
            for _ in range(hi - lo):
                s = self.build(x, s)
                self.eps[s].append(end)
            return end
        raise ValueError(kind)

    def closure(self, states):
        out, todo = set(states), list(states)
        while todo:
            s = todo.pop()
            for t in self.eps[s]:
                if t not in out:
                    out.add(t)
                    todo.append(t)
        return frozenset(out)


def compile_pattern(nfa, pattern):
    start = nfa.new()
    end = nfa.build(Parser(pattern).parse(), start)
    return start, end


def expand(pattern, limit=4096):
    """Every string a finite pattern matches (None past limit)."""
    def go(node):
        kind = node[0]
        if kind == 'set':
            return sorted(node[1])
        if kind == 'cat':
            acc = ['']
            for x in node[1]:
                acc = [a + b for a in acc for b in go(x)]
                if len(acc) > limit:
                    raise OverflowError
            return acc
        if kind == 'alt':
            acc = []
            for x in node[1]:
                acc += go(x)
            return acc
        if kind == 'rep':
            _, x, lo, hi = node
            one = go(x)
            acc, cur = [], ['']
            for k in range(hi + 1):
                if k >= lo:
                    acc += cur
                if k < hi:
                    cur = [a + b for a in cur for b in one]
                if len(acc) + len(cur) > limit:
                    raise OverflowError
            return acc
    try:
        out = go(Parser(pattern).parse())
    except OverflowError:
        return None
    return sorted(set(out), key=lambda s: (-len(s), s))


# ---- per calling code: product of the region and type automata --------------

class Component:
    """One pattern with its possible lengths, run inside a shared NFA."""
    def __init__(self, nfa, pattern, lengths):
        self.start, self.end = compile_pattern(nfa, pattern)
        self.lengths = frozenset(lengths)


def build_cc(dfa, regions):
    """
    regions: list of (region index, general Component, [type Components]).
    Returns the DFA start state for the calling code's NSNs.
    """
    comps = []
    for ri, gen, types, _ in regions:
        comps.append(gen)
        comps.extend(types)
    nfa_of = regions[0][3]
    start = tuple(nfa_of.closure([c.start]) for c in comps)
    memo = {}

    def label(depth, sets):
        k = 0
        for ri, gen, types, _ in regions:
            g = sets[k]
            ok_g = gen.end in g and depth in gen.lengths
            hit = False
            for j, t in enumerate(types):
                if ok_g and t.end in sets[k + 1 + j] and depth in t.lengths:
                    hit = True
            k += 1 + len(types)
            if hit:
                return ri + 1
        return 0

    def visit(depth, sets):
        key = (depth, sets)
        if key in memo:
            return memo[key]
        if depth > 17 or not any(sets):
            memo[key] = 0
            return 0
        kids = []
        for d in '0123456789':
            nxt = []
            for s in sets:
                moved = [t for q in s for (ds, t) in nfa_of.trans[q] if d in ds]
                nxt.append(nfa_of.closure(moved) if moved else frozenset())
            kids.append(visit(depth + 1, tuple(nxt)))
        st = dfa.intern(label(depth, sets), tuple(kids))
        memo[key] = st
        return st

    return visit(0, start)


class DFA:
    """Minimal acyclic DFA by hash-consing: equal (label, children) is one state."""
    def __init__(self):
        self.states = [(0, (0,) * 10)]   # 0: dead
        self.index = {self.states[0]: 0}

    def intern(self, lab, kids):
        key = (lab, kids)
        if lab == 0 and all(k == 0 for k in kids):
            return 0
        st = self.index.get(key)
        if st is None:
            st = len(self.states)
            self.states.append(key)
            self.index[key] = st
        return st


def cstr(s):
    return '"' + s.replace('\\', '\\\\').replace('"', '\\"') + '"'


def main():
    meta = json.load(open(sys.argv[1]))
    ccs = meta['country_calling_codes']
    countries = meta['countries']
    nongeo = meta.get('nonGeographic', {})

    # Regions: geographic ones sorted by alpha-2, then non-geographic "001".
    entries = [(a2, countries[a2]) for a2 in sorted(countries)]
    for cc in sorted(nongeo, key=int):
        entries.append(('001', nongeo[cc]))
    index = {}
    for i, (a2, m) in enumerate(entries):
        index[(a2, m[0])] = i

    dfa = DFA()
    cc_start = {}
    plans = []
    leading = []
    for i, (a2, m) in enumerate(entries):
        cc, intl, gpat, glen = m[0], m[1], m[2], m[3]
        nprefix = m[5] if len(m) > 5 and m[5] else ''
        npfp = m[7] if len(m) > 7 and m[7] else ''
        transform = m[8] if len(m) > 8 and m[8] else ''
        lead = m[10] if len(m) > 10 and m[10] else ''
        # Trunk prefixes: the strings national_prefix_for_parsing matches, when
        # it has no transform rule, else the national prefix alone.  The
        # rewriting rules (AR's and BR's carrier codes, GA's 0 before some
        # ranges only, NF's and the NANP islands' short local numbers ...)
        # are not applied: such numbers must be written in full.
        trunks = []
        if npfp and not transform:
            trunks = expand(npfp, 64) or []
        if nprefix and nprefix not in trunks:
            trunks.append(nprefix)
        trunks = sorted(set(t for t in trunks if t), key=lambda s: (-len(s), s))
        intls = expand(intl, 256) if intl else []
        intls = [x for x in (intls or []) if x != '00']
        if lead and a2 != '001':
            pre = expand(lead, 4096)
            if pre is None:
                sys.exit("leading digits of %s do not expand: %r" % (a2, lead))
            for p in pre:
                leading.append((cc, p, i))
        plans.append(dict(a2=a2, cc=cc, trunk='|'.join(trunks), intl='|'.join(intls),
                          gpat=gpat, glen=glen, types=m[11] if len(m) > 11 else 0))

    # Calling codes, each with its regions in libphonenumber's order.
    order = {}
    for cc, lst in ccs.items():
        order[cc] = [index[(a2, cc)] for a2 in lst]
    for cc in nongeo:
        order[cc] = [index[('001', cc)]]

    for cc in sorted(order, key=lambda c: (len(c), c)):
        nfa = NFA()
        regions = []
        for ri in order[cc]:
            p = plans[ri]
            gen = Component(nfa, p['gpat'], p['glen'])
            types = []
            for t in ACCEPTED:
                td = p['types'][t] if p['types'] and t < len(p['types']) else 0
                # '' is libphonenumber-js's mark for a mobile pattern equal to the
                # fixed-line one (US, CA ...): the fixed-line component covers it
                if not td or not td[0]:
                    continue
                types.append(Component(nfa, td[0], td[1] if len(td) > 1 and td[1] else p['glen']))
            if types:
                regions.append((ri, gen, types, nfa))
        # a region without accepted types accepts nothing
        if not regions:
            cc_start[cc] = 0
            continue
        cc_start[cc] = build_cc(dfa, regions)

    # First digits and NSN lengths of each region, from the DFA.
    memo = {0: frozenset()}

    def info(st):
        if st not in memo:
            lab, kids = dfa.states[st]
            acc = {(lab - 1, 0)} if lab else set()
            for k in kids:
                if k:
                    acc |= {(r, l + 1) for r, l in info(k)}
            memo[st] = frozenset(acc)
        return memo[st]
    sys.setrecursionlimit(10000)
    for ri, p in enumerate(plans):
        st = cc_start[p['cc']]
        lens = sorted(l for r, l in info(st) if r == ri)
        kids = dfa.states[st][1]
        p['first'] = ''.join(str(d) for d in range(10)
                             if kids[d] and any(r == ri for r, l in info(kids[d])))
        p['min'] = lens[0] if lens else 0
        p['max'] = lens[-1] if lens else 0

    n = len(dfa.states)
    if n > 65535:
        sys.exit("%d DFA states: widen ls_phone_next in phone_data.h to uint32_t" % n)
    ttype = 'uint16_t'
    for p in plans:
        if len(p['cc']) + p['max'] > 15:
            sys.stderr.write("%s: +%s with up to %d digits exceeds E.164's 15\n" % (p['a2'], p['cc'], p['max']))
    ngeo = sum(1 for p in plans if p['a2'] != '001')
    out = sys.stdout
    out.write("/*\n * phone_data.c - GENERATED by tools/gen-phone-data.py; do not edit.\n"
              " *\n * Source: %s, metadata.max.json\n"
              " * (Google libphonenumber's metadata, Apache License 2.0).\n"
              " * Regenerate:\n"
              " *\tcd /tmp && npm pack libphonenumber-js@1.13.14 && tar xzf libphonenumber-js-1.13.14.tgz\n"
              " *\tpython3 tools/gen-phone-data.py /tmp/package/metadata.max.json > libsales/text/phone_data.c\n"
              " *\n * %d regions (%d geographic), %d calling codes, %d DFA states.\n */\n"
              % (PINNED, len(plans), ngeo, len(order), n))
    out.write('#include <stddef.h>\n#include <stdint.h>\n\n#include "phone.h"\n#include "phone_data.h"\n\n')
    out.write('const char ls_phone_data_version[] = %s;\n\n' % cstr(PINNED))
    out.write('const struct ls_phone_plan ls_phone_plans[] = {\n')
    for p in plans:
        out.write('\t{ %s, %s, %s, %s, %s, %d, %d },\n' % (
            cstr(p['a2']), cstr(p['cc']), cstr(p['trunk']), cstr(p['intl']),
            cstr(p['first']), p['min'], p['max']))
    out.write('};\nconst size_t ls_phone_nplans = %d;\nconst size_t ls_phone_ngeo = %d;\n\n' % (len(plans), ngeo))

    # calling codes: slot = 0..9 for one digit, 10..109 two, 110..1109 three
    ccl = sorted(order, key=lambda c: (len(c), c))
    flat = []
    out.write('const struct ls_phone_cc ls_phone_ccs[] = {\n')
    for cc in ccl:
        out.write('\t{ %s, %d, %d, %d },\n' % (cstr(cc), cc_start[cc], len(flat), len(order[cc])))
        flat.extend(order[cc])
    out.write('};\nconst size_t ls_phone_nccs = %d;\n\n' % len(ccl))
    out.write('/* the regions of each calling code, main country first */\n')
    out.write('const uint16_t ls_phone_cc_regions[] = {\n')
    for i in range(0, len(flat), 20):
        out.write('\t' + ', '.join(str(x) for x in flat[i:i + 20]) + ',\n')
    out.write('};\n\n')
    slots = [0] * 1110
    for k, cc in enumerate(ccl):
        base = {1: 0, 2: 10, 3: 110}[len(cc)]
        slots[base + int(cc)] = k + 1
    out.write('/* calling code slot (1 digit: 0-9, 2: 10-109, 3: 110-1109) -> ls_phone_ccs index + 1 */\n')
    out.write('const uint16_t ls_phone_cc_slot[1110] = {\n')
    for i in range(0, 1110, 20):
        out.write('\t' + ', '.join(str(x) for x in slots[i:i + 20]) + ',\n')
    out.write('};\n\n')

    leading.sort(key=lambda t: (t[0], t[1]))
    out.write('/* leading digits of regions sharing a calling code: E.164 prefix -> region */\n')
    out.write('const struct ls_phone_lead ls_phone_leads[] = {\n')
    for cc, p, ri in leading:
        out.write('\t{ %s, %d },\n' % (cstr(cc + p), ri))
    out.write('};\nconst size_t ls_phone_nleads = %d;\n\n' % len(leading))

    out.write('/* accepting region + 1 per state, 0 when the state does not accept */\n')
    out.write('const uint16_t ls_phone_accept[%d] = {\n' % n)
    labs = [s[0] for s in dfa.states]
    for i in range(0, n, 20):
        out.write('\t' + ','.join(str(x) for x in labs[i:i + 20]) + ',\n')
    out.write('};\n\n')
    out.write('/* next state per state and digit; 0 is the dead state */\n')
    out.write('const %s ls_phone_next[%d][10] = {\n' % (ttype, n))
    for lab, kids in dfa.states:
        out.write('\t{' + ','.join(str(k) for k in kids) + '},\n')
    out.write('};\nconst size_t ls_phone_nstates = %d;\n' % n)
    sys.stderr.write("%d states, %s transitions, %d leading prefixes\n" % (n, ttype, len(leading)))


if __name__ == '__main__':
    main()
