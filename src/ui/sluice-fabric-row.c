#define G_LOG_DOMAIN "sluice-fabric-row"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-fabric-row.h"

struct _SluiceFabricRow
{
  AdwActionRow   parent_instance;

  /* template children */
  GtkStack      *state_stack;
  GtkImage      *state_icon;
  GtkSpinner    *spinner;
  GtkWidget     *test_button;
  GtkWidget     *edit_button;
  GtkWidget     *delete_button;

  SluiceFabric  *fabric;   /* owned */
  char          *result;   /* owned: the inline result, plain text */
};

G_DEFINE_FINAL_TYPE (SluiceFabricRow, sluice_fabric_row, ADW_TYPE_ACTION_ROW)

static void
update (SluiceFabricRow *self)
{
  SluiceFabricState state = sluice_fabric_get_state (self->fabric);
  const char *message = sluice_fabric_get_state_message (self->fabric);
  const char *url = sluice_fabric_get_setting (self->fabric, "url");
  g_autofree char *name = g_markup_escape_text (sluice_fabric_get_name (self->fabric), -1);
  g_autoptr(GString) subtitle = g_string_new (NULL);
  const char *icon = NULL, *css = NULL;
  GtkWidget *w = GTK_WIDGET (self->state_icon);

  /* Both are markup: names and messages are escaped. */
  adw_preferences_row_set_title (ADW_PREFERENCES_ROW (self), name);
  g_string_append (subtitle, sluice_fabric_kind_get_title (sluice_fabric_get_kind (self->fabric)));
  if (sluice_fabric_is_local (self->fabric))
    g_string_append (subtitle, _(" · SQLite on this computer, over the datasets’ samples"));
  else if (url)
    {
      g_autofree char *escaped = g_markup_escape_text (url, -1);
      g_string_append_printf (subtitle, " · %s", escaped);
    }

  g_free (self->result);
  switch (state)
    {
    case SLUICE_FABRIC_STATE_TESTING:
      self->result = g_strdup (_("Testing the connection…"));
      break;
    case SLUICE_FABRIC_STATE_READY:
      self->result = g_strdup_printf (_("Ready: %s"), message ? message : "");
      icon = "emblem-ok-symbolic", css = "success";
      break;
    case SLUICE_FABRIC_STATE_FAILED:
      self->result = g_strdup (message ? message : _("Cannot connect"));
      icon = "dialog-error-symbolic", css = "error";
      break;
    case SLUICE_FABRIC_STATE_UNAVAILABLE:
      self->result = g_strdup (message ? message : _("Not available"));
      icon = "dialog-warning-symbolic", css = "warning";
      break;
    case SLUICE_FABRIC_STATE_UNKNOWN:
    default:
      self->result = g_strdup ("");
      break;
    }
  if (*self->result)
    {
      g_autofree char *escaped = g_markup_escape_text (self->result, -1);
      g_string_append_printf (subtitle, "\n%s", escaped);
    }
  adw_action_row_set_subtitle (ADW_ACTION_ROW (self), subtitle->str);

  gtk_widget_remove_css_class (w, "success");
  gtk_widget_remove_css_class (w, "warning");
  gtk_widget_remove_css_class (w, "error");
  if (css)
    gtk_widget_add_css_class (w, css);
  gtk_image_set_from_icon_name (self->state_icon, icon);
  gtk_widget_set_visible (GTK_WIDGET (self->state_stack), icon != NULL || state == SLUICE_FABRIC_STATE_TESTING);
  gtk_spinner_set_spinning (self->spinner, state == SLUICE_FABRIC_STATE_TESTING);
  gtk_stack_set_visible_child (self->state_stack, state == SLUICE_FABRIC_STATE_TESTING
                                                    ? GTK_WIDGET (self->spinner) : GTK_WIDGET (self->state_icon));
  gtk_widget_set_sensitive (self->test_button, state != SLUICE_FABRIC_STATE_TESTING);
}

static void
sluice_fabric_row_dispose (GObject *object)
{
  SluiceFabricRow *self = SLUICE_FABRIC_ROW (object);

  g_clear_object (&self->fabric);

  G_OBJECT_CLASS (sluice_fabric_row_parent_class)->dispose (object);
}

static void
sluice_fabric_row_finalize (GObject *object)
{
  g_free (SLUICE_FABRIC_ROW (object)->result);

  G_OBJECT_CLASS (sluice_fabric_row_parent_class)->finalize (object);
}

static void
sluice_fabric_row_class_init (SluiceFabricRowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_fabric_row_dispose;
  object_class->finalize = sluice_fabric_row_finalize;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-fabric-row.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricRow, state_stack);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricRow, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricRow, spinner);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricRow, test_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricRow, edit_button);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricRow, delete_button);
}

static void
sluice_fabric_row_init (SluiceFabricRow *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

SluiceFabricRow *
sluice_fabric_row_new (SluiceFabric *fabric)
{
  SluiceFabricRow *self;
  GVariant *target;

  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);

  self = g_object_new (SLUICE_TYPE_FABRIC_ROW, NULL);
  self->fabric = g_object_ref (fabric);
  target = g_variant_new_string (sluice_fabric_get_id (fabric));
  g_variant_ref_sink (target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->test_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->edit_button), target);
  gtk_actionable_set_action_target_value (GTK_ACTIONABLE (self->delete_button), target);
  g_variant_unref (target);
  gtk_widget_set_visible (self->edit_button, !sluice_fabric_is_local (fabric));
  gtk_widget_set_visible (self->delete_button, !sluice_fabric_is_local (fabric));
  {
    g_autofree char *test = g_strdup_printf (_("Test the connection of %s"), sluice_fabric_get_name (fabric));
    gtk_accessible_update_property (GTK_ACCESSIBLE (self->test_button), GTK_ACCESSIBLE_PROPERTY_LABEL, test, -1);
  }
  g_signal_connect_object (fabric, "notify", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (fabric, "changed", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
  update (self);
  return self;
}

SluiceFabric *
sluice_fabric_row_get_fabric (SluiceFabricRow *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_ROW (self), NULL);
  return self->fabric;
}

const char *
sluice_fabric_row_get_result (SluiceFabricRow *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_ROW (self), NULL);
  return self->result;
}

gboolean
sluice_fabric_row_is_testing (SluiceFabricRow *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_ROW (self), FALSE);
  return sluice_fabric_get_state (self->fabric) == SLUICE_FABRIC_STATE_TESTING;
}
