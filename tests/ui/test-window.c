/* The application shell in-process: a real window, a real project. */
#include "config.h"

#include <glib/gstdio.h>

#include "sluice-application.h"
#include "sluice-project-page.h"
#include "sluice-welcome-page.h"
#include "sluice-window.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;   /* one per process: an id registers once */

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
has_project (gpointer data)
{
  return sluice_window_get_project (data) != NULL;
}

static SluiceProjectPage *
project_page_of (SluiceWindow *window)
{
  GtkWidget *w = GTK_WIDGET (window);
  GPtrArray *stack = g_ptr_array_new ();
  SluiceProjectPage *page = NULL;

  g_ptr_array_add (stack, w);
  while (stack->len && !page)
    {
      GtkWidget *x = g_ptr_array_steal_index (stack, stack->len - 1);
      if (SLUICE_IS_PROJECT_PAGE (x))
        page = SLUICE_PROJECT_PAGE (x);
      for (GtkWidget *c = gtk_widget_get_first_child (x); c; c = gtk_widget_get_next_sibling (c))
        g_ptr_array_add (stack, c);
    }
  g_ptr_array_unref (stack);
  return page;
}

/* The names the sidebar shows, read from the row widgets themselves. */
static char *
row_names (GtkListBox *list)
{
  GString *out = g_string_new (NULL);
  GtkListBoxRow *row;

  for (int i = 0; (row = gtk_list_box_get_row_at_index (list, i)); i++)
    {
      GtkWidget *box = gtk_list_box_row_get_child (row);
      GtkWidget *label = gtk_widget_get_next_sibling (gtk_widget_get_first_child (box));
      g_string_append_printf (out, "%s%s", i ? "," : "", gtk_label_get_text (GTK_LABEL (label)));
    }
  return g_string_free (out, FALSE);
}

static SluiceWindow *
open_window (SluiceApplication *app,
             const char        *path)
{
  SluiceWindow *window = sluice_window_new (app);
  g_autoptr(GFile) dir = g_file_new_for_path (path);

  gtk_window_present (GTK_WINDOW (window));
  sluice_window_open_project (window, dir);
  spin_until (has_project, window);
  return window;
}

static void
test_opens_the_example (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autofree char *pipelines = NULL, *datasets = NULL, *jobs = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  g_auto(GStrv) recent = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  window = open_window (app, example);
  page = project_page_of (window);
  g_assert_nonnull (page);

  pipelines = row_names (sluice_project_page_get_list (page, "pipelines"));
  datasets = row_names (sluice_project_page_get_list (page, "datasets"));
  jobs = row_names (sluice_project_page_get_list (page, "jobs"));
  g_assert_cmpstr (pipelines, ==, "customer_cleanup,orders_enriched,revenue_by_month,top_products");
  g_assert_cmpstr (datasets, ==, "customers,customers_by_country,legacy_customers,orders,orders_enriched,"
                                 "products,returns,revenue_by_month,top_products");
  g_assert_cmpstr (jobs, ==, "nightly_refresh");
  g_assert_cmpstr (gtk_window_get_title (GTK_WINDOW (window)), ==, "Retail analytics");

  /* The first pipeline is selected and shown. */
  g_assert_nonnull (gtk_list_box_get_selected_row (sluice_project_page_get_list (page, "pipelines")));

  /* Opening a project makes it the most recent one. */
  recent = g_settings_get_strv (sluice_application_get_settings (app), "recent-projects");
  g_assert_nonnull (recent[0]);
  g_assert_true (g_str_has_suffix (recent[0], "examples/retail"));

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
write_file (const char *dir,
            const char *relative,
            const char *contents)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_mkdir_with_parents (parent, 0755);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
test_a_broken_project_shows_its_problems (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("sluice-ui-XXXXXX", NULL);
  g_autofree char *pipelines = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  GtkListBox *problems;
  GtkListBoxRow *row;
  gboolean show = FALSE;
  g_autoptr(GString) seen = g_string_new (NULL);

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  write_file (tmp, "sluice.json", "{\"format_version\": 1, \"name\": \"Broken\"}");
  write_file (tmp, "pipelines/bad.json", "{\"format_version\": 1, \"gems\": [");
  write_file (tmp, "pipelines/dangling.json",
              "{\n  \"format_version\": 1,\n  \"gems\": [],\n  \"edges\": [\n    {\"from\": \"a.out\", \"to\": \"b.in0\"}\n  ]\n}\n");

  window = open_window (app, tmp);
  page = project_page_of (window);

  /* Both pipelines are listed, the unreadable one too. */
  pipelines = row_names (sluice_project_page_get_list (page, "pipelines"));
  g_assert_cmpstr (pipelines, ==, "bad,dangling");

  /* The problems panel opens by itself and lists every problem with its place. */
  g_object_get (page, "show-problems", &show, NULL);
  g_assert_true (show);
  problems = sluice_project_page_get_problems_list (page);
  for (int i = 0; (row = gtk_list_box_get_row_at_index (problems, i)); i++)
    g_string_append_printf (seen, "%s %s\n", adw_action_row_get_subtitle (ADW_ACTION_ROW (row)),
                            adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)));
  g_assert_cmpstr (seen->str, ==,
                   "pipelines/bad.json:1:31 unterminated array (missing “]”)\n"
                   "pipelines/dangling.json:5:5 edge a.out → b.in0: there is no gem “a”\n"
                   "pipelines/dangling.json:5:5 edge a.out → b.in0: there is no gem “b”\n");

  /* Activating a problem selects the file it is about. */
  g_signal_emit_by_name (problems, "row-activated", gtk_list_box_get_row_at_index (problems, 1));
  row = gtk_list_box_get_selected_row (sluice_project_page_get_list (page, "pipelines"));
  g_assert_nonnull (row);
  g_assert_cmpint (gtk_list_box_row_get_index (row), ==, 1);

  gtk_window_destroy (GTK_WINDOW (window));
  {
    g_autofree char *cmd = g_strdup_printf ("rm -rf %s", tmp);
    g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  }
}

static void
test_not_a_project_is_a_toast_not_a_crash (void)
{
  g_autofree char *tmp = g_dir_make_tmp ("sluice-ui-XXXXXX", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (tmp);
  SluiceWindow *window;
  gint64 until;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  window = sluice_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  sluice_window_open_project (window, dir);
  until = g_get_monotonic_time () + G_USEC_PER_SEC / 2;
  while (g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  /* Still on the welcome page, no project. */
  g_assert_null (sluice_window_get_project (window));
  gtk_window_destroy (GTK_WINDOW (window));
  g_rmdir (tmp);
}

static gboolean
has_toplevel_of_type (gpointer type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, GPOINTER_TO_SIZE (type)) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return TRUE;
    }
  return FALSE;
}

static void
close_toplevels_of_type (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = g_list_model_get_n_items (toplevels); i > 0; i--)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i - 1);
      if (G_TYPE_CHECK_INSTANCE_TYPE (w, type))
        gtk_window_destroy (GTK_WINDOW (w));
    }
}

/* The welcome page lists the recent projects, newest first; a folder that
 * is no longer a project is shown but cannot be opened. */
static void
test_welcome_lists_recent_projects (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  const char *recent[] = { example, "/nonexistent/old-project", NULL };
  SluiceWindow *window;
  GtkListBox *list;
  GtkListBoxRow *row;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  g_settings_set_strv (sluice_application_get_settings (app), "recent-projects", recent);
  window = sluice_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  list = sluice_welcome_page_get_recent_list (sluice_window_get_welcome_page (window));

  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "retail");
  g_assert_true (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  row = gtk_list_box_get_row_at_index (list, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "old-project");
  g_assert_false (gtk_widget_get_sensitive (GTK_WIDGET (row)));
  g_assert_null (gtk_list_box_get_row_at_index (list, 2));

  /* Choosing the first opens it. */
  g_signal_emit_by_name (list, "row-activated", gtk_list_box_get_row_at_index (list, 0));
  spin_until (has_project, window);
  g_assert_cmpstr (sluice_project_get_name (sluice_window_get_project (window)), ==, "Retail analytics");
  gtk_window_destroy (GTK_WINDOW (window));
}

/* The primary menu's entries open what they say, with no warning (warnings
 * are fatal here, so a broken template fails the test). */
static void
test_menu_windows_open (void)
{
  SluiceWindow *window;
  struct { const char *action; GType (*type) (void); } entries[] = {
    { "app.about", adw_about_window_get_type },
    { "app.preferences", adw_preferences_window_get_type },
    { "win.show-help-overlay", gtk_shortcuts_window_get_type },
  };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  window = sluice_window_new (app);
  gtk_window_present (GTK_WINDOW (window));
  for (guint i = 0; i < G_N_ELEMENTS (entries); i++)
    {
      GType type = entries[i].type ();

      g_test_message ("%s", entries[i].action);
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (window), entries[i].action, NULL));
      spin_until (has_toplevel_of_type, GSIZE_TO_POINTER (type));
      close_toplevels_of_type (type);
    }
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    {
      g_autoptr(GError) error = NULL;

      adw_init ();
      app = sluice_application_new ();
      g_application_register (G_APPLICATION (app), NULL, &error);
      g_assert_no_error (error);
      /* Holding the app runs startup (settings, actions) without a main loop. */
      g_application_hold (G_APPLICATION (app));
    }

  g_test_add_func ("/sluice/ui/window/opens-the-example", test_opens_the_example);
  g_test_add_func ("/sluice/ui/window/a-broken-project-shows-its-problems", test_a_broken_project_shows_its_problems);
  g_test_add_func ("/sluice/ui/window/not-a-project-is-a-toast-not-a-crash", test_not_a_project_is_a_toast_not_a_crash);
  g_test_add_func ("/sluice/ui/window/menu-windows-open", test_menu_windows_open);
  g_test_add_func ("/sluice/ui/window/welcome-lists-recent-projects", test_welcome_lists_recent_projects);

  {
    int rc = g_test_run ();
    g_clear_object (&app);
    return rc;
  }
}
