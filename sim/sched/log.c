// SPDX-License-Identifier: GPL-2.0
/*
 * The event log and its hash, stable object ids, violations, results, and
 * the calls model threads and checkers make into the current execution.
 *
 * The log hash is the fidelity check: it covers only build-independent
 * facts (step numbers, tids, ops, per-run object ids, site basenames, user
 * text), never addresses or times.
 */
#include <errno.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

/* The checker names of shim reports (shorter than shim_report_name()'s). */
static const char *const report_names[SHIM_REPORT_NR] = {
	[SHIM_REPORT_WARN] = "WARN",
	[SHIM_REPORT_BUG] = "BUG",
	[SHIM_REPORT_KVM_BUG] = "KVM_BUG",
	[SHIM_REPORT_LOCKDEP] = "LOCKDEP",
	[SHIM_REPORT_SLAB] = "SLAB",
	[SHIM_REPORT_DEADLOCK] = "DEADLOCK",
};

/**
 * sim_op_name() - Printable name of a scheduling-point op or event kind.
 * @op: enum shim_op, optionally | SIM_EV_RESUME, or a SIM_EV_* value.
 *
 * Context: any.
 * Return: a static string.
 */
const char *sim_op_name(uint32_t op)
{
	if (op == SIM_EV_USER)
		return "log";
	if (op == SIM_EV_START)
		return "start";
	op &= ~(uint32_t)SIM_EV_RESUME;
	if (op < SHIM_OP_NR)
		return shim_op_name((enum shim_op)op);
	if (op >= 0x300 && op < 0x300 + SHIM_DECIDE_NR)
		return op == 0x300 ? "decide_alloc_fail" : "decide_signal";
	return "?";
}

/**
 * sim_report_kind_name() - Checker name recorded for a shim report.
 * @kind: the report kind.
 *
 * Context: any.
 * Return: a static string.
 */
const char *sim_report_kind_name(enum shim_report_kind kind)
{
	return (unsigned)kind < SHIM_REPORT_NR ? report_names[kind] : "REPORT";
}

static const char *const outcome_names[] = {
	[SIM_OK] = "ok", [SIM_VIOLATION] = "violation", [SIM_DEADLOCK] = "deadlock",
	[SIM_LIVELOCK] = "livelock", [SIM_STEP_BUDGET] = "step-budget",
	[SIM_DIVERGED] = "diverged", [SIM_PRUNED] = "pruned", [SIM_HANG] = "hang",
	[SIM_ERROR] = "error",
};

/**
 * sim_outcome_name() - Printable name of an execution outcome.
 * @o: the outcome.
 *
 * Context: any.
 * Return: a static string.
 */
const char *sim_outcome_name(enum sim_outcome o)
{
	return (unsigned)o < sizeof(outcome_names) / sizeof(outcome_names[0]) ?
		outcome_names[o] : "?";
}

/* ---- hashing ------------------------------------------------------------ */

#define FNV_PRIME 0x100000001b3ull

/* FNV-1a with 64-bit words as the unit: one multiply per field. */
static inline uint64_t fnv_u64(uint64_t h, uint64_t v)
{
	return (h ^ v) * FNV_PRIME;
}

static uint64_t fnv_str(const char *s)
{
	uint64_t h = SIM_FNV_OFFSET;

	for (; s && *s; s++) {
		h ^= (unsigned char)*s;
		h *= FNV_PRIME;
	}
	return h;
}

/*
 * A site's hash covers only its basename, so builds from different source
 * directories agree.  Sites are static strings: cache by address.
 */
struct site_cache_ent {
	const char *site;
	uint64_t h;
};
#define SITE_CACHE_BITS	10
static __thread struct site_cache_ent site_cache[1u << SITE_CACHE_BITS];

static uint64_t site_hash(const char *site)
{
	struct site_cache_ent *e;
	const char *b;

	if (!site)
		return 0;
	/* Site strings are packed: a multiplicative hash spreads neighbours. */
	e = &site_cache[((uintptr_t)site * 0x9e3779b97f4a7c15ull) >> (64 - SITE_CACHE_BITS)];
	if (e->site == site)
		return e->h;
	b = strrchr(site, '/');
	e->site = site;
	e->h = fnv_str(b ? b + 1 : site);
	return e->h;
}

/**
 * sim_log_event() - Append one event to the execution's log and hash.
 * @x: the execution.
 * @tid: the thread (-1: none).
 * @op: enum shim_op (| SIM_EV_RESUME) or SIM_EV_*.
 * @obj: per-run object id (0: none).
 * @site: static site string, or NULL.
 * @text: malloc'ed user text (consumed), or NULL.
 *
 * Canonical encoding of an event for the log hash: the words step, tid,
 * op, obj, fnv1a(site basename), fnv1a(text) (0 when absent), folded into
 * the running hash by FNV-1a over 64-bit words.
 *
 * Context: the execution's running thread.
 */
void sim_log_event(struct sim_exec *x, int tid, uint32_t op, uint32_t obj,
		   const char *site, char *text)
{
	sim_log_event_h(x, tid, op, obj, site, text, text ? fnv_str(text) : 0);
}

/*
 * sim_log_event_h() - sim_log_event() with the text's word given: @content
 * stands for the text in the hash, so a caller that can hash what it logs
 * more cheaply than by printing it (sim_log_hashed()) need not print it
 * unless the log is kept.
 */
void sim_log_event_h(struct sim_exec *x, int tid, uint32_t op, uint32_t obj,
		     const char *site, char *text, uint64_t content)
{
	uint64_t h = x->hash;

	if (x->o->no_event_hash && !x->o->keep_log) {
		free(text);
		return;
	}
	h = fnv_u64(h, x->step);
	h = fnv_u64(h, (uint64_t)(int64_t)tid);
	h = fnv_u64(h, op);
	h = fnv_u64(h, obj);
	h = fnv_u64(h, site_hash(site));
	h = fnv_u64(h, content);
	x->hash = h;
	if (!x->o->keep_log) {
		free(text);
		return;
	}
	if (x->nlog == x->caplog) {
		size_t nc = x->caplog ? 2 * x->caplog : 256;
		struct sim_event *nl = realloc(x->log, nc * sizeof(*nl));

		if (!nl) {
			free(text);
			return;
		}
		x->log = nl;
		x->caplog = nc;
	}
	x->log[x->nlog++] = (struct sim_event){
		.step = x->step, .tid = tid, .op = op, .obj = obj,
		.site = site, .text = text,
	};
}

/* ---- object ids --------------------------------------------------------- */

/**
 * sim_objmap_get() - The per-run id of an object, assigned at first sight.
 * @m: the map.
 * @p: the object (NULL: id 0).
 *
 * Context: the execution's running thread.
 * Return: the id (>= 1 for non-NULL).
 */
uint32_t sim_objmap_get(struct sim_objmap *m, const void *p)
{
	uint32_t i, mask;

	if (!p)
		return 0;
	if (2 * (m->n + 1) > m->cap) {
		struct sim_objmap nm = { .cap = m->cap ? 2 * m->cap : 256 };

		nm.key = calloc(nm.cap, sizeof(*nm.key));
		nm.val = calloc(nm.cap, sizeof(*nm.val));
		nm.used = calloc(nm.cap, sizeof(*nm.used));
		if (!nm.key || !nm.val || !nm.used)
			abort();
		for (uint32_t k = 0; k < m->n; k++) {
			uint32_t s = m->used[k];

			mask = nm.cap - 1;
			i = (uint32_t)(((uintptr_t)m->key[s] >> 4) * 0x9e3779b1u) & mask;
			while (nm.key[i])
				i = (i + 1) & mask;
			nm.key[i] = m->key[s];
			nm.val[i] = m->val[s];
			nm.used[nm.n++] = i;
		}
		free(m->key);
		free(m->val);
		free(m->used);
		*m = nm;
	}
	mask = m->cap - 1;
	/* The slot depends on the address, the id only on order of first sight. */
	i = (uint32_t)(((uintptr_t)p >> 4) * 0x9e3779b1u) & mask;
	while (m->key[i]) {
		if (m->key[i] == p)
			return m->val[i];
		i = (i + 1) & mask;
	}
	m->key[i] = p;
	m->val[i] = ++m->n;
	m->used[m->n - 1] = i;
	return m->n;
}

/**
 * sim_objmap_reset() - Forget all ids (cost proportional to the ids used).
 * @m: the map.
 *
 * Context: between executions.
 */
void sim_objmap_reset(struct sim_objmap *m)
{
	for (uint32_t k = 0; k < m->n; k++)
		m->key[m->used[k]] = NULL;
	m->n = 0;
}

/**
 * sim_objmap_free() - Free the map's memory.
 * @m: the map.
 *
 * Context: between executions.
 */
void sim_objmap_free(struct sim_objmap *m)
{
	free(m->key);
	free(m->val);
	free(m->used);
	memset(m, 0, sizeof(*m));
}

/* ---- violations --------------------------------------------------------- */

/**
 * sim_add_violation() - Record a violation in the execution's result.
 * @x: the execution.
 * @tid: the thread (-1: none).
 * @checker: checker name (copied).
 * @msg: malloc'ed message (consumed).
 * @site: site (copied), or NULL.
 *
 * Context: the execution's running thread or its caller.
 */
void sim_add_violation(struct sim_exec *x, int tid, const char *checker,
		       char *msg, const char *site)
{
	struct sim_result *r = x->r;
	struct sim_violation *v;

	if (x->o->ignore_checker && !strcmp(x->o->ignore_checker, checker)) {
		free(msg);
		return;
	}
	if (r->nv == x->cap_v) {
		size_t nc = x->cap_v ? 2 * x->cap_v : 4;

		v = realloc(r->v, nc * sizeof(*v));
		if (!v) {
			free(msg);
			return;
		}
		r->v = v;
		x->cap_v = nc;
	}
	r->v[r->nv++] = (struct sim_violation){
		.step = x->step, .tid = tid, .checker = strdup(checker),
		.msg = msg, .site = site ? strdup(site) : NULL,
	};
}

/**
 * sim_vfmt() - vasprintf() that returns the string.
 * @fmt: printf format.
 * @ap: arguments.
 *
 * Context: any.
 * Return: malloc'ed string or NULL.
 */
char *sim_vfmt(const char *fmt, va_list ap)
{
	char *s = NULL;

	if (vasprintf(&s, fmt, ap) < 0)
		return NULL;
	return s;
}

/**
 * sim_fmt() - asprintf() that returns the string.
 * @f: printf format.
 *
 * Context: any.
 * Return: malloc'ed string or NULL.
 */
char *sim_fmt(const char *f, ...)
{
	va_list ap;
	char *s;

	va_start(ap, f);
	s = sim_vfmt(f, ap);
	va_end(ap);
	return s;
}

/**
 * sim_result_free() - Free what a result owns and clear it.
 * @r: the result (may be zeroed).
 *
 * Context: any.
 */
void sim_result_free(struct sim_result *r)
{
	for (size_t i = 0; i < r->nv; i++) {
		free(r->v[i].checker);
		free(r->v[i].msg);
		free(r->v[i].site);
	}
	free(r->v);
	for (size_t i = 0; i < r->nlog; i++)
		free((char *)r->log[i].text);
	free(r->log);
	free(r->schedule);
	free(r->decisions);
	free(r->error);
	memset(r, 0, sizeof(*r));
}

/**
 * sim_event_format() - Format one event for people.
 * @e: the event.
 * @buf: output buffer.
 * @len: its size.
 *
 * Context: any.
 * Return: snprintf()'s return value.
 */
int sim_event_format(const struct sim_event *e, char *buf, size_t len)
{
	const char *b = e->site ? strrchr(e->site, '/') : NULL;

	if (e->op == SIM_EV_USER)
		return snprintf(buf, len, "%llu T%d %s", (unsigned long long)e->step,
				e->tid, e->text ?: "");
	return snprintf(buf, len, "%llu T%d %s%s #%u %s", (unsigned long long)e->step,
			e->tid, sim_op_name(e->op),
			(e->op & SIM_EV_RESUME) && e->op != SIM_EV_USER &&
			e->op != SIM_EV_START ? "(resume)" : "",
			e->obj, b ? b + 1 : e->site ?: "");
}

/**
 * sim_result_print() - Print a result for people.
 * @r: the result.
 * @f: the stream.
 *
 * Context: any.
 */
void sim_result_print(const struct sim_result *r, FILE *f)
{
	char buf[512];

	fprintf(f, "outcome %s, %llu steps, %zu decisions, %u preemptions, hash %016llx\n",
		sim_outcome_name(r->outcome), (unsigned long long)r->steps,
		r->ndecisions, r->npreemptions, (unsigned long long)r->hash);
	if (r->error)
		fprintf(f, "error: %s\n", r->error);
	for (size_t i = 0; i < r->nv; i++)
		fprintf(f, "violation at step %llu T%d %s: %s (%s)\n",
			(unsigned long long)r->v[i].step, r->v[i].tid, r->v[i].checker,
			r->v[i].msg ?: "", r->v[i].site ?: "");
	if (r->schedule)
		fprintf(f, "schedule %s\n", r->schedule);
	for (size_t i = 0; i < r->nlog; i++) {
		sim_event_format(&r->log[i], buf, sizeof(buf));
		fprintf(f, "  %s\n", buf);
	}
}

/* ---- calls from inside an execution ----------------------------------- */

/**
 * sim_violation() - Record a violation found by @checker at the current step.
 * @checker: short checker name ("stale-mapping", ...).
 * @fmt: printf format of the message.
 *
 * Context: inside an execution (model thread or check()); outside one the
 * message goes to stderr.
 */
void sim_violation(const char *checker, const char *fmt, ...)
{
	struct sim_exec *x = sim_cur_exec();
	va_list ap;
	char *m;

	va_start(ap, fmt);
	m = sim_vfmt(fmt, ap);
	va_end(ap);
	if (!x) {
		if (sim_free_violation(checker, m))
			return;
		fprintf(stderr, "violation (%s): %s\n", checker, m ? m : "");
		free(m);
		return;
	}
	sim_add_violation(x, x->cur ? x->cur->tid : -1, checker, m,
		      x->cur ? x->cur->pend.site : NULL);
}

/**
 * sim_log() - Append an upper-layer event to the log and its hash.
 * @fmt: printf format.
 *
 * Context: inside an execution; a no-op outside one.
 */
void sim_log(const char *fmt, ...)
{
	struct sim_exec *x = sim_cur_exec();
	va_list ap;
	char *m;

	if (!x)
		return;
	va_start(ap, fmt);
	m = sim_vfmt(fmt, ap);
	va_end(ap);
	sim_log_event(x, x->cur ? x->cur->tid : -1, SIM_EV_USER, 0, NULL, m);
}

/**
 * sim_log_kept() - Is the running execution keeping its event log?
 *
 * Context: any.  Return: true when events' texts are kept.
 */
bool sim_log_kept(void)
{
	struct sim_exec *x = sim_cur_exec();

	return x && x->o->keep_log;
}

/**
 * sim_log_hashed() - Append a user event whose hash word is @content.
 * @content: a hash of everything the text would say (never 0 for "none").
 * @fmt: printf format of the text, formatted only when the log is kept.
 *
 * The hash of the run is the same whether or not the log is kept, so a
 * replay with --keep-log agrees with the exploration that found it.
 *
 * Context: the execution's running thread.
 */
void sim_log_hashed(uint64_t content, const char *fmt, ...)
{
	struct sim_exec *x = sim_cur_exec();
	va_list ap;
	char *m = NULL;

	if (!x)
		return;
	if (x->o->keep_log) {
		va_start(ap, fmt);
		m = sim_vfmt(fmt, ap);
		va_end(ap);
	}
	sim_log_event_h(x, x->cur ? x->cur->tid : -1, SIM_EV_USER, 0, NULL, m, content);
}

/**
 * sim_current_tid() - The running model thread.
 *
 * Context: any.
 * Return: its tid, or -1 outside model threads.
 */
int sim_current_tid(void)
{
	struct sim_exec *x = sim_cur_exec();

	return x && x->cur ? x->cur->tid : -1;
}

/**
 * sim_current_step() - The current step number.
 *
 * Context: any.
 * Return: the step, or 0 outside an execution.
 */
uint64_t sim_current_step(void)
{
	struct sim_exec *x = sim_cur_exec();

	return x ? x->step : 0;
}

/**
 * sim_obj_id() - The stable per-run id of an object.
 * @obj: the object's address.
 *
 * Context: inside an execution.
 * Return: id >= 1 (assigned at first sight), 0 for NULL or outside a run.
 */
uint32_t sim_obj_id(const void *obj)
{
	struct sim_exec *x = sim_cur_exec();

	return x ? sim_objmap_get(&x->w->objs, obj) : 0;
}
