// SPDX-License-Identifier: GPL-2.0
/*
 * Random well-formed traces (see trace_gen.h).  The generator builds the IR
 * directly rather than text, so the printer is tested on shapes nobody
 * writes by hand: unknown flag bits, huge numbers, every expectation kind,
 * thread-local handles, empty sections.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "trace_gen.h"

uint64_t trace_rng_next(struct trace_rng *r)
{
	/* xorshift64*: small, and the same on every platform. */
	r->s ^= r->s >> 12;
	r->s ^= r->s << 25;
	r->s ^= r->s >> 27;
	return r->s * 0x2545F4914F6CDD1Dull;
}

uint64_t trace_rng_below(struct trace_rng *r, uint64_t n)
{
	return trace_rng_next(r) % n;
}

static bool coin(struct trace_rng *r)
{
	return trace_rng_next(r) & 1;
}

static uint64_t rand_value(struct trace_rng *r, enum trace_const_class cls)
{
	static const uint64_t sizes[] = { 1, 4096, 8192, 2 << 20, 1ull << 30, 1ull << 40, 0x1800 };
	uint64_t v;
	int i;

	switch (trace_rng_below(r, 6)) {
	case 0:
		return 0;
	case 1:
		return trace_rng_below(r, 16);
	case 2:
		return sizes[trace_rng_below(r, sizeof(sizes) / sizeof(sizes[0]))] *
		       (1 + trace_rng_below(r, 4));
	case 3:
		return trace_rng_next(r);
	case 4:
		return 0x80000000ull + trace_rng_below(r, 1 << 20) * 4096;
	default:
		/* A few named constants of the family, maybe with a stray bit. */
		v = 0;
		for (i = 0; i < 64; i++) {
			if (trace_const_name(cls, i) && !trace_const_is_flags(cls) && coin(r))
				return i;
			if (trace_const_name(cls, 1ull << i) && coin(r))
				v |= 1ull << i;
		}
		if (trace_rng_below(r, 4) == 0)
			v |= 1ull << trace_rng_below(r, 64);
		return v;
	}
}

static const int errnos[] = { 1, 4, 11, 12, 14, 16, 17, 22, 28, 29, 95, 133, 524 };

static void rand_alt(struct trace_rng *r, const struct trace_op_info *oi,
		     struct trace_expect_alt *a)
{
	memset(a, 0, sizeof(*a));
	switch (trace_rng_below(r, 5)) {
	case 0:
		a->kind = TRES_OK;
		if (oi->reads_value && coin(r)) {
			a->has_value = true;
			a->value = coin(r) ? TRACE_VALUE_MIXED : (int)trace_rng_below(r, 256);
		} else if (!oi->reads_value && coin(r)) {
			a->has_ret = true;
			a->ret = coin(r) ? (int64_t)trace_rng_below(r, 100) :
					   (int64_t)(trace_rng_next(r) >> 1);
		}
		break;
	case 1:
		a->kind = TRES_ERRNO;
		if (trace_rng_below(r, 4)) {
			a->has_err = true;
			a->err = errnos[trace_rng_below(r, sizeof(errnos) / sizeof(errnos[0]))];
		}
		break;
	case 2:
		a->kind = TRES_EXIT;
		if (trace_rng_below(r, 4)) {
			a->has_exit = true;
			a->exit_reason = coin(r) ? 39 : (uint32_t)trace_rng_next(r);
			if ((a->has_mf_gpa = coin(r)))
				a->mf_gpa = rand_value(r, TCC_NONE);
			if ((a->has_mf_size = coin(r)))
				a->mf_size = rand_value(r, TCC_NONE);
			if ((a->has_mf_flags = coin(r)))
				a->mf_flags = rand_value(r, TCC_EXIT_FLAGS);
		}
		if (coin(r)) {
			a->has_err = true;
			a->err = 14;
		}
		break;
	case 3:
		a->kind = TRES_SIGBUS;
		break;
	default:
		a->kind = TRES_SKIPPED;
		break;
	}
	if (oi->reports_remaining && coin(r)) {
		a->has_remaining = true;
		a->remaining = rand_value(r, TCC_NONE);
	}
}

struct gen {
	struct trace_rng *r;
	struct trace *t;
	int scope[TRACE_MAX_HANDLES];	/* -1 setup, thread index, or 99 final */
};

static int pick_handle(struct gen *g, int tid)
{
	int cand[TRACE_MAX_HANDLES], n = 0, i;

	for (i = 0; i < g->t->nhandles; i++) {
		if (g->scope[i] == -1 || g->scope[i] == tid || tid == 99)
			cand[n++] = i;
	}
	return n ? cand[trace_rng_below(g->r, n)] : -1;
}

static int gen_call(struct gen *g, int tid, struct trace_call *c)
{
	const struct trace_op_info *oi;
	struct trace_handle *h;
	int i, hi, tries;

	for (tries = 0;; tries++) {
		memset(c, 0, sizeof(*c));
		c->op = 1 + trace_rng_below(g->r, TOP_NR - 1);
		oi = trace_op_info(c->op);
		c->nargs = oi->nargs;
		for (i = 0; i < oi->nargs; i++) {
			const struct trace_arg_info *ai = &oi->args[i];

			if (ai->kind == TARG_HANDLE ||
			    (ai->kind == TARG_HANDLE_OR_NUM && coin(g->r))) {
				hi = pick_handle(g, tid);
				if (hi < 0 && ai->kind == TARG_HANDLE)
					break;
				if (hi >= 0) {
					c->args[i].is_handle = true;
					c->args[i].handle = hi;
					continue;
				}
			}
			c->args[i].value = ai->has_default && coin(g->r) ? ai->def :
					   rand_value(g->r, ai->cls);
		}
		if (i == oi->nargs)
			break;
		if (tries > 100)
			return -1;
	}
	c->bind = -1;
	if (oi->binds && g->t->nhandles < TRACE_MAX_HANDLES && coin(g->r)) {
		hi = g->t->nhandles++;
		h = &g->t->handles[hi];
		snprintf(h->name, sizeof(h->name), "%s%d", coin(g->r) ? "h" : "Handle_", hi);
		h->defined_by = c->op;
		g->scope[hi] = tid;
		c->bind = hi;
	}
	c->expect.nalts = trace_rng_below(g->r, TRACE_MAX_ALTS + 1);
	for (i = 0; i < c->expect.nalts; i++)
		rand_alt(g->r, oi, &c->expect.alt[i]);
	return 0;
}

static int gen_section(struct gen *g, int tid, struct trace_thread *thr, int max)
{
	int n = trace_rng_below(g->r, max + 1), i;

	thr->calls = calloc(n ? n : 1, sizeof(*thr->calls));
	if (!thr->calls)
		return -1;
	for (i = 0; i < n; i++) {
		/* With no handle in scope, most ops cannot be made: stop early. */
		if (gen_call(g, tid, &thr->calls[i]))
			break;
		thr->ncalls++;
	}
	return 0;
}

int trace_gen(struct trace_rng *r, struct trace *t)
{
	static const char *const profiles[] = { "", "6.18", "7.1", "7.2-rc1" };
	struct trace_requires *q = &t->req;
	struct gen g = { .r = r, .t = t };
	int i;

	memset(t, 0, sizeof(*t));
	if (coin(r)) {
		q->has_vm_type = true;
		q->vm_types = (uint32_t)trace_rng_next(r) | 1u << trace_rng_below(r, 6);
		if (coin(r))
			q->vm_types &= 0x3f | 1u << trace_rng_below(r, 32);
	}
	q->backends = trace_rng_below(r, 4);
	q->ncaps = trace_rng_below(r, TRACE_MAX_CAPS + 1);
	for (i = 0; i < q->ncaps; i++) {
		q->caps[i][0] = coin(r) ? 231 + trace_rng_below(r, 6) : trace_rng_next(r);
		q->caps[i][1] = coin(r) ? 1 : trace_rng_next(r);
	}
	strcpy(q->profile, profiles[trace_rng_below(r, 4)]);
	if (gen_section(&g, -1, &t->setup, 8))
		goto err_free;
	t->nthreads = trace_rng_below(r, TRACE_MAX_THREADS + 1);
	for (i = 0; i < t->nthreads; i++) {
		snprintf(t->threads[i].name, sizeof(t->threads[i].name), "%c%d",
			 'a' + (int)trace_rng_below(r, 26), i);
		if (gen_section(&g, i, &t->threads[i], 6))
			goto err_free;
	}
	if (gen_section(&g, 99, &t->final, 4))
		goto err_free;
	return 0;
err_free:
	trace_free(t);
	return -1;
}
