/* Shared by sluice-pipeline-diff.c and sluice-pipeline-merge.c. */
#pragma once

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* A pipeline file read for comparison: its root object (owned), and its
 * gems by id (borrowed JsonObject) in file order. */
typedef struct {
  JsonNode   *root;
  GPtrArray  *gem_ids;   /* char*, borrowed from the tree, file order */
  GHashTable *gems;      /* id → JsonObject, borrowed */
  GPtrArray  *edges;     /* char* "from → to", owned, file order */
  GHashTable *edge_set;  /* the same strings → JsonObject (the edge, borrowed) */
} SluicePipelineTree;

/* @bytes NULL: an empty pipeline. Checks the file with the pipeline loader
 * first, so every error names @file. */
SluicePipelineTree *_sluice_pipeline_tree_new  (const char  *file,
                                                GBytes      *bytes,
                                                GError     **error);
void                _sluice_pipeline_tree_free (SluicePipelineTree *tree);

/* "from → to" of an edge object */
char *_sluice_edge_key (JsonObject *edge);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluicePipelineTree, _sluice_pipeline_tree_free)

G_END_DECLS
