#pragma once

#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

/* Writes a JsonNode tree in Sluice's canonical form (docs/file-format.md):
 * two-space indent, one member per line, arrays of scalars and the "inline"
 * objects (position, edges, schema columns) on one line, members in the
 * tree's order, UTF-8 as is, a final newline. The same tree always gives
 * the same bytes, so saved files diff cleanly.
 *
 * When @positions is given, it receives JsonNode* → packed (line << 32 |
 * column) of every value written, for diagnostics after a save. */
GBytes *sluice_json_write (JsonNode   *root,
                           GHashTable *positions);

/* A streaming writer for the same canonical form, for files whose shape is
 * known (a pipeline): no intermediate tree. Values are written with
 * sluice_json_writer_node(), which applies the canonical rules to any
 * subtree. Objects begun with @inline_ TRUE are written on one line. */
typedef struct _SluiceJsonWriter SluiceJsonWriter;

SluiceJsonWriter *sluice_json_writer_new          (gsize              size_hint);
void              sluice_json_writer_begin_object (SluiceJsonWriter  *self,
                                                   gboolean           inline_);
void              sluice_json_writer_end_object   (SluiceJsonWriter  *self);
void              sluice_json_writer_begin_array  (SluiceJsonWriter  *self);
void              sluice_json_writer_end_array    (SluiceJsonWriter  *self);
/* Starts a member of the current object, or an element of the current array (@key NULL). */
void              sluice_json_writer_key          (SluiceJsonWriter  *self,
                                                   const char        *key);
void              sluice_json_writer_string       (SluiceJsonWriter  *self,
                                                   const char        *value);
void              sluice_json_writer_int          (SluiceJsonWriter  *self,
                                                   gint64             value);
/* @member: the key that holds @node, for the inline rules */
void              sluice_json_writer_node         (SluiceJsonWriter  *self,
                                                   JsonNode          *node,
                                                   const char        *member);
GBytes           *sluice_json_writer_finish       (SluiceJsonWriter  *self);

/* Appends @s as a JSON string literal. */
void    sluice_json_append_string (GString    *out,
                                   const char *s);

G_END_DECLS
