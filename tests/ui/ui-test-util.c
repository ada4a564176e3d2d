#include "config.h"

#include <math.h>

#include <gdk/x11/gdkx.h>
#include <glib/gstdio.h>

#include "ui-test-util.h"

gboolean
ui_test_init_display (void)
{
  for (int attempt = 0; attempt < 10; attempt++)
    {
      if (gtk_init_check ())
        return TRUE;
      g_usleep (300 * 1000);
    }
  if (g_getenv ("SLUICE_HEADLESS_INNER"))
    g_error ("tests/run-headless.sh started a display, and it could not be opened");
  return FALSE;
}

void
ui_test_spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
}

void
ui_test_spin_until (gboolean (*done) (gpointer),
                    gpointer   data,
                    guint      seconds)
{
  /* Sanitized builds run several times slower (meson's asan setup gives
   * them 4 × the timeout): so does this wait. */
  gint64 scale = g_getenv ("ASAN_OPTIONS") ? 4 : 1;
  gint64 deadline = g_get_monotonic_time () + scale * seconds * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

void
ui_test_xdotool (const char *script)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *cmd = g_strconcat ("xdotool ", script, NULL);
  g_autoptr(GSubprocess) proc = NULL;
  gboolean done = FALSE;

  g_test_message ("%s", cmd);
  g_assert_true (g_shell_parse_argv (cmd, NULL, &argv, &error));
  proc = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (proc, NULL, done_cb, &done);
  ui_test_spin_until (is_true, &done, 30);
  g_assert_true (g_subprocess_get_successful (proc));
  ui_test_spin_ms (150);
}

gulong
ui_test_window_xid (GtkWindow *window)
{
  return gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (window)));
}

void
ui_test_to_window (GtkWidget *widget,
                   double     x,
                   double     y,
                   int       *wx,
                   int       *wy)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (widget));
  double tx, ty, sx, sy;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_widget_translate_coordinates (widget, window, x, y, &tx, &ty));
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_get_surface_transform (GTK_NATIVE (window), &sx, &sy);
  *wx = (int) lround (tx + sx);
  *wy = (int) lround (ty + sy);
}

void
ui_test_real_drag (GtkWidget *from,
                   double     x0,
                   double     y0,
                   GtkWidget *to,
                   double     x1,
                   double     y1)
{
  gulong wid = ui_test_window_xid (GTK_WINDOW (gtk_widget_get_root (from)));
  g_autoptr(GString) s = g_string_new (NULL);
  int ax, ay, bx, by;

  ui_test_to_window (from, x0, y0, &ax, &ay);
  ui_test_to_window (to, x1, y1, &bx, &by);
  g_string_append_printf (s, "mousemove --window %lu %d %d sleep 0.1 mousedown 1 sleep 0.05", wid, ax, ay);
  for (int i = 1; i <= 8; i++)
    g_string_append_printf (s, " mousemove --window %lu %d %d sleep 0.05", wid, ax + (bx - ax) * i / 8,
                            ay + (by - ay) * i / 8);
  g_string_append (s, " sleep 0.15 mouseup 1");
  ui_test_xdotool (s->str);
}

void
ui_test_screenshot (GtkWindow  *window,
                    const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("SLUICE_BUILD_ROOT"), "tests", "ui", "artifacts", NULL);
  g_autofree char *file = g_build_filename (dir, name, NULL);
  g_autofree char *cmd = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_mkdir_with_parents (dir, 0755);
  cmd = g_strdup_printf ("import -window %lu %s", ui_test_window_xid (window), file);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
}

GtkWidget *
ui_test_find (GtkWidget     *root,
              gboolean     (*match) (GtkWidget *, gconstpointer),
              gconstpointer  data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = ui_test_find (c, match, data);
      if (found)
        return found;
    }
  return NULL;
}

void
ui_test_remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        ui_test_remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

char *
ui_test_copy_example (const char *dir,
                      const char *name)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  char *dest = g_build_filename (dir, name, NULL);
  const char *argv[] = { "cp", "-r", example, dest, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL, NULL, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  return dest;
}

SluiceApplication *
ui_test_app_new (void)
{
  g_autoptr(GError) error = NULL;
  SluiceApplication *app;

  adw_init ();
  app = sluice_application_new ();
  g_application_register (G_APPLICATION (app), NULL, &error);
  g_assert_no_error (error);
  g_application_hold (G_APPLICATION (app));
  return app;
}

static gboolean
has_project (gpointer data)
{
  return sluice_window_get_project (data) != NULL;
}

SluiceWindow *
ui_test_open_project (SluiceApplication *app,
                      const char        *path)
{
  SluiceWindow *window = sluice_window_new (app);
  g_autoptr(GFile) dir = g_file_new_for_path (path);

  gtk_window_present (GTK_WINDOW (window));
  sluice_window_open_project (window, dir);
  ui_test_spin_until (has_project, window, 20);
  return window;
}

static gboolean
is_project_page (GtkWidget    *w,
                 gconstpointer data)
{
  return SLUICE_IS_PROJECT_PAGE (w);
}

SluiceProjectPage *
ui_test_project_page (SluiceWindow *window)
{
  return SLUICE_PROJECT_PAGE (ui_test_find (GTK_WIDGET (window), is_project_page, NULL));
}

typedef struct
{
  SluiceProjectPage *page;
  SluicePipeline    *pipeline;
} RunWait;

static gboolean
is_cancel_button (GtkWidget    *w,
                  gconstpointer data)
{
  return GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), "page.cancel-run") == 0;
}

/* Ended, and the page has seen it end: Cancel is off again. */
static gboolean
run_settled (gpointer data)
{
  RunWait *w = data;
  SluiceRun *run = sluice_project_page_get_run (w->page, w->pipeline);
  GtkWidget *cancel = ui_test_find (GTK_WIDGET (w->page), is_cancel_button, NULL);

  return run && sluice_run_get_state (run) >= SLUICE_RUN_SUCCEEDED && cancel && !gtk_widget_is_sensitive (cancel);
}

void
ui_test_wait_for_run (SluiceProjectPage *page,
                      SluicePipeline    *pipeline)
{
  RunWait w = { page, pipeline };

  ui_test_spin_until (run_settled, &w, 120);
}

void
ui_test_respond (AdwMessageDialog *dialog,
                 const char       *response)
{
  adw_message_dialog_response (dialog, response);
  gtk_window_destroy (GTK_WINDOW (dialog));
}
