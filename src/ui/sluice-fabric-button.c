#define G_LOG_DOMAIN "sluice-fabric-button"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-fabric-button.h"

struct _SluiceFabricButton
{
  AdwBin               parent_instance;

  /* template children */
  GtkMenuButton       *button;
  GtkPopover          *popover;
  GtkListBox          *list;
  GtkStack            *state_stack;
  GtkImage            *state_icon;
  GtkSpinner          *spinner;
  GtkLabel            *label;

  SluiceFabricSession *session;   /* owned, nullable */
  GSignalGroup        *fabric_signals;  /* owned: on the selected fabric */
};

G_DEFINE_FINAL_TYPE (SluiceFabricButton, sluice_fabric_button, ADW_TYPE_BIN)

static void
update_state (SluiceFabricButton *self)
{
  SluiceFabric *fabric = self->session ? sluice_fabric_session_get_selected (self->session) : NULL;
  SluiceFabricState state = fabric ? sluice_fabric_get_state (fabric) : SLUICE_FABRIC_STATE_UNKNOWN;
  const char *message = fabric ? sluice_fabric_get_state_message (fabric) : NULL;
  const char *icon = "network-idle-symbolic", *what = _("Not tested");
  g_autofree char *tooltip = NULL;
  GtkWidget *widget = GTK_WIDGET (self->state_icon);

  gtk_label_set_label (self->label, fabric ? sluice_fabric_get_name (fabric) : _("Local"));
  gtk_widget_remove_css_class (widget, "success");
  gtk_widget_remove_css_class (widget, "warning");
  gtk_widget_remove_css_class (widget, "error");
  switch (state)
    {
    case SLUICE_FABRIC_STATE_TESTING:
      what = _("Connecting…");
      break;
    case SLUICE_FABRIC_STATE_READY:
      icon = "emblem-ok-symbolic", what = _("Ready");
      gtk_widget_add_css_class (widget, "success");
      break;
    case SLUICE_FABRIC_STATE_FAILED:
      icon = "dialog-error-symbolic", what = _("Cannot connect");
      gtk_widget_add_css_class (widget, "error");
      break;
    case SLUICE_FABRIC_STATE_UNAVAILABLE:
      icon = "dialog-warning-symbolic", what = _("Not available");
      gtk_widget_add_css_class (widget, "warning");
      break;
    case SLUICE_FABRIC_STATE_UNKNOWN:
    default:
      break;
    }
  gtk_image_set_from_icon_name (self->state_icon, icon);
  gtk_spinner_set_spinning (self->spinner, state == SLUICE_FABRIC_STATE_TESTING);
  gtk_stack_set_visible_child (self->state_stack, state == SLUICE_FABRIC_STATE_TESTING
                                                    ? GTK_WIDGET (self->spinner) : GTK_WIDGET (self->state_icon));
  tooltip = g_strdup_printf (_("Fabric: %s — %s%s%s"), gtk_label_get_label (self->label), what,
                             message ? ": " : "", message ? message : "");
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->button), tooltip);
  gtk_accessible_update_property (GTK_ACCESSIBLE (self->button), GTK_ACCESSIBLE_PROPERTY_LABEL, tooltip, -1);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  SluiceFabricButton *self = user_data;
  SluiceFabric *fabric = item;
  GtkWidget *row = gtk_list_box_row_new ();
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *check = gtk_image_new_from_icon_name ("object-select-symbolic");
  GtkWidget *name = gtk_label_new (sluice_fabric_get_name (fabric));
  GtkWidget *kind = gtk_label_new (sluice_fabric_kind_get_title (sluice_fabric_get_kind (fabric)));

  gtk_widget_set_margin_start (box, 6);
  gtk_widget_set_margin_end (box, 6);
  gtk_widget_set_margin_top (box, 6);
  gtk_widget_set_margin_bottom (box, 6);
  gtk_widget_set_opacity (check, sluice_fabric_session_get_selected (self->session) == fabric ? 1 : 0);
  gtk_label_set_xalign (GTK_LABEL (name), 0);
  gtk_label_set_ellipsize (GTK_LABEL (name), PANGO_ELLIPSIZE_END);
  gtk_widget_set_hexpand (name, TRUE);
  gtk_widget_add_css_class (kind, "dim-label");
  gtk_box_append (GTK_BOX (box), check);
  gtk_box_append (GTK_BOX (box), name);
  gtk_box_append (GTK_BOX (box), kind);
  gtk_list_box_row_set_child (GTK_LIST_BOX_ROW (row), box);
  /* A rename in the manager is the same fabric, not a new item. */
  g_object_bind_property (fabric, "name", name, "label", G_BINDING_DEFAULT);
  g_object_set_data_full (G_OBJECT (row), "fabric", g_object_ref (fabric), g_object_unref);
  return row;
}

static void
rebind (SluiceFabricButton *self)
{
  if (self->session)
    gtk_list_box_bind_model (self->list, G_LIST_MODEL (sluice_fabric_session_get_fabrics (self->session)),
                             create_row, self, NULL);
  else
    gtk_list_box_bind_model (self->list, NULL, NULL, NULL, NULL);
}

static void
selected_changed_cb (SluiceFabricButton *self)
{
  g_signal_group_set_target (self->fabric_signals, sluice_fabric_session_get_selected (self->session));
  rebind (self);
  update_state (self);
}

static void
sluice_fabric_button_row_activated_cb (SluiceFabricButton *self,
                                       GtkListBoxRow      *row)
{
  SluiceFabric *fabric = g_object_get_data (G_OBJECT (row), "fabric");

  gtk_popover_popdown (self->popover);
  if (fabric && self->session)
    sluice_fabric_session_select (self->session, fabric);
}

static void
sluice_fabric_button_dispose (GObject *object)
{
  SluiceFabricButton *self = SLUICE_FABRIC_BUTTON (object);

  if (self->fabric_signals)
    g_signal_group_set_target (self->fabric_signals, NULL);
  g_clear_object (&self->fabric_signals);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sluice_fabric_button_parent_class)->dispose (object);
}

static void
sluice_fabric_button_class_init (SluiceFabricButtonClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_fabric_button_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-fabric-button.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricButton, button);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricButton, popover);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricButton, list);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricButton, state_stack);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricButton, state_icon);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricButton, spinner);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricButton, label);
  gtk_widget_class_bind_template_callback (widget_class, sluice_fabric_button_row_activated_cb);
}

static void
sluice_fabric_button_init (SluiceFabricButton *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  self->fabric_signals = g_signal_group_new (SLUICE_TYPE_FABRIC);
  g_signal_group_connect_swapped (self->fabric_signals, "notify::state", G_CALLBACK (update_state), self);
  g_signal_group_connect_swapped (self->fabric_signals, "notify::state-message", G_CALLBACK (update_state), self);
  g_signal_group_connect_swapped (self->fabric_signals, "notify::name", G_CALLBACK (update_state), self);
  update_state (self);
}

void
sluice_fabric_button_set_session (SluiceFabricButton  *self,
                                  SluiceFabricSession *session)
{
  g_return_if_fail (SLUICE_IS_FABRIC_BUTTON (self));
  g_return_if_fail (!session || SLUICE_IS_FABRIC_SESSION (session));

  if (self->session == session)
    return;
  if (self->session)
    {
      g_signal_handlers_disconnect_by_data (self->session, self);
      g_signal_handlers_disconnect_by_data (sluice_fabric_session_get_fabrics (self->session), self);
    }
  g_set_object (&self->session, session);
  if (session)
    {
      g_signal_connect_object (session, "notify::selected", G_CALLBACK (selected_changed_cb), self, G_CONNECT_SWAPPED);
      /* Names change in the manager: the rows follow. */
      g_signal_connect_object (sluice_fabric_session_get_fabrics (session), "items-changed",
                               G_CALLBACK (rebind), self, G_CONNECT_SWAPPED);
      selected_changed_cb (self);
    }
  else
    {
      g_signal_group_set_target (self->fabric_signals, NULL);
      rebind (self);
      update_state (self);
    }
}

GtkLabel *
sluice_fabric_button_get_label (SluiceFabricButton *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_BUTTON (self), NULL);
  return self->label;
}

GtkWidget *
sluice_fabric_button_get_state_icon (SluiceFabricButton *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_BUTTON (self), NULL);
  return GTK_WIDGET (self->state_icon);
}

GtkListBox *
sluice_fabric_button_get_list (SluiceFabricButton *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_BUTTON (self), NULL);
  return self->list;
}
