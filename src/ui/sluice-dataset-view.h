#pragma once

#include <adwaita.h>

#include "sluice-core.h"
#include "sluice-results-view.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_DATASET_VIEW (sluice_dataset_view_get_type ())
G_DECLARE_FINAL_TYPE (SluiceDatasetView, sluice_dataset_view, SLUICE, DATASET_VIEW, GtkBox)

/* The editor of one dataset of @project: description, format and its
 * options, location, sample path, the schema (type, nullable and
 * description editable per column), the first rows of the sample and the
 * pipelines that use it.
 *
 * Edits are saved as they are made (sluice_project_save_dataset): a type,
 * nullability or format at once, a text field when it is applied (Enter or
 * its apply button; sluice_dataset_view_flush () applies them all, which
 * page.save — Ctrl+S — does). Changing a CSV option reads the sample again
 * (debounced, cancellable, on a worker thread) and saves the options and the
 * inferred schema together, keeping column descriptions; options that do not
 * read the sample are shown with the reason and saved as nothing.
 *
 * Activating a pipeline row activates page.open-pipeline (s). Property busy
 * (read-only): inference or the preview is running. */
GtkWidget         *sluice_dataset_view_new          (SluiceProject     *project,
                                                     SluiceDataset     *dataset);
SluiceDataset     *sluice_dataset_view_get_dataset  (SluiceDatasetView *self);
gboolean           sluice_dataset_view_get_busy     (SluiceDatasetView *self);
/* Applies text fields being edited (and a pending re-inference), now. */
void               sluice_dataset_view_flush        (SluiceDatasetView *self);
/* (nullable): the problem shown (inference, preview or saving) */
const char        *sluice_dataset_view_get_error    (SluiceDatasetView *self);
/* (nullable): the inference's note on column @name (mixed content …) */
const char        *sluice_dataset_view_get_note     (SluiceDatasetView *self,
                                                     const char        *name);

/* (transfer full): the names of the pipelines with a Source or Target gem
 * that reads or writes @dataset_name, sorted. */
char             **sluice_dataset_view_find_users   (SluiceProject     *project,
                                                     const char        *dataset_name);

/* For tests: the parts. */
GtkColumnView     *sluice_dataset_view_get_schema_view    (SluiceDatasetView *self);
SluiceResultsView *sluice_dataset_view_get_preview        (SluiceDatasetView *self);
GtkListBox        *sluice_dataset_view_get_pipelines_list (SluiceDatasetView *self);
/* "description", "location", "sample", "delimiter", "quote", "escape",
 * "null", "date", "timestamp" */
AdwEntryRow       *sluice_dataset_view_get_entry          (SluiceDatasetView *self,
                                                           const char        *which);
GtkSwitch         *sluice_dataset_view_get_header_switch  (SluiceDatasetView *self);
AdwComboRow       *sluice_dataset_view_get_format_row     (SluiceDatasetView *self);

/* The types a column may have, in the order the type menu lists them
 * ("decimal" stands for decimal(p,s)). */
extern const char * const sluice_dataset_view_types[];

G_END_DECLS
