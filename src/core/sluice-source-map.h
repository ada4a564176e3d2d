#pragma once

#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

/* Where things are in a file, by meaning rather than by node: paths like
 * "gems/recent_orders/config/condition" or "edges/a.out>b.in0". Built after
 * each load and each save, so diagnostics about an edited model still point
 * at the right line of the file on disk. */

/* @positions maps JsonNode* → packed (line << 32 | column) for @root's tree. */
SluiceSourceMap *sluice_source_map_new    (JsonNode        *root,
                                           GHashTable      *positions);
/* For a file Sluice has just written: @bytes are parsed only if a position
 * is ever asked for (only problems need one), so saving stays cheap. */
SluiceSourceMap *sluice_source_map_new_for_bytes (GBytes          *bytes);
/* Looks @path up, falling back to its parents but never above @floor
 * components ("gems/x/config/k" with floor 2 stops at "gems/x").
 * FALSE (and 0:0) when nothing is known. */
gboolean         sluice_source_map_find   (SluiceSourceMap *self,
                                           const char      *path,
                                           guint            floor,
                                           guint           *line,
                                           guint           *column);
void             sluice_source_map_free   (SluiceSourceMap *self);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceSourceMap, sluice_source_map_free)

G_END_DECLS
