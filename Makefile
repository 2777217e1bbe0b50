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

PKGS := libbpf json-c sqlite3 libmicrohttpd
CFLAGS ?= -O2 -g
CFLAGS += -std=gnu11 -Wall -Wextra -Werror -Wno-unused-parameter \
	  -Wmissing-prototypes -Wstrict-prototypes -D_GNU_SOURCE \
	  -Iinclude -Iuser -I$(OUT)
LDLIBS += $(shell $(PKG_CONFIG) --libs $(PKGS) 2>/dev/null || echo -lbpf -ljson-c -lsqlite3 -lmicrohttpd) -lelf -lz -pthread
TEST_LDLIBS := $(shell $(PKG_CONFIG) --libs cmocka 2>/dev/null || echo -lcmocka)

BPF_CFLAGS := -g -O2 -target bpf -D__TARGET_ARCH_$(ARCH) -Wall -Werror \
	      -Iinclude -Ibpf -I/usr/include/$(MULTIARCH)

# BPF programs: the server's XDP program, and the MAC-swap reflector used
# as the benchmark baseline, and the lab client side's pass-through.
BPF_SRCS := bpf/dhcpxdp.bpf.c tests/bpf/macswap.bpf.c tests/bpf/xdp_pass.bpf.c
BPF_OBJS := $(patsubst %.bpf.c,$(OUT)/%.bpf.o,$(notdir $(BPF_SRCS)))
SKELS := $(patsubst %.bpf.o,%.skel.h,$(BPF_OBJS))
BPF_HDRS := $(wildcard bpf/*.h) $(wildcard include/dhcpxdp/*.h)

# Userspace: every user/*.c except main.c goes into a static library that
# the binary and the unit tests link against.
USER_SRCS := $(filter-out user/main.c,$(wildcard user/*.c))
USER_OBJS := $(patsubst user/%.c,$(OUT)/user/%.o,$(USER_SRCS))
USER_HDRS := $(wildcard user/*.h) $(wildcard include/dhcpxdp/*.h)
LIB := $(OUT)/libdhcpxdp.a

UNIT_SRCS := $(wildcard tests/unit/test_*.c)
UNIT_BINS := $(patsubst tests/unit/%.c,$(OUT)/tests/unit/%,$(UNIT_SRCS))
BPF_TEST_SRCS := $(wildcard tests/bpf/test_*.c)
BPF_TEST_BINS := $(patsubst tests/bpf/%.c,$(OUT)/tests/bpf/%,$(BPF_TEST_SRCS))
BENCH_SRCS := $(wildcard tests/bench/bench_*.c)
BENCH_BINS := $(patsubst tests/bench/%.c,$(OUT)/tests/bench/%,$(BENCH_SRCS))
TEST_HELPERS := $(wildcard tests/lib/*.c)
XDP_ENV := tests/bpf/xdp_env.c

BIN := $(if $(wildcard user/main.c),$(OUT)/dhcpxdp)

.DELETE_ON_ERROR:
.PHONY: all deps test test-unit test-bpf fuzz bench clean demo install uninstall

all: $(BPF_OBJS) $(SKELS) $(LIB) $(BIN) $(UNIT_BINS) $(BPF_TEST_BINS) $(BENCH_BINS)

deps:
	$(Q)scripts/deps.sh

$(OUT) $(OUT)/user $(OUT)/tests/unit $(OUT)/tests/bpf $(OUT)/tests/bench:
	$(Q)mkdir -p $@

$(OUT)/%.bpf.o: bpf/%.bpf.c $(BPF_HDRS) | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(OUT)/%.bpf.o: tests/bpf/%.bpf.c $(BPF_HDRS) | $(OUT)
	$(call msg,BPF,$@)
	$(Q)$(CLANG) $(BPF_CFLAGS) -c $< -o $@.tmp
	$(Q)$(BPFTOOL) gen object $@ $@.tmp && rm -f $@.tmp

$(OUT)/%.skel.h: $(OUT)/%.bpf.o
	$(call msg,GEN-SKEL,$@)
	$(Q)$(BPFTOOL) gen skeleton $< > $@

# Objects that embed a skeleton must rebuild when the BPF object changes:
# the skeletons are real prerequisites, not order-only.
$(OUT)/user/%.o: user/%.c $(USER_HDRS) $(SKELS) | $(OUT)/user
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -c $< -o $@

$(LIB): $(USER_OBJS) | $(OUT)
	$(call msg,AR,$@)
	$(Q)rm -f $@ && ar rcs $@ $^

$(OUT)/dhcpxdp: user/main.c $(LIB) $(USER_HDRS) $(SKELS)
	$(call msg,LINK,$@)
	$(Q)$(CC) $(CFLAGS) $< $(LIB) $(LDLIBS) -o $@

$(OUT)/tests/unit/%: tests/unit/%.c $(LIB) $(USER_HDRS) $(TEST_HELPERS) | $(OUT)/tests/unit
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/lib $< $(TEST_HELPERS) $(LIB) $(LDLIBS) $(TEST_LDLIBS) -o $@

$(OUT)/tests/bpf/%: tests/bpf/%.c $(XDP_ENV) $(TEST_HELPERS) $(wildcard tests/bpf/*.h tests/lib/*.h) $(LIB) $(SKELS) | $(OUT)/tests/bpf
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/bpf -Itests/lib $< $(XDP_ENV) $(TEST_HELPERS) $(LIB) $(LDLIBS) $(TEST_LDLIBS) -o $@

$(OUT)/tests/bench/%: tests/bench/%.c $(XDP_ENV) $(TEST_HELPERS) $(wildcard tests/bpf/*.h tests/lib/*.h) $(LIB) $(SKELS) | $(OUT)/tests/bench
	$(call msg,CC,$@)
	$(Q)$(CC) $(CFLAGS) -Itests/bpf -Itests/lib $< $(XDP_ENV) $(TEST_HELPERS) $(LIB) $(LDLIBS) -o $@

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

# A longer fuzzing session than the one `make test` runs (15 s each):
# make fuzz FUZZ_SECONDS=600
fuzz: all
	$(Q)FUZZ_SECONDS=$${FUZZ_SECONDS:-300} tests/run.sh $(OUT) fuzz

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
# The example configuration becomes $(SYSCONFDIR)/dhcpxdp/dhcpxdp.json only
# when none exists; it is always in share/doc/dhcpxdp/examples. The systemd
# unit is installed when systemd/dhcpxdp.service exists, its paths rewritten
# for PREFIX and SYSCONFDIR. `make uninstall` keeps the configuration.
SYSCONFDIR ?= /etc
SBINDIR ?= $(PREFIX)/sbin
LIBDIR ?= $(PREFIX)/lib
MANDIR ?= $(PREFIX)/share/man
DOCDIR ?= $(PREFIX)/share/doc/dhcpxdp
SYSTEMDUNITDIR ?= $(PREFIX)/lib/systemd/system
MANPAGES := man/dhcpxdp.8 man/dhcpxdp.json.5
INSTALL ?= install

install: $(OUT)/dhcpxdp $(OUT)/dhcpxdp.bpf.o
	$(call msg,INSTALL,$(DESTDIR)$(PREFIX))
	$(Q)$(INSTALL) -D -m 0755 $(OUT)/dhcpxdp $(DESTDIR)$(SBINDIR)/dhcpxdp
	$(Q)$(INSTALL) -D -m 0644 $(OUT)/dhcpxdp.bpf.o \
		$(DESTDIR)$(LIBDIR)/dhcpxdp/dhcpxdp.bpf.o
	$(Q)$(INSTALL) -D -m 0644 man/dhcpxdp.8 $(DESTDIR)$(MANDIR)/man8/dhcpxdp.8
	$(Q)$(INSTALL) -D -m 0644 man/dhcpxdp.json.5 \
		$(DESTDIR)$(MANDIR)/man5/dhcpxdp.json.5
	$(Q)for f in examples/*.json; do \
		$(INSTALL) -D -m 0644 $$f $(DESTDIR)$(DOCDIR)/examples/$${f#examples/} || exit 1; \
	done
	$(Q)if [ ! -e $(DESTDIR)$(SYSCONFDIR)/dhcpxdp/dhcpxdp.json ]; then \
		$(INSTALL) -d -m 0755 $(DESTDIR)$(SYSCONFDIR)/dhcpxdp && \
		$(INSTALL) -m 0644 examples/dhcpxdp.json \
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

uninstall:
	$(call msg,UNINSTALL,$(DESTDIR)$(PREFIX))
	$(Q)rm -f $(DESTDIR)$(SBINDIR)/dhcpxdp \
		$(DESTDIR)$(LIBDIR)/dhcpxdp/dhcpxdp.bpf.o \
		$(DESTDIR)$(MANDIR)/man8/dhcpxdp.8 \
		$(DESTDIR)$(MANDIR)/man5/dhcpxdp.json.5 \
		$(DESTDIR)$(SYSTEMDUNITDIR)/dhcpxdp.service
	$(Q)rm -rf $(DESTDIR)$(DOCDIR)
	$(Q)rmdir $(DESTDIR)$(LIBDIR)/dhcpxdp 2>/dev/null || true
	$(Q)if [ -e $(DESTDIR)$(SYSCONFDIR)/dhcpxdp/dhcpxdp.json ]; then \
		echo "  kept $(DESTDIR)$(SYSCONFDIR)/dhcpxdp/dhcpxdp.json (remove it by hand)"; \
	fi
