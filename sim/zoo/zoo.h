/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The bug zoo: named model defects (gmemsim --inject NAME), each with a
 * trace on which exploration of the correct model is clean and exploration
 * with the defect reports a violation from a generic checker.
 */
#ifndef GMEMSIM_ZOO_H
#define GMEMSIM_ZOO_H

#include <stdbool.h>
#include <stddef.h>

#include "explore/explore.h"
#include "sched/sched.h"

struct zoo_entry {
	const char *name;	/* the --inject name */
	const char *desc;	/* one line: the wrong code */
	const char *spec;	/* spec reference: B-xx or section */
	const char *checkers;	/* comma-separated generic checkers that may report it */
	const char *profile;	/* kernel profile to run on; NULL = default */
	bool race;		/* needs an interleaving (else sequential) */
};

extern const struct zoo_entry zoo_entries[];
extern const size_t zoo_nr_entries;

/* The entry called @name, or NULL. */
const struct zoo_entry *zoo_find(const char *name);
/* traces/zoo/NAME.trace under @dir into @buf. */
void zoo_trace_path(const struct zoo_entry *e, const char *dir, char *buf, size_t len);
/* Is @checker one of @e's expected checkers? */
bool zoo_checker_expected(const struct zoo_entry *e, const char *checker);
/* The first of @r's violations (any, not only the first) @e expects, or NULL. */
const char *zoo_result_checker(const struct zoo_entry *e, const struct sim_result *r);

/* gmemsim zoo list [--json] / zoo run [NAME...]; return the exit code. */
int zoo_cmd_list(bool json);
int zoo_cmd_run(const struct explore_opts *o, char **names, int nnames);

#endif /* GMEMSIM_ZOO_H */
