# SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
# dhcpxdp build. `make` builds everything, `make test` runs unit and BPF
# tests, `make deps` installs the Debian packages. Quiet unless V=1.

OUT ?= build
CC ?= gcc
CLANG ?= clang
BPFTOOL ?= bpftool
PKG_CONFIG ?= pkg-config
PREFIX ?= /usr/local

ARCH := $(shell uname -m | sed -e 's/x86_64/x86/' -e 's/aarch64/arm64/')
MULTIARCH := $(shell $(CC) -print-multiarch 2>/dev/null)

ifeq ($(V),1)
Q :=
msg = @true
else
Q := @
msg = @printf '  %-8s %s\n' "$(1)" "$(2)";
endif

PKGS := libbpf json-c sqlite3 libmicrohttpd gnutls libpq libmariadb
# CFLAGS is the user's (optimisation, debugging, sanitizers): a command-line
# `make CFLAGS='-O1 -g -fsanitize=address,undefined'` replaces it and still
# builds, because the include paths, warnings and dependency flags live in
# their own variables.
CFLAGS ?= -O2 -g
WARNINGS := -Wall -Wextra -Werror -Wno-unused-parameter \
	    -Wmissing-prototypes -Wstrict-prototypes
INCLUDES := -Iinclude -Iuser -I$(OUT) $(shell $(PKG_CONFIG) --cflags-only-I libpq 2>/dev/null || echo -I/usr/include/postgresql) \
	    $(shell $(PKG_CONFIG) --cflags-only-I libmariadb 2>/dev/null || echo -I/usr/include/mariadb)
DEPFLAGS = -MMD -MP -MF $(@:%=%.d)
ALL_CFLAGS = -std=gnu11 -D_GNU_SOURCE $(INCLUDES) $(WARNINGS) $(CFLAGS) $(DEPFLAGS)
# The compiler and CFLAGS of the last build: when they change, everything
# is compiled again (make alone would keep objects built with the old ones).
FLAGS_FILE := $(OUT)/.flags
BUILD_FLAGS := $(CC) $(CFLAGS)
ifneq ($(BUILD_FLAGS),$(file <$(FLAGS_FILE)))
$(shell mkdir -p $(OUT))
$(file >$(FLAGS_FILE),$(BUILD_FLAGS))
endif
LDLIBS += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo -lbpf -ljson-c -lsqlite3 -lmicrohttpd -lgnutls -lpq -lmariadb) -lelf -lz -pthread
TEST_LDLIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	      -Iinclude -Ibpf -I/usr/include/$(MULTIARCH)

# BPF programs: the server's XDP program; the MAC-swap reflector used as
# the benchmark baseline and the lease-read floor measured next to it;
# the lab client side's pass-through.
BPF_SRCS := bpf/dhcpxdp.bpf.c tests/bpf/macswap.bpf.c tests/bpf/lease_read.bpf.c \
	    tests/bpf/xdp_pass.bpf.c
BPF_OBJS := $(patsubst %.bpf.c,$(OUT)/%.bpf.o,$(notdir $(BPF_SRCS)))
SKELS := $(patsubst %.bpf.o,%.skel.h,$(BPF_OBJS))

# Userspace: user/ROLE/*.c (README.md, "Layout"). Everything but the CLI's
# main.c goes into a static library that the binary, the tests and the
# benchmarks link against.
MAIN_SRC := user/cli/main.c
USER_SRCS := $(filter-out $(MAIN_SRC),$(wildcard user/*/*.c))
USER_OBJS := $(patsubst %.c,$(OUT)/%.o,$(USER_SRCS))
LIB := $(OUT)/libdhcpxdp.a

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst %.c,$(OUT)/%,$(UNIT_SRCS))
BPF_TEST_SRCS := $(wildcard tests/bpf/test_*.c)
BPF_TEST_BINS := $(patsubst %.c,$(OUT)/%,$(BPF_TEST_SRCS))
BENCH_SRCS := $(wildcard tests/bench/bench_*.c)
BENCH_BINS := $(patsubst %.c,$(OUT)/%,$(BENCH_SRCS))
# The load generator (docs/benchmarks.md): tests/bench/loadgen/lg_*.c
# into one binary. Its pure parts (wire, client state machine, figures)
# are linked into the unit tests named test_loadgen_*; it frames its
# requests with tests/lib/frame.c.
LOADGEN_SRCS := $(wildcard tests/bench/loadgen/lg_*.c)
LOADGEN_OBJS := $(patsubst %.c,$(OUT)/%.o,$(LOADGEN_SRCS))
LOADGEN_PURE_OBJS := $(patsubst %,$(OUT)/tests/bench/loadgen/lg_%.o,msg client stats flood)
LOADGEN := $(OUT)/tests/bench/dhcpxdp-loadgen
# A measurement aid for the slow-path bench: fsync made free (no_fsync.c).
NO_FSYNC := $(OUT)/tests/bench/no_fsync.so
LOADGEN_UNIT_BINS := $(filter $(OUT)/tests/unit/test_loadgen_%,$(UNIT_BINS))
TEST_HELPERS := $(wildcard tests/lib/*.c)
TEST_HELPER_OBJS := $(patsubst %.c,$(OUT)/%.o,$(TEST_HELPERS))
XDP_ENV_OBJ := $(OUT)/tests/bpf/xdp_env.o
# The BPF tests' own helpers: tests/bpf/*.c but the tests, xdp_env.c and the
# BPF programs. Most use cmocka, so only the BPF tests link them (the XDP
# fuzzer links diff_path.o, which does not).
BPF_TEST_HELPERS := $(filter-out tests/bpf/test_%.c tests/bpf/%.bpf.c \
			tests/bpf/xdp_env.c,$(wildcard tests/bpf/*.c))
BPF_TEST_HELPER_OBJS := $(patsubst %.c,$(OUT)/%.o,$(BPF_TEST_HELPERS))

# The XDP fuzzer (tests/fuzz/README.md): a plain binary, no libFuzzer,
# linked like the BPF tests but with the cmocka-free differential core.
FUZZ_XDP_SRCS := tests/fuzz/fuzz_xdp.c tests/fuzz/xdp_gen.c \
		 tests/fuzz/xdp_check.c tests/fuzz/xdp_world.c
FUZZ_XDP_OBJS := $(patsubst %.c,$(OUT)/%.o,$(FUZZ_XDP_SRCS))
FUZZ_XDP := $(OUT)/tests/fuzz/fuzz_xdp

BIN := $(OUT)/dhcpxdp

.DELETE_ON_ERROR:
# Test helpers, xdp_env and the BPF tests' helpers are objects of their own,
# kept between builds.
.SECONDARY:
.PHONY: all deps test test-unit test-bpf check-layout fuzz bench clean demo install uninstall

all: $(BPF_OBJS) $(SKELS) $(LIB) $(BIN) $(UNIT_BINS) $(BPF_TEST_BINS) $(BENCH_BINS) \
     $(FUZZ_XDP) $(LOADGEN) $(NO_FSYNC)

deps:
	$(Q)scripts/deps.sh

$(OUT)/%.bpf.o: bpf/%.bpf.c $(wildcard bpf/*.h include/dhcpxdp/*.h)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(OUT)/%.bpf.o: tests/bpf/%.bpf.c $(wildcard bpf/*.h include/dhcpxdp/*.h)
	$(call msg,BPF,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# Only the objects that embed a skeleton depend on it (the .d files cover
# every other header once an object has been built).
$(OUT)/user/kernel/bpf_obj.o: $(OUT)/dhcpxdp.skel.h
$(XDP_ENV_OBJ) $(OUT)/tests/bpf/xdp_table.o $(OUT)/tests/bpf/test_bpf_obj: $(OUT)/dhcpxdp.skel.h
$(OUT)/tests/bench/bench_xdp $(OUT)/tests/bench/bench_fastpath: $(SKELS)

$(OUT)/%.o: %.c $(FLAGS_FILE)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -c $< -o $@

$(LIB): $(USER_OBJS)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(BIN): $(OUT)/user/cli/main.o $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $(OUT)/user/cli/main.o $(LIB) $(LDLIBS) -o $@

$(OUT)/tests/unit/%: tests/unit/%.c $(TEST_HELPER_OBJS) $(LIB)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/lib $(UNIT_EXTRA_CFLAGS) $< $(UNIT_EXTRA_OBJS) $(TEST_HELPER_OBJS) $(LIB) $(LDLIBS) $(TEST_LDLIBS) -o $@

$(LOADGEN_UNIT_BINS): $(LOADGEN_PURE_OBJS)
$(LOADGEN_UNIT_BINS): UNIT_EXTRA_OBJS := $(LOADGEN_PURE_OBJS)
$(LOADGEN_UNIT_BINS): UNIT_EXTRA_CFLAGS := -Itests/bench/loadgen

$(NO_FSYNC): tests/bench/no_fsync.c
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(CFLAGS) -shared -fPIC $< -o $@

$(LOADGEN): $(LOADGEN_OBJS) $(OUT)/tests/lib/frame.o $(OUT)/tests/lib/netif.o
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ -o $@
$(LOADGEN_OBJS): ALL_CFLAGS += -Itests/lib

$(OUT)/tests/bpf/%: tests/bpf/%.c $(XDP_ENV_OBJ) $(BPF_TEST_HELPER_OBJS) $(TEST_HELPER_OBJS) $(LIB)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/bpf -Itests/lib $< $(XDP_ENV_OBJ) $(BPF_TEST_HELPER_OBJS) $(TEST_HELPER_OBJS) $(LIB) $(LDLIBS) $(TEST_LDLIBS) -o $@

$(OUT)/tests/bench/%: tests/bench/%.c $(XDP_ENV_OBJ) $(TEST_HELPER_OBJS) $(LIB)
	$(call msg,CC,$@)
	$(Q)mkdir -p $(@D)
	$(Q)$(CC) $(ALL_CFLAGS) -Itests/bpf -Itests/lib $< $(XDP_ENV_OBJ) $(TEST_HELPER_OBJS) $(LIB) $(LDLIBS) -o $@

$(FUZZ_XDP): $(FUZZ_XDP_OBJS) $(XDP_ENV_OBJ) $(OUT)/tests/bpf/diff_path.o $(TEST_HELPER_OBJS) $(LIB)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $^ $(LDLIBS) -o $@

$(XDP_ENV_OBJ) $(BPF_TEST_HELPER_OBJS): ALL_CFLAGS += -Itests/bpf -Itests/lib
$(FUZZ_XDP_OBJS): ALL_CFLAGS += -Itests/bpf -Itests/lib -Itests/fuzz

-include $(shell find $(OUT) -name '*.d' 2>/dev/null)

# The test and bench targets install what they need first (idempotent;
# apt is only touched when a package is missing), then build.
test:
	$(Q)scripts/deps.sh test
	$(Q)$(MAKE) --no-print-directory all
	$(Q)tests/run.sh $(OUT)

test-unit: all
	$(Q)tests/run.sh $(OUT) unit

test-bpf: all
	$(Q)tests/run.sh $(OUT) bpf

# A longer fuzzing run than the one `make test` runs (15 s per libFuzzer
# fuzzer, 10^6 executions of the XDP fuzzer):
# make fuzz FUZZ_SECONDS=600 FUZZ_XDP_EXECS=100000000
fuzz: all
	$(Q)FUZZ_SECONDS=$${FUZZ_SECONDS:-300} \
		FUZZ_XDP_EXECS=$${FUZZ_XDP_EXECS:-10000000} tests/run.sh $(OUT) fuzz

bench:
	$(Q)scripts/deps.sh bench
	$(Q)$(MAKE) --no-print-directory all
	$(Q)scripts/bench.sh $(OUT)

clean:
	$(call msg,CLEAN,$(OUT))
	$(Q)rm -rf $(OUT)

# The README's first command: installs, builds, runs a lab end to end.
demo:
	$(Q)scripts/demo.sh

# ---- install ---------------------------------------------------------------
# `make install [PREFIX=/usr/local] [DESTDIR=]`. The binary embeds its BPF
# object; the copy under lib/dhcpxdp is for inspection (bpftool, llvm-objdump).
# $(SYSCONFDIR)/dhcpxdp/dhcpxdp.json, only when none exists, is
# examples/empty.json: it serves nothing until edited (an install never
# starts answering DHCP by surprise). The examples and docs/ go to DOCDIR;
# the man pages' paths are rewritten for PREFIX, SYSCONFDIR and DOCDIR,
# and their references into docs/ point there. The systemd
# unit is installed when systemd/dhcpxdp.service exists, its paths rewritten
# for PREFIX and SYSCONFDIR. The unit runs the daemon as the system user
# dhcpxdp: systemd/dhcpxdp.sysusers goes to SYSUSERSDIR and, on this
# machine as root (not a staged DESTDIR install), scripts/add-user.sh
# creates the user and hands it /var/lib/dhcpxdp. The Grafana dashboard
# goes to DATADIR/dhcpxdp/grafana (docs/metrics.md). `make uninstall` keeps
# the configuration and the user.
SYSCONFDIR ?= /etc
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/dhcpxdp
DATADIR ?= $(PREFIX)/share
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
SYSUSERSDIR ?= $(PREFIX)/lib/sysusers.d
MANPAGES := man/dhcpxdp.8 man/dhcpxdp.json.5
# The man pages are written for PREFIX=/usr/local: the most specific
# paths first, then the rest of /usr/local, /etc and the docs/ folder.
MAN_PATHS := -e 's|/usr/local/lib/systemd/system|$(SYSTEMDUNITDIR)|g' \
	-e 's|/usr/local/lib/sysusers.d|$(SYSUSERSDIR)|g' \
	-e 's|/usr/local/share/doc/dhcpxdp|$(DOCDIR)|g' \
	-e 's|/usr/local/share/man|$(MANDIR)|g' \
	-e 's|/usr/local/lib|$(LIBDIR)|g' \
	-e 's|/usr/local/sbin|$(SBINDIR)|g' \
	-e 's|/etc/dhcpxdp|$(SYSCONFDIR)/dhcpxdp|g' \
	-e 's,\(^\|[ (]\)docs/,\1$(DOCDIR)/,g'
INSTALL ?= install

install: $(OUT)/dhcpxdp $(OUT)/dhcpxdp.bpf.o
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -D -m 0755 $(OUT)/dhcpxdp $(DESTDIR)$(SBINDIR)/dhcpxdp
	$(Q)$(INSTALL) -D -m 0644 $(OUT)/dhcpxdp.bpf.o \
		$(DESTDIR)$(LIBDIR)/dhcpxdp/dhcpxdp.bpf.o
	$(Q)for m in $(MANPAGES); do \
		d=$(DESTDIR)$(MANDIR)/man$${m##*.}; \
		$(INSTALL) -d -m 0755 $$d && \
		sed $(MAN_PATHS) $$m >$$d/$${m#man/} && \
		chmod 0644 $$d/$${m#man/} || exit 1; \
	done
	$(Q)for f in examples/*.json; do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/examples/$${f#examples/} || exit 1; \
	done
	$(Q)for f in docs/*.md README.md; do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/$${f#docs/} || exit 1; \
	done
	$(Q)$(INSTALL) -D -m 0644 contrib/grafana/dhcpxdp.json \
		$(DESTDIR)$(DATADIR)/dhcpxdp/grafana/dhcpxdp.json
	$(Q)if [ ! -e $(DESTDIR)$(SYSCONFDIR)/dhcpxdp/dhcpxdp.json ]; then \
		$(INSTALL) -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/dhcpxdp && \
		$(INSTALL) -m 0644 examples/empty.json \
			$(DESTDIR)$(SYSCONFDIR)/dhcpxdp/dhcpxdp.json; \
	else \
		echo "  keeping $(DESTDIR)$(SYSCONFDIR)/dhcpxdp/dhcpxdp.json"; \
	fi
	$(Q)if [ -f systemd/dhcpxdp.service ]; then \
		$(INSTALL) -d -m 0755 $(DESTDIR)$(SYSTEMDUNITDIR) && \
		sed -e 's|/usr/local/sbin/dhcpxdp|$(SBINDIR)/dhcpxdp|g' \
		    -e 's|/etc/dhcpxdp/|$(SYSCONFDIR)/dhcpxdp/|g' \
		    systemd/dhcpxdp.service >$(DESTDIR)$(SYSTEMDUNITDIR)/dhcpxdp.service && \
		chmod 0644 $(DESTDIR)$(SYSTEMDUNITDIR)/dhcpxdp.service; \
	fi
	$(Q)$(INSTALL) -D -m 0644 systemd/dhcpxdp.sysusers \
		$(DESTDIR)$(SYSUSERSDIR)/dhcpxdp.conf
	$(Q)DESTDIR='$(DESTDIR)' scripts/add-user.sh \
		$(DESTDIR)$(SYSUSERSDIR)/dhcpxdp.conf

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/dhcpxdp \
		$(DESTDIR)$(LIBDIR)/dhcpxdp/dhcpxdp.bpf.o \
		$(DESTDIR)$(MANDIR)/man8/dhcpxdp.8 \
		$(DESTDIR)$(MANDIR)/man5/dhcpxdp.json.5 \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dhcpxdp.service \
		$(DESTDIR)$(SYSUSERSDIR)/dhcpxdp.conf \
		$(DESTDIR)$(DATADIR)/dhcpxdp/grafana/dhcpxdp.json
	$(Q)rm -rf $(DESTDIR)$(DOCDIR)
	$(Q)rmdir $(DESTDIR)$(LIBDIR)/dhcpxdp 2>/dev/null || true
	$(Q)rmdir $(DESTDIR)$(DATADIR)/dhcpxdp/grafana \
		$(DESTDIR)$(DATADIR)/dhcpxdp 2>/dev/null || true
	$(Q)if [ -e $(DESTDIR)$(SYSCONFDIR)/dhcpxdp/dhcpxdp.json ]; then \
		echo "  kept $(DESTDIR)$(SYSCONFDIR)/dhcpxdp/dhcpxdp.json (remove it by hand)"; \
	fi
