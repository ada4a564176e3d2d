#define G_LOG_DOMAIN "sluice-pipeline-view"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-pipeline-view.h"

struct _SluicePipelineView
{
  GtkBox             parent_instance;

  GtkButton         *run_button;
  GtkButton         *cancel_button;
  GtkProgressBar    *progress;
  GtkLabel          *status;
  GtkListBox        *gem_list;

  SluicePipeline    *pipeline;   /* owned */
  SluiceRun         *run;        /* owned, nullable */
  GHashTable        *rows;       /* gem id (owned) → GemRow (owned) */
  char              *shown_gem;  /* owned, nullable: whose sample is shown */
  gboolean           user_picked;/* the user chose shown_gem: the run does not move it */
  SluiceGemResult   *shown_result;/* owned, nullable: shown_gem's result */
};

G_DEFINE_FINAL_TYPE (SluicePipelineView, sluice_pipeline_view, GTK_TYPE_BOX)

enum { PROP_0, PROP_SHOWN_RESULT, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* The widgets of one gem's row that show its run state. */
typedef struct
{
  GtkWidget *row;       /* borrowed: the list owns it */
  GtkStack  *state;     /* borrowed */
  GtkLabel  *text;      /* borrowed */
  GtkImage  *failed;    /* borrowed */
  char      *label;     /* owned: for the accessible description */
} GemRow;

static void
gem_row_free (gpointer data)
{
  GemRow *r = data;

  g_free (r->label);
  g_free (r);
}

static GemRow *
add_gem_row (SluicePipelineView *self,
             SluiceGem          *gem)
{
  GemRow *r = g_new0 (GemRow, 1);
  SluiceGemType *type = sluice_gem_get_gem_type (gem);
  const char *id = sluice_gem_get_id (gem);
  g_autofree char *subtitle = g_strdup_printf ("%s · %s", type ? sluice_gem_type_get_title (type)
                                                                : sluice_gem_get_type_name (gem), id);
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *state = gtk_stack_new ();
  GtkWidget *text = gtk_label_new (NULL);
  GtkWidget *spinner = gtk_spinner_new ();
  GtkWidget *failed = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  GtkWidget *until = gtk_button_new_from_icon_name ("media-skip-forward-symbolic");
  g_autofree char *until_tip = g_strdup_printf (_("Run up to “%s”"), sluice_gem_get_label (gem));

  adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), sluice_gem_get_label (gem));
  adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
  adw_action_row_set_icon_name (ADW_ACTION_ROW (row), type ? "sluice-gem-symbolic" : "dialog-warning-symbolic");
  gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);

  gtk_widget_add_css_class (text, "dim-label");
  gtk_widget_add_css_class (text, "numeric");
  gtk_widget_add_css_class (failed, "error");
  gtk_spinner_set_spinning (GTK_SPINNER (spinner), TRUE);
  gtk_stack_add_named (GTK_STACK (state), text, "text");
  gtk_stack_add_named (GTK_STACK (state), spinner, "running");
  gtk_stack_add_named (GTK_STACK (state), failed, "failed");
  gtk_widget_set_valign (state, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), state);

  gtk_widget_set_valign (until, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (until, "flat");
  gtk_widget_set_tooltip_text (until, until_tip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (until), GTK_ACCESSIBLE_PROPERTY_LABEL, until_tip, -1);
  gtk_actionable_set_action_name (GTK_ACTIONABLE (until), "page.run-until");
  gtk_actionable_set_action_target (GTK_ACTIONABLE (until), "s", id);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), until);

  g_object_set_data_full (G_OBJECT (row), "gem-id", g_strdup (id), g_free);
  gtk_list_box_append (self->gem_list, row);

  r->row = row;
  r->state = GTK_STACK (state);
  r->text = GTK_LABEL (text);
  r->failed = GTK_IMAGE (failed);
  r->label = g_strdup (sluice_gem_get_label (gem));
  return r;
}

static void
show_state (SluicePipelineView *self,
            const char         *gem_id)
{
  GemRow *r = g_hash_table_lookup (self->rows, gem_id);
  SluiceGemState state = self->run ? sluice_run_get_gem_state (self->run, gem_id) : SLUICE_GEM_NOT_IN_RUN;
  SluiceGemResult *result = self->run ? sluice_run_find_result (self->run, gem_id) : NULL;
  g_autofree char *text = NULL;

  if (r == NULL)
    return;
  switch (state)
    {
    case SLUICE_GEM_QUEUED:
      text = g_strdup (_("queued"));
      break;
    case SLUICE_GEM_RUNNING:
      text = g_strdup (_("running"));
      break;
    case SLUICE_GEM_DONE:
      {
        gint64 n = result ? sluice_gem_result_get_n_rows (result) : 0;
        g_autofree char *rows = sluice_format_row_count (n);
        text = g_strdup_printf ("%s · %.1f ms", rows, result ? sluice_gem_result_get_elapsed (result) : 0);
      }
      break;
    case SLUICE_GEM_FAILED:
      text = g_strdup (_("failed"));
      break;
    case SLUICE_GEM_NOT_IN_RUN:
    default:
      text = g_strdup ("");
      break;
    }

  gtk_label_set_text (r->text, text);
  gtk_stack_set_visible_child_name (r->state, state == SLUICE_GEM_RUNNING ? "running"
                                              : state == SLUICE_GEM_FAILED ? "failed" : "text");
  if (state == SLUICE_GEM_FAILED && result && sluice_gem_result_get_error (result))
    gtk_widget_set_tooltip_text (GTK_WIDGET (r->failed), sluice_gem_result_get_error (result)->message);
  gtk_accessible_update_property (GTK_ACCESSIBLE (r->row), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION, text, -1);
}

static void
show_progress (SluicePipelineView *self)
{
  SluiceRunState state = self->run ? sluice_run_get_state (self->run) : SLUICE_RUN_QUEUED;
  const char *text = "";

  gtk_progress_bar_set_fraction (self->progress, self->run ? sluice_run_get_fraction (self->run) : 0);
  switch (state)
    {
    case SLUICE_RUN_RUNNING:
      text = _("Running on the Local fabric…");
      break;
    case SLUICE_RUN_SUCCEEDED:
      text = _("Finished");
      break;
    case SLUICE_RUN_FAILED:
      text = _("Failed");
      break;
    case SLUICE_RUN_CANCELLED:
      text = _("Cancelled");
      break;
    case SLUICE_RUN_QUEUED:
    default:
      text = self->run ? _("Starting…") : _("Not run yet");
      break;
    }
  gtk_label_set_text (self->status, text);
}

void
sluice_pipeline_view_show_gem (SluicePipelineView *self,
                               const char         *gem_id)
{
  SluiceGemResult *result;
  GemRow *r;

  g_return_if_fail (SLUICE_IS_PIPELINE_VIEW (self));

  if (g_strcmp0 (self->shown_gem, gem_id) != 0)
    {
      g_free (self->shown_gem);
      self->shown_gem = g_strdup (gem_id);
    }
  r = gem_id ? g_hash_table_lookup (self->rows, gem_id) : NULL;
  if (r)
    gtk_list_box_select_row (self->gem_list, GTK_LIST_BOX_ROW (r->row));
  result = self->run && gem_id ? sluice_run_find_result (self->run, gem_id) : NULL;
  if (self->shown_result != result)
    {
      g_set_object (&self->shown_result, result);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN_RESULT]);
    }
}

static void
gem_activated_cb (SluicePipelineView *self,
                  GtkListBoxRow      *row)
{
  sluice_pipeline_view_show_gem (self, g_object_get_data (G_OBJECT (row), "gem-id"));
  self->user_picked = TRUE;
}

static void
gem_state_changed (SluicePipelineView *self,
                   const char         *gem_id,
                   int                 state)
{
  show_state (self, gem_id);
}

static void
results_changed (SluicePipelineView *self,
                 guint               position,
                 guint               removed,
                 guint               added,
                 GListModel         *results)
{
  /* The run's latest gem is shown, unless the user chose one (or one failed). */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SluiceGemResult) r = g_list_model_get_item (results, i);
      const char *id = sluice_gem_result_get_gem_id (r);

      show_state (self, id);
      if (sluice_gem_result_get_error (r))
        self->user_picked = FALSE;
      if (!self->user_picked || g_strcmp0 (self->shown_gem, id) == 0)
        sluice_pipeline_view_show_gem (self, id);
      if (sluice_gem_result_get_error (r))
        self->user_picked = TRUE;
    }
}

static void
run_notify (SluicePipelineView *self)
{
  show_progress (self);
}

void
sluice_pipeline_view_set_run (SluicePipelineView *self,
                              SluiceRun          *run)
{
  GHashTableIter iter;
  gpointer key;

  g_return_if_fail (SLUICE_IS_PIPELINE_VIEW (self));
  g_return_if_fail (!run || sluice_run_get_pipeline (run) == self->pipeline);

  if (self->run == run)
    return;
  if (self->run)
    {
      g_signal_handlers_disconnect_by_data (self->run, self);
      g_signal_handlers_disconnect_by_data (sluice_run_get_results (self->run), self);
    }
  g_set_object (&self->run, run);
  if (run)
    {
      g_signal_connect_object (run, "gem-state-changed", G_CALLBACK (gem_state_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (run, "notify::state", G_CALLBACK (run_notify), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (run, "notify::fraction", G_CALLBACK (run_notify), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sluice_run_get_results (run), "items-changed", G_CALLBACK (results_changed), self,
                               G_CONNECT_SWAPPED);
    }
  g_hash_table_iter_init (&iter, self->rows);
  while (g_hash_table_iter_next (&iter, &key, NULL))
    show_state (self, key);
  show_progress (self);
  self->user_picked = FALSE;
  sluice_pipeline_view_show_gem (self, NULL);
  /* A finished run being shown again: its last gem's sample. */
  if (run && g_list_model_get_n_items (sluice_run_get_results (run)) > 0)
    {
      guint n = g_list_model_get_n_items (sluice_run_get_results (run));
      g_autoptr(SluiceGemResult) last = g_list_model_get_item (sluice_run_get_results (run), n - 1);
      sluice_pipeline_view_show_gem (self, sluice_gem_result_get_gem_id (last));
    }
}

SluicePipeline *
sluice_pipeline_view_get_pipeline (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->pipeline;
}

GtkListBox *
sluice_pipeline_view_get_gem_list (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->gem_list;
}

SluiceGemResult *
sluice_pipeline_view_get_shown_result (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->shown_result;
}

static void
sluice_pipeline_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SHOWN_RESULT:
      g_value_set_object (value, SLUICE_PIPELINE_VIEW (object)->shown_result);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

const char *
sluice_pipeline_view_get_gem_status (SluicePipelineView *self,
                                     const char         *gem_id)
{
  GemRow *r;

  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  r = g_hash_table_lookup (self->rows, gem_id);
  return r ? gtk_label_get_text (r->text) : NULL;
}

static void
sluice_pipeline_view_dispose (GObject *object)
{
  SluicePipelineView *self = SLUICE_PIPELINE_VIEW (object);

  if (self->run)
    {
      g_signal_handlers_disconnect_by_data (self->run, self);
      g_signal_handlers_disconnect_by_data (sluice_run_get_results (self->run), self);
    }
  g_clear_object (&self->run);
  g_clear_object (&self->shown_result);
  g_clear_pointer (&self->rows, g_hash_table_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_PIPELINE_VIEW);
  g_clear_object (&self->pipeline);

  G_OBJECT_CLASS (sluice_pipeline_view_parent_class)->dispose (object);
}

static void
sluice_pipeline_view_finalize (GObject *object)
{
  g_free (SLUICE_PIPELINE_VIEW (object)->shown_gem);
  G_OBJECT_CLASS (sluice_pipeline_view_parent_class)->finalize (object);
}

static void
sluice_pipeline_view_class_init (SluicePipelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_pipeline_view_dispose;
  object_class->finalize = sluice_pipeline_view_finalize;
  object_class->get_property = sluice_pipeline_view_get_property;

  /* The sample to show: the chosen gem's, or the run's latest. */
  properties[PROP_SHOWN_RESULT] =
    g_param_spec_object ("shown-result", NULL, NULL, SLUICE_TYPE_GEM_RESULT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-pipeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, run_button);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, progress);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, status);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, gem_list);
  gtk_widget_class_bind_template_callback (widget_class, gem_activated_cb);
}

static void
sluice_pipeline_view_init (SluicePipelineView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->rows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, gem_row_free);
}

GtkWidget *
sluice_pipeline_view_new (SluicePipeline *pipeline)
{
  SluicePipelineView *self;
  GListModel *gems;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);

  self = g_object_new (SLUICE_TYPE_PIPELINE_VIEW, NULL);
  self->pipeline = g_object_ref (pipeline);
  gems = sluice_pipeline_get_gems (pipeline);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      g_hash_table_insert (self->rows, g_strdup (sluice_gem_get_id (gem)), add_gem_row (self, gem));
    }
  if (g_list_model_get_n_items (gems) == 0)
    gtk_widget_set_visible (GTK_WIDGET (self->gem_list), FALSE);
  show_progress (self);
  return GTK_WIDGET (self);
}
