// SPDX-License-Identifier: GPL-2.0
/*
 * The swimlane story: what each thread did, step by step, in one column per
 * thread, with the violating step and the racing pair marked.
 */
#include <string.h>
#include <sys/types.h>

#include "report/report.h"

#define LANE_W 38

void report_find_racing_pair(struct report *r)
{
	ssize_t end = r->violating >= 0 ? r->violating : (ssize_t)r->nev - 1;
	ssize_t i;

	r->race_a = r->race_b = -1;
	for (i = end; i > 0; i--) {
		const struct report_event *a = &r->ev[i - 1], *b = &r->ev[i];

		if (a->tid < 0 || b->tid < 0 || a->tid == b->tid)
			continue;
		r->race_a = i - 1;
		r->race_b = i;
		return;
	}
}

static void put_cell(FILE *f, const char *s, int w)
{
	int n = (int)strlen(s);

	if (n > w) {
		fprintf(f, "%.*s~", w - 1, s);
	} else {
		fputs(s, f);
		fprintf(f, "%*s", w - n, "");
	}
}

static void describe(const struct report_event *e, char *buf, size_t len)
{
	const char *site = e->site;

	if (!site || e->is_call) {
		snprintf(buf, len, "%s", e->what);
		return;
	}
	/* Keep the file's basename: the lane is narrow. */
	if (strrchr(site, '/'))
		site = strrchr(site, '/') + 1;
	snprintf(buf, len, "%s @%s", e->what, site);
}

/**
 * report_print_story - print the swimlane story of a run
 * @f: where to print
 * @r: the report; r->ev holds the events in step order
 * @only_calls: print trace calls and marked steps only (a short story)
 *
 * Context: any.
 */
void report_print_story(FILE *f, const struct report *r, bool only_calls)
{
	char buf[256];
	size_t i;
	int t;

	fprintf(f, "  %-6s", "step");
	for (t = 0; t < r->nthreads; t++) {
		snprintf(buf, sizeof(buf), "T%d %s", t, r->thread_names[t] ? r->thread_names[t] : "");
		fputs("| ", f);
		put_cell(f, buf, LANE_W);
	}
	fputc('\n', f);
	fprintf(f, "  ------");
	for (t = 0; t < r->nthreads; t++) {
		fputs("+-", f);
		for (int k = 0; k < LANE_W; k++)
			fputc('-', f);
	}
	fputc('\n', f);

	for (i = 0; i < r->nev; i++) {
		const struct report_event *e = &r->ev[i];
		bool viol = (ssize_t)i == r->violating;
		bool race = (ssize_t)i == r->race_a || (ssize_t)i == r->race_b;
		const char *mark = viol ? "!!" : race ? "**" : "  ";

		if (only_calls && !e->is_call && !viol && !race)
			continue;
		if (e->tid < 0) {
			describe(e, buf, sizeof(buf));
			fprintf(f, "%s%-6llu  (%s) %s\n", mark, (unsigned long long)e->step,
				r->nthreads ? "setup/final" : "", buf);
			continue;
		}
		fprintf(f, "%s%-6llu", mark, (unsigned long long)e->step);
		for (t = 0; t < r->nthreads; t++) {
			fputs("| ", f);
			if (t == e->tid) {
				describe(e, buf, sizeof(buf));
				put_cell(f, buf, LANE_W);
			} else {
				put_cell(f, "", LANE_W);
			}
		}
		fputc('\n', f);
	}
	if (r->race_a >= 0 && r->race_b >= 0) {
		const struct report_event *a = &r->ev[r->race_a], *b = &r->ev[r->race_b];

		describe(a, buf, sizeof(buf));
		fprintf(f, "\n  racing pair (**): T%d %s\n", a->tid, buf);
		describe(b, buf, sizeof(buf));
		fprintf(f, "                    then T%d %s\n", b->tid, buf);
	}
	if (r->violating >= 0)
		fprintf(f, "  violating step (!!): %llu\n",
			(unsigned long long)r->ev[r->violating].step);
}
