# survey toolkit — one non-recursive GNU Makefile (Debian 12).
# `make help` lists the targets.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
CC         ?= cc
BUILD      ?= build

PKGS       := gsl cairo pangocairo
DEB_PKGS   := build-essential pkg-config libcsv-dev libgsl-dev libcairo2-dev \
              libpango1.0-dev fonts-noto-cjk poppler-utils libcmocka-dev \
              libxml2-utils

WARN := -Wall -Wextra -Wpedantic -Wshadow -Wstrict-prototypes \
        -Wmissing-prototypes -Wwrite-strings -Wpointer-arith -Wformat=2 \
        -Wvla -Wfloat-equal
ifneq ($(filter 1,$(DEVELOPER))$(filter true,$(CI)),)
WARN += -Werror
endif

OPT      ?= -O2 -g
PKG_CFLAGS := $(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null)
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CSV_LIBS   := $(shell $(PKG_CONFIG) --libs csv 2>/dev/null || echo -lcsv)
CFLAGS_ALL  = -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
              -DSV_VERSION='"$(VERSION)"' $(OPT) -MMD -MP $(WARN) \
              -Ilibsurvey -Icharts -Icmd $(PKG_CFLAGS) $(SAN) $(CFLAGS)
LDLIBS_ALL  = $(PKG_LIBS) $(CSV_LIBS) -lm $(SAN) $(LDFLAGS) $(LDLIBS)

LIB_SRC   := $(sort $(wildcard libsurvey/*.c))
CHART_SRC := $(sort $(wildcard charts/*.c))
CLI_SRC   := cmd/cli.c
TOOLS_SRC := $(sort $(wildcard cmd/survey-*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CHART_OBJ := $(CHART_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TOOLS     := $(patsubst cmd/%.c,bin/%,$(TOOLS_SRC))
BIN_DIR   := $(if $(filter build,$(BUILD)),bin,$(BUILD)/bin)
TOOLS_B   := $(patsubst cmd/%.c,$(BIN_DIR)/%,$(TOOLS_SRC))
UNITS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
LIBA      := $(BUILD)/libsurvey.a
CHARTA    := $(BUILD)/libsvchart.a

.PHONY: all deps check check-unit check-cli check-asan check-valgrind demo \
        clean help lint format
all: $(TOOLS_B) $(LIBA) libsurvey.a

libsurvey.a: $(LIBA)
	cp $< $@

$(BUILD)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -c $< -o $@

$(LIBA): $(LIB_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(CHARTA): $(CHART_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^ $(if $(CHART_OBJ),,)

$(BIN_DIR)/%: $(BUILD)/cmd/%.o $(CLI_OBJ) $(CHARTA) $(LIBA)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(CHARTA) $(LIBA)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ $^ $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka) $(LDLIBS_ALL)

# --- dependencies -----------------------------------------------------------
# Installs only the Debian packages that are missing (needs root or sudo).
deps:
	@missing=$$(for p in $(DEB_PKGS); do dpkg-query -W -f='$${Status}\n' $$p 2>/dev/null | grep -q 'ok installed' || echo $$p; done); \
	if [ -n "$$missing" ]; then \
	  echo "make deps: installing $$missing"; \
	  SUDO=$$( [ "$$(id -u)" = 0 ] || echo sudo ); \
	  $$SUDO apt-get update -q && DEBIAN_FRONTEND=noninteractive $$SUDO apt-get install -y -q $$missing; \
	fi

# --- tests ------------------------------------------------------------------
check: deps
	$(MAKE) --no-print-directory check-unit check-cli

check-unit: $(UNITS)
	@fail=0; for t in $(UNITS); do SV_TOP=$(CURDIR) $$t || fail=1; done; \
	[ $$fail = 0 ] || { echo "unit tests FAILED"; exit 1; }

check-cli: $(TOOLS_B)
	@SV_BIN=$(CURDIR)/$(BIN_DIR) SV_TOP=$(CURDIR) sh tests/run-golden.sh

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  $(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" SAN="$(SAN_FLAGS)" check-unit check-cli

VALGRIND ?= valgrind --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect,possible -q
check-valgrind: $(TOOLS_B)
	@SV_WRAP="$(VALGRIND)" SV_BIN=$(CURDIR)/$(BIN_DIR) SV_TOP=$(CURDIR) sh tests/run-golden.sh

demo: deps all
	@sh data-samples/demo.sh

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 -Ilibsurvey -Icharts -Icmd libsurvey charts cmd

format:
	clang-format -i libsurvey/*.c libsurvey/*.h charts/*.c charts/*.h cmd/*.c cmd/*.h tests/unit/*.c

clean:
	rm -rf build build-asan bin libsurvey.a

help:
	@echo "targets: all deps demo check check-unit check-cli check-asan check-valgrind lint format clean"

.SECONDARY:

-include $(shell find $(BUILD) -name '*.d' 2>/dev/null)
