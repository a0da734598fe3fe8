// diff.js - lead-qualify's phone normalisation against Google's libphonenumber.
//
//   node diff.js corpus LIBPHONENUMBER_DIR OUTDIR   writes OUTDIR/in-XX.csv per default country
//                                                   and OUTDIR/corpus.json
//   node diff.js compare LIBPHONENUMBER_DIR OUTDIR  reads OUTDIR/out-XX.csv (lead-qualify's
//                                                   output) and prints the agreement tables
//
// The corpus is deterministic (fixed seed): numbers of RU, KZ, BY, UA, US, CA, DE and GB in
// about 30 real-world spellings, typos of them, and garbage.  Base numbers come from
// libphonenumber's example numbers with random tails, valid or not as they fall; each input is
// read under a default country (its own for national spellings).
'use strict';
const fs = require('fs');
const path = require('path');

const [mode, lpdir, outdir] = process.argv.slice(2);
const L = require(path.join(lpdir, 'node_modules', 'google-libphonenumber'));
const U = L.PhoneNumberUtil.getInstance();
const T = L.PhoneNumberType;
const COUNTRIES = ['RU', 'KZ', 'BY', 'UA', 'US', 'CA', 'DE', 'GB'];

// mulberry32: a small PRNG with a fixed seed, so the corpus is the same everywhere
let seed = Number(process.env.PHONE_DIFF_SEED || 20261202);
function rnd() {
	seed = (seed + 0x6d2b79f5) | 0;
	let t = seed;
	t = Math.imul(t ^ (t >>> 15), t | 1);
	t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
	return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
}
const pick = (a) => a[Math.floor(rnd() * a.length)];
const digit = () => String(Math.floor(rnd() * 10));

// libphonenumber's verdict on raw read under region
function lp(raw, region) {
	try {
		const n = U.parse(raw, region);
		if (!U.isValidNumber(n))
			return { valid: false };
		return {
			valid: true, e164: U.format(n, L.PhoneNumberFormat.E164),
			type: U.getNumberType(n), ext: !!n.getExtension(),
		};
	} catch (e) {
		return { valid: false };
	}
}

const TRUNK = { RU: '8', KZ: '8', BY: '8 0', UA: '0', US: '1', CA: '1', DE: '0', GB: '0' };
const IDD = { RU: '8 10', KZ: '8 10', BY: '8 10', UA: '00', US: '011', CA: '011', DE: '00', GB: '00' };

function groups(s, sizes) {
	const out = [];
	let i = 0;
	for (const k of sizes) {
		if (i >= s.length)
			break;
		out.push(s.slice(i, i + k));
		i += k;
	}
	if (i < s.length)
		out.push(s.slice(i));
	return out;
}

// about 30 spellings of cc + nsn for a number of country c
function spellings(c, cc, nsn) {
	const g = groups(nsn, nsn.length === 10 ? [3, 3, 2, 2] : nsn.length === 9 ? [2, 3, 2, 2] : [3, 3, 4]);
	const sp = g.join(' '), dash = g.join('-');
	const head = g[0], tail = g.slice(1);
	const t = TRUNK[c];
	const s = [
		['intl-plain', `+${cc}${nsn}`],
		['intl-spaced', `+${cc} ${sp}`],
		['intl-paren', `+${cc} (${head}) ${tail.join('-')}`],
		['intl-dash', `+${cc}-${dash}`],
		['intl-dot', `+${cc}.${g.join('.')}`],
		['intl-slash', `+${cc} ${head}/${tail.join('')}`],
		['national-trunk', `${t} ${sp}`],
		['national-trunk-paren', `${t} (${head}) ${tail.join('-')}`],
		['national-trunk-dash', `${t.replace(' ', '')}-${dash}`],
		['national-bare', nsn],
		['national-bare-spaced', sp],
		['cc-no-plus', `${cc} ${sp}`],
		['00-prefix', `00 ${cc} ${sp}`],
		['idd-prefix', `${IDD[c]} ${cc} ${sp}`],
		['en-dash', `${t} (${head}) ${tail.join('\u2013')}`],
		['em-dash', `+${cc} ${g.join('\u2014')}`],
		['minus-sign', `+${cc} ${g.join('\u2212')}`],
		['hyphen-u2010', `+${cc}\u2010${g.join('\u2010')}`],
		['nbsp', `+${cc}\u00a0${g.join('\u00a0')}`],
		['narrow-nbsp', `${t} ${g.join('\u202f')}`],
		['trailing-zwsp', `+${cc} ${sp}\u200b`],
		['spaces-tab', `  +${cc} ${sp}\t`],
		['trunk-after-cc', `+${cc} ${t.replace(' ', '')} ${sp}`],
		['paren-zero', `+${cc} (0)${nsn}`],
		['double-plus', `++${cc}${nsn}`],
		['paren-plus', `(+${cc}) ${sp}`],
		['fullwidth', `+${cc} ${sp}`.replace(/[0-9]/g, (d) => String.fromCharCode(0xff10 + Number(d)))],
		['ext', `+${cc} ${sp} ext 12`],
		['ext-x', `+${cc} ${sp} x12`],
		['ext-ru', `+${cc} ${sp} доб. 5`],
		['two-numbers', `+${cc} ${sp}, +${cc} ${nsn.slice(0, -1)}${(Number(nsn.slice(-1)) + 1) % 10}`],
		['tel-prefix', `tel: +${cc} ${sp}`],
		// cells as Excel holds them: words, brackets and extensions around the number
		['words-dash', `+${cc} ${sp} - директор`],
		['words-paren', `+${cc} ${sp} (Иван)`],
		['words-latin', `+${cc} ${sp} John`],
		['words-both', `Иван Петров: +${cc} ${sp}, моб.`],
		['ext-paren-ru', `+${cc} ${sp} (доб. 123)`],
		['ext-hash', `+${cc} ${sp} #12`],
		['ext-comma', `+${cc} ${sp}, 12`],
		['national-label', `тел. ${t} ${sp}`],
		['national-words', `${t} ${sp} (Иван)`],
		['national-words-two', `${t} ${sp} (Иван), ${t} ${nsn}`],
		['letters', `+${cc} ${head} ${keypadLetters(tail.join(''))}`],
		['letters-typo', `+${cc} ${head.slice(0, -1)}l ${tail.join(' ')}`],
	];
	return s;
}

// the digits 2-9 of s as the first letter of their phone key, so that the keypad reads them back
function keypadLetters(s) {
	return s.replace(/[2-9]/g, (d) => 'ADGJMPTW'[Number(d) - 2]);
}

// typos of a national number: dropped, doubled and swapped digits, +8 for +7
function typos(c, cc, nsn) {
	const i = Math.floor(rnd() * nsn.length);
	const j = Math.min(i + 1, nsn.length - 1);
	const swapped = nsn.slice(0, i) + nsn[j] + nsn[i] + nsn.slice(j + 1);
	const out = [
		['typo-drop', `${TRUNK[c]} ${nsn.slice(0, i)}${nsn.slice(i + 1)}`],
		['typo-extra', `+${cc} ${nsn.slice(0, i)}${digit()}${nsn.slice(i)}`],
		['typo-swap', `+${cc} ${swapped}`],
		['typo-drop-intl', `+${cc} ${nsn.slice(0, -1)}`],
	];
	if (cc === '7')
		out.push(['typo-plus8', `+8 ${nsn}`]);
	return out;
}

const GARBAGE = [
	'n/a', 'нет', '-', '+', '0', '000', '123', 'none', 'тел. нет', 'see email', 'anna@example.com',
	'+7', '+7 (   )', '8 800', '1-800-FLOWERS', '+1 800 FLOWERS', '89161234567000000000',
	'+0 123 456 789', '+999 1234 5678', '+7 916 123 45 67 / 8 916 123 45 68', '#12', '79161234567#',
	'+7 9l6 123 45 67', '8 916 123 45 67 (Анна)', 'tel:+79161234567', '+79161234567;ext=12',
	'+44 20 7946 0018 ext. 204', '+49 30 1234567-0', '8 (916) 123-45-67 доб 3',
	// issue 30's messy cells, and what must not become a number: dates, identifiers, two numbers
	'tel: +1 905 873 1195', '+44 5612 345675 - директор', 'тел. 8 916 123 45 67',
	'+7 916 123 45 67 (Иван)', '8 916 ABC 45 67', '+49 800/997471963786', '+1 (800) FLOWERS ext 12',
	'30.12.2024', '2024-12-30', '12/30/2024', '30.12.24', 'ИНН 7707083893', 'ИНН 4716012345',
	'ИНН: 7707083893, тел 8 916 123 45 67', '№ 4716012345', '8 916 123 45 67 (Иван, до 18:00)',
	'030 1234 / 030 5678', '+7 916 123 45 67 / +7 916 765 43 21', '8 916 123 45 67 или 8 916 765 43 21',
	'(530) 583-6985 x302/x2303', '+7 916 123 45 67 A', '+ +7 916 123 45 67', '8 495 123-45-67 доп. 123',
	'Иван 8 916 123 45 67 Петр', 'John 8 916 123 45 67 Smith', 'x'.repeat(300) + ' +7 916 123 45 67',
];

function base_numbers(c) {
	const types = [T.FIXED_LINE, T.MOBILE, T.TOLL_FREE, T.PREMIUM_RATE, T.VOIP, T.SHARED_COST,
		T.PERSONAL_NUMBER, T.UAN];
	const out = [];
	for (const ty of types) {
		const ex = U.getExampleNumberForType(c, ty);
		if (!ex)
			continue;
		const nsn = U.getNationalSignificantNumber(ex);
		// the example itself, and random tails: some land in ranges, some do not
		const n = ty === T.FIXED_LINE || ty === T.MOBILE ? 5 : 2;
		out.push(nsn);
		for (let k = 0; k < n; k++) {
			const keep = Math.max(2, nsn.length - 4 - Math.floor(rnd() * 3));
			let s = nsn.slice(0, keep);
			while (s.length < nsn.length)
				s += digit();
			out.push(s);
		}
	}
	// a few made from scratch: any first digit
	for (let k = 0; k < 2; k++) {
		let s = '';
		const len = U.getNationalSignificantNumber(U.getExampleNumber(c)).length;
		while (s.length < len)
			s += digit();
		out.push(s);
	}
	return out;
}

function csv(s) {
	return /[",\n\r]/.test(s) ? '"' + s.replace(/"/g, '""') + '"' : s;
}

function make_corpus() {
	const items = [];
	const seen = new Set();
	const add = (cls, raw, region, from) => {
		const key = region + '\x01' + raw;
		if (seen.has(key))
			return;
		seen.add(key);
		items.push({ cls, raw, region, from });
	};
	for (const c of COUNTRIES) {
		const cc = String(U.getCountryCodeForRegion(c));
		for (const nsn of base_numbers(c)) {
			const sp = spellings(c, cc, nsn);
			// every number gets a third of the spellings, all of them over the corpus
			for (const [cls, raw] of sp) {
				if (rnd() > 0.42)
					continue;
				const national = /^(national|narrow-nbsp|en-dash|idd-prefix|cc-no-plus|typo-drop)/.test(cls);
				// international spellings are read under a random default country, RU most often
				const region = national ? c : (rnd() < 0.5 ? 'RU' : pick(COUNTRIES));
				add(cls, raw, region, c);
			}
			for (const [cls, raw] of typos(c, cc, nsn))
				if (rnd() < 0.5)
					add(cls, raw, cls === 'typo-drop' ? c : 'RU', c);
		}
		// numbers longer than E.164's 15 digits where the plan allows them (DE 0800 + 12 digits)
		if (c === 'DE')
			for (let k = 0; k < 8; k++) {
				let nsn = '800';
				while (nsn.length < 15)
					nsn += digit();
				add('long-intl', `+49 800/${nsn.slice(3)}`, rnd() < 0.5 ? 'RU' : 'DE', c);
				add('long-national', `0${nsn.slice(0, 3)} ${nsn.slice(3)}`, 'DE', c);
			}
		// national numbers of c read under RU, and under no plan of theirs
		for (const nsn of base_numbers(c).slice(0, 4))
			add('foreign-national', `${TRUNK[c]} ${nsn}`, 'RU', c);
	}
	// every other country libphonenumber knows: fixed and mobile numbers with random tails,
	// international, and for every sixth country (all with PHONE_DIFF_WIDE: each default
	// country is one more lead-qualify run) with the national trunk prefix under its own default
	const wide = Number(process.env.PHONE_DIFF_WIDE || 0);
	let nth = 0;
	for (const c of U.getSupportedRegions().sort()) {
		if (COUNTRIES.includes(c))
			continue;
		const nat = wide > 0 || nth++ % 6 === 0;
		const cc = String(U.getCountryCodeForRegion(c));
		const ndd = U.getNddPrefixForRegion(c, true) || '';
		for (const ty of [T.FIXED_LINE, T.MOBILE]) {
			const ex = U.getExampleNumberForType(c, ty);
			if (!ex)
				continue;
			const nsn0 = U.getNationalSignificantNumber(ex);
			for (let k = 0; k < 2; k++) {
				let nsn = nsn0;
				if (k > 0) {
					nsn = nsn0.slice(0, Math.max(1, nsn0.length - 3));
					while (nsn.length < nsn0.length)
						nsn += digit();
				}
				add('world-intl', `+${cc} ${nsn}`, nat && rnd() < 0.5 ? c : 'RU', 'world');
				if (nat)
					add('world-national', `${ndd}${ndd ? ' ' : ''}${nsn}`, c, 'world');
			}
		}
	}
	// PHONE_DIFF_WIDE=N: N random-tail numbers per region and type, international, under RU
	// (80 000 inputs at N=60: worth a run after regenerating libsales/text/phone_data.c)
	for (const c of wide > 0 ? U.getSupportedRegions().sort() : []) {
		const cc = String(U.getCountryCodeForRegion(c));
		for (const ty of Object.values(T)) {
			const ex = U.getExampleNumberForType(c, ty);
			if (!ex)
				continue;
			const nsn0 = U.getNationalSignificantNumber(ex);
			for (let k = 0; k < wide; k++) {
				let nsn = nsn0.slice(0, Math.floor(rnd() * nsn0.length));
				const len = nsn0.length + (rnd() < 0.2 ? (rnd() < 0.5 ? -1 : 1) : 0);
				while (nsn.length < len)
					nsn += digit();
				add('wide', `+${cc}${nsn}`, 'RU', 'wide');
			}
		}
	}
	for (const g of GARBAGE)
		for (const r of ['RU', 'DE', 'US'])
			add('garbage', g, r, '-');
	return items;
}

// a small CSV reader for lead-qualify's output (minimal quoting)
function parse_csv(text) {
	const rows = [];
	let row = [], f = '', q = false;
	for (let i = 0; i < text.length; i++) {
		const ch = text[i];
		if (q) {
			if (ch === '"') {
				if (text[i + 1] === '"') {
					f += '"';
					i++;
				} else
					q = false;
			} else
				f += ch;
		} else if (ch === '"')
			q = true;
		else if (ch === ',') {
			row.push(f);
			f = '';
		} else if (ch === '\n') {
			row.push(f);
			rows.push(row);
			row = [];
			f = '';
		} else if (ch !== '\r')
			f += ch;
	}
	if (f !== '' || row.length)
		rows.push(row.concat([f]));
	return rows;
}

if (mode === 'corpus') {
	const items = make_corpus();
	fs.writeFileSync(path.join(outdir, 'corpus.json'), JSON.stringify(items));
	const by = {};
	items.forEach((it, i) => {
		(by[it.region] = by[it.region] || []).push(`${i},c,n,${csv(it.raw)},`);
	});
	for (const r of Object.keys(by))
		fs.writeFileSync(path.join(outdir, `in-${r}.csv`),
		    'lead_id,company,contact_name,phone,email\n' + by[r].join('\n') + '\n');
	console.log(Object.keys(by).sort().join(' '));
} else if (mode === 'compare') {
	const items = JSON.parse(fs.readFileSync(path.join(outdir, 'corpus.json'), 'utf8'));
	const ours = {};
	for (const f of fs.readdirSync(outdir).filter((f) => /^out-..\.csv$/.test(f))) {
		const rows = parse_csv(fs.readFileSync(path.join(outdir, f), 'utf8'));
		const h = rows[0];
		const ci = h.indexOf('lead_id'), cp = h.indexOf('phone'), cr = h.indexOf('reasons');
		for (const r of rows.slice(1))
			ours[r[ci]] = /(^|;)bad_phone(;|$)/.test(r[cr]) ? null : r[cp];
	}
	const stats = {};
	const classes = {};
	let total = 0, agree = 0, policy = 0, wrongRU = 0, wrong = 0, falseAccept = 0;
	const bump = (k, c, v) => {
		stats[k] = stats[k] || { n: 0, agree: 0, policy: 0, dis: 0 };
		stats[k].n++;
		stats[k][v]++;
	};
	items.forEach((it, i) => {
		const us = ours[String(i)];
		if (us === undefined)
			throw new Error(`no output for input ${i}`);
		const ref = lp(it.raw, it.region);
		let verdict = 'agree', why = '';
		const digits = it.raw.replace(/[^0-9\uff10-\uff19+]/g, '');
		if (ref.valid ? us === ref.e164 : us === null) {
			verdict = 'agree';
		} else if (ref.valid && us === null && (ref.type === T.PREMIUM_RATE || ref.type === T.SHARED_COST)) {
			verdict = 'policy';
			why = 'policy: premium-rate and shared-cost refused';
		} else if (/^00/.test(digits) && us !== null && !ref.valid) {
			verdict = 'policy';
			why = 'policy: 00 is an international prefix everywhere';
		} else if (us !== null && /\u202f/.test(it.raw) && lp(it.raw.replace(/\u202f/g, ' '), it.region).e164 === us) {
			verdict = 'policy';
			why = 'policy: U+202F (narrow no-break space) is formatting; libphonenumber stops at it';
		} else if (ref.valid && us !== null) {
			verdict = 'dis';
			why = 'wrong E.164 (both valid, different numbers)';
			wrong++;
			if (it.region === 'RU')
				wrongRU++;
		} else if (ref.valid) {
			verdict = 'dis';
			why = 'valid number refused';
			// lead-qualify(1) refuses these on purpose; they still count against the agreement
			if (/^\s*(\d{1,2}[./]\d{1,2}[./](\d{2}|\d{4})|\d{4}-\d{1,2}-\d{1,2})\s*$/.test(it.raw))
				why += ' (on purpose: written as a date)';
			else if (/инн|№/i.test(it.raw))
				why += ' (on purpose: labelled as another number)';
			else if (/(^|[^a-z])[a-z]{1,2}([^a-z]|$)/i.test(it.raw.replace(/ext|x\d|доб/gi, '')) && !/[a-z]{3}/i.test(it.raw))
				why += ' (on purpose: one or two letters among digits)';
			else if (/\d\s*([,;~]|int)\s*\d+#?\s*$|\/ *x|- \d+#/i.test(it.raw))
				why += ' (on purpose: an ambiguous extension or a second number)';
		} else {
			verdict = 'dis';
			why = 'invalid number accepted';
			falseAccept++;
		}
		total++;
		if (verdict === 'agree')
			agree++;
		if (verdict === 'policy')
			policy++;
		bump(it.from === '-' ? 'garbage' : it.from, it.region, verdict);
		if (verdict !== 'agree') {
			const c = classes[why] = classes[why] || { n: 0, ex: [] };
			c.n++;
			if (c.ex.length < (verdict === 'dis' ? 50 : 4))
				c.ex.push(`${it.region} ${it.cls} ${JSON.stringify(it.raw)} ours=${us} lp=${ref.valid ? ref.e164 : 'invalid'}`);
		}
	});
	const pct = (a, b) => (100 * a / b).toFixed(1) + '%';
	console.log('| country | inputs | agree | policy | disagree | agree+policy |');
	console.log('|---|---:|---:|---:|---:|---:|');
	for (const k of COUNTRIES.concat(['world', 'wide', 'garbage'])) {
		const s = stats[k];
		if (s)
			console.log(`| ${k} | ${s.n} | ${s.agree} | ${s.policy} | ${s.dis} | ${pct(s.agree + s.policy, s.n)} |`);
	}
	console.log(`| all | ${total} | ${agree} | ${policy} | ${total - agree - policy} | ${pct(agree + policy, total)} |`);
	console.log(`\nagreement ${pct(agree, total)}, with documented policies ${pct(agree + policy, total)}; ` +
	    `wrong E.164: ${wrong} (under RU: ${wrongRU}); invalid numbers accepted: ${falseAccept}`);
	for (const [why, c] of Object.entries(classes).sort()) {
		console.log(`\n${why}: ${c.n}`);
		for (const e of c.ex)
			console.log('  ' + e);
	}
	const ok = (agree + policy) / total >= 0.995 && wrong === 0 && falseAccept === 0;
	process.exit(ok ? 0 : 1);
}
