/* sluice-dataset-view-private.h: the dataset editor's fields, shared by
 * its files (sluice-dataset-view.c: fields, inference, preview, users;
 * sluice-dataset-view-schema.c: the schema table). */
#pragma once

#include "sluice-dataset-view.h"

G_BEGIN_DECLS

struct _SluiceDatasetView
{
  GtkBox              parent_instance;

  /* template children (borrowed) */
  GtkLabel           *title;
  GtkSpinner         *spinner;
  GtkButton          *delete_button;
  GtkRevealer        *error_revealer;
  GtkLabel           *error_label;
  AdwEntryRow        *description_row;
  AdwComboRow        *format_row;
  AdwEntryRow        *location_row;
  AdwEntryRow        *sample_row;
  AdwPreferencesGroup *csv_group;
  GtkSwitch          *header_switch;
  AdwEntryRow        *delimiter_row;
  AdwEntryRow        *quote_row;
  AdwEntryRow        *escape_row;
  AdwEntryRow        *null_row;
  AdwEntryRow        *date_row;
  AdwEntryRow        *timestamp_row;
  GtkColumnView      *schema_view;
  SluiceResultsView  *preview;
  GtkListBox         *pipelines_list;

  SluiceProject      *project;             /* owned */
  SluiceDataset      *dataset;             /* owned */
  GtkStringList      *formats;             /* owned: the format row's model */
  GtkStringList      *columns;             /* owned: one row per schema column (its name) */
  GHashTable         *notes;               /* owned: column name → inference note */
  char               *error;               /* owned, nullable: what the banner says */
  guint               loading;             /* > 0 while fields are filled from the dataset */
  guint               infer_id;            /* debounce of a re-inference */
  GCancellable       *infer_cancellable;   /* owned, nullable: the inference running */
  GCancellable       *preview_cancellable; /* owned, nullable: the preview being read */
  gboolean            busy;
};

/* Saves the dataset's file; a failure stays on screen. */
gboolean _sluice_dataset_view_save            (SluiceDatasetView *self);
/* Reads the first rows again (the previous read is cancelled). */
void     _sluice_dataset_view_refresh_preview (SluiceDatasetView *self);
/* The dataset's columns changed in number or names: the table follows. */
void     _sluice_dataset_view_rebuild_columns (SluiceDatasetView *self);
void     _sluice_dataset_view_init_schema     (SluiceDatasetView *self);

G_END_DECLS
