#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* A search popover for adding a gem by typing: an entry and the gem types
 * that match it (the palette's matching). Enter, or activating a row, emits
 * "gem-chosen" with the type name and closes the popover. */

#define SLUICE_TYPE_ADD_GEM_POPOVER (sluice_add_gem_popover_get_type ())
G_DECLARE_FINAL_TYPE (SluiceAddGemPopover, sluice_add_gem_popover, SLUICE, ADD_GEM_POPOVER, GtkPopover)

GtkWidget *sluice_add_gem_popover_new            (void);
/* Sets the search (the letter that opened it), cursor at the end. */
void       sluice_add_gem_popover_set_text       (SluiceAddGemPopover *self,
                                                  const char          *text);
/* (transfer full): the type names shown, in order; for tests */
GStrv      sluice_add_gem_popover_get_shown_types (SluiceAddGemPopover *self);

G_END_DECLS
