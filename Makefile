# motcua -- build, test and run.  See README.md.
#
# Sources are picked up by folder, so a new module needs no edit here:
#   base/ transforms/ etl/ reports/ cli/*.c -> the library every program links
#   cli/main.c                              -> the motcua binary
# Includes run one way, cli -> reports -> etl -> transforms -> base:
# `make layers` (part of `make test`) fails on any include that runs upward.
#   tests/unit/*.c                      -> one Criterion binary
#   tests/e2e/run.sh                    -> end-to-end tests on the real binary

CC      ?= cc
PREFIX  ?= /usr/local
DESTDIR ?=
PKGS    := libutf8proc xlsxwriter sqlite3 libpcre2-8 zlib libcrypto inih libzip expat freexl \
           libxml-2.0 libxxhash libisal
HARDEN  := -D_FORTIFY_SOURCE=2 -fstack-protector-strong -fPIE
OPT     ?= -O2 -g
CFLAGS  := -std=c11 -D_GNU_SOURCE -Wall -Wextra -Werror $(OPT) $(HARDEN) -I. \
           -DMC_DATADIR=\"$(PREFIX)/share/motcua\" \
           $(shell pkg-config --cflags $(PKGS) 2>/dev/null) $(EXTRA_CFLAGS)
LDFLAGS := -pie -Wl,-z,relro,-z,now $(EXTRA_LDFLAGS)
LIBS    := -lcsv $(shell pkg-config --libs $(PKGS) 2>/dev/null) -lpthread -lm

BUILD   ?= build

# Debian packages the build, the tests and the demo need.
DEB_PKGS := gcc make pkg-config libcsv-dev zlib1g-dev libsqlite3-dev \
            libpcre2-dev libcriterion-dev libutf8proc-dev libxlsxwriter-dev \
            libssl-dev libinih-dev libzip-dev libexpat1-dev libfreexl-dev libxml2-dev \
            libxxhash-dev libisal-dev sqlite3 unzip python3

LIB_SRC  := $(sort $(filter-out cli/main.c,$(wildcard base/*.c transforms/*.c etl/*.c reports/*.c cli/*.c)))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/%.o)
TEST_SRC := $(sort $(wildcard tests/unit/*.c))
TEST_OBJ := $(TEST_SRC:%.c=$(BUILD)/%.o)
GEN_SRC  := fixtures/gen/motcua-gen.c

.PHONY: all deps deps-browser test unit e2e check demo clean install bench fuzz layers

all: motcua

motcua: $(BUILD)/cli/main.o $(BUILD)/libmotcua.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/libmotcua.a: $(LIB_OBJ)
	@rm -f $@
	ar rcs $@ $^

$(BUILD)/%.o: %.c $(wildcard */*.h */*/*.h)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) -c -o $@ $<

$(BUILD)/unit_tests: $(TEST_OBJ) $(BUILD)/libmotcua.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS) -lcriterion

$(BUILD)/motcua-gen: $(GEN_SRC)
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lz

# Repackages a CSV export as an .xlsx (tests/tools/csv2xlsx.c): for the
# fixtures, the end-to-end tests and the bench.
$(BUILD)/csv2xlsx: tests/tools/csv2xlsx.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lcsv -lxlsxwriter -lz

# The bench's floor job: libcsv (and ISA-L's inflate) alone, counting fields.
$(BUILD)/motcua-floor: bench/floor.c
	@mkdir -p $(dir $@)
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $< -lcsv -lisal

# Install what is missing, only what is missing, without asking anything.
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg -s $$p >/dev/null 2>&1 || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing" $$missing; \
	  if [ "$$(id -u)" != 0 ]; then echo "make deps: run as root, or install:" $$missing >&2; exit 1; fi; \
	  apt-get update -q >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q $$missing >/dev/null || exit 1; \
	fi

# Chromium renders the HTML report in the end-to-end tests; a machine
# without it still passes them, saying the page was not rendered.
deps-browser:
	@dpkg -s chromium >/dev/null 2>&1 || { \
	  echo "make deps-browser: installing chromium"; \
	  [ "$$(id -u)" = 0 ] && apt-get update -q >/dev/null && \
	  DEBIAN_FRONTEND=noninteractive apt-get install -y -q chromium >/dev/null; } || \
	  echo "make deps-browser: chromium not installed; the HTML page will not be rendered"

unit: $(BUILD)/unit_tests
	cd tests/unit && ../../$(BUILD)/unit_tests --jobs 2

e2e: motcua $(BUILD)/motcua-gen $(BUILD)/csv2xlsx
	MOTCUA=$(CURDIR)/motcua MOTCUA_GEN=$(CURDIR)/$(BUILD)/motcua-gen \
	  MOTCUA_CSV2XLSX=$(CURDIR)/$(BUILD)/csv2xlsx tests/e2e/run.sh

test: deps
	@$(MAKE) --no-print-directory deps-browser
	$(MAKE) layers
	$(MAKE) unit
	$(MAKE) e2e

# The layers of DEVELOPERS.md: no file includes a header of a higher layer.
layers:
	@tests/layers.sh

# The tests again with AddressSanitizer and UndefinedBehaviorSanitizer (unit
# and end-to-end), then the end-to-end suite with every motcua process under
# valgrind (zero errors, zero leaks).  Each build has its own folder and its
# own generator, so a clean clone needs nothing built before.
SAN_OPT := -O1 -g -fsanitize=address,undefined -fno-omit-frame-pointer -fno-sanitize-recover=all
export LSAN_OPTIONS := suppressions=$(CURDIR)/tests/lsan.supp

check: deps
	@$(MAKE) --no-print-directory deps DEB_PKGS=valgrind
	$(MAKE) BUILD=build-san OPT="$(SAN_OPT)" EXTRA_LDFLAGS="-fsanitize=address,undefined" unit
	$(MAKE) BUILD=build-san OPT="$(SAN_OPT)" EXTRA_LDFLAGS="-fsanitize=address,undefined" \
	  build-san/motcua build-san/motcua-gen build-san/csv2xlsx
	MOTCUA=$(CURDIR)/build-san/motcua MOTCUA_GEN=$(CURDIR)/build-san/motcua-gen \
	  MOTCUA_CSV2XLSX=$(CURDIR)/build-san/csv2xlsx tests/e2e/run.sh
	$(MAKE) BUILD=build-vg OPT="-O1 -g" EXTRA_CFLAGS=-DMC_NO_JIT build-vg/motcua build-vg/motcua-gen \
	  build-vg/csv2xlsx
	MOTCUA=$(CURDIR)/build-vg/motcua MOTCUA_GEN=$(CURDIR)/build-vg/motcua-gen \
	  MOTCUA_CSV2XLSX=$(CURDIR)/build-vg/csv2xlsx tests/e2e/valgrind.sh

# The binary inside a build folder, for the checks above.
$(BUILD)/motcua: $(BUILD)/cli/main.o $(BUILD)/libmotcua.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

# The nightly job as cron would run it, on a year and a quarter of generated
# exports (fixtures/gen/demo-year.sh: the bundled units, October 2024 to
# December 2025, about 50 000 rows) and the bundled exports, on the night of
# 5 January 2026 (MOTCUA_TODAY pins the day the reports are refreshed for,
# so that the demo shows the same year whenever it runs), then the 2025-Q3
# quarter re-run by hand.  The plan targets are the bundled ones plus three
# illustrative ones for every unit (fixtures/gen/demo-targets.csv), so that
# the trend charts of ALL and the provinces have a target line to show.
DEMO_DAY := 2026-01-05
demo: deps motcua $(BUILD)/motcua-gen
	@rm -rf demo && mkdir -p demo/inbox
	cp fixtures/exports/* demo/inbox/
	sh fixtures/gen/demo-year.sh $(BUILD)/motcua-gen fixtures/units.csv demo/inbox
	@touch -d '10 minutes ago' demo/inbox/*   # settled: not still being written
	@{ cat fixtures/targets.csv; grep -v '^#' fixtures/gen/demo-targets.csv | tail -n +2; } >demo/targets.csv
	@printf '[motcua]\ndb = motcua.db\ninbox = inbox\narchive = archive\nquarantine = quarantine\noutput = reports\ntargets = targets.csv\n' >demo/motcua.conf
	MOTCUA_TODAY=$(DEMO_DAY) ./motcua run --config demo/motcua.conf; st=$$?; [ $$st -eq 0 ] || [ $$st -eq 65 ] || exit $$st
	./motcua rerun --config demo/motcua.conf --period 2025-Q3
	./motcua report --config demo/motcua.conf --table files | tail -n 8
	./motcua report --config demo/motcua.conf --period 2025-Q4 --table targets | head -n 25
	@echo
	@echo "demo: the store is demo/motcua.db; the exports went to demo/archive/;"
	@echo "demo: the nightly run of $(DEMO_DAY) wrote demo/reports/2025-12/ and demo/reports/2025-Q4/ (report.html with the 12-month trend, report.xlsx, units.csv, trend.csv, ...)"
	@echo "demo: the 2025-Q3 reports are in demo/reports/2025-Q3/ (report.xlsx, report.html, units.csv, ...)"

# Speed, measured and printed, never asserted (issue #5, BENCH.md): the
# generated exports are cached in bench/cache/, DuckDB and the sqlite3
# shell do the same job beside motcua.  Never fails the build.
bench: deps motcua $(BUILD)/motcua-gen $(BUILD)/csv2xlsx $(BUILD)/motcua-floor
	-MOTCUA=$(CURDIR)/motcua MOTCUA_GEN=$(CURDIR)/$(BUILD)/motcua-gen \
	  MOTCUA_CSV2XLSX=$(CURDIR)/$(BUILD)/csv2xlsx MOTCUA_FLOOR=$(CURDIR)/$(BUILD)/motcua-floor \
	  bench/run.sh

clean:
	rm -rf build build-san build-vg motcua demo tests/e2e/out

install: motcua
	install -d $(DESTDIR)$(PREFIX)/bin $(DESTDIR)$(PREFIX)/share/motcua $(DESTDIR)$(PREFIX)/share/man/man1
	install -m 0755 motcua $(DESTDIR)$(PREFIX)/bin/motcua
	install -m 0644 fixtures/units.csv fixtures/targets.csv $(DESTDIR)$(PREFIX)/share/motcua/
	install -m 0644 motcua.1 $(DESTDIR)$(PREFIX)/share/man/man1/motcua.1
	install -d $(DESTDIR)$(PREFIX)/share/doc/motcua/examples
	install -m 0644 cron/motcua.conf cron/motcua.cron cron/motcua.service cron/motcua.timer \
	  cron/motcua.logrotate README.md $(DESTDIR)$(PREFIX)/share/doc/motcua/examples/

# Hostile input (issue #6).  `make fuzz SECONDS=N` (default 60): libFuzzer
# with clang over the reader and the normalizer, four targets, a quarter of
# the N seconds each: tests/fuzz/fuzz_ingest.c (any input but an .xls,
# seeded from the fixtures), fuzz_xlsx.c (parts zipped into workbooks),
# fuzz_xls.c (.xls through FreeXL, seeded with the .xls fixtures) and
# fuzz_html.c (HTML tables, seeded with the exports repackaged by
# tests/tools/csv2html.py); fuzz_ingest, fuzz_xls and fuzz_html share
# tests/fuzz/harness.h.  New inputs go to build-fuzz/corpus*, crashes to
# build-fuzz/crashes/: copy one of those three's to fixtures/fuzz-regressions/
# and `make test` replays it (tests/unit/test_fuzz_regressions.c).
FUZZ_PKGS := clang libclang-rt-14-dev
SECONDS   ?= 60
FUZZ_OPT  := -O1 -g -fsanitize=fuzzer-no-link,address,undefined -fno-omit-frame-pointer \
             -fno-sanitize-recover=all
FUZZ_RUN  := -max_total_time=$$(( ($(SECONDS) + 3) / 4 )) -timeout=30 -rss_limit_mb=2048 \
             -max_len=65536 -artifact_prefix=build-fuzz/crashes/ -print_final_stats=1

fuzz: deps
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(FUZZ_PKGS)"
	$(MAKE) CC=clang BUILD=build-fuzz OPT="$(FUZZ_OPT)" \
	  EXTRA_LDFLAGS="-fsanitize=fuzzer,address,undefined" \
	  build-fuzz/fuzz_ingest build-fuzz/fuzz_xlsx build-fuzz/fuzz_xls build-fuzz/fuzz_html
	@mkdir -p build-fuzz/corpus build-fuzz/corpus-xlsx build-fuzz/corpus-xls \
	  build-fuzz/corpus-html build-fuzz/seeds-xls build-fuzz/seeds-html build-fuzz/crashes
	@cp fixtures/exports/*.xls fixtures/bad/*.xls tests/unit/data/xls/*.xls build-fuzz/seeds-xls/
	@for f in fixtures/exports/*.csv*; do \
	  python3 tests/tools/csv2html.py $$f >build-fuzz/seeds-html/$$(basename $$f).xls || exit 1; \
	done
	build-fuzz/fuzz_ingest $(FUZZ_RUN) -dict=tests/fuzz/csv.dict \
	  build-fuzz/corpus fixtures/exports fixtures/bad fixtures/fuzz-regressions
	build-fuzz/fuzz_xlsx $(FUZZ_RUN) -dict=tests/fuzz/xlsx.dict \
	  build-fuzz/corpus-xlsx tests/fuzz/xlsx-seeds fixtures/exports fixtures/bad
	build-fuzz/fuzz_xls $(FUZZ_RUN) build-fuzz/corpus-xls build-fuzz/seeds-xls
	build-fuzz/fuzz_html $(FUZZ_RUN) -dict=tests/fuzz/html.dict \
	  build-fuzz/corpus-html build-fuzz/seeds-html

$(BUILD)/fuzz_%: $(BUILD)/tests/fuzz/fuzz_%.o $(BUILD)/libmotcua.a
	$(CC) $(CFLAGS) $(LDFLAGS) -o $@ $^ $(LIBS)

$(BUILD)/tests/fuzz/fuzz_xlsx.o $(BUILD)/tests/unit/test_xlsx.o: tests/fuzz/harness.h tests/fuzz/zipbuild.h
$(BUILD)/tests/fuzz/fuzz_ingest.o $(BUILD)/tests/fuzz/fuzz_xls.o $(BUILD)/tests/fuzz/fuzz_html.o \
$(BUILD)/tests/unit/test_fuzz_regressions.o: tests/fuzz/harness.h

# The RFC 4180 cases of the csv-spectrum suite, for tests/unit/test_csv_spectrum.c;
# a cache outside git.  Offline or without npm the test says "skipped".
fetch-csv-spectrum:
	@[ -f tests/cache/npm/node_modules/csv-spectrum/package.json ] || \
	  { command -v npm >/dev/null && timeout 120 npm install --prefix tests/cache/npm \
	      --no-save --no-audit --no-fund --loglevel=error csv-spectrum >/dev/null 2>&1; } || \
	  echo "make: csv-spectrum not fetched (no npm or no network); its test will be skipped"

deps: fetch-csv-spectrum

clean: clean-hostile
clean-hostile:
	rm -rf build-fuzz build-vg

.PHONY: fetch-csv-spectrum clean-hostile
