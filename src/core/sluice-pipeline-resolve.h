#pragma once

#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

/* Resolving the conflicts a three-way merge left in a pipeline file (its
 * top-level "merge_conflicts", docs/git.md): for each conflict, in the
 * file's order, @take_theirs[i] says whether "theirs" replaces the value
 * the file holds (which is "ours"). */

/* (transfer full): the file's conflicts, SluicePipelineConflict items
 * (sluice-pipeline-merge.h), empty when it has none; NULL when @bytes is
 * not a JSON object, naming @file. */
GPtrArray *sluice_pipeline_read_conflicts    (const char      *file,
                                              GBytes          *bytes,
                                              GError         **error);

/* (transfer full): the resolved file, canonical, without "merge_conflicts";
 * fails, naming @file, when it is not a pipeline file, @n_choices is not
 * the number of conflicts, or the result does not load. */
GBytes    *sluice_pipeline_resolve_conflicts (const char      *file,
                                              GBytes          *bytes,
                                              const gboolean  *take_theirs,
                                              guint            n_choices,
                                              GError         **error);

G_END_DECLS
