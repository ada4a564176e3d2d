/* Running pipelines from the window: the Run button, run up to a gem, each
 * gem's row count in its row, the sample in the results view (sorted by a
 * header), and a pipeline with problems opening the problems panel. */
#include "config.h"

#include <glib/gstdio.h>

#include "sluice-application.h"
#include "sluice-project-page.h"
#include "sluice-sample-row.h"
#include "sluice-window.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;
static char *tmp;

static gboolean
is_button_for (GtkWidget    *w,
               gconstpointer action)
{
  return GTK_IS_BUTTON (w) && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (w)), action) == 0;
}

static void
test_run_shows_every_gem_and_its_sample (void)
{
  g_autofree char *project = NULL;
  SluiceProjectPage *page;
  SluiceWindow *window;
  SluicePipelineView *view;
  SluiceResultsView *results;
  GtkWidget *run_button;
  GListModel *rows, *columns;
  SluicePipeline *pipeline;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "retail-run");
  window = ui_test_open_project (app, project);
  page = ui_test_project_page (window);
  g_assert_true (sluice_project_page_select_file (page, "pipelines/top_products.json"));
  view = sluice_project_page_get_pipeline_view (page);
  g_assert_nonnull (view);
  g_assert_cmpstr (sluice_pipeline_view_get_gem_status (view, "top_five"), ==, "");

  /* The Run button, as a click would activate it. */
  run_button = ui_test_find (GTK_WIDGET (view), is_button_for, "page.run");
  g_assert_nonnull (run_button);
  g_assert_true (gtk_widget_is_sensitive (run_button));
  gtk_widget_activate (run_button);
  pipeline = sluice_pipeline_view_get_pipeline (view);
  ui_test_wait_for_run (page, pipeline);
  g_assert_cmpint (sluice_run_get_state (sluice_project_page_get_run (page, pipeline)), ==, SLUICE_RUN_SUCCEEDED);

  /* Hand-checkable counts: 300 products, 3 categories × 5. */
  g_assert_true (g_str_has_prefix (sluice_pipeline_view_get_gem_status (view, "revenue_per_product"), "300 rows · "));
  g_assert_true (g_str_has_prefix (sluice_pipeline_view_get_gem_status (view, "top_five"), "15 rows · "));
  g_assert_true (g_str_has_prefix (sluice_pipeline_view_get_gem_status (view, "orders"), "12000 rows · "));

  /* The last gem's sample is shown, with typed column titles. */
  results = sluice_project_page_get_results_view (page);
  g_assert_true (gtk_revealer_get_reveal_child (GTK_REVEALER (gtk_widget_get_parent (GTK_WIDGET (results)))));
  rows = sluice_results_view_get_rows (results);
  g_assert_cmpuint (g_list_model_get_n_items (rows), ==, 15);
  columns = gtk_column_view_get_columns (sluice_results_view_get_column_view (results));
  g_assert_cmpuint (g_list_model_get_n_items (columns), ==, 4);
  {
    g_autoptr(GtkColumnViewColumn) revenue = g_list_model_get_item (columns, 2);
    g_assert_cmpstr (gtk_column_view_column_get_title (revenue), ==, "revenue (decimal(38,4))");

    /* Sorted by revenue, largest first, as numbers. */
    gtk_column_view_sort_by_column (sluice_results_view_get_column_view (results), revenue, GTK_SORT_DESCENDING);
    for (guint i = 1; i < g_list_model_get_n_items (rows); i++)
      {
        g_autoptr(SluiceSampleRow) a = g_list_model_get_item (rows, i - 1);
        g_autoptr(SluiceSampleRow) b = g_list_model_get_item (rows, i);
        g_assert_cmpfloat (g_ascii_strtod (sluice_sample_row_get_value (a, 2), NULL), >=,
                           g_ascii_strtod (sluice_sample_row_get_value (b, 2), NULL));
      }
  }

  /* Choosing a gem shows its sample. */
  sluice_pipeline_view_show_gem (view, "revenue_per_product");
  g_assert_cmpuint (g_list_model_get_n_items (sluice_results_view_get_rows (results)), ==, 300);

  /* Run up to a gem: only what it needs runs. */
  gtk_widget_activate_action (GTK_WIDGET (view), "page.run-until", "s", "with_products");
  ui_test_wait_for_run (page, pipeline);
  g_assert_true (g_str_has_prefix (sluice_pipeline_view_get_gem_status (view, "with_products"), "300 rows · "));
  g_assert_cmpstr (sluice_pipeline_view_get_gem_status (view, "top_five"), ==, "");
  g_assert_cmpstr (sluice_gem_result_get_gem_id (sluice_results_view_get_result (results)), ==, "with_products");

  gtk_window_destroy (GTK_WINDOW (window));
}

static void
test_a_pipeline_with_problems_shows_them (void)
{
  g_autofree char *project = NULL;
  g_autofree char *file = NULL;
  g_autofree char *text = NULL;
  g_autofree char *broken = NULL;
  g_autoptr(GString) edited = NULL;
  SluiceProjectPage *page;
  SluiceWindow *window;
  SluicePipelineView *view;
  SluicePipeline *pipeline;
  gboolean shown;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "retail-broken");
  file = g_build_filename (project, "pipelines", "top_products.json", NULL);
  g_assert_true (g_file_get_contents (file, &text, NULL, NULL));
  edited = g_string_new (text);
  g_assert_cmpuint (g_string_replace (edited, "rank <= 5", "rnak <= 5", 1), ==, 1);
  g_assert_true (g_file_set_contents (file, edited->str, -1, NULL));

  window = ui_test_open_project (app, project);
  page = ui_test_project_page (window);
  g_assert_true (sluice_project_page_select_file (page, "pipelines/top_products.json"));
  view = sluice_project_page_get_pipeline_view (page);
  g_object_set (page, "show-problems", FALSE, NULL);
  gtk_widget_activate_action (GTK_WIDGET (view), "page.run", NULL);
  pipeline = sluice_pipeline_view_get_pipeline (view);
  ui_test_wait_for_run (page, pipeline);
  g_assert_cmpint (sluice_run_get_state (sluice_project_page_get_run (page, pipeline)), ==, SLUICE_RUN_FAILED);
  g_object_get (page, "show-problems", &shown, NULL);
  g_assert_true (shown);
  g_assert_cmpstr (sluice_pipeline_view_get_gem_status (view, "orders"), ==, "");

  /* Upstream of the problem still runs. */
  gtk_widget_activate_action (GTK_WIDGET (view), "page.run-until", "s", "rank_in_category");
  ui_test_wait_for_run (page, pipeline);
  g_assert_cmpint (sluice_run_get_state (sluice_project_page_get_run (page, pipeline)), ==, SLUICE_RUN_SUCCEEDED);

  gtk_window_destroy (GTK_WINDOW (window));
}

static gboolean
is_label_with_prefix (GtkWidget    *w,
                      gconstpointer prefix)
{
  return GTK_IS_LABEL (w) && g_str_has_prefix (gtk_label_get_text (GTK_LABEL (w)), prefix);
}

static void
test_run_names_its_fabric_and_what_the_engine_says (void)
{
  g_autofree char *project = NULL;
  g_autoptr(SluiceRun) run = NULL;
  SluiceProjectPage *page;
  SluiceWindow *window;
  SluicePipelineView *view;
  GtkWidget *run_button;
  GtkWidget *status;
  const char *gems[] = { NULL };

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "retail-run");
  window = ui_test_open_project (app, project);
  page = ui_test_project_page (window);
  g_assert_true (sluice_project_page_select_file (page, "pipelines/top_products.json"));
  view = sluice_project_page_get_pipeline_view (page);
  run_button = ui_test_find (GTK_WIDGET (view), is_button_for, "page.run");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (run_button), ==, "Run the whole pipeline on the Local fabric (F5)");

  /* Another fabric chosen: the button says where Run goes. */
  sluice_project_page_set_fabric_name (page, "Prod workspace");
  g_assert_cmpstr (sluice_pipeline_view_get_fabric_name (view), ==, "Prod workspace");
  g_assert_cmpstr (gtk_widget_get_tooltip_text (run_button), ==,
                   "Run the whole pipeline on the Prod workspace fabric (F5)");

  /* A run on it, as an engine drives one: the status line names the run's
   * fabric, then shows what the engine says it is doing. */
  run = sluice_run_new (sluice_project_page_get_project (page), sluice_pipeline_view_get_pipeline (view), NULL, 100);
  sluice_pipeline_view_set_run_on (view, run, "Prod workspace");
  sluice_run_begin (run, gems);
  status = ui_test_find (GTK_WIDGET (view), is_label_with_prefix, "Running on");
  g_assert_nonnull (status);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Running on the Prod workspace fabric…");
  sluice_run_set_message (run, "Starting cluster “etl” (PENDING)…");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Starting cluster “etl” (PENDING)…");
  sluice_run_set_message (run, NULL);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Running on the Prod workspace fabric…");
  /* The selection moving on does not rename a run under way. */
  sluice_project_page_set_fabric_name (page, "Local");
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Running on the Prod workspace fabric…");
  sluice_run_finish (run, SLUICE_RUN_SUCCEEDED);
  g_assert_cmpstr (gtk_label_get_text (GTK_LABEL (status)), ==, "Finished");
  sluice_pipeline_view_set_run (view, NULL);
  gtk_window_destroy (GTK_WINDOW (window));
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = NULL;
  int status;

  tmp = g_dir_make_tmp ("sluice-test-run-XXXXXX", NULL);
  /* The engine's sample cache goes to the user's cache folder: not this user's. */
  cache = g_build_filename (tmp, "cache", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);

  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    app = ui_test_app_new ();
  g_test_add_func ("/sluice/ui/run/run-shows-every-gem-and-its-sample", test_run_shows_every_gem_and_its_sample);
  g_test_add_func ("/sluice/ui/run/a-pipeline-with-problems-shows-them", test_a_pipeline_with_problems_shows_them);
  g_test_add_func ("/sluice/ui/run/run-names-its-fabric-and-what-the-engine-says",
                   test_run_names_its_fabric_and_what_the_engine_says);
  status = g_test_run ();
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
