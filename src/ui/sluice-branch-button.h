#pragma once

#include <adwaita.h>

#include "sluice-repository.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_BRANCH_BUTTON (sluice_branch_button_get_type ())
G_DECLARE_FINAL_TYPE (SluiceBranchButton, sluice_branch_button, SLUICE, BRANCH_BUTTON, AdwBin)

/* The header bar's branch switcher: the current branch, and a popover
 * listing local then remote branches (activating one switches to it, with
 * the repository's safe checkout) and creating one. A refused switch says
 * which files stand in the way, in the popover and as a toast.
 * Signals: switched (name) once the working tree is on another branch;
 * check-unsaved () → (nullable) string, asked before a switch: a sentence
 * refuses it (unsaved edits in the editor). */
void              sluice_branch_button_set_repository (SluiceBranchButton *self,
                                                       SluiceRepository   *repository);
/* Reloads the branches (after a commit, a pull). */
void              sluice_branch_button_reload         (SluiceBranchButton *self);
/* What activating a row does: switch to @name ("x" or "origin/x"). */
void              sluice_branch_button_switch         (SluiceBranchButton *self,
                                                       const char         *name);
/* What Create does: create @name at HEAD and switch to it. */
void              sluice_branch_button_create         (SluiceBranchButton *self,
                                                       const char         *name);
/* (nullable): the current branch, once known */
const char       *sluice_branch_button_get_current    (SluiceBranchButton *self);
/* (nullable): the sentence of the last refusal or failure */
const char       *sluice_branch_button_get_error      (SluiceBranchButton *self);
gboolean          sluice_branch_button_get_busy       (SluiceBranchButton *self);
/* (transfer none): for tests */
GtkListBox       *sluice_branch_button_get_list       (SluiceBranchButton *self);

G_END_DECLS
