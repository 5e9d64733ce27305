# SPDX-License-Identifier: MIT OR Apache-2.0
# rpi-cross - cross-compile Rust for a Raspberry Pi and prove it runs there.
#
#   make            build build/rpi-cross (and the helper tools)
#   make run        install missing build dependencies, build, start the wizard
#   make check      install test dependencies, check the layers and the
#                   style, build, run every test, then all of it again
#                   under AddressSanitizer + UBSan
#   make valgrind   the test suite under valgrind
#   make bench      print benchmark figures
#   make screenshots  PNG pictures of the wizard in build/screenshots/
#   make install    PREFIX=/usr/local DESTDIR= (also cargo-rpi, a link
#                   to rpi-cross, for "cargo rpi", and the bash, zsh and
#                   fish completions)
#   make dist       build/rpi-cross-VERSION.tar.gz, the release tarball
#   make deb        build/deb/rpi-cross_VERSION_ARCH.deb, checked by lintian
#
# Libraries are found through pkg-config only.

PREFIX     ?= /usr/local
BINDIR     ?= $(PREFIX)/bin
MANDIR     ?= $(PREFIX)/share/man
DATADIR    ?= $(PREFIX)/share/rpi-cross
DESTDIR    ?=
BUILD      ?= build
PKG_CONFIG ?= pkg-config
INSTALL    ?= install

# libcrypto: the hashes of hash.c (libssh links it already); libarchive:
# the sysroot's tar stream and .deb files
PKGS := ncursesw yaml-0.1 libssh libcrypto libarchive
UNAME_S := $(shell uname -s)

ifeq ($(UNAME_S),Darwin)
# Homebrew's ncurses, openssl@3 and libarchive are keg-only: point pkg-config at them.
BREW_PREFIX := $(shell brew --prefix 2>/dev/null)
export PKG_CONFIG_PATH := $(BREW_PREFIX)/opt/ncurses/lib/pkgconfig:$(BREW_PREFIX)/opt/libarchive/lib/pkgconfig:$(BREW_PREFIX)/opt/openssl@3/lib/pkgconfig:$(PKG_CONFIG_PATH)
endif

# ncursesw's pkg-config pins _XOPEN_SOURCE=600; we ask for 700 ourselves.
PKG_CFLAGS := $(filter-out -D_XOPEN_SOURCE=% -D_DEFAULT_SOURCE,\
	$(shell $(PKG_CONFIG) --cflags $(PKGS) 2>/dev/null))
PKG_LIBS   := $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null)
CMOCKA_CFLAGS := $(shell $(PKG_CONFIG) --cflags cmocka 2>/dev/null)
CMOCKA_LIBS   := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null)
# the linker module probes candidates in parallel threads
THREAD_LIBS   := -lpthread

ifeq ($(UNAME_S),Darwin)
OS_DEFS := -D_DARWIN_C_SOURCE
else
OS_DEFS := -D_DEFAULT_SOURCE
endif

WERROR   ?= -Werror
WARNINGS := -Wall -Wextra $(WERROR) -Wshadow -Wstrict-prototypes \
	-Wmissing-prototypes -Wformat=2 -Wno-format-nonliteral
CFLAGS   ?= -O2 -g
SAN      ?=
ALL_CFLAGS = -std=c11 $(WARNINGS) -D_XOPEN_SOURCE=700 \
	-D_XOPEN_SOURCE_EXTENDED $(OS_DEFS) -Iinclude -Isrc $(PKG_CFLAGS) \
	$(CFLAGS) $(SAN) -pthread -MMD -MP
ALL_LDFLAGS = $(LDFLAGS) $(SAN) -pthread

SRC      := $(sort $(wildcard src/*.c src/*/*.c))
LIB_SRC  := $(filter-out src/main.c,$(SRC))
LIB_OBJ  := $(LIB_SRC:%.c=$(BUILD)/obj/%.o)
MAIN_OBJ := $(BUILD)/obj/src/main.o
LIB      := $(BUILD)/librpx.a
BIN      := $(BUILD)/rpi-cross

TOOL_SRC := $(sort $(wildcard tools/*.c))
TOOLS    := $(TOOL_SRC:tools/%.c=$(BUILD)/%)
UNIT_SRC := $(sort $(wildcard tests/unit/*_test.c))
UNITS    := $(UNIT_SRC:tests/unit/%.c=$(BUILD)/tests/%)

DEPS := $(LIB_OBJ:.o=.d) $(MAIN_OBJ:.o=.d) \
	$(TOOL_SRC:tools/%.c=$(BUILD)/obj/tools/%.d) \
	$(UNIT_SRC:%.c=$(BUILD)/obj/%.d)

ASAN_FLAGS := -fsanitize=address,undefined -fno-omit-frame-pointer \
	-fno-sanitize-recover=all

.PHONY: all run deps test-deps check check-fast check-asan unit valgrind \
	bench install uninstall clean check-man check-layers check-style dist \
	check-macos check-macos-objs check-macos-units \
	FORCE

all: $(BIN) $(TOOLS)

# Keep object files of tools and tests (they are not intermediate to us).
.SECONDARY:

$(BUILD)/obj/%.o: %.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) -c -o $@ $<

$(BUILD)/obj/tests/unit/%.o: tests/unit/%.c
	@mkdir -p $(dir $@)
	$(CC) $(ALL_CFLAGS) $(CMOCKA_CFLAGS) -c -o $@ $<

# theme.c looks for installed themes beside the binary (../share/rpi-cross),
# then under $(DATADIR)/themes.
$(BUILD)/obj/src/ui/theme.o: ALL_CFLAGS += -DRPX_DATADIR='"$(DATADIR)"'

# data/releases.yaml compiled in: each line a C string literal.
$(BUILD)/gen/releases_yaml.inc: data/releases.yaml
	@mkdir -p $(@D)
	sed -e 's/\\/\\\\/g' -e 's/"/\\"/g' -e 's/^/"/' -e 's/$$/\\n"/' \
		data/releases.yaml >$@
$(BUILD)/obj/src/pi/release_data.o: ALL_CFLAGS += -I$(BUILD)/gen
$(BUILD)/obj/src/pi/release_data.o: $(BUILD)/gen/releases_yaml.inc

# The version (scripts/version.sh: git describe, else the file VERSION of
# a release tarball, else the base version in version.c) goes to version.o
# alone. $(BUILD)/version changes only when the version does, so a new
# commit recompiles that one file and relinks.
VERSION := $(shell sh scripts/version.sh)
$(BUILD)/obj/src/base/version.o: ALL_CFLAGS += -DRPX_VERSION='"$(VERSION)"'
$(BUILD)/obj/src/base/version.o: $(BUILD)/version

$(BUILD)/version: FORCE
	@mkdir -p $(dir $@)
	@echo '$(VERSION)' | cmp -s - $@ || echo '$(VERSION)' >$@

FORCE:

$(LIB): $(LIB_OBJ)
	@rm -f $@
	$(AR) rcs $@ $^

$(BIN): $(MAIN_OBJ) $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(THREAD_LIBS)

$(BUILD)/%: $(BUILD)/obj/tools/%.o $(LIB)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(PKG_LIBS) $(THREAD_LIBS)

$(BUILD)/tests/%: $(BUILD)/obj/tests/unit/%.o $(LIB)
	@mkdir -p $(dir $@)
	$(CC) $(ALL_LDFLAGS) -o $@ $^ $(CMOCKA_LIBS) $(PKG_LIBS) $(THREAD_LIBS)

unit: $(UNITS)

deps:
	@sh scripts/install-deps.sh build

test-deps:
	@sh scripts/install-deps.sh test
	@if [ "$$(id -u)" -eq 0 ]; then sh scripts/setup-rust-arm.sh || \
		echo "setup-rust-arm failed: toolchain tests that need the ARM std will skip"; fi
	@sh scripts/setup-zig.sh >/dev/null || \
		echo "setup-zig failed: the zig linker tests will skip"

run: deps
	@$(MAKE) --no-print-directory all
	./$(BIN)

# Everything, twice: a normal build, then AddressSanitizer + UBSan.
check: test-deps
	@$(MAKE) --no-print-directory check-fast
	@$(MAKE) --no-print-directory check-asan

check-fast: check-layers check-style check-macos all unit
	@sh tests/run.sh $(BUILD)

# The allowed directions between src/'s folders, and no include or call
# cycle (the table is in the script).
check-layers:
	@python3 scripts/check-layers.py

# The house style of the C sources: tabs, no trailing whitespace, 100
# columns, the function name at the start of its line, an opening comment
# in every file (the rules are in the script).
check-style:
	@python3 scripts/check-style.py

# Every C file compiled for aarch64-macos and x86_64-macos with zig's macOS
# libc headers, through this Makefile's Darwin branch (what is and is not
# checked: scripts/check-macos.sh).
check-macos:
	+@sh scripts/check-macos.sh $(BUILD)

check-macos-objs: $(LIB_OBJ) $(MAIN_OBJ) $(TOOL_SRC:tools/%.c=$(BUILD)/obj/tools/%.o)
check-macos-units: $(UNIT_SRC:%.c=$(BUILD)/obj/%.o)

check-asan:
	@$(MAKE) --no-print-directory BUILD=build-asan SAN="$(ASAN_FLAGS)" \
		CFLAGS="-O1 -g" all unit
	@ASAN_OPTIONS=detect_leaks=1:abort_on_error=0 \
	 UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1 \
	 RPX_SANITIZED=1 sh tests/run.sh build-asan

valgrind: all unit
	@RPX_WRAP="valgrind -q --error-exitcode=99 --leak-check=full --errors-for-leak-kinds=definite,indirect --track-fds=no" \
	 sh tests/run.sh $(BUILD)

bench: all
	@sh tests/bench.sh $(BUILD)

# tmux capture-pane -e -> aha -> headless chromium
.PHONY: screenshots
screenshots: test-deps all
	@sh scripts/install-deps.sh shots
	@sh scripts/screenshots.sh $(BUILD)

# Shell completions, printed by the binary from its own option tables.
COMPLETIONS := $(BUILD)/completions/rpi-cross $(BUILD)/completions/_rpi-cross \
	$(BUILD)/completions/rpi-cross.fish
BASHCOMPDIR ?= $(PREFIX)/share/bash-completion/completions
# zsh reads site-functions under /usr/local (and Homebrew's prefix), a
# distribution's own functions from /usr/share/zsh/vendor-completions.
ZSHCOMPDIR  ?= $(if $(filter /usr,$(PREFIX)),$(PREFIX)/share/zsh/vendor-completions,$(PREFIX)/share/zsh/site-functions)
FISHCOMPDIR ?= $(PREFIX)/share/fish/vendor_completions.d

$(BUILD)/completions/rpi-cross: $(BIN)
	@mkdir -p $(dir $@)
	$(BIN) completions bash >$@.tmp && mv $@.tmp $@
$(BUILD)/completions/_rpi-cross: $(BIN)
	@mkdir -p $(dir $@)
	$(BIN) completions zsh >$@.tmp && mv $@.tmp $@
$(BUILD)/completions/rpi-cross.fish: $(BIN)
	@mkdir -p $(dir $@)
	$(BIN) completions fish >$@.tmp && mv $@.tmp $@

.PHONY: completions
completions: $(COMPLETIONS)

check-man:
	mandoc -Tlint -W warning man/rpi-cross.1

install: all $(COMPLETIONS)
	$(INSTALL) -d $(DESTDIR)$(BINDIR) $(DESTDIR)$(MANDIR)/man1 \
		$(DESTDIR)$(DATADIR)/themes $(DESTDIR)$(BASHCOMPDIR) \
		$(DESTDIR)$(ZSHCOMPDIR) $(DESTDIR)$(FISHCOMPDIR)
	$(INSTALL) -m 755 $(BIN) $(DESTDIR)$(BINDIR)/rpi-cross
	rm -f $(DESTDIR)$(BINDIR)/cargo-rpi
	ln -s rpi-cross $(DESTDIR)$(BINDIR)/cargo-rpi
	$(INSTALL) -m 644 man/rpi-cross.1 $(DESTDIR)$(MANDIR)/man1/rpi-cross.1
	for t in themes/*.yaml; do [ -f "$$t" ] || continue; \
		$(INSTALL) -m 644 "$$t" $(DESTDIR)$(DATADIR)/themes/ || exit 1; done
	$(INSTALL) -m 644 $(BUILD)/completions/rpi-cross $(DESTDIR)$(BASHCOMPDIR)/rpi-cross
	$(INSTALL) -m 644 $(BUILD)/completions/_rpi-cross $(DESTDIR)$(ZSHCOMPDIR)/_rpi-cross
	$(INSTALL) -m 644 $(BUILD)/completions/rpi-cross.fish \
		$(DESTDIR)$(FISHCOMPDIR)/rpi-cross.fish

uninstall:
	rm -f $(DESTDIR)$(BINDIR)/rpi-cross $(DESTDIR)$(BINDIR)/cargo-rpi \
		$(DESTDIR)$(MANDIR)/man1/rpi-cross.1 \
		$(DESTDIR)$(BASHCOMPDIR)/rpi-cross $(DESTDIR)$(ZSHCOMPDIR)/_rpi-cross \
		$(DESTDIR)$(FISHCOMPDIR)/rpi-cross.fish
	rm -rf $(DESTDIR)$(DATADIR)

# The release tarball: HEAD as git archive sees it, plus the file VERSION
# (a tarball has no git history to describe), in $(BUILD)/.
DIST_VERSION = $(shell sh scripts/version.sh --archive)
DIST_NAME    = rpi-cross-$(DIST_VERSION)

dist:
	@if ! git diff --quiet HEAD 2>/dev/null; then \
		echo "make dist: uncommitted changes are left out (the tarball is HEAD)" >&2; fi
	@mkdir -p $(BUILD)/dist
	echo '$(DIST_VERSION)' >$(BUILD)/dist/VERSION
	git archive --format=tar --prefix=$(DIST_NAME)/ \
		--add-file=$(BUILD)/dist/VERSION -o $(BUILD)/$(DIST_NAME).tar HEAD
	gzip -n -9 -f $(BUILD)/$(DIST_NAME).tar
	@echo "$(BUILD)/$(DIST_NAME).tar.gz"

# The Debian package, built from a copy of the tree (scripts/deb.sh).
.PHONY: deb
deb:
	@sh scripts/deb.sh $(BUILD)

clean:
	rm -rf build build-asan

-include $(DEPS)

# libFuzzer target for the toml module (clang only): make fuzz FUZZ_SECONDS=60
FUZZ_CC      ?= clang
FUZZ_SECONDS ?= 60
FUZZ_SRC     := fuzz/toml_fuzz.c $(wildcard src/toml/*.c) src/base/strbuf.c \
	src/base/strvec.c \
	src/base/rpx.c
FUZZ_BIN     := $(BUILD)/fuzz/toml_fuzz

$(FUZZ_BIN): $(FUZZ_SRC) include/toml.h src/toml/toml_int.h
	@mkdir -p $(dir $@)
	$(FUZZ_CC) -std=c11 -g -O1 -fno-omit-frame-pointer \
		-fsanitize=fuzzer,address,undefined -fno-sanitize-recover=all \
		-D_XOPEN_SOURCE=700 $(OS_DEFS) -Iinclude -Isrc -o $@ $(FUZZ_SRC)

fuzz-build: $(FUZZ_BIN)

fuzz: $(FUZZ_BIN)
	@sh fuzz/run.sh $(BUILD) $(FUZZ_SECONDS)

.PHONY: fuzz fuzz-build
