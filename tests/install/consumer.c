#include <stdio.h>
#include <string.h>
#include "backend/backend.h"
#include "trace/ir.h"

/*
 * An outside project: a scenario written in C against the installed model
 * (tools/check-install.sh builds it with pkg-config and with find_package).
 * Exit 0 only if every expectation holds.
 */
int main(void)
{
	static const char text[] =
		"setup:\n vm = vm_create(DEFAULT)\n gmem = create_guest_memfd(vm, size=4K, flags=0)\n"
		" fallocate(gmem, mode=KEEP_SIZE, offset=4K, len=4K) -> EINVAL\n";
	struct trace t; struct trace_error e; struct backend_opts o = { 0 };
	struct gmem_backend *b;
	memset(&t, 0, sizeof(t));
	if (trace_parse_buf("c", text, sizeof(text) - 1, &t, &e)) return 2;
	int bad = 0;

	b = model_backend_ops.create(&t, &o);
	if (!b)
		return 2;
	for (int i = 0; i < t.setup.ncalls; i++) {
		struct trace_result r; char buf[64];
		trace_result_init(&r);
		model_backend_ops.call(b, -1, &t.setup.calls[i], &r);
		trace_result_format(&r, buf, sizeof(buf));
		if (!trace_result_matches(&t.setup.calls[i].expect, &r))
			bad++;
		printf("%s -> %s %s\n", trace_op_name(t.setup.calls[i].op), buf,
		       trace_result_matches(&t.setup.calls[i].expect, &r) ? "ok" : "MISMATCH");
	}
	model_backend_ops.destroy(b, NULL, 0);
	trace_free(&t);
	return bad ? 1 : 0;
}
