# Safeguard build. GNU Make + pkg-config, C17.
# `make run`  : install what is missing (Debian/npm), build, migrate, seed demo data, serve on 127.0.0.1:8080
# `make test` : everything CI runs (unit, integration over HTTP, ASan+UBSan build of the same suites)
# `make bench`: ratios against baselines measured in the same run

PKGS    := libmicrohttpd jansson sqlite3 libsodium pangocairo fontconfig
CC      ?= cc
CSTD    := -std=c17 -D_GNU_SOURCE
WARN    := -Wall -Wextra -Werror -Wformat=2 -Wshadow -Wvla -Wno-unused-parameter -Wno-missing-field-initializers
OPT     ?= -O2 -g
BUILD   ?= build
SAN     ?=

PKG_CFLAGS = $(shell pkg-config --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   = $(shell pkg-config --libs $(PKGS) 2>/dev/null)

CFLAGS_ALL = $(CSTD) $(WARN) $(OPT) $(SAN) -Isrc $(PKG_CFLAGS) -MMD -MP $(CFLAGS)
LDLIBS_ALL = $(PKG_LIBS) -lpthread -lm $(LDLIBS)

SRC_ALL  := $(shell find src -name '*.c' | sort)
SRC_MAIN := src/cli/main.c
SRC_LIB  := $(filter-out $(SRC_MAIN),$(SRC_ALL))
OBJ_LIB  := $(SRC_LIB:%.c=$(BUILD)/%.o)
OBJ_MAIN := $(SRC_MAIN:%.c=$(BUILD)/%.o)

UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))
UNIT_BIN  := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/unit/%)
HTTP_SRC  := $(sort $(wildcard tests/http/test_*.c))
HTTP_BIN  := $(HTTP_SRC:tests/http/%.c=$(BUILD)/tests/http/%)
TESTLIB_SRC := $(sort $(wildcard tests/lib/*.c))
TESTLIB_OBJ := $(TESTLIB_SRC:%.c=$(BUILD)/%.o)
BENCH_SRC := $(sort $(wildcard bench/bench_*.c))
BENCH_BIN := $(BENCH_SRC:bench/%.c=$(BUILD)/bench/%)

SAFEGUARD := $(BUILD)/safeguard
DB        ?= var/safeguard.db

.PHONY: all run setup test unit http sanitize browser bench clean check-style fmt

all: $(SAFEGUARD)

# Members keep their full paths (P), so src/ui/pages.o and src/support/pages.o never replace each other, and the
# archive is rebuilt from scratch so a deleted source leaves no stale member behind.
$(BUILD)/libsafeguard.a: $(OBJ_LIB)
	@mkdir -p $(@D)
	@rm -f $@
	$(AR) rcsP $@ $^

$(SAFEGUARD): $(OBJ_MAIN) $(BUILD)/libsafeguard.a
	$(CC) $(SAN) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c -o $@ $<

$(BUILD)/tests/unit/%: tests/unit/%.c $(BUILD)/libsafeguard.a $(TESTLIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Itests/lib -o $@ $< $(TESTLIB_OBJ) $(BUILD)/libsafeguard.a $(LDLIBS_ALL) -lcmocka

$(BUILD)/tests/http/%: tests/http/%.c $(BUILD)/libsafeguard.a $(TESTLIB_OBJ)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -Itests/lib -o $@ $< $(TESTLIB_OBJ) $(BUILD)/libsafeguard.a $(LDLIBS_ALL) -lcmocka

$(BUILD)/bench/%: bench/%.c $(BUILD)/libsafeguard.a
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -O2 -o $@ $< $(BUILD)/libsafeguard.a $(LDLIBS_ALL)

# ---- set-up: install only what is missing (Debian packages; npm packages for the browser tests) ----
setup:
	@scripts/setup.sh

# ---- run: the demo ----
run: setup
	@$(MAKE) --no-print-directory all
	@mkdir -p $(dir $(DB))
	@$(SAFEGUARD) migrate --db $(DB)
	@$(SAFEGUARD) seed-demo --db $(DB) --if-new
	@$(SAFEGUARD) serve --db $(DB) --listen 127.0.0.1:8080

# ---- tests ----
test: setup
	@rm -f build/test-results build-san/test-results
	@$(MAKE) --no-print-directory check-style
	@$(MAKE) --no-print-directory unit http
	@$(MAKE) --no-print-directory sanitize
	@$(MAKE) --no-print-directory browser
	@scripts/test-summary.sh

unit: $(UNIT_BIN) $(SAFEGUARD)
	@scripts/run-tests.sh unit $(BUILD) $(UNIT_BIN)

http: $(HTTP_BIN) $(SAFEGUARD)
	@SAFEGUARD_BIN=$(abspath $(SAFEGUARD)) scripts/run-tests.sh http $(BUILD) $(HTTP_BIN)

# Browser tests: the real server in headless Chromium, every page checked with axe-core at 1280 and 320 px.
browser: $(SAFEGUARD)
	@BUILD=$(BUILD) SAFEGUARD_BIN=$(abspath $(SAFEGUARD)) scripts/browser-tests.sh

# The same suites built with AddressSanitizer and UndefinedBehaviorSanitizer into their own tree.
sanitize:
	@$(MAKE) --no-print-directory BUILD=build-san OPT="-O1 -g -fno-omit-frame-pointer" \
	    SAN="-fsanitize=address,undefined -fno-sanitize-recover=all" unit http

$(BUILD)/bench/hello_server: bench/hello_server.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -O2 -o $@ $< $(LDLIBS_ALL)

bench: setup
	@$(MAKE) --no-print-directory all $(BENCH_BIN) $(BUILD)/bench/hello_server
	@scripts/bench.sh $(BUILD)

check-style:
	@scripts/check-style.sh

clean:
	rm -rf build build-san

-include $(shell find $(BUILD) build-san -name '*.d' 2>/dev/null)
