/* The project page's page.save (Ctrl+S): the shown pipeline's file and, in
 * the same step, its generated code, so a commit always holds both. */
#define G_LOG_DOMAIN "sluice-project-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-code-writer.h"
#include "sluice-hand-edit-dialog.h"
#include "sluice-project-page-private.h"
#include "sluice-repository-ui-ops.h"

/* Saving several pipelines (closing the window): one GTask for them all. */
typedef struct
{
  guint   pending;
  GError *error;   /* owned, nullable: the first failure */
} SaveAll;

static void
save_all_free (SaveAll *all)
{
  g_clear_error (&all->error);
  g_free (all);
}

typedef struct
{
  SluiceProjectPage *self;       /* owned */
  SluicePipeline    *pipeline;   /* owned */
  GTask             *all;        /* owned, nullable: the save-all this is part of */
  GError            *error;      /* owned, nullable: why it did not fully save */
  GHashTable        *last_written; /* owned, nullable: the code of the pipeline as it was on disk */
} SaveData;

static void
save_data_free (SaveData *data)
{
  if (data->all)
    {
      SaveAll *all = g_task_get_task_data (data->all);

      if (data->error && all->error == NULL)
        all->error = g_error_copy (data->error);
      if (--all->pending == 0)
        {
          if (all->error)
            g_task_return_error (data->all, g_steal_pointer (&all->error));
          else
            g_task_return_boolean (data->all, TRUE);
        }
      g_object_unref (data->all);
    }
  if (!data->self->disposed)
    _sluice_project_page_emit_saved (data->self, sluice_pipeline_get_name (data->pipeline));
  g_clear_error (&data->error);
  g_clear_pointer (&data->last_written, g_hash_table_unref);
  g_object_unref (data->self);
  g_object_unref (data->pipeline);
  g_free (data);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SaveData, save_data_free)

static void
toast (SluiceProjectPage *self,
       const char        *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), adw_toast_new (text));
}

typedef struct
{
  char       *project_dir;
  char       *name;
  GHashTable *files;
  GHashTable *last_written;  /* nullable: check for hand edits first */
  GPtrArray  *hand_edited;   /* nullable: found, nothing written; paths */
  GHashTable *theirs;        /* nullable: path → the hand-edited text on disk */
  char       *diff;          /* nullable: from theirs to ours */
  guint       written;
  guint       removed;
} CodeJob;

static void
code_job_free (CodeJob *job)
{
  g_free (job->project_dir);
  g_free (job->name);
  g_hash_table_unref (job->files);
  g_clear_pointer (&job->last_written, g_hash_table_unref);
  g_clear_pointer (&job->hand_edited, g_ptr_array_unref);
  g_clear_pointer (&job->theirs, g_hash_table_unref);
  g_free (job->diff);
  g_free (job);
}

/* Generated files edited by hand that this save would change: they are
 * not written until the user says so. */
static gboolean
find_hand_edits (CodeJob *job)
{
  g_autoptr(GPtrArray) found = sluice_code_find_hand_edited (job->project_dir, job->last_written);
  g_autoptr(GString) diff = g_string_new (NULL);

  job->hand_edited = g_ptr_array_new_with_free_func (g_free);
  job->theirs = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  for (guint i = 0; i < found->len; i++)
    {
      const char *rel = g_ptr_array_index (found, i);
      const char *ours = g_hash_table_lookup (job->files, rel);
      g_autofree char *full = g_build_filename (job->project_dir, rel, NULL);
      g_autofree char *text = NULL;
      g_autofree char *patch = NULL;

      /* Gone from the new code, or already what it would be: nothing to lose
       * (a stale file Sluice removes is its own, as the writer checks). */
      if (ours == NULL || !g_file_get_contents (full, &text, NULL, NULL) || g_str_equal (text, ours))
        continue;
      patch = sluice_vcs_diff_texts (rel, text, ours);
      g_string_append (diff, patch);
      g_ptr_array_add (job->hand_edited, g_strdup (rel));
      g_hash_table_insert (job->theirs, g_strdup (rel), g_steal_pointer (&text));
    }
  job->diff = g_string_free (g_steal_pointer (&diff), FALSE);
  if (job->hand_edited->len > 0)
    return TRUE;
  g_clear_pointer (&job->hand_edited, g_ptr_array_unref);
  return FALSE;
}

static void
write_code_thread (GTask        *task,
                   gpointer      source_object,
                   gpointer      task_data,
                   GCancellable *cancellable)
{
  CodeJob *job = task_data;
  GError *error = NULL;

  if (job->last_written && find_hand_edits (job))
    {
      g_task_return_boolean (task, TRUE);
      return;
    }
  if (sluice_code_write_pipeline (job->project_dir, job->name, job->files, &job->written, &job->removed, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

static void code_written (GObject *source, GAsyncResult *result, gpointer user_data);

static void
write_code (SaveData *data,
            CodeJob  *job)
{
  g_autoptr(GTask) task = g_task_new (NULL, NULL, code_written, data);

  g_task_set_source_tag (task, write_code);
  g_task_set_task_data (task, job, (GDestroyNotify) code_job_free);
  g_task_run_in_thread (task, write_code_thread);
}

typedef struct
{
  SaveData *data;   /* owned */
  CodeJob  *job;    /* owned */
} HandEditAsk;

static void
hand_edit_response_cb (AdwMessageDialog *dialog,
                       const char       *response,
                       HandEditAsk      *ask)
{
  CodeJob *job = ask->job;
  SluiceProjectPage *self = ask->data->self;

  g_signal_handlers_disconnect_by_func (dialog, hand_edit_response_cb, ask);
  if (self->hand_edit_dialog == GTK_WIDGET (dialog))
    self->hand_edit_dialog = NULL;
  /* Keep: their text is what gets "written", so the writer leaves those
   * files as they are (and does not take them for stale ones). */
  if (!g_str_equal (response, "overwrite"))
    for (guint i = 0; i < job->hand_edited->len; i++)
      {
        const char *rel = g_ptr_array_index (job->hand_edited, i);
        g_hash_table_replace (job->files, g_strdup (rel), g_strdup (g_hash_table_lookup (job->theirs, rel)));
      }
  g_clear_pointer (&job->last_written, g_hash_table_unref);
  g_clear_pointer (&job->hand_edited, g_ptr_array_unref);
  g_clear_pointer (&job->theirs, g_hash_table_unref);
  write_code (ask->data, ask->job);
  g_free (ask);
}

static void
ask_about_hand_edits (SaveData *data,
                      CodeJob  *job)
{
  SluiceProjectPage *self = data->self;
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));
  SluiceHandEditDialog *dialog;
  HandEditAsk *ask;

  g_ptr_array_add (job->hand_edited, NULL);
  dialog = sluice_hand_edit_dialog_new (GTK_IS_WINDOW (root) ? GTK_WINDOW (root) : NULL,
                                        sluice_pipeline_get_name (data->pipeline),
                                        (const char * const *) job->hand_edited->pdata, job->diff);
  g_ptr_array_remove_index (job->hand_edited, job->hand_edited->len - 1);
  ask = g_new0 (HandEditAsk, 1);
  ask->data = data;
  ask->job = job;
  g_signal_connect (dialog, "response", G_CALLBACK (hand_edit_response_cb), ask);
  self->hand_edit_dialog = GTK_WIDGET (dialog);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
code_written (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  CodeJob *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  if (job->hand_edited && !data->self->disposed)
    {
      /* The job outlives this task: the answer writes it. */
      CodeJob *kept = g_new0 (CodeJob, 1);

      *kept = *job;
      memset (job, 0, sizeof *job);
      job->files = g_hash_table_new (g_str_hash, g_str_equal);
      ask_about_hand_edits (g_steal_pointer (&data), kept);
      return;
    }
  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      text = g_strdup_printf (_("Saved %s, but its code could not be written: %s"),
                              sluice_pipeline_get_name (data->pipeline), error->message);
      data->error = g_error_new_literal (SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_FAILED, text);
    }
  else
    text = g_strdup_printf (_("Saved %s and its code"), sluice_pipeline_get_name (data->pipeline));
  g_debug ("%s: %u code files written, %u removed", sluice_pipeline_get_name (data->pipeline), job->written,
           job->removed);
  if (!data->self->disposed)
    toast (data->self, text);
}

static void
pipeline_saved (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SaveData) data = user_data;
  SluiceProjectPage *self = data->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) files = NULL;
  CodeJob *job;

  if (!sluice_pipeline_save_finish (data->pipeline, result, &error))
    {
      /* Nothing is lost: the edits stay in the window, still unsaved. */
      if (!self->disposed)
        toast (self, error->message);
      data->error = g_steal_pointer (&error);
      return;
    }
  if (self->disposed || self->project == NULL)
    return;
  if (!sluice_pipeline_get_dirty (data->pipeline))
    _sluice_project_page_forget_draft (self, data->pipeline);

  /* Code from a pipeline with problems would be wrong code: say so. */
  files = sluice_code_files_for_pipeline (self->project, data->pipeline, NULL, problems);
  if (files == NULL)
    {
      g_autofree char *text = g_strdup_printf (_("Saved %s; its code was not written: %s"),
                                               sluice_pipeline_get_name (data->pipeline),
                                               (char *) g_ptr_array_index (problems, 0));
      /* The pipeline is saved: what it lacks is for the problems panel. */
      toast (self, text);
      return;
    }
  job = g_new0 (CodeJob, 1);
  job->project_dir = g_file_get_path (sluice_project_get_directory (self->project));
  job->name = g_strdup (sluice_pipeline_get_name (data->pipeline));
  job->files = g_steal_pointer (&files);
  job->last_written = g_steal_pointer (&data->last_written);
  write_code (g_steal_pointer (&data), job);
}

/* The code of the pipeline as its file now is, before the save replaces
 * it: what Sluice last wrote (generation is deterministic). NULL when the
 * file is new or unreadable: nothing to compare with. */
static GHashTable *
code_as_last_saved (SluiceProjectPage *self,
                    SluicePipeline    *p,
                    GFile             *file)
{
  g_autoptr(GBytes) bytes = g_file_load_bytes (file, NULL, NULL, NULL);
  g_autoptr(SluicePipeline) saved = NULL;
  g_autoptr(GPtrArray) diagnostics = NULL;
  g_autoptr(GPtrArray) problems = NULL;

  if (bytes == NULL)
    return NULL;
  diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  saved = sluice_pipeline_load_from_bytes (sluice_pipeline_get_name (p), sluice_pipeline_get_file (p), bytes,
                                           diagnostics, NULL);
  if (saved == NULL)
    return NULL;
  problems = g_ptr_array_new_with_free_func (g_free);
  return sluice_code_files_for_pipeline (self->project, saved, NULL, problems);
}

static void
save_pipeline (SluiceProjectPage *self,
               SluicePipeline    *p,
               GTask             *all)
{
  g_autoptr(GFile) file = sluice_project_get_pipeline_file (self->project, p);
  SaveData *data = g_new0 (SaveData, 1);

  data->self = g_object_ref (self);
  data->pipeline = g_object_ref (p);
  data->last_written = code_as_last_saved (self, p, file);
  if (all)
    {
      data->all = g_object_ref (all);
      ((SaveAll *) g_task_get_task_data (all))->pending++;
    }
  sluice_pipeline_save_async (p, file, NULL, pipeline_saved, data);
}

void
sluice_project_page_save (SluiceProjectPage *self)
{
  SluicePipeline *p;

  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));

  /* A dataset saves as it is edited: what is still being typed, now. */
  if (self->dataset_view)
    {
      sluice_dataset_view_flush (self->dataset_view);
      return;
    }
  /* So does a job. */
  if (self->job_view)
    {
      sluice_job_view_flush (self->job_view);
      return;
    }
  p = self->pipeline_view ? sluice_pipeline_view_get_pipeline (self->pipeline_view) : NULL;
  if (p == NULL || self->project == NULL)
    return;
  /* An expression still being typed is part of what is saved. */
  sluice_inspector_flush (sluice_pipeline_view_get_inspector (self->pipeline_view));
  if (!sluice_pipeline_get_dirty (p))
    return;
  save_pipeline (self, p, NULL);
}

GPtrArray *
sluice_project_page_get_unsaved (SluiceProjectPage *self)
{
  GPtrArray *unsaved = g_ptr_array_new_with_free_func (g_object_unref);
  GListModel *pipelines;

  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), unsaved);

  if (self->project == NULL)
    return unsaved;
  if (self->pipeline_view)
    sluice_inspector_flush (sluice_pipeline_view_get_inspector (self->pipeline_view));
  pipelines = sluice_project_get_pipelines (self->project);
  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      if (sluice_pipeline_get_dirty (p) && sluice_pipeline_get_load_error (p) == NULL)
        g_ptr_array_add (unsaved, g_steal_pointer (&p));
    }
  return unsaved;
}

void
sluice_project_page_save_all_async (SluiceProjectPage   *self,
                                    GCancellable        *cancellable,
                                    GAsyncReadyCallback  callback,
                                    gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autoptr(GPtrArray) unsaved = NULL;
  SaveAll *all;

  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_project_page_save_all_async);
  all = g_new0 (SaveAll, 1);
  all->pending = 1; /* held until every save has started */
  g_task_set_task_data (task, all, (GDestroyNotify) save_all_free);

  unsaved = sluice_project_page_get_unsaved (self);
  for (guint i = 0; i < unsaved->len; i++)
    save_pipeline (self, g_ptr_array_index (unsaved, i), task);

  if (--all->pending == 0)
    {
      if (all->error)
        g_task_return_error (task, g_steal_pointer (&all->error));
      else
        g_task_return_boolean (task, TRUE);
    }
}

gboolean
sluice_project_page_save_all_finish (SluiceProjectPage  *self,
                                     GAsyncResult       *result,
                                     GError            **error)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_project_page_save_all_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
sluice_project_page_discard_unsaved (SluiceProjectPage *self)
{
  g_autoptr(GPtrArray) unsaved = NULL;

  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));

  unsaved = sluice_project_page_get_unsaved (self);
  for (guint i = 0; i < unsaved->len; i++)
    _sluice_project_page_forget_draft (self, g_ptr_array_index (unsaved, i));
}

static void
save_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  sluice_project_page_save (SLUICE_PROJECT_PAGE (widget));
}

void
_sluice_project_page_update_save (SluiceProjectPage *self)
{
  SluicePipeline *p = self->pipeline_view ? sluice_pipeline_view_get_pipeline (self->pipeline_view) : NULL;

  if (self->dirty_source != p)
    {
      if (self->dirty_source)
        g_signal_handlers_disconnect_by_func (self->dirty_source, _sluice_project_page_update_save, self);
      g_set_object (&self->dirty_source, p);
      if (p)
        g_signal_connect_object (p, "notify::dirty", G_CALLBACK (_sluice_project_page_update_save), self,
                                 G_CONNECT_SWAPPED);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.save",
                                 (p && sluice_pipeline_get_dirty (p)) || self->dataset_view != NULL ||
                                 self->job_view != NULL);
}

void
_sluice_project_page_class_init_save (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.save", NULL, save_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_s, GDK_CONTROL_MASK, "page.save", NULL);
}

GtkWidget *
sluice_project_page_get_hand_edit_dialog (SluiceProjectPage *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return self->hand_edit_dialog;
}
