#pragma once

#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

/* Three-way merge of a pipeline file at the level of gems and their fields
 * (docs/git.md). Changes to different gems, or to different fields of one
 * gem, merge cleanly; one field changed differently on both sides, a gem
 * removed on one side and changed on the other, or two different wires into
 * one input are conflicts. The result keeps "ours" wherever there is a
 * conflict, is always a valid pipeline file, and is written in the
 * canonical form, so the same three inputs always give the same bytes. */

typedef struct {
  char     *gem_id;   /* (nullable): NULL for a pipeline member or an edge */
  char     *path;     /* the field ("config.condition", "label"); "" for the whole gem;
                       * "edges" plus the input ("edges:join.in1") for two wires into one input */
  JsonNode *base;     /* (nullable): each side's value, NULL when absent (removed) */
  JsonNode *ours;     /* (nullable) */
  JsonNode *theirs;   /* (nullable) */
} SluicePipelineConflict;

void  sluice_pipeline_conflict_free     (SluicePipelineConflict *conflict);
/* One line: `gem “filter”: config.condition: ours "a > 2", theirs "a > 3"` */
char *sluice_pipeline_conflict_describe (const SluicePipelineConflict *conflict);

/* The merge of @ours and @theirs from their common ancestor @base (NULL
 * when the file did not exist there). (transfer full): the canonical bytes
 * of the result. @conflicts (out) (transfer full): SluicePipelineConflict
 * items, empty on a clean merge. @embed_conflicts: also list them in the
 * result under the top-level key "merge_conflicts" (an unknown key to the
 * loader, so the file stays valid and is kept as is until resolved).
 * Fails, naming the file, when one side is not a pipeline file. */
GBytes *sluice_pipeline_merge (GBytes      *base,
                               GBytes      *ours,
                               GBytes      *theirs,
                               gboolean     embed_conflicts,
                               GPtrArray  **conflicts,
                               GError     **error);

/* The "merge_conflicts" list as JSON, as the file embeds it. (transfer full) */
JsonNode *sluice_pipeline_conflicts_to_json (GPtrArray *conflicts);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluicePipelineConflict, sluice_pipeline_conflict_free)

G_END_DECLS
