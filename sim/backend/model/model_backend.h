/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The in-process model backend (model_backend_ops): one world per
 * execution — an fd table ("the process"), the host mm and page pool, the
 * objects bound to trace handles, a contents shadow, and the checkers.
 *
 * Model-only accessors for tests and tools are declared here.
 */
#ifndef GMEMSIM_MODEL_BACKEND_H
#define GMEMSIM_MODEL_BACKEND_H

#include <stdbool.h>
#include <stdint.h>

#include "backend/backend.h"

struct kvm;
struct kvm_vcpu;
struct file;

/* The VM behind handle @h (a VM fd), or NULL. */
struct kvm *model_backend_kvm(struct gmem_backend *b, int h);
/* The vCPU behind handle @h (a vCPU fd), or NULL. */
struct kvm_vcpu *model_backend_vcpu(struct gmem_backend *b, int h);
/* The fd number bound to handle @h, or -1. */
int model_backend_fd(struct gmem_backend *b, int h);
/* The user address of a mapping handle, or 0. */
unsigned long model_backend_map_addr(struct gmem_backend *b, int h);
/* Make the backend's world current on the calling thread (for peeking). */
void model_backend_enter(struct gmem_backend *b);
/* Kernel profile of the world (KVM_PROFILE_*). */
int model_backend_profile(struct gmem_backend *b);
/* Does --inject accept every name of comma-separated @names (bug zoo)? */
bool model_inject_valid(const char *names);

#endif /* GMEMSIM_MODEL_BACKEND_H */
