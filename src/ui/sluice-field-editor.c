#define G_LOG_DOMAIN "sluice-field-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>

#include "sluice-field-editor.h"
#include "sluice-records-editor.h"
#include "sluice-source-language.h"

/* Built in code, not from a template: which widgets it holds depends on the
 * field's kind, and a form has dozens of these. */

#define COMMIT_DELAY_MS 300

struct _SluiceFieldEditor
{
  GtkBox                    parent_instance;

  const SluiceConfigField  *field;        /* static */
  char                     *path;         /* owned */
  GtkStringList            *columns;      /* owned ref, shared */
  GtkStringList            *datasets;     /* owned ref, shared */
  SluiceCompletionProvider *completion;   /* owned ref, shared */

  GtkWidget                *input;        /* borrowed: the editing widget */
  GtkStringList            *names;        /* owned: a combo row's items (DATASET, COLUMN) */
  GPtrArray                *checks;       /* owned: COLUMNS' GtkCheckButtons, by row */
  GPtrArray                *chosen;       /* owned: COLUMNS' value, in its order (char *) */
  GtkLabel                 *message;      /* borrowed */
  GtkWidget                *message_box;  /* borrowed */
  guint                     commit_id;    /* idle commit of a source view */
  guint                     updating;     /* > 0 while the model is shown: no commits */
  gboolean                  none_item;    /* the combo's first item stands for "no value" */
};

G_DEFINE_FINAL_TYPE (SluiceFieldEditor, sluice_field_editor, GTK_TYPE_BOX)

enum { COMMITTED, N_SIGNALS };
static guint signals[N_SIGNALS];

gboolean
sluice_field_path_claims (const char *path,
                          const char *field)
{
  gsize len;

  if (path == NULL || field == NULL)
    return FALSE;
  len = strlen (path);
  return strncmp (path, field, len) == 0 && (field[len] == '\0' || field[len] == '/');
}

char *
sluice_field_describe_diagnostic (SluiceDiagnostic *diagnostic)
{
  const char *message = sluice_diagnostic_get_message (diagnostic);
  const char *rest;

  /* "gem “x”, condition: unknown column …" → "unknown column …" */
  if (g_str_has_prefix (message, "gem “") && (rest = strstr (message, ": ")) != NULL)
    return g_strdup (rest + 2);
  return g_strdup (message);
}

static void
emit_committed (SluiceFieldEditor *self)
{
  if (self->updating == 0)
    g_signal_emit (self, signals[COMMITTED], 0);
}

static const char *
string_of (JsonNode *value)
{
  if (value && JSON_NODE_HOLDS_VALUE (value) && json_node_get_value_type (value) == G_TYPE_STRING)
    return json_node_get_string (value);
  return NULL;
}

/* ---- rows ---- */

static GtkWidget *
boxed_list_with (SluiceFieldEditor *self,
                 GtkWidget         *row)
{
  GtkWidget *list = gtk_list_box_new ();

  gtk_list_box_set_selection_mode (GTK_LIST_BOX (list), GTK_SELECTION_NONE);
  gtk_widget_add_css_class (list, "boxed-list");
  gtk_list_box_append (GTK_LIST_BOX (list), row);
  gtk_box_append (GTK_BOX (self), list);
  return row;
}

static void
entry_commit_cb (SluiceFieldEditor *self)
{
  emit_committed (self);
}

static void
focus_leave_cb (SluiceFieldEditor *self)
{
  /* Leaving a field is the end of an edit: no waiting for the idle. */
  if (self->commit_id != 0)
    {
      g_clear_handle_id (&self->commit_id, g_source_remove);
      emit_committed (self);
    }
  else if (self->field->kind == SLUICE_FIELD_STRING || self->field->kind == SLUICE_FIELD_STRINGS ||
           self->field->kind == SLUICE_FIELD_TYPE)
    emit_committed (self);
}

static void
watch_focus (SluiceFieldEditor *self,
             GtkWidget         *widget)
{
  GtkEventController *focus = gtk_event_controller_focus_new ();

  g_signal_connect_object (focus, "leave", G_CALLBACK (focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (widget, focus);
}

static void
build_entry (SluiceFieldEditor *self)
{
  GtkWidget *row = adw_entry_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(self->field->title));
  if (self->field->kind == SLUICE_FIELD_STRINGS)
    gtk_widget_set_tooltip_text (row, _("Separate values with commas"));
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (entry_commit_cb), self, G_CONNECT_SWAPPED);
  watch_focus (self, row);
  self->input = boxed_list_with (self, row);
}

static void
type_text_changed_cb (GtkEditable *row)
{
  const char *text = gtk_editable_get_text (row);

  /* Flagged while typed; the resolver's diagnostic follows on commit. */
  if (*text && !sluice_column_type_is_valid (text))
    gtk_widget_add_css_class (GTK_WIDGET (row), "error");
  else
    gtk_widget_remove_css_class (GTK_WIDGET (row), "error");
}

/* A type is typed (decimal takes a precision and scale) or picked from the
 * common ones in a menu. */
static void
build_type (SluiceFieldEditor *self)
{
  static const char * const common[] = {
    "string", "int", "bigint", "double", "decimal(10,2)", "decimal(38,18)", "boolean", "date", "timestamp", NULL
  };
  GtkWidget *row = adw_entry_row_new ();
  GtkWidget *button = gtk_menu_button_new ();
  g_autoptr(GMenu) menu = g_menu_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(self->field->title));
  for (guint i = 0; common[i]; i++)
    {
      g_autoptr(GMenuItem) item = g_menu_item_new (common[i], NULL);

      g_menu_item_set_action_and_target_value (item, "field.set-type", g_variant_new_string (common[i]));
      g_menu_append_item (menu, item);
    }
  gtk_menu_button_set_menu_model (GTK_MENU_BUTTON (button), G_MENU_MODEL (menu));
  gtk_menu_button_set_icon_name (GTK_MENU_BUTTON (button), "pan-down-symbolic");
  gtk_widget_set_tooltip_text (button, _("Choose a type"));
  gtk_widget_set_valign (button, GTK_ALIGN_CENTER);
  gtk_widget_add_css_class (button, "flat");
  adw_entry_row_add_suffix (ADW_ENTRY_ROW (row), button);
  g_signal_connect (row, "changed", G_CALLBACK (type_text_changed_cb), NULL);
  g_signal_connect_object (row, "entry-activated", G_CALLBACK (entry_commit_cb), self, G_CONNECT_SWAPPED);
  watch_focus (self, row);
  self->input = boxed_list_with (self, row);
}

static void
set_type_action (GtkWidget  *widget,
                 const char *action_name,
                 GVariant   *parameter)
{
  SluiceFieldEditor *self = SLUICE_FIELD_EDITOR (widget);

  if (self->field == NULL || self->field->kind != SLUICE_FIELD_TYPE)
    return;
  gtk_editable_set_text (GTK_EDITABLE (self->input), g_variant_get_string (parameter, NULL));
  emit_committed (self);
}

static void
build_integer (SluiceFieldEditor *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *spin = gtk_spin_button_new_with_range (0, G_MAXINT32, 1);

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(self->field->title));
  gtk_widget_set_valign (spin, GTK_ALIGN_CENTER);
  gtk_spin_button_set_numeric (GTK_SPIN_BUTTON (spin), TRUE);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), spin);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), spin);
  g_signal_connect_object (spin, "value-changed", G_CALLBACK (entry_commit_cb), self, G_CONNECT_SWAPPED);
  gtk_accessible_update_property (GTK_ACCESSIBLE (spin), GTK_ACCESSIBLE_PROPERTY_LABEL, _(self->field->title), -1);
  boxed_list_with (self, row);
  self->input = spin;
}

static void
build_boolean (SluiceFieldEditor *self)
{
  GtkWidget *row = adw_action_row_new ();
  GtkWidget *sw = gtk_switch_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(self->field->title));
  gtk_widget_set_valign (sw, GTK_ALIGN_CENTER);
  adw_action_row_add_suffix (ADW_ACTION_ROW (row), sw);
  adw_action_row_set_activatable_widget (ADW_ACTION_ROW (row), sw);
  g_signal_connect_object (sw, "notify::active", G_CALLBACK (entry_commit_cb), self, G_CONNECT_SWAPPED);
  boxed_list_with (self, row);
  self->input = sw;
}

static char *
choice_title_cb (GtkStringObject         *item,
                 const SluiceConfigField *field)
{
  return g_strdup (sluice_config_field_get_choice_title (field, gtk_string_object_get_string (item)));
}

static void
build_combo (SluiceFieldEditor *self)
{
  GtkWidget *row = adw_combo_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(self->field->title));
  self->names = gtk_string_list_new (NULL);
  if (self->field->kind == SLUICE_FIELD_ENUM)
    for (guint i = 0; self->field->choices && self->field->choices[i]; i++)
      gtk_string_list_append (self->names, self->field->choices[i]);
  adw_combo_row_set_model (ADW_COMBO_ROW (row), G_LIST_MODEL (self->names));
  /* The list holds the values the file stores; the user reads their titles. */
  if (self->field->kind == SLUICE_FIELD_ENUM && self->field->choice_titles)
    adw_combo_row_set_expression (ADW_COMBO_ROW (row),
                                  gtk_cclosure_expression_new (G_TYPE_STRING, NULL, 0, NULL,
                                                               G_CALLBACK (choice_title_cb),
                                                               (gpointer) self->field, NULL));
  if (self->field->kind != SLUICE_FIELD_ENUM)
    adw_combo_row_set_use_subtitle (ADW_COMBO_ROW (row), FALSE);
  g_signal_connect_object (row, "notify::selected", G_CALLBACK (entry_commit_cb), self, G_CONNECT_SWAPPED);
  self->input = boxed_list_with (self, row);
}

static void
build_checks (SluiceFieldEditor *self)
{
  GtkWidget *row = adw_expander_row_new ();

  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), _(self->field->title));
  self->checks = g_ptr_array_new ();
  self->chosen = g_ptr_array_new_with_free_func (g_free);
  self->input = boxed_list_with (self, row);
}

static gboolean
commit_timeout_cb (gpointer data)
{
  SluiceFieldEditor *self = data;

  self->commit_id = 0;
  emit_committed (self);
  return G_SOURCE_REMOVE;
}

static void
buffer_changed_cb (SluiceFieldEditor *self)
{
  if (self->updating)
    return;
  g_clear_handle_id (&self->commit_id, g_source_remove);
  self->commit_id = g_timeout_add (COMMIT_DELAY_MS, commit_timeout_cb, self);
}

static void
build_source (SluiceFieldEditor *self)
{
  SluiceFieldKind kind = self->field->kind;
  g_autoptr(GtkSourceBuffer) buffer = gtk_source_buffer_new (NULL);
  GtkWidget *title = gtk_label_new (_(self->field->title));
  GtkWidget *frame = gtk_frame_new (NULL);
  GtkWidget *view;

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "sluice-field-title");
  gtk_box_append (GTK_BOX (self), title);

  if (kind == SLUICE_FIELD_CODE)
    gtk_source_buffer_set_language (buffer, sluice_source_language_get ("python3"));
  else
    gtk_source_buffer_set_language (buffer, sluice_source_language_get_sparksql ());
  sluice_source_language_style_buffer (buffer);
  /* Undo belongs to the pipeline: a keystroke-level text undo would fight
   * the model's steps, so Ctrl+Z falls through to the inspector's action. */
  gtk_text_buffer_set_enable_undo (GTK_TEXT_BUFFER (buffer), FALSE);

  view = gtk_source_view_new_with_buffer (buffer);
  gtk_text_view_set_monospace (GTK_TEXT_VIEW (view), TRUE);
  gtk_text_view_set_wrap_mode (GTK_TEXT_VIEW (view), GTK_WRAP_WORD_CHAR);
  gtk_text_view_set_top_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_bottom_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_left_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_right_margin (GTK_TEXT_VIEW (view), 8);
  gtk_text_view_set_accepts_tab (GTK_TEXT_VIEW (view), kind == SLUICE_FIELD_CODE);
  gtk_source_view_set_auto_indent (GTK_SOURCE_VIEW (view), TRUE);
  gtk_accessible_update_property (GTK_ACCESSIBLE (view), GTK_ACCESSIBLE_PROPERTY_LABEL, _(self->field->title), -1);
  gtk_widget_add_css_class (view, "sluice-expression");
  if (kind != SLUICE_FIELD_EXPRESSION)
    {
      GtkWidget *scroller = gtk_scrolled_window_new ();

      gtk_source_view_set_show_line_numbers (GTK_SOURCE_VIEW (view), TRUE);
      gtk_scrolled_window_set_min_content_height (GTK_SCROLLED_WINDOW (scroller), 160);
      gtk_scrolled_window_set_max_content_height (GTK_SCROLLED_WINDOW (scroller), 360);
      gtk_scrolled_window_set_propagate_natural_height (GTK_SCROLLED_WINDOW (scroller), TRUE);
      gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), view);
      gtk_frame_set_child (GTK_FRAME (frame), scroller);
    }
  else
    {
      /* A text view outside a scroller measures zero lines until its first
       * validation; built in bulk (a record list) it stayed collapsed. */
      gtk_widget_set_size_request (view, -1, 36);
      gtk_frame_set_child (GTK_FRAME (frame), view);
    }
  if (kind != SLUICE_FIELD_CODE)
    gtk_source_completion_add_provider (gtk_source_view_get_completion (GTK_SOURCE_VIEW (view)),
                                        GTK_SOURCE_COMPLETION_PROVIDER (self->completion));
  gtk_widget_add_css_class (frame, "sluice-expression-frame");
  gtk_box_append (GTK_BOX (self), frame);

  g_signal_connect_object (buffer, "changed", G_CALLBACK (buffer_changed_cb), self, G_CONNECT_SWAPPED);
  watch_focus (self, view);
  self->input = view;
}

static void
records_committed_cb (SluiceFieldEditor *self)
{
  emit_committed (self);
}

static void
build_records (SluiceFieldEditor *self)
{
  GtkWidget *title = gtk_label_new (_(self->field->title));
  SluiceRecordsEditor *records;

  gtk_label_set_xalign (GTK_LABEL (title), 0);
  gtk_widget_add_css_class (title, "sluice-field-title");
  gtk_box_append (GTK_BOX (self), title);
  records = sluice_records_editor_new (self->field, self->path, self->columns, self->datasets, self->completion);
  g_signal_connect_object (records, "committed", G_CALLBACK (records_committed_cb), self, G_CONNECT_SWAPPED);
  gtk_box_append (GTK_BOX (self), GTK_WIDGET (records));
  self->input = GTK_WIDGET (records);
}

/* ---- names from the form: datasets and columns ---- */

static GtkStringList *
source_names (SluiceFieldEditor *self)
{
  return self->field->kind == SLUICE_FIELD_DATASET ? self->datasets : self->columns;
}

static gboolean
list_has (GListModel *list,
          const char *name,
          guint      *position)
{
  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    if (g_strcmp0 (gtk_string_list_get_string (GTK_STRING_LIST (list), i), name) == 0)
      {
        if (position)
          *position = i;
        return TRUE;
      }
  return FALSE;
}

/* A combo row of names: the form's names, a "None" first when the field is
 * optional, and the current value even when it is unknown — it must be
 * seen to be fixed, and its diagnostic says what is wrong with it. */
static void
show_combo_names (SluiceFieldEditor *self,
                  const char        *value)
{
  GListModel *from = G_LIST_MODEL (source_names (self));
  guint n = g_list_model_get_n_items (from), position = 0;
  g_autoptr(GPtrArray) items = g_ptr_array_new ();

  self->none_item = !self->field->required;
  if (self->none_item)
    g_ptr_array_add (items, (gpointer) _("None"));
  for (guint i = 0; i < n; i++)
    g_ptr_array_add (items, (gpointer) gtk_string_list_get_string (GTK_STRING_LIST (from), i));
  if (value && *value && !list_has (from, value, NULL))
    g_ptr_array_add (items, (gpointer) value);
  g_ptr_array_add (items, NULL);

  self->updating++;
  gtk_string_list_splice (self->names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->names)),
                          (const char * const *) items->pdata);
  for (guint i = self->none_item ? 1 : 0; value && i < items->len - 1; i++)
    if (g_strcmp0 (g_ptr_array_index (items, i), value) == 0)
      position = i;
  adw_combo_row_set_selected (ADW_COMBO_ROW (self->input), position);
  self->updating--;
}

static void
check_toggled_cb (SluiceFieldEditor *self,
                  GtkCheckButton    *check)
{
  const char *name = g_object_get_data (G_OBJECT (check), "sluice-column");
  guint i;

  if (self->updating)
    return;
  if (gtk_check_button_get_active (check))
    g_ptr_array_add (self->chosen, g_strdup (name));
  else if (g_ptr_array_find_with_equal_func (self->chosen, name, g_str_equal, &i))
    g_ptr_array_remove_index (self->chosen, i);
  emit_committed (self);
}

static void
show_checks (SluiceFieldEditor *self)
{
  AdwExpanderRow *row = ADW_EXPANDER_ROW (self->input);
  GListModel *from = G_LIST_MODEL (self->columns);
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GString) subtitle = g_string_new (NULL);

  for (guint i = 0; i < g_list_model_get_n_items (from); i++)
    g_ptr_array_add (names, (gpointer) gtk_string_list_get_string (GTK_STRING_LIST (from), i));
  for (guint i = 0; i < self->chosen->len; i++)
    if (!list_has (from, g_ptr_array_index (self->chosen, i), NULL))
      g_ptr_array_add (names, g_ptr_array_index (self->chosen, i));

  self->updating++;
  for (guint i = 0; i < self->checks->len; i++)
    adw_expander_row_remove (row, gtk_widget_get_ancestor (g_ptr_array_index (self->checks, i), ADW_TYPE_ACTION_ROW));
  g_ptr_array_set_size (self->checks, 0);
  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);
      GtkWidget *check_row = adw_action_row_new ();
      GtkWidget *check = gtk_check_button_new ();

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (check_row), name);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (check_row), FALSE);
      adw_action_row_add_prefix (ADW_ACTION_ROW (check_row), check);
      adw_action_row_set_activatable_widget (ADW_ACTION_ROW (check_row), check);
      g_object_set_data_full (G_OBJECT (check), "sluice-column", g_strdup (name), g_free);
      gtk_check_button_set_active (GTK_CHECK_BUTTON (check),
                                   g_ptr_array_find_with_equal_func (self->chosen, name, g_str_equal, NULL));
      g_signal_connect_object (check, "toggled", G_CALLBACK (check_toggled_cb), self, G_CONNECT_SWAPPED);
      adw_expander_row_add_row (row, check_row);
      g_ptr_array_add (self->checks, check);
    }
  for (guint i = 0; i < self->chosen->len; i++)
    g_string_append_printf (subtitle, "%s%s", i ? ", " : "", (char *) g_ptr_array_index (self->chosen, i));
  adw_expander_row_set_subtitle (row, subtitle->len ? subtitle->str : _("None"));
  self->updating--;
}

static void
names_changed_cb (SluiceFieldEditor *self)
{
  g_autoptr(JsonNode) value = sluice_field_editor_get_value (self);

  if (self->field->kind == SLUICE_FIELD_COLUMNS)
    show_checks (self);
  else
    show_combo_names (self, string_of (value));
}

/* ---- GObject ---- */

static void
sluice_field_editor_dispose (GObject *object)
{
  SluiceFieldEditor *self = SLUICE_FIELD_EDITOR (object);

  g_clear_handle_id (&self->commit_id, g_source_remove);
  g_clear_object (&self->columns);
  g_clear_object (&self->datasets);
  g_clear_object (&self->completion);
  g_clear_object (&self->names);
  G_OBJECT_CLASS (sluice_field_editor_parent_class)->dispose (object);
}

static void
sluice_field_editor_finalize (GObject *object)
{
  SluiceFieldEditor *self = SLUICE_FIELD_EDITOR (object);

  g_free (self->path);
  g_clear_pointer (&self->checks, g_ptr_array_unref);
  g_clear_pointer (&self->chosen, g_ptr_array_unref);
  G_OBJECT_CLASS (sluice_field_editor_parent_class)->finalize (object);
}

static void
sluice_field_editor_class_init (SluiceFieldEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_field_editor_dispose;
  object_class->finalize = sluice_field_editor_finalize;

  /**
   * SluiceFieldEditor::committed:
   *
   * The user changed the value; read it with sluice_field_editor_get_value().
   */
  signals[COMMITTED] = g_signal_new ("committed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                     0, NULL, NULL, NULL, G_TYPE_NONE, 0);
  gtk_widget_class_install_action (GTK_WIDGET_CLASS (klass), "field.set-type", "s", set_type_action);
  gtk_widget_class_set_css_name (GTK_WIDGET_CLASS (klass), "sluice-field-editor");
}

static void
sluice_field_editor_init (SluiceFieldEditor *self)
{
  gtk_orientable_set_orientation (GTK_ORIENTABLE (self), GTK_ORIENTATION_VERTICAL);
  gtk_box_set_spacing (GTK_BOX (self), 6);
}

SluiceFieldEditor *
sluice_field_editor_new (const SluiceConfigField  *field,
                         const char               *path,
                         GtkStringList            *columns,
                         GtkStringList            *datasets,
                         SluiceCompletionProvider *completion)
{
  SluiceFieldEditor *self;
  GtkWidget *icon;

  g_return_val_if_fail (field != NULL && field->name != NULL, NULL);
  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (GTK_IS_STRING_LIST (columns), NULL);
  g_return_val_if_fail (GTK_IS_STRING_LIST (datasets), NULL);
  g_return_val_if_fail (SLUICE_IS_COMPLETION_PROVIDER (completion), NULL);

  self = g_object_new (SLUICE_TYPE_FIELD_EDITOR, NULL);
  self->field = field;
  self->path = g_strdup (path);
  self->columns = g_object_ref (columns);
  self->datasets = g_object_ref (datasets);
  self->completion = g_object_ref (completion);

  switch (field->kind)
    {
    case SLUICE_FIELD_STRING:
    case SLUICE_FIELD_STRINGS:
      build_entry (self);
      break;
    case SLUICE_FIELD_TYPE:
      build_type (self);
      break;
    case SLUICE_FIELD_INTEGER:
      build_integer (self);
      break;
    case SLUICE_FIELD_BOOLEAN:
      build_boolean (self);
      break;
    case SLUICE_FIELD_ENUM:
    case SLUICE_FIELD_DATASET:
    case SLUICE_FIELD_COLUMN:
      build_combo (self);
      break;
    case SLUICE_FIELD_COLUMNS:
      build_checks (self);
      break;
    case SLUICE_FIELD_EXPRESSION:
    case SLUICE_FIELD_SQL:
    case SLUICE_FIELD_CODE:
      build_source (self);
      break;
    case SLUICE_FIELD_RECORDS:
    case SLUICE_FIELD_SCHEMA:
    default:
      build_records (self);
      break;
    }

  if (field->kind == SLUICE_FIELD_DATASET || field->kind == SLUICE_FIELD_COLUMN || field->kind == SLUICE_FIELD_COLUMNS)
    {
      g_signal_connect_object (source_names (self), "items-changed", G_CALLBACK (names_changed_cb), self, G_CONNECT_SWAPPED);
      names_changed_cb (self);
    }

  self->message_box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  icon = gtk_image_new_from_icon_name ("dialog-error-symbolic");
  gtk_widget_set_valign (icon, GTK_ALIGN_START);
  self->message = GTK_LABEL (gtk_label_new (NULL));
  gtk_label_set_wrap (self->message, TRUE);
  gtk_label_set_xalign (self->message, 0);
  gtk_label_set_selectable (self->message, TRUE);
  gtk_widget_set_hexpand (GTK_WIDGET (self->message), TRUE);
  gtk_box_append (GTK_BOX (self->message_box), icon);
  gtk_box_append (GTK_BOX (self->message_box), GTK_WIDGET (self->message));
  gtk_widget_add_css_class (self->message_box, "error");
  gtk_widget_add_css_class (self->message_box, "sluice-field-message");
  gtk_widget_set_visible (self->message_box, FALSE);
  gtk_box_append (GTK_BOX (self), self->message_box);
  return self;
}

const SluiceConfigField *
sluice_field_editor_get_field (SluiceFieldEditor *self)
{
  g_return_val_if_fail (SLUICE_IS_FIELD_EDITOR (self), NULL);
  return self->field;
}

const char *
sluice_field_editor_get_path (SluiceFieldEditor *self)
{
  g_return_val_if_fail (SLUICE_IS_FIELD_EDITOR (self), NULL);
  return self->path;
}

GtkWidget *
sluice_field_editor_get_input (SluiceFieldEditor *self)
{
  g_return_val_if_fail (SLUICE_IS_FIELD_EDITOR (self), NULL);
  return self->input;
}

const char *
sluice_field_editor_get_message (SluiceFieldEditor *self)
{
  g_return_val_if_fail (SLUICE_IS_FIELD_EDITOR (self), NULL);
  return gtk_widget_get_visible (self->message_box) ? gtk_label_get_text (self->message) : "";
}

static char *
buffer_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter begin, end;

  gtk_text_buffer_get_bounds (buffer, &begin, &end);
  return gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);
}

static JsonNode *
string_node (const char *text)
{
  return text && *text ? json_node_init_string (json_node_alloc (), text) : NULL;
}

JsonNode *
sluice_field_editor_get_value (SluiceFieldEditor *self)
{
  g_return_val_if_fail (SLUICE_IS_FIELD_EDITOR (self), NULL);

  switch (self->field->kind)
    {
    case SLUICE_FIELD_STRING:
    case SLUICE_FIELD_TYPE:
      return string_node (gtk_editable_get_text (GTK_EDITABLE (self->input)));
    case SLUICE_FIELD_STRINGS:
      {
        g_auto(GStrv) parts = g_strsplit (gtk_editable_get_text (GTK_EDITABLE (self->input)), ",", -1);
        g_autoptr(JsonArray) array = json_array_new ();

        for (guint i = 0; parts[i]; i++)
          {
            g_strstrip (parts[i]);
            if (*parts[i])
              json_array_add_string_element (array, parts[i]);
          }
        return json_array_get_length (array) ? json_node_init_array (json_node_alloc (), array) : NULL;
      }
    case SLUICE_FIELD_INTEGER:
      return json_node_init_int (json_node_alloc (), gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (self->input)));
    case SLUICE_FIELD_BOOLEAN:
      return json_node_init_boolean (json_node_alloc (), gtk_switch_get_active (GTK_SWITCH (self->input)));
    case SLUICE_FIELD_ENUM:
    case SLUICE_FIELD_DATASET:
    case SLUICE_FIELD_COLUMN:
      {
        guint selected = adw_combo_row_get_selected (ADW_COMBO_ROW (self->input));

        if (selected == GTK_INVALID_LIST_POSITION || (self->none_item && selected == 0))
          return NULL;
        return string_node (gtk_string_list_get_string (self->names, selected));
      }
    case SLUICE_FIELD_COLUMNS:
      {
        g_autoptr(JsonArray) array = json_array_new ();

        for (guint i = 0; i < self->chosen->len; i++)
          json_array_add_string_element (array, g_ptr_array_index (self->chosen, i));
        return json_array_get_length (array) ? json_node_init_array (json_node_alloc (), array) : NULL;
      }
    case SLUICE_FIELD_EXPRESSION:
    case SLUICE_FIELD_SQL:
    case SLUICE_FIELD_CODE:
      {
        g_autofree char *text = buffer_text (self->input);
        return string_node (text);
      }
    case SLUICE_FIELD_RECORDS:
    case SLUICE_FIELD_SCHEMA:
    default:
      return sluice_records_editor_get_value (SLUICE_RECORDS_EDITOR (self->input));
    }
}

static void
set_buffer_text (GtkWidget  *view,
                 const char *text)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  g_autofree char *old = buffer_text (view);
  GtkTextIter iter;
  int offset;

  if (g_strcmp0 (old, text) == 0)
    return;
  /* An undo while the user is in the field keeps the cursor where it was,
   * as far as the new text reaches. */
  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  offset = gtk_text_iter_get_offset (&iter);
  gtk_text_buffer_set_text (buffer, text, -1);
  gtk_text_buffer_get_iter_at_offset (buffer, &iter, offset);
  gtk_text_buffer_place_cursor (buffer, &iter);
}

void
sluice_field_editor_set_value (SluiceFieldEditor *self,
                               JsonNode          *value)
{
  const char *text = string_of (value);
  const char *fallback = self->field->default_value;

  g_return_if_fail (SLUICE_IS_FIELD_EDITOR (self));

  /* A model change replaces whatever was waiting to be committed. */
  g_clear_handle_id (&self->commit_id, g_source_remove);
  self->updating++;
  switch (self->field->kind)
    {
    case SLUICE_FIELD_STRING:
    case SLUICE_FIELD_TYPE:
      if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->input)), text ? text : "") != 0)
        gtk_editable_set_text (GTK_EDITABLE (self->input), text ? text : "");
      break;
    case SLUICE_FIELD_STRINGS:
      {
        g_autoptr(GString) joined = g_string_new (NULL);
        JsonArray *array = value && JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;

        for (guint i = 0; array && i < json_array_get_length (array); i++)
          {
            JsonNode *n = json_array_get_element (array, i);
            g_string_append_printf (joined, "%s%s", i ? ", " : "", string_of (n) ? string_of (n) : "");
          }
        if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->input)), joined->str) != 0)
          gtk_editable_set_text (GTK_EDITABLE (self->input), joined->str);
      }
      break;
    case SLUICE_FIELD_INTEGER:
      gtk_spin_button_set_value (GTK_SPIN_BUTTON (self->input),
                                 value && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_int (value)
                                 : fallback ? g_ascii_strtoll (fallback, NULL, 10) : 0);
      break;
    case SLUICE_FIELD_BOOLEAN:
      gtk_switch_set_active (GTK_SWITCH (self->input),
                             value && JSON_NODE_HOLDS_VALUE (value) ? json_node_get_boolean (value)
                             : g_strcmp0 (fallback, "true") == 0);
      break;
    case SLUICE_FIELD_ENUM:
      {
        guint position = 0;

        if (!list_has (G_LIST_MODEL (self->names), text ? text : fallback, &position) && text)
          {
            gtk_string_list_append (self->names, text);
            position = g_list_model_get_n_items (G_LIST_MODEL (self->names)) - 1;
          }
        adw_combo_row_set_selected (ADW_COMBO_ROW (self->input), position);
      }
      break;
    case SLUICE_FIELD_DATASET:
    case SLUICE_FIELD_COLUMN:
      show_combo_names (self, text);
      break;
    case SLUICE_FIELD_COLUMNS:
      {
        JsonArray *array = value && JSON_NODE_HOLDS_ARRAY (value) ? json_node_get_array (value) : NULL;

        g_ptr_array_set_size (self->chosen, 0);
        for (guint i = 0; array && i < json_array_get_length (array); i++)
          if (string_of (json_array_get_element (array, i)))
            g_ptr_array_add (self->chosen, g_strdup (string_of (json_array_get_element (array, i))));
        show_checks (self);
      }
      break;
    case SLUICE_FIELD_EXPRESSION:
    case SLUICE_FIELD_SQL:
    case SLUICE_FIELD_CODE:
      set_buffer_text (self->input, text ? text : "");
      break;
    case SLUICE_FIELD_RECORDS:
    case SLUICE_FIELD_SCHEMA:
    default:
      sluice_records_editor_set_value (SLUICE_RECORDS_EDITOR (self->input), value);
      break;
    }
  self->updating--;
}

void
sluice_field_editor_set_diagnostics (SluiceFieldEditor *self,
                                     GPtrArray         *diagnostics)
{
  gboolean records;
  g_autoptr(GString) text = g_string_new (NULL);

  g_return_if_fail (SLUICE_IS_FIELD_EDITOR (self));

  records = self->field->kind == SLUICE_FIELD_RECORDS || self->field->kind == SLUICE_FIELD_SCHEMA;
  for (guint i = 0; diagnostics && i < diagnostics->len; i++)
    {
      SluiceDiagnostic *d = g_ptr_array_index (diagnostics, i);
      const char *field = sluice_diagnostic_get_field (d);
      g_autofree char *message = NULL;

      /* A list's records show their own problems; the list only its own. */
      if (records ? g_strcmp0 (field, self->path) != 0 : !sluice_field_path_claims (self->path, field))
        continue;
      message = sluice_field_describe_diagnostic (d);
      g_string_append_printf (text, "%s%s", text->len ? "\n" : "", message);
    }
  if (records)
    sluice_records_editor_set_diagnostics (SLUICE_RECORDS_EDITOR (self->input), diagnostics);

  gtk_label_set_text (self->message, text->str);
  gtk_widget_set_visible (self->message_box, text->len > 0);
  if (GTK_IS_WIDGET (self->input) && !records)
    {
      if (text->len)
        gtk_widget_add_css_class (gtk_widget_get_parent (self->input), "sluice-field-error");
      else
        gtk_widget_remove_css_class (gtk_widget_get_parent (self->input), "sluice-field-error");
    }
}

void
sluice_field_editor_flush (SluiceFieldEditor *self)
{
  g_return_if_fail (SLUICE_IS_FIELD_EDITOR (self));

  if (self->commit_id != 0)
    {
      g_clear_handle_id (&self->commit_id, g_source_remove);
      emit_committed (self);
    }
  if (self->field->kind == SLUICE_FIELD_RECORDS || self->field->kind == SLUICE_FIELD_SCHEMA)
    sluice_records_editor_flush (SLUICE_RECORDS_EDITOR (self->input));
}
