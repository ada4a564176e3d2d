#pragma once

#include <adwaita.h>

#include "sluice-repository.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_CONFLICT_DIALOG (sluice_conflict_dialog_get_type ())
G_DECLARE_FINAL_TYPE (SluiceConflictDialog, sluice_conflict_dialog, SLUICE, CONFLICT_DIALOG, AdwWindow)

/* The conflicts a merge left in a pipeline file, side by side: for each
 * field both sides changed, ours (this branch's, what the file holds) and
 * theirs (the incoming value), one of them picked (ours at first).
 * "conflict.resolve" writes the file with the picks and without its
 * "merge_conflicts", stages it, emits resolved (path) and closes. */
SluiceConflictDialog *sluice_conflict_dialog_new      (GtkWindow            *parent,
                                                       SluiceRepository     *repository,
                                                       const char           *path);
guint                 sluice_conflict_dialog_get_n_conflicts (SluiceConflictDialog *self);
/* What a click on one side's button does. */
void                  sluice_conflict_dialog_choose   (SluiceConflictDialog *self,
                                                       guint                 index,
                                                       gboolean              theirs);
/* (nullable): why it could not resolve */
const char           *sluice_conflict_dialog_get_error (SluiceConflictDialog *self);
gboolean              sluice_conflict_dialog_get_busy  (SluiceConflictDialog *self);

G_END_DECLS
