#define G_LOG_DOMAIN "sluice-dataset-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sluice-dataset-preview.h"
#include "sluice-dataset-view-private.h"
#include "sluice-engine-error.h"
#include "sluice-inference.h"

/* How many rows the preview shows, and how far inference reads. */
#define PREVIEW_ROWS   50
#define INFER_MAX_ROWS 100000
#define INFER_DELAY_MS 400


G_DEFINE_FINAL_TYPE (SluiceDatasetView, sluice_dataset_view, GTK_TYPE_BOX)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- state ---- */

static void
update_busy (SluiceDatasetView *self)
{
  gboolean busy = self->infer_id != 0 || self->infer_cancellable != NULL || self->preview_cancellable != NULL;

  gtk_spinner_set_spinning (self->spinner, busy);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), busy);
  if (busy == self->busy)
    return;
  self->busy = busy;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_BUSY]);
}

static void
show_error (SluiceDatasetView *self,
            const char        *message)
{
  if (g_strcmp0 (self->error, message) == 0)
    return;
  g_free (self->error);
  self->error = g_strdup (message);
  if (message)
    gtk_label_set_text (self->error_label, message);
  gtk_revealer_set_reveal_child (self->error_revealer, message != NULL);
}

static char *
project_dir (SluiceDatasetView *self)
{
  return g_file_get_path (sluice_project_get_directory (self->project));
}

/* (transfer full) (nullable): the sample's absolute path */
static char *
sample_path (SluiceDatasetView *self)
{
  const char *sample = sluice_dataset_get_sample (self->dataset);
  g_autoptr(GFile) file = NULL;

  if (sample == NULL)
    return NULL;
  file = g_file_resolve_relative_path (sluice_project_get_directory (self->project), sample);
  return g_file_get_path (file);
}

static const char *
selected_format (SluiceDatasetView *self)
{
  guint i = adw_combo_row_get_selected (self->format_row);

  if (i == GTK_INVALID_LIST_POSITION)
    return sluice_dataset_get_format (self->dataset);
  return gtk_string_list_get_string (self->formats, i);
}

static gboolean
infers (const char *format)
{
  return g_strcmp0 (format, "csv") == 0 || g_strcmp0 (format, "jsonl") == 0;
}

/* Saves the dataset's file; a failure stays on screen. */
gboolean
_sluice_dataset_view_save (SluiceDatasetView *self)
{
  g_autoptr(GError) error = NULL;

  /* Deleted meanwhile: nothing to save into. */
  if (sluice_project_find_dataset (self->project, sluice_dataset_get_name (self->dataset)) != self->dataset)
    return FALSE;
  if (!sluice_project_save_dataset (self->project, self->dataset, &error))
    {
      show_error (self, error->message);
      return FALSE;
    }
  show_error (self, NULL);
  return TRUE;
}

/* ---- the preview ---- */

typedef struct
{
  SluiceDatasetView *self;         /* owned */
  GCancellable      *cancellable;  /* owned */
  gboolean           apply;        /* an inference whose schema is saved (else: only its notes) */
} Request;

static Request *
request_new (SluiceDatasetView *self,
             GCancellable      *cancellable)
{
  Request *r = g_new0 (Request, 1);

  r->self = g_object_ref (self);
  r->cancellable = g_object_ref (cancellable);
  return r;
}

static void
request_free (Request *r)
{
  g_object_unref (r->self);
  g_object_unref (r->cancellable);
  g_free (r);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Request, request_free)

static void
preview_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(Request) r = user_data;
  SluiceDatasetView *self = r->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) preview = sluice_dataset_preview_finish (result, &error);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->preview_cancellable == r->cancellable)
    g_clear_object (&self->preview_cancellable);
  if (preview == NULL)
    {
      preview = sluice_gem_result_new (sluice_dataset_get_name (self->dataset));
      sluice_gem_result_take_error (preview, g_steal_pointer (&error));
    }
  sluice_results_view_set_result (self->preview, preview);
  update_busy (self);
}

void
_sluice_dataset_view_refresh_preview (SluiceDatasetView *self)
{
  g_autofree char *dir = project_dir (self);

  if (self->preview_cancellable)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->preview_cancellable);
  if (sluice_dataset_get_sample (self->dataset) == NULL)
    {
      g_autoptr(SluiceGemResult) none = sluice_gem_result_new (sluice_dataset_get_name (self->dataset));

      sluice_gem_result_take_error (none, g_error_new_literal (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                                               _("This dataset has no local sample to show.")));
      sluice_results_view_set_result (self->preview, none);
      update_busy (self);
      return;
    }
  self->preview_cancellable = g_cancellable_new ();
  sluice_dataset_preview_async (self->dataset, dir, PREVIEW_ROWS, self->preview_cancellable, preview_done,
                                request_new (self, self->preview_cancellable));
  update_busy (self);
}

/* ---- the fields ---- */

static const char * const option_keys[] = {
  "delimiter", "quote", "escape", "null_value", "date_format", "timestamp_format",
};

static AdwEntryRow *
option_row (SluiceDatasetView *self,
            guint              i)
{
  AdwEntryRow *rows[] = {
    self->delimiter_row, self->quote_row, self->escape_row, self->null_row, self->date_row, self->timestamp_row,
  };
  return rows[i];
}

/* A tab is shown (and typed) as \t. */
static char *
option_to_text (const char *value)
{
  return g_strcmp0 (value, "\t") == 0 ? g_strdup ("\\t") : g_strdup (value ? value : "");
}

static char *
option_from_text (const char *text)
{
  return g_strcmp0 (text, "\\t") == 0 ? g_strdup ("\t") : g_strdup (text);
}

static void
set_text_if_changed (AdwEntryRow *row,
                     const char  *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text ? text : "") != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
load_fields (SluiceDatasetView *self)
{
  JsonObject *options = sluice_dataset_get_options (self->dataset);
  const char *format = sluice_dataset_get_format (self->dataset);
  guint position = 0;

  self->loading++;
  gtk_label_set_text (self->title, sluice_dataset_get_name (self->dataset));
  set_text_if_changed (self->description_row, sluice_dataset_get_description (self->dataset));
  set_text_if_changed (self->location_row, sluice_dataset_get_location (self->dataset));
  set_text_if_changed (self->sample_row, sluice_dataset_get_sample (self->dataset));
  for (position = 0; position < g_list_model_get_n_items (G_LIST_MODEL (self->formats)); position++)
    if (g_strcmp0 (gtk_string_list_get_string (self->formats, position), format) == 0)
      break;
  if (position == g_list_model_get_n_items (G_LIST_MODEL (self->formats)))
    gtk_string_list_append (self->formats, format);
  adw_combo_row_set_selected (self->format_row, position);
  gtk_widget_set_visible (GTK_WIDGET (self->csv_group), g_strcmp0 (format, "csv") == 0);
  gtk_switch_set_active (self->header_switch, !json_object_has_member (options, "header") ||
                                              json_object_get_boolean_member (options, "header"));
  for (guint i = 0; i < G_N_ELEMENTS (option_keys); i++)
    {
      const char *value = json_object_has_member (options, option_keys[i])
                          ? json_object_get_string_member (options, option_keys[i]) : NULL;
      g_autofree char *text = option_to_text (value);
      set_text_if_changed (option_row (self, i), text);
    }
  self->loading--;
}

/* (transfer full): the dataset's options with the fields' values */
static JsonObject *
options_from_fields (SluiceDatasetView *self)
{
  JsonObject *options = json_object_new ();
  JsonObject *old = sluice_dataset_get_options (self->dataset);
  g_autoptr(GList) members = json_object_get_members (old);

  /* Options this editor does not show are kept. */
  for (GList *l = members; l; l = l->next)
    json_object_set_member (options, l->data, json_node_copy (json_object_get_member (old, l->data)));
  json_object_set_boolean_member (options, "header", gtk_switch_get_active (self->header_switch));
  for (guint i = 0; i < G_N_ELEMENTS (option_keys); i++)
    {
      const char *text = gtk_editable_get_text (GTK_EDITABLE (option_row (self, i)));

      if (*text)
        {
          g_autofree char *value = option_from_text (text);
          json_object_set_string_member (options, option_keys[i], value);
        }
      else if (json_object_has_member (options, option_keys[i]))
        json_object_remove_member (options, option_keys[i]);
    }
  return options;
}

/* ---- re-inference ---- */

static void
infer_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(Request) r = user_data;
  SluiceDatasetView *self = r->self;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceInference) inference = sluice_inference_run_finish (result, &error);
  g_autoptr(GPtrArray) names = NULL;
  g_autoptr(GPtrArray) types = NULL;
  g_autoptr(GPtrArray) descriptions = NULL;
  g_autoptr(GArray) nullable = NULL;
  g_autoptr(JsonObject) options = NULL;
  guint n;

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    return;
  if (self->infer_cancellable == r->cancellable)
    g_clear_object (&self->infer_cancellable);
  update_busy (self);
  if (inference == NULL)
    {
      /* The options do not read the sample: say where, save nothing. A
       * format is one choice, not text being typed: it goes back. */
      show_error (self, error->message);
      if (g_strcmp0 (selected_format (self), sluice_dataset_get_format (self->dataset)) != 0)
        load_fields (self);
      return;
    }

  n = sluice_inference_get_n_columns (inference);
  if (!r->apply)
    {
      /* Opening the editor: the notes on the declared schema's columns. */
      g_hash_table_remove_all (self->notes);
      for (guint i = 0; i < n; i++)
        if (sluice_inference_get_column_note (inference, i))
          g_hash_table_insert (self->notes, g_strdup (sluice_inference_get_column_name (inference, i)),
                               g_strdup (sluice_inference_get_column_note (inference, i)));
      if (g_hash_table_size (self->notes) > 0)
        _sluice_dataset_view_rebuild_columns (self);
      return;
    }
  names = g_ptr_array_new ();
  types = g_ptr_array_new ();
  descriptions = g_ptr_array_new ();
  nullable = g_array_new (FALSE, FALSE, sizeof (gboolean));
  g_hash_table_remove_all (self->notes);
  for (guint i = 0; i < n; i++)
    {
      const char *name = sluice_inference_get_column_name (inference, i);
      const char *description = NULL;
      gboolean null_ok = sluice_inference_get_column_nullable (inference, i);

      /* A column that keeps its name keeps its description. */
      for (guint k = 0; k < sluice_dataset_get_n_columns (self->dataset); k++)
        if (g_str_equal (sluice_dataset_get_column_name (self->dataset, k), name))
          description = sluice_dataset_get_column_description (self->dataset, k);
      g_ptr_array_add (names, (gpointer) name);
      g_ptr_array_add (types, (gpointer) sluice_inference_get_column_type (inference, i));
      g_ptr_array_add (descriptions, (gpointer) description);
      g_array_append_val (nullable, null_ok);
      if (sluice_inference_get_column_note (inference, i))
        g_hash_table_insert (self->notes, g_strdup (name), g_strdup (sluice_inference_get_column_note (inference, i)));
    }
  /* Copies first: set_columns frees the descriptions it replaces. */
  for (guint i = 0; i < descriptions->len; i++)
    descriptions->pdata[i] = g_strdup (descriptions->pdata[i]);
  g_ptr_array_set_free_func (descriptions, g_free);

  sluice_dataset_set_format (self->dataset, sluice_inference_get_format (inference));
  if (g_str_equal (sluice_inference_get_format (inference), "csv"))
    {
      JsonObject *inferred = sluice_inference_get_options (inference);
      g_autoptr(GList) members = json_object_get_members (inferred);

      options = options_from_fields (self);
      for (GList *l = members; l; l = l->next)
        json_object_set_member (options, l->data, json_node_copy (json_object_get_member (inferred, l->data)));
      sluice_dataset_set_options (self->dataset, options);
    }
  sluice_dataset_set_columns (self->dataset, n, (const char * const *) names->pdata,
                              (const char * const *) types->pdata, (const gboolean *) nullable->data,
                              (const char * const *) descriptions->pdata);
  _sluice_dataset_view_rebuild_columns (self);
  load_fields (self);
  if (_sluice_dataset_view_save (self) && !sluice_inference_is_complete (inference))
    g_debug ("%s: inferred from the first %" G_GUINT64_FORMAT " rows", sluice_dataset_get_name (self->dataset),
             sluice_inference_get_n_rows (inference));
  _sluice_dataset_view_refresh_preview (self);
}

static void
infer_now_full (SluiceDatasetView *self,
                gboolean           apply)
{
  g_autofree char *path = sample_path (self);
  const char *format = selected_format (self);
  g_autoptr(JsonObject) options = NULL;

  g_clear_handle_id (&self->infer_id, g_source_remove);
  if (self->infer_cancellable)
    g_cancellable_cancel (self->infer_cancellable);
  g_clear_object (&self->infer_cancellable);

  if (path == NULL || !infers (format))
    {
      if (!apply)
        return;
      /* Nothing to read: the format is all there is to save. */
      if (g_strcmp0 (format, sluice_dataset_get_format (self->dataset)) != 0)
        {
          sluice_dataset_set_format (self->dataset, format);
          _sluice_dataset_view_save (self);
          load_fields (self);
          _sluice_dataset_view_refresh_preview (self);
        }
      update_busy (self);
      return;
    }
  if (g_str_equal (format, "csv"))
    options = options_from_fields (self);
  self->infer_cancellable = g_cancellable_new ();
  {
    Request *r = request_new (self, self->infer_cancellable);
    r->apply = apply;
    sluice_inference_run_async (path, format, options, INFER_MAX_ROWS, self->infer_cancellable, infer_done, r);
  }
  update_busy (self);
}

static void
infer_now (SluiceDatasetView *self)
{
  infer_now_full (self, TRUE);
}

static gboolean
infer_timeout (gpointer data)
{
  SluiceDatasetView *self = data;

  self->infer_id = 0;
  infer_now (self);
  return G_SOURCE_REMOVE;
}

static void
schedule_infer (SluiceDatasetView *self)
{
  g_clear_handle_id (&self->infer_id, g_source_remove);
  /* What is being read for older options is of no more use. */
  if (self->infer_cancellable)
    g_cancellable_cancel (self->infer_cancellable);
  g_clear_object (&self->infer_cancellable);
  self->infer_id = g_timeout_add (INFER_DELAY_MS, infer_timeout, self);
  update_busy (self);
}

/* ---- template callbacks ---- */

static void
sluice_dataset_view_option_cb (SluiceDatasetView *self)
{
  if (self->loading == 0)
    schedule_infer (self);
}

static void
sluice_dataset_view_format_cb (SluiceDatasetView *self)
{
  if (self->loading || self->formats == NULL)
    return;
  gtk_widget_set_visible (GTK_WIDGET (self->csv_group), g_strcmp0 (selected_format (self), "csv") == 0);
  infer_now (self);
}

static void
sluice_dataset_view_text_apply_cb (SluiceDatasetView *self,
                                   AdwEntryRow       *row)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (row));
  gboolean sample_changed = FALSE;

  if (self->loading)
    return;
  if (g_strcmp0 (text, row == self->description_row ? sluice_dataset_get_description (self->dataset) ?: ""
                       : row == self->location_row ? sluice_dataset_get_location (self->dataset) ?: ""
                       : sluice_dataset_get_sample (self->dataset) ?: "") == 0)
    return;
  if (row == self->description_row)
    sluice_dataset_set_description (self->dataset, *text ? text : NULL);
  else if (row == self->location_row)
    sluice_dataset_set_location (self->dataset, text);
  else if (row == self->sample_row)
    {
      sample_changed = g_strcmp0 (text, sluice_dataset_get_sample (self->dataset) ?: "") != 0;
      sluice_dataset_set_sample (self->dataset, *text ? text : NULL);
    }
  _sluice_dataset_view_save (self);
  /* Another sample: its schema and rows. */
  if (sample_changed)
    infer_now (self);
}

/* ---- the pipelines that use it ---- */

char **
sluice_dataset_view_find_users (SluiceProject *project,
                                const char    *dataset_name)
{
  GListModel *pipelines;
  GPtrArray *names = g_ptr_array_new ();

  g_return_val_if_fail (SLUICE_IS_PROJECT (project), NULL);

  pipelines = sluice_project_get_pipelines (project);
  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      GListModel *gems = sluice_pipeline_get_gems (p);

      for (guint k = 0; k < g_list_model_get_n_items (gems); k++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, k);
          const char *type = sluice_gem_get_type_name (gem);

          if ((g_str_equal (type, "Source") || g_str_equal (type, "Target")) &&
              g_strcmp0 (sluice_gem_get_config_string (gem, "dataset"), dataset_name) == 0)
            {
              g_ptr_array_add (names, g_strdup (sluice_pipeline_get_name (p)));
              break;
            }
        }
    }
  g_ptr_array_add (names, NULL);
  return (char **) g_ptr_array_free (names, FALSE);
}

/* "reads it in Customers; writes it in Save" */
static char *
uses_in (SluicePipeline *p,
         const char     *dataset_name)
{
  GListModel *gems = sluice_pipeline_get_gems (p);
  g_autoptr(GString) s = g_string_new (NULL);

  for (guint k = 0; k < g_list_model_get_n_items (gems); k++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, k);
      gboolean source = g_str_equal (sluice_gem_get_type_name (gem), "Source");

      if ((!source && !g_str_equal (sluice_gem_get_type_name (gem), "Target")) ||
          g_strcmp0 (sluice_gem_get_config_string (gem, "dataset"), dataset_name) != 0)
        continue;
      if (s->len)
        g_string_append (s, " · ");
      g_string_append_printf (s, source ? _("read by “%s”") : _("written by “%s”"), sluice_gem_get_label (gem));
    }
  return g_string_free (g_steal_pointer (&s), FALSE);
}

static void
fill_users (SluiceDatasetView *self)
{
  g_auto(GStrv) users = sluice_dataset_view_find_users (self->project, sluice_dataset_get_name (self->dataset));
  GtkWidget *child;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->pipelines_list))))
    gtk_list_box_remove (self->pipelines_list, child);
  for (guint i = 0; users[i]; i++)
    {
      SluicePipeline *p = sluice_project_find_pipeline (self->project, users[i]);
      g_autofree char *subtitle = uses_in (p, sluice_dataset_get_name (self->dataset));
      GtkWidget *row = adw_action_row_new ();

      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), users[i]);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("sluice-pipeline-symbolic"));
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
      gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
      gtk_actionable_set_action_name (GTK_ACTIONABLE (row), "page.open-pipeline");
      gtk_actionable_set_action_target (GTK_ACTIONABLE (row), "s", users[i]);
      gtk_list_box_append (self->pipelines_list, row);
    }
}

/* ---- GObject ---- */

static void
sluice_dataset_view_get_property (GObject    *object,
                                  guint       prop_id,
                                  GValue     *value,
                                  GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_BUSY:
      g_value_set_boolean (value, SLUICE_DATASET_VIEW (object)->busy);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_dataset_view_dispose (GObject *object)
{
  SluiceDatasetView *self = SLUICE_DATASET_VIEW (object);

  g_clear_handle_id (&self->infer_id, g_source_remove);
  if (self->infer_cancellable)
    g_cancellable_cancel (self->infer_cancellable);
  if (self->preview_cancellable)
    g_cancellable_cancel (self->preview_cancellable);
  g_clear_object (&self->infer_cancellable);
  g_clear_object (&self->preview_cancellable);
  if (self->project)
    g_signal_handlers_disconnect_by_data (sluice_project_get_pipelines (self->project), self);
  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_DATASET_VIEW);
  g_clear_object (&self->columns);
  g_clear_object (&self->formats);
  g_clear_object (&self->dataset);
  g_clear_object (&self->project);

  G_OBJECT_CLASS (sluice_dataset_view_parent_class)->dispose (object);
}

static void
sluice_dataset_view_finalize (GObject *object)
{
  SluiceDatasetView *self = SLUICE_DATASET_VIEW (object);

  g_hash_table_unref (self->notes);
  g_free (self->error);

  G_OBJECT_CLASS (sluice_dataset_view_parent_class)->finalize (object);
}

static void
sluice_dataset_view_class_init (SluiceDatasetViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_dataset_view_dispose;
  object_class->finalize = sluice_dataset_view_finalize;
  object_class->get_property = sluice_dataset_view_get_property;

  properties[PROP_BUSY] =
    g_param_spec_boolean ("busy", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (SLUICE_TYPE_RESULTS_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-dataset-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, title);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, spinner);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, delete_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, error_revealer);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, error_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, description_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, format_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, location_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, sample_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, csv_group);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, header_switch);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, delimiter_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, quote_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, escape_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, null_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, date_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, timestamp_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, schema_view);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, preview);
  gtk_widget_class_bind_template_child (widget_class, SluiceDatasetView, pipelines_list);
  gtk_widget_class_bind_template_callback (widget_class, sluice_dataset_view_option_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_dataset_view_format_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_dataset_view_text_apply_cb);
}

static void
sluice_dataset_view_init (SluiceDatasetView *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  self->notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  _sluice_dataset_view_init_schema (self);
  gtk_widget_set_visible (GTK_WIDGET (self->spinner), FALSE);
  {
    GtkWidget *placeholder = gtk_label_new (_("No pipeline uses this dataset yet."));
    gtk_widget_add_css_class (placeholder, "dim-label");
    gtk_widget_set_margin_top (placeholder, 12);
    gtk_widget_set_margin_bottom (placeholder, 12);
    gtk_list_box_set_placeholder (self->pipelines_list, placeholder);
  }
}

/* ---- public ---- */

GtkWidget *
sluice_dataset_view_new (SluiceProject *project,
                         SluiceDataset *dataset)
{
  SluiceDatasetView *self;

  g_return_val_if_fail (SLUICE_IS_PROJECT (project), NULL);
  g_return_val_if_fail (SLUICE_IS_DATASET (dataset), NULL);

  self = g_object_new (SLUICE_TYPE_DATASET_VIEW, NULL);
  self->project = g_object_ref (project);
  self->dataset = g_object_ref (dataset);
  self->formats = gtk_string_list_new ((const char * const *) sluice_dataset_formats);
  self->loading++;
  adw_combo_row_set_model (self->format_row, G_LIST_MODEL (self->formats));
  self->loading--;
  gtk_actionable_set_action_target (GTK_ACTIONABLE (self->delete_button), "(ss)", "dataset",
                                    sluice_dataset_get_name (dataset));
  load_fields (self);
  _sluice_dataset_view_rebuild_columns (self);
  fill_users (self);
  g_signal_connect_object (sluice_project_get_pipelines (project), "items-changed", G_CALLBACK (fill_users), self,
                           G_CONNECT_SWAPPED);
  _sluice_dataset_view_refresh_preview (self);
  infer_now_full (self, FALSE);
  return GTK_WIDGET (self);
}

SluiceDataset *
sluice_dataset_view_get_dataset (SluiceDatasetView *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);
  return self->dataset;
}

gboolean
sluice_dataset_view_get_busy (SluiceDatasetView *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), FALSE);
  return self->busy;
}

void
sluice_dataset_view_flush (SluiceDatasetView *self)
{
  AdwEntryRow *rows[] = { self->description_row, self->location_row, self->sample_row };

  g_return_if_fail (SLUICE_IS_DATASET_VIEW (self));

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    sluice_dataset_view_text_apply_cb (self, rows[i]);
  if (self->infer_id)
    infer_now (self);
}

const char *
sluice_dataset_view_get_error (SluiceDatasetView *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);
  return self->error;
}

const char *
sluice_dataset_view_get_note (SluiceDatasetView *self,
                              const char        *name)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);
  return g_hash_table_lookup (self->notes, name);
}

GtkColumnView *
sluice_dataset_view_get_schema_view (SluiceDatasetView *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);
  return self->schema_view;
}

SluiceResultsView *
sluice_dataset_view_get_preview (SluiceDatasetView *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);
  return self->preview;
}

GtkListBox *
sluice_dataset_view_get_pipelines_list (SluiceDatasetView *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);
  return self->pipelines_list;
}

AdwEntryRow *
sluice_dataset_view_get_entry (SluiceDatasetView *self,
                               const char        *which)
{
  struct { const char *name; AdwEntryRow *row; } rows[] = {
    { "description", self->description_row }, { "location", self->location_row }, { "sample", self->sample_row },
    { "delimiter", self->delimiter_row }, { "quote", self->quote_row }, { "escape", self->escape_row },
    { "null", self->null_row }, { "date", self->date_row }, { "timestamp", self->timestamp_row },
  };

  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);

  for (guint i = 0; i < G_N_ELEMENTS (rows); i++)
    if (g_str_equal (rows[i].name, which))
      return rows[i].row;
  g_return_val_if_reached (NULL);
}

GtkSwitch *
sluice_dataset_view_get_header_switch (SluiceDatasetView *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);
  return self->header_switch;
}

AdwComboRow *
sluice_dataset_view_get_format_row (SluiceDatasetView *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET_VIEW (self), NULL);
  return self->format_row;
}
