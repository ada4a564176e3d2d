#define G_LOG_DOMAIN "sluice-inputs-editor"

#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "sluice-inputs-editor.h"

struct _SluiceInputsEditor
{
  GtkWidget       parent_instance;

  GtkWidget      *group;
  GtkListBox     *list;
  GtkWidget      *add_button;
  GtkWidget      *name_list;
  GtkWidget      *name_row;
  GtkLabel       *error_label;

  SluicePipeline *pipeline;   /* owned, nullable */
  SluiceGem      *gem;        /* owned, nullable */
  gulong          changed_id;
};

G_DEFINE_FINAL_TYPE (SluiceInputsEditor, sluice_inputs_editor, GTK_TYPE_WIDGET)

gboolean
sluice_inputs_editor_applies (SluiceGemType *type)
{
  return type != NULL &&
         sluice_gem_type_get_max_inputs (type) > sluice_gem_type_get_min_inputs (type);
}

static void
show_error (SluiceInputsEditor *self,
            const char         *message)
{
  gtk_label_set_text (self->error_label, message ? message : "");
  gtk_widget_set_visible (GTK_WIDGET (self->error_label), message != NULL);
}

static gboolean
add_input (SluiceInputsEditor *self,
           const char         *name)
{
  g_autoptr(GError) error = NULL;

  /* The core keeps a Join's per-input records in step, in the same undo step. */
  sluice_pipeline_add_input (self->pipeline, sluice_gem_get_id (self->gem), name, &error);
  show_error (self, error ? error->message : NULL);
  return error == NULL;
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *parameter)
{
  SluiceInputsEditor *self = SLUICE_INPUTS_EDITOR (widget);

  if (self->gem == NULL)
    return;
  /* Named inputs are named first: their name is what the SQL refers to. */
  if (sluice_gem_type_has_named_inputs (sluice_gem_get_gem_type (self->gem)))
    {
      gtk_widget_grab_focus (self->name_row);
      return;
    }
  add_input (self, NULL);
}

static void
sluice_inputs_editor_name_apply_cb (SluiceInputsEditor *self)
{
  g_autofree char *name = g_strstrip (g_strdup (gtk_editable_get_text (GTK_EDITABLE (self->name_row))));

  if (self->gem == NULL || *name == '\0')
    return;
  if (add_input (self, name))
    gtk_editable_set_text (GTK_EDITABLE (self->name_row), "");
}

static void
remove_clicked_cb (GtkButton          *button,
                   SluiceInputsEditor *self)
{
  const char *name = g_object_get_data (G_OBJECT (button), "sluice-input");
  g_autofree char *removed = g_strdup (name);
  g_autoptr(GError) error = NULL;

  if (self->gem == NULL)
    return;
  sluice_pipeline_remove_input (self->pipeline, sluice_gem_get_id (self->gem), removed, &error);
  show_error (self, error ? error->message : NULL);
}

static void
refresh (SluiceInputsEditor *self)
{
  g_autoptr(GPtrArray) edges = NULL;
  const char * const *names;
  SluiceGemType *type;
  GtkWidget *child;
  guint n, min, max;

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->list))))
    gtk_list_box_remove (self->list, child);
  if (self->gem == NULL)
    return;

  type = sluice_gem_get_gem_type (self->gem);
  names = sluice_gem_peek_input_names (self->gem);
  n = g_strv_length ((char **) names);
  min = sluice_gem_type_get_min_inputs (type);
  max = sluice_gem_type_get_max_inputs (type);
  edges = sluice_pipeline_get_edges_of (self->pipeline, sluice_gem_get_id (self->gem), SLUICE_PORT_INPUT);

  for (guint i = 0; i < n; i++)
    {
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *remove = gtk_button_new_from_icon_name ("list-remove-symbolic");
      g_autofree char *source = NULL;
      const char *why = NULL;

      for (guint e = 0; e < edges->len; e++)
        {
          SluiceEdge *edge = g_ptr_array_index (edges, e);

          if (g_strcmp0 (sluice_edge_get_to_port (edge), names[i]) == 0)
            source = g_strdup_printf ("%s.%s", sluice_edge_get_from_gem (edge), sluice_edge_get_from_port (edge));
        }
      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), names[i]);
      if (source)
        /* Translators: the subtitle of an input port: the gem and port wired into it */
        {
          g_autofree char *subtitle = g_strdup_printf (_("from %s"), source);
          adw_action_row_set_subtitle (ADW_ACTION_ROW (row), subtitle);
        }
      else
        adw_action_row_set_subtitle (ADW_ACTION_ROW (row), _("Not connected"));

      if (source)
        why = _("Disconnect this input before removing it");
      else if (n <= min)
        why = g_dngettext (GETTEXT_PACKAGE, "This gem needs at least %u input",
                           "This gem needs at least %u inputs", min);
      gtk_widget_set_valign (remove, GTK_ALIGN_CENTER);
      gtk_widget_add_css_class (remove, "flat");
      gtk_widget_set_sensitive (remove, why == NULL);
      if (why)
        {
          g_autofree char *tip = g_strdup_printf (why, min);
          gtk_widget_set_tooltip_text (row, tip);
        }
      else
        {
          g_autofree char *tip = g_strdup_printf (_("Remove input %s"), names[i]);
          gtk_widget_set_tooltip_text (remove, tip);
          gtk_accessible_update_property (GTK_ACCESSIBLE (remove), GTK_ACCESSIBLE_PROPERTY_LABEL, tip, -1);
        }
      g_object_set_data_full (G_OBJECT (remove), "sluice-input", g_strdup (names[i]), g_free);
      g_signal_connect_object (remove, "clicked", G_CALLBACK (remove_clicked_cb), self, 0);
      adw_action_row_add_suffix (ADW_ACTION_ROW (row), remove);
      gtk_list_box_append (self->list, row);
    }

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "inputs.add", n < max);
  gtk_widget_set_visible (self->name_list, sluice_gem_type_has_named_inputs (type) && n < max);
}

static void
sluice_inputs_editor_dispose (GObject *object)
{
  SluiceInputsEditor *self = SLUICE_INPUTS_EDITOR (object);

  if (self->pipeline)
    g_clear_signal_handler (&self->changed_id, self->pipeline);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->gem);
  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_INPUTS_EDITOR);
  G_OBJECT_CLASS (sluice_inputs_editor_parent_class)->dispose (object);
}

static void
sluice_inputs_editor_class_init (SluiceInputsEditorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_inputs_editor_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, "/dev/sluice/Sluice/ui/sluice-inputs-editor.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceInputsEditor, group);
  gtk_widget_class_bind_template_child (widget_class, SluiceInputsEditor, list);
  gtk_widget_class_bind_template_child (widget_class, SluiceInputsEditor, add_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceInputsEditor, name_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceInputsEditor, name_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceInputsEditor, error_label);
  gtk_widget_class_bind_template_callback (widget_class, sluice_inputs_editor_name_apply_cb);
  gtk_widget_class_install_action (widget_class, "inputs.add", NULL, add_action);

  gtk_widget_class_set_layout_manager_type (widget_class, GTK_TYPE_BIN_LAYOUT);
  gtk_widget_class_set_css_name (widget_class, "sluice-inputs-editor");
}

static void
sluice_inputs_editor_init (SluiceInputsEditor *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkWidget *
sluice_inputs_editor_new (void)
{
  return g_object_new (SLUICE_TYPE_INPUTS_EDITOR, NULL);
}

void
sluice_inputs_editor_set_gem (SluiceInputsEditor *self,
                              SluicePipeline     *pipeline,
                              SluiceGem          *gem)
{
  g_return_if_fail (SLUICE_IS_INPUTS_EDITOR (self));
  g_return_if_fail (pipeline == NULL || SLUICE_IS_PIPELINE (pipeline));
  g_return_if_fail (gem == NULL || SLUICE_IS_GEM (gem));

  if (gem == NULL)
    pipeline = NULL;
  if (self->pipeline)
    g_clear_signal_handler (&self->changed_id, self->pipeline);
  g_set_object (&self->pipeline, pipeline);
  g_set_object (&self->gem, gem);
  show_error (self, NULL);
  if (pipeline)
    self->changed_id = g_signal_connect_object (pipeline, "changed", G_CALLBACK (refresh),
                                                self, G_CONNECT_SWAPPED);
  refresh (self);
}
