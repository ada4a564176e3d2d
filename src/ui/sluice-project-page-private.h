/* sluice-project-page-private.h: the project page's fields, shared by its
 * files (sluice-project-page.c: sidebar, details, problems;
 * sluice-project-page-run.c: running pipelines). */
#pragma once

#include "sluice-dataset-view.h"
#include "sluice-engine.h"
#include "sluice-job-view.h"
#include "sluice-pipeline-view.h"
#include "sluice-project-page.h"
#include "sluice-results-view.h"

G_BEGIN_DECLS

struct _SluiceProjectPage
{
  AdwBin         parent_instance;

  GtkPaned      *paned;
  GtkListBox    *pipelines_list;
  GtkListBox    *datasets_list;
  GtkListBox    *jobs_list;
  GtkBox        *outline_box;
  GtkLabel      *outline_title;
  GtkListBox    *outline_list;
  GtkStack      *detail_stack;
  GtkBox        *detail_box;
  GtkBox        *pipeline_box;
  GtkRevealer   *results_revealer;
  SluiceResultsView *results_view;
  GtkRevealer   *problems_revealer;
  GtkLabel      *problems_title;
  GtkListBox    *problems_list;

  gboolean       disposed;   /* the lists emit while they are torn down */
  SluiceProject *project;    /* owned, nullable */
  GSettings     *settings;   /* owned, nullable */
  gboolean       selecting;

  /* Runs (sluice-project-page-run.c) */
  SluiceEngine       *engine;         /* owned, nullable */
  char               *fabric_name;    /* owned, nullable: the engine's fabric */
  GHashTable         *run_fabrics;    /* SluicePipeline (owned) → the fabric its latest run is on (owned) */
  GHashTable         *runs;           /* SluicePipeline (owned) → its latest SluiceRun (owned) */
  GHashTable         *cancellables;   /* SluicePipeline (owned) → GCancellable of its run in progress */
  SluicePipelineView *pipeline_view;  /* borrowed, nullable: the shown pipeline's */

  /* Saving (sluice-project-page-save.c) */
  SluicePipeline     *dirty_source;   /* owned, nullable: whose dirty flag enables page.save */
  GtkWidget          *hand_edit_dialog; /* borrowed, nullable: asking about hand-edited code */

  /* Drafts (sluice-project-page-drafts.c) */
  SluiceDraftStore   *drafts;              /* owned, nullable: the project's */
  GCancellable       *drafts_cancellable;  /* owned, nullable */
  GHashTable         *draft_timers;        /* SluicePipeline (owned) → debounce source id */

  /* Datasets (sluice-project-page-datasets.c) */
  GtkRevealer        *import_revealer;
  GtkBox             *import_bar;
  GtkSpinner         *import_spinner;
  GtkImage           *import_error_icon;
  GtkLabel           *import_label;
  GtkButton          *import_cancel;
  GCancellable       *import_cancellable;  /* owned, nullable: the import running */
  SluiceDatasetView  *dataset_view;        /* borrowed, nullable: the shown dataset's */

  /* Jobs */
  SluiceJobView      *job_view;            /* borrowed, nullable: the shown job's */
};

void _sluice_project_page_class_init_run (GtkWidgetClass    *widget_class);
void _sluice_project_page_init_run       (SluiceProjectPage *self);
void _sluice_project_page_dispose_run    (SluiceProjectPage *self);
void _sluice_project_page_class_init_save (GtkWidgetClass    *widget_class);
void _sluice_project_page_update_save     (SluiceProjectPage *self);
/* A save is over (its JSON and, when it could, its code written). */
void _sluice_project_page_emit_saved      (SluiceProjectPage *self,
                                           const char        *name);
/* The shown pipeline changed (or its view was made). */
void _sluice_project_page_update_run     (SluiceProjectPage *self);

void _sluice_project_page_init_drafts        (SluiceProjectPage *self);
void _sluice_project_page_dispose_drafts     (SluiceProjectPage *self);
/* The project changed: drafts of the new one are restored. */
void _sluice_project_page_set_project_drafts (SluiceProjectPage *self);
/* Saved: the draft is of no more use. */
void _sluice_project_page_forget_draft       (SluiceProjectPage *self,
                                              SluicePipeline    *pipeline);
/* Undoes back to the saved file and removes the draft. */
void _sluice_project_page_discard_changes    (SluiceProjectPage *self,
                                              SluicePipeline    *pipeline);

void _sluice_project_page_class_init_outline (GtkWidgetClass    *widget_class);
/* The shown pipeline changed: the outline lists its gems (or hides). */
void _sluice_project_page_update_outline     (SluiceProjectPage *self);
void _sluice_project_page_class_init_items    (GtkWidgetClass    *widget_class);
void _sluice_project_page_class_init_datasets (GtkWidgetClass    *widget_class);
void _sluice_project_page_dispose_datasets    (SluiceProjectPage *self);
/* Reads @file's schema (on a worker thread) and adds a dataset of it; with
 * @pipeline, also a Source gem of it at (@x, @y) of the model (one undo
 * step). Shows progress and errors in the import bar. */
void _sluice_project_page_import_file         (SluiceProjectPage *self,
                                               GFile             *file,
                                               SluicePipeline    *pipeline,
                                               int                x,
                                               int                y);
void _sluice_project_page_show_toast          (SluiceProjectPage *self,
                                               AdwToast          *toast);
/* A sidebar row's context menu (right click, Shift+F10, Menu). */
void _sluice_project_page_setup_row_menu     (SluiceProjectPage *self,
                                              GtkWidget         *row);

G_END_DECLS
