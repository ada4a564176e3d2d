/* The gem inspector on the example project: the form each gem type gets,
 * edits as undoable commands, inline diagnostics, completion. */
#include "config.h"

#include <string.h>

#include <adwaita.h>

#include "sluice-application.h"
#include "sluice-completion-proposal.h"
#include "sluice-field-editor.h"
#include "sluice-function.h"
#include "sluice-inputs-editor.h"
#include "sluice-inspector.h"
#include "sluice-records-editor.h"
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
  SluiceInspector *inspector;
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

static void
fixture_open (Fixture    *f,
              const char *pipeline)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autofree char *cmd = NULL;
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;
  GtkWidget *header;

  /* A copy: nothing a test does may touch the example. */
  f->dir = g_dir_make_tmp ("sluice-inspector-XXXXXX", NULL);
  cmd = g_strdup_printf ("cp -r %s/. %s", example, f->dir);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
  dir = g_file_new_for_path (f->dir);
  f->project = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);
  f->pipeline = g_object_ref (sluice_project_find_pipeline (f->project, pipeline));
  f->resolver = sluice_resolver_new (f->pipeline, sluice_project_get_datasets (f->project));

  f->window = GTK_WINDOW (gtk_application_window_new (GTK_APPLICATION (app)));
  header = adw_header_bar_new ();
  adw_header_bar_set_title_widget (ADW_HEADER_BAR (header), adw_window_title_new ("Inspector", pipeline));
  gtk_window_set_titlebar (f->window, header);
  gtk_window_set_default_size (f->window, 460, 760);
  f->inspector = SLUICE_INSPECTOR (sluice_inspector_new ());
  sluice_inspector_set_datasets (f->inspector, sluice_project_get_datasets (f->project));
  gtk_window_set_child (f->window, GTK_WIDGET (f->inspector));
  gtk_window_present (f->window);
  spin_until (mapped, f->inspector);
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

static void
select_gem (Fixture    *f,
            const char *id)
{
  sluice_inspector_set_gem (f->inspector, f->pipeline, id, f->resolver);
  g_assert_cmpstr (sluice_inspector_get_gem_id (f->inspector), ==, id);
}

static GtkWidget *
input_of (Fixture    *f,
          const char *field)
{
  SluiceFieldEditor *editor = sluice_inspector_get_editor (f->inspector, field);

  g_assert_nonnull (editor);
  return sluice_field_editor_get_input (editor);
}

static const char *
combo_text (GtkWidget *row)
{
  GListModel *model = adw_combo_row_get_model (ADW_COMBO_ROW (row));
  return gtk_string_list_get_string (GTK_STRING_LIST (model), adw_combo_row_get_selected (ADW_COMBO_ROW (row)));
}

static char *
view_text (GtkWidget *view)
{
  GtkTextBuffer *buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (view));
  GtkTextIter begin, end;

  gtk_text_buffer_get_bounds (buffer, &begin, &end);
  return gtk_text_buffer_get_text (buffer, &begin, &end, FALSE);
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
  spin_for (300);
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
test_rows_follow_the_field_kinds (void)
{
  Fixture f = { 0 };
  GtkWidget *w;
  SluiceRecordsEditor *joins;
  g_autofree char *text = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");

  /* Source: the dataset is a combo of the project's datasets. */
  select_gem (&f, "orders");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sluice_inspector_get_label_row (f.inspector))), ==, "Orders");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sluice_inspector_get_id_row (f.inspector))), ==, "orders");
  w = input_of (&f, "dataset");
  g_assert_true (ADW_IS_COMBO_ROW (w));
  g_assert_cmpstr (combo_text (w), ==, "orders");
  g_assert_cmpuint (g_list_model_get_n_items (adw_combo_row_get_model (ADW_COMBO_ROW (w))), ==, 9);

  /* Filter: the condition is Spark SQL in a source view. */
  select_gem (&f, "completed_orders");
  w = input_of (&f, "condition");
  g_assert_true (GTK_SOURCE_IS_VIEW (w));
  text = view_text (w);
  g_assert_cmpstr (text, ==, "status = 'completed'");
  g_assert_cmpstr (gtk_source_language_get_id (gtk_source_buffer_get_language (
                     GTK_SOURCE_BUFFER (gtk_text_view_get_buffer (GTK_TEXT_VIEW (w))))), ==, "sluice-sparksql");

  /* Join: records of sub-forms, each with its own kinds of editors. */
  select_gem (&f, "join_customers_products");
  joins = SLUICE_RECORDS_EDITOR (input_of (&f, "joins"));
  g_assert_cmpuint (sluice_records_editor_get_n_records (joins), ==, 2);
  w = sluice_field_editor_get_input (sluice_records_editor_get_editor (joins, 1, "type"));
  g_assert_true (ADW_IS_COMBO_ROW (w));
  g_assert_cmpstr (combo_text (w), ==, "left");
  w = sluice_field_editor_get_input (sluice_records_editor_get_editor (joins, 1, "input"));
  g_assert_true (ADW_IS_ENTRY_ROW (w));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (w)), ==, "in2");
  g_assert_true (GTK_SOURCE_IS_VIEW (sluice_field_editor_get_input (sluice_records_editor_get_editor (joins, 0, "condition"))));
  g_assert_cmpuint (sluice_records_editor_get_n_records (SLUICE_RECORDS_EDITOR (input_of (&f, "columns"))), ==, 14);

  /* Target: dataset and write mode, with the mode's default shown. */
  select_gem (&f, "write_orders_enriched");
  g_assert_cmpstr (combo_text (input_of (&f, "dataset")), ==, "orders_enriched");
  g_assert_cmpstr (combo_text (input_of (&f, "mode")), ==, "overwrite");
  fixture_close (&f);

  fixture_open (&f, "top_products");
  /* Limit: a spin button; Window: column checks fed by the input schema. */
  select_gem (&f, "at_most_100");
  w = input_of (&f, "count");
  g_assert_true (GTK_IS_SPIN_BUTTON (w));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (GTK_SPIN_BUTTON (w)), ==, 100);
  select_gem (&f, "rank_in_category");
  w = input_of (&f, "partition_by");
  g_assert_true (ADW_IS_EXPANDER_ROW (w));
  g_assert_cmpstr (adw_expander_row_get_subtitle (ADW_EXPANDER_ROW (w)), ==, "category");
  fixture_close (&f);

  fixture_open (&f, "customer_cleanup");
  /* SQLStatement: the statement in a source view, its schema as records. */
  select_gem (&f, "count_per_country");
  g_assert_true (GTK_SOURCE_IS_VIEW (input_of (&f, "sql")));
  g_assert_true (SLUICE_IS_RECORDS_EDITOR (input_of (&f, "schema")));
  select_gem (&f, "latest_per_email");
  g_assert_true (ADW_IS_EXPANDER_ROW (input_of (&f, "keys")));
  g_assert_true (ADW_IS_COMBO_ROW (input_of (&f, "mode")));
  fixture_close (&f);
}

static JsonNode *
config_of (Fixture    *f,
           const char *gem,
           const char *key)
{
  return sluice_gem_get_config (sluice_pipeline_find_gem (f->pipeline, gem), key);
}

static gboolean
condition_is_unknown (gpointer data)
{
  Fixture *f = data;
  return g_strcmp0 (json_node_get_string (config_of (f, "completed_orders", "condition")), "statuss = 'completed'") == 0;
}

static gboolean
condition_is_fixed (gpointer data)
{
  Fixture *f = data;
  return g_strcmp0 (json_node_get_string (config_of (f, "completed_orders", "condition")), "status <> 'cancelled'") == 0;
}

static void
test_an_expression_edit_is_one_undo_step_with_inline_diagnostics (void)
{
  Fixture f = { 0 };
  SluiceFieldEditor *editor;
  GtkTextBuffer *buffer;
  SluiceUndoStack *undo;
  g_autofree char *after_undo = NULL, *after_second_undo = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");
  undo = sluice_pipeline_get_undo_stack (f.pipeline);
  select_gem (&f, "completed_orders");
  editor = sluice_inspector_get_editor (f.inspector, "condition");
  buffer = gtk_text_view_get_buffer (GTK_TEXT_VIEW (sluice_field_editor_get_input (editor)));
  g_assert_cmpstr (sluice_field_editor_get_message (editor), ==, "");
  g_assert_false (sluice_undo_stack_get_can_undo (undo));

  /* Typed key by key: nothing is written until the user pauses. */
  {
    GtkTextIter iter;
    gtk_text_buffer_get_iter_at_offset (buffer, &iter, 6);
    gtk_text_buffer_insert (buffer, &iter, "s", -1);
  }
  g_assert_cmpstr (json_node_get_string (config_of (&f, "completed_orders", "condition")), ==, "status = 'completed'");
  spin_until (condition_is_unknown, &f);

  /* One step, and the resolver's complaint under the field. */
  g_assert_true (sluice_undo_stack_get_can_undo (undo));
  g_assert_nonnull (strstr (sluice_field_editor_get_message (editor), "statuss"));
  g_assert_true (gtk_widget_get_visible (gtk_widget_get_last_child (GTK_WIDGET (editor))));
  save_screenshot (GTK_WIDGET (f.window), "inspector-filter-diagnostic.png");

  gtk_text_buffer_set_text (buffer, "status <> 'cancelled'", -1);
  spin_until (condition_is_fixed, &f);
  g_assert_cmpstr (sluice_field_editor_get_message (editor), ==, "");

  /* Undo, through the inspector's action as Ctrl+Z runs it: the form follows. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.inspector), "inspector.undo", NULL));
  after_undo = g_strdup (json_node_get_string (config_of (&f, "completed_orders", "condition")));
  g_assert_cmpstr (after_undo, ==, "statuss = 'completed'");
  {
    g_autofree char *shown = view_text (sluice_field_editor_get_input (editor));
    g_assert_cmpstr (shown, ==, after_undo);
  }
  g_assert_nonnull (strstr (sluice_field_editor_get_message (editor), "statuss"));

  g_assert_true (sluice_pipeline_undo (f.pipeline));
  after_second_undo = view_text (sluice_field_editor_get_input (editor));
  g_assert_cmpstr (after_second_undo, ==, "status = 'completed'");
  g_assert_cmpstr (sluice_field_editor_get_message (editor), ==, "");
  g_assert_false (sluice_undo_stack_get_can_undo (undo));
  fixture_close (&f);
}

static void
test_label_and_records_edits_are_undoable (void)
{
  Fixture f = { 0 };
  GtkWidget *label_row;
  SluiceRecordsEditor *columns;
  JsonNode *value;
  guint n;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");
  select_gem (&f, "line_totals");

  label_row = sluice_inspector_get_label_row (f.inspector);
  gtk_editable_set_text (GTK_EDITABLE (label_row), "Totals per line");
  g_signal_emit_by_name (label_row, "entry-activated");
  g_assert_cmpstr (sluice_gem_get_label (sluice_pipeline_find_gem (f.pipeline, "line_totals")), ==, "Totals per line");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f.inspector), "inspector.undo", NULL));
  g_assert_cmpstr (sluice_gem_get_label (sluice_pipeline_find_gem (f.pipeline, "line_totals")), ==, "Line totals");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (label_row)), ==, "Line totals");

  /* Adding a record is one command; the form grows and shrinks with undo. */
  columns = SLUICE_RECORDS_EDITOR (input_of (&f, "columns"));
  n = sluice_records_editor_get_n_records (columns);
  g_assert_cmpuint (n, >, 1);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (columns), "records.add", NULL));
  value = config_of (&f, "line_totals", "columns");
  g_assert_cmpuint (json_array_get_length (json_node_get_array (value)), ==, n + 1);
  g_assert_cmpuint (sluice_records_editor_get_n_records (SLUICE_RECORDS_EDITOR (input_of (&f, "columns"))), ==, n + 1);
  g_assert_true (sluice_pipeline_undo (f.pipeline));
  g_assert_cmpuint (sluice_records_editor_get_n_records (SLUICE_RECORDS_EDITOR (input_of (&f, "columns"))), ==, n);

  /* Moving the second record up swaps the first two names. */
  {
    g_autofree char *first = g_strdup (json_object_get_string_member (
      json_array_get_object_element (json_node_get_array (config_of (&f, "line_totals", "columns")), 0), "name"));
    g_autofree char *second = g_strdup (json_object_get_string_member (
      json_array_get_object_element (json_node_get_array (config_of (&f, "line_totals", "columns")), 1), "name"));
    JsonArray *after;

    g_assert_true (gtk_widget_activate_action (GTK_WIDGET (columns), "records.move-up", "u", 1));
    after = json_node_get_array (config_of (&f, "line_totals", "columns"));
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (after, 0), "name"), ==, second);
    g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (after, 1), "name"), ==, first);
    g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (sluice_field_editor_get_input (
                       sluice_records_editor_get_editor (columns, 0, "name")))), ==, second);
  }
  save_screenshot (GTK_WIDGET (f.window), "inspector-reformat.png");
  fixture_close (&f);
}

static gboolean
has_proposal (GListModel *model,
              const char *text)
{
  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr(SluiceCompletionProposal) p = g_list_model_get_item (model, i);
      if (g_str_equal (sluice_completion_proposal_get_text (p), text))
        return TRUE;
    }
  return FALSE;
}

/* Depth-first: the first descendant of @root of @type, or NULL. */
static GtkWidget *
find_widget (GtkWidget *root,
             GType      type)
{
  if (g_type_is_a (G_OBJECT_TYPE (root), type))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_widget (c, type);
      if (found)
        return found;
    }
  return NULL;
}

static void
collect_buttons (GtkWidget *root,
                 GPtrArray *out)
{
  if (GTK_IS_BUTTON (root) && gtk_widget_get_ancestor (root, ADW_TYPE_ACTION_ROW))
    g_ptr_array_add (out, root);
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    collect_buttons (c, out);
}

static GtkWidget *
find_error_label (GtkWidget *root)
{
  if (GTK_IS_LABEL (root) && gtk_widget_has_css_class (root, "error"))
    return root;
  for (GtkWidget *c = gtk_widget_get_first_child (root); c; c = gtk_widget_get_next_sibling (c))
    {
      GtkWidget *found = find_error_label (c);
      if (found)
        return found;
    }
  return NULL;
}

static guint
n_inputs (Fixture    *f,
          const char *gem)
{
  return g_strv_length ((char **) sluice_gem_peek_input_names (sluice_pipeline_find_gem (f->pipeline, gem)));
}

static guint
n_joins (Fixture *f)
{
  return json_array_get_length (json_node_get_array (config_of (f, "join_customers_products", "joins")));
}

static void
test_inputs_are_added_and_removed_as_one_step (void)
{
  Fixture f = { 0 };
  GtkWidget *inputs;
  g_autoptr(GPtrArray) buttons = g_ptr_array_new ();
  JsonObject *added;
  GtkWidget *name_row;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");

  /* A Filter takes exactly one input: no inputs section. */
  select_gem (&f, "completed_orders");
  g_assert_null (find_widget (GTK_WIDGET (f.inspector), SLUICE_TYPE_INPUTS_EDITOR));

  /* The join's three inputs are wired: none can be removed. */
  select_gem (&f, "join_customers_products");
  inputs = find_widget (GTK_WIDGET (f.inspector), SLUICE_TYPE_INPUTS_EDITOR);
  g_assert_nonnull (inputs);
  collect_buttons (inputs, buttons);
  g_assert_cmpuint (buttons->len, ==, 3);
  for (guint i = 0; i < buttons->len; i++)
    g_assert_false (gtk_widget_get_sensitive (g_ptr_array_index (buttons, i)));

  /* Adding one gives the join a fourth input and its join record, as one
   * undo step. */
  g_assert_cmpuint (n_joins (&f), ==, 2);
  g_assert_true (gtk_widget_activate_action (inputs, "inputs.add", NULL));
  g_assert_cmpuint (n_inputs (&f, "join_customers_products"), ==, 4);
  g_assert_cmpstr (sluice_gem_peek_input_names (sluice_pipeline_find_gem (f.pipeline, "join_customers_products"))[3],
                   ==, "in3");
  g_assert_cmpuint (n_joins (&f), ==, 3);
  added = json_array_get_object_element (json_node_get_array (config_of (&f, "join_customers_products", "joins")), 2);
  g_assert_cmpstr (json_object_get_string_member (added, "input"), ==, "in3");
  g_assert_true (sluice_pipeline_undo (f.pipeline));
  g_assert_cmpuint (n_inputs (&f, "join_customers_products"), ==, 3);
  g_assert_cmpuint (n_joins (&f), ==, 2);
  g_assert_true (sluice_pipeline_redo (f.pipeline));

  /* The new, unconnected input can be removed, with its record. */
  g_ptr_array_set_size (buttons, 0);
  collect_buttons (inputs, buttons);
  g_assert_cmpuint (buttons->len, ==, 4);
  g_assert_true (gtk_widget_get_sensitive (g_ptr_array_index (buttons, 3)));
  g_signal_emit_by_name (g_ptr_array_index (buttons, 3), "clicked");
  g_assert_cmpuint (n_inputs (&f, "join_customers_products"), ==, 3);
  g_assert_cmpuint (n_joins (&f), ==, 2);
  fixture_close (&f);

  /* SQLStatement: inputs are named, and the name must be valid. */
  fixture_open (&f, "customer_cleanup");
  select_gem (&f, "count_per_country");
  inputs = find_widget (GTK_WIDGET (f.inspector), SLUICE_TYPE_INPUTS_EDITOR);
  name_row = find_widget (inputs, ADW_TYPE_ENTRY_ROW);
  g_assert_true (gtk_widget_is_visible (name_row));
  gtk_editable_set_text (GTK_EDITABLE (name_row), "1st");
  g_signal_emit_by_name (name_row, "apply");
  g_assert_cmpuint (n_inputs (&f, "count_per_country"), ==, 1);
  {
    GtkWidget *error = find_error_label (inputs);

    g_assert_nonnull (error);
    g_assert_true (gtk_widget_get_visible (error));
    g_assert_nonnull (strstr (gtk_label_get_text (GTK_LABEL (error)), "1st"));
  }
  gtk_editable_set_text (GTK_EDITABLE (name_row), "legacy");
  g_signal_emit_by_name (name_row, "apply");
  g_assert_cmpuint (n_inputs (&f, "count_per_country"), ==, 2);
  g_assert_cmpstr (sluice_gem_peek_input_names (sluice_pipeline_find_gem (f.pipeline, "count_per_country"))[1],
                   ==, "legacy");
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (name_row)), ==, "");
  save_screenshot (GTK_WIDGET (f.window), "inspector-inputs.png");
  fixture_close (&f);
}

/* What a combo row shows for its selected item. */
static char *
combo_shown (GtkWidget *row)
{
  GtkExpression *expression = adw_combo_row_get_expression (ADW_COMBO_ROW (row));
  GObject *item = adw_combo_row_get_selected_item (ADW_COMBO_ROW (row));
  g_auto(GValue) value = G_VALUE_INIT;

  g_assert_nonnull (expression);
  g_assert_true (gtk_expression_evaluate (expression, item, &value));
  return g_value_dup_string (&value);
}

static void
test_choices_show_titles_and_types_are_picked (void)
{
  Fixture f = { 0 };
  GtkWidget *mode, *type_row;
  SluiceRecordsEditor *schema;
  g_autofree char *shown = NULL;
  JsonNode *value;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");

  /* The write mode reads "Overwrite"; the file keeps "overwrite". */
  select_gem (&f, "write_orders_enriched");
  mode = input_of (&f, "mode");
  g_assert_cmpstr (combo_text (mode), ==, "overwrite");
  shown = combo_shown (mode);
  g_assert_cmpstr (shown, ==, "Overwrite");
  adw_combo_row_set_selected (ADW_COMBO_ROW (mode), 2);
  g_assert_cmpstr (json_node_get_string (config_of (&f, "write_orders_enriched", "mode")), ==, "error_if_exists");
  g_clear_pointer (&shown, g_free);
  shown = combo_shown (mode);
  g_assert_cmpstr (shown, ==, "Fail if it exists");
  fixture_close (&f);

  /* A declared schema's types come from a menu or are typed and checked. */
  fixture_open (&f, "customer_cleanup");
  select_gem (&f, "count_per_country");
  schema = SLUICE_RECORDS_EDITOR (input_of (&f, "schema"));
  type_row = sluice_field_editor_get_input (sluice_records_editor_get_editor (schema, 1, "type"));
  g_assert_true (ADW_IS_ENTRY_ROW (type_row));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (type_row)), ==, "bigint");
  g_assert_true (gtk_widget_activate_action (type_row, "field.set-type", "s", "decimal(10,2)"));
  value = config_of (&f, "count_per_country", "schema");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (value), 1), "type"),
                   ==, "decimal(10,2)");
  gtk_editable_set_text (GTK_EDITABLE (type_row), "decimal(x)");
  g_assert_true (gtk_widget_has_css_class (type_row, "error"));
  gtk_editable_set_text (GTK_EDITABLE (type_row), "date");
  g_assert_false (gtk_widget_has_css_class (type_row, "error"));
  g_assert_true (sluice_pipeline_undo (f.pipeline));
  value = config_of (&f, "count_per_country", "schema");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (json_node_get_array (value), 1), "type"),
                   ==, "bigint");
  fixture_close (&f);
}

static void
test_completion_offers_input_columns_and_functions (void)
{
  Fixture f = { 0 };
  SluiceCompletionProvider *completion;
  g_autoptr(GListModel) all = NULL, con = NULL, st = NULL;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");
  select_gem (&f, "completed_orders");
  completion = sluice_inspector_get_completion (f.inspector);

  all = sluice_completion_provider_list_proposals (completion, "");
  g_assert_true (has_proposal (all, "status"));
  g_assert_true (has_proposal (all, "order_id"));
  g_assert_true (has_proposal (all, "concat"));
  con = sluice_completion_provider_list_proposals (completion, "CON");
  g_assert_true (has_proposal (con, "concat"));
  g_assert_true (has_proposal (con, "concat_ws"));
  g_assert_false (has_proposal (con, "status"));
  st = sluice_completion_provider_list_proposals (completion, "st");
  {
    g_autoptr(SluiceCompletionProposal) first = g_list_model_get_item (st, 0);
    /* Columns come before functions. */
    g_assert_cmpstr (sluice_completion_proposal_get_text (first), ==, "status");
    g_assert_cmpint (sluice_completion_proposal_get_kind (first), ==, SLUICE_COMPLETION_COLUMN);
    g_assert_cmpstr (sluice_completion_proposal_get_detail (first), ==, "string");
  }

  /* The Join sees every input's columns. */
  select_gem (&f, "join_customers_products");
  {
    g_autoptr(GListModel) join = sluice_completion_provider_list_proposals (completion, NULL);
    g_assert_true (has_proposal (join, "first_name"));
    g_assert_true (has_proposal (join, "product_name"));
  }
  fixture_close (&f);
}

static void
test_the_language_knows_every_catalog_function (void)
{
  g_autoptr(GBytes) bytes = g_resources_lookup_data ("/dev/sluice/Sluice/language-specs/sluice-sparksql.lang", 0, NULL);
  const char *text;

  g_assert_nonnull (bytes);
  text = g_bytes_get_data (bytes, NULL);
  for (const SluiceFunction *fn = sluice_function_list (); fn->name; fn++)
    {
      g_autofree char *keyword = g_strdup_printf ("<keyword>%s</keyword>", fn->name);
      if (strstr (text, keyword) == NULL)
        g_error ("sluice-sparksql.lang lacks the function %s", fn->name);
    }
  if (have_display)
    {
      GtkSourceLanguage *lang = gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (),
                                                                          "sluice-sparksql");
      GtkWidget *inspector = sluice_inspector_new ();   /* extends the search path */

      g_object_ref_sink (inspector);
      (void) lang;
      g_assert_nonnull (gtk_source_language_manager_get_language (gtk_source_language_manager_get_default (),
                                                                  "sluice-sparksql"));
      g_object_unref (inspector);
    }
}

static void
count_cb (GObject    *object,
          GParamSpec *pspec,
          guint      *count)
{
  (*count)++;
}

static void
test_gem_id_notifies_and_the_form_empties (void)
{
  Fixture f = { 0 };
  guint notified = 0;
  const char *ids[] = { "completed_orders", NULL };
  GtkWidget *lone;

  if (!have_display)
    {
      g_test_skip ("no display");
      return;
    }
  fixture_open (&f, "orders_enriched");
  g_signal_connect (f.inspector, "notify::gem-id", G_CALLBACK (count_cb), &notified);
  select_gem (&f, "completed_orders");
  g_assert_cmpuint (notified, ==, 1);
  select_gem (&f, "completed_orders");
  g_assert_cmpuint (notified, ==, 1);

  /* A gem deleted elsewhere leaves nothing to inspect. */
  g_assert_true (sluice_pipeline_remove_gems (f.pipeline, ids, NULL));
  g_assert_null (sluice_inspector_get_gem_id (f.inspector));
  g_assert_null (sluice_inspector_get_editor (f.inspector, "condition"));
  g_assert_cmpuint (notified, ==, 2);
  fixture_close (&f);

  lone = g_object_ref_sink (sluice_inspector_new ());
  g_assert_finalize_object (lone);
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

  g_test_add_func ("/sluice/ui/inspector/rows-follow-the-field-kinds", test_rows_follow_the_field_kinds);
  g_test_add_func ("/sluice/ui/inspector/an-expression-edit-is-one-undo-step-with-inline-diagnostics",
                   test_an_expression_edit_is_one_undo_step_with_inline_diagnostics);
  g_test_add_func ("/sluice/ui/inspector/label-and-records-edits-are-undoable", test_label_and_records_edits_are_undoable);
  g_test_add_func ("/sluice/ui/inspector/completion-offers-input-columns-and-functions",
                   test_completion_offers_input_columns_and_functions);
  g_test_add_func ("/sluice/ui/inspector/the-language-knows-every-catalog-function",
                   test_the_language_knows_every_catalog_function);
  g_test_add_func ("/sluice/ui/inspector/gem-id-notifies-and-the-form-empties", test_gem_id_notifies_and_the_form_empties);
  g_test_add_func ("/sluice/ui/inspector/choices-show-titles-and-types-are-picked",
                   test_choices_show_titles_and_types_are_picked);
  g_test_add_func ("/sluice/ui/inspector/inputs-are-added-and-removed-as-one-step",
                   test_inputs_are_added_and_removed_as_one_step);

  {
    int rc = g_test_run ();
    g_clear_object (&app);
    return rc;
  }
}
