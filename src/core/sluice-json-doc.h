#pragma once

#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

/* A parsed JSON text that remembers where each value started, so every
 * problem can be reported as FILE:LINE:COL. json-glib's parser keeps no
 * positions on nodes, and accepts duplicate keys silently; this reader is
 * strict (UTF-8, no duplicate keys, bounded depth, 64-bit integers). */

#define SLUICE_JSON_MAX_DEPTH 64

/* On failure, @error_line and @error_column (1-based) say where. */
SluiceJsonDoc *sluice_json_doc_parse        (const char    *data,
                                             gsize          length,
                                             guint         *error_line,
                                             guint         *error_column,
                                             GError       **error);
/* (transfer none) */
JsonNode      *sluice_json_doc_get_root     (SluiceJsonDoc *self);
/* FALSE when @node is not from this document. */
gboolean       sluice_json_doc_get_position (SluiceJsonDoc *self,
                                             JsonNode      *node,
                                             guint         *line,
                                             guint         *column);
/* (transfer none): JsonNode* → packed (line << 32 | column) */
GHashTable    *sluice_json_doc_get_positions (SluiceJsonDoc *self);
void           sluice_json_doc_free         (SluiceJsonDoc *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceJsonDoc, sluice_json_doc_free)

G_END_DECLS

G_BEGIN_DECLS
/* json_node_copy() shares objects and arrays; undo needs real copies. */
JsonNode      *sluice_json_node_deep_copy   (JsonNode      *node);
/* Appends deep copies of @from's members (nullable) to @into, in order:
 * how unknown keys are written back after the known ones. */
void           sluice_json_object_append    (JsonObject    *into,
                                             JsonObject    *from);
G_END_DECLS
