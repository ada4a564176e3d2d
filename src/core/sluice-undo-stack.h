#pragma once

#include <glib-object.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_UNDO_STACK (sluice_undo_stack_get_type ())
G_DECLARE_FINAL_TYPE (SluiceUndoStack, sluice_undo_stack, SLUICE, UNDO_STACK, GObject)

/* Unlimited undo/redo of SluiceCommands. A new command clears redo. "dirty"
 * is exact: undoing back to the saved state makes it clean again.
 * Properties: can-undo, can-redo, dirty, undo-label, redo-label. */
SluiceUndoStack *sluice_undo_stack_new            (void);
/* Takes ownership; the command has already been applied. */
void             sluice_undo_stack_push           (SluiceUndoStack *self,
                                                   SluiceCommand   *command);
/* (transfer none) (nullable): the command undo would revert */
SluiceCommand   *sluice_undo_stack_peek_undo      (SluiceUndoStack *self);
/* (transfer none) (nullable): the command to revert; the caller reverts it */
SluiceCommand   *sluice_undo_stack_step_back      (SluiceUndoStack *self);
SluiceCommand   *sluice_undo_stack_step_forward   (SluiceUndoStack *self);
gboolean         sluice_undo_stack_get_can_undo   (SluiceUndoStack *self);
gboolean         sluice_undo_stack_get_can_redo   (SluiceUndoStack *self);
const char      *sluice_undo_stack_get_undo_label (SluiceUndoStack *self);
const char      *sluice_undo_stack_get_redo_label (SluiceUndoStack *self);
gboolean         sluice_undo_stack_get_dirty      (SluiceUndoStack *self);
guint            sluice_undo_stack_get_depth      (SluiceUndoStack *self);
void             sluice_undo_stack_mark_saved     (SluiceUndoStack *self);
/* Marks as saved the state that was current when @top was the command undo
 * would revert at @depth (an asynchronous save finished after more edits).
 * If that state is no longer in the history, nothing is clean. */
void             sluice_undo_stack_mark_saved_at  (SluiceUndoStack *self,
                                                   SluiceCommand   *top,
                                                   guint            depth);
/* Marks a command whose state was never saved (a file that changed on disk). */
void             sluice_undo_stack_mark_unsaved   (SluiceUndoStack *self);

G_END_DECLS
