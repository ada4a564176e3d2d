/* The sidebar: new pipeline, rename and delete (with undo), the outline. */
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

/* The project open, and its first frames drawn. */
static SluiceWindow *
open_window (const char *path)
{
  SluiceWindow *window = ui_test_open_project (app, path);

  ui_test_spin_ms (200);
  return window;
}


static gboolean
label_contains (GtkWidget     *widget,
                gconstpointer  text)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_text (GTK_LABEL (widget)), text) != NULL;
}

typedef struct { GtkWidget *root; const char *text; } Find;

static gboolean
shows_text (gpointer data)
{
  Find *f = data;
  return ui_test_find (f->root, label_contains, f->text) != NULL;
}

static SluiceProjectPage *
page_of (SluiceWindow *window)
{
  return sluice_window_get_project_page (window);
}

static gboolean
file_exists (gpointer path)
{
  return g_file_test (path, G_FILE_TEST_EXISTS);
}



static AdwMessageDialog *
find_dialog (void)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr(GObject) w = g_list_model_get_item (toplevels, i);
      if (ADW_IS_MESSAGE_DIALOG (w) && gtk_widget_get_visible (GTK_WIDGET (w)))
        return ADW_MESSAGE_DIALOG (w);
    }
  return NULL;
}

static gboolean
has_dialog (gpointer data)
{
  return find_dialog () != NULL;
}

static gboolean
no_dialog (gpointer data)
{
  return find_dialog () == NULL;
}

static GtkEditable *
entry_of (AdwMessageDialog *dialog)
{
  return GTK_EDITABLE (adw_message_dialog_get_extra_child (dialog));
}

static gboolean
is_popover_menu (GtkWidget     *widget,
                 gconstpointer  data)
{
  return GTK_IS_POPOVER_MENU (widget);
}

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* The Undo button of the toast that says @text. */
static GtkWidget *
undo_button_of (GtkWidget  *root,
                const char *text)
{
  GtkWidget *w = ui_test_find (root, label_contains, text);

  for (; w; w = gtk_widget_get_parent (w))
    {
      GtkWidget *button = ui_test_find (w, is_button_labelled, "_Undo");
      if (button)
        return button;
    }
  return NULL;
}

static gboolean
is_gone (gpointer path)
{
  return !g_file_test (path, G_FILE_TEST_EXISTS);
}

static void
test_new_rename_and_delete_with_undo (void)
{
  g_autofree char *project = NULL;
  g_autofree char *new_file = NULL;
  g_autofree char *renamed_file = NULL;
  g_autofree char *old_sql = NULL;
  g_autofree char *new_sql = NULL;
  g_autofree char *ds_file = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluiceProject *proj;
  AdwMessageDialog *dialog;
  GtkListBoxRow *selected;
  Find f;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = ui_test_copy_example (tmp, "sidebar");
  new_file = g_build_filename (project, "pipelines", "fresh_one.json", NULL);
  window = open_window (project);
  page = page_of (window);
  proj = sluice_window_get_project (window);

  /* New pipeline: the name is checked as it is typed. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.new-pipeline", NULL));
  ui_test_spin_until (has_dialog, NULL, 5);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "New Pipeline");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  gtk_editable_set_text (entry_of (dialog), "Fresh One");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "lower-case"));
  gtk_editable_set_text (entry_of (dialog), "top_products");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "taken"));
  gtk_editable_set_text (entry_of (dialog), "fresh_one");
  g_assert_true (adw_message_dialog_get_response_enabled (dialog, "ok"));
  ui_test_respond (dialog, "ok");
  ui_test_spin_until (no_dialog, NULL, 5);
  g_assert_nonnull (sluice_project_find_pipeline (proj, "fresh_one"));
  g_assert_true (g_file_test (new_file, G_FILE_TEST_EXISTS));
  selected = gtk_list_box_get_selected_row (sluice_project_page_get_list (page, "pipelines"));
  g_assert_true (g_object_get_data (G_OBJECT (selected), "item") == sluice_project_find_pipeline (proj, "fresh_one"));

  /* Rename a pipeline: its file and its generated code move. */
  old_sql = g_build_filename (project, "code", "sql", "spark", "top_products.sql", NULL);
  new_sql = g_build_filename (project, "code", "sql", "spark", "best_products.sql", NULL);
  renamed_file = g_build_filename (project, "pipelines", "best_products.json", NULL);
  g_assert_true (g_file_test (old_sql, G_FILE_TEST_EXISTS));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.rename-item", "(ss)", "pipeline", "top_products"));
  ui_test_spin_until (has_dialog, NULL, 5);
  dialog = find_dialog ();
  g_assert_cmpstr (adw_message_dialog_get_heading (dialog), ==, "Rename Pipeline");
  g_assert_cmpstr (gtk_editable_get_text (entry_of (dialog)), ==, "top_products");
  gtk_editable_set_text (entry_of (dialog), "orders_enriched");
  g_assert_false (adw_message_dialog_get_response_enabled (dialog, "ok")); /* a collision */
  gtk_editable_set_text (entry_of (dialog), "best_products");
  ui_test_respond (dialog, "ok");
  ui_test_spin_until (no_dialog, NULL, 5);
  g_assert_null (sluice_project_find_pipeline (proj, "top_products"));
  g_assert_nonnull (sluice_project_find_pipeline (proj, "best_products"));
  g_assert_true (g_file_test (renamed_file, G_FILE_TEST_EXISTS));
  ui_test_spin_until (file_exists, new_sql, 10);
  ui_test_spin_until (is_gone, old_sql, 10);

  /* Delete a dataset, then undo from the toast. */
  ds_file = g_build_filename (project, "datasets", "returns.json", NULL);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.delete-item", "(ss)", "dataset", "returns"));
  g_assert_false (g_file_test (ds_file, G_FILE_TEST_EXISTS));
  g_assert_null (sluice_project_find_dataset (proj, "returns"));
  f.root = GTK_WIDGET (window);
  f.text = "Deleted returns";
  ui_test_spin_until (shows_text, &f, 5);
  ui_test_screenshot (GTK_WINDOW (window), "sidebar-deleted.png");
  {
    GtkWidget *button = undo_button_of (GTK_WIDGET (window), "Deleted returns");

    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
  }
  ui_test_spin_ms (200);
  g_assert_true (g_file_test (ds_file, G_FILE_TEST_EXISTS));
  g_assert_nonnull (sluice_project_find_dataset (proj, "returns"));

  /* A pipeline with unsaved edits: undo brings back the file and the edits. */
  {
    SluicePipeline *p = sluice_project_find_pipeline (proj, "revenue_by_month");
    g_autofree char *file = g_build_filename (project, "pipelines", "revenue_by_month.json", NULL);
    g_autofree char *package = g_build_filename (project, "code", "pyspark", "revenue_by_month", NULL);
    g_autofree char *module = g_build_filename (package, "revenue_by_month", "gems", "by_month.py", NULL);
    g_autofree char *spark = g_build_filename (project, "code", "sql", "spark", "revenue_by_month.sql", NULL);
    g_autofree char *snowflake = g_build_filename (project, "code", "sql", "snowflake", "revenue_by_month.sql", NULL);
    g_autofree char *own = g_build_filename (project, "code", "sql", "spark", "notes.sql", NULL);
    g_autofree char *module_text = NULL;
    g_autofree char *restored_text = NULL;
    GtkWidget *button;

    /* A user's own file beside the generated code is never touched. */
    g_assert_true (g_file_set_contents (own, "select 1;\n", -1, NULL));
    g_assert_true (g_file_get_contents (module, &module_text, NULL, NULL));
    g_assert_nonnull (sluice_pipeline_add_gem (p, "Limit", "Unsaved limit", 900, 40, NULL));
    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.delete-item", "(ss)", "pipeline",
                                               "revenue_by_month"));
    g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
    g_assert_null (sluice_project_find_pipeline (proj, "revenue_by_month"));
    /* Its generated code went with it. */
    g_assert_false (g_file_test (package, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (spark, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (snowflake, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (own, G_FILE_TEST_EXISTS));
    f.text = "Deleted revenue_by_month";
    ui_test_spin_until (shows_text, &f, 5);
    ui_test_spin_ms (600); /* past the toast's show animation */
    button = undo_button_of (GTK_WIDGET (window), "Deleted revenue_by_month");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    ui_test_spin_ms (200);
    g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (spark, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (snowflake, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_get_contents (module, &restored_text, NULL, NULL));
    g_assert_cmpstr (restored_text, ==, module_text);
    p = sluice_project_find_pipeline (proj, "revenue_by_month");
    g_assert_nonnull (p);
    g_assert_true (sluice_pipeline_get_dirty (p));
    g_assert_nonnull (sluice_pipeline_find_gem (p, "unsaved_limit"));
    g_assert_true (sluice_pipeline_undo (p));
    g_assert_false (sluice_pipeline_get_dirty (p));
  }

  /* The context menu offers the same actions. */
  {
    GtkListBoxRow *row = gtk_list_box_get_row_at_index (sluice_project_page_get_list (page, "pipelines"), 0);
    GtkWidget *popover;
    int x, y;
    g_autofree char *script = NULL;

    ui_test_to_window (GTK_WIDGET (row), 20, 10, &x, &y);
    script = g_strdup_printf ("mousemove --window %lu %d %d click 3", ui_test_window_xid (GTK_WINDOW (window)), x, y);
    ui_test_xdotool (script);
    ui_test_spin_ms (300);
    popover = ui_test_find (GTK_WIDGET (row), is_popover_menu, NULL);
    g_assert_nonnull (popover);
    g_assert_true (gtk_widget_get_visible (popover));
    ui_test_screenshot (GTK_WINDOW (window), "sidebar-menu.png");
    gtk_popover_popdown (GTK_POPOVER (popover));
    ui_test_spin_ms (100);
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static void
test_outline_lists_gems_and_reveals_one (void)
{
  g_autofree char *project = NULL;
  g_auto(GStrv) selection = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluicePipeline *p;
  SluiceCanvas *canvas;
  GtkListBox *outline;
  GtkListBoxRow *row;
  GtkWidget *card;
  graphene_point_t centre;
  guint n;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }

  project = ui_test_copy_example (tmp, "outline");
  window = open_window (project);
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 800);
  page = page_of (window);
  g_assert_true (sluice_project_page_select_file (page, "pipelines/customer_cleanup.json"));
  ui_test_spin_ms (300);
  p = sluice_project_find_pipeline (sluice_window_get_project (window), "customer_cleanup");
  outline = sluice_project_page_get_list (page, "outline");
  g_assert_true (gtk_widget_get_mapped (GTK_WIDGET (outline)));
  n = g_list_model_get_n_items (sluice_pipeline_get_gems (p));
  g_assert_cmpuint (n, >, 2);
  g_assert_nonnull (gtk_list_box_get_row_at_index (outline, n - 1));
  g_assert_null (gtk_list_box_get_row_at_index (outline, n));

  /* A gem added on the canvas appears; its label follows renames. */
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Limit", "Sample", 3000, 2000, NULL));
  row = gtk_list_box_get_row_at_index (outline, n);
  g_assert_nonnull (row);
  g_assert_true (sluice_pipeline_set_label (p, "sample", "Small sample", NULL));
  g_assert_nonnull (ui_test_find (GTK_WIDGET (row), label_contains, "Small sample"));

  /* Activating it selects it and brings it into the middle of the view. */
  g_signal_emit_by_name (outline, "row-activated", row);
  ui_test_spin_ms (300);
  canvas = sluice_pipeline_view_get_canvas (sluice_project_page_get_pipeline_view (page));
  selection = sluice_canvas_get_selection (canvas);
  g_assert_cmpstrv (selection, ((const char *[]) { "sample", NULL }));
  card = sluice_canvas_get_gem_widget (canvas, "sample");
  g_assert_true (gtk_widget_get_child_visible (card));
  g_assert_true (gtk_widget_compute_point (card, GTK_WIDGET (canvas),
                                           &GRAPHENE_POINT_INIT (gtk_widget_get_width (card) / 2.f,
                                                                 gtk_widget_get_height (card) / 2.f),
                                           &centre));
  g_test_message ("centre %g,%g canvas %d x %d card %d x %d zoom %g", centre.x, centre.y,
                  gtk_widget_get_width (GTK_WIDGET (canvas)), gtk_widget_get_height (GTK_WIDGET (canvas)),
                  gtk_widget_get_width (card), gtk_widget_get_height (card), sluice_canvas_get_zoom (canvas));
  g_assert_cmpfloat (fabs (centre.x - gtk_widget_get_width (GTK_WIDGET (canvas)) / 2.f), <, 4);
  g_assert_cmpfloat (fabs (centre.y - gtk_widget_get_height (GTK_WIDGET (canvas)) / 2.f), <, 4);
  ui_test_screenshot (GTK_WINDOW (window), "sidebar-outline.png");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = NULL;
  g_autofree char *state = NULL;
  int status;

  tmp = g_dir_make_tmp ("sluice-test-sidebar-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  state = g_build_filename (tmp, "state", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
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
  g_test_add_func ("/sluice/ui/sidebar/new-rename-and-delete-with-undo", test_new_rename_and_delete_with_undo);
  g_test_add_func ("/sluice/ui/sidebar/outline-lists-gems-and-reveals-one", test_outline_lists_gems_and_reveals_one);
  status = g_test_run ();
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
