#pragma once

#include <gio/gio.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_DRAFT_STORE (sluice_draft_store_get_type ())
G_DECLARE_FINAL_TYPE (SluiceDraftStore, sluice_draft_store, SLUICE, DRAFT_STORE, GObject)

/* Unsaved edits of a project's pipelines, kept outside the project (never in
 * git) so that a crash loses at most the last few seconds of work:
 * <root>/<SHA-256 of the project's path>/<pipeline>.json, each holding the
 * pipeline's text and the SHA-256 of the file it was based on. Every method
 * touches only files, so any may run on a worker thread.
 *
 * Properties (construct-only): directory (the project's GFile), root (the
 * folder of all projects' drafts; default $XDG_STATE_HOME/sluice/drafts). */
SluiceDraftStore *sluice_draft_store_new          (GFile             *project_directory,
                                                   const char        *root);
/* The folder of this project's drafts. */
const char       *sluice_draft_store_get_folder   (SluiceDraftStore  *self);

/* Atomically replaces the draft of @pipeline_name. @base_checksum
 * (nullable): that of the pipeline's file when the edits began (NULL: a
 * pipeline with no file yet). */
gboolean          sluice_draft_store_write        (SluiceDraftStore  *self,
                                                   const char        *pipeline_name,
                                                   const char        *base_checksum,
                                                   GBytes            *content,
                                                   GCancellable      *cancellable,
                                                   GError           **error);
/* The same in a worker thread; @content is only read. */
void              sluice_draft_store_write_async  (SluiceDraftStore    *self,
                                                   const char          *pipeline_name,
                                                   const char          *base_checksum,
                                                   GBytes              *content,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean          sluice_draft_store_write_finish (SluiceDraftStore  *self,
                                                   GAsyncResult      *result,
                                                   GError           **error);

/* (transfer full): the names of the pipelines that have a draft, sorted;
 * never NULL. */
GStrv             sluice_draft_store_list         (SluiceDraftStore  *self);
/* (transfer full) (nullable): the draft's pipeline text, and in
 * @base_checksum (out) (transfer full) (nullable) what it was based on.
 * G_IO_ERROR_NOT_FOUND when there is none; SLUICE_MODEL_ERROR_PARSE when the
 * draft file is not one Sluice wrote. */
GBytes           *sluice_draft_store_read         (SluiceDraftStore  *self,
                                                   const char        *pipeline_name,
                                                   char             **base_checksum,
                                                   GError           **error);
/* Removes the draft; having none is no error. */
gboolean          sluice_draft_store_discard      (SluiceDraftStore  *self,
                                                   const char        *pipeline_name,
                                                   GError           **error);

G_END_DECLS
