/* The project page's runs: page.run, page.run-until and page.cancel-run on
 * the selected pipeline, one run at a time per pipeline; a run goes on while
 * the user looks at something else, and its view picks it up again. */
#define G_LOG_DOMAIN "sluice-project-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-engine-error.h"
#include "sluice-project-page-private.h"

typedef struct
{
  SluiceProjectPage *self;       /* owned */
  SluicePipeline    *pipeline;   /* owned */
  GCancellable      *cancellable;/* owned */
} RunData;

static SluicePipeline *
shown_pipeline (SluiceProjectPage *self)
{
  return self->pipeline_view ? sluice_pipeline_view_get_pipeline (self->pipeline_view) : NULL;
}

static void
update_actions (SluiceProjectPage *self)
{
  SluicePipeline *p = shown_pipeline (self);
  gboolean running = p && g_hash_table_contains (self->cancellables, p);
  gboolean can_run = p && self->engine && self->project && !running && sluice_pipeline_get_load_error (p) == NULL &&
                     (sluice_engine_get_capabilities (self->engine) & SLUICE_ENGINE_CAN_RUN_PIPELINE);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.run", can_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.run-until", can_run);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "page.cancel-run", running);
}

static void
toast (SluiceProjectPage *self,
       const char        *text)
{
  GtkWidget *overlay = gtk_widget_get_ancestor (GTK_WIDGET (self), ADW_TYPE_TOAST_OVERLAY);
  AdwToast *t;

  if (overlay == NULL)
    return;
  t = adw_toast_new (text);
  adw_toast_set_timeout (t, 5);
  adw_toast_overlay_add_toast (ADW_TOAST_OVERLAY (overlay), t);
}

static void
run_finished (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  RunData *data = user_data;
  SluiceProjectPage *self = data->self;
  g_autoptr(GError) error = NULL;

  sluice_engine_run_pipeline_finish (SLUICE_ENGINE (source), result, &error);
  if (!self->disposed)
    {
      /* Only this run's entry: a new run may have started after a cancel. */
      if (g_hash_table_lookup (self->cancellables, data->pipeline) == data->cancellable)
        g_hash_table_remove (self->cancellables, data->pipeline);
      if (error == NULL)
        {
          SluiceRun *run = g_hash_table_lookup (self->runs, data->pipeline);
          guint n = run ? g_list_model_get_n_items (sluice_run_get_results (run)) : 0;
          g_autofree char *text = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Ran %s: %u gem",
                                                                "Ran %s: %u gems", n),
                                                   sluice_pipeline_get_name (data->pipeline), n);
          toast (self, text);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          toast (self, error->message);
          /* The problems that kept it from running are in the project's list. */
          if (g_error_matches (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE))
            g_object_set (self, "show-problems", TRUE, NULL);
        }
      update_actions (self);
    }
  g_object_unref (data->self);
  g_object_unref (data->pipeline);
  g_object_unref (data->cancellable);
  g_free (data);
}

void
sluice_project_page_run (SluiceProjectPage *self,
                         const char        *until_gem)
{
  SluicePipeline *p;
  g_autoptr(SluiceRun) run = NULL;
  GCancellable *cancellable;
  RunData *data;

  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));

  p = shown_pipeline (self);
  if (p == NULL || self->engine == NULL || self->project == NULL || g_hash_table_contains (self->cancellables, p))
    return;

  run = sluice_run_new (self->project, p, until_gem, SLUICE_RUN_DEFAULT_SAMPLE_LIMIT);
  g_hash_table_insert (self->runs, g_object_ref (p), g_object_ref (run));
  g_hash_table_insert (self->run_fabrics, g_object_ref (p), g_strdup (self->fabric_name));
  cancellable = g_cancellable_new ();
  g_hash_table_insert (self->cancellables, g_object_ref (p), cancellable);
  sluice_pipeline_view_set_run_on (self->pipeline_view, run, self->fabric_name);
  update_actions (self);

  data = g_new0 (RunData, 1);
  data->self = g_object_ref (self);
  data->pipeline = g_object_ref (p);
  data->cancellable = g_object_ref (cancellable);
  sluice_engine_run_pipeline_async (self->engine, run, cancellable, run_finished, data);
}

SluiceRun *
sluice_project_page_get_run (SluiceProjectPage *self,
                             SluicePipeline    *pipeline)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return g_hash_table_lookup (self->runs, pipeline);
}

SluicePipelineView *
sluice_project_page_get_pipeline_view (SluiceProjectPage *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return self->pipeline_view;
}

SluiceResultsView *
sluice_project_page_get_results_view (SluiceProjectPage *self)
{
  g_return_val_if_fail (SLUICE_IS_PROJECT_PAGE (self), NULL);
  return self->results_view;
}

void
sluice_project_page_set_engine (SluiceProjectPage *self,
                                SluiceEngine      *engine)
{
  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));
  g_return_if_fail (!engine || SLUICE_IS_ENGINE (engine));

  g_set_object (&self->engine, engine);
  update_actions (self);
}

void
sluice_project_page_set_fabric_name (SluiceProjectPage *self,
                                     const char        *name)
{
  g_return_if_fail (SLUICE_IS_PROJECT_PAGE (self));

  if (g_strcmp0 (self->fabric_name, name) == 0)
    return;
  g_free (self->fabric_name);
  self->fabric_name = g_strdup (name);
  if (self->pipeline_view && name)
    sluice_pipeline_view_set_fabric_name (self->pipeline_view, name);
}

static void
run_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  sluice_project_page_run (SLUICE_PROJECT_PAGE (widget), parameter ? g_variant_get_string (parameter, NULL) : NULL);
}

static void
cancel_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SluiceProjectPage *self = SLUICE_PROJECT_PAGE (widget);
  SluicePipeline *p = shown_pipeline (self);
  GCancellable *cancellable = p ? g_hash_table_lookup (self->cancellables, p) : NULL;

  if (cancellable)
    g_cancellable_cancel (cancellable);
}

void
_sluice_project_page_update_run (SluiceProjectPage *self)
{
  SluicePipeline *p = shown_pipeline (self);

  if (self->pipeline_view && self->fabric_name)
    sluice_pipeline_view_set_fabric_name (self->pipeline_view, self->fabric_name);
  if (p)
    sluice_pipeline_view_set_run_on (self->pipeline_view, g_hash_table_lookup (self->runs, p),
                                     g_hash_table_lookup (self->run_fabrics, p));
  update_actions (self);
  _sluice_project_page_update_save (self);
}

void
_sluice_project_page_class_init_run (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "page.run", NULL, run_action);
  gtk_widget_class_install_action (widget_class, "page.run-until", "s", run_action);
  gtk_widget_class_install_action (widget_class, "page.cancel-run", NULL, cancel_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, 0, "page.run", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, GDK_SHIFT_MASK, "page.cancel-run", NULL);
}

void
_sluice_project_page_init_run (SluiceProjectPage *self)
{
  self->runs = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->cancellables = g_hash_table_new_full (NULL, NULL, g_object_unref, g_object_unref);
  self->run_fabrics = g_hash_table_new_full (NULL, NULL, g_object_unref, g_free);
  update_actions (self);
}

/* Cancels every run and forgets them (another project, or the page goes);
 * when the page is disposed, the engine goes too. */
void
_sluice_project_page_dispose_run (SluiceProjectPage *self)
{
  GHashTableIter iter;
  gpointer value;

  if (self->cancellables == NULL)
    return;
  g_hash_table_iter_init (&iter, self->cancellables);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    g_cancellable_cancel (value);
  g_hash_table_remove_all (self->cancellables);
  g_hash_table_remove_all (self->runs);
  g_hash_table_remove_all (self->run_fabrics);
  if (self->disposed)
    {
      g_clear_pointer (&self->cancellables, g_hash_table_unref);
      g_clear_pointer (&self->runs, g_hash_table_unref);
      g_clear_pointer (&self->run_fabrics, g_hash_table_unref);
      g_clear_pointer (&self->fabric_name, g_free);
      g_clear_object (&self->engine);
    }
}
