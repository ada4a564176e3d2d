#pragma once

#include <adwaita.h>

#include "sluice-core.h"
#include "sluice-dataset-view.h"
#include "sluice-engine.h"
#include "sluice-job-view.h"
#include "sluice-pipeline-view.h"
#include "sluice-results-view.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_PROJECT_PAGE (sluice_project_page_get_type ())
G_DECLARE_FINAL_TYPE (SluiceProjectPage, sluice_project_page, SLUICE, PROJECT_PAGE, AdwBin)

/* The sidebar of pipelines, datasets and jobs, the selected item's details,
 * and the problems panel. Property: show-problems. Signals: problems-changed,
 * saved (pipeline name) once a save has written what it could,
 * pipeline-shown () when a pipeline's editor was made. */
void           sluice_project_page_set_project  (SluiceProjectPage *self,
                                                 SluiceProject     *project);
SluiceProject *sluice_project_page_get_project  (SluiceProjectPage *self);
void           sluice_project_page_set_settings (SluiceProjectPage *self,
                                                 GSettings         *settings);
/* Selects the pipeline, dataset or job stored in @file ("pipelines/x.json"). */
gboolean       sluice_project_page_select_file  (SluiceProjectPage *self,
                                                 const char        *file);
/* @name: (nullable) the fabric the engine runs on, which the pipeline
 * view names */
void           sluice_project_page_set_fabric_name (SluiceProjectPage *self,
                                                    const char        *name);
/* The engine the page runs pipelines on (nullable: none yet, Run is off). */
void           sluice_project_page_set_engine   (SluiceProjectPage *self,
                                                 SluiceEngine      *engine);
/* Runs the selected pipeline, whole or up to @until_gem (nullable). */
void           sluice_project_page_run          (SluiceProjectPage *self,
                                                 const char        *until_gem);
/* Saves the shown pipeline and writes its code (when it has no problems). */
void           sluice_project_page_save         (SluiceProjectPage *self);
/* (transfer container): the pipelines with unsaved edits, by name */
GPtrArray     *sluice_project_page_get_unsaved  (SluiceProjectPage *self);
/* Saves every pipeline with unsaved edits, JSON and code; fails (with the
 * first problem) if any file could not be written. */
void           sluice_project_page_save_all_async  (SluiceProjectPage   *self,
                                                    GCancellable        *cancellable,
                                                    GAsyncReadyCallback  callback,
                                                    gpointer             user_data);
gboolean       sluice_project_page_save_all_finish (SluiceProjectPage   *self,
                                                    GAsyncResult        *result,
                                                    GError             **error);
/* (transfer none) (nullable): the SluiceHandEditDialog asking whether a
 * save may overwrite generated files edited by hand */
GtkWidget     *sluice_project_page_get_hand_edit_dialog (SluiceProjectPage *self);
/* The user chose to lose the unsaved edits: their drafts go too. */
void           sluice_project_page_discard_unsaved (SluiceProjectPage *self);
/* (transfer none) (nullable): the latest run of @pipeline */
SluiceRun     *sluice_project_page_get_run      (SluiceProjectPage *self,
                                                 SluicePipeline    *pipeline);
/* Makes a dataset of @file (CSV or JSON lines): its schema is inferred on a
 * worker thread; a file outside the project is copied into its data/
 * folder. The new dataset is selected. */
void           sluice_project_page_import_file  (SluiceProjectPage *self,
                                                 GFile             *file);
/* (transfer none) (nullable): the shown dataset's editor */
SluiceDatasetView *sluice_project_page_get_dataset_view (SluiceProjectPage *self);
/* (transfer none) (nullable): the editor of the job shown */
SluiceJobView     *sluice_project_page_get_job_view     (SluiceProjectPage *self);
/* (transfer none) (nullable): the shown pipeline's view */
SluicePipelineView *sluice_project_page_get_pipeline_view (SluiceProjectPage *self);
/* (transfer none): the results pane (the chosen gem's sample) */
SluiceResultsView  *sluice_project_page_get_results_view  (SluiceProjectPage *self);
/* (transfer none) (nullable): where the project's unsaved edits are kept
 * between sessions (a draft follows an edit after 3 s; signal draft-written
 * (name) once it is on disk) */
SluiceDraftStore *sluice_project_page_get_draft_store (SluiceProjectPage *self);
/* Selects the gem on the shown pipeline's canvas and centres the view on it
 * (what activating it in the sidebar's outline does). */
gboolean       sluice_project_page_reveal_gem   (SluiceProjectPage *self,
                                                 const char        *gem_id);
/* (transfer none): the sidebar lists ("pipelines", "datasets", "jobs",
 * "outline"), for tests */
GtkListBox    *sluice_project_page_get_list     (SluiceProjectPage *self,
                                                 const char        *which);
GtkListBox    *sluice_project_page_get_problems_list (SluiceProjectPage *self);

G_END_DECLS
