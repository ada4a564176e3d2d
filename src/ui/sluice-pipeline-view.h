#pragma once

#include <adwaita.h>

#include "sluice-core.h"
#include "sluice-run.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_PIPELINE_VIEW (sluice_pipeline_view_get_type ())
G_DECLARE_FINAL_TYPE (SluicePipelineView, sluice_pipeline_view, SLUICE, PIPELINE_VIEW, GtkBox)

/* A pipeline's gems with what its latest run did to each (queued, running,
 * rows and time, or the error), and the run's progress and controls.
 * Property shown-result: the result of the chosen gem (or the run's latest),
 * which the page shows in its results pane. Its buttons activate page.run, page.run-until
 * and page.cancel-run, which the project page provides. */
GtkWidget         *sluice_pipeline_view_new         (SluicePipeline     *pipeline);
SluicePipeline    *sluice_pipeline_view_get_pipeline (SluicePipelineView *self);
/* @run: (nullable) the pipeline's latest run */
void               sluice_pipeline_view_set_run     (SluicePipelineView *self,
                                                     SluiceRun          *run);
/* Shows the sample of @gem_id from the run (when it has one). */
void               sluice_pipeline_view_show_gem    (SluicePipelineView *self,
                                                     const char         *gem_id);
/* (transfer none): for tests */
GtkListBox        *sluice_pipeline_view_get_gem_list (SluicePipelineView *self);
/* (transfer none) (nullable) */
SluiceGemResult   *sluice_pipeline_view_get_shown_result (SluicePipelineView *self);
/* The text a gem's row shows for its run state ("12 rows · 1.0 ms"). */
const char        *sluice_pipeline_view_get_gem_status (SluicePipelineView *self,
                                                       const char         *gem_id);

G_END_DECLS
