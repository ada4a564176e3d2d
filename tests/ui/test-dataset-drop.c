/* A file dragged from another program (tests/ui/drag-source.c, a stand-in
 * for a file manager) onto Sluice, with real input: xdotool presses on the
 * other window, moves onto Sluice and releases, so the two X clients speak
 * XDND. Onto the canvas: a dataset and a Source gem at the drop point (one
 * undo step). Onto the sidebar: a dataset only. */
#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gstdio.h>

#include "sluice-application.h"
#include "sluice-project-page.h"
#include "sluice-window.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;
static char *tmp;

typedef struct
{
  GSubprocess      *proc;
  GDataInputStream *out;
  char             *line;     /* the latest line it printed */
  gboolean          reading;
  gboolean          exited;
} Source;

static void
line_read_cb (GObject      *stream,
              GAsyncResult *result,
              gpointer      data)
{
  Source *s = data;
  char *line = g_data_input_stream_read_line_finish_utf8 (G_DATA_INPUT_STREAM (stream), result, NULL, NULL);

  s->reading = FALSE;
  if (line == NULL)
    {
      s->exited = TRUE;
      return;
    }
  g_test_message ("drag-source: %s", line);
  g_free (s->line);
  s->line = line;
}

static gboolean
printed (gpointer data)
{
  Source *s = data;

  if (!s->reading && !s->exited && s->line == NULL)
    {
      s->reading = TRUE;
      g_data_input_stream_read_line_async (s->out, G_PRIORITY_DEFAULT, NULL, line_read_cb, s);
    }
  return s->line != NULL || s->exited;
}

static void
source_start (Source     *s,
              const char *file)
{
  g_autofree char *exe = g_test_build_filename (G_TEST_BUILT, "ui", "drag-source", NULL);
  g_autoptr(GError) error = NULL;

  memset (s, 0, sizeof *s);
  s->proc = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, exe, file, NULL);
  g_assert_no_error (error);
  s->out = g_data_input_stream_new (g_subprocess_get_stdout_pipe (s->proc));
  ui_test_spin_until (printed, s, 60);
  g_assert_cmpstr (s->line, ==, "ready");
  g_clear_pointer (&s->line, g_free);
}

static void
source_stop (Source *s)
{
  g_subprocess_force_exit (s->proc);
  g_clear_object (&s->out);
  g_clear_object (&s->proc);
  g_clear_pointer (&s->line, g_free);
}

/* `xdotool ARGS`, its first line of output. */
static char *
xdotool_output (const char *args)
{
  g_autofree char *cmd = g_strconcat ("xdotool ", args, NULL);
  g_autofree char *out = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_assert_true (g_spawn_command_line_sync (cmd, &out, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  return g_strndup (out, strcspn (out, "\n"));
}

/* The absolute position of X window @wid. */
static void
window_origin (gulong  wid,
               int    *x,
               int    *y)
{
  g_autofree char *args = g_strdup_printf ("getwindowgeometry --shell %lu", wid);
  g_autofree char *cmd = g_strconcat ("xdotool ", args, NULL);
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;

  g_assert_true (g_spawn_command_line_sync (cmd, &out, NULL, NULL, NULL));
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      if (g_str_has_prefix (lines[i], "X="))
        *x = atoi (lines[i] + 2);
      if (g_str_has_prefix (lines[i], "Y="))
        *y = atoi (lines[i] + 2);
    }
}

/* Presses in the middle of the drag source, moves in steps to @target's
 * point (@tx, @ty), releases; then waits for the source to see the end. */
static void
real_file_drag (Source    *s,
                GtkWidget *target,
                double     tx,
                double     ty)
{
  g_autofree char *found = xdotool_output ("search --sync --name \"Sluice drag source\"");
  gulong src = strtoul (found, NULL, 10);
  gulong dst = ui_test_window_xid (GTK_WINDOW (gtk_widget_get_root (target)));
  g_autoptr(GString) script = g_string_new (NULL);
  int sx = 0, sy = 0, dx = 0, dy = 0, wx, wy, ax, ay, bx, by;

  g_assert_cmpuint (src, !=, 0);
  /* Out of the way of the canvas: over the sidebar's lower part. */
  g_string_printf (script, "windowmove %lu 10 560", src);
  ui_test_xdotool (script->str);
  window_origin (src, &sx, &sy);
  window_origin (dst, &dx, &dy);
  ui_test_to_window (target, tx, ty, &wx, &wy);
  ax = sx + 110;
  ay = sy + 60;
  bx = dx + wx;
  by = dy + wy;
  g_test_message ("drag from %d,%d (source at %d,%d) to %d,%d (sluice at %d,%d)", ax, ay, sx, sy, bx, by, dx, dy);

  g_string_printf (script, "mousemove %d %d sleep 0.2 mousedown 1 sleep 0.1", ax, ay);
  /* Past the drag threshold inside the source first, then across. */
  g_string_append_printf (script, " mousemove %d %d sleep 0.1 mousemove %d %d sleep 0.1", ax + 6, ay + 3, ax + 14, ay + 6);
  for (int i = 1; i <= 12; i++)
    g_string_append_printf (script, " mousemove %d %d sleep 0.06", ax + (bx - ax) * i / 12, ay + (by - ay) * i / 12);
  g_string_append_printf (script, " mousemove %d %d sleep 0.3 mouseup 1", bx, by);
  ui_test_xdotool (script->str);
  ui_test_spin_until (printed, s, 60);
  g_assert_nonnull (s->line);
  g_assert_true (g_str_has_prefix (s->line, "dropped"));
  /* GDK_ACTION_COPY: Sluice took the file. */
  g_assert_cmpstr (s->line, ==, "dropped 1");
}

typedef struct { SluiceProject *project; const char *name; } Wait;

static gboolean
dataset_listed (gpointer data)
{
  Wait *w = data;
  return sluice_project_find_dataset (w->project, w->name) != NULL;
}

/* The pipeline's Source gem reading @dataset, if any. */
static SluiceGem *
source_of (SluicePipeline *p,
           const char     *dataset)
{
  GListModel *gems = sluice_pipeline_get_gems (p);

  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      if (g_str_equal (sluice_gem_get_type_name (gem), "Source") &&
          g_strcmp0 (sluice_gem_get_config_string (gem, "dataset"), dataset) == 0)
        return gem;  /* the pipeline keeps it */
    }
  return NULL;
}

static gboolean
has_source (gpointer data)
{
  gpointer *args = data;
  return source_of (args[0], args[1]) != NULL;
}

static void
test_a_file_dropped_on_the_canvas_makes_a_dataset_and_a_source_gem (void)
{
  g_autofree char *project = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *json = NULL;
  g_autofree char *copy = NULL;
  g_autofree char *text = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SluiceDataset) on_disk = NULL;
  g_autoptr(GError) error = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluiceProject *proj;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  SluiceGem *gem;
  Source source;
  double tx, ty, mx, my;
  gsize len;
  guint n_gems;
  gpointer args[2];
  Wait w;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "drop");
  outside = g_build_filename (tmp, "Store Visits.csv", NULL);
  g_assert_true (g_file_set_contents (outside, "store_id,day,visits,rate\n"
                                               "1,2024-05-01,120,0.5\n"
                                               "2,2024-05-01,80,0.25\n"
                                               "3,2024-05-02,,1.5\n", -1, NULL));
  window = ui_test_open_project (app, project);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  page = sluice_window_get_project_page (window);
  proj = sluice_window_get_project (window);
  g_assert_true (sluice_project_page_select_file (page, "pipelines/top_products.json"));
  ui_test_spin_ms (500);
  p = sluice_project_find_pipeline (proj, "top_products");
  n_gems = g_list_model_get_n_items (sluice_pipeline_get_gems (p));
  canvas = sluice_pipeline_view_get_canvas (sluice_project_page_get_pipeline_view (page));
  tx = gtk_widget_get_width (GTK_WIDGET (canvas)) * 0.55;
  ty = gtk_widget_get_height (GTK_WIDGET (canvas)) * 0.8;
  sluice_canvas_view_to_model (canvas, tx, ty, &mx, &my);

  source_start (&source, outside);
  real_file_drag (&source, GTK_WIDGET (canvas), tx, ty);
  source_stop (&source);

  /* The dataset, with the schema read from the file (copied into data/). */
  w.project = proj;
  w.name = "store_visits";
  ui_test_spin_until (dataset_listed, &w, 60);
  json = g_build_filename (project, "datasets", "store_visits.json", NULL);
  g_assert_true (g_file_get_contents (json, &text, &len, &error));
  bytes = g_bytes_new_take (g_steal_pointer (&text), len);
  on_disk = sluice_dataset_load_from_bytes ("store_visits", "datasets/store_visits.json", bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sluice_dataset_get_format (on_disk), ==, "csv");
  g_assert_cmpstr (sluice_dataset_get_sample (on_disk), ==, "data/Store Visits.csv");
  copy = g_build_filename (project, "data", "Store Visits.csv", NULL);
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (sluice_dataset_get_n_columns (on_disk), ==, 4);
  g_assert_cmpstr (sluice_dataset_get_column_name (on_disk, 1), ==, "day");
  g_assert_cmpstr (sluice_dataset_get_column_type (on_disk, 1), ==, "date");
  g_assert_cmpstr (sluice_dataset_get_column_name (on_disk, 2), ==, "visits");
  g_assert_true (sluice_dataset_get_column_nullable (on_disk, 2));
  g_assert_cmpstr (sluice_dataset_get_column_type (on_disk, 3), ==, "double");

  /* The Source gem reading it, where it was dropped. */
  args[0] = p;
  args[1] = (gpointer) "store_visits";
  ui_test_spin_until (has_source, args, 60);
  gem = source_of (p, "store_visits");
  g_test_message ("gem at %d,%d; dropped at %g,%g of the model", sluice_gem_get_x (gem), sluice_gem_get_y (gem), mx, my);
  g_assert_cmpfloat (fabs (sluice_gem_get_x (gem) - mx), <, 24);
  g_assert_cmpfloat (fabs (sluice_gem_get_y (gem) - my), <, 24);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n_gems + 1);
  /* Its schema is the dataset's. */
  ui_test_spin_ms (200);
  {
    GArray *schema = sluice_resolver_get_schema (sluice_canvas_get_resolver (canvas), sluice_gem_get_id (gem));
    g_assert_nonnull (schema);
    g_assert_cmpuint (schema->len, ==, 4);
  }
  ui_test_screenshot (GTK_WINDOW (window), "dataset-drop-canvas.png");
  /* A new dataset brings no problem of its own. */
  for (guint i = 0; i < g_list_model_get_n_items (sluice_project_get_problems (proj)); i++)
    {
      g_autoptr(SluiceDiagnostic) d = g_list_model_get_item (sluice_project_get_problems (proj), i);
      g_test_message ("problem: %s: %s", sluice_diagnostic_get_file (d), sluice_diagnostic_get_message (d));
      g_assert_cmpstr (sluice_diagnostic_get_file (d), !=, "datasets/store_visits.json");
    }

  /* One undo step takes the gem away (the dataset stays). */
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_null (source_of (p, "store_visits"));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n_gems);
  g_assert_nonnull (sluice_project_find_dataset (proj, "store_visits"));

  /* Onto the sidebar (the window): a dataset only, then shown. */
  source_start (&source, outside);
  real_file_drag (&source, GTK_WIDGET (sluice_project_page_get_list (page, "pipelines")), 60, 10);
  source_stop (&source);
  w.name = "store_visits_2";
  ui_test_spin_until (dataset_listed, &w, 60);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, n_gems);
  ui_test_spin_ms (500);
  g_assert_nonnull (sluice_project_page_get_dataset_view (page));
  g_assert_true (sluice_dataset_view_get_dataset (sluice_project_page_get_dataset_view (page)) ==
                 sluice_project_find_dataset (proj, "store_visits_2"));
  ui_test_screenshot (GTK_WINDOW (window), "dataset-drop-window.png");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = NULL;
  g_autofree char *state = NULL;
  int status;

  tmp = g_dir_make_tmp ("sluice-test-dataset-drop-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  state = g_build_filename (tmp, "state", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    app = ui_test_app_new ();
  g_test_add_func ("/sluice/ui/dataset-drop/a-file-dropped-on-the-canvas-makes-a-dataset-and-a-source-gem",
                   test_a_file_dropped_on_the_canvas_makes_a_dataset_and_a_source_gem);
  status = g_test_run ();
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
