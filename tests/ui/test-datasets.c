/* The dataset editor and new datasets from files: edits reach the file,
 * options re-infer, the pipelines using a dataset, deleting one with undo,
 * importing a file (copied, or refused with the place of the problem). */
#include "config.h"

#include <string.h>

#include <glib/gstdio.h>

#include "sluice-application.h"
#include "sluice-dataset-view.h"
#include "sluice-project-page.h"
#include "sluice-window.h"
#include "ui-test-util.h"

static gboolean have_display;
static SluiceApplication *app;
static char *tmp;

/* ---- helpers ---- */

static SluiceWindow *
open_window (const char *path)
{
  SluiceWindow *window;

  g_test_message ("opening %s", path);
  window = ui_test_open_project (app, path);
  g_test_message ("opened");
  gtk_window_set_default_size (GTK_WINDOW (window), 1200, 900);
  ui_test_spin_ms (200);
  return window;
}

static gboolean
view_idle (gpointer data)
{
  SluiceProjectPage *page = data;
  SluiceDatasetView *view = sluice_project_page_get_dataset_view (page);

  return view && !sluice_dataset_view_get_busy (view);
}

/* Selects dataset @name and waits for its editor to settle. */
static SluiceDatasetView *
show_dataset (SluiceProjectPage *page,
              const char        *name)
{
  g_autofree char *file = g_strdup_printf ("datasets/%s.json", name);

  g_assert_true (sluice_project_page_select_file (page, file));
  g_test_message ("waiting for the editor of %s", name);
  ui_test_spin_until (view_idle, page, 60);
  g_test_message ("editor of %s idle", name);
  ui_test_spin_ms (200);
  return sluice_project_page_get_dataset_view (page);
}

static void
wait_idle (SluiceProjectPage *page)
{
  ui_test_spin_ms (50);
  ui_test_spin_until (view_idle, page, 60);
}

/* The dataset as its file on disk says. */
static SluiceDataset *
load_from_disk (const char *project,
                const char *name)
{
  g_autofree char *relative = g_strdup_printf ("datasets/%s.json", name);
  g_autofree char *path = g_build_filename (project, relative, NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;
  gsize len;
  SluiceDataset *d;

  g_assert_true (g_file_get_contents (path, &text, &len, &error));
  g_assert_no_error (error);
  bytes = g_bytes_new_take (g_steal_pointer (&text), len);
  d = sluice_dataset_load_from_bytes (name, relative, bytes, NULL, &error);
  g_assert_no_error (error);
  return d;
}

static int
column_index (SluiceDataset *d,
              const char    *name)
{
  for (guint i = 0; i < sluice_dataset_get_n_columns (d); i++)
    if (g_str_equal (sluice_dataset_get_column_name (d, i), name))
      return i;
  return -1;
}

/* The schema table's cell widget of kind @key ("drop-down" for the type
 * box, "check" for nullable) in row @row. */
typedef struct { const char *key; guint row; } Cell;

static gboolean
is_cell (GtkWidget     *w,
         gconstpointer  data)
{
  const Cell *c = data;
  GtkListItem *item = g_object_get_data (G_OBJECT (w), "list-item");

  if (item == NULL || gtk_list_item_get_position (item) != c->row)
    return FALSE;
  if (g_str_equal (c->key, "drop-down"))
    return g_object_get_data (G_OBJECT (w), "drop-down") != NULL;
  if (g_str_equal (c->key, "check"))
    return GTK_IS_CHECK_BUTTON (w);
  return GTK_IS_EDITABLE_LABEL (w);
}

static GtkWidget *
cell (SluiceDatasetView *view,
      const char        *key,
      guint              row)
{
  Cell c = { key, row };
  GtkWidget *w = ui_test_find (GTK_WIDGET (sluice_dataset_view_get_schema_view (view)), is_cell, &c);

  g_assert_nonnull (w);
  return w;
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

static gboolean
is_button_labelled (GtkWidget     *widget,
                    gconstpointer  label)
{
  return GTK_IS_BUTTON (widget) && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), label) == 0;
}

/* The button labelled @button of the toast that says @text. */
static GtkWidget *
toast_button (GtkWidget  *root,
              const char *text,
              const char *button)
{
  GtkWidget *w = ui_test_find (root, label_contains, text);

  for (; w; w = gtk_widget_get_parent (w))
    {
      GtkWidget *b = ui_test_find (w, is_button_labelled, button);
      if (b)
        return b;
    }
  return NULL;
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

static void
write_file (const char *project,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (project, relative, NULL);
  g_autofree char *dir = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (dir, 0755);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static gboolean
is_integral (const char *type)
{
  SluiceSqlType t;

  return sluice_sql_type_parse (type, &t) && sluice_sql_type_is_integral (t);
}

static gboolean
preview_has_rows (gpointer data)
{
  SluiceDatasetView *view = data;
  SluiceGemResult *r = sluice_results_view_get_result (sluice_dataset_view_get_preview (view));

  return r && sluice_gem_result_get_error (r) == NULL && sluice_gem_result_get_n_sample_rows (r) > 0;
}

/* ---- tests ---- */

static void
test_editing_types_writes_the_file (void)
{
  g_autofree char *project = NULL;
  g_autoptr(SluiceDataset) on_disk = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluiceDatasetView *view;
  GtkWidget *box;
  int line_no, order_id;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "types");
  window = open_window (project);
  page = sluice_window_get_project_page (window);
  view = show_dataset (page, "orders");
  g_assert_nonnull (view);
  ui_test_spin_until (preview_has_rows, view, 60);

  on_disk = load_from_disk (project, "orders");
  line_no = column_index (on_disk, "line_no");
  order_id = column_index (on_disk, "order_id");
  g_assert_cmpint (line_no, >=, 0);
  g_assert_cmpstr (sluice_dataset_get_column_type (on_disk, line_no), ==, "int");
  g_clear_object (&on_disk);

  /* int → bigint, through the type menu of the row. */
  box = cell (view, "drop-down", line_no);
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (box), "drop-down"), 2);
  on_disk = load_from_disk (project, "orders");
  g_assert_cmpstr (sluice_dataset_get_column_type (on_disk, line_no), ==, "bigint");
  g_clear_object (&on_disk);

  /* decimal(p,s): the precision and scale beside it. */
  gtk_drop_down_set_selected (g_object_get_data (G_OBJECT (box), "drop-down"), 4);
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_last_child (box)));
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (box), "precision"), 12);
  gtk_spin_button_set_value (g_object_get_data (G_OBJECT (box), "scale"), 3);
  on_disk = load_from_disk (project, "orders");
  g_assert_cmpstr (sluice_dataset_get_column_type (on_disk, line_no), ==, "decimal(12,3)");
  g_clear_object (&on_disk);

  /* Nullable. */
  g_assert_false (sluice_dataset_get_column_nullable (sluice_dataset_view_get_dataset (view), order_id));
  gtk_check_button_set_active (GTK_CHECK_BUTTON (cell (view, "check", order_id)), TRUE);
  on_disk = load_from_disk (project, "orders");
  g_assert_true (sluice_dataset_get_column_nullable (on_disk, order_id));
  g_clear_object (&on_disk);

  /* A text field saves when applied (page.save, Ctrl+S, applies it). */
  gtk_editable_set_text (GTK_EDITABLE (sluice_dataset_view_get_entry (view, "description")), "Order lines, edited");
  on_disk = load_from_disk (project, "orders");
  g_assert_cmpstr (sluice_dataset_get_description (on_disk), ==, "One row per order line");
  g_clear_object (&on_disk);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.save", NULL));
  on_disk = load_from_disk (project, "orders");
  g_assert_cmpstr (sluice_dataset_get_description (on_disk), ==, "Order lines, edited");

  /* The preview follows the new type. */
  wait_idle (page);
  ui_test_spin_until (preview_has_rows, view, 60);
  {
    SluiceGemResult *r = sluice_results_view_get_result (sluice_dataset_view_get_preview (view));
    const SluiceColumn *c = sluice_gem_result_get_column (r, line_no);
    g_autofree char *type = sluice_sql_type_to_string (c->type);

    g_assert_cmpstr (c->name, ==, "line_no");
    g_assert_cmpstr (type, ==, "decimal(12,3)");
  }
  ui_test_screenshot (GTK_WINDOW (window), "datasets-editor.png");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static void
test_option_change_reinfers (void)
{
  g_autofree char *project = NULL;
  g_autoptr(SluiceDataset) on_disk = NULL;
  g_autoptr(SluiceDataset) fresh = sluice_dataset_new ("semi");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *file = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluiceDatasetView *view;
  g_autoptr(JsonObject) options = json_object_new ();

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "reinfer");
  write_file (project, "data/semi.csv", "id;amount;code\n1;2.5;10\n2;3.25;11\n3;4;abc\n");
  window = open_window (project);
  page = sluice_window_get_project_page (window);

  /* Declared with the wrong delimiter: one column. */
  sluice_dataset_set_format (fresh, "csv");
  sluice_dataset_set_sample (fresh, "data/semi.csv");
  json_object_set_boolean_member (options, "header", TRUE);
  json_object_set_string_member (options, "delimiter", ",");
  sluice_dataset_set_options (fresh, options);
  sluice_dataset_set_columns (fresh, 1, (const char *[]) { "id;amount;code" }, (const char *[]) { "string" },
                              NULL, (const char *[]) { "kept?" });
  g_assert_nonnull (sluice_project_add_dataset (sluice_window_get_project (window), fresh, &error));
  g_assert_no_error (error);
  view = show_dataset (page, "semi");
  g_assert_cmpuint (sluice_dataset_get_n_columns (sluice_dataset_view_get_dataset (view)), ==, 1);

  /* Typing the delimiter reads the sample again, and saves what it found. */
  gtk_editable_set_text (GTK_EDITABLE (sluice_dataset_view_get_entry (view, "delimiter")), ";");
  g_assert_true (sluice_dataset_view_get_busy (view));
  wait_idle (page);
  g_assert_null (sluice_dataset_view_get_error (view));
  on_disk = load_from_disk (project, "semi");
  g_assert_cmpuint (sluice_dataset_get_n_columns (on_disk), ==, 3);
  g_assert_cmpstr (sluice_dataset_get_column_name (on_disk, 0), ==, "id");
  g_assert_true (is_integral (sluice_dataset_get_column_type (on_disk, 0)));
  g_assert_cmpstr (sluice_dataset_get_column_name (on_disk, 1), ==, "amount");
  g_assert_cmpstr (sluice_dataset_get_column_type (on_disk, 1), !=, "string");
  g_assert_cmpstr (sluice_dataset_get_column_type (on_disk, 2), ==, "string");
  g_assert_cmpstr (json_object_get_string_member (sluice_dataset_get_options (on_disk), "delimiter"), ==, ";");
  /* The mixed column says why it is a string, in its row. */
  g_assert_nonnull (sluice_dataset_view_get_note (view, "code"));
  {
    Find f = { GTK_WIDGET (sluice_dataset_view_get_schema_view (view)), "abc" };
    ui_test_spin_until (shows_text, &f, 60);
  }
  g_clear_object (&on_disk);
  ui_test_spin_until (preview_has_rows, view, 60);
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (sluice_results_view_get_result (sluice_dataset_view_get_preview (view))), ==, 3);
  ui_test_screenshot (GTK_WINDOW (window), "datasets-reinferred.png");

  /* Options that do not read the sample: the place is shown, nothing saved. */
  file = g_build_filename (project, "datasets", "semi.json", NULL);
  g_assert_true (g_file_get_contents (file, &before, NULL, NULL));
  write_file (project, "data/semi.csv", "id;amount;code\n1;2.5;10\n2;3.25\n");
  gtk_editable_set_text (GTK_EDITABLE (sluice_dataset_view_get_entry (view, "null")), "NA");
  wait_idle (page);
  g_assert_nonnull (sluice_dataset_view_get_error (view));
  g_test_message ("error: %s", sluice_dataset_view_get_error (view));
  g_assert_nonnull (strstr (sluice_dataset_view_get_error (view), "semi.csv:3:"));
  g_assert_true (g_file_get_contents (file, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  ui_test_screenshot (GTK_WINDOW (window), "datasets-reinfer-error.png");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static void
test_lists_the_pipelines_that_use_it (void)
{
  g_autofree char *project = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluiceDatasetView *view;
  GtkListBox *list;
  GtkListBoxRow *row;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "users");
  window = open_window (project);
  page = sluice_window_get_project_page (window);
  view = show_dataset (page, "orders");
  list = sluice_dataset_view_get_pipelines_list (view);

  row = gtk_list_box_get_row_at_index (list, 0);
  g_assert_nonnull (row);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "orders_enriched");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "read by"));
  row = gtk_list_box_get_row_at_index (list, 1);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "top_products");
  g_assert_null (gtk_list_box_get_row_at_index (list, 2));

  /* A dataset only written: the Target says so. */
  view = show_dataset (page, "top_products");
  row = gtk_list_box_get_row_at_index (sluice_dataset_view_get_pipelines_list (view), 0);
  g_assert_cmpstr (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (row)), ==, "top_products");
  g_assert_nonnull (strstr (adw_action_row_get_subtitle (ADW_ACTION_ROW (row)), "written by"));
  /* And one nobody uses. */
  view = show_dataset (page, "returns");
  g_assert_null (gtk_list_box_get_row_at_index (sluice_dataset_view_get_pipelines_list (view), 0));

  /* Activating a row opens that pipeline. */
  view = show_dataset (page, "orders");
  row = gtk_list_box_get_row_at_index (sluice_dataset_view_get_pipelines_list (view), 1);
  g_signal_emit_by_name (row, "activate");
  ui_test_spin_ms (300);
  g_assert_null (sluice_project_page_get_dataset_view (page));
  g_assert_nonnull (sluice_project_page_get_pipeline_view (page));
  g_assert_cmpstr (sluice_pipeline_get_name (sluice_pipeline_view_get_pipeline (sluice_project_page_get_pipeline_view (page))),
                   ==, "top_products");

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

/* A shown pipeline's gems see a dataset's new schema once it is saved. */
static void
test_open_pipeline_sees_the_new_schema (void)
{
  g_autofree char *project = NULL;
  g_autoptr(GError) error = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluiceProject *proj;
  SluiceDataset *orders;
  SluicePipelineView *pv;
  GArray *schema;
  int line_no;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "reresolve");
  window = open_window (project);
  page = sluice_window_get_project_page (window);
  proj = sluice_window_get_project (window);
  g_assert_true (sluice_project_page_select_file (page, "pipelines/top_products.json"));
  ui_test_spin_ms (200);
  pv = sluice_project_page_get_pipeline_view (page);
  orders = sluice_project_find_dataset (proj, "orders");
  line_no = column_index (orders, "line_no");
  schema = sluice_resolver_get_schema (sluice_canvas_get_resolver (sluice_pipeline_view_get_canvas (pv)), "orders");
  g_assert_cmpint (g_array_index (schema, SluiceColumn, line_no).type.kind, ==, SLUICE_SQL_INT);

  sluice_dataset_set_column_type (orders, line_no, "bigint");
  g_assert_true (sluice_project_save_dataset (proj, orders, &error));
  g_assert_no_error (error);
  ui_test_spin_ms (100);
  schema = sluice_resolver_get_schema (sluice_canvas_get_resolver (sluice_pipeline_view_get_canvas (pv)), "orders");
  g_assert_cmpint (g_array_index (schema, SluiceColumn, line_no).type.kind, ==, SLUICE_SQL_BIGINT);

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static void
test_delete_a_used_dataset_names_its_pipelines_and_undoes (void)
{
  g_autofree char *project = NULL;
  g_autofree char *file = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluiceProject *proj;
  AdwMessageDialog *dialog;
  GtkWidget *undo;
  Find f;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "delete");
  window = open_window (project);
  page = sluice_window_get_project_page (window);
  proj = sluice_window_get_project (window);
  file = g_build_filename (project, "datasets", "orders.json", NULL);
  g_assert_true (g_file_get_contents (file, &before, NULL, NULL));
  show_dataset (page, "orders");

  /* The editor's delete button: a confirmation naming the pipelines. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (sluice_project_page_get_dataset_view (page)),
                                             "page.delete-item", "(ss)", "dataset", "orders"));
  ui_test_spin_until (has_dialog, NULL, 60);
  dialog = find_dialog ();
  g_assert_nonnull (strstr (adw_message_dialog_get_heading (dialog), "orders"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "orders_enriched"));
  g_assert_nonnull (strstr (adw_message_dialog_get_body (dialog), "top_products"));
  ui_test_screenshot (GTK_WINDOW (dialog), "datasets-delete-confirm.png");

  /* Cancel keeps it. */
  ui_test_respond (dialog, "cancel");
  ui_test_spin_ms (100);
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (page), "page.delete-item", "(ss)", "dataset", "orders"));
  ui_test_spin_until (has_dialog, NULL, 60);
  ui_test_respond (find_dialog (), "delete");
  ui_test_spin_ms (100);
  g_assert_false (g_file_test (file, G_FILE_TEST_EXISTS));
  g_assert_null (sluice_project_find_dataset (proj, "orders"));

  f.root = GTK_WIDGET (window);
  f.text = "Deleted orders";
  ui_test_spin_until (shows_text, &f, 60);
  ui_test_spin_ms (600);
  undo = toast_button (GTK_WIDGET (window), "Deleted orders", "_Undo");
  g_assert_nonnull (undo);
  g_signal_emit_by_name (undo, "clicked");
  ui_test_spin_ms (200);
  g_assert_true (g_file_get_contents (file, &after, NULL, NULL));
  g_assert_cmpstr (before, ==, after);
  g_assert_nonnull (sluice_project_find_dataset (proj, "orders"));

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static gboolean
dataset_listed (gpointer data)
{
  gpointer *args = data;
  return sluice_project_find_dataset (args[0], args[1]) != NULL;
}

static gboolean
import_bar_says (gpointer data)
{
  Find *f = data;
  return shows_text (f);
}

static void
test_import_copies_an_outside_file_and_refuses_a_broken_one (void)
{
  g_autofree char *project = NULL;
  g_autofree char *outside = NULL;
  g_autofree char *broken = NULL;
  g_autofree char *copy = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) bad = NULL;
  g_autoptr(SluiceDataset) on_disk = NULL;
  SluiceWindow *window;
  SluiceProjectPage *page;
  SluiceProject *proj;
  SluiceDataset *d;
  gpointer args[2];
  Find f;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  project = ui_test_copy_example (tmp, "import");
  outside = g_build_filename (tmp, "Shop Visits 2024.csv", NULL);
  g_assert_true (g_file_set_contents (outside, "day,visits,note\n2024-01-01,10,a\n2024-01-02,12,\n", -1, NULL));
  window = open_window (project);
  page = sluice_window_get_project_page (window);
  proj = sluice_window_get_project (window);

  file = g_file_new_for_path (outside);
  sluice_project_page_import_file (page, file);
  args[0] = proj;
  args[1] = (gpointer) "shop_visits_2024";
  ui_test_spin_until (dataset_listed, args, 60);
  d = sluice_project_find_dataset (proj, "shop_visits_2024");
  g_assert_cmpstr (sluice_dataset_get_sample (d), ==, "data/Shop Visits 2024.csv");
  g_assert_cmpstr (sluice_dataset_get_location (d), ==, "data/Shop Visits 2024.csv");
  copy = g_build_filename (project, "data", "Shop Visits 2024.csv", NULL);
  g_assert_true (g_file_test (copy, G_FILE_TEST_EXISTS));
  g_assert_cmpuint (sluice_dataset_get_n_columns (d), ==, 3);
  g_assert_cmpstr (sluice_dataset_get_column_type (d, 0), ==, "date");
  g_assert_true (is_integral (sluice_dataset_get_column_type (d, 1)));
  /* It is selected, its editor shown. */
  ui_test_spin_until (view_idle, page, 60);
  g_assert_true (sluice_dataset_view_get_dataset (sluice_project_page_get_dataset_view (page)) == d);

  /* The toast offers the file where it is instead: beside the project. */
  {
    Find t = { GTK_WIDGET (window), "was copied into the project" };
    GtkWidget *button;

    ui_test_spin_until (shows_text, &t, 60);
    ui_test_spin_ms (600);
    button = toast_button (GTK_WIDGET (window), "was copied into the project", "Use the _Original");
    g_assert_nonnull (button);
    g_signal_emit_by_name (button, "clicked");
    ui_test_spin_ms (200);
    g_assert_cmpstr (sluice_dataset_get_sample (d), ==, "../Shop Visits 2024.csv");
    g_assert_false (g_file_test (copy, G_FILE_TEST_EXISTS));
    g_clear_object (&on_disk);
    on_disk = load_from_disk (project, "shop_visits_2024");
    g_assert_cmpstr (sluice_dataset_get_sample (on_disk), ==, "../Shop Visits 2024.csv");
  }

  /* The same file again: another name, another copy. */
  sluice_project_page_import_file (page, file);
  args[1] = (gpointer) "shop_visits_2024_2";
  ui_test_spin_until (dataset_listed, args, 60);
  g_assert_cmpstr (sluice_dataset_get_sample (sluice_project_find_dataset (proj, "shop_visits_2024_2")), ==,
                   "data/Shop Visits 2024.csv");
  /* And a third: the copy's name is taken now. */
  sluice_project_page_import_file (page, file);
  args[1] = (gpointer) "shop_visits_2024_3";
  ui_test_spin_until (dataset_listed, args, 60);
  g_assert_cmpstr (sluice_dataset_get_sample (sluice_project_find_dataset (proj, "shop_visits_2024_3")), ==,
                   "data/Shop Visits 2024_2.csv");

  /* A file inside the project is used where it is. */
  {
    g_autofree char *inside = g_build_filename (project, "data", "returns.jsonl", NULL);
    g_autoptr(GFile) in = g_file_new_for_path (inside);

    sluice_project_page_import_file (page, in);
    args[1] = (gpointer) "returns_2";
    ui_test_spin_until (dataset_listed, args, 60);
    g_assert_cmpstr (sluice_dataset_get_sample (sluice_project_find_dataset (proj, "returns_2")), ==,
                     "data/returns.jsonl");
    g_assert_cmpstr (sluice_dataset_get_format (sluice_project_find_dataset (proj, "returns_2")), ==, "jsonl");
  }

  /* A broken file: the place of the problem, and nothing created. */
  broken = g_build_filename (tmp, "broken.csv", NULL);
  g_assert_true (g_file_set_contents (broken, "a,b\n1,2\n3,\"oops\n", -1, NULL));
  bad = g_file_new_for_path (broken);
  sluice_project_page_import_file (page, bad);
  f.root = GTK_WIDGET (window);
  f.text = "broken.csv:3:";
  ui_test_spin_until (import_bar_says, &f, 60);
  ui_test_spin_ms (500);  /* past the bar's and the page's transitions */
  ui_test_screenshot (GTK_WINDOW (window), "datasets-import-error.png");
  g_assert_null (sluice_project_find_dataset (proj, "broken"));
  {
    g_autofree char *json = g_build_filename (project, "datasets", "broken.json", NULL);
    g_autofree char *csv = g_build_filename (project, "data", "broken.csv", NULL);
    g_assert_false (g_file_test (json, G_FILE_TEST_EXISTS));
    g_assert_false (g_file_test (csv, G_FILE_TEST_EXISTS));
  }

  gtk_window_destroy (GTK_WINDOW (window));
  ui_test_spin_ms (100);
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *n)
{
  (*n)++;
}

static gboolean
not_busy (gpointer view)
{
  return !sluice_dataset_view_get_busy (view);
}

/* busy goes back once the first rows are read; nothing keeps the view. */
static void
test_busy_notifies_and_the_view_finalizes (void)
{
  g_autofree char *path = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *view;
  guint n = 0;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  path = ui_test_copy_example (tmp, "finalize");
  dir = g_file_new_for_path (path);
  project = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);
  view = g_object_ref_sink (sluice_dataset_view_new (project, sluice_project_find_dataset (project, "orders")));
  g_assert_true (sluice_dataset_view_get_busy (SLUICE_DATASET_VIEW (view)));
  g_signal_connect (view, "notify::busy", G_CALLBACK (count_cb), &n);
  ui_test_spin_until (not_busy, view, 60);
  g_assert_cmpuint (n, ==, 1);
  /* Nothing pending: flushing changes nothing, and says nothing. */
  sluice_dataset_view_flush (SLUICE_DATASET_VIEW (view));
  ui_test_spin_ms (50);
  g_assert_cmpuint (n, ==, 1);
  g_assert_finalize_object (view);
}

int
main (int   argc,
      char *argv[])
{
  g_autofree char *cache = NULL;
  g_autofree char *state = NULL;
  int status;

  tmp = g_dir_make_tmp ("sluice-test-datasets-XXXXXX", NULL);
  cache = g_build_filename (tmp, "cache", NULL);
  state = g_build_filename (tmp, "state", NULL);
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_setenv ("XDG_STATE_HOME", state, TRUE);
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    app = ui_test_app_new ();

  g_test_add_func ("/sluice/ui/datasets/editing-types-writes-the-file", test_editing_types_writes_the_file);
  g_test_add_func ("/sluice/ui/datasets/an-option-change-infers-again", test_option_change_reinfers);
  g_test_add_func ("/sluice/ui/datasets/lists-the-pipelines-that-use-it", test_lists_the_pipelines_that_use_it);
  g_test_add_func ("/sluice/ui/datasets/an-open-pipeline-sees-the-new-schema", test_open_pipeline_sees_the_new_schema);
  g_test_add_func ("/sluice/ui/datasets/delete-names-its-pipelines-and-undoes",
                   test_delete_a_used_dataset_names_its_pipelines_and_undoes);
  g_test_add_func ("/sluice/ui/datasets/import-copies-an-outside-file-and-refuses-a-broken-one",
                   test_import_copies_an_outside_file_and_refuses_a_broken_one);
  g_test_add_func ("/sluice/ui/datasets/busy-notifies-and-the-view-finalizes", test_busy_notifies_and_the_view_finalizes);
  status = g_test_run ();
  g_clear_object (&app);
  ui_test_remove_tree (tmp);
  g_free (tmp);
  return status;
}
