/* The pipeline editor in the real window, driven with real input (xdotool):
 * drag a gem from the palette onto the canvas, type an expression and see
 * its diagnostic come and go, run up to the selected gem and see its rows,
 * and save the pipeline with its code. */
#include "config.h"

#include <glib/gstdio.h>

#include "sluice-application.h"
#include "sluice-project-page.h"
#include "sluice-window.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;
static char *tmp;

static gboolean
is_palette_row (GtkWidget    *w,
                gconstpointer type_name)
{
  SluiceGemType *t = GTK_IS_LIST_BOX_ROW (w) ? g_object_get_data (G_OBJECT (w), "gem-type") : NULL;
  return t && g_str_equal (sluice_gem_type_get_name (t), type_name);
}

static gboolean
is_button_for (GtkWidget    *w,
               gconstpointer action)
{
  return GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0;
}

static gboolean
is_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static gboolean
is_clean (gpointer data)
{
  return !sluice_pipeline_get_dirty (data);
}

typedef struct
{
  SluicePipeline    *pipeline;
  const char        *condition;
  SluiceFieldEditor *editor;
} Expect;

/* The edit reached the model (after the editor's pause) and the editor's
 * problem says whether the column exists. */
static gboolean
condition_is (gpointer data)
{
  Expect *e = data;
  const char *now = sluice_gem_get_config_string (sluice_pipeline_find_gem (e->pipeline, "top_five"), "condition");
  const char *message = sluice_field_editor_get_message (e->editor);
  gboolean has_problem = message != NULL && *message != '\0';

  return g_strcmp0 (now, e->condition) == 0 && has_problem == (strstr (e->condition, "rnak") != NULL);
}

/* Selects the text of @view with a real click and replaces it by typing. */
static void
type_into (GtkWidget  *view,
           const char *text)
{
  gulong wid = ui_test_window_xid (GTK_WINDOW (gtk_widget_get_root (view)));
  g_autofree char *quoted = g_shell_quote (text);
  g_autofree char *script = NULL;
  int x, y;

  ui_test_to_window (view, 20, gtk_widget_get_height (view) / 2.0, &x, &y);
  script = g_strdup_printf ("mousemove --window %lu %d %d click 1 sleep 0.1 key ctrl+a sleep 0.05 "
                            "type --delay 20 %s", wid, x, y, quoted);
  ui_test_xdotool (script);
}

static void
test_build_type_run_and_save_with_real_input (void)
{
  g_autofree char *project = NULL;
  g_autofree char *file = NULL;
  g_autofree char *code = NULL;
  g_autofree char *saved = NULL;
  SluiceProjectPage *page;
  SluicePipelineView *view;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  SluiceWindow *window;
  GtkWidget *row, *until;
  SluiceFieldEditor *condition;
  guint n_before;
  double mx, my;
  Expect expect;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "retail");
  window = ui_test_open_project (app, project);
  gtk_window_set_default_size (GTK_WINDOW (window), 1400, 900);
  page = ui_test_project_page (window);
  g_assert_true (sluice_project_page_select_file (page, "pipelines/top_products.json"));
  view = sluice_project_page_get_pipeline_view (page);
  p = sluice_pipeline_view_get_pipeline (view);
  canvas = sluice_pipeline_view_get_canvas (view);
  ui_test_spin_until (is_mapped, canvas, 20);
  ui_test_spin_ms (300);
  n_before = g_list_model_get_n_items (sluice_pipeline_get_gems (p));

  /* 1. A Filter dragged from the palette lands where it is dropped. */
  row = ui_test_find (GTK_WIDGET (sluice_pipeline_view_get_palette (view)), is_palette_row, "Filter");
  g_assert_nonnull (row);
  ui_test_real_drag (row, 30, gtk_widget_get_height (row) / 2.0, GTK_WIDGET (canvas), 200, 120);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n_before + 1);
  {
    g_autoptr(SluiceGem) added = g_list_model_get_item (sluice_pipeline_get_gems (p), n_before);
    g_auto(GStrv) selection = sluice_canvas_get_selection (canvas);

    g_assert_cmpstr (sluice_gem_get_type_name (added), ==, "Filter");
    sluice_canvas_view_to_model (canvas, 200, 120, &mx, &my);
    g_assert_cmpfloat (fabs (sluice_gem_get_x (added) - mx), <, 2);
    g_assert_cmpfloat (fabs (sluice_gem_get_y (added) - my), <, 2);
    /* It is selected, and the inspector shows it. */
    g_assert_cmpstrv (selection, ((const char * const[]) { sluice_gem_get_id (added), NULL }));
    g_assert_cmpstr (sluice_inspector_get_gem_id (sluice_pipeline_view_get_inspector (view)), ==,
                     sluice_gem_get_id (added));
  }
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n_before);

  /* 2. Typing a wrong column shows its problem under the field; fixing it clears it. */
  sluice_canvas_set_selection (canvas, (const char * const[]) { "top_five", NULL });
  ui_test_spin_ms (200);
  condition = sluice_inspector_get_editor (sluice_pipeline_view_get_inspector (view), "condition");
  g_assert_nonnull (condition);
  type_into (sluice_field_editor_get_input (condition), "rnak <= 3");
  expect.pipeline = p;
  expect.condition = "rnak <= 3";
  expect.editor = condition;
  ui_test_spin_until (condition_is, &expect, 20);
  g_assert_nonnull (strstr (sluice_field_editor_get_message (condition), "rnak"));
  type_into (sluice_field_editor_get_input (condition), "rank <= 3");
  expect.condition = "rank <= 3";
  ui_test_spin_until (condition_is, &expect, 20);

  /* 3. Run up to the selected gem with a real click: 3 categories × 3. */
  until = ui_test_find (GTK_WIDGET (view), is_button_for, "editor.run-to-selected");
  g_assert_true (gtk_widget_is_sensitive (until));
  {
    gulong wid = ui_test_window_xid (GTK_WINDOW (window));
    g_autofree char *script = NULL;
    int x, y;

    ui_test_to_window (until, gtk_widget_get_width (until) / 2.0, gtk_widget_get_height (until) / 2.0, &x, &y);
    script = g_strdup_printf ("mousemove --window %lu %d %d click 1", wid, x, y);
    ui_test_xdotool (script);
  }
  ui_test_wait_for_run (page, p);
  g_assert_cmpint (sluice_run_get_state (sluice_project_page_get_run (page, p)), ==, SLUICE_RUN_SUCCEEDED);
  g_assert_cmpstr (sluice_run_get_until_gem (sluice_project_page_get_run (page, p)), ==, "top_five");
  g_assert_true (g_str_has_prefix (sluice_pipeline_view_get_gem_status (view, "top_five"), "9 rows · "));
  g_assert_cmpstr (sluice_pipeline_view_get_gem_status (view, "write_top_products"), ==, "");
  g_assert_cmpuint (g_list_model_get_n_items (sluice_results_view_get_rows (sluice_project_page_get_results_view (page))),
                    ==, 9);
  ui_test_screenshot (GTK_WINDOW (window), "editor.png");

  /* 4. Ctrl+S writes the pipeline and its code. */
  g_assert_true (sluice_pipeline_get_dirty (p));
  sluice_project_page_save (page);
  ui_test_spin_until (is_clean, p, 20);
  file = g_build_filename (project, "pipelines", "top_products.json", NULL);
  g_assert_true (g_file_get_contents (file, &saved, NULL, NULL));
  g_assert_nonnull (strstr (saved, "\"condition\": \"rank <= 3\""));
  {
    g_autofree char *sql = g_build_filename (project, "code", "sql", "spark", "top_products.sql", NULL);
    gint64 deadline = g_get_monotonic_time () + 20 * G_USEC_PER_SEC;

    /* The code is written after the file, off the main thread. */
    while (!(g_file_get_contents (sql, &code, NULL, NULL) && strstr (code, "`rank` <= 3")))
      {
        g_clear_pointer (&code, g_free);
        g_assert_cmpint (g_get_monotonic_time (), <, deadline);
        ui_test_spin_ms (50);
      }
  }

  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("sluice-test-editor-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    app = ui_test_app_new ();
  g_test_add_func ("/sluice/ui/editor/build-type-run-and-save-with-real-input",
                   test_build_type_run_and_save_with_real_input);
  status = g_test_run ();
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
