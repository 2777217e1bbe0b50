// SPDX-License-Identifier: GPL-2.0 OR BSD-2-Clause
/*
 * Fuzzing the XDP program itself: generated and mutated frames through
 * the real compiled object with BPF_PROG_RUN (one run per frame: a
 * repeat would run again on the reply), against maps the daemon's code
 * filled (xdp_world.c). Each execution is checked:
 *
 *  - the verdict is XDP_TX or XDP_PASS (XDP_DROP only while a rate-limit
 *    configuration is set, XDP_ABORTED never);
 *  - XDP_PASS leaves the frame byte for byte as it came;
 *  - XDP_TX wrote a well-formed reply to the request (xdp_check.c);
 *  - and the daemon's engine, in the same state, gives the same reply
 *    (docs/design.md §8, tests/bpf/diff_path.h), for every XDP_TX: it
 *    costs about a third more time. With -m N only the first reply of
 *    each kind (message type, client kind, RFC 2131 §4.1 destination,
 *    VLAN, option 61) and one in N of the others are compared. The
 *    engine's lease-map changes are then applied as the daemon applies
 *    them.
 *
 * Frames come from a deterministic PRNG: a seed and an execution count
 * replay a run. Several processes share the work, each in namespaces of
 * its own with its own state and seed (the base seed + its number). A
 * finding stops its process and writes the frame and what replays it to
 * the crash directory. The frames recorded in tests/fuzz/findings/xdp
 * (-f) run in a process of their own besides.
 *
 * Usage: fuzz_xdp [-n EXECS] [-s SEED] [-j JOBS] [-o CRASH_DIR]
 *                 [-m SAMPLE] [-f FINDINGS_DIR] [-v]
 *        fuzz_xdp -s SEED -i IFACE -r FRAME     (replay one frame)
 * Exits 0, 1 on a finding, 2 on a usage error, 77 without root.
 */
#include <errno.h>
#include <stdarg.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include <dirent.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <linux/bpf.h>
#include <bpf/bpf.h>
#include <dhcpxdp/dhcp_wire.h>
#include <dhcpxdp/stats.h>
#include "engine/engine.h"
#include "kernel/map_sync.h"
#include "util/clock.h"
#include "wire/dhcp_msg.h"
#include "diff_path.h"
#include "xdp_env.h"
#include "xdp_fuzz.h"
#include "xdp_world.h"

#define OUT_CAP	  4096
#define POOL	  256 /* inputs answered, kept to mutate */
#define N_CLASS	  256
#define N_VERDICT 5
#define N_KNOWN	  8

struct opts {
	uint64_t execs, seed, sample;
	int jobs;
	const char *crash_dir, *replay, *findings;
	int iface;
	bool verbose;
};

/* What a process did, sent to the parent. */
struct tally {
	uint64_t runs, verdict[N_VERDICT], compared, classes;
	uint64_t known[N_KNOWN]; /* differences let pass, by known[] entry */
	uint64_t ns;
	uint64_t stats[DX_STAT_MAX]; /* the program's counters at the end */
	int failed;		     /* a finding, or the set-up failed (-1) */
	char what[512];		     /* the finding */
	char where[400];	     /* its files */
};

struct input {
	uint8_t f[XF_FRAME_MAX + 64];
	size_t len;
	uint8_t iface;
};

/* This binary as it was run, for the replay commands printed. */
static const char *self = "fuzz_xdp";

static const char *const stat_names[] = {
#define X(id, name, help) name,
	DX_STATS(X)
#undef X
};

static uint64_t mono_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000000000ULL + (uint64_t)ts.tv_nsec;
}

/* ---- XDP_DROP: only under a rate limit -------------------------------- */

/*
 * Whether a rate limit is on: the program's dx_limits map holding
 * anything but zeros (a rate of 0 turns a limit off). The fuzzer's
 * configuration turns them all off, so every XDP_DROP it sees is a
 * finding unless someone else filled that map.
 */
static bool rate_limit_set(int prog_fd)
{
	uint32_t ids[64], n = 64;
	struct bpf_prog_info pi = {.nr_map_ids = n,
				   .map_ids = (uint64_t)(uintptr_t)ids};
	uint32_t len = sizeof(pi);
	bool set = false;

	if (bpf_obj_get_info_by_fd(prog_fd, &pi, &len))
		return false;
	for (uint32_t i = 0; i < pi.nr_map_ids && i < n && !set; i++) {
		struct bpf_map_info mi = {0};
		struct dx_rate_limits rl;
		uint32_t mlen = sizeof(mi), key = 0;
		int fd = bpf_map_get_fd_by_id(ids[i]);

		if (fd < 0)
			continue;
		if (!bpf_obj_get_info_by_fd(fd, &mi, &mlen) &&
		    !strcmp(mi.name, DX_MAP_LIMITS) &&
		    mi.value_size == sizeof(rl) &&
		    !bpf_map_lookup_elem(fd, &key, &rl))
			for (int k = 0; k < DX_RATE_KINDS; k++)
				set |= rl.limit[k].rate != 0;
		close(fd);
	}
	return set;
}

/* ---- findings ------------------------------------------------------------- */

struct worker {
	const struct opts *o;
	struct xf_state st;
	uint64_t seed, iter;
	struct tally t;
	bool seen[N_CLASS];
	uint64_t tx_count;
	bool recorded; /* replaying tests/fuzz/findings/xdp: no tolerance */
	int last;      /* the last verdict */
};

static int write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "w");
	int ret = 0;

	if (!f)
		return -errno;
	if (fwrite(p, 1, n, f) != n)
		ret = -EIO;
	if (fclose(f) && !ret)
		ret = -errno;
	return ret;
}

static void mkdir_p(const char *dir)
{
	char p[256];

	snprintf(p, sizeof(p), "%s", dir);
	for (char *s = p + 1; *s; s++) {
		if (*s != '/')
			continue;
		*s = 0;
		mkdir(p, 0755);
		*s = '/';
	}
	mkdir(p, 0755);
}

/* Write the frame and how to replay it; the message goes to the tally. */
static void finding(struct worker *wk, const struct input *in, const char *kind,
		    const char *fmt, ...) __attribute__((format(printf, 4, 5)));
static void finding(struct worker *wk, const struct input *in, const char *kind,
		    const char *fmt, ...)
{
	const struct xf_iface *ifc = &wk->st.w.ifaces[in->iface];
	char path[300], txt[1400];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(wk->t.what, sizeof(wk->t.what), fmt, ap);
	va_end(ap);
	wk->t.failed = 1;
	if (wk->recorded) /* a replay: the frame is in a file already */
		return;
	snprintf(path, sizeof(path), "%s/fuzz_xdp-%s-%" PRIu64 "-%" PRIu64,
		 wk->o->crash_dir, kind, wk->seed, wk->iter);
	snprintf(txt, sizeof(txt),
		 "finding: %s\n"
		 "frame: %s (%zu bytes), arriving on %s (-i %u)\n"
		 "state seed: %" PRIu64 ", execution %" PRIu64 " of the run\n"
		 "replay the frame on a fresh state:\n"
		 "  %s -s %" PRIu64 " -i %u -r %s\n"
		 "replay the run (the state as it was):\n"
		 "  %s -j 1 -s %" PRIu64 " -n %" PRIu64 "\n",
		 wk->t.what, path, in->len, ifc->name, in->iface, wk->seed,
		 wk->iter, self, wk->seed, in->iface, path, self, wk->seed,
		 wk->iter + 1);
	mkdir_p(wk->o->crash_dir);
	if (write_file(path, in->f, in->len)) {
		snprintf(wk->t.where, sizeof(wk->t.where),
			 "(cannot write %s: %s)", path, strerror(errno));
		return;
	}
	strcat(path, ".txt");
	write_file(path, txt, strlen(txt));
	path[strlen(path) - 4] = 0;
	/* Cut short if the paths are long: the .txt says it all again. */
	if (snprintf(wk->t.where, sizeof(wk->t.where),
		     "%s (frame), %s.txt; replay: %s -s %" PRIu64
		     " -i %u -r %s",
		     path, path, self, wk->seed, in->iface,
		     path) >= (int)sizeof(wk->t.where))
		wk->t.where[sizeof(wk->t.where) - 1] = 0;
}

/* ---- one execution -------------------------------------------------------- */

static unsigned int class_of(const struct xf_reply_class *c, int kind)
{
	return (unsigned int)((c->type == DHCPACK) | (kind & 3) << 1 |
			      (c->to & 3) << 3 | c->tagged << 5 | c->cid << 6);
}

/* The replies compare_engine() read last: XDP's and the daemon's (when
 * dec_ok: both could be read). */
static struct diff_decision xdec, ddec;
static bool dec_ok;
/* The request in hand is priority-tagged (802.1Q, VLAN id 0). */
static bool prio_tagged;

/*
 * Findings recorded in tests/fuzz/findings/xdp/ and not fixed yet. The
 * recorded frames fail every run (replay_findings()); a difference of
 * the same shape met while fuzzing is counted and the run goes on, so
 * that it does not hide the next finding. Remove an entry with its fix.
 * None is open: the list holds only its end mark.
 */
struct known {
	const char *name;
	/* the frame and the daemon's answer have the finding's shape */
	bool (*matches)(const uint8_t *f, size_t len,
			const struct diff_daemon *dd);
};

static const struct known known[] = {
	{NULL, NULL}, /* end */
};

_Static_assert(sizeof(known) / sizeof(known[0]) <= N_KNOWN,
	       "N_KNOWN counters for known[]");

static const struct known *known_of(const struct input *in,
				    const struct diff_daemon *dd)
{
	for (size_t i = 0; known[i].name; i++)
		if (known[i].matches(in->f, in->len, dd))
			return &known[i];
	return NULL;
}

/* How the daemon's answer to a frame XDP answered differs from XDP's:
 * NULL when it does not, else the finding's text in why. */
static const char *difference(const struct diff_daemon *dd, const uint8_t *out,
			      size_t out_len, const uint8_t *dout, char *why,
			      size_t n)
{
	char w[200];

	dec_ok = false;
	if (dd->frame_in) {
		snprintf(why, n,
			 "XDP answered a frame the daemon refuses "
			 "(frame_in_parse %d)",
			 dd->frame_in);
		return why;
	}
	if (dd->decode) {
		snprintf(why, n,
			 "XDP answered a message the daemon cannot "
			 "decode (dhcp_msg_decode %d: %s)",
			 dd->decode, dhcp_msg_strerror(dd->decode));
		return why;
	}
	if (dd->res.action != ENGINE_REPLY) {
		snprintf(why, n, "XDP answered, the engine drops it (%s)",
			 engine_drop_reason_name(dd->res.drop_reason));
		return why;
	}
	if (!dd->reply_len) {
		snprintf(why, n,
			 "XDP answered, the daemon cannot build its "
			 "reply (%d)",
			 dd->build);
		return why;
	}
	if (diff_decision_of(out, out_len, &xdec, w, sizeof(w)) ||
	    diff_decision_of(dout, dd->reply_len, &ddec, w, sizeof(w))) {
		snprintf(why, n, "reading the replies: %s", w);
		return why;
	}
	dec_ok = true;
	/* A priority-tagged request (802.1Q, VLAN id 0) is untagged to
	 * both sides; XDP's reply keeps the tag and its priority, the
	 * daemon's has none, and 802.1Q makes a station that sends priority
	 * tags take untagged frames too (docs/design.md §8). */
	if (prio_tagged && xdec.hdr.vlan == 0 && ddec.hdr.vlan == -1)
		ddec.hdr.vlan = 0;
	if (!diff_same_decision(&xdec, &ddec, w, sizeof(w)))
		return NULL;
	snprintf(why, n, "XDP and the engine answer differently: %s", w);
	return why;
}

/* XDP answered `in` with `out`: the engine must answer alike. */
static int compare_engine(struct worker *wk, const struct input *in,
			  const uint8_t *out, size_t out_len)
{
	static struct diff_daemon dd;
	static uint8_t dout[OUT_CAP];
	const struct xf_iface *ifc = &wk->st.w.ifaces[in->iface];
	const struct known *k;
	char why[300];
	int ret;

	wk->t.compared++;
	diff_daemon_path(wk->st.eng, ifc->nets, ifc->n_nets, in->f, in->len,
			 now_wall(), &dd, dout, sizeof(dout));
	/* As the daemon does once the changes are durable. */
	ret = map_load_leases(&wk->st.obj, dd.res.ch.map, dd.res.ch.n_map,
			      now_wall(), now_boot_ns());
	if (ret) {
		finding(wk, in, "harness",
			"applying the engine's lease-map changes: %s",
			strerror(-ret));
		return -1;
	}
	prio_tagged = in->len >= 18 && in->f[12] == 0x81 && !in->f[13] &&
		      !(in->f[14] & 0x0f) && !in->f[15];
	if (!difference(&dd, out, out_len, dout, why, sizeof(why)))
		return 0;
	k = wk->recorded ? NULL : known_of(in, &dd);
	if (k) {
		wk->t.known[k - known]++;
		return 0;
	}
	finding(wk, in, "differ", "%s", why);
	return -1;
}

/* Run one frame and check what came back: the verdict, or -1 after a
 * finding. */
static int execute(struct worker *wk, const struct input *in, bool compare)
{
	static uint8_t out[OUT_CAP];
	const struct xf_iface *ifc = &wk->st.w.ifaces[in->iface];
	struct xf_reply_class cls;
	size_t out_len = sizeof(out);
	char why[300];
	unsigned int c;
	int v;

	v = xdp_run_on(wk->st.obj.prog_fd, ifc->ifindex, in->f, in->len, out,
		       &out_len);
	if (v < 0) {
		finding(wk, in, "harness", "BPF_PROG_RUN failed: %s%s",
			strerror(-v),
			v == -EINVAL ? " (kernels before 5.15 cannot set the "
				       "ingress interface)"
				     : "");
		return -1;
	}
	wk->t.runs++;
	wk->t.verdict[v < N_VERDICT ? v : XDP_ABORTED]++;
	wk->last = v;
	switch (v) {
	case XDP_PASS:
		if (out_len != in->len || memcmp(out, in->f, in->len)) {
			finding(wk, in, "pass-altered",
				"XDP_PASS with the "
				"frame altered (%zu bytes in, %zu out)",
				in->len, out_len);
			return -1;
		}
		return v;
	case XDP_DROP:
		if (rate_limit_set(wk->st.obj.prog_fd))
			return v;
		finding(wk, in, "drop",
			"XDP_DROP while no rate limit is "
			"configured");
		return -1;
	case XDP_TX:
		break;
	default:
		finding(wk, in, "aborted", "verdict %d (XDP_ABORTED is 0)", v);
		return -1;
	}
	if (xf_check_reply(in->f, in->len, out, out_len, ifc, &cls, why,
			   sizeof(why))) {
		finding(wk, in, "reply", "XDP_TX: %s", why);
		return -1;
	}
	/* chaddr, not the Ethernet source: a relay sends for the client */
	c = class_of(&cls, xf_client_kind(out + (cls.tagged ? 18 : 14) + 28 +
					  DHCP_OFF_CHADDR));
	if (!wk->seen[c]) {
		wk->seen[c] = true;
		wk->t.classes++;
		compare = true;
	}
	if (++wk->tx_count % wk->o->sample == 0)
		compare = true;
	if (compare && compare_engine(wk, in, out, out_len))
		return -1;
	return v;
}

/* ---- the run -------------------------------------------------------------- */

/* The next input: generated, the XDP table's malformed kind, random, or
 * a mutation of one of them or of an input XDP answered. */
static void next_input(struct xf_rng *r, const struct xf_world *w,
		       struct input *in, struct input *other,
		       const struct input *pool, size_t n_pool)
{
	uint32_t x = xf_below(r, 100);
	size_t cap = XF_FRAME_MAX;

	in->len = 0;
	if (x < 25) {
		in->len = xf_gen_valid(r, w, in->f, cap, &in->iface);
	} else if (x < 33) {
		in->len = xf_gen_malformed(r, w, in->f, cap, &in->iface);
	} else if (x < 37) {
		in->len = xf_gen_random(r, in->f, cap);
		in->iface = (uint8_t)xf_below(r, XF_IFACES);
	} else {
		if (n_pool && xf_pct(r, 40)) {
			*in = pool[xf_below(r, (uint32_t)n_pool)];
		} else if (xf_pct(r, 80)) {
			in->len = xf_gen_valid(r, w, in->f, cap, &in->iface);
		} else {
			in->len =
				xf_gen_malformed(r, w, in->f, cap, &in->iface);
		}
		other->len = xf_gen_valid(r, w, other->f, cap, &other->iface);
		if (in->len >= XF_FRAME_MIN)
			in->len = xf_mutate(r, in->f, in->len, cap, other->f,
					    other->len);
		if (xf_pct(r, 2))
			in->iface = (uint8_t)xf_below(r, XF_IFACES);
	}
	if (in->len < XF_FRAME_MIN) { /* the builder ran out of room */
		in->len = xf_gen_random(r, in->f, cap);
		in->iface = 0;
	}
}

static void run_worker(struct worker *wk)
{
	static struct input in, other, pool[POOL];
	size_t n_pool = 0;
	struct xf_rng r;
	uint64_t t0;
	int v;

	xf_rng_seed(&r, wk->seed);
	t0 = mono_ns();
	for (wk->iter = 0; wk->iter < wk->o->execs; wk->iter++) {
		next_input(&r, &wk->st.w, &in, &other, pool, n_pool);
		v = execute(wk, &in, false);
		if (wk->o->verbose)
			fprintf(stderr, "%" PRIu64 ": %zu bytes on %s: %d\n",
				wk->iter, in.len,
				wk->st.w.ifaces[in.iface].name, v);
		if (v < 0)
			break;
		/* what XDP answered is the best ground to mutate further */
		if (v == XDP_TX)
			pool[n_pool < POOL ? n_pool++ : xf_below(&r, POOL)] =
				in;
	}
	wk->t.ns = mono_ns() - t0;
	for (int i = 0; i < DX_STAT_MAX; i++)
		wk->t.stats[i] =
			xdp_stat_sum(wk->st.obj.stats_fd, (enum dx_stat)i);
}

/* A recorded frame `name` of dir, and where it arrives: the line "iface:
 * N" of name.txt (0 when absent). 0, or -1 when it cannot be read. */
static int read_recorded(const char *dir, const char *name, struct input *in)
{
	char path[512], line[128];
	FILE *f;

	snprintf(path, sizeof(path), "%s/%s", dir, name);
	f = fopen(path, "r");
	if (!f)
		return -1;
	in->len = fread(in->f, 1, sizeof(in->f), f);
	fclose(f);
	in->iface = 0;
	snprintf(path, sizeof(path), "%s/%s.txt", dir, name);
	f = fopen(path, "r");
	while (f && fgets(line, sizeof(line), f))
		if (!strncmp(line, "iface: ", 7))
			in->iface = (uint8_t)(atoi(line + 7) % XF_IFACES);
	if (f)
		fclose(f);
	return in->len < XF_FRAME_MIN ? -1 : 0;
}

/*
 * The frames recorded in DIR (tests/fuzz/findings/xdp): each `NAME`
 * with a `NAME.txt` whose line "iface: N" says where it arrives (0
 * when absent), run once with every check and the engine's comparison,
 * on a fresh state. A finding there fails the run, naming the file.
 */
static void replay_findings(struct worker *wk, const char *dir)
{
	static struct input in;
	struct dirent **names;
	int n = scandir(dir, &names, NULL, alphasort), open = 0;
	char what[sizeof(wk->t.what)] = "";
	size_t w = 0;

	wk->recorded = true;
	for (int i = 0; i < n; i++) {
		const char *name = names[i]->d_name;
		size_t nl = strlen(name);

		if (name[0] == '.' ||
		    (nl > 4 && !strcmp(name + nl - 4, ".txt")))
			continue;
		if (read_recorded(dir, name, &in))
			continue;
		wk->t.failed = 0;
		if (execute(wk, &in, true) >= 0)
			continue;
		open++;
		w += (size_t)snprintf(
			what + w, w < sizeof(what) ? sizeof(what) - w : 0,
			"    %s (-i %u): %s\n", name, in.iface, wk->t.what);
		if (w >= sizeof(what))
			w = sizeof(what);
	}
	for (int i = 0; i < n; i++)
		free(names[i]);
	if (n > 0)
		free(names);
	wk->t.failed = open ? 1 : 0;
	snprintf(wk->t.what, sizeof(wk->t.what), "%s", what);
	snprintf(wk->t.where, sizeof(wk->t.where),
		 "%d recorded in %s (see each NAME.txt); replay one: %s -s "
		 "%" PRIu64 " -i IFACE -r %s/NAME",
		 open, dir, self, wk->seed, dir);
}

/* ---- replay ----------------------------------------------------------- */

static int replay(const struct opts *o)
{
	static struct worker wk;
	static struct input in;
	uint64_t before[DX_STAT_MAX];
	char err[256] = "";
	FILE *f;
	int v, ret = 1;

	f = fopen(o->replay, "r");
	if (!f) {
		fprintf(stderr, "fuzz_xdp: %s: %s\n", o->replay,
			strerror(errno));
		return 2;
	}
	in.len = fread(in.f, 1, sizeof(in.f), f);
	fclose(f);
	if (in.len < XF_FRAME_MIN || o->iface < 0 || o->iface >= XF_IFACES) {
		fprintf(stderr,
			"fuzz_xdp: %s: %zu bytes, interface %d: need "
			"at least %d bytes and -i 0..%d\n",
			o->replay, in.len, o->iface, XF_FRAME_MIN,
			XF_IFACES - 1);
		return 2;
	}
	in.iface = (uint8_t)o->iface;
	wk.o = o;
	wk.seed = o->seed;
	wk.recorded = true; /* a replay tolerates no difference */
	if (xf_state_setup(&wk.st, o->seed, err, sizeof(err))) {
		fprintf(stderr, "fuzz_xdp: setting up the state: %s\n", err);
		goto out;
	}
	for (int s = 0; s < DX_STAT_MAX; s++)
		before[s] = xdp_stat_sum(wk.st.obj.stats_fd, (enum dx_stat)s);
	v = execute(&wk, &in, true);
	printf("%s (%zu bytes) on %s, seed %" PRIu64 ": verdict %d (1 DROP, "
	       "2 PASS, 3 TX)\n",
	       o->replay, in.len, wk.st.w.ifaces[in.iface].name, o->seed,
	       wk.last);
	for (int s = 0; s < DX_STAT_MAX; s++) {
		uint64_t now =
			xdp_stat_sum(wk.st.obj.stats_fd, (enum dx_stat)s);

		if (now != before[s])
			printf("  counter %s +%" PRIu64 "\n", stat_names[s],
			       now - before[s]);
	}
	if (v < 0) {
		printf("FINDING: %s\n", wk.t.what);
		goto out;
	}
	printf("checks passed%s\n",
	       v == XDP_TX ? " (reply well formed, the engine answers alike)"
			   : "");
	ret = 0;
out:
	xf_state_free(&wk.st);
	return ret;
}

/* ---- processes ---------------------------------------------------------- */

/* Process `id` runs `execs` executions from seed + id; id -1 replays
 * the recorded findings. */
static void worker_main(const struct opts *o, int id, uint64_t execs, int fd)
{
	static struct worker wk;
	struct opts mine = *o;
	char err[256] = "";

	mine.execs = execs;
	wk.o = &mine;
	wk.seed = o->seed + (uint64_t)(id < 0 ? 0 : id);
	if (xf_state_setup(&wk.st, wk.seed, err, sizeof(err))) {
		wk.t.failed = -1;
		snprintf(wk.t.what, sizeof(wk.t.what),
			 "setting up the state: %s", err);
	} else if (id < 0) {
		replay_findings(&wk, o->findings);
	} else {
		run_worker(&wk);
	}
	if (write(fd, &wk.t, sizeof(wk.t)) != sizeof(wk.t))
		_exit(3);
	xf_state_free(&wk.st);
	_exit(wk.t.failed ? 1 : 0);
}

static int usage(void)
{
	fprintf(stderr,
		"usage: fuzz_xdp [-n EXECS] [-s SEED] [-j JOBS] [-o CRASH_DIR] "
		"[-m SAMPLE] [-f FINDINGS_DIR] [-v]\n"
		"       fuzz_xdp -s SEED -i IFACE -r FRAME\n");
	return 2;
}

static int parse_opts(int argc, char **argv, struct opts *o)
{
	int c;

	o->execs = 1000000;
	o->seed =
		((uint64_t)time(NULL) ^ (uint64_t)getpid() << 16) & 0xffffffff;
	o->sample = 1;
	o->jobs = 2;
	o->crash_dir = "build/fuzz/crashes";
	o->iface = 0;
	while ((c = getopt(argc, argv, "n:s:j:o:m:i:r:f:v")) != -1) {
		switch (c) {
		case 'n':
			o->execs = strtoull(optarg, NULL, 0);
			break;
		case 's':
			o->seed = strtoull(optarg, NULL, 0);
			break;
		case 'j':
			o->jobs = atoi(optarg);
			break;
		case 'o':
			o->crash_dir = optarg;
			break;
		case 'm':
			o->sample = strtoull(optarg, NULL, 0);
			break;
		case 'i':
			o->iface = atoi(optarg);
			break;
		case 'r':
			o->replay = optarg;
			break;
		case 'f':
			o->findings = optarg;
			break;
		case 'v':
			o->verbose = true;
			break;
		default:
			return -1;
		}
	}
	if (optind != argc || o->jobs < 1 || o->jobs > 64 || !o->sample)
		return -1;
	return 0;
}

static void print_counters(const struct tally *sum)
{
	int col = 4;

	printf("    counters:");
	for (int i = 0; i < DX_STAT_MAX; i++) {
		char item[64];
		int n;

		if (!sum->stats[i])
			continue;
		n = snprintf(item, sizeof(item), " %s %" PRIu64, stat_names[i],
			     sum->stats[i]);
		if (col + n > 78) {
			printf("\n     ");
			col = 5;
		}
		printf("%s", item);
		col += n;
	}
	printf("\n");
}

/* One line per process that failed; 1 when any did. */
static int report_failures(const struct opts *o, const struct tally *t, int n)
{
	int failed = 0;

	for (int i = 0; i < n; i++) {
		if (!t[i].failed)
			continue;
		failed = 1;
		if (t[i].failed < 0)
			printf("[  FAILED  ] fuzz_xdp: process %d: %s\n", i,
			       t[i].what);
		else if (i == o->jobs)
			printf("[  FAILED  ] fuzz_xdp: recorded findings still "
			       "open:\n%s    %s\n",
			       t[i].what, t[i].where);
		else
			printf("[  FAILED  ] fuzz_xdp: seed %" PRIu64 ": %s\n"
			       "    %s\n",
			       o->seed + (uint64_t)i, t[i].what, t[i].where);
	}
	return failed;
}

int main(int argc, char **argv)
{
	static struct tally sum, t[65];
	struct opts o = {0};
	int fds[65], n;
	pid_t pids[65];
	uint64_t t0, ns;
	double rate;

	setvbuf(stdout, NULL, _IOLBF, 0);
	self = argv[0];
	if (parse_opts(argc, argv, &o))
		return usage();
	if (geteuid() != 0) {
		printf("fuzz_xdp: needs root (namespaces, bpffs, "
		       "BPF_PROG_RUN); "
		       "SKIPPING\n");
		return 77;
	}
	if (o.replay)
		return replay(&o);
	printf("[ RUN      ] fuzz_xdp (%" PRIu64 " executions, seed %" PRIu64
	       ", %d processes)\n",
	       o.execs, o.seed, o.jobs);
	/* the workers, and one more for the recorded findings */
	n = o.jobs + (o.findings ? 1 : 0);
	t0 = mono_ns();
	for (int i = 0; i < n; i++) {
		int p[2];
		uint64_t share = o.execs / (uint64_t)o.jobs +
				 ((uint64_t)i < o.execs % (uint64_t)o.jobs);

		if (pipe(p))
			return 2;
		pids[i] = fork();
		if (pids[i] < 0)
			return 2;
		if (!pids[i]) {
			close(p[0]);
			worker_main(&o, i < o.jobs ? i : -1, share, p[1]);
		}
		close(p[1]);
		fds[i] = p[0];
	}
	for (int i = 0; i < n; i++) {
		if (read(fds[i], &t[i], sizeof(t[i])) != sizeof(t[i])) {
			memset(&t[i], 0, sizeof(t[i]));
			t[i].failed = -1;
			snprintf(t[i].what, sizeof(t[i].what),
				 "died without reporting");
		}
		close(fds[i]);
		waitpid(pids[i], NULL, 0);
		if (i == o.jobs)
			continue;
		sum.runs += t[i].runs;
		sum.compared += t[i].compared;
		sum.classes += t[i].classes;
		for (int k = 0; k < N_KNOWN; k++)
			sum.known[k] += t[i].known[k];
		for (int v = 0; v < N_VERDICT; v++)
			sum.verdict[v] += t[i].verdict[v];
		for (int s = 0; s < DX_STAT_MAX; s++)
			sum.stats[s] += t[i].stats[s];
	}
	ns = mono_ns() - t0;
	rate = ns ? (double)sum.runs * 1e9 / (double)ns : 0;
	printf("    seeds %" PRIu64 "..%" PRIu64 ", %.1f s, %.0f/s: %" PRIu64
	       " XDP_TX, %" PRIu64 " XDP_PASS, %" PRIu64 " XDP_DROP, %" PRIu64
	       " XDP_ABORTED\n",
	       o.seed, o.seed + (uint64_t)o.jobs - 1, (double)ns / 1e9, rate,
	       sum.verdict[XDP_TX], sum.verdict[XDP_PASS],
	       sum.verdict[XDP_DROP], sum.verdict[XDP_ABORTED]);
	printf("    %" PRIu64 " replies compared with the engine's (%" PRIu64
	       " kinds",
	       sum.compared, sum.classes);
	if (o.sample > 1)
		printf(": the first of each, then 1 in %" PRIu64, o.sample);
	printf(")\n");
	for (size_t k = 0; known[k].name; k++)
		if (sum.known[k])
			printf("    %" PRIu64
			       " differences of the shape of the "
			       "open finding %s, let pass\n",
			       sum.known[k], known[k].name);
	print_counters(&sum);
	if (report_failures(&o, t, n))
		return 1;
	printf("[       OK ] fuzz_xdp: %" PRIu64 " runs, %.0f/s\n", sum.runs,
	       rate);
	return 0;
}
