/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Host capability report (`gmemsim caps`) and the mapping from the running
 * kernel to a model profile.
 */
#ifndef GMEMSIM_KVM_CAPS_H
#define GMEMSIM_KVM_CAPS_H

/*
 * `gmemsim caps [--json]`: KVM_CHECK_EXTENSION of the gmem-related caps on
 * /dev/kvm and on one VM of each type in KVM_CAP_VM_TYPES.  Exit status 0,
 * 77 if /dev/kvm is missing, 2 on bad usage.
 */
int gmemsim_cmd_caps(int argc, char **argv);

/*
 * Model profile closest to the running kernel (uname -r): "6.18" below
 * 7.1, "7.1" for 7.1.x, "7.2" from 7.2 on.
 */
const char *kvm_backend_host_profile(void);
/* Same mapping for a given release string (testable). */
const char *kvm_profile_for_release(const char *release);

#endif /* GMEMSIM_KVM_CAPS_H */
