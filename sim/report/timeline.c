// SPDX-License-Identifier: GPL-2.0
/*
 * Timeline files: Chrome/Perfetto trace-event JSON (open in ui.perfetto.dev
 * or chrome://tracing) and a self-contained HTML page drawing the same
 * swimlanes as SVG.  One step is one microsecond of fake time, so the
 * pictures show order, not duration.
 */
#include <errno.h>
#include <string.h>
#include <sys/types.h>

#include "report/report.h"

void report_json_string(FILE *f, const char *s)
{
	fputc('"', f);
	for (; s && *s; s++) {
		unsigned char c = (unsigned char)*s;

		if (c == '"' || c == '\\')
			fprintf(f, "\\%c", c);
		else if (c == '\n')
			fputs("\\n", f);
		else if (c < 0x20)
			fprintf(f, "\\u%04x", c);
		else
			fputc(c, f);
	}
	fputc('"', f);
}

static void html_text(FILE *f, const char *s)
{
	for (; s && *s; s++) {
		switch (*s) {
		case '<': fputs("&lt;", f); break;
		case '>': fputs("&gt;", f); break;
		case '&': fputs("&amp;", f); break;
		case '"': fputs("&quot;", f); break;
		default: fputc(*s, f);
		}
	}
}

static const char *lane_name(const struct report *r, int tid)
{
	if (tid < 0)
		return "setup/final";
	return r->thread_names[tid] ? r->thread_names[tid] : "thread";
}

/**
 * report_write_timeline_json - write Chrome trace-event JSON
 * @path: output file
 * @r: the report
 *
 * Context: any.
 * Return: 0, or a negative errno if the file cannot be written.
 */
int report_write_timeline_json(const char *path, const struct report *r)
{
	FILE *f = fopen(path, "w");
	size_t i;
	int t;

	if (!f)
		return -errno;
	fputs("{\"displayTimeUnit\":\"ns\",\"traceEvents\":[\n", f);
	/* Lane names: one "thread" per model thread, pid 1. */
	for (t = -1; t < r->nthreads; t++) {
		fprintf(f, "{\"ph\":\"M\",\"pid\":1,\"tid\":%d,\"name\":\"thread_name\",\"args\":{\"name\":", t + 1);
		report_json_string(f, lane_name(r, t));
		fputs("}},\n", f);
	}
	for (i = 0; i < r->nev; i++) {
		const struct report_event *e = &r->ev[i];

		fprintf(f, "{\"ph\":\"X\",\"pid\":1,\"tid\":%d,\"ts\":%llu,\"dur\":1,\"name\":",
			e->tid + 1, (unsigned long long)e->step);
		report_json_string(f, e->what);
		fprintf(f, ",\"cat\":\"%s\",\"args\":{\"site\":", e->is_call ? "call" : "point");
		report_json_string(f, e->site ? e->site : "");
		fprintf(f, ",\"violating\":%s,\"racing\":%s}},\n",
			(ssize_t)i == r->violating ? "true" : "false",
			((ssize_t)i == r->race_a || (ssize_t)i == r->race_b) ? "true" : "false");
	}
	if (r->checker) {
		fprintf(f, "{\"ph\":\"i\",\"s\":\"g\",\"pid\":1,\"tid\":0,\"ts\":%llu,\"name\":",
			(unsigned long long)(r->violating >= 0 ? r->ev[r->violating].step : 0));
		report_json_string(f, r->checker);
		fputs(",\"args\":{\"message\":", f);
		report_json_string(f, r->message);
		fputs("}},\n", f);
	}
	fputs("{\"ph\":\"M\",\"pid\":1,\"name\":\"process_name\",\"args\":{\"name\":", f);
	report_json_string(f, r->trace_path ? r->trace_path : "gmemsim");
	fputs("}}\n],\"otherData\":{\"schedule\":", f);
	report_json_string(f, r->schedule ? r->schedule : "");
	fprintf(f, ",\"event_hash\":\"%016llx\"}}\n", (unsigned long long)r->event_hash);
	if (fclose(f))
		return -errno;
	return 0;
}

/**
 * report_write_html - write a self-contained HTML page with SVG swimlanes
 * @path: output file
 * @r: the report
 *
 * Context: any.
 * Return: 0, or a negative errno if the file cannot be written.
 */
int report_write_html(const char *path, const struct report *r)
{
	const int lane_w = 300, row_h = 18, top = 30, left = 60;
	FILE *f = fopen(path, "w");
	int nlanes = r->nthreads + 1;
	size_t i;
	int t;

	if (!f)
		return -errno;
	fputs("<!DOCTYPE html>\n<html><head><meta charset=\"utf-8\"><title>gmemsim: ", f);
	html_text(f, r->trace_path);
	fputs("</title><style>body{font-family:sans-serif}"
	      "text{font-family:monospace;font-size:11px}"
	      ".call{fill:#1f4e79}.pt{fill:#666}.viol{fill:#c00;font-weight:bold}"
	      ".race{fill:#b35900;font-weight:bold}</style></head><body>\n<h1>gmemsim report</h1>\n<table>", f);
	fputs("<tr><td>trace</td><td>", f); html_text(f, r->trace_path); fputs("</td></tr>", f);
	fputs("<tr><td>strategy</td><td>", f); html_text(f, r->strategy); fputs("</td></tr>", f);
	fprintf(f, "<tr><td>seed</td><td>%llu</td></tr>", (unsigned long long)r->seed);
	fputs("<tr><td>schedule</td><td><code>", f); html_text(f, r->schedule); fputs("</code></td></tr>", f);
	fprintf(f, "<tr><td>event hash</td><td><code>%016llx</code></td></tr>",
		(unsigned long long)r->event_hash);
	if (r->checker) {
		fputs("<tr><td>violation</td><td><b>", f); html_text(f, r->checker);
		fputs("</b>: ", f); html_text(f, r->message); fputs("</td></tr>", f);
	}
	fputs("</table>\n", f);
	fprintf(f, "<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"%d\" height=\"%zu\">\n",
		left + nlanes * lane_w, top + (r->nev + 1) * row_h);
	for (t = -1; t < r->nthreads; t++) {
		int x = left + (t + 1) * lane_w;

		fprintf(f, "<line x1=\"%d\" y1=\"%d\" x2=\"%d\" y2=\"%zu\" stroke=\"#ccc\"/>",
			x, top - 12, x, top + r->nev * row_h);
		fprintf(f, "<text x=\"%d\" y=\"%d\" font-weight=\"bold\">", x + 4, top - 14);
		if (t >= 0)
			fprintf(f, "T%d ", t);
		html_text(f, lane_name(r, t));
		fputs("</text>\n", f);
	}
	for (i = 0; i < r->nev; i++) {
		const struct report_event *e = &r->ev[i];
		const char *cls = (ssize_t)i == r->violating ? "viol" :
			((ssize_t)i == r->race_a || (ssize_t)i == r->race_b) ? "race" :
			e->is_call ? "call" : "pt";
		size_t y = top + (i + 1) * row_h - 4;

		fprintf(f, "<text x=\"4\" y=\"%zu\" class=\"pt\">%llu</text>", y,
			(unsigned long long)e->step);
		fprintf(f, "<text x=\"%d\" y=\"%zu\" class=\"%s\"><title>",
			left + (e->tid + 1) * lane_w + 4, y, cls);
		html_text(f, e->site);
		fputs("</title>", f);
		html_text(f, e->what);
		fputs("</text>\n", f);
	}
	fputs("</svg>\n</body></html>\n", f);
	if (fclose(f))
		return -errno;
	return 0;
}
