#define G_LOG_DOMAIN "sluice-fabric-banner"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-fabric-banner.h"
#include "sluice-redact.h"

struct _SluiceFabricBanner
{
  AdwBin               parent_instance;

  /* template children */
  GtkRevealer         *revealer;
  GtkWidget           *keyring_box;
  GtkLabel            *keyring_label;
  GtkWidget           *file_box;
  GtkLabel            *file_label;

  SluiceFabricSession *session;   /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceFabricBanner, sluice_fabric_banner, ADW_TYPE_BIN)

static void
update (SluiceFabricBanner *self)
{
  SluiceCredentialStore *credentials = self->session ? sluice_fabric_session_get_credentials (self->session) : NULL;
  SluiceFabricStore *fabrics = self->session ? sluice_fabric_session_get_fabrics (self->session) : NULL;
  gboolean no_keyring = credentials && sluice_credential_store_get_status (credentials) == SLUICE_KEYRING_UNAVAILABLE;
  const GError *load_error = fabrics ? sluice_fabric_store_get_load_error (fabrics) : NULL;

  if (no_keyring)
    {
      g_autofree char *problem = sluice_redact (sluice_credential_store_get_problem (credentials));
      g_autofree char *text =
        g_strdup_printf (_("The keyring is not available (%s). Fabrics that need a token or password cannot "
                           "connect, and none can be stored: Sluice never keeps them in a file. The Local fabric "
                           "works as usual."), problem ? problem : _("no answer"));
      gtk_label_set_text (self->keyring_label, text);
    }
  else
    gtk_label_set_text (self->keyring_label, "");
  gtk_widget_set_visible (self->keyring_box, no_keyring);

  if (load_error)
    {
      g_autofree char *problem = sluice_redact (load_error->message);
      g_autofree char *text = g_strdup_printf (_("Your fabrics could not be read: %s. Sluice runs on the Local "
                                                 "fabric, and leaves the file as it is."), problem);
      gtk_label_set_text (self->file_label, text);
    }
  else
    gtk_label_set_text (self->file_label, "");
  gtk_widget_set_visible (self->file_box, load_error != NULL);

  gtk_revealer_set_reveal_child (self->revealer, no_keyring || load_error);
}

static void
sluice_fabric_banner_dispose (GObject *object)
{
  SluiceFabricBanner *self = SLUICE_FABRIC_BANNER (object);

  g_clear_object (&self->session);

  G_OBJECT_CLASS (sluice_fabric_banner_parent_class)->dispose (object);
}

static void
sluice_fabric_banner_class_init (SluiceFabricBannerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_fabric_banner_dispose;

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-fabric-banner.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricBanner, revealer);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricBanner, keyring_box);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricBanner, keyring_label);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricBanner, file_box);
  gtk_widget_class_bind_template_child (widget_class, SluiceFabricBanner, file_label);
}

static void
sluice_fabric_banner_init (SluiceFabricBanner *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL, _("Fabric problems"), -1);
  update (self);
}

void
sluice_fabric_banner_set_session (SluiceFabricBanner  *self,
                                  SluiceFabricSession *session)
{
  g_return_if_fail (SLUICE_IS_FABRIC_BANNER (self));
  g_return_if_fail (!session || SLUICE_IS_FABRIC_SESSION (session));

  if (self->session == session)
    return;
  g_return_if_fail (self->session == NULL);   /* set once, by the window */
  g_set_object (&self->session, session);
  if (session)
    {
      SluiceCredentialStore *credentials = sluice_fabric_session_get_credentials (session);

      g_signal_connect_object (credentials, "notify::status", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (credentials, "notify::problem", G_CALLBACK (update), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sluice_fabric_session_get_fabrics (session), "notify::load-error",
                               G_CALLBACK (update), self, G_CONNECT_SWAPPED);
    }
  update (self);
}

gboolean
sluice_fabric_banner_is_revealed (SluiceFabricBanner *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_BANNER (self), FALSE);
  return gtk_revealer_get_reveal_child (self->revealer);
}

const char *
sluice_fabric_banner_get_keyring_text (SluiceFabricBanner *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_BANNER (self), NULL);
  return gtk_label_get_text (self->keyring_label);
}

const char *
sluice_fabric_banner_get_file_text (SluiceFabricBanner *self)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC_BANNER (self), NULL);
  return gtk_label_get_text (self->file_label);
}
