#pragma once

#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

/* A semantic diff of two versions of one pipeline file: what a reviewer
 * means by "what changed", not which lines. GLib-only, for the git panel and
 * `sluice-cli merge-driver`. */

typedef enum {
  SLUICE_PIPELINE_CHANGE_GEM_ADDED,
  SLUICE_PIPELINE_CHANGE_GEM_REMOVED,
  SLUICE_PIPELINE_CHANGE_GEM_MOVED,        /* position changed */
  SLUICE_PIPELINE_CHANGE_GEM_RELABELLED,   /* label changed */
  SLUICE_PIPELINE_CHANGE_CONFIG_CHANGED,   /* a configuration field; @path "config.condition" */
  SLUICE_PIPELINE_CHANGE_GEM_CHANGED,      /* another gem member: type, inputs, unknown keys */
  SLUICE_PIPELINE_CHANGE_EDGE_ADDED,
  SLUICE_PIPELINE_CHANGE_EDGE_REMOVED,
  SLUICE_PIPELINE_CHANGE_PIPELINE_CHANGED, /* a pipeline member: description, unknown keys */
} SluicePipelineChangeKind;

typedef struct {
  SluicePipelineChangeKind  kind;
  char                     *gem_id;     /* (nullable): NULL for pipeline members and edges */
  char                     *path;       /* (nullable): field path inside the gem ("config.keys.0" is never
                                         * produced: arrays are one value), or the pipeline member */
  char                     *edge;       /* (nullable): "from.port → to.port" for edge changes */
  JsonNode                 *old_value;  /* (nullable): absent before */
  JsonNode                 *new_value;  /* (nullable): absent after */
} SluicePipelineChange;

void  sluice_pipeline_change_free     (SluicePipelineChange *change);
/* One line for a reviewer: `gem “filter”: config.condition changed: "a > 1" → "a > 2"` */
char *sluice_pipeline_change_describe (const SluicePipelineChange *change);

/* (transfer full): SluicePipelineChange items, gem by gem in the new file's
 * order (removed gems after, in the old order), then edges. Either side
 * may be NULL for an absent file (everything added or removed). Fails with
 * SLUICE_MODEL_ERROR_PARSE or _NEWER_FORMAT, naming @old_file or @new_file,
 * when a side is not a pipeline file. */
GPtrArray *sluice_pipeline_diff (const char  *old_file,
                                 GBytes      *old_bytes,
                                 const char  *new_file,
                                 GBytes      *new_bytes,
                                 GError     **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluicePipelineChange, sluice_pipeline_change_free)

G_END_DECLS
