# libsales - see README.md.  Knobs: RELEASE=1  SANITIZE=address,undefined  DEVELOPER=1  PGO=  LTO=
# PREFIX=/usr/local DESTDIR=  FUZZ_SECONDS=60  BENCH_ROWS=1000000
#
# Which build a make builds and tests, one folder each (each remembers its
# flags in B/BUILD-FLAGS, so changing a knob rebuilds what it changes):
#   build/dev   plain make, make check, make demo: -O2 -g, no LTO, no PGO,
#               so that an edit rebuilds one object and relinks
#   build/rel   what ships: make install, make bench, make check-release (or
#               any goal with RELEASE=1): LTO, and with gcc PGO at -O3
#   build/san   SANITIZE=...;  build/tsan  SANITIZE=thread;  build/cov  make coverage
PREFIX ?= /usr/local
BINDIR ?= $(PREFIX)/bin
MANDIR ?= $(PREFIX)/share/man
CC ?= cc
CFLAGS ?= -O2 -g
FUZZ_CC ?= clang
FUZZ_SECONDS ?= 60
BENCH_ROWS ?= 1000000
VERSION = 0.1.0

# what ships is built by the goals that ship it, unless RELEASE is given
ifeq ($(origin RELEASE),undefined)
ifneq ($(filter install bench check-release,$(MAKECMDGOALS)),)
RELEASE = 1
endif
endif

WARN = -std=c11 -Wall -Wextra -Wpedantic
# DEVELOPER=1 (CI builds with it): git's config.mak.dev for this code base,
# the warnings it builds clean with on both gcc 12 and clang 14, as errors.
# Left out until the code is fixed: -Wshadow (clang: a local tzname shadows
# time.h's), -Wformat=2 (-Wformat-nonliteral: mustache.c's messages),
# -Wnull-dereference (with LTO, gcc sees unit tests use results they only
# assert_non_null()).
ifdef DEVELOPER
WARN += -Werror
WARN += -Wformat-security -Wpointer-arith -Wstrict-prototypes -Wold-style-definition
WARN += -Wmissing-prototypes -Wmissing-declarations -Wredundant-decls -Wnested-externs
WARN += -Wvla -Wwrite-strings -Wcast-align -Wbad-function-cast -Wundef
WARN += -Wimplicit-fallthrough -Wdouble-promotion
endif
# the library's layers, lowest first (tests/layers.sh checks that none includes a higher one)
LAYERS = base io text sales
ALL_CPPFLAGS = -D_DEFAULT_SOURCE -DLS_VERSION='"$(VERSION)"' $(LAYERS:%=-Ilibsales/%) -Ilibsales $(CPPFLAGS)
# -MMD: each object and binary knows the headers it includes (build/**/*.d)
ALL_CFLAGS = $(WARN) $(CFLAGS) -MMD -MP
# libxlsxwriter (.xlsx output) links zlib, which pkg-config names; -lz when pkg-config is absent
XLSXWRITER_LIBS := $(shell pkg-config --libs xlsxwriter 2>/dev/null || echo -lxlsxwriter -lz)
LDLIBS = -lcsv -lyaml -lzip -lexpat -lfreexl -lqrencode $(XLSXWRITER_LIBS) -lm -pthread
# GMime (ticket-log mail) needs glib: its flags for libsales/io/mail.c alone, the one file
# that includes it, as -isystem so that glib's headers are held to glib's warnings, not ours
GMIME_CFLAGS := $(patsubst -I%,-isystem %,$(shell pkg-config --cflags gmime-3.0 2>/dev/null))
GMIME_LIBS := $(or $(shell pkg-config --libs gmime-3.0 2>/dev/null),-lgmime-3.0 -lgio-2.0 -lgobject-2.0 -lglib-2.0)
LDLIBS += $(GMIME_LIBS)

# the calls tests/oom/inject.c stands between (make check-oom, check-iofault, coverage)
INJECT_CALLS = malloc calloc realloc strdup strndup open openat fopen fdopen open_memstream fmemopen read pread fread getline \
    write pwrite fwrite fputs fputc putc fprintf fflush fclose close fsync fdatasync sync_file_range ftruncate rename renameat

ifdef COVERAGE
# make coverage: gcov's counters, unoptimised so that lines map to code
B = build/cov
CFLAGS = -O0 -g --coverage -fprofile-update=atomic
# io/xls.c's child process writes its counters before its _exit()
ALL_CPPFLAGS += -DLS_COVERAGE
LDFLAGS += --coverage
else ifdef INJECT
# make check-oom, check-iofault: ASan and UBSan, and tests/oom/inject.c between the
# project's code and the C library's allocation and I/O calls, failing the Nth
B = build/oom
ALL_CFLAGS += -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=address,undefined
INJECT_OBJ = $(B)/inject.o
LDFLAGS += $(INJECT_CALLS:%=-Wl,--wrap=%)
else ifeq ($(SANITIZE),thread)
B = build/tsan
ALL_CFLAGS += -fsanitize=thread -fno-omit-frame-pointer
LDFLAGS += -fsanitize=thread
else ifdef SANITIZE
B = build/san
ALL_CFLAGS += -fsanitize=$(SANITIZE) -fno-omit-frame-pointer -fno-sanitize-recover=all
LDFLAGS += -fsanitize=$(SANITIZE)
else ifdef RELEASE
B = build/rel
else
B = build/dev
endif

# link-time optimisation, for the release build only: the reader's and the
# writer's small per-field functions are inlined across files (about 4% fewer
# instructions per record); LTO= turns it off.  Inlining across files makes
# gcc's maybe-uninitialized guess wrong where a callee sets its output only
# on success: that one warning is left to the other builds (build/dev, SANITIZE=...),
# which compile every file without LTO and keep it.  (Every link here passes
# ALL_CFLAGS, where the flags go.)
ifeq ($(B),build/rel)
LTO ?= -flto=auto
endif
ifneq ($(LTO),)
ALL_CFLAGS += $(LTO) -Wno-maybe-uninitialized
endif

# profile-guided optimisation, for the release build with gcc only; PGO= turns
# it off.  The tools are first built instrumented into build/rel itself (gcc
# names a static function's counts after its object's path, so the two stages
# must share it), trained by bench/train.sh, then built again with the counts:
# 14% fewer instructions and 15-20% less CPU per lead (bench data, 50k and 1M
# leads; measured at -O2).  Any change to a source trains again.  The unit
# tests are built without it.  Unless CFLAGS is given, it builds at -O3: with
# the counts, gcc spends -O3's code growth on the code the training ran and
# optimises the rest for size; another 4-6% less CPU per lead (paired runs on
# 1M leads of three shapes).
ifeq ($(B),build/rel)
PGO ?= $(if $(shell $(CC) -v 2>&1 | grep '^gcc version'),yes)
endif
ifeq ($(PGO),yes)
ifeq ($(PGO_STAGE),gen)
PGO_CFLAGS = -fprofile-generate -fprofile-update=prefer-atomic
else
PGO_CFLAGS = -fprofile-use -fprofile-correction
PGO_TRAINED = $(B)/pgo/trained
endif
ifeq ($(origin CFLAGS),file)
PGO_CFLAGS += -O3
endif
endif

PROGS = lead-qualify lead-assign ticket-log doc-render kpi-report
LIB_SRC = $(sort $(wildcard libsales/*.c $(LAYERS:%=libsales/%/*.c)))
LIB_OBJ = $(LIB_SRC:libsales/%.c=$(B)/lib/%.o)
LIB = $(B)/libsales.a
BINS = $(PROGS:%=$(B)/bin/%)
UNIT_SRC = $(sort $(wildcard tests/unit/test_*.c))
UNITS = $(UNIT_SRC:tests/unit/%.c=$(B)/tests/%)
MAN1 = $(PROGS:%=man/%.1)
DEPS_OK = build/.deps-ok
# git's GIT-CFLAGS: the flags this folder was built with, rewritten only when
# they change; every object, binary and test depends on it (PGO_STAGE is left
# out: the two stages of one PGO build share the folder and its flags)
FLAGS_FILE = $(B)/BUILD-FLAGS
TRACKED_FLAGS = CC=$(CC) CPPFLAGS=$(ALL_CPPFLAGS) CFLAGS=$(ALL_CFLAGS) PGO=$(PGO) LDFLAGS=$(LDFLAGS) LDLIBS=$(LDLIBS)

.PHONY: FORCE all check check-release check-unit check-cli check-fuzz fuzz fuzz-long check-tsan check-valgrind check-oom check-iofault check-oom-unit mutate coverage bench demo install uninstall clean deps
all: $(BINS) $(LIB)

$(DEPS_OK):
	@sh tests/deps.sh
	@mkdir -p build && touch $@
deps:
	@sh tests/deps.sh

$(FLAGS_FILE): FORCE
	@mkdir -p $(@D)
	@flags='$(subst ','\'',$(TRACKED_FLAGS))'; \
	if [ x"$$flags" != x"$$(cat $@ 2>/dev/null)" ]; then \
		[ -f $@ ] && echo "$@: the flags changed, rebuilding"; \
		printf '%s\n' "$$flags" >$@; \
	fi

$(B)/lib/io/mail.o build/fuzz/lib/io/mail.o: ALL_CPPFLAGS += $(GMIME_CFLAGS)
$(B)/lib/%.o: libsales/%.c $(FLAGS_FILE) $(PGO_TRAINED) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(PGO_CFLAGS) -c -o $@ $<

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $(LIB_OBJ)

$(B)/bin/%: cmd/%.c $(LIB) $(FLAGS_FILE) $(INJECT_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(PGO_CFLAGS) $(LDFLAGS) -o $@ $< $(INJECT_OBJ) $(LIB) $(LDLIBS)

$(B)/inject.o: tests/oom/inject.c $(FLAGS_FILE)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

ifdef INJECT
# make check-oom-unit: a test's own calls (its fixtures' malloc(), fopen()) are renamed in its
# object to the C library's (__real_NAME), so that only the library's calls are counted and failed
$(B)/tests/%.o: tests/unit/%.c $(FLAGS_FILE) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -MT $@ -MF $(@:.o=.d) -c -o $@.raw $<
	objcopy $(foreach f,$(INJECT_CALLS),--redefine-sym $(f)=__real_$(f)) $@.raw $@
	@rm -f $@.raw
.SECONDARY: $(UNITS:%=%.o)
$(B)/tests/%: $(B)/tests/%.o $(LIB) $(FLAGS_FILE) $(INJECT_OBJ)
	$(CC) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(INJECT_OBJ) $(LIB) $(LDLIBS) -lcmocka
else
$(B)/tests/%: tests/unit/%.c $(LIB) $(FLAGS_FILE) $(INJECT_OBJ)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(LDFLAGS) -o $@ $< $(INJECT_OBJ) $(LIB) $(LDLIBS) -lcmocka
endif

# make coverage's fault injection: the tools linked again with tests/oom/inject.c, over
# the same instrumented objects (their counts go to the same .gcda files), and with
# ASan's runtime, which inject.c calls and whose leak check tests/oom/run.sh reads
# (the library's code itself is not ASan-instrumented here: make check-oom does that)
COV_INJECT = build/cov/inject
$(COV_INJECT)/inject.o: tests/oom/inject.c $(FLAGS_FILE)
	@mkdir -p $(@D)
	$(CC) $(ALL_CFLAGS) -fsanitize=address,undefined -c -o $@ $<
$(COV_INJECT)/bin/%: cmd/%.c $(LIB) $(FLAGS_FILE) $(COV_INJECT)/inject.o
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) -fsanitize=address,undefined $(LDFLAGS) \
	    $(INJECT_CALLS:%=-Wl,--wrap=%) -o $@ $< $(COV_INJECT)/inject.o $(LIB) $(LDLIBS)

TOOLS = $(B)/bin/ls-cat
$(B)/bin/ls-cat: tests/tools/ls-cat.c $(LIB) $(FLAGS_FILE)
	@mkdir -p $(@D)
	$(CC) $(ALL_CPPFLAGS) $(ALL_CFLAGS) $(PGO_CFLAGS) $(LDFLAGS) -o $@ $< $(LIB) $(LDLIBS)

# the training: the objects and tools go, stale counts with them; the
# instrumented ones go after the run, their counts (*.gcda) stay
$(B)/pgo/trained: $(LIB_SRC) $(wildcard libsales/*.h libsales/*/*.h) $(PROGS:%=cmd/%.c) \
    tests/tools/ls-cat.c bench/train.sh bench/gen.c $(FLAGS_FILE) | $(DEPS_OK)
	rm -rf $(B)/lib $(B)/bin $(B)/pgo $(LIB)
	@$(MAKE) --no-print-directory PGO_STAGE=gen RELEASE=1 $(BINS) $(TOOLS)
	sh bench/train.sh $(B)
	find $(B)/lib -name '*.o' -delete
	rm -f $(LIB) $(BINS) $(TOOLS)
	@touch $@

# how a case that runs make on this checkout (daily/install) builds the
# same folder as the run that tests it, from a clean environment (CFLAGS
# given to the run is not passed on: that case then rebuilds the folder)
RUN_ENV = LS_MAKE_KNOBS='$(if $(COVERAGE),COVERAGE=1,$(if $(SANITIZE),SANITIZE=$(SANITIZE),RELEASE=$(RELEASE)))$(foreach v,CC PGO LTO DEVELOPER,$(if $(filter command line environment%,$(origin $v)), $v=$($v)))'

# T='lead-qualify/*' (a shell pattern) runs only the tests whose names match
check: $(BINS) $(TOOLS) $(UNITS)
	@$(RUN_ENV) sh tests/run.sh $(B) all '$(or $(T),*)'

# the same suite on what ships (build/rel: LTO, PGO); CI runs it
check-release: check

check-unit: $(UNITS)
	@sh tests/run.sh $(B) unit '$(or $(T),*)'

check-cli: $(BINS) $(TOOLS)
	@$(RUN_ENV) sh tests/run.sh $(B) cli '$(or $(T),*)'

# ThreadSanitizer over the tests that run the reading thread (build/tsan/)
check-tsan:
	@$(MAKE) --no-print-directory SANITIZE=thread build/tsan/tests/test_record build/tsan/tests/test_qualify build/tsan/tests/test_zone build/tsan/bin/lead-qualify build/tsan/bin/lead-assign
	@sh tests/tsan.sh build/tsan

# line and branch coverage of libsales/ (gcov and gcovr; build/cov/) by the whole suite and by
# the fault injection loops of make check-oom and check-iofault (tests/oom/, on the same
# objects): a table per module, build/cov/coverage/{uncovered.txt,index.html}; fails under
# the thresholds tests/coverage.sh holds.  The verdicts of the suite and of the loops are
# printed and kept: a failing case does not hide the figures.  COVERAGE_LOOPS=no measures the
# suite alone (CI: its check-oom and check-iofault already run the loops, and twice would cost
# a quarter of an hour; the gate holds for the suite alone).
COVERAGE_LOOPS ?= yes
coverage:
	@command -v gcovr >/dev/null || sh tests/deps.sh gcovr
	@rm -rf build/cov
	@$(MAKE) --no-print-directory COVERAGE=1 check; rc=$$?; \
	    if [ "$(COVERAGE_LOOPS)" != no ]; then \
	    $(MAKE) --no-print-directory COVERAGE=1 $(PROGS:%=build/cov/inject/bin/%) || rc=1; \
	    sh tests/oom/run.sh build/cov/inject alloc || rc=1; \
	    sh tests/oom/run.sh build/cov/inject io || rc=1; \
	    fi; \
	    sh tests/coverage.sh build/cov && exit $$rc

# the CLI cases with every tool under valgrind's memcheck (errors and definite leaks fail);
# the cases too slow under it are listed, with the reason, in tests/valgrind.skip
check-valgrind: $(BINS) $(TOOLS)
	@command -v valgrind >/dev/null || sh tests/deps.sh valgrind
	@$(RUN_ENV) sh tests/valgrind.sh $(B) '$(or $(T),*)'

# fault injection (build/oom, tests/oom/): each case of tests/oom/cases/ run once clean,
# then again with its Nth allocation (check-oom) or its Nth I/O call (check-iofault:
# EIO at every open, read, write, sync, rename and close; ENOSPC at every write)
# failing, for N = 1, 2, ... past the last; INJECT_STRIDE=K tries every Kth N only
check-oom check-iofault:
	@$(MAKE) --no-print-directory INJECT=1 $(PROGS:%=build/oom/bin/%)
	@sh tests/oom/run.sh build/oom $(if $(filter check-oom,$@),alloc,io) '$(or $(T),*)'

# allocation failures over the unit tests (tests/oom/unit.sh): each allocation site the
# tests reach fails once (OOM_UNIT=all: every allocation, the long loop, not in CI)
check-oom-unit:
	@$(MAKE) --no-print-directory INJECT=1 $(UNIT_SRC:tests/unit/%.c=build/oom/tests/%)
	@sh tests/oom/unit.sh build/oom '$(or $(T),*)'

# mutation testing of libsales/{base,io,text} (tests/mutate/; long, not in CI): FILES='libsales/base/buf.c'
# for some files only, MUTATE_SAMPLE=N for N mutants spread over the list; the report goes to MUTATE_REPORT;
# MUTATE_FLAGS= more options of tests/mutate/mutate.py (--jobs N, --out DIR, --fresh, --all-tests)
MUTATE_REPORT ?= build/mutate/REPORT.md
mutate: | $(DEPS_OK)
	@MUTATE_CPPFLAGS='$(subst ','\'',$(ALL_CPPFLAGS))' MUTATE_GMIME_CFLAGS='$(GMIME_CFLAGS)' MUTATE_LDLIBS='$(LDLIBS)' \
	    /usr/bin/python3 tests/mutate/mutate.py $(if $(FILES),--files $(FILES)) \
	    $(if $(MUTATE_SAMPLE),--sample $(MUTATE_SAMPLE)) --report $(MUTATE_REPORT) $(MUTATE_FLAGS)

FUZZ_TARGETS = $(patsubst tests/fuzz/%.c,build/fuzz/%,$(wildcard tests/fuzz/fuzz_*.c))
# the library compiled once for every target (fuzzer-no-link: instrumented, no main)
FUZZ_FLAGS = -std=c11 -g -O1 -fsanitize=address,undefined
FUZZ_OBJ = $(LIB_SRC:libsales/%.c=build/fuzz/lib/%.o)
.SECONDARY: $(FUZZ_OBJ)
build/fuzz/lib/%.o: libsales/%.c $(wildcard libsales/*.h libsales/*/*.h) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer-no-link -c -o $@ $<
build/fuzz/%: tests/fuzz/%.c $(FUZZ_OBJ) | $(DEPS_OK)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(ALL_CPPFLAGS) $(FUZZ_FLAGS) -fsanitize=fuzzer -o $@ $< $(FUZZ_OBJ) $(LDLIBS)
fuzz: check-fuzz
check-fuzz: $(FUZZ_TARGETS)
	@sh tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZ_TARGETS)

# every target for FUZZ_LONG seconds (10 minutes), its corpus kept in build/fuzz/corpus/ from
# one run to the next and a new seed each time (not in CI: 2.5 hours)
FUZZ_LONG ?= 600
fuzz-long: $(FUZZ_TARGETS)
	@FUZZ_KEEP=$(CURDIR)/build/fuzz/corpus FUZZ_SEED=$${FUZZ_SEED:-$$(date +%s)} \
	    sh tests/fuzz/run.sh $(FUZZ_LONG) $(FUZZ_TARGETS)

bench: $(BINS) $(TOOLS)
	@sh bench/run.sh $(B) $(BENCH_ROWS)

# the whole day on the example department, in a fresh folder under build/
demo: $(BINS)
	@rm -rf build/demo && mkdir -p build/demo
	@PATH="$(CURDIR)/$(B)/bin:$$PATH" sh examples/daily.sh "$(CURDIR)/build/demo"

install: $(BINS)
	mkdir -p $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5
	cp $(BINS) $(DESTDIR)$(BINDIR)/
	cp $(MAN1) $(DESTDIR)$(MANDIR)/man1/
	cp man/libsales-formats.5 $(DESTDIR)$(MANDIR)/man5/

uninstall:
	rm -f $(PROGS:%=$(DESTDIR)$(BINDIR)/%) $(PROGS:%=$(DESTDIR)$(MANDIR)/man1/%.1)
	rm -f $(DESTDIR)$(MANDIR)/man5/libsales-formats.5

clean:
	rm -rf build libsales/libsales.a

-include $(wildcard $(B)/lib/*.d $(B)/lib/*/*.d $(B)/bin/*.d $(B)/tests/*.d)
