#pragma once

#include <gtk/gtk.h>

#include "sluice-core.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_PALETTE (sluice_palette_get_type ())
G_DECLARE_FINAL_TYPE (SluicePalette, sluice_palette, SLUICE, PALETTE, GtkBox)

/* The gem catalog by category, searchable by name, category and description.
 * A row drags as a string "sluice-gem:TYPE" (a canvas's drop target makes the
 * gem); activating a row (or Enter in the search with one match left) emits
 * "gem-chosen" with the type name, for keyboard users. */
#define SLUICE_PALETTE_DRAG_PREFIX "sluice-gem:"

GtkWidget  *sluice_palette_new             (void);
void        sluice_palette_set_filter_text (SluicePalette *self,
                                            const char    *text);
/* (transfer full): the type names of the rows shown, in order; for tests */
GStrv       sluice_palette_get_shown_types (SluicePalette *self);
/* (transfer full) (nullable): what a drag of @type_name's row carries */
GdkContentProvider *sluice_palette_get_drag_content (SluicePalette *self,
                                                     const char    *type_name);
/* Whether @type matches a search: @folded (casefolded, nullable) is in its
 * title, name, category or description. The add-gem popover shares it. */
gboolean    sluice_palette_type_matches    (SluiceGemType *type,
                                            const char    *folded);
/* The type name a drop's string names, or NULL when it is not a palette drag. */
const char *sluice_palette_parse_drop      (const char    *text);

G_END_DECLS
