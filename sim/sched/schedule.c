// SPDX-License-Identifier: GPL-2.0
/*
 * Schedule strings: the printable, versioned encoding of a decision record.
 *
 *	schedule := "S1:" [ "f" ] { token [ count ] }
 *	token    := 'A'..'Z'          pick thread 0..25
 *	          | "[" decimal "]"   pick thread >= 26
 *	          | 'y' | 'n'         fault-injection answer yes / no
 *	count    := decimal >= 2      the token repeats count times
 *
 * "f" says fault injection was enabled for the run, so a replay asks the
 * schedule for ->decide() answers.  "S1:" alone is the empty record.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "sched_internal.h"

static bool same(const struct sim_decision *a, const struct sim_decision *b)
{
	return a->kind == b->kind && a->value == b->value;
}

/**
 * sim_schedule_encode() - Encode a decision record as a schedule string.
 * @d: the decisions.
 * @n: how many.
 * @faults: fault injection was enabled.
 *
 * Context: any.
 * Return: a malloc'ed string, or NULL when out of memory.
 */
char *sim_schedule_encode(const struct sim_decision *d, size_t n, bool faults)
{
	/* Worst case per token: "[63]" plus a 20-digit count. */
	size_t cap = 8 + (n < 64 ? n : 64) * 8, o;
	char *buf = malloc(cap);

	if (!buf)
		return NULL;
	memcpy(buf, "S1:f", 4);
	o = faults ? 4 : 3;
	for (size_t i = 0; i < n;) {
		size_t k = i + 1;

		while (k < n && same(&d[k], &d[i]))
			k++;
		if (o + 32 > cap) {
			char *nb;

			cap *= 2;
			nb = realloc(buf, cap);
			if (!nb) {
				free(buf);
				return NULL;
			}
			buf = nb;
		}
		if (d[i].kind == SIM_DEC_FAULT)
			buf[o++] = d[i].value ? 'y' : 'n';
		else if (d[i].value < 26)
			buf[o++] = 'A' + d[i].value;
		else
			o += (size_t)sprintf(buf + o, "[%d]", d[i].value);
		if (k - i > 1) {
			char tmp[24];
			size_t c = k - i, l = 0;

			while (c) {
				tmp[l++] = '0' + c % 10;
				c /= 10;
			}
			while (l)
				buf[o++] = tmp[--l];
		}
		i = k;
	}
	buf[o] = 0;
	return buf;
}

static int bad(char *err, size_t errlen, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
static int bad(char *err, size_t errlen, const char *fmt, ...)
{
	va_list ap;

	if (err && errlen) {
		va_start(ap, fmt);
		vsnprintf(err, errlen, fmt, ap);
		va_end(ap);
	}
	return -EINVAL;
}

/* Decimal at *@p (no sign, no leading zero); -1 if none or too large. */
static long parse_num(const char **p, long max)
{
	const char *s = *p;
	long v = 0;

	if (*s < '0' || *s > '9' || (*s == '0' && s[1] >= '0' && s[1] <= '9'))
		return -1;
	for (; *s >= '0' && *s <= '9'; s++) {
		v = v * 10 + (*s - '0');
		if (v > max)
			return -1;
	}
	*p = s;
	return v;
}

/**
 * sim_schedule_decode() - Parse a schedule string.
 * @s: the string.
 * @d: out: malloc'ed decisions (kind and value set).
 * @n: out: how many.
 * @faults: out: fault injection was enabled (may be NULL).
 * @err: out: why it was rejected (may be NULL).
 * @errlen: size of @err.
 *
 * Context: any.
 * Return: 0, or -EINVAL (bad syntax, unknown version, thread id or repeat
 * count out of range) or -ENOMEM.
 */
int sim_schedule_decode(const char *s, struct sim_decision **d, size_t *n,
			bool *faults, char *err, size_t errlen)
{
	const size_t max_total = 100000000;
	struct sim_decision *v = NULL, one;
	size_t nv = 0, cap = 0;
	const char *p;
	bool f = false;

	*d = NULL;
	*n = 0;
	if (!s)
		return bad(err, errlen, "no schedule");
	if (strncmp(s, "S1:", 3))
		return bad(err, errlen, "schedule must start with \"S1:\" (got \"%.8s\")", s);
	p = s + 3;
	if (*p == 'f') {
		f = true;
		p++;
	}
	while (*p) {
		const char *tok = p;
		long count = 1, tid;

		memset(&one, 0, sizeof(one));
		one.cur = -1;
		if (*p >= 'A' && *p <= 'Z') {
			one.kind = SIM_DEC_PICK;
			one.value = *p++ - 'A';
		} else if (*p == '[') {
			p++;
			tid = parse_num(&p, SIM_MAX_THREADS - 1);
			if (tid < 0 || *p != ']')
				goto bad_token;
			p++;
			one.kind = SIM_DEC_PICK;
			one.value = tid;
		} else if ((*p == 'y' || *p == 'n') && f) {
			one.kind = SIM_DEC_FAULT;
			one.value = *p++ == 'y';
		} else {
			goto bad_token;
		}
		if (one.kind == SIM_DEC_PICK && one.value >= SIM_MAX_THREADS)
			goto bad_token;
		if (*p >= '0' && *p <= '9') {
			count = parse_num(&p, (long)max_total);
			if (count < 2)
				goto bad_token;
		}
		if (nv + count > max_total) {
			free(v);
			return bad(err, errlen, "schedule longer than %zu decisions", max_total);
		}
		if (nv + count > cap) {
			size_t nc = cap ? cap : 64;
			struct sim_decision *nd;

			while (nc < nv + count)
				nc *= 2;
			nd = realloc(v, nc * sizeof(*nd));
			if (!nd) {
				free(v);
				return -ENOMEM;
			}
			v = nd;
			cap = nc;
		}
		while (count--)
			v[nv++] = one;
		continue;
bad_token:
		free(v);
		return bad(err, errlen, "bad schedule token at offset %zu: \"%.8s\"",
			   (size_t)(tok - s), tok);
	}
	*d = v;
	*n = nv;
	if (faults)
		*faults = f;
	return 0;
}
