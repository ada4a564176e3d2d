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

/* Appends @s as a JSON string literal. */
void    sluice_json_append_string (GString    *out,
                                   const char *s);

G_END_DECLS
