#pragma once

#include <gtk/gtk.h>

#include "sluice-completion-provider.h"
#include "sluice-core.h"
#include "sluice-field-editor.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_INSPECTOR (sluice_inspector_get_type ())
G_DECLARE_FINAL_TYPE (SluiceInspector, sluice_inspector, SLUICE, INSPECTOR, GtkWidget)

/* The form of the selected gem: its label and id, then one editor per field
 * of its type's configuration (sluice_gem_type_get_fields), each with the
 * resolver's diagnostics about it underneath. Every edit is one command on
 * the pipeline's undo stack; undo, redo and edits made elsewhere refresh
 * the form. Actions: inspector.undo (Ctrl+Z), inspector.redo (Ctrl+Shift+Z).
 *
 * Property: gem-id (read-only, nullable): the gem shown. */
GtkWidget                *sluice_inspector_new            (void);
/* @datasets: GListModel of SluiceDataset, for Source and Target gems. */
void                      sluice_inspector_set_datasets   (SluiceInspector *self,
                                                           GListModel      *datasets);
/* Shows gem @gem_id of @pipeline, or nothing when @pipeline or @gem_id is
 * NULL. @resolver (following @pipeline) gives the input columns and the
 * diagnostics. A pending edit of the previous gem is committed first. */
void                      sluice_inspector_set_gem        (SluiceInspector *self,
                                                           SluicePipeline  *pipeline,
                                                           const char      *gem_id,
                                                           SluiceResolver  *resolver);
/* (nullable) */
const char               *sluice_inspector_get_gem_id     (SluiceInspector *self);
/* (transfer none) (nullable): the editor of the top-level field @name */
SluiceFieldEditor        *sluice_inspector_get_editor     (SluiceInspector *self,
                                                           const char      *name);
/* (transfer none): the label and id rows (AdwEntryRow) */
GtkWidget                *sluice_inspector_get_label_row  (SluiceInspector *self);
GtkWidget                *sluice_inspector_get_id_row     (SluiceInspector *self);
/* (transfer none): the completion every source view of the form uses */
SluiceCompletionProvider *sluice_inspector_get_completion (SluiceInspector *self);
/* Commits edits still waiting for their idle timeout. */
void                      sluice_inspector_flush          (SluiceInspector *self);

G_END_DECLS
