#define G_LOG_DOMAIN "sluice-dataset-view"

#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>

#include "sluice-dataset-preview.h"
#include "sluice-dataset-view.h"
#include "sluice-engine-error.h"
#include "sluice-inference.h"

/* How many rows the preview shows, and how far inference reads. */
#define PREVIEW_ROWS   50
#define INFER_MAX_ROWS 100000
#define INFER_DELAY_MS 400

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

G_DEFINE_FINAL_TYPE (SluiceDatasetView, sluice_dataset_view, GTK_TYPE_BOX)

enum { PROP_0, PROP_BUSY, N_PROPS };
static GParamSpec *properties[N_PROPS];

const char * const sluice_dataset_view_types[] = {
  "string", "int", "bigint", "double", "decimal", "boolean", "date", "timestamp", NULL
};

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
static gboolean
save (SluiceDatasetView *self)
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

static void
refresh_preview (SluiceDatasetView *self)
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

/* ---- the schema ---- */

static void
rebuild_columns (SluiceDatasetView *self)
{
  guint n = sluice_dataset_get_n_columns (self->dataset);
  g_autofree const char **names = g_new0 (const char *, n + 1);

  for (guint i = 0; i < n; i++)
    names[i] = sluice_dataset_get_column_name (self->dataset, i);
  gtk_string_list_splice (self->columns, 0, g_list_model_get_n_items (G_LIST_MODEL (self->columns)),
                          (const char * const *) names);
}

static guint
item_position (GtkWidget *widget)
{
  GtkListItem *item = g_object_get_data (G_OBJECT (widget), "list-item");
  guint i = item ? gtk_list_item_get_position (item) : GTK_INVALID_LIST_POSITION;

  return i;
}

static SluiceDatasetView *
view_of (GtkWidget *widget)
{
  return g_object_get_data (G_OBJECT (widget), "dataset-view");
}

static gboolean
valid_column (SluiceDatasetView *self,
              guint              i)
{
  return i != GTK_INVALID_LIST_POSITION && i < sluice_dataset_get_n_columns (self->dataset);
}

/* "decimal(10,2)" → 4, 10, 2 */
static guint
type_index (const char *type,
            int        *precision,
            int        *scale)
{
  *precision = 10;
  *scale = 2;
  if (g_str_has_prefix (type, "decimal"))
    {
      if (sscanf (type, "decimal(%d,%d)", precision, scale) != 2)
        *precision = 10, *scale = 0;
      return 4;
    }
  for (guint i = 0; sluice_dataset_view_types[i]; i++)
    if (g_str_equal (sluice_dataset_view_types[i], type))
      return i;
  return 0;
}

static void
name_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           gpointer                  user_data)
{
  GtkWidget *label = gtk_list_item_get_child (item);

  gtk_label_set_text (GTK_LABEL (label), gtk_string_object_get_string (gtk_list_item_get_item (item)));
}

static void
name_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_selectable (GTK_LABEL (label), TRUE);
  gtk_widget_add_css_class (label, "monospace");
  gtk_list_item_set_child (item, label);
}

static void
type_edited (GtkWidget *box)
{
  SluiceDatasetView *self = view_of (box);
  GtkDropDown *drop = g_object_get_data (G_OBJECT (box), "drop-down");
  GtkSpinButton *p = g_object_get_data (G_OBJECT (box), "precision");
  GtkSpinButton *s = g_object_get_data (G_OBJECT (box), "scale");
  guint i = item_position (box);
  guint t = gtk_drop_down_get_selected (drop);
  g_autofree char *type = NULL;

  if (t == GTK_INVALID_LIST_POSITION || t >= g_strv_length ((char **) sluice_dataset_view_types))
    return;
  gtk_widget_set_visible (gtk_widget_get_next_sibling (GTK_WIDGET (drop)), t == 4);
  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (box), "binding")) || !valid_column (self, i))
    return;
  if (t == 4)
    {
      int precision = gtk_spin_button_get_value_as_int (p);
      int scale = MIN (gtk_spin_button_get_value_as_int (s), precision);
      type = g_strdup_printf ("decimal(%d,%d)", precision, scale);
    }
  else
    type = g_strdup (sluice_dataset_view_types[t]);
  if (g_str_equal (type, sluice_dataset_get_column_type (self->dataset, i)))
    return;
  sluice_dataset_set_column_type (self->dataset, i, type);
  save (self);
  refresh_preview (self);
}

static void
type_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            SluiceDatasetView        *self)
{
  static const char * const labels[] = {
    "string", "int", "bigint", "double", "decimal(p,s)", "boolean", "date", "timestamp", NULL
  };
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 4);
  GtkWidget *decimal = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 2);
  GtkWidget *drop = gtk_drop_down_new_from_strings (labels);
  GtkWidget *p = gtk_spin_button_new_with_range (1, 38, 1);
  GtkWidget *s = gtk_spin_button_new_with_range (0, 38, 1);

  gtk_widget_add_css_class (drop, "flat");
  gtk_widget_add_css_class (drop, "sluice-type-drop-down");
  gtk_accessible_update_property (GTK_ACCESSIBLE (drop), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Column type"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (p), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Precision"), -1);
  gtk_accessible_update_property (GTK_ACCESSIBLE (s), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Scale"), -1);
  gtk_widget_set_tooltip_text (p, _("Precision: digits in all"));
  gtk_widget_set_tooltip_text (s, _("Scale: digits after the point"));
  gtk_box_append (GTK_BOX (box), drop);
  gtk_box_append (GTK_BOX (decimal), p);
  gtk_box_append (GTK_BOX (decimal), s);
  gtk_widget_set_visible (decimal, FALSE);
  gtk_box_append (GTK_BOX (box), decimal);
  g_object_set_data (G_OBJECT (box), "list-item", item);
  g_object_set_data (G_OBJECT (box), "dataset-view", self);
  g_object_set_data (G_OBJECT (box), "drop-down", drop);
  g_object_set_data (G_OBJECT (box), "precision", p);
  g_object_set_data (G_OBJECT (box), "scale", s);
  g_signal_connect_swapped (drop, "notify::selected", G_CALLBACK (type_edited), box);
  g_signal_connect_swapped (p, "value-changed", G_CALLBACK (type_edited), box);
  g_signal_connect_swapped (s, "value-changed", G_CALLBACK (type_edited), box);
  gtk_list_item_set_child (item, box);
}

static void
type_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SluiceDatasetView        *self)
{
  GtkWidget *box = gtk_list_item_get_child (item);
  guint i = gtk_list_item_get_position (item);
  int precision, scale;
  guint t;

  if (!valid_column (self, i))
    return;
  t = type_index (sluice_dataset_get_column_type (self->dataset, i), &precision, &scale);
  g_object_set_data (G_OBJECT (box), "binding", GINT_TO_POINTER (TRUE));
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (box), "precision"), precision);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (box), "scale"), scale);
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (box), "drop-down"), t);
  gtk_widget_set_visible (gtk_widget_get_last_child (box), t == 4);
  g_object_set_data (G_OBJECT (box), "binding", NULL);
}

static void
nullable_toggled (GtkCheckButton *check)
{
  SluiceDatasetView *self = view_of (GTK_WIDGET (check));
  guint i = item_position (GTK_WIDGET (check));
  gboolean active = gtk_check_button_get_active (check);

  if (GPOINTER_TO_INT (g_object_get_data (G_OBJECT (check), "binding")) || !valid_column (self, i) ||
      active == sluice_dataset_get_column_nullable (self->dataset, i))
    return;
  sluice_dataset_set_column_nullable (self->dataset, i, active);
  save (self);
  refresh_preview (self);
}

static void
nullable_setup (GtkSignalListItemFactory *factory,
                GtkListItem              *item,
                SluiceDatasetView        *self)
{
  GtkWidget *check = gtk_check_button_new ();

  gtk_widget_set_halign (check, GTK_ALIGN_CENTER);
  gtk_accessible_update_property (GTK_ACCESSIBLE (check), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Nullable"), -1);
  g_object_set_data (G_OBJECT (check), "list-item", item);
  g_object_set_data (G_OBJECT (check), "dataset-view", self);
  g_signal_connect (check, "toggled", G_CALLBACK (nullable_toggled), NULL);
  gtk_list_item_set_child (item, check);
}

static void
nullable_bind (GtkSignalListItemFactory *factory,
               GtkListItem              *item,
               SluiceDatasetView        *self)
{
  GtkWidget *check = gtk_list_item_get_child (item);
  guint i = gtk_list_item_get_position (item);

  if (!valid_column (self, i))
    return;
  g_object_set_data (G_OBJECT (check), "binding", GINT_TO_POINTER (TRUE));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (check), sluice_dataset_get_column_nullable (self->dataset, i));
  g_object_set_data (G_OBJECT (check), "binding", NULL);
}

static void
description_edited (GtkEditableLabel *label)
{
  SluiceDatasetView *self = view_of (GTK_WIDGET (label));
  guint i = item_position (GTK_WIDGET (label));
  const char *text = gtk_editable_get_text (GTK_EDITABLE (label));

  if (gtk_editable_label_get_editing (label) || !valid_column (self, i) ||
      g_strcmp0 (text, sluice_dataset_get_column_description (self->dataset, i) ?: "") == 0)
    return;
  sluice_dataset_set_column_description (self->dataset, i, *text ? text : NULL);
  save (self);
}

static void
description_setup (GtkSignalListItemFactory *factory,
                   GtkListItem              *item,
                   SluiceDatasetView        *self)
{
  GtkWidget *label = gtk_editable_label_new ("");

  gtk_widget_set_hexpand (label, TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Column description"), -1);
  gtk_widget_set_tooltip_text (label, _("Double-click to describe the column"));
  g_object_set_data (G_OBJECT (label), "list-item", item);
  g_object_set_data (G_OBJECT (label), "dataset-view", self);
  g_signal_connect (label, "notify::editing", G_CALLBACK (description_edited), NULL);
  gtk_list_item_set_child (item, label);
}

static void
description_bind (GtkSignalListItemFactory *factory,
                  GtkListItem              *item,
                  SluiceDatasetView        *self)
{
  GtkWidget *label = gtk_list_item_get_child (item);
  guint i = gtk_list_item_get_position (item);

  if (valid_column (self, i))
    gtk_editable_set_text (GTK_EDITABLE (label), sluice_dataset_get_column_description (self->dataset, i) ?: "");
}

static void
note_setup (GtkSignalListItemFactory *factory,
            GtkListItem              *item,
            gpointer                  user_data)
{
  GtkWidget *label = gtk_label_new (NULL);

  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_wrap (GTK_LABEL (label), TRUE);
  gtk_label_set_max_width_chars (GTK_LABEL (label), 36);
  gtk_widget_add_css_class (label, "dim-label");
  gtk_widget_add_css_class (label, "caption");
  gtk_list_item_set_child (item, label);
}

static void
note_bind (GtkSignalListItemFactory *factory,
           GtkListItem              *item,
           SluiceDatasetView        *self)
{
  const char *name = gtk_string_object_get_string (gtk_list_item_get_item (item));

  gtk_label_set_text (GTK_LABEL (gtk_list_item_get_child (item)), g_hash_table_lookup (self->notes, name));
}

static void
add_column (SluiceDatasetView *self,
            const char        *title,
            GCallback          setup,
            GCallback          bind,
            gboolean           expand)
{
  GtkListItemFactory *factory = gtk_signal_list_item_factory_new ();
  GtkColumnViewColumn *column;

  g_signal_connect (factory, "setup", setup, self);
  g_signal_connect (factory, "bind", bind, self);
  column = gtk_column_view_column_new (title, factory);
  gtk_column_view_column_set_expand (column, expand);
  gtk_column_view_column_set_resizable (column, TRUE);
  gtk_column_view_append_column (self->schema_view, column);
  g_object_unref (column);
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
        rebuild_columns (self);
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
  rebuild_columns (self);
  load_fields (self);
  if (save (self) && !sluice_inference_is_complete (inference))
    g_debug ("%s: inferred from the first %" G_GUINT64_FORMAT " rows", sluice_dataset_get_name (self->dataset),
             sluice_inference_get_n_rows (inference));
  refresh_preview (self);
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
          save (self);
          load_fields (self);
          refresh_preview (self);
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
  save (self);
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
  g_autoptr(GtkNoSelection) selection = NULL;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->notes = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->columns = gtk_string_list_new (NULL);
  selection = gtk_no_selection_new (g_object_ref (G_LIST_MODEL (self->columns)));
  gtk_column_view_set_model (self->schema_view, GTK_SELECTION_MODEL (selection));
  add_column (self, _("Column"), G_CALLBACK (name_setup), G_CALLBACK (name_bind), FALSE);
  add_column (self, _("Type"), G_CALLBACK (type_setup), G_CALLBACK (type_bind), FALSE);
  add_column (self, _("Nullable"), G_CALLBACK (nullable_setup), G_CALLBACK (nullable_bind), FALSE);
  add_column (self, _("Description"), G_CALLBACK (description_setup), G_CALLBACK (description_bind), TRUE);
  add_column (self, _("Inference note"), G_CALLBACK (note_setup), G_CALLBACK (note_bind), FALSE);
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
  rebuild_columns (self);
  fill_users (self);
  g_signal_connect_object (sluice_project_get_pipelines (project), "items-changed", G_CALLBACK (fill_users), self,
                           G_CONNECT_SWAPPED);
  refresh_preview (self);
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
