#pragma once

#include <gio/gio.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_PROJECT (sluice_project_get_type ())
G_DECLARE_FINAL_TYPE (SluiceProject, sluice_project, SLUICE, PROJECT, GObject)

/* A project is a folder: sluice.json, pipelines/NAME.json, datasets/NAME.json,
 * jobs/NAME.json and generated code under code/.
 *
 * Loading fails (SLUICE_MODEL_ERROR_NOT_A_PROJECT, …_PARSE, …_NEWER_FORMAT)
 * only when the folder or its manifest is unusable. A broken pipeline, dataset
 * or job file still loads as a listed item, and its problems are in
 * sluice_project_get_problems(). */
SluiceProject  *sluice_project_load           (GFile          *directory,
                                               GCancellable   *cancellable,
                                               GError        **error);
void            sluice_project_load_async     (GFile               *directory,
                                               GCancellable        *cancellable,
                                               GAsyncReadyCallback  callback,
                                               gpointer             user_data);
SluiceProject  *sluice_project_load_finish    (GAsyncResult   *result,
                                               GError        **error);
/* Creates the folder layout and manifest of a new, empty project. */
SluiceProject  *sluice_project_create         (GFile          *directory,
                                               const char     *name,
                                               GError        **error);

GFile          *sluice_project_get_directory  (SluiceProject  *self);
const char     *sluice_project_get_name       (SluiceProject  *self);
const char     *sluice_project_get_description (SluiceProject *self);
const char * const *sluice_project_get_code_targets (SluiceProject *self);

/* (transfer none): sorted by name */
GListModel     *sluice_project_get_pipelines  (SluiceProject  *self);
GListModel     *sluice_project_get_datasets   (SluiceProject  *self);
GListModel     *sluice_project_get_jobs       (SluiceProject  *self);
SluicePipeline *sluice_project_find_pipeline  (SluiceProject  *self,
                                               const char     *name);
SluiceDataset  *sluice_project_find_dataset   (SluiceProject  *self,
                                               const char     *name);
SluiceJob      *sluice_project_find_job       (SluiceProject  *self,
                                               const char     *name);
/* (transfer full): the file of an item, e.g. <dir>/pipelines/NAME.json */
GFile          *sluice_project_get_pipeline_file (SluiceProject  *self,
                                                  SluicePipeline *pipeline);

/* (transfer none): GListModel of SluiceDiagnostic, sorted by file and line;
 * refreshed by sluice_project_validate() (loading calls it). */
GListModel     *sluice_project_get_problems   (SluiceProject  *self);
void            sluice_project_validate       (SluiceProject  *self);
guint           sluice_project_get_n_errors   (SluiceProject  *self);

/* Adds a new empty pipeline and writes its file. */
SluicePipeline *sluice_project_add_pipeline   (SluiceProject  *self,
                                               const char     *name,
                                               GError        **error);
/* The three kinds of item a project lists, each a folder of NAME.json. */
typedef enum {
  SLUICE_ITEM_PIPELINE,
  SLUICE_ITEM_DATASET,
  SLUICE_ITEM_JOB,
} SluiceItemKind;

/* Renames the item's file (<folder>/NAME.json → NEW_NAME.json) and replaces
 * the item in its list by one loaded from the renamed file. Refuses an
 * invalid or taken name (…_INVALID, …_EXISTS) and a pipeline with unsaved
 * edits (…_INVALID). Generated code is the caller's (codegen) to move.
 * (transfer none): the new item. */
gpointer        sluice_project_rename_item    (SluiceProject  *self,
                                               SluiceItemKind  kind,
                                               const char     *name,
                                               const char     *new_name,
                                               GError        **error);
/* Deletes the item's file and removes it from its list. (transfer full):
 * the file's bytes, which sluice_project_restore_item() puts back. */
GBytes         *sluice_project_remove_item    (SluiceProject  *self,
                                               SluiceItemKind  kind,
                                               const char     *name,
                                               GError        **error);
/* Writes @bytes as the item's file again and lists it. (transfer none) */
gpointer        sluice_project_restore_item   (SluiceProject  *self,
                                               SluiceItemKind  kind,
                                               const char     *name,
                                               GBytes         *bytes,
                                               GError        **error);
/* Writes @dataset (a new one, named as a new item) as datasets/NAME.json and
 * lists it; refuses a taken or invalid name. (transfer none): the listed
 * dataset, read back from the bytes written. */
SluiceDataset  *sluice_project_add_dataset    (SluiceProject  *self,
                                               SluiceDataset  *dataset,
                                               GError        **error);
/* Writes a listed dataset's file again (atomically) after edits and
 * re-validates the project, so pipelines see its new schema. */
gboolean        sluice_project_save_dataset   (SluiceProject  *self,
                                               SluiceDataset  *dataset,
                                               GError        **error);
/* The same for a listed job. */
gboolean        sluice_project_save_job       (SluiceProject  *self,
                                               SluiceJob      *job,
                                               GError        **error);
/* (transfer none) (nullable): a pipeline, dataset or job by kind and name */
gpointer        sluice_project_find_item      (SluiceProject  *self,
                                               SluiceItemKind  kind,
                                               const char     *name);

/* Names of pipelines, datasets and jobs: as gem ids (files stay portable). */
gboolean        sluice_project_name_is_valid  (const char     *name);

G_END_DECLS
