# bangfu — GNU make.  `make` builds build/bangfu; see README for the rest.
CC      ?= cc
PKGS    := libmicrohttpd jansson sqlite3 libpq libsodium libcrypto libzip expat xlsxwriter pangocairo
CFLAGS  ?= -O2 -g
CFLAGS  += -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror -Wno-unused-parameter -Wno-missing-field-initializers \
           -MMD -MP $(shell pkg-config --cflags $(PKGS) 2>/dev/null) -Isrc
LDLIBS  += $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lcsv -lpthread -lm
SAN     := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer

SRC      := $(filter-out src/main.c,$(wildcard src/*/*.c))
GEN      := build/gen/migrations.c build/gen/calendars.c build/gen/webassets.c
MIGR     := $(sort $(wildcard src/store/migrations/*.sql))
CALS     := $(sort $(wildcard src/store/calendar/*.csv))
UNIT     := $(patsubst tests/unit/%.c,build/tests/%,$(wildcard tests/unit/test_*.c))

OBJ      := $(patsubst %.c,build/obj/%.o,$(SRC) $(GEN))
ASAN_OBJ := $(patsubst %.c,build/asan/obj/%.o,$(SRC) $(GEN))

.PHONY: all deps run check unit api-sqlite api-pg api-asan ui screenshots bench bench-pg fuzz clean valgrind crashtest scaletest
# `make` on a fresh clone installs what is missing first (mk/deps.sh: Debian
# packages, npm ci), then builds in a second make, whose pkg-config flags
# see the libraries just installed.
all:
	@bash mk/deps.sh
	@$(MAKE) --no-print-directory build/bangfu

build/gen/migrations.c: $(MIGR) mk/embed.sh
	@mkdir -p $(@D)
	sh mk/embed.sh migrations $(MIGR) > $@

# The statutory working-day calendar (docs/calendar.md), loaded by init and
# migrate.
build/gen/calendars.c: $(CALS) mk/embed.sh
	@mkdir -p $(@D)
	sh mk/embed.sh calendars $(CALS) > $@

# The web interface: built with Vite when package.json exists (make deps
# installs node_modules), then embedded into the binary.
WEB_SRC  := $(shell find web -type f ! -path 'web/tests/*' 2>/dev/null) $(wildcard package.json package-lock.json)
build/web/.stamp: $(WEB_SRC)
	@mkdir -p build/web
	if [ -f package.json ] && [ -d web ]; then rm -rf build/web && npx vite build --config web/vite.config.js --logLevel warn && touch $@; else touch $@; fi

build/gen/webassets.c: build/web/.stamp mk/embed_web.sh
	@mkdir -p $(@D)
	sh mk/embed_web.sh build/web > $@.tmp && mv $@.tmp $@

build/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -c $< -o $@

build/asan/obj/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) -O1 $(SAN) -c $< -o $@

build/libbangfu.a: $(OBJ)
	rm -f $@ && ar rcs $@ $^

# The route table's rules (src/http/route_check.c) are part of the build:
# a route without a permission leaves no binary.  The server allocates
# through jemalloc (Debian's libjemalloc): jansson's trees are thousands of
# small objects a list page, and glibc's malloc and free were a fifth of the
# server's CPU there (docs/benchmarks.md).  Only this binary: the sanitizer
# builds keep their own allocator, and valgrind intercepts jemalloc's
# (tests/valgrind/bangfu-vg.sh).
build/bangfu: LDLIBS += -ljemalloc
build/bangfu: build/obj/src/main.o build/libbangfu.a
	$(CC) $(CFLAGS) -o $@ $^ $(LDLIBS)
	./$@ routes --check || { rm -f $@; exit 1; }

build/asan/bangfu: build/asan/obj/src/main.o $(ASAN_OBJ)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS)

build/tests/%: tests/unit/%.c build/libbangfu.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS) $(SAN) -o $@ $^ $(LDLIBS) -lcmocka
# counts bangfu's own fdatasync calls (RULE db.flush_after_turn)
build/tests/test_db_flush: LDLIBS += -Wl,--wrap=fdatasync

deps:
	bash mk/deps.sh

run: all
	bash mk/run.sh

unit: $(UNIT)
	bash tests/run-unit.sh $(UNIT)

api-sqlite: build/bangfu
	bash tests/run-api.sh sqlite build/bangfu

api-pg: build/bangfu
	bash tests/run-api.sh pg build/bangfu

api-asan: build/asan/bangfu
	bash tests/run-api.sh sqlite build/asan/bangfu

check: all
	$(MAKE) build/asan/bangfu $(UNIT)
	bash tests/run-all.sh

# The API suite once with every bangfu process under valgrind memcheck
# (tests/valgrind/bangfu-vg.sh); reports in build/valgrind/vg.PID.log.  The
# verdict is memcheck's (tests/valgrind/verdict.sh): every process judged
# clean, except those a crash test kills on purpose (their pids are listed in
# build/valgrind/killed-on-purpose.pids).  BANGFU_TEST_SLOWDOWN stretches the
# suite's time limits (health wait, test and command timeouts, the grace
# after SIGTERM) for valgrind's slowdown, so that no process is killed for
# being slow; the suite's own result is shown but does not decide (tests of
# request timeouts may fail at this speed).  A copy of the binary is checked,
# so rebuilding meanwhile changes nothing.  Last full run: see
# docs/benchmarks.md ("Memory checking"): 612 processes, 0 stopped by accident.
VG_SLOWDOWN ?= 30
valgrind: build/bangfu
	rm -rf build/valgrind && mkdir -p build/valgrind && cp build/bangfu build/valgrind/bangfu
	@date +%s > build/valgrind/started
	-BANGFU_VG_BIN=$(CURDIR)/build/valgrind/bangfu BANGFU_TEST_SLOWDOWN=$(VG_SLOWDOWN) \
	  BANGFU_TEST_KILLED_LOG=$(CURDIR)/build/valgrind/killed-on-purpose.pids \
	  bash tests/run-api.sh sqlite tests/valgrind/bangfu-vg.sh
	@echo "valgrind: wall time $$(( $$(date +%s) - $$(cat build/valgrind/started) )) s"
	@bash tests/valgrind/verdict.sh build/valgrind

# two app processes on one PostgreSQL behind nginx (tests/scale)
scaletest: build/bangfu
	bash tests/scale/scale.sh build/bangfu

# kill -9 rounds (tests/crash): every 2xx kept, nothing half-written.
ROUNDS ?= 40
crashtest: build/bangfu
	ROUNDS=$(ROUNDS) bash tests/crash/crashtest.sh build/bangfu

ui: build/bangfu
	bash tests/run-ui.sh build/bangfu

screenshots: all
	BANGFU_SHOTS=$(CURDIR)/docs/screenshots bash tests/run-ui.sh build/bangfu

bench: all
	bash bench/run.sh

# issue 18 item 7: the same reads on PostgreSQL at BENCH_PG_SIZE archives
# (default 10,000,000; bench/pg.sh)
bench-pg: all
	BENCH_PG=only bash bench/run.sh

clean:
	rm -rf build

-include $(shell find build -name '*.d' 2>/dev/null)
# libFuzzer harnesses (clang): the census import readers (fuzz_csv,
# fuzz_xlsx), the request path without a socket (fuzz_http: route matching,
# JSON bodies into every route's field spec, multipart uploads) and the
# ID-number, money, date and timestamp parsers (fuzz_parse), the attachment
# type sniffer and metadata stripper (fuzz_filetype).  `make fuzz`
# runs each for FUZZ_SECONDS; tests/fuzz/run-short.sh (make check) a few
# seconds each.
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 30
FUZZ_FLAGS   := -std=c11 -D_GNU_SOURCE -g -O1 -Isrc -fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all
FUZZ_SRC := src/rules/csvrows.c src/rules/utf8.c src/rules/xlsxrows.c src/rules/census.c src/rules/dates.c \
            src/rules/idcard.c src/rules/household.c src/rules/money.c src/core/arena.c src/rules/filetype.c
FUZZ_HTTP_SRC := src/http/routes.c src/http/validate.c src/rules/multipart.c src/core/arena.c src/rules/utf8.c \
                 src/core/err.c src/rules/dates.c
FUZZERS := fuzz_csv fuzz_xlsx fuzz_http fuzz_parse fuzz_filetype
build/fuzz/%: tests/fuzz/%.c $(FUZZ_SRC)
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) -o $@ $^ -lcsv $(shell pkg-config --libs libzip expat)

# the route table pulls in every handler: those come uninstrumented from
# the library, the request path itself is instrumented
build/fuzz/fuzz_http: tests/fuzz/fuzz_http.c $(FUZZ_HTTP_SRC) build/libbangfu.a
	@mkdir -p $(@D)
	$(FUZZ_CC) $(FUZZ_FLAGS) $(shell pkg-config --cflags jansson) -o $@ $^ $(LDLIBS)

.PHONY: fuzz
fuzz: $(addprefix build/fuzz/,$(FUZZERS))
	bash tests/fuzz/run.sh $(FUZZ_SECONDS) $(FUZZERS)
