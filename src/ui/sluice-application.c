#define G_LOG_DOMAIN "sluice-application"

#include "config.h"

#include <glib/gi18n.h>
#include <gtksourceview/gtksource.h>
#include <json-glib/json-glib.h>
#include <libsecret/secret.h>
#include <libsoup/soup.h>
#include <git2.h>
#include <sqlite3.h>

#include "sluice-application.h"
#include "sluice-pipeline-merge.h"
#include "sluice-repository.h"
#include "sluice-fabrics-window.h"
#include "sluice-preferences-window.h"
#include "sluice-window.h"

#define MAX_RECENT 10

struct _SluiceApplication
{
  AdwApplication  parent_instance;
  GSettings           *settings;   /* owned, nullable */
  SluiceFabricSession *fabrics;    /* owned: made at startup */
  GtkWindow           *fabrics_window; /* borrowed, nullable: the one open */
};

G_DEFINE_FINAL_TYPE (SluiceApplication, sluice_application, ADW_TYPE_APPLICATION)

static SluiceWindow *
active_window (SluiceApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (SLUICE_IS_WINDOW (window))
    return SLUICE_WINDOW (window);
  window = GTK_WINDOW (sluice_window_new (self));
  return SLUICE_WINDOW (window);
}

static void
apply_color_scheme (SluiceApplication *self)
{
  AdwStyleManager *style = adw_style_manager_get_default ();
  int scheme = self->settings ? g_settings_get_enum (self->settings, "color-scheme") : 0;

  adw_style_manager_set_color_scheme (style, scheme == 1 ? ADW_COLOR_SCHEME_FORCE_LIGHT
                                           : scheme == 2 ? ADW_COLOR_SCHEME_FORCE_DARK
                                                         : ADW_COLOR_SCHEME_DEFAULT);
}

static void
sluice_application_activate (GApplication *app)
{
  SluiceWindow *window = active_window (SLUICE_APPLICATION (app));
  gtk_window_present (GTK_WINDOW (window));
}

static void
sluice_application_open (GApplication  *app,
                         GFile        **files,
                         int            n_files,
                         const char    *hint)
{
  SluiceApplication *self = SLUICE_APPLICATION (app);

  for (int i = 0; i < n_files; i++)
    {
      /* One window per project; the first reuses an empty window. */
      SluiceWindow *window = i == 0 ? active_window (self) : sluice_window_new (self);

      if (sluice_window_get_project (window) != NULL)
        window = sluice_window_new (self);
      sluice_window_open_project (window, files[i]);
      gtk_window_present (GTK_WINDOW (window));
    }
}

static void
about_action (GSimpleAction *action,
              GVariant      *param,
              gpointer       user_data)
{
  SluiceApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  g_autofree char *debug = NULL;
  const char *developers[] = { "The Sluice developers", NULL };
  GtkWidget *about;

  debug = g_strdup_printf ("Sluice %s\n\n"
                           "GTK %u.%u.%u\nlibadwaita %u.%u.%u\nGLib %u.%u.%u\n"
                           "GtkSourceView %d.%d.%d\njson-glib %d.%d.%d\nlibsoup %u.%u.%u\n"
                           "libgit2 %d.%d.%d\nSQLite %s\nlibsecret %d.%d.%d\n"
                           "GSK renderer: %s\n",
                           PACKAGE_VERSION,
                           gtk_get_major_version (), gtk_get_minor_version (), gtk_get_micro_version (),
                           adw_get_major_version (), adw_get_minor_version (), adw_get_micro_version (),
                           glib_major_version, glib_minor_version, glib_micro_version,
                           GTK_SOURCE_MAJOR_VERSION, GTK_SOURCE_MINOR_VERSION, GTK_SOURCE_MICRO_VERSION,
                           JSON_MAJOR_VERSION, JSON_MINOR_VERSION, JSON_MICRO_VERSION,
                           soup_get_major_version (), soup_get_minor_version (), soup_get_micro_version (),
                           ({ int a, b, c; git_libgit2_version (&a, &b, &c); a; }),
                           ({ int a, b, c; git_libgit2_version (&a, &b, &c); b; }),
                           ({ int a, b, c; git_libgit2_version (&a, &b, &c); c; }),
                           sqlite3_libversion (),
                           SECRET_MAJOR_VERSION, SECRET_MINOR_VERSION, SECRET_MICRO_VERSION,
                           parent && gtk_native_get_renderer (GTK_NATIVE (parent))
                             ? G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (parent)))
                             : "unknown");

  about = g_object_new (ADW_TYPE_ABOUT_WINDOW,
                        "transient-for", parent,
                        "application-name", "Sluice",
                        "application-icon", APP_ID,
                        "developer-name", "The Sluice developers",
                        "version", PACKAGE_VERSION,
                        "website", "https://sluice.dev/",
                        "issue-url", "https://sluice.dev/issues",
                        "license-type", GTK_LICENSE_GPL_3_0,
                        "developers", developers,
                        "copyright", "© 2026 The Sluice developers",
                        "debug-info", debug,
                        "debug-info-filename", "sluice-debug-info.txt",
                        NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static void
preferences_action (GSimpleAction *action,
                    GVariant      *param,
                    gpointer       user_data)
{
  SluiceApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));
  SluicePreferencesWindow *prefs = sluice_preferences_window_new (self->settings);

  gtk_window_set_transient_for (GTK_WINDOW (prefs), parent);
  gtk_window_present (GTK_WINDOW (prefs));
}

static void
fabrics_window_destroyed_cb (SluiceApplication *self,
                             GtkWindow         *window)
{
  if (self->fabrics_window == window)
    self->fabrics_window = NULL;
}

static void
fabrics_action (GSimpleAction *action,
                GVariant      *param,
                gpointer       user_data)
{
  SluiceApplication *self = user_data;
  GtkWindow *parent = gtk_application_get_active_window (GTK_APPLICATION (self));

  if (self->fabrics_window == NULL)
    {
      self->fabrics_window = GTK_WINDOW (sluice_fabrics_window_new (sluice_application_get_fabric_session (self)));
      gtk_window_set_application (self->fabrics_window, GTK_APPLICATION (self));
      g_signal_connect_object (self->fabrics_window, "destroy", G_CALLBACK (fabrics_window_destroyed_cb), self,
                               G_CONNECT_SWAPPED);
    }
  if (parent != self->fabrics_window)
    gtk_window_set_transient_for (self->fabrics_window, parent);
  gtk_window_present (self->fabrics_window);
}

static void
quit_action (GSimpleAction *action,
             GVariant      *param,
             gpointer       user_data)
{
  g_autoptr(GList) windows = g_list_copy (gtk_application_get_windows (GTK_APPLICATION (user_data)));

  /* Close windows properly so each saves its state. */
  for (GList *l = windows; l; l = l->next)
    gtk_window_close (l->data);
}

static void
new_window_action (GSimpleAction *action,
                   GVariant      *param,
                   gpointer       user_data)
{
  gtk_window_present (GTK_WINDOW (sluice_window_new (user_data)));
}

static const GActionEntry app_actions[] = {
  { "about", about_action },
  { "preferences", preferences_action },
  { "fabrics", fabrics_action },
  { "quit", quit_action },
  { "new-window", new_window_action },
};

static void
selected_fabric_cb (SluiceApplication *self)
{
  SluiceFabric *fabric = sluice_fabric_session_get_selected (self->fabrics);

  /* By id ("local" for the built-in one), which a rename keeps; a name
   * from an older setting is still read. */
  if (self->settings)
    g_settings_set_string (self->settings, "last-fabric", sluice_fabric_get_id (fabric));
}

static void
fabrics_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(SluiceApplication) self = user_data;
  g_autoptr(GError) error = NULL;

  /* A bad fabrics.json is the banner's to show; the app goes on on Local. */
  if (!sluice_fabric_session_start_finish (SLUICE_FABRIC_SESSION (source), result, &error))
    g_debug ("fabrics: %s", error->message);
  g_signal_connect_object (self->fabrics, "notify::selected", G_CALLBACK (selected_fabric_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
start_fabrics (SluiceApplication *self)
{
  g_autoptr(SluiceFabricStore) store = sluice_fabric_store_new (NULL);
  g_autoptr(SluiceCredentialStore) credentials = sluice_credential_store_new ();
  g_autofree char *last = self->settings ? g_settings_get_string (self->settings, "last-fabric") : NULL;

  self->fabrics = sluice_fabric_session_new (store, credentials, NULL);
  sluice_fabric_session_start_async (self->fabrics, last, NULL, fabrics_started_cb, g_object_ref (self));
}

/* Sluice's pull merges pipeline files gem by gem (docs/git.md); conflicts
 * stay in the file's "merge_conflicts" for the git panel to resolve. Runs
 * on the repository's worker threads: the merge is pure GLib. */
static GBytes *
merge_pipelines (GBytes   *base,
                 GBytes   *ours,
                 GBytes   *theirs,
                 gboolean *conflicted,
                 gpointer  user_data)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  GBytes *merged = sluice_pipeline_merge (base, ours, theirs, TRUE, &conflicts, NULL);

  if (merged != NULL)
    *conflicted = conflicts->len > 0;
  return merged;
}

/* The merge of pipeline files during a pull. Registering it starts libgit2
 * (a few per cent of start-up), so the window asks for it with the first
 * repository it opens, after its first frame, not at start-up. */
void
sluice_application_ensure_vcs (void)
{
  static gsize done = 0;

  if (g_once_init_enter (&done))
    {
      sluice_vcs_set_pipeline_merge_func (merge_pipelines, NULL);
      g_once_init_leave (&done, 1);
    }
}

static void
sluice_application_startup (GApplication *app)
{
  SluiceApplication *self = SLUICE_APPLICATION (app);
  static const char *quit_accels[] = { "<Control>q", NULL };
  static const char *prefs_accels[] = { "<Control>comma", NULL };
  static const char *new_window_accels[] = { "<Control><Shift>n", NULL };
  static const char *open_accels[] = { "<Control>o", NULL };
  static const char *new_accels[] = { "<Control>n", NULL };
  static const char *problems_accels[] = { "F8", NULL };
  static const char *git_accels[] = { "F9", NULL };
  static const char *close_accels[] = { "<Control>w", NULL };
  GSettingsSchemaSource *source;
  g_autoptr(GSettingsSchema) schema = NULL;

  G_APPLICATION_CLASS (sluice_application_parent_class)->startup (app);

  gtk_source_init ();

  source = g_settings_schema_source_get_default ();
  if (source && (schema = g_settings_schema_source_lookup (source, APP_ID, TRUE)))
    {
      self->settings = g_settings_new (APP_ID);
      g_signal_connect_object (self->settings, "changed::color-scheme",
                               G_CALLBACK (apply_color_scheme), self, G_CONNECT_SWAPPED);
    }
  else
    g_message ("Settings schema %s is not installed; settings will not be kept", APP_ID);
  apply_color_scheme (self);

  start_fabrics (self);

  g_action_map_add_action_entries (G_ACTION_MAP (self), app_actions, G_N_ELEMENTS (app_actions), self);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.preferences", prefs_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "app.new-window", new_window_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.open-project", open_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.new-project", new_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.toggle-problems", problems_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "win.toggle-git", git_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (self), "window.close", close_accels);
}

static void
sluice_application_dispose (GObject *object)
{
  SluiceApplication *self = SLUICE_APPLICATION (object);

  g_clear_object (&self->settings);
  g_clear_object (&self->fabrics);

  G_OBJECT_CLASS (sluice_application_parent_class)->dispose (object);
}

static void
sluice_application_class_init (SluiceApplicationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = sluice_application_dispose;
  app_class->startup = sluice_application_startup;
  app_class->activate = sluice_application_activate;
  app_class->open = sluice_application_open;
}

static void
sluice_application_init (SluiceApplication *self)
{
}

SluiceApplication *
sluice_application_new (void)
{
  GApplicationFlags flags = G_APPLICATION_HANDLES_OPEN;

  /* Tests start several instances on one bus; each must be its own. */
  if (g_strcmp0 (g_getenv ("SLUICE_NON_UNIQUE"), "1") == 0)
    flags |= G_APPLICATION_NON_UNIQUE;

  return g_object_new (SLUICE_TYPE_APPLICATION,
                       "application-id", APP_ID,
                       "flags", flags,
                       "resource-base-path", RESOURCE_PREFIX,
                       NULL);
}

GSettings *
sluice_application_get_settings (SluiceApplication *self)
{
  g_return_val_if_fail (SLUICE_IS_APPLICATION (self), NULL);
  return self->settings;
}

SluiceEngine *
sluice_application_get_local_engine (SluiceApplication *self)
{
  g_return_val_if_fail (SLUICE_IS_APPLICATION (self), NULL);

  /* One for all windows: they share the cache of loaded samples. */
  return sluice_fabric_session_get_engine (sluice_application_get_fabric_session (self),
                                           sluice_fabric_store_get_local (sluice_fabric_session_get_fabrics (
                                             sluice_application_get_fabric_session (self))));
}

SluiceFabricSession *
sluice_application_get_fabric_session (SluiceApplication *self)
{
  g_return_val_if_fail (SLUICE_IS_APPLICATION (self), NULL);

  /* Before startup (a window made by a test without registering): a
   * session on the same files, started on first use. */
  if (self->fabrics == NULL)
    start_fabrics (self);
  return self->fabrics;
}

void
sluice_application_add_recent (SluiceApplication *self,
                               const char        *path)
{
  g_auto(GStrv) old = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_auto(GStrv) recent = NULL;
  guint n = 1;

  g_return_if_fail (SLUICE_IS_APPLICATION (self));

  if (self->settings == NULL || path == NULL)
    return;

  old = g_settings_get_strv (self->settings, "recent-projects");
  g_strv_builder_add (builder, path);
  for (guint i = 0; old[i] && n < MAX_RECENT; i++)
    if (!g_str_equal (old[i], path))
      {
        g_strv_builder_add (builder, old[i]);
        n++;
      }
  recent = g_strv_builder_end (builder);
  g_settings_set_strv (self->settings, "recent-projects", (const char * const *) recent);
}
