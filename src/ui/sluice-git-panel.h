#pragma once

#include <adwaita.h>

#include "sluice-credential-store.h"
#include "sluice-repository.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_GIT_PANEL (sluice_git_panel_get_type ())
G_DECLARE_FINAL_TYPE (SluiceGitPanel, sluice_git_panel, SLUICE, GIT_PANEL, AdwBin)

/* The project's git changes: files grouped as pipelines (each with its
 * semantic summary) and other files, each staged or not; the selected
 * file's diff; the commit message and Commit; Pull and Push with progress
 * and Cancel. Actions "git.refresh", "git.commit", "git.pull", "git.push",
 * "git.cancel", "git.init", "git.resolve" (string: a pipeline file with
 * merge conflicts; its row has a Resolve button).
 *
 * "git.resolve" opens a SluiceConflictDialog on that file.
 *
 * Properties: repository (nullable, read-only: the working copy of the
 * folder given to set_directory), busy (an operation is in flight).
 * Signals: working-tree-changed () after a pull or a resolution changed
 * files on disk; check-unsaved () → (nullable) string, asked before a
 * pull: a sentence refuses it (unsaved edits in the editor). */
void              sluice_git_panel_set_directory   (SluiceGitPanel        *self,
                                                    const char            *directory);
/* Where tokens for pull and push are looked up (nullable: none). */
void              sluice_git_panel_set_credentials (SluiceGitPanel        *self,
                                                    SluiceCredentialStore *store);
/* Preferences' author, used when git config has none. */
void              sluice_git_panel_set_settings    (SluiceGitPanel        *self,
                                                    GSettings             *settings);
SluiceRepository *sluice_git_panel_get_repository  (SluiceGitPanel        *self);
gboolean          sluice_git_panel_get_busy        (SluiceGitPanel        *self);
/* Reloads status, summaries and the diff (after a save, on focus); while
 * the panel is hidden, once it is shown. */
void              sluice_git_panel_refresh         (SluiceGitPanel        *self);
/* Stages (@staged TRUE) or unstages @path, as the row's check box does. */
void              sluice_git_panel_set_staged      (SluiceGitPanel        *self,
                                                    const char            *path,
                                                    gboolean               staged);
/* For tests: the commit message view, the list, the diff view, and the
 * sentence of the last error (nullable) shown in the panel's bar. */
GtkTextView      *sluice_git_panel_get_message_view (SluiceGitPanel       *self);
GtkListBox       *sluice_git_panel_get_changes_list (SluiceGitPanel       *self);
GtkTextView      *sluice_git_panel_get_diff_view    (SluiceGitPanel       *self);
const char       *sluice_git_panel_get_error        (SluiceGitPanel       *self);
/* What git.set-token (the error bar's Set Token… after a refused token)
 * does: (transfer none) an AdwMessageDialog asking for a token (and a
 * user name) for the origin's server; "save" keeps them in the keyring. */
GtkWidget        *sluice_git_panel_ask_token       (SluiceGitPanel        *self);
/* (transfer none) (nullable): the SluiceConflictDialog git.resolve opened */
GtkWidget        *sluice_git_panel_get_conflict_dialog (SluiceGitPanel    *self);

G_END_DECLS
