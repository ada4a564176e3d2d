/* The project page's drafts: a dirty pipeline's text is written beside the
 * project (SluiceDraftStore) a few seconds after the last edit, so a crash
 * loses at most those seconds; opening the project puts drafts back into
 * the pipelines they were made from, if those files have not changed since. */
#define G_LOG_DOMAIN "sluice-project-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-project-page-private.h"

#define DRAFT_DELAY_MS 3000

static void
show_toast (SluiceProjectPage *self,
            AdwToast          *toast)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);

  if (overlay)
    adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), toast);
  else
    g_object_unref (toast);
}

typedef struct
{
  SluiceProjectPage *self;      /* owned */
  SluicePipeline    *pipeline;  /* owned */
} DraftWrite;

static void
draft_write_free (DraftWrite *w)
{
  g_object_unref (w->self);
  g_object_unref (w->pipeline);
  g_free (w);
}

static void
draft_written_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  DraftWrite *w = user_data;
  SluiceProjectPage *self = w->self;
  g_autoptr(GError) error = NULL;

  if (!sluice_draft_store_write_finish (SLUICE_DRAFT_STORE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && !self->disposed)
        {
          g_autofree char *text = g_strdup_printf (_("Unsaved changes to %s could not be kept: %s"),
                                                   sluice_pipeline_get_name (w->pipeline), error->message);
          show_toast (self, adw_toast_new (text));
        }
    }
  else if (!sluice_pipeline_get_dirty (w->pipeline) && SLUICE_DRAFT_STORE (source) == self->drafts)
    {
      /* Saved (or undone to the saved state) while the draft was written. */
      sluice_draft_store_discard (self->drafts, sluice_pipeline_get_name (w->pipeline), NULL);
    }
  g_debug ("draft of %s written", sluice_pipeline_get_name (w->pipeline));
  if (!self->disposed)
    g_signal_emit_by_name (self, "draft-written", sluice_pipeline_get_name (w->pipeline));
  draft_write_free (w);
}

static void
write_draft (SluiceProjectPage *self,
             SluicePipeline    *pipeline)
{
  g_autoptr(GBytes) bytes = NULL;
  DraftWrite *w;

  if (self->drafts == NULL || sluice_pipeline_get_load_error (pipeline) != NULL ||
      !sluice_pipeline_get_dirty (pipeline))
    return;

  /* Serialized here: the worker only sees bytes. */
  bytes = sluice_pipeline_to_bytes (pipeline);
  w = g_new0 (DraftWrite, 1);
  w->self = g_object_ref (self);
  w->pipeline = g_object_ref (pipeline);
  sluice_draft_store_write_async (self->drafts, sluice_pipeline_get_name (pipeline),
                                  sluice_pipeline_get_base_checksum (pipeline), bytes,
                                  self->drafts_cancellable, draft_written_cb, w);
}

typedef struct
{
  SluiceProjectPage *self;      /* borrowed: the page removes its timers */
  SluicePipeline    *pipeline;  /* borrowed: the table holds it */
} DraftTimer;

static gboolean
draft_timeout_cb (gpointer user_data)
{
  DraftTimer *t = user_data;
  SluiceProjectPage *self = t->self;
  g_autoptr(SluicePipeline) pipeline = g_object_ref (t->pipeline);

  g_hash_table_remove (self->draft_timers, pipeline); /* frees t */
  write_draft (self, pipeline);
  return G_SOURCE_REMOVE;
}

static void
pipeline_changed_cb (SluiceProjectPage *self,
                     SluicePipeline    *pipeline)
{
  DraftTimer *t;
  guint id;

  if (self->drafts == NULL || self->project == NULL ||
      sluice_project_find_pipeline (self->project, sluice_pipeline_get_name (pipeline)) != pipeline)
    return;

  g_hash_table_remove (self->draft_timers, pipeline);
  if (!sluice_pipeline_get_dirty (pipeline))
    {
      /* Undone back to the saved file: nothing left to keep. */
      sluice_draft_store_discard (self->drafts, sluice_pipeline_get_name (pipeline), NULL);
      return;
    }

  /* Debounced: written once the edits pause. */
  t = g_new0 (DraftTimer, 1);
  t->self = self;
  t->pipeline = pipeline;
  id = g_timeout_add_full (G_PRIORITY_DEFAULT, DRAFT_DELAY_MS, draft_timeout_cb, t, g_free);
  g_source_set_name_by_id (id, "[sluice] draft");
  g_hash_table_insert (self->draft_timers, g_object_ref (pipeline), GUINT_TO_POINTER (id));
}

static void
connect_pipelines (SluiceProjectPage *self,
                   GListModel        *pipelines,
                   guint              position,
                   guint              removed,
                   guint              added)
{
  if (self->project == NULL || pipelines != sluice_project_get_pipelines (self->project))
    return;
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      g_signal_connect_object (p, "changed", G_CALLBACK (pipeline_changed_cb), self, G_CONNECT_SWAPPED);
    }
}

/* ---- restoring ---- */

typedef struct
{
  SluiceProjectPage *self;      /* owned */
  SluicePipeline    *pipeline;  /* owned */
} DiscardData;

static void
discard_data_free (gpointer data,
                   GClosure *closure)
{
  DiscardData *d = data;
  g_object_unref (d->self);
  g_object_unref (d->pipeline);
  g_free (d);
}

static void
discard_clicked_cb (AdwToast    *toast,
                    DiscardData *d)
{
  _sluice_project_page_discard_changes (d->self, d->pipeline);
}

void
_sluice_project_page_discard_changes (SluiceProjectPage *self,
                                      SluicePipeline    *pipeline)
{
  /* Back to the saved file: undo is exact about which state that was. */
  while (sluice_pipeline_get_dirty (pipeline) && sluice_pipeline_undo (pipeline))
    ;
  if (self->draft_timers)
    g_hash_table_remove (self->draft_timers, pipeline);
  if (self->drafts)
    sluice_draft_store_discard (self->drafts, sluice_pipeline_get_name (pipeline), NULL);
}

void
_sluice_project_page_forget_draft (SluiceProjectPage *self,
                                   SluicePipeline    *pipeline)
{
  if (self->draft_timers)
    g_hash_table_remove (self->draft_timers, pipeline);
  if (self->drafts)
    sluice_draft_store_discard (self->drafts, sluice_pipeline_get_name (pipeline), NULL);
}

typedef struct
{
  char   *name;
  GBytes *bytes;   /* owned, nullable */
  char   *base;    /* owned, nullable */
  GError *error;   /* owned, nullable: why it could not be read */
} ReadDraft;

static void
read_draft_free (ReadDraft *d)
{
  g_free (d->name);
  g_clear_pointer (&d->bytes, g_bytes_unref);
  g_free (d->base);
  g_clear_error (&d->error);
  g_free (d);
}

static void
restore_one (SluiceProjectPage *self,
             ReadDraft         *d)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  g_autoptr(SluicePipeline) draft = NULL;
  SluicePipeline *p = sluice_project_find_pipeline (self->project, d->name);
  AdwToast *toast;

  if (p == NULL)
    {
      text = g_strdup_printf (_("Unsaved changes to %s were kept aside: the project has no such pipeline now"),
                              d->name);
      show_toast (self, adw_toast_new (text));
      return;
    }
  if (d->bytes == NULL)
    {
      text = g_strdup_printf (_("Unsaved changes to %s could not be read: %s"), d->name, d->error->message);
      show_toast (self, adw_toast_new (text));
      return;
    }
  if (g_strcmp0 (d->base, sluice_pipeline_get_base_checksum (p)) != 0)
    {
      /* A git pull or another editor changed the file: applying the draft
       * would silently undo that. The draft stays where it is. */
      text = g_strdup_printf (_("Unsaved changes to %s were not restored: its file changed since"), d->name);
      toast = adw_toast_new (text);
      adw_toast_set_timeout (toast, 0);
      show_toast (self, toast);
      return;
    }
  if (!(draft = sluice_pipeline_load_from_bytes (d->name, sluice_pipeline_get_file (p), d->bytes, NULL, &error)) ||
      !sluice_pipeline_replace_contents (p, draft, _("Restore Unsaved Changes"), &error))
    {
      text = g_strdup_printf (_("Unsaved changes to %s could not be restored: %s"), d->name, error->message);
      show_toast (self, adw_toast_new (text));
      return;
    }

  text = g_strdup_printf (_("Restored unsaved changes to %s"), d->name);
  toast = adw_toast_new (text);
  adw_toast_set_timeout (toast, 10);
  adw_toast_set_button_label (toast, _("_Discard"));
  {
    DiscardData *dd = g_new0 (DiscardData, 1);
    dd->self = g_object_ref (self);
    dd->pipeline = g_object_ref (p);
    g_signal_connect_data (toast, "button-clicked", G_CALLBACK (discard_clicked_cb), dd, discard_data_free, 0);
  }
  show_toast (self, toast);
}

static void
read_drafts_thread (GTask        *task,
                    gpointer      source_object,
                    gpointer      task_data,
                    GCancellable *cancellable)
{
  SluiceDraftStore *store = task_data;
  g_auto(GStrv) names = sluice_draft_store_list (store);
  GPtrArray *drafts = g_ptr_array_new_with_free_func ((GDestroyNotify) read_draft_free);

  for (guint i = 0; names[i]; i++)
    {
      ReadDraft *d = g_new0 (ReadDraft, 1);
      d->name = g_strdup (names[i]);
      d->bytes = sluice_draft_store_read (store, names[i], &d->base, &d->error);
      g_ptr_array_add (drafts, d);
    }
  g_task_return_pointer (task, drafts, (GDestroyNotify) g_ptr_array_unref);
}

static void
drafts_read_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SluiceProjectPage) self = user_data;
  g_autoptr(GPtrArray) drafts = g_task_propagate_pointer (G_TASK (result), NULL);

  /* Cancelled (another project, or the page went): nothing to restore into. */
  if (drafts == NULL || self->disposed || self->drafts != g_task_get_task_data (G_TASK (result)))
    return;
  for (guint i = 0; i < drafts->len; i++)
    restore_one (self, g_ptr_array_index (drafts, i));
  g_signal_emit_by_name (self, "drafts-restored");
}

void
_sluice_project_page_set_project_drafts (SluiceProjectPage *self)
{
  g_autoptr(GTask) task = NULL;

  if (self->disposed)
    return;
  g_hash_table_remove_all (self->draft_timers);
  g_cancellable_cancel (self->drafts_cancellable);
  g_clear_object (&self->drafts_cancellable);
  g_clear_object (&self->drafts);
  if (self->project == NULL)
    return;

  self->drafts_cancellable = g_cancellable_new ();
  self->drafts = sluice_draft_store_new (sluice_project_get_directory (self->project), NULL);
  connect_pipelines (self, sluice_project_get_pipelines (self->project), 0, 0,
                     g_list_model_get_n_items (sluice_project_get_pipelines (self->project)));
  g_signal_connect_object (sluice_project_get_pipelines (self->project), "items-changed",
                           G_CALLBACK (connect_pipelines), self, G_CONNECT_SWAPPED);

  /* Read in a thread; applied on the main thread, to this project only. */
  task = g_task_new (NULL, self->drafts_cancellable, drafts_read_cb, g_object_ref (self));
  g_task_set_source_tag (task, _sluice_project_page_set_project_drafts);
  g_task_set_return_on_cancel (task, FALSE);
  g_task_set_task_data (task, g_object_ref (self->drafts), g_object_unref);
  g_task_run_in_thread (task, read_drafts_thread);
}

static void
remove_timer (gpointer data)
{
  g_source_remove (GPOINTER_TO_UINT (data));
}

void
_sluice_project_page_init_drafts (SluiceProjectPage *self)
{
  self->draft_timers = g_hash_table_new_full (NULL, NULL, g_object_unref, remove_timer);
}

void
_sluice_project_page_dispose_drafts (SluiceProjectPage *self)
{
  /* No flush: what a crash would leave is what a closed window leaves. */
  if (self->project)
    g_signal_handlers_disconnect_by_func (sluice_project_get_pipelines (self->project), connect_pipelines, self);
  g_clear_pointer (&self->draft_timers, g_hash_table_unref);
  if (self->drafts_cancellable)
    g_cancellable_cancel (self->drafts_cancellable);
  g_clear_object (&self->drafts_cancellable);
  g_clear_object (&self->drafts);
}

SluiceDraftStore *
sluice_project_page_get_draft_store (SluiceProjectPage *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return self->drafts;
}
