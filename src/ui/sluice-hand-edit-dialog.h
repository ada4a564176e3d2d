#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define SLUICE_TYPE_HAND_EDIT_DIALOG (sluice_hand_edit_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SluiceHandEditDialog, sluice_hand_edit_dialog, SLUICE, HAND_EDIT_DIALOG, AdwMessageDialog)

/* Asked before a save overwrites generated files someone edited by hand:
 * responses "keep" (their edits stay, byte for byte; the default and what
 * closing does) and "overwrite"; Show Diff expands what overwriting would
 * change (from their text to Sluice's). @paths: project-relative; @diff:
 * the unified diff of them all. */
SluiceHandEditDialog *sluice_hand_edit_dialog_new (GtkWindow          *parent,
                                                   const char         *pipeline_name,
                                                   const char * const *paths,
                                                   const char         *diff);
/* (transfer none): the diff view, for tests */
GtkTextView          *sluice_hand_edit_dialog_get_diff_view (SluiceHandEditDialog *self);

G_END_DECLS
