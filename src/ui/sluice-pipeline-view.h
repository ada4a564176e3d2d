#pragma once

#include <adwaita.h>

#include "sluice-canvas.h"
#include "sluice-code-view.h"
#include "sluice-core.h"
#include "sluice-inspector.h"
#include "sluice-palette.h"
#include "sluice-run.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_PIPELINE_VIEW (sluice_pipeline_view_get_type ())
G_DECLARE_FINAL_TYPE (SluicePipelineView, sluice_pipeline_view, SLUICE, PIPELINE_VIEW, GtkBox)

/* The pipeline editor: the palette, the canvas, the inspector of the selected
 * gem and the generated code, with the run's controls and progress above;
 * each gem's card shows what the latest run did to it (queued, running, rows
 * and time, failed). A palette gem is added where it is dropped, or in the
 * middle of the view when chosen from the keyboard. Its buttons activate
 * page.run, page.run-until, page.cancel-run and page.save, which the project
 * page provides, and editor.zoom-to-fit / editor.run-to-selected (Ctrl+F5).
 *
 * Property shown-result: the result of the chosen gem (or the run's latest),
 * which the page shows in its results pane. */
GtkWidget         *sluice_pipeline_view_new           (SluicePipeline     *pipeline,
                                                       GListModel         *datasets);
SluicePipeline    *sluice_pipeline_view_get_pipeline  (SluicePipelineView *self);
/* @run: (nullable) the pipeline's latest run */
void               sluice_pipeline_view_set_run       (SluicePipelineView *self,
                                                       SluiceRun          *run);
/* @fabric_name: (nullable) the fabric @run is on (the selected one when
 * NULL), which the status line names while it runs, unless the engine says
 * more (SluiceRun:message). */
void               sluice_pipeline_view_set_run_on    (SluicePipelineView *self,
                                                       SluiceRun          *run,
                                                       const char         *fabric_name);
/* The selected fabric's name, which the Run button's tooltip names. */
void               sluice_pipeline_view_set_fabric_name (SluicePipelineView *self,
                                                         const char         *name);
const char        *sluice_pipeline_view_get_fabric_name (SluicePipelineView *self);
/* Shows the sample of @gem_id from the run (when it has one). */
void               sluice_pipeline_view_show_gem      (SluicePipelineView *self,
                                                       const char         *gem_id);
/* (transfer none) (nullable) */
SluiceGemResult   *sluice_pipeline_view_get_shown_result (SluicePipelineView *self);
/* The text a gem's card shows for its run state ("12 rows · 1.0 ms"), ""
 * when none, NULL for no such gem. */
const char        *sluice_pipeline_view_get_gem_status (SluicePipelineView *self,
                                                        const char         *gem_id);
/* (transfer none): the parts, for tests */
SluiceCanvas      *sluice_pipeline_view_get_canvas    (SluicePipelineView *self);
SluiceInspector   *sluice_pipeline_view_get_inspector (SluicePipelineView *self);
SluiceCodeView    *sluice_pipeline_view_get_code_view (SluicePipelineView *self);
SluicePalette     *sluice_pipeline_view_get_palette   (SluicePipelineView *self);

G_END_DECLS
