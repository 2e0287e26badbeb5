// SPDX-License-Identifier: GPL-2.0
/*
 * `gmemsim caps`: what the host's KVM supports for guest_memfd and memory
 * attributes, probed, never assumed (kvm_vm_ioctl_check_extension_generic
 * in virt/kvm/kvm_main.c answers per VM, so each VM type is asked too).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/utsname.h>

#include "kvm_sys.h"
#include "kvm_util.h"
#include "kvm_caps.h"

struct cap_desc {
	unsigned int cap;
	const char *name;
};

static const struct cap_desc caps[] = {
	{ KVM_CAP_USER_MEMORY, "USER_MEMORY" },
	{ KVM_CAP_NR_MEMSLOTS, "NR_MEMSLOTS" },
	{ KVM_CAP_READONLY_MEM, "READONLY_MEM" },
	{ KVM_CAP_MULTI_ADDRESS_SPACE, "MULTI_ADDRESS_SPACE" },
	{ KVM_CAP_EXIT_HYPERCALL, "EXIT_HYPERCALL" },
	{ KVM_CAP_USER_MEMORY2, "USER_MEMORY2" },
	{ KVM_CAP_MEMORY_FAULT_INFO, "MEMORY_FAULT_INFO" },
	{ KVM_CAP_MEMORY_ATTRIBUTES, "MEMORY_ATTRIBUTES" },
	{ KVM_CAP_GUEST_MEMFD, "GUEST_MEMFD" },
	{ KVM_CAP_VM_TYPES, "VM_TYPES" },
	{ KVM_CAP_PRE_FAULT_MEMORY, "PRE_FAULT_MEMORY" },
	{ KVM_CAP_GUEST_MEMFD_MMAP, "GUEST_MEMFD_MMAP" },
	{ KVM_CAP_GUEST_MEMFD_FLAGS, "GUEST_MEMFD_FLAGS" },
};
#define NR_CAPS		(sizeof(caps) / sizeof(caps[0]))
#define NR_VM_TYPES	6

static const char *const vm_type_names[NR_VM_TYPES] = {
	"DEFAULT", "SW_PROTECTED", "SEV", "SEV_ES", "SNP", "TDX",
};

/* Per column: the system fd, then each supported VM type. */
struct caps_table {
	int ncols;
	const char *col[NR_VM_TYPES + 1];
	int val[NR_VM_TYPES + 1][NR_CAPS];
	int vm_err[NR_VM_TYPES];	/* errno when a listed type fails to create */
};

static void probe(struct caps_table *t)
{
	unsigned int i, type;
	int types;

	t->col[0] = "system";
	for (i = 0; i < NR_CAPS; i++)
		t->val[0][i] = kvm_check_cap(caps[i].cap);
	t->ncols = 1;

	types = kvm_check_cap(KVM_CAP_VM_TYPES);
	if (types <= 0)
		types = 1 << KVM_X86_DEFAULT_VM;	/* pre-6.10: DEFAULT only */
	for (type = 0; type < NR_VM_TYPES; type++) {
		struct kvm_vm *vm;
		int col = t->ncols;

		if (!(types & (1 << type)))
			continue;
		t->col[col] = vm_type_names[type];
		t->ncols++;
		vm = vm_create_type(type);
		if (!vm) {
			t->vm_err[col - 1] = errno;
			for (i = 0; i < NR_CAPS; i++)
				t->val[col][i] = -1;
			continue;
		}
		for (i = 0; i < NR_CAPS; i++)
			t->val[col][i] = vm_check_cap(vm, caps[i].cap);
		kvm_vm_free(vm);
	}
}

static void print_table(const struct caps_table *t, const struct utsname *u)
{
	unsigned int i;
	int c;

	printf("host kernel %s (model profile %s)\n", u->release,
	       kvm_profile_for_release(u->release));
	printf("%-28s", "capability");
	for (c = 0; c < t->ncols; c++)
		printf(" %14s", t->col[c]);
	printf("\n");
	for (i = 0; i < NR_CAPS; i++) {
		printf("KVM_CAP_%-20s", caps[i].name);
		for (c = 0; c < t->ncols; c++)
			printf(" %14d", t->val[c][i]);
		printf("   (%u)\n", caps[i].cap);
	}
	for (c = 1; c < t->ncols; c++)
		if (t->vm_err[c - 1])
			printf("note: creating a %s VM failed: %s\n", t->col[c],
			       strerror(t->vm_err[c - 1]));
}

static void print_json(const struct caps_table *t, const struct utsname *u)
{
	unsigned int i;
	int c;

	printf("{\n  \"kernel\": \"%s\",\n  \"profile\": \"%s\",\n", u->release,
	       kvm_profile_for_release(u->release));
	for (c = 0; c < t->ncols; c++) {
		printf("  \"%s\": {", t->col[c]);
		for (i = 0; i < NR_CAPS; i++)
			printf("%s\"%s\": %d", i ? ", " : "", caps[i].name, t->val[c][i]);
		printf("}%s\n", c + 1 < t->ncols ? "," : "");
	}
	printf("}\n");
}

/**
 * gmemsim_cmd_caps() - the `caps` subcommand
 * @argc: argument count (argv[0] is "caps")
 * @argv: arguments; "--json" selects JSON output
 *
 * Context: process context; creates and destroys one VM per VM type.
 * Return: exit status: 0, 77 without /dev/kvm, 2 on a bad argument.
 */
int gmemsim_cmd_caps(int argc, char **argv)
{
	struct caps_table t = { 0 };
	struct utsname u;
	bool json = false;
	int i;

	for (i = 1; i < argc; i++) {
		if (!strcmp(argv[i], "--json")) {
			json = true;
		} else {
			fprintf(stderr, "usage: gmemsim caps [--json]\n");
			return 2;
		}
	}
	if (!kvm_available()) {
		fprintf(stderr, "caps: %s is not available; skipping\n", KVM_DEV_PATH);
		return KSFT_SKIP;
	}
	if (uname(&u))
		strcpy(u.release, "unknown");
	probe(&t);
	if (json)
		print_json(&t, &u);
	else
		print_table(&t, &u);
	return 0;
}

/**
 * kvm_profile_for_release() - model profile for a kernel release string
 * @release: e.g. "6.18.44-fc-v769"
 *
 * Context: any.
 * Return: "6.18", "7.1" or "7.2" (static strings).
 */
const char *kvm_profile_for_release(const char *release)
{
	unsigned int major = 0, minor = 0;

	if (sscanf(release, "%u.%u", &major, &minor) != 2)
		return "6.18";
	if (major > 7 || (major == 7 && minor >= 2))
		return "7.2";
	if (major == 7 && minor == 1)
		return "7.1";
	return "6.18";
}

/**
 * kvm_backend_host_profile() - model profile for the running kernel
 *
 * Context: any.
 * Return: "6.18", "7.1" or "7.2".
 */
const char *kvm_backend_host_profile(void)
{
	struct utsname u;

	if (uname(&u))
		return "6.18";
	return kvm_profile_for_release(u.release);
}
