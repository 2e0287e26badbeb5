// SPDX-License-Identifier: GPL-2.0
/*
 * conf_util: run hand-built trace calls on a fresh model backend (see
 * conf_util.h).
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "conf_util.h"
#include "backend/model/model_backend.h"

struct conf *conf_new(const char *profile)
{
	struct backend_opts o = { .profile = profile };
	struct conf *c = calloc(1, sizeof(*c));
	int i;

	ck_assert_ptr_nonnull(c);
	c->ops = &model_backend_ops;
	snprintf(c->t.path, sizeof(c->t.path), "conformance");
	c->t.nhandles = TRACE_MAX_HANDLES;
	for (i = 0; i < TRACE_MAX_HANDLES; i++)
		snprintf(c->t.handles[i].name, sizeof(c->t.handles[i].name), "h%d", i);
	c->b = c->ops->create(&c->t, &o);
	ck_assert_msg(c->b != NULL, "model backend create failed");
	return c;
}

static void conf_take_violations(struct conf *c, int n)
{
	int i;

	for (i = 0; i < n; i++)
		fprintf(stderr, "violation [%s]: %s\n", c->v[i].checker, c->v[i].msg);
	c->nviolations += n;
}

int conf_free_count(struct conf *c)
{
	int n = c->ops->destroy(c->b, c->v, 8);

	conf_take_violations(c, n);
	free(c);
	return n;
}

void conf_free(struct conf *c)
{
	int n = conf_free_count(c);

	ck_assert_msg(n == 0, "teardown found %d violation(s) (see stderr)", n);
}

struct trace_result conf_callv(struct conf *c, int tid, enum trace_op op,
			       int nargs, const struct conf_arg *args, int bind)
{
	struct trace_result r;
	struct trace_call call;
	int i, n;

	memset(&call, 0, sizeof(call));
	call.op = op;
	call.nargs = nargs;
	call.bind = bind;
	call.line = 0;
	for (i = 0; i < nargs && i < TRACE_MAX_ARGS; i++) {
		call.args[i].is_handle = args[i].h;
		call.args[i].handle = args[i].h ? (int)args[i].v : 0;
		call.args[i].value = args[i].h ? 0 : args[i].v;
	}
	c->ops->call(c->b, tid, &call, &r);
	/* c->last is for single-threaded callers; workers use the return value. */
	if (tid < 0)
		c->last = r;
	if (!c->no_check) {
		n = c->ops->check(c->b, c->v, 8);
		conf_take_violations(c, n);
		ck_assert_msg(n == 0, "op %d: checker violation: [%s] %s",
			      (int)op, c->v[0].checker, c->v[0].msg);
	}
	return r;
}

int conf_bindv(struct conf *c, int tid, enum trace_op op, int nargs,
	       const struct conf_arg *args)
{
	int h = c->nhandles;
	struct trace_result r;

	ck_assert_msg(h < TRACE_MAX_HANDLES, "out of handles");
	r = conf_callv(c, tid, op, nargs, args, h);
	if (r.kind != TRES_OK)
		return -1;
	c->nhandles++;
	return h;
}

int conf_vm(struct conf *c, unsigned long type)
{
	int vm = conf_bind(c, TOP_VM_CREATE, N(type));

	ck_assert_msg(vm >= 0, "vm_create(%lu) failed: %s", type, conf_fmt(&c->last));
	return vm;
}

int conf_gmem(struct conf *c, int vm, uint64_t size, uint64_t flags)
{
	int fd = conf_bind(c, TOP_CREATE_GUEST_MEMFD, H(vm), N(size), N(flags), N(0));

	ck_assert_msg(fd >= 0, "create_guest_memfd(%#llx, %#llx) failed: %s",
		      (unsigned long long)size, (unsigned long long)flags,
		      conf_fmt(&c->last));
	return fd;
}

struct trace_result conf_region2(struct conf *c, int vm, uint32_t slot,
				 uint32_t flags, uint64_t gpa, uint64_t size,
				 uint64_t uaddr, int gmem_handle,
				 uint64_t gmem_offset)
{
	struct conf_arg fd = gmem_handle >= 0 ? H(gmem_handle) : N(0);

	return conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(vm), N(slot), N(flags),
			 N(gpa), N(size), N(uaddr), fd, N(gmem_offset));
}

struct trace_result conf_region2_rawfd(struct conf *c, int vm, uint32_t slot,
				       uint32_t flags, uint64_t gpa,
				       uint64_t size, uint64_t uaddr,
				       uint64_t fd, uint64_t gmem_offset)
{
	return conf_call(c, TOP_SET_USER_MEMORY_REGION2, H(vm), N(slot), N(flags),
			 N(gpa), N(size), N(uaddr), N(fd), N(gmem_offset));
}

struct trace_result conf_attrs(struct conf *c, int vm, uint64_t gpa,
			       uint64_t size, uint64_t attrs, uint64_t flags)
{
	return conf_call(c, TOP_SET_MEMORY_ATTRIBUTES, H(vm), N(gpa), N(size),
			 N(attrs), N(flags));
}

const char *conf_fmt(const struct trace_result *r)
{
	static __thread char buf[192];

	switch (r->kind) {
	case TRES_OK:
		snprintf(buf, sizeof(buf), "ok ret=%lld value=%d", (long long)r->ret, r->value);
		break;
	case TRES_ERRNO:
		snprintf(buf, sizeof(buf), "errno %d (%s)", r->err, strerror(r->err));
		break;
	case TRES_EXIT:
		snprintf(buf, sizeof(buf),
			 "exit(%u, gpa=%#llx, size=%#llx, flags=%#llx) errno %d",
			 r->exit_reason, (unsigned long long)r->mf_gpa,
			 (unsigned long long)r->mf_size,
			 (unsigned long long)r->mf_flags, r->err);
		break;
	case TRES_SIGBUS:
		snprintf(buf, sizeof(buf), "SIGBUS (%d)", r->err);
		break;
	default:
		snprintf(buf, sizeof(buf), "skipped");
		break;
	}
	return buf;
}

struct kvm *conf_kvm(struct conf *c, int vm_handle)
{
	model_backend_enter(c->b);
	return model_backend_kvm(c->b, vm_handle);
}

uint64_t conf_map_addr(struct conf *c, int h)
{
	return model_backend_map_addr(c->b, h);
}
