#!/bin/sh
# Install the build dependencies when they are missing: through apt-get as root
# or with password-less sudo, else say the one command to run.
# usage: tests/deps.sh [COMMAND...]: also the Debian packages of the same name
# as each COMMAND missing (valgrind, gcovr: make check-valgrind, make coverage).
set -u
pkgs=""
for c in "$@"; do
	command -v "$c" >/dev/null 2>&1 || pkgs="$pkgs $c"
done
command -v pkg-config >/dev/null 2>&1 || pkgs="$pkgs pkg-config"
# GMime's headers live under its own folder, and need glib's: pkg-config says where
gmime_cflags=$(pkg-config --cflags gmime-3.0 2>/dev/null)
for pair in csv.h:libcsv-dev yaml.h:libyaml-dev cmocka.h:libcmocka-dev zip.h:libzip-dev expat.h:libexpat1-dev freexl.h:libfreexl-dev qrencode.h:libqrencode-dev xlsxwriter.h:libxlsxwriter-dev gmime/gmime.h:libgmime-3.0-dev; do
	h=${pair%%:*}; p=${pair#*:}
	echo "#include <stddef.h>
#include <stdarg.h>
#include <setjmp.h>
#include <stdint.h>
#include <$h>" | ${CC:-cc} $gmime_cflags -E -x c - >/dev/null 2>&1 || pkgs="$pkgs $p"
done
[ -z "$pkgs" ] && exit 0
cmd="apt-get update && apt-get install -y$pkgs"
if [ "$(id -u)" = 0 ]; then
	echo "deps: installing$pkgs" >&2
	apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs && exit 0
elif command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
	echo "deps: installing$pkgs (sudo)" >&2
	sudo apt-get update -qq && sudo DEBIAN_FRONTEND=noninteractive apt-get install -y -qq $pkgs && exit 0
fi
echo "deps: missing$pkgs; run as root: $cmd" >&2
exit 1
