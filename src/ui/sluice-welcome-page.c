#define G_LOG_DOMAIN "sluice-welcome-page"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-welcome-page.h"

struct _SluiceWelcomePage
{
  AdwBin       parent_instance;

  GtkListBox  *recent_list;
  GtkWidget   *recent_group;

  GSettings   *settings;   /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceWelcomePage, sluice_welcome_page, ADW_TYPE_BIN)

enum { OPEN_RECENT, N_SIGNALS };
static guint signals[N_SIGNALS];

static char *
shorten (const char *path)
{
  const char *home = g_get_home_dir ();

  if (home && strlen (home) > 1 && g_str_has_prefix (path, home) && path[strlen (home)] == '/')
    return g_strconcat ("~", path + strlen (home), NULL);
  return g_strdup (path);
}

void
sluice_welcome_page_reload (SluiceWelcomePage *self)
{
  g_auto(GStrv) recent = NULL;
  GtkWidget *child;

  g_return_if_fail (SLUICE_IS_WELCOME_PAGE (self));

  while ((child = gtk_widget_get_first_child (GTK_WIDGET (self->recent_list))))
    gtk_list_box_remove (self->recent_list, child);

  recent = self->settings ? g_settings_get_strv (self->settings, "recent-projects") : g_new0 (char *, 1);
  gtk_widget_set_visible (self->recent_group, recent[0] != NULL);

  for (guint i = 0; recent[i]; i++)
    {
      g_autofree char *manifest = g_build_filename (recent[i], "sluice.json", NULL);
      g_autofree char *base = g_path_get_basename (recent[i]);
      g_autofree char *shown = shorten (recent[i]);
      gboolean exists = g_file_test (manifest, G_FILE_TEST_IS_REGULAR);
      GtkWidget *row = adw_action_row_new ();
      GtkWidget *icon = gtk_image_new_from_icon_name (exists ? "folder-symbolic" : "dialog-warning-symbolic");

      adw_preferences_row_set_title (ADW_PREFERENCES_ROW (row), base);
      adw_preferences_row_set_use_markup (ADW_PREFERENCES_ROW (row), FALSE);
      adw_action_row_set_subtitle (ADW_ACTION_ROW (row), shown);
      adw_action_row_add_prefix (ADW_ACTION_ROW (row), icon);
      if (exists)
        {
          gtk_list_box_row_set_activatable (GTK_LIST_BOX_ROW (row), TRUE);
          adw_action_row_add_suffix (ADW_ACTION_ROW (row), gtk_image_new_from_icon_name ("go-next-symbolic"));
        }
      else
        {
          gtk_widget_set_sensitive (row, FALSE);
          gtk_widget_set_tooltip_text (row, _("This folder no longer holds a Sluice project"));
        }
      g_object_set_data_full (G_OBJECT (row), "path", g_strdup (recent[i]), g_free);
      gtk_list_box_append (self->recent_list, row);
    }
}

static void
row_activated_cb (SluiceWelcomePage *self,
                  GtkListBoxRow     *row)
{
  const char *path = g_object_get_data (G_OBJECT (row), "path");

  if (path)
    g_signal_emit (self, signals[OPEN_RECENT], 0, path);
}

void
sluice_welcome_page_set_settings (SluiceWelcomePage *self,
                                  GSettings         *settings)
{
  g_return_if_fail (SLUICE_IS_WELCOME_PAGE (self));

  if (self->settings)
    g_signal_handlers_disconnect_by_data (self->settings, self);
  g_set_object (&self->settings, settings);
  if (settings)
    g_signal_connect_object (settings, "changed::recent-projects",
                             G_CALLBACK (sluice_welcome_page_reload), self, G_CONNECT_SWAPPED);
  sluice_welcome_page_reload (self);
}

static void
sluice_welcome_page_dispose (GObject *object)
{
  SluiceWelcomePage *self = SLUICE_WELCOME_PAGE (object);

  g_clear_object (&self->settings);

  G_OBJECT_CLASS (sluice_welcome_page_parent_class)->dispose (object);
}

static void
sluice_welcome_page_class_init (SluiceWelcomePageClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_welcome_page_dispose;

  signals[OPEN_RECENT] =
    g_signal_new ("open-recent", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, G_TYPE_STRING);

  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-welcome-page.ui");
  gtk_widget_class_bind_template_child (widget_class, SluiceWelcomePage, recent_list);
  gtk_widget_class_bind_template_child (widget_class, SluiceWelcomePage, recent_group);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
}

static void
sluice_welcome_page_init (SluiceWelcomePage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));
}

GtkListBox *
sluice_welcome_page_get_recent_list (SluiceWelcomePage *self)
{
  g_return_val_if_fail (SLUICE_IS_WELCOME_PAGE (self), NULL);
  return self->recent_list;
}
