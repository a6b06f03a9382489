# survey toolkit — one non-recursive GNU Makefile (Debian 12).
# `make help` lists the targets.

VERSION    := 0.1.0
PREFIX     ?= /usr/local
DESTDIR    ?=
PKG_CONFIG ?= pkg-config
CC         ?= cc
BUILD      ?= build

PKGS       := gsl icu-uc cairo pangocairo pangoft2 fontconfig libzip libxml-2.0 \
              xlsxwriter
DEB_PKGS   := build-essential pkg-config libcsv-dev libgsl-dev libcairo2-dev \
              libpango1.0-dev fonts-noto-cjk libharfbuzz-bin poppler-utils \
              mupdf-tools libicu-dev libcmocka-dev libxml2-utils scdoc groff-base \
              miller libzip-dev libxml2-dev python3-openpyxl libxlsxwriter-dev time

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
              -DSV_VERSION='"$(VERSION)"' -DSV_PKGDATADIR='"$(PKGDATADIR)"' $(OPT) -MMD -MP $(WARN) \
              -Ilibsurvey -Icharts -Ireport -Icmd $(PKG_CFLAGS) $(SAN) $(CFLAGS)
LDLIBS_ALL  = $(PKG_LIBS) $(CSV_LIBS) -lm -pthread $(SAN) $(LDFLAGS) $(LDLIBS)

LIB_SRC   := $(sort $(wildcard libsurvey/*.c))
CHART_SRC := $(sort $(wildcard charts/*.c))
REPORT_SRC := $(sort $(wildcard report/*.c))
CLI_SRC   := cmd/cli.c cmd/cli-io.c cmd/rejects.c
TOOLS_SRC := $(sort $(wildcard cmd/survey-*.c))
UNIT_SRC  := $(sort $(wildcard tests/unit/test_*.c))

LIB_OBJ   := $(LIB_SRC:%.c=$(BUILD)/%.o)
CHART_OBJ := $(CHART_SRC:%.c=$(BUILD)/%.o)
REPORT_OBJ := $(REPORT_SRC:%.c=$(BUILD)/%.o)
CLI_OBJ   := $(CLI_SRC:%.c=$(BUILD)/%.o)
TOOLS     := $(patsubst cmd/%.c,bin/%,$(TOOLS_SRC))
BIN_DIR   := $(if $(filter build,$(BUILD)),bin,$(BUILD)/bin)
TOOLS_B   := $(patsubst cmd/%.c,$(BIN_DIR)/%,$(TOOLS_SRC))
UNITS     := $(patsubst tests/unit/%.c,$(BUILD)/tests/%,$(UNIT_SRC))
LIBA      := $(BUILD)/libsurvey.a
CHARTA    := $(BUILD)/libsvchart.a
REPORTA   := $(BUILD)/libsvreport.a

.PHONY: all deps check check-unit check-cli check-asan check-valgrind demo \
        clean help lint format man shared install uninstall check-shell \
        check-install
# The report's CJK faces without CFF subroutines (why: charts/fonts/make-fonts.sh).
FONT_DIR := $(BUILD)/fonts
FONTS    := $(FONT_DIR)/fonts.conf

all: $(TOOLS_B) $(LIBA) $(CHARTA) $(REPORTA) libsurvey.a $(FONTS)

$(FONTS): charts/fonts/make-fonts.sh
	sh charts/fonts/make-fonts.sh $(FONT_DIR)

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

$(REPORTA): $(REPORT_OBJ)
	@mkdir -p $(@D)
	rm -f $@ && ar rcs $@ $^

$(BIN_DIR)/%: $(BUILD)/cmd/%.o $(CLI_OBJ) $(REPORTA) $(CHARTA) $(LIBA) | $(FONTS)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LDLIBS_ALL)

$(BUILD)/tests/test_%: tests/unit/test_%.c $(CHARTA) $(LIBA) | $(FONTS)
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -o $@ $(filter %.c %.a,$^) $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka) $(LDLIBS_ALL)

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
	$(MAKE) --no-print-directory check-unit check-cli check-shell check-install

check-unit: $(UNITS)
	@fail=0; for t in $(UNITS); do SV_TOP=$(CURDIR) $$t || fail=1; done; \
	[ $$fail = 0 ] || { echo "unit tests FAILED"; exit 1; }

check-cli: $(TOOLS_B)
	@SV_BIN=$(CURDIR)/$(BIN_DIR) SV_TOP=$(CURDIR) sh tests/run-golden.sh

SAN_FLAGS := -fsanitize=address,undefined -fno-sanitize-recover=all -fno-omit-frame-pointer
check-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  $(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" SAN="$(SAN_FLAGS)" check-unit check-cli check-shell

# Definite and indirect leaks are errors.  "Possibly lost" blocks are not:
# glib, pango and harfbuzz keep caches until exit that they reach through
# pointers into the middle of a block (harfbuzz's shape-plan list, pango's
# fontconfig worker threads), and which of them valgrind sees as possibly
# lost changed from run to run, failing CI at random.  LeakSanitizer in
# check-asan counts leaks the same way.
VALGRIND ?= valgrind --error-exitcode=99 --leak-check=full -q \
            --errors-for-leak-kinds=definite,indirect --show-leak-kinds=definite,indirect \
            --num-callers=40 --suppressions=$(CURDIR)/tests/valgrind.supp
check-valgrind: $(TOOLS_B)
	@$(MAKE) --no-print-directory deps DEB_PKGS=valgrind
	@SV_WRAP="$(VALGRIND)" SV_BIN=$(CURDIR)/$(BIN_DIR) SV_TOP=$(CURDIR) sh tests/run-golden.sh

demo: deps all
	@sh data-samples/demo.sh

# Side-by-side timing against libcsv parse-only, datamash, Miller and pandas;
# writes docs/benchmarks.md (BENCH_ROWS rows, default 2000000).
.PHONY: bench
bench: deps all
	@sh bench/run.sh $(BENCH_ROWS)

# Example pictures of every chart type for README (committed).
.PHONY: charts
charts: $(TOOLS_B)
	@sh charts/examples/make-examples.sh

lint:
	cppcheck --quiet --enable=warning,performance,portability --error-exitcode=1 -Ilibsurvey -Icharts -Ireport -Icmd libsurvey charts report cmd

format:
	clang-format -i libsurvey/*.c libsurvey/*.h charts/*.c charts/*.h report/*.c report/*.h cmd/*.c cmd/*.h tests/unit/*.c

clean:
	rm -rf build build-asan build-pic build-asan-pic bin libsurvey.a

help:
	@echo "targets: all deps demo bench charts check check-unit check-cli check-shell check-install check-asan check-valgrind lint format man shared install uninstall clean"
	@echo "install: make install PREFIX=/usr/local DESTDIR= (LIBDIR, MANDIR, ... override)"

# --- installation -----------------------------------------------------------
# The shared library is built from position-independent objects in
# $(BUILD)-pic/ (build-pic/, or build-asan-pic/ under check-asan, so that
# the two builds never share objects); SONAME follows the major version.
# charts/ stays internal (linked statically into the tools), so only
# survey.h is installed.
BINDIR     ?= $(PREFIX)/bin
LIBDIR     ?= $(PREFIX)/lib
INCLUDEDIR ?= $(PREFIX)/include
DATADIR    ?= $(PREFIX)/share
MANDIR     ?= $(DATADIR)/man
BASHCOMPDIR ?= $(DATADIR)/bash-completion/completions
PKGDATADIR ?= $(DATADIR)/survey-toolkit
INSTALL    ?= install
SCDOC      ?= scdoc
SOMAJOR    := $(firstword $(subst ., ,$(VERSION)))
SONAME     := libsurvey.so.$(SOMAJOR)
PIC        := $(BUILD)-pic
LIBSO      := $(PIC)/libsurvey.so.$(VERSION)
PIC_OBJ    := $(LIB_SRC:%.c=$(PIC)/%.o)
MAN_SRC    := $(sort $(wildcard man/*.scd))
MANS       := $(patsubst man/%.scd,$(BUILD)/man/%,$(MAN_SRC))
TOOL_NAMES := $(patsubst cmd/%.c,%,$(TOOLS_SRC))
CODEBOOKS  := $(sort $(wildcard data-samples/codebook-*.csv))

# Hidden by default: the shared library exports only what survey.h marks
# SV_API (tests/shell/api.sh checks it with nm -D).
$(PIC)/%.o: %.c
	@mkdir -p $(@D)
	$(CC) $(CFLAGS_ALL) -fPIC -fvisibility=hidden -c $< -o $@

$(LIBSO): $(PIC_OBJ)
	$(CC) -shared -Wl,-soname,$(SONAME) -o $@ $^ \
	  $(shell $(PKG_CONFIG) --libs gsl icu-uc libzip libxml-2.0 xlsxwriter 2>/dev/null) $(CSV_LIBS) -lm $(LDFLAGS)

# Written at install time so that PREFIX/LIBDIR given then are the ones used.
PC_LINES = 'prefix=$(PREFIX)' 'exec_prefix=$${prefix}' 'libdir=$(LIBDIR)' \
  'includedir=$(INCLUDEDIR)' '' 'Name: libsurvey' \
  'Description: Customer-satisfaction survey analytics (survey toolkit)' \
  'Version: $(VERSION)' 'Requires.private: gsl icu-uc libzip libxml-2.0 xlsxwriter' \
  'Libs: -L$${libdir} -lsurvey' 'Libs.private: $(CSV_LIBS) -lm' \
  'Cflags: -I$${includedir}'

$(BUILD)/man/%: man/%.scd
	@mkdir -p $(@D)
	$(SCDOC) < $< > $@.tmp && mv $@.tmp $@

shared: $(LIBSO)
man: $(MANS)

install: all $(LIBSO) $(MANS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(LIBDIR)/pkgconfig \
	  $(DESTDIR)$(INCLUDEDIR) $(DESTDIR)$(MANDIR)/man1 $(DESTDIR)$(MANDIR)/man5 \
	  $(DESTDIR)$(BASHCOMPDIR) $(DESTDIR)$(PKGDATADIR)/codebooks \
	  $(DESTDIR)$(PKGDATADIR)/examples $(DESTDIR)$(PKGDATADIR)/fonts
	$(INSTALL) -m 755 $(TOOLS_B) $(DESTDIR)$(BINDIR)/
	$(INSTALL) -m 644 $(FONT_DIR)/fonts.conf $(FONT_DIR)/survey-cjk-regular.otf \
	  $(FONT_DIR)/survey-cjk-bold.otf $(DESTDIR)$(PKGDATADIR)/fonts/
	$(INSTALL) -m 644 $(LIBA) $(DESTDIR)$(LIBDIR)/libsurvey.a
	$(INSTALL) -m 755 $(LIBSO) $(DESTDIR)$(LIBDIR)/
	ln -sf libsurvey.so.$(VERSION) $(DESTDIR)$(LIBDIR)/$(SONAME)
	ln -sf $(SONAME) $(DESTDIR)$(LIBDIR)/libsurvey.so
	printf '%s\n' $(PC_LINES) > $(DESTDIR)$(LIBDIR)/pkgconfig/libsurvey.pc
	chmod 644 $(DESTDIR)$(LIBDIR)/pkgconfig/libsurvey.pc
	$(INSTALL) -m 644 libsurvey/survey.h $(DESTDIR)$(INCLUDEDIR)/
	$(INSTALL) -m 644 $(filter %.1,$(MANS)) $(DESTDIR)$(MANDIR)/man1/
	$(INSTALL) -m 644 $(filter %.5,$(MANS)) $(DESTDIR)$(MANDIR)/man5/
	$(INSTALL) -m 644 completion/survey-toolkit.bash $(DESTDIR)$(BASHCOMPDIR)/survey-import
	for t in $(filter-out survey-import,$(TOOL_NAMES)); do \
	  ln -sf survey-import $(DESTDIR)$(BASHCOMPDIR)/$$t; done
	$(INSTALL) -m 644 $(CODEBOOKS) $(DESTDIR)$(PKGDATADIR)/codebooks/
	$(INSTALL) -m 755 examples/cron/yearly-summary.sh $(DESTDIR)$(PKGDATADIR)/examples/

uninstall:
	rm -f $(addprefix $(DESTDIR)$(BINDIR)/,$(TOOL_NAMES)) \
	  $(DESTDIR)$(LIBDIR)/libsurvey.a $(DESTDIR)$(LIBDIR)/libsurvey.so \
	  $(DESTDIR)$(LIBDIR)/$(SONAME) $(DESTDIR)$(LIBDIR)/libsurvey.so.$(VERSION) \
	  $(DESTDIR)$(LIBDIR)/pkgconfig/libsurvey.pc $(DESTDIR)$(INCLUDEDIR)/survey.h \
	  $(addprefix $(DESTDIR)$(MANDIR)/man1/,$(notdir $(filter %.1,$(MANS)))) \
	  $(addprefix $(DESTDIR)$(MANDIR)/man5/,$(notdir $(filter %.5,$(MANS)))) \
	  $(addprefix $(DESTDIR)$(BASHCOMPDIR)/,$(TOOL_NAMES))
	rm -rf $(DESTDIR)$(PKGDATADIR)

# Shell tests (tests/shell/*.sh): man pages, help/man consistency, cron.
GLYPH_TOOLS := $(BUILD)/tests/render-text $(BUILD)/tests/ink-check
$(BUILD)/tests/%: $(BUILD)/tests/glyphs/%.o $(CHARTA) $(LIBA) | $(FONTS)
	@mkdir -p $(@D)
	$(CC) -o $@ $^ $(LDLIBS_ALL)

check-shell: $(TOOLS_B) $(MANS) $(LIBA) $(LIBSO) $(GLYPH_TOOLS)
	@fail=0; for t in tests/shell/*.sh; do \
	  SV_BIN=$(CURDIR)/$(BIN_DIR) SV_TOP=$(CURDIR) SV_MAN=$(CURDIR)/$(BUILD)/man SV_BUILD=$(CURDIR)/$(BUILD) SV_SO=$(CURDIR)/$(LIBSO) \
	    sh $$t || fail=1; done; \
	[ $$fail = 0 ] || { echo "shell tests FAILED"; exit 1; }

# Installs into a temporary DESTDIR and builds a program against it.
check-install: all
	@SV_TOP=$(CURDIR) MAKE="$(MAKE)" sh tests/install/check-install.sh

.SECONDARY:

-include $(shell find $(BUILD) $(PIC) -name '*.d' 2>/dev/null)

# --- reliability (issue 6): bad-input corpus, fuzzing, stress ---------------
.PHONY: check-bad check-bad-asan fuzz fuzz-deps stress
check: check-bad
check-asan: check-bad-asan

check-bad: $(TOOLS_B)
	@SV_BIN=$(CURDIR)/$(BIN_DIR) SV_TOP=$(CURDIR) bash tests/bad/run-bad.sh

check-bad-asan: deps
	LSAN_OPTIONS=suppressions=$(CURDIR)/tests/lsan.supp:print_suppressions=0 \
	  $(MAKE) --no-print-directory BUILD=build-asan OPT="-O1 -g" SAN="$(SAN_FLAGS)" check-bad

# libFuzzer harnesses (fuzz/fuzz-*.c) over the library sources; `make fuzz
# FUZZ_SECONDS=N` runs each for N seconds, new inputs and crashes go to
# build-fuzz/, the committed seeds stay in fuzz/corpus/<harness>/.
FUZZ_SECONDS ?= 60
FUZZ_CC      ?= clang
FUZZ_DEBS    := clang libclang-rt-14-dev
FUZZERS      := $(patsubst fuzz/fuzz-%.c,%,$(sort $(wildcard fuzz/fuzz-*.c)))
FUZZ_FLAGS   := -g -O1 -fsanitize=fuzzer,address,undefined \
                -fno-sanitize-recover=all -fno-omit-frame-pointer

fuzz-deps:
	@$(MAKE) --no-print-directory deps DEB_PKGS="$(FUZZ_DEBS)"

build-fuzz/fuzz-%: fuzz/fuzz-%.c $(LIB_SRC) libsurvey/survey.h
	@mkdir -p $(@D)
	$(FUZZ_CC) -std=c11 -D_POSIX_C_SOURCE=200809L -D_DEFAULT_SOURCE \
	  -DSV_VERSION='"$(VERSION)"' $(FUZZ_FLAGS) -Ilibsurvey $(PKG_CFLAGS) \
	  -o $@ $< $(LIB_SRC) $(PKG_LIBS) $(CSV_LIBS) -lm

fuzz: fuzz-deps
	@$(MAKE) --no-print-directory $(FUZZERS:%=build-fuzz/fuzz-%)
	@FUZZ_SECONDS=$(FUZZ_SECONDS) sh fuzz/run-fuzz.sh $(FUZZERS)

# Memory stays bounded: survey-score over a generated ~1 GB stream under
# ulimit -v (STRESS_MB of data, STRESS_VMEM_KB of address space).
STRESS_MB      ?= 1024
STRESS_VMEM_KB ?= 204800
stress: $(TOOLS_B)
	@SV_BIN=$(CURDIR)/$(BIN_DIR) STRESS_MB=$(STRESS_MB) \
	  STRESS_VMEM_KB=$(STRESS_VMEM_KB) sh tests/bad/stress.sh
