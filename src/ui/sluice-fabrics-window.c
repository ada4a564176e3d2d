#define G_LOG_DOMAIN "sluice-fabrics-window"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-fabrics-window.h"
#include "sluice-redact.h"

struct _SluiceFabricsWindow
{
  AdwPreferencesWindow  parent_instance;

  /* template children */
  AdwPreferencesGroup  *problem_group;
  AdwActionRow         *problem_row;
  GtkListBox           *list;

  SluiceFabricSession  *session;      /* owned */
  GCancellable         *cancellable;  /* owned: cancelled on close */
  SluiceFabricRemoval  *removal;      /* owned, nullable: what Undo puts back */
  AdwToast             *undo_toast;   /* borrowed, nullable */
  AdwToast             *rename_toast; /* borrowed, nullable: Undo of the last rename */
  char                 *renamed_id;   /* owned, nullable: its fabric… */
  char                 *renamed_from; /* owned, nullable: …and the name it had */
  SluiceFabricDialog   *dialog;       /* borrowed, nullable */
  char                 *toast_text;   /* owned */
  guint                 busy;
};

G_DEFINE_FINAL_TYPE (SluiceFabricsWindow, sluice_fabrics_window, ADW_TYPE_PREFERENCES_WINDOW)

static void
toast (SluiceFabricsWindow *self,
       AdwToast            *t)
{
  g_free (self->toast_text);
  self->toast_text = g_strdup (adw_toast_get_title (t));
  adw_preferences_window_add_toast (ADW_PREFERENCES_WINDOW (self), t);
}

static void
toast_error (SluiceFabricsWindow *self,
             const char          *message)
{
  g_autofree char *redacted = sluice_redact (message);
  g_autofree char *escaped = g_markup_escape_text (redacted, -1);
  AdwToast *t = adw_toast_new (escaped);

  adw_toast_set_timeout (t, 10);
  toast (self, t);
}

static void
update_problem (SluiceFabricsWindow *self)
{
  const GError *error = sluice_fabric_store_get_load_error (sluice_fabric_session_get_fabrics (self->session));

  gtk_widget_set_visible (GTK_WIDGET (self->problem_group), error != NULL);
  if (error)
    {
      g_autofree char *redacted = sluice_redact (error->message);
      g_autofree char *escaped = g_markup_escape_text (redacted, -1);
      adw_action_row_set_subtitle (self->problem_row, escaped);
    }
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "fabrics.add", error == NULL);
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "fabrics.set-aside", error != NULL);
}

static GtkWidget *
create_row (gpointer item,
            gpointer user_data)
{
  return GTK_WIDGET (sluice_fabric_row_new (item));
}

static SluiceFabric *
fabric_of (SluiceFabricsWindow *self,
           GVariant            *param)
{
  return sluice_fabric_store_lookup (sluice_fabric_session_get_fabrics (self->session), g_variant_get_string (param, NULL));
}

static void
dialog_destroyed_cb (SluiceFabricsWindow *self,
                     GtkWidget           *dialog)
{
  if ((GtkWidget *) self->dialog == dialog)
    self->dialog = NULL;
}

static void
open_dialog (SluiceFabricsWindow *self,
             SluiceFabric        *fabric)
{
  SluiceFabricDialog *dialog = sluice_fabric_dialog_new (self->session, fabric);

  gtk_window_set_transient_for (GTK_WINDOW (dialog), GTK_WINDOW (self));
  self->dialog = dialog;
  g_signal_connect_object (dialog, "destroy", G_CALLBACK (dialog_destroyed_cb), self, G_CONNECT_SWAPPED);
  gtk_window_present (GTK_WINDOW (dialog));
}

static void
add_action (GtkWidget  *widget,
            const char *action_name,
            GVariant   *param)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (widget);
  SluiceFabricKind kind;
  g_autoptr(SluiceFabric) fabric = NULL;
  g_autofree char *name = NULL;
  SluiceFabricStore *store = sluice_fabric_session_get_fabrics (self->session);

  if (!sluice_fabric_kind_from_string (g_variant_get_string (param, NULL), &kind) || kind == SLUICE_FABRIC_LOCAL)
    return;
  /* A name that is free, so Save works once the settings are in. */
  name = g_strdup (sluice_fabric_kind_get_title (kind));
  for (int i = 2; sluice_fabric_store_lookup_by_name (store, name); i++)
    {
      g_free (name);
      name = g_strdup_printf ("%s %d", sluice_fabric_kind_get_title (kind), i);
    }
  fabric = sluice_fabric_new (kind, name);
  open_dialog (self, fabric);
}

static void
edit_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (widget);
  SluiceFabric *fabric = fabric_of (self, param);

  if (fabric && !sluice_fabric_is_local (fabric))
    open_dialog (self, fabric);
}

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GError) error = NULL;

  /* The row shows the result: it follows the fabric's state. */
  sluice_fabric_session_test_finish (SLUICE_FABRIC_SESSION (source), result, &error);
}

static void
test_action (GtkWidget  *widget,
             const char *action_name,
             GVariant   *param)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (widget);
  SluiceFabric *fabric = fabric_of (self, param);

  if (fabric && sluice_fabric_get_state (fabric) != SLUICE_FABRIC_STATE_TESTING)
    sluice_fabric_session_test_async (self->session, fabric, self->cancellable, tested_cb, NULL);
}

static void
drop_removal (SluiceFabricsWindow *self)
{
  /* The secrets kept for an undo are wiped with it. */
  g_clear_pointer (&self->removal, sluice_fabric_removal_free);
  self->undo_toast = NULL;
}

static void
undo_toast_dismissed_cb (SluiceFabricsWindow *self,
                         AdwToast            *t)
{
  if (self->undo_toast == t)
    drop_removal (self);
}

static void
deleted_cb (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(SluiceFabricsWindow) self = user_data;
  g_autoptr(GError) error = NULL;
  SluiceFabricRemoval *removal = sluice_fabric_session_delete_finish (SLUICE_FABRIC_SESSION (source), result, &error);
  g_autofree char *title = NULL, *escaped = NULL;
  AdwToast *t;

  self->busy--;
  if (removal == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        toast_error (self, error->message);
      return;
    }
  if (self->undo_toast)
    adw_toast_dismiss (self->undo_toast);
  drop_removal (self);
  self->removal = removal;
  escaped = g_markup_escape_text (sluice_fabric_get_name (sluice_fabric_removal_get_fabric (removal)), -1);
  title = g_strdup_printf (_("“%s” deleted, with its secrets"), escaped);
  t = adw_toast_new (title);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_action_name (t, "fabrics.undo-delete");
  adw_toast_set_timeout (t, 10);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (undo_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  self->undo_toast = t;
  toast (self, t);
}

static void
delete_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *param)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (widget);
  SluiceFabric *fabric = fabric_of (self, param);

  if (fabric == NULL || sluice_fabric_is_local (fabric))
    return;
  self->busy++;
  sluice_fabric_session_delete_async (self->session, fabric, self->cancellable, deleted_cb, g_object_ref (self));
}

static void
restored_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(SluiceFabricsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (!sluice_fabric_session_restore_finish (SLUICE_FABRIC_SESSION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast_error (self, error->message);
}

static void
undo_delete_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (widget);
  g_autoptr(SluiceFabricRemoval) removal = g_steal_pointer (&self->removal);

  self->undo_toast = NULL;
  if (removal == NULL)
    return;
  self->busy++;
  sluice_fabric_session_restore_async (self->session, removal, self->cancellable, restored_cb, g_object_ref (self));
}

static void
drop_rename (SluiceFabricsWindow *self)
{
  g_clear_pointer (&self->renamed_id, g_free);
  g_clear_pointer (&self->renamed_from, g_free);
  self->rename_toast = NULL;
}

static void
rename_toast_dismissed_cb (SluiceFabricsWindow *self,
                           AdwToast            *t)
{
  if (self->rename_toast == t)
    drop_rename (self);
}

/* Saved with a new name: the jobs that named it follow (the windows see to
 * that); Undo puts the name back, and them with it. */
static void
fabric_renamed_cb (SluiceFabricsWindow *self,
                   SluiceFabric        *fabric,
                   const char          *old_name,
                   gboolean             undo)
{
  g_autofree char *old_escaped = g_markup_escape_text (old_name, -1);
  g_autofree char *new_escaped = g_markup_escape_text (sluice_fabric_get_name (fabric), -1);
  g_autofree char *title = NULL;
  AdwToast *t;

  if (self->rename_toast)
    adw_toast_dismiss (self->rename_toast);
  drop_rename (self);
  if (undo)
    return;
  self->renamed_id = g_strdup (sluice_fabric_get_id (fabric));
  self->renamed_from = g_strdup (old_name);
  title = g_strdup_printf (_("“%s” is now “%s”; the jobs of open projects follow"), old_escaped, new_escaped);
  t = adw_toast_new (title);
  adw_toast_set_button_label (t, _("_Undo"));
  adw_toast_set_action_name (t, "fabrics.undo-rename");
  adw_toast_set_timeout (t, 10);
  g_signal_connect_object (t, "dismissed", G_CALLBACK (rename_toast_dismissed_cb), self, G_CONNECT_SWAPPED);
  self->rename_toast = t;
  toast (self, t);
}

static void
rename_undone_cb (GObject      *source,
                  GAsyncResult *result,
                  gpointer      user_data)
{
  g_autoptr(SluiceFabricsWindow) self = user_data;
  g_autoptr(GError) error = NULL;

  self->busy--;
  if (!sluice_fabric_session_save_finish (SLUICE_FABRIC_SESSION (source), result, &error) &&
      !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    toast_error (self, error->message);
}

static void
undo_rename_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *param)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (widget);
  SluiceFabric *fabric = self->renamed_id
                         ? sluice_fabric_store_lookup (sluice_fabric_session_get_fabrics (self->session), self->renamed_id)
                         : NULL;
  g_autofree char *old_name = g_strdup (self->renamed_from);

  self->rename_toast = NULL;
  if (fabric == NULL || old_name == NULL)
    return;
  self->busy++;
  sluice_fabric_session_undo_rename_async (self->session, fabric, old_name, self->cancellable, rename_undone_cb,
                                           g_object_ref (self));
}

static void
set_aside_action (GtkWidget  *widget,
                  const char *action_name,
                  GVariant   *param)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (widget);
  g_autoptr(GError) error = NULL;
  g_autofree char *moved = sluice_fabric_store_set_aside (sluice_fabric_session_get_fabrics (self->session), &error);
  g_autofree char *title = NULL;

  if (moved == NULL)
    {
      toast_error (self, error->message);
      return;
    }
  {
    g_autofree char *base = g_path_get_basename (moved);
    title = g_strdup_printf (_("The old file is now %s, beside the new one"), base);
  }
  toast_error (self, title);
}

static gboolean
sluice_fabrics_window_close_request (GtkWindow *window)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (window);

  g_cancellable_cancel (self->cancellable);
  return GTK_WINDOW_CLASS (sluice_fabrics_window_parent_class)->close_request (window);
}

static void
sluice_fabrics_window_dispose (GObject *object)
{
  SluiceFabricsWindow *self = SLUICE_FABRICS_WINDOW (object);

  if (self->cancellable)
    g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  drop_removal (self);
  drop_rename (self);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (sluice_fabrics_window_parent_class)->dispose (object);
}

static void
sluice_fabrics_window_finalize (GObject *object)
{
  g_free (SLUICE_FABRICS_WINDOW (object)->toast_text);

  G_OBJECT_CLASS (sluice_fabrics_window_parent_class)->finalize (object);
}

static void
sluice_fabrics_window_class_init (SluiceFabricsWindowClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->dispose = sluice_fabrics_window_dispose;
  object_class->finalize = sluice_fabrics_window_finalize;
  window_class->close_request = sluice_fabrics_window_close_request;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-fabrics-window.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricsWindow, problem_group);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricsWindow, problem_row);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricsWindow, list);

  gtk_widget_class_install_action (widget_class, "fabrics.add", "s", add_action);
  gtk_widget_class_install_action (widget_class, "fabrics.edit", "s", edit_action);
  gtk_widget_class_install_action (widget_class, "fabrics.delete", "s", delete_action);
  gtk_widget_class_install_action (widget_class, "fabrics.test", "s", test_action);
  gtk_widget_class_install_action (widget_class, "fabrics.undo-delete", NULL, undo_delete_action);
  gtk_widget_class_install_action (widget_class, "fabrics.undo-rename", NULL, undo_rename_action);
  gtk_widget_class_install_action (widget_class, "fabrics.set-aside", NULL, set_aside_action);
}

static void
sluice_fabrics_window_init (SluiceFabricsWindow *self)
{
  g_type_ensure (SLUICE_TYPE_FABRIC_ROW);
  gtk_widget_init_template (GTK_WIDGET (self));
  self->cancellable = g_cancellable_new ();
  self->toast_text = g_strdup ("");
}

SluiceFabricsWindow *
sluice_fabrics_window_new (SluiceFabricSession *session)
{
  SluiceFabricsWindow *self;

  g_return_val_if_fail (SLUICE_IS_FABRIC_SESSION (session), NULL);

  self = g_object_new (SLUICE_TYPE_FABRICS_WINDOW, NULL);
  self->session = g_object_ref (session);
  gtk_list_box_bind_model (self->list, G_LIST_MODEL (sluice_fabric_session_get_fabrics (session)),
                           create_row, self, NULL);
  g_signal_connect_object (sluice_fabric_session_get_fabrics (session), "notify::load-error",
                           G_CALLBACK (update_problem), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (session, "fabric-renamed", G_CALLBACK (fabric_renamed_cb), self, G_CONNECT_SWAPPED);
  update_problem (self);
  return self;
}

SluiceFabricRow *
sluice_fabrics_window_get_row (SluiceFabricsWindow *self,
                               SluiceFabric        *fabric)
{
  GtkListBoxRow *row;

  g_return_val_if_fail (SLUICE_IS_FABRICS_WINDOW (self), NULL);

  for (int i = 0; (row = gtk_list_box_get_row_at_index (self->list, i)); i++)
    if (SLUICE_IS_FABRIC_ROW (row) && sluice_fabric_row_get_fabric (SLUICE_FABRIC_ROW (row)) == fabric)
      return SLUICE_FABRIC_ROW (row);
  return NULL;
}

SluiceFabricDialog *
sluice_fabrics_window_get_dialog (SluiceFabricsWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRICS_WINDOW (self), NULL);
  return self->dialog;
}

gboolean
sluice_fabrics_window_is_busy (SluiceFabricsWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRICS_WINDOW (self), FALSE);
  return self->busy > 0;
}

const char *
sluice_fabrics_window_get_toast_text (SluiceFabricsWindow *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRICS_WINDOW (self), NULL);
  return self->toast_text;
}
