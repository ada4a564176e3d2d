/* The generated-code pane: each dialect's text is the generator's, problems
 * show above it, and show_gem finds a gem's code. */
#include "config.h"

#include <adwaita.h>

#include "sluice-application.h"
#include "sluice-code-view.h"
#include "sluice-pyspark-generator.h"
#include "sluice-sql-generator.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;

typedef struct
{
  char           *dir;
  SluiceProject  *project;
  SluicePipeline *pipeline;
  SluiceResolver *resolver;
  GtkWindow      *window;
  SluiceCodeView *view;
} Fixture;

static void
spin_for (guint ms)
{
  gint64 until = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < until)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
mapped (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

#define spin_until(done, data) spin_until_at (done, data, #done)

static void
spin_until_at (gboolean  (*done) (gpointer),
               gpointer    data,
               const char *what)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("still waiting for %s", what);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static void
fixture_open (Fixture    *f,
              const char *pipeline)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autofree char *cmd = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *header;

  f->dir = g_dir_make_tmp ("sluice-code-view-XXXXXX", NULL);
  cmd = g_strdup_printf ("cp -r %s/. %s", example, f->dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  dir = g_file_new_for_path (f->dir);
  f->project = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);
  f->pipeline = g_object_ref (sluice_project_find_pipeline (f->project, pipeline));
  f->resolver = sluice_resolver_new (f->pipeline, sluice_project_get_datasets (f->project));

  f->window = GTK_WINDOW (gtk_application_window_new (GTK_APPLICATION (app)));
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Generated Code", pipeline));
  gtk_window_set_titlebar (f->window, header);
  gtk_window_set_default_size (f->window, 900, 640);
  f->view = SLUICE_CODE_VIEW (sluice_code_view_new ());
  gtk_window_set_child (f->window, GTK_WIDGET (f->view));
  sluice_code_view_set_pipeline (f->view, f->pipeline, sluice_project_get_datasets (f->project), f->resolver);
  gtk_window_present (f->window);
  spin_until (mapped, f->view);
}

static void
fixture_close (Fixture *f)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf %s", f->dir);

  gtk_window_destroy (f->window);
  g_clear_object (&f->resolver);
  g_clear_object (&f->pipeline);
  g_clear_object (&f->project);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  g_free (f->dir);
}

static char *
expected_sql (Fixture       *f,
              SluiceDialect  dialect,
              char         **problems_text)
{
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  char *text = sluice_sql_generate (f->pipeline, sluice_project_get_datasets (f->project), f->resolver, dialect, problems);

  g_ptr_array_add (problems, NULL);
  *problems_text = g_strjoinv ("\n", (char **) problems->pdata);
  return text;
}

static void
save_screenshot (GtkWidget  *widget,
                 const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "ui", "artifacts", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  GskRenderer *renderer = gtk_native_get_renderer (gtk_widget_get_native (widget));
  g_autoptr(GdkPaintable) paintable = gtk_widget_paintable_new (widget);
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  int w = 0, h = 0;

  /* Let layout, styles and highlighting settle; a widget not drawn yet
   * (a slow, sanitized build) has no picture to take: try again. */
  spin_for (400);
  for (guint tries = 0; node == NULL && tries < 100; tries++)
    {
      GtkSnapshot *snapshot = gtk_snapshot_new ();

      w = gtk_widget_get_width (widget);
      h = gtk_widget_get_height (widget);
      gdk_paintable_snapshot (paintable, snapshot, w, h);
      node = gtk_snapshot_free_to_node (snapshot);
      if (node == NULL)
        spin_for (100);
    }
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  g_mkdir_with_parents (dir, 0755);
  g_assert_true (gdk_texture_save_to_png (texture, path));
}

static void
test_each_dialect_is_the_generators_text (void)
{
  Fixture f = { 0 };
  guint notified = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");
  g_signal_connect_swapped (f.view, "notify::dialect", G_CALLBACK (g_atomic_int_inc), &notified);

  for (int d = SLUICE_CODE_DIALECT_SPARK_SQL; d <= SLUICE_CODE_DIALECT_SNOWFLAKE_SQL; d++)
    {
      g_autofree char *problems = NULL;
      g_autofree char *expected = expected_sql (&f, d == SLUICE_CODE_DIALECT_SPARK_SQL ? SLUICE_DIALECT_SPARK
                                                                                      : SLUICE_DIALECT_SNOWFLAKE, &problems);
      g_autofree char *shown = NULL;

      sluice_code_view_set_dialect (f.view, d);
      g_assert_cmpint (sluice_code_view_get_dialect (f.view), ==, d);
      shown = sluice_code_view_get_text (f.view);
      g_assert_cmpstr (shown, ==, expected);
      g_assert_cmpstr (sluice_code_view_get_problems (f.view), ==, problems);
      g_assert_true (g_str_has_prefix (shown, d == SLUICE_CODE_DIALECT_SPARK_SQL ? "-- Spark SQL" : "-- Snowflake SQL"));
      /* Highlighted as Spark SQL, even though Python was looked up first. */
      g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (GTK_SOURCE_BUFFER (
                         gtk_text_view_get_buffer (GTK_TEXT_VIEW (sluice_code_view_get_source_view (f.view)))))), ==,
                       "sluice-sparksql");
    }
  g_assert_cmpuint (notified, ==, 2);

  /* PySpark: every file of the package, in path order, under its path. */
  sluice_code_view_set_dialect (f.view, SLUICE_CODE_DIALECT_PYSPARK);
  g_assert_cmpuint (notified, ==, 3);
  {
    g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(SluicePySparkPackage) files = sluice_pyspark_generate (f.pipeline, sluice_project_get_datasets (f.project),
                                                                     f.resolver, problems);
    g_autoptr(GString) expected = g_string_new (NULL);
    g_autofree char *shown = sluice_code_view_get_text (f.view);

    for (guint i = 0; i < sluice_pyspark_package_get_n_files (files); i++)
      g_string_append_printf (expected, "%s# ── %s ──\n%s", i ? "\n" : "", sluice_pyspark_package_get_path (files, i),
                              sluice_pyspark_package_get_contents (files, i, NULL));
    g_assert_cmpuint (sluice_pyspark_package_get_n_files (files), >, 5);
    g_assert_cmpstr (shown, ==, expected->str);
    g_assert_cmpstr (sluice_code_view_get_problems (f.view), ==, "");
  }
  save_screenshot (GTK_WIDGET (f.window), "code-view-pyspark.png");
  fixture_close (&f);
}

static gboolean
mentions_priority (gpointer data)
{
  g_autofree char *text = sluice_code_view_get_text (data);
  return strstr (text, "priority") != NULL;
}

static void
test_it_follows_the_pipeline_and_shows_problems (void)
{
  Fixture f = { 0 };
  g_autoptr(JsonNode) condition = json_node_init_string (json_node_alloc (), "status = 'completed' AND priority > 1");
  g_autoptr(JsonNode) bad = json_node_init_string (json_node_alloc (), "unknown_fn(status)");

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");
  sluice_code_view_set_dialect (f.view, SLUICE_CODE_DIALECT_SPARK_SQL);

  g_assert_true (sluice_pipeline_set_config (f.pipeline, "completed_orders", "condition", condition, NULL));
  /* Regenerated after a short pause, not at once. */
  g_assert_false (mentions_priority (f.view));
  spin_until (mentions_priority, f.view);

  /* What the dialect cannot write is said above the code. */
  g_assert_true (sluice_pipeline_set_config (f.pipeline, "completed_orders", "condition", bad, NULL));
  sluice_code_view_flush (f.view);
  {
    g_autofree char *problems = NULL;
    g_autofree char *expected = expected_sql (&f, SLUICE_DIALECT_SPARK, &problems);
    g_autofree char *shown = sluice_code_view_get_text (f.view);

    g_assert_cmpstr (shown, ==, expected);
    g_assert_cmpstr (sluice_code_view_get_problems (f.view), ==, problems);
  }
  sluice_code_view_show_gem (f.view, "completed_orders");
  save_screenshot (GTK_WIDGET (f.window), "code-view-problems.png");
  fixture_close (&f);
}

static int
line_of (const char *text,
         const char *needle)
{
  const char *at = strstr (text, needle);
  int line = 0;

  g_assert_nonnull (at);
  for (const char *p = text; p < at; p++)
    line += *p == '\n';
  return line;
}

static gboolean
cursor_on_screen (gpointer data)
{
  SluiceCodeView *view = data;
  GtkTextView *tv = GTK_TEXT_VIEW (sluice_code_view_get_source_view (view));
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (tv);
  GdkRectangle visible, location;
  GtkTextIter iter;

  gtk_text_buffer_get_iter_at_mark (buffer, &iter, gtk_text_buffer_get_insert (buffer));
  gtk_text_view_get_visible_rect (tv, &visible);
  gtk_text_view_get_iter_location (tv, &iter, &location);
  return visible.y > 0 && location.y >= visible.y && location.y + location.height <= visible.y + visible.height;
}

static void
test_show_gem_scrolls_to_its_code (void)
{
  Fixture f = { 0 };
  int first, last;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");

  sluice_code_view_set_dialect (f.view, SLUICE_CODE_DIALECT_SPARK_SQL);
  {
    g_autofree char *text = sluice_code_view_get_text (f.view);

    g_assert_true (sluice_code_view_show_gem (f.view, "line_totals"));
    g_assert_true (sluice_code_view_get_highlight (f.view, &first, &last));
    g_assert_cmpint (first, ==, line_of (text, "`line_totals` AS ("));
    g_assert_cmpint (last, >, first + 1);
    /* The Reformat's CTE is far down: the view scrolled to it. */
    spin_until (cursor_on_screen, f.view);

    g_assert_true (sluice_code_view_show_gem (f.view, "write_orders_enriched"));
    g_assert_true (sluice_code_view_get_highlight (f.view, &first, &last));
    g_assert_cmpint (first, ==, line_of (text, "-- write_orders_enriched: "));
    g_assert_false (sluice_code_view_show_gem (f.view, "no_such_gem"));
    g_assert_false (sluice_code_view_get_highlight (f.view, &first, &last));
  }

  sluice_code_view_set_dialect (f.view, SLUICE_CODE_DIALECT_SNOWFLAKE_SQL);
  {
    g_autofree char *text = sluice_code_view_get_text (f.view);
    g_assert_true (sluice_code_view_show_gem (f.view, "completed_orders"));
    g_assert_true (sluice_code_view_get_highlight (f.view, &first, &last));
    g_assert_cmpint (first, ==, line_of (text, "\"COMPLETED_ORDERS\" AS ("));
    g_assert_cmpint (last, ==, first + 3);
  }

  sluice_code_view_set_dialect (f.view, SLUICE_CODE_DIALECT_PYSPARK);
  {
    g_autofree char *text = sluice_code_view_get_text (f.view);
    g_assert_true (sluice_code_view_show_gem (f.view, "line_totals"));
    g_assert_true (sluice_code_view_get_highlight (f.view, &first, &last));
    g_assert_cmpint (first, ==, line_of (text, "gems/line_totals.py ──"));
    g_assert_cmpint (last, >, line_of (text, "def line_totals("));
    spin_until (cursor_on_screen, f.view);
  }
  save_screenshot (GTK_WIDGET (f.window), "code-view-show-gem.png");
  fixture_close (&f);

  {
    GtkWidget *lone = g_object_ref_sink (sluice_code_view_new ());
    g_assert_finalize_object (lone);
  }
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
      g_application_hold (G_APPLICATION (app));
    }

  g_test_add_func ("/sluice/ui/code-view/each-dialect-is-the-generators-text", test_each_dialect_is_the_generators_text);
  g_test_add_func ("/sluice/ui/code-view/it-follows-the-pipeline-and-shows-problems",
                   test_it_follows_the_pipeline_and_shows_problems);
  g_test_add_func ("/sluice/ui/code-view/show-gem-scrolls-to-its-code", test_show_gem_scrolls_to_its_code);

  {
    int rc = g_test_run ();
    g_clear_object (&app);
    return rc;
  }
}
