#define G_LOG_DOMAIN "sluice-inspector"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sluice-field-editor.h"
#include "sluice-inputs-editor.h"
#include "sluice-inspector.h"

struct _SluiceInspector
{
  GtkWidget                 parent_instance;

  GtkStack                 *stack;
  GtkImage                 *type_icon;
  GtkLabel                 *type_title;
  GtkLabel                 *type_description;
  GtkWidget                *label_row;
  GtkWidget                *id_row;
  GtkLabel                 *problems_label;
  GtkBox                   *fields_box;

  SluicePipeline           *pipeline;     /* owned, nullable */
  SluiceResolver           *resolver;     /* owned, nullable */
  SluiceGem                *gem;          /* owned, nullable: followed across renames */
  GListModel               *datasets;     /* owned, nullable */
  GPtrArray                *editors;      /* owned: top-level SluiceFieldEditor (borrowed) */
  GtkStringList            *columns;      /* owned: the input's column names */
  GtkStringList            *dataset_names;/* owned */
  SluiceCompletionProvider *completion;   /* owned */
  gulong                    changed_id;
};

G_DEFINE_FINAL_TYPE (SluiceInspector, sluice_inspector, GTK_TYPE_WIDGET)

enum { PROP_0, PROP_GEM_ID, N_PROPS };
static GParamSpec *properties[N_PROPS];

/* ---- the model into the form ---- */

/* The input's columns, for pickers and completion. With several inputs a
 * name is offered once; a qualified in1.name is typed by hand. */
static void
refresh_columns (SluiceInspector *self)
{
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) types = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) edges = NULL;
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  guint n_old = g_list_model_get_n_items (G_LIST_MODEL (self->columns));
  gboolean same;

  if (self->gem && self->resolver)
    {
      edges = sluice_pipeline_get_edges_of (self->pipeline, sluice_gem_get_id (self->gem), SLUICE_PORT_INPUT);
      for (guint i = 0; i < edges->len; i++)
        {
          GArray *schema = sluice_resolver_get_schema (self->resolver, sluice_edge_get_from_gem (g_ptr_array_index (edges, i)));

          for (guint c = 0; schema && c < schema->len; c++)
            {
              SluiceColumn *col = &g_array_index (schema, SluiceColumn, c);
              if (!g_hash_table_add (seen, col->name))
                continue;
              g_ptr_array_add (names, col->name);
              g_ptr_array_add (types, sluice_sql_type_to_string (col->type));
            }
        }
    }
  g_ptr_array_add (names, NULL);
  g_ptr_array_add (types, NULL);

  sluice_completion_provider_set_columns (self->completion, (const char * const *) names->pdata,
                                          (const char * const *) types->pdata);
  /* Pickers rebuild on items-changed: only when the columns did change. */
  same = n_old == names->len - 1;
  for (guint i = 0; same && i < n_old; i++)
    same = g_strcmp0 (gtk_string_list_get_string (self->columns, i), g_ptr_array_index (names, i)) == 0;
  if (!same)
    gtk_string_list_splice (self->columns, 0, n_old, (const char * const *) names->pdata);
}

static gboolean
field_claims (SluiceInspector *self,
              const char      *field)
{
  for (guint i = 0; i < self->editors->len; i++)
    if (sluice_field_path_claims (sluice_field_editor_get_path (g_ptr_array_index (self->editors, i)), field))
      return TRUE;
  return FALSE;
}

static void
refresh_diagnostics (SluiceInspector *self)
{
  GPtrArray *diagnostics = NULL;
  g_autoptr(GString) general = g_string_new (NULL);

  if (self->gem && self->resolver)
    diagnostics = sluice_resolver_get_diagnostics (self->resolver, sluice_gem_get_id (self->gem));
  for (guint i = 0; i < self->editors->len; i++)
    sluice_field_editor_set_diagnostics (g_ptr_array_index (self->editors, i), diagnostics);

  /* What no field shows (the inputs, the gem as a whole) goes on top. */
  for (guint i = 0; diagnostics && i < diagnostics->len; i++)
    {
      SluiceDiagnostic *d = g_ptr_array_index (diagnostics, i);
      g_autofree char *message = NULL;

      if (field_claims (self, sluice_diagnostic_get_field (d)))
        continue;
      message = sluice_field_describe_diagnostic (d);
      g_string_append_printf (general, "%s%s", general->len ? "\n" : "", message);
    }
  gtk_label_set_text (self->problems_label, general->str);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), general->len > 0);
}

static void
set_entry_text (GtkWidget  *row,
                const char *text)
{
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (row)), text) != 0)
    gtk_editable_set_text (GTK_EDITABLE (row), text ? text : "");
}

static void
refresh_values (SluiceInspector *self)
{
  set_entry_text (self->label_row, sluice_gem_get_label (self->gem));
  set_entry_text (self->id_row, sluice_gem_get_id (self->gem));
  for (guint i = 0; i < self->editors->len; i++)
    {
      SluiceFieldEditor *editor = g_ptr_array_index (self->editors, i);
      sluice_field_editor_set_value (editor, sluice_gem_get_config (self->gem, sluice_field_editor_get_field (editor)->name));
    }
}

static void
clear_form (SluiceInspector *self)
{
  GtkWidget *child;

  g_ptr_array_set_size (self->editors, 0);
  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->fields_box))))
    gtk_box_remove (self->fields_box, child);
}

static void editor_committed_cb (SluiceInspector *self, SluiceFieldEditor *editor);

/* One generic form for every gem type, from its catalog description. */
static void
build_form (SluiceInspector *self)
{
  SluiceGemType *type = sluice_gem_get_gem_type (self->gem);

  clear_form (self);
  gtk_label_set_text (self->type_title, type ? sluice_gem_type_get_title (type) : sluice_gem_get_type_name (self->gem));
  gtk_label_set_text (self->type_description, type ? sluice_gem_type_get_description (type) : _("Unknown gem type"));
  {
    GtkIconTheme *theme = gtk_icon_theme_get_for_display (gtk_widget_get_display (GTK_WIDGET (self)));
    const char *icon = type ? sluice_gem_type_get_icon_name (type) : "dialog-warning-symbolic";

    /* Per-type icons come with the canvas; until then, the generic gem. */
    gtk_image_set_from_icon_name (self->type_icon, gtk_icon_theme_has_icon (theme, icon) ? icon : "sluice-gem-symbolic");
  }
  if (type == NULL)
    return;

  if (sluice_inputs_editor_applies (type))
    {
      GtkWidget *inputs = sluice_inputs_editor_new ();

      sluice_inputs_editor_set_gem (SLUICE_INPUTS_EDITOR (inputs), self->pipeline, self->gem);
      gtk_box_append (self->fields_box, inputs);
    }
  for (const SluiceConfigField *f = sluice_gem_type_get_fields (type); f->name; f++)
    {
      g_autofree char *path = g_strdup_printf ("config/%s", f->name);
      SluiceFieldEditor *editor = sluice_field_editor_new (f, path, self->columns, self->dataset_names, self->completion);

      g_signal_connect_object (editor, "committed", G_CALLBACK (editor_committed_cb), self, G_CONNECT_SWAPPED);
      gtk_box_append (self->fields_box, GTK_WIDGET (editor));
      g_ptr_array_add (self->editors, editor);
    }
}

static void
pipeline_changed_cb (SluiceInspector *self)
{
  /* The gem may be gone (an undone add, a delete elsewhere). */
  if (self->gem && sluice_pipeline_find_gem (self->pipeline, sluice_gem_get_id (self->gem)) != self->gem)
    {
      sluice_inspector_set_gem (self, NULL, NULL, NULL);
      return;
    }
  if (self->gem == NULL)
    return;
  if (g_strcmp0 (gtk_editable_get_text (GTK_EDITABLE (self->id_row)), sluice_gem_get_id (self->gem)) != 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GEM_ID]);
  refresh_columns (self);
  refresh_values (self);
  refresh_diagnostics (self);
}

/* ---- the form into the model ---- */

static void
show_error (SluiceInspector *self,
            const GError    *error)
{
  gtk_label_set_text (self->problems_label, error->message);
  gtk_widget_set_visible (GTK_WIDGET (self->problems_label), TRUE);
}

static gboolean
nodes_equal (JsonNode *a,
             JsonNode *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return json_node_equal (a, b);
}

static void
editor_committed_cb (SluiceInspector   *self,
                     SluiceFieldEditor *editor)
{
  const char *key = sluice_field_editor_get_field (editor)->name;
  g_autoptr(JsonNode) value = sluice_field_editor_get_value (editor);
  g_autoptr(GError) error = NULL;

  if (self->gem == NULL)
    return;
  /* Focus leaving an untouched field is not an edit: no empty undo step. */
  if (nodes_equal (value, sluice_gem_get_config (self->gem, key)))
    return;
  if (!sluice_pipeline_set_config (self->pipeline, sluice_gem_get_id (self->gem), key, value, &error))
    show_error (self, error);
}

static void
sluice_inspector_label_commit_cb (SluiceInspector *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->label_row));
  g_autoptr(GError) error = NULL;

  if (self->gem == NULL || g_strcmp0 (text, sluice_gem_get_label (self->gem)) == 0)
    return;
  if (!sluice_pipeline_set_label (self->pipeline, sluice_gem_get_id (self->gem), text, &error))
    show_error (self, error);
}

static void
sluice_inspector_id_apply_cb (SluiceInspector *self)
{
  g_autofree char *text = g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->id_row)));
  g_autoptr(GError) error = NULL;

  if (self->gem == NULL || g_strcmp0 (text, sluice_gem_get_id (self->gem)) == 0)
    return;
  if (!sluice_pipeline_rename_gem (self->pipeline, sluice_gem_get_id (self->gem), text, &error))
    {
      show_error (self, error);
      set_entry_text (self->id_row, sluice_gem_get_id (self->gem));
    }
}

static void
undo_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *parameter)
{
  SluiceInspector *self = SLUICE_INSPECTOR (widget);

  if (self->pipeline == NULL)
    return;
  /* What is being typed becomes its own step first, so undo takes back
   * exactly that. */
  sluice_inspector_flush (self);
  if (g_str_equal (action_name, "inspector.undo"))
    sluice_pipeline_undo (self->pipeline);
  else
    sluice_pipeline_redo (self->pipeline);
}

static void
label_focus_leave_cb (SluiceInspector *self)
{
  sluice_inspector_label_commit_cb (self);
}

/* ---- GObject ---- */

static void
sluice_inspector_get_property (GObject    *object,
                               guint       prop_id,
                               GValue     *value,
                               GParamSpec *pspec)
{
  SluiceInspector *self = SLUICE_INSPECTOR (object);

  switch (prop_id)
    {
    case PROP_GEM_ID:
      g_value_set_string (value, sluice_inspector_get_gem_id (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_inspector_dispose (GObject *object)
{
  SluiceInspector *self = SLUICE_INSPECTOR (object);

  if (self->pipeline)
    g_clear_signal_handler (&self->changed_id, self->pipeline);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->resolver);
  g_clear_object (&self->gem);
  g_clear_object (&self->datasets);
  g_clear_object (&self->columns);
  g_clear_object (&self->dataset_names);
  g_clear_object (&self->completion);
  g_clear_pointer (&self->editors, g_ptr_array_unref);
  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_INSPECTOR);
  G_OBJECT_CLASS (sluice_inspector_parent_class)->dispose (object);
}

static void
sluice_inspector_class_init (SluiceInspectorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->get_property = sluice_inspector_get_property;
  object_class->dispose = sluice_inspector_dispose;

  properties[PROP_GEM_ID] = g_param_spec_string ("gem-id", NULL, NULL, NULL,
                                                 G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/sluice/Sluice/ui/sluice-inspector.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceInspector, stack);
  gtk_widget_class_bind_template_child (widget_class, SluiceInspector, type_icon);
  gtk_widget_class_bind_template_child (widget_class, SluiceInspector, type_title);
  gtk_widget_class_bind_template_child (widget_class, SluiceInspector, type_description);
  gtk_widget_class_bind_template_child (widget_class, SluiceInspector, label_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceInspector, id_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceInspector, problems_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceInspector, fields_box);
  gtk_widget_class_bind_template_callback (widget_class, sluice_inspector_label_commit_cb);
  gtk_widget_class_bind_template_callback (widget_class, sluice_inspector_id_apply_cb);

  gtk_widget_class_install_action (widget_class, "inspector.undo", NULL, undo_action);
  gtk_widget_class_install_action (widget_class, "inspector.redo", NULL, undo_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK, "inspector.undo", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_z, GDK_CONTROL_MASK | GDK_SHIFT_MASK, "inspector.redo", NULL);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sluice-inspector");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
sluice_inspector_init (SluiceInspector *self)
{
  GtkEventController *focus;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->editors = g_ptr_array_new ();
  self->columns = gtk_string_list_new (NULL);
  self->dataset_names = gtk_string_list_new (NULL);
  self->completion = sluice_completion_provider_new ();

  focus = gtk_event_controller_focus_new ();
  g_signal_connect_object (focus, "leave", G_CALLBACK (label_focus_leave_cb), self, G_CONNECT_SWAPPED);
  gtk_widget_add_controller (self->label_row, focus);
  gtk_stack_set_visible_child_name (self->stack, "empty");
}

GtkWidget *
sluice_inspector_new (void)
{
  return g_object_new (SLUICE_TYPE_INSPECTOR, NULL);
}

static void
datasets_changed_cb (SluiceInspector *self)
{
  guint n = self->datasets ? g_list_model_get_n_items (self->datasets) : 0;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceDataset) dataset = g_list_model_get_item (self->datasets, i);
      g_ptr_array_add (names, g_strdup (sluice_dataset_get_name (dataset)));
    }
  g_ptr_array_add (names, NULL);
  gtk_string_list_splice (self->dataset_names, 0, g_list_model_get_n_items (G_LIST_MODEL (self->dataset_names)),
                          (const char * const *) names->pdata);
}

void
sluice_inspector_set_datasets (SluiceInspector *self,
                               GListModel      *datasets)
{
  g_return_if_fail (SLUICE_IS_INSPECTOR (self));
  g_return_if_fail (datasets == NULL || G_IS_LIST_MODEL (datasets));

  if (self->datasets == datasets)
    return;
  if (self->datasets)
    g_signal_handlers_disconnect_by_func (self->datasets, datasets_changed_cb, self);
  g_set_object (&self->datasets, datasets);
  if (datasets)
    g_signal_connect_object (datasets, "items-changed", G_CALLBACK (datasets_changed_cb), self, G_CONNECT_SWAPPED);
  datasets_changed_cb (self);
}

void
sluice_inspector_set_gem (SluiceInspector *self,
                          SluicePipeline  *pipeline,
                          const char      *gem_id,
                          SluiceResolver  *resolver)
{
  SluiceGem *gem = NULL;

  g_return_if_fail (SLUICE_IS_INSPECTOR (self));
  g_return_if_fail (pipeline == NULL || SLUICE_IS_PIPELINE (pipeline));
  g_return_if_fail (resolver == NULL || SLUICE_IS_RESOLVER (resolver));

  if (pipeline && gem_id)
    gem = sluice_pipeline_find_gem (pipeline, gem_id);
  if (gem == NULL)
    pipeline = NULL;
  if (gem == self->gem && pipeline == self->pipeline && resolver == self->resolver)
    return;

  sluice_inspector_flush (self);
  if (self->pipeline)
    g_clear_signal_handler (&self->changed_id, self->pipeline);
  g_set_object (&self->pipeline, pipeline);
  if (gem == NULL)
    resolver = NULL;
  g_set_object (&self->resolver, resolver);
  g_set_object (&self->gem, gem);

  if (gem == NULL)
    {
      clear_form (self);
      gtk_stack_set_visible_child_name (self->stack, "empty");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.undo", FALSE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.redo", FALSE);
    }
  else
    {
      self->changed_id = g_signal_connect_object (pipeline, "changed", G_CALLBACK (pipeline_changed_cb),
                                                  self, G_CONNECT_SWAPPED);
      refresh_columns (self);
      build_form (self);
      refresh_values (self);
      refresh_diagnostics (self);
      gtk_stack_set_visible_child_name (self->stack, "gem");
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.undo", TRUE);
      gtk_widget_action_set_enabled (GTK_WIDGET (self), "inspector.redo", TRUE);
    }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_GEM_ID]);
}

const char *
sluice_inspector_get_gem_id (SluiceInspector *self)
{
  g_return_val_if_fail (SLUICE_IS_INSPECTOR (self), NULL);
  return self->gem ? sluice_gem_get_id (self->gem) : NULL;
}

SluiceFieldEditor *
sluice_inspector_get_editor (SluiceInspector *self,
                             const char      *name)
{
  g_return_val_if_fail (SLUICE_IS_INSPECTOR (self), NULL);

  for (guint i = 0; i < self->editors->len; i++)
    if (g_strcmp0 (sluice_field_editor_get_field (g_ptr_array_index (self->editors, i))->name, name) == 0)
      return g_ptr_array_index (self->editors, i);
  return NULL;
}

GtkWidget *
sluice_inspector_get_label_row (SluiceInspector *self)
{
  g_return_val_if_fail (SLUICE_IS_INSPECTOR (self), NULL);
  return self->label_row;
}

GtkWidget *
sluice_inspector_get_id_row (SluiceInspector *self)
{
  g_return_val_if_fail (SLUICE_IS_INSPECTOR (self), NULL);
  return self->id_row;
}

SluiceCompletionProvider *
sluice_inspector_get_completion (SluiceInspector *self)
{
  g_return_val_if_fail (SLUICE_IS_INSPECTOR (self), NULL);
  return self->completion;
}

void
sluice_inspector_flush (SluiceInspector *self)
{
  g_return_if_fail (SLUICE_IS_INSPECTOR (self));

  for (guint i = 0; self->editors && i < self->editors->len; i++)
    sluice_field_editor_flush (g_ptr_array_index (self->editors, i));
}
