/* Pipelines: the file format round trip, validation, and every edit with
 * its undo. */
#include "config.h"

#include "sluice-core.h"
#include "sluice-json-doc.h"

static GBytes *
fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "core", "data", name, NULL);
  g_autoptr(GError) error = NULL;
  char *contents;
  gsize len;

  g_file_get_contents (path, &contents, &len, &error);
  g_assert_no_error (error);
  return g_bytes_new_take (contents, len);
}

static SluicePipeline *
load_text (const char *text,
           GPtrArray  *diagnostics,
           GError    **error)
{
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  return sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, diagnostics, error);
}

static SluicePipeline *
load_fixture (const char *name)
{
  g_autoptr(GBytes) bytes = fixture (name);
  g_autoptr(GError) error = NULL;
  SluicePipeline *p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, NULL, &error);

  g_assert_no_error (error);
  g_assert_nonnull (p);
  return p;
}

static char *
text_of (SluicePipeline *p)
{
  g_autoptr(GBytes) bytes = sluice_pipeline_to_bytes (p);
  return g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
}

/* Every problem as the CLI prints it, one per line. */
static char *
problems_of (SluicePipeline *p,
             GListModel     *datasets)
{
  g_autoptr(GPtrArray) problems = sluice_pipeline_validate (p, datasets);
  g_autoptr(GString) out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *s = sluice_diagnostic_to_string (g_ptr_array_index (problems, i));
      g_string_append_printf (out, "%s\n", s);
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static void
test_load_save_is_byte_identical (void)
{
  static const char * const names[] = { "pipeline-full.json", "pipeline-empty.json" };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    {
      g_autoptr(GBytes) original = fixture (names[i]);
      g_autoptr(SluicePipeline) p = load_fixture (names[i]);
      g_autoptr(GBytes) saved = sluice_pipeline_to_bytes (p);

      g_test_message ("%s", names[i]);
      g_assert_cmpmem (g_bytes_get_data (saved, NULL), g_bytes_get_size (saved),
                       g_bytes_get_data (original, NULL), g_bytes_get_size (original));
      g_assert_false (sluice_pipeline_get_dirty (p));
    }
}

static void
test_load_reads_the_model (void)
{
  g_autoptr(SluicePipeline) p = load_fixture ("pipeline-full.json");
  SluiceGem *gem;
  GListModel *inputs;
  g_autoptr(SluicePort) port = NULL;

  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, 8);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, 7);
  g_assert_cmpstr (sluice_pipeline_get_description (p), ==, "Every kind of member, including keys from a newer Sluice");

  gem = sluice_pipeline_find_gem (p, "customers");
  g_assert_cmpstr (sluice_gem_get_label (gem), ==, "Customers — Zoë's");
  g_assert_cmpint (sluice_gem_get_y (gem), ==, 260);
  g_assert_cmpstr (sluice_gem_get_config_string (gem, "dataset"), ==, "customers");
  g_assert_cmpstr (sluice_gem_type_get_name (sluice_gem_get_gem_type (gem)), ==, "Source");

  gem = sluice_pipeline_find_gem (p, "by_country");
  inputs = sluice_gem_get_inputs (gem);
  g_assert_cmpuint (g_list_model_get_n_items (inputs), ==, 1);
  port = g_list_model_get_item (inputs, 0);
  g_assert_cmpstr (sluice_port_get_name (port), ==, "enriched");
  g_assert_nonnull (sluice_gem_find_port (gem, SLUICE_PORT_OUTPUT, "out"));
  g_assert_null (sluice_gem_find_port (gem, SLUICE_PORT_INPUT, "in0"));

  gem = sluice_pipeline_find_gem (p, "top");
  g_assert_cmpint (sluice_gem_get_x (gem), ==, -40);
  g_assert_cmpint (json_node_get_int (sluice_gem_get_config (gem, "count")), ==, 100);

  g_assert_null (sluice_pipeline_find_gem (p, "nope"));
}

typedef struct
{
  const char *name;
  const char *text;
  const char *problems;
} ValidateCase;

#define GEM(id, type, x, config) \
  "    {\n      \"id\": \"" id "\",\n      \"type\": \"" type "\",\n      \"label\": \"" id "\",\n" \
  "      \"position\": {\"x\": " #x ", \"y\": 0},\n      \"config\": " config "\n    }"

static const ValidateCase validate_cases[] = {
  { "clean",
    "{\n  \"format_version\": 1,\n  \"gems\": [\n"
    GEM ("a", "Source", 0, "{\"dataset\": \"orders\"}") ",\n"
    GEM ("b", "Filter", 1, "{\"condition\": \"x > 1\"}") "\n"
    "  ],\n  \"edges\": [\n    {\"from\": \"a.out\", \"to\": \"b.in0\"}\n  ]\n}\n",
    "" },
  { "duplicate ids",
    "{\n  \"format_version\": 1,\n  \"gems\": [\n"
    GEM ("a", "Source", 0, "{\"dataset\": \"orders\"}") ",\n"
    GEM ("a", "Source", 1, "{\"dataset\": \"orders\"}") "\n"
    "  ],\n  \"edges\": []\n}\n",
    "pipelines/p.json:11:5: error: duplicate gem id “a”\n" },
  { "dangling edges and wrong directions",
    "{\n  \"format_version\": 1,\n  \"gems\": [\n"
    GEM ("a", "Source", 0, "{\"dataset\": \"orders\"}") ",\n"
    GEM ("b", "Filter", 1, "{\"condition\": \"x\"}") "\n"
    "  ],\n  \"edges\": [\n"
    "    {\"from\": \"a.out\", \"to\": \"b.in0\"},\n"
    "    {\"from\": \"ghost.out\", \"to\": \"b.in1\"},\n"
    "    {\"from\": \"b.in0\", \"to\": \"a.out\"}\n"
    "  ]\n}\n",
    "pipelines/p.json:21:5: error: edge ghost.out → b.in1: gem “b” has no input “in1”\n"
    "pipelines/p.json:21:5: error: edge ghost.out → b.in1: there is no gem “ghost”\n"
    "pipelines/p.json:22:5: error: edge b.in0 → a.out ends at an output; edges go from an output to an input\n"
    "pipelines/p.json:22:5: error: edge b.in0 → a.out starts at an input; edges go from an output to an input\n" },
  { "cycle, unconnected input, double wire",
    "{\n  \"format_version\": 1,\n  \"gems\": [\n"
    GEM ("a", "Filter", 0, "{\"condition\": \"x\"}") ",\n"
    GEM ("b", "Filter", 1, "{\"condition\": \"x\"}") ",\n"
    GEM ("c", "Filter", 2, "{\"condition\": \"x\"}") ",\n"
    GEM ("s", "Source", 3, "{\"dataset\": \"orders\"}") ",\n"
    GEM ("t", "Target", 4, "{\"dataset\": \"orders\"}") "\n"
    "  ],\n  \"edges\": [\n"
    "    {\"from\": \"a.out\", \"to\": \"b.in0\"},\n"
    "    {\"from\": \"b.out\", \"to\": \"c.in0\"},\n"
    "    {\"from\": \"c.out\", \"to\": \"a.in0\"},\n"
    "    {\"from\": \"s.out\", \"to\": \"c.in0\"}\n"
    "  ]\n}\n",
    "pipelines/p.json:4:5: error: the gems a → b → c → a form a cycle\n"
    "pipelines/p.json:32:5: error: gem “t”: input “in0” is not connected\n"
    "pipelines/p.json:44:5: error: input “in0” of gem “c” has more than one edge\n" },
  { "types, arity and configuration",
    "{\n  \"format_version\": 1,\n  \"gems\": [\n"
    GEM ("j", "Join", 0, "{\"joins\": [{\"input\": \"in1\", \"type\": \"sideways\", \"condition\": \"\"}]}") ",\n"
    GEM ("x", "Joinn", 1, "{}") ",\n"
    GEM ("l", "Limit", 2, "{\"count\": \"ten\"}") ",\n"
    GEM ("s", "Source", 3, "{\"dataset\": \"nowhere\"}") ",\n"
    GEM ("Bad-Id", "Source", 4, "{\"dataset\": 7}") "\n"
    "  ],\n  \"edges\": []\n}\n",
    "pipelines/p.json:4:5: error: gem “j”: input “in0” is not connected\n"
    "pipelines/p.json:4:5: error: gem “j”: input “in1” is not connected\n"
    "pipelines/p.json:9:53: error: gem “j”: “joins 1 type” must be one of inner, left, right, full, semi, anti, not “sideways”\n"
    "pipelines/p.json:9:78: error: gem “j”: “joins 1 condition” is empty\n"
    "pipelines/p.json:13:15: error: gem “x”: unknown gem type “Joinn”\n"
    "pipelines/p.json:18:5: error: gem “l”: input “in0” is not connected\n"
    "pipelines/p.json:23:27: error: gem “l”: “count” must be an integer, not a string\n"
    "pipelines/p.json:30:29: error: gem “s”: there is no dataset “nowhere” in the project\n"
    "pipelines/p.json:32:5: error: gem id “Bad-Id” is not valid: use lower-case letters, digits and underscores, starting with a letter, at most 64 characters\n"
    "pipelines/p.json:37:29: error: gem “Bad-Id”: “dataset” must be a string, not an integer\n" },
};

static void
test_validate_reports_every_problem_with_its_place (void)
{
  g_autoptr(GListStore) datasets = g_list_store_new (SLUICE_TYPE_DATASET);
  g_autoptr(SluiceDataset) orders = sluice_dataset_new ("orders");

  g_list_store_append (datasets, orders);

  for (guint i = 0; i < G_N_ELEMENTS (validate_cases); i++)
    {
      const ValidateCase *c = &validate_cases[i];
      g_autoptr(GError) error = NULL;
      g_autoptr(SluicePipeline) p = NULL;
      g_autofree char *problems = NULL;

      g_test_message ("case: %s", c->name);
      p = load_text (c->text, NULL, &error);
      g_assert_no_error (error);
      problems = problems_of (p, G_LIST_MODEL (datasets));
      g_assert_cmpstr (problems, ==, c->problems);
    }
}

typedef struct
{
  const char *text;
  const char *problems;
} ShapeCase;

static const ShapeCase shape_cases[] = {
  { "[]", "pipelines/p.json:1:1: error: expected an object at the top of the file, found an array\n" },
  { "{\"gems\": [], \"edges\": []}", "pipelines/p.json:1:1: error: missing “format_version”\n" },
  { "{\"format_version\": \"1\", \"gems\": [], \"edges\": []}",
    "pipelines/p.json:1:20: error: “format_version” must be an integer, not a string\n" },
  { "{\"format_version\": 1, \"gems\": {}, \"edges\": []}",
    "pipelines/p.json:1:31: error: the pipeline: “gems” must be an array, not an object\n" },
  { "{\"format_version\": 1, \"gems\": [],\n \"edges\": [{\"from\": \"a\", \"to\": \"b.c.d\"}, 5]}",
    "pipelines/p.json:2:21: error: edge 1: “a” is not of the form GEM.PORT\n"
    "pipelines/p.json:2:32: error: edge 1: “b.c.d” is not of the form GEM.PORT\n"
    "pipelines/p.json:2:42: error: edge 2 must be an object, not an integer\n" },
  { "{\"format_version\": 1, \"edges\": [],\n \"gems\": [{\"id\": \"a\", \"type\": \"Filter\", \"label\": \"A\",\n"
    " \"position\": {\"x\": 1.5, \"y\": 99999999999}, \"config\": []}, {\"id\": 1}]}",
    "pipelines/p.json:3:14: error: gem “a”: position out of range\n"
    "pipelines/p.json:3:20: error: gem “a”: “x” must be an integer, not a number\n"
    "pipelines/p.json:3:54: error: gem “a”: “config” must be an object, not an array\n"
    "pipelines/p.json:3:59: error: gem 2: missing “config”\n"
    "pipelines/p.json:3:59: error: gem 2: missing “label”\n"
    "pipelines/p.json:3:59: error: gem 2: missing “position”\n"
    "pipelines/p.json:3:59: error: gem 2: missing “type”\n"
    "pipelines/p.json:3:66: error: gem 2: “id” must be a string, not an integer\n" },
  { "{\"format_version\": 1, \"gems\": [], \"edges\": [], \"x\": \"\\ud800\"}",
    "pipelines/p.json:1:54: error: unpaired high surrogate “\\uD800”\n" },
  { "{\"format_version\": 1, \"gems\": [], \"edges\": [", "pipelines/p.json:1:44: error: unterminated array (missing “]”)\n" },
};

static void
test_load_rejects_bad_shapes_with_every_problem (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (shape_cases); i++)
    {
      const ShapeCase *c = &shape_cases[i];
      g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr(GError) error = NULL;
      g_autoptr(SluicePipeline) p = NULL;
      g_autoptr(GString) got = g_string_new (NULL);

      g_test_message ("case %u: %s", i, c->text);
      p = load_text (c->text, diagnostics, &error);
      g_assert_null (p);
      g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE);
      g_assert_true (g_str_has_prefix (error->message, "pipelines/p.json:"));

      g_ptr_array_sort (diagnostics, sluice_diagnostic_compare);
      for (guint j = 0; j < diagnostics->len; j++)
        {
          g_autofree char *s = sluice_diagnostic_to_string (g_ptr_array_index (diagnostics, j));
          g_string_append_printf (got, "%s\n", s);
        }
      g_assert_cmpstr (got->str, ==, c->problems);
    }
}

static void
test_load_refuses_a_newer_format (void)
{
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluicePipeline) p = load_text ("{\n  \"format_version\": 7,\n  \"gems\": \"anything\"\n}\n",
                                           diagnostics, &error);
  g_autoptr(SluicePipeline) broken = NULL;
  g_autoptr(GError) edit_error = NULL;
  g_autoptr(GFile) file = g_file_new_for_path ("/nonexistent/never-written.json");
  g_autoptr(GError) save_error = NULL;

  g_assert_null (p);
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_NEWER_FORMAT);
  g_assert_cmpstr (error->message, ==,
                   "pipelines/p.json:2:21: error: written by a newer Sluice (format 7); "
                   "this Sluice reads format 1 and will not change the file");
  g_assert_cmpuint (diagnostics->len, ==, 1);

  /* Listed, but neither editable nor saved over. */
  broken = sluice_pipeline_new_broken ("p", "pipelines/p.json", error);
  g_assert_nonnull (sluice_pipeline_get_load_error (broken));
  g_assert_null (sluice_pipeline_add_gem (broken, "Filter", "F", 0, 0, &edit_error));
  g_assert_error (edit_error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
  g_assert_false (sluice_pipeline_save (broken, file, NULL, &save_error));
  g_assert_error (save_error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
  g_assert_nonnull (strstr (save_error->message, "will not overwrite"));
  g_assert_finalize_object (g_steal_pointer (&broken));
}

static void
test_unknown_keys_survive_edits (void)
{
  g_autoptr(SluicePipeline) p = load_fixture ("pipeline-full.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  /* Renaming touches the edge that carries an unknown key. */
  g_assert_true (sluice_pipeline_rename_gem (p, "customers", "clients", &error));
  g_assert_no_error (error);
  text = text_of (p);
  g_assert_nonnull (strstr (text, "{\"from\": \"clients.out\", \"to\": \"join_customers.in1\", \"style\": \"dashed\"}"));
  g_assert_nonnull (strstr (text, "      \"color\": \"#3584e4\"\n"));
  g_assert_nonnull (strstr (text, "        \"hint\": {\n"));
  g_assert_nonnull (strstr (text, "            \"comment\": \"kept\"\n"));
  g_assert_nonnull (strstr (text, "  \"layout\": {\n"));
}

static void
test_moving_a_gem_changes_only_its_position_line (void)
{
  g_autoptr(SluicePipeline) p = load_fixture ("pipeline-full.json");
  g_autofree char *before = text_of (p);
  g_autofree char *after = NULL;
  g_auto(GStrv) a = NULL, b = NULL;
  guint changed = 0;
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "order_date >= DATE'2025-01-01'");

  g_assert_true (sluice_pipeline_set_position (p, "recent_orders", 333, 144, NULL));
  after = text_of (p);
  a = g_strsplit (before, "\n", -1);
  b = g_strsplit (after, "\n", -1);
  g_assert_cmpuint (g_strv_length (a), ==, g_strv_length (b));
  for (guint i = 0; a[i]; i++)
    if (!g_str_equal (a[i], b[i]))
      {
        changed++;
        g_assert_cmpstr (b[i], ==, "      \"position\": {\"x\": 333, \"y\": 144},");
      }
  g_assert_cmpuint (changed, ==, 1);

  /* And one expression edit is one line. */
  g_clear_pointer (&before, g_free);
  before = g_steal_pointer (&after);
  g_assert_true (sluice_pipeline_set_config (p, "recent_orders", "condition", value, NULL));
  after = text_of (p);
  g_strfreev (a);
  g_strfreev (b);
  a = g_strsplit (before, "\n", -1);
  b = g_strsplit (after, "\n", -1);
  changed = 0;
  for (guint i = 0; a[i]; i++)
    changed += !g_str_equal (a[i], b[i]);
  g_assert_cmpuint (changed, ==, 1);
}

static void
count_cb (gpointer instance,
          gpointer arg,
          guint   *counter)
{
  (*counter)++;
}

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           guint      *counter)
{
  (*counter)++;
}

static void
test_edits_and_their_undo (void)
{
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("p");
  g_autoptr(GPtrArray) steps = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) cond = json_node_init_string (json_node_alloc (), "amount > 10");
  const char *ids[] = { "orders", NULL };
  guint added = 0, removed = 0, edges_added = 0, edges_removed = 0, changed = 0;
  SluiceGem *a, *b, *c;
  SluiceEdge *e;

  g_signal_connect (p, "gem-added", G_CALLBACK (count_cb), &added);
  g_signal_connect (p, "gem-removed", G_CALLBACK (count_cb), &removed);
  g_signal_connect (p, "edge-added", G_CALLBACK (count_cb), &edges_added);
  g_signal_connect (p, "edge-removed", G_CALLBACK (count_cb), &edges_removed);
  g_signal_connect (p, "changed", G_CALLBACK (count_cb), &changed);

  g_ptr_array_add (steps, text_of (p));
  a = sluice_pipeline_add_gem (p, "Source", "Orders", 10, 20, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sluice_gem_get_id (a), ==, "orders");
  g_ptr_array_add (steps, text_of (p));
  b = sluice_pipeline_add_gem (p, "Filter", "Big orders!", 200, 20, &error);
  g_assert_cmpstr (sluice_gem_get_id (b), ==, "big_orders");
  g_ptr_array_add (steps, text_of (p));
  c = sluice_pipeline_add_gem (p, "Filter", "Big orders", 400, 20, &error);
  g_assert_cmpstr (sluice_gem_get_id (c), ==, "big_orders_2");
  g_ptr_array_add (steps, text_of (p));
  e = sluice_pipeline_connect (p, "orders", "out", "big_orders", "in0", &error);
  g_assert_no_error (error);
  g_assert_nonnull (e);
  g_ptr_array_add (steps, text_of (p));
  g_assert_nonnull (sluice_pipeline_connect (p, "big_orders", "out", "big_orders_2", "in0", &error));
  g_ptr_array_add (steps, text_of (p));
  g_assert_true (sluice_pipeline_set_config (p, "big_orders", "condition", cond, &error));
  g_ptr_array_add (steps, text_of (p));
  g_assert_true (sluice_pipeline_set_label (p, "big_orders", "Large orders", &error));
  g_ptr_array_add (steps, text_of (p));
  g_assert_true (sluice_pipeline_rename_gem (p, "big_orders", "large_orders", &error));
  g_assert_no_error (error);
  g_assert_null (sluice_pipeline_find_gem (p, "big_orders"));
  g_assert_true (sluice_pipeline_find_gem (p, "large_orders") == b);
  g_ptr_array_add (steps, text_of (p));
  g_assert_true (sluice_pipeline_move_gems (p, (const char *[]) { "orders", "large_orders", NULL }, 5, -5, &error));
  g_ptr_array_add (steps, text_of (p));
  g_assert_true (sluice_pipeline_remove_gems (p, ids, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, 1);
  g_ptr_array_add (steps, text_of (p));

  g_assert_cmpuint (added, ==, 3);
  g_assert_cmpuint (removed, ==, 1);
  g_assert_cmpuint (edges_added, ==, 4);   /* two connects, two re-added by the rename */
  g_assert_cmpuint (edges_removed, ==, 3); /* two by the rename, one with the gem */
  g_assert_cmpuint (changed, ==, 10);
  g_assert_cmpstr (sluice_undo_stack_get_undo_label (sluice_pipeline_get_undo_stack (p)), ==, "Delete Orders");

  /* Undo walks back through exactly the same texts, redo forward again. */
  for (guint i = steps->len - 1; i > 0; i--)
    {
      g_autofree char *now = NULL;
      g_assert_true (sluice_pipeline_undo (p));
      now = text_of (p);
      g_assert_cmpstr (now, ==, g_ptr_array_index (steps, i - 1));
    }
  g_assert_false (sluice_pipeline_undo (p));
  for (guint i = 1; i < steps->len; i++)
    {
      g_autofree char *now = NULL;
      g_assert_true (sluice_pipeline_redo (p));
      now = text_of (p);
      g_assert_cmpstr (now, ==, g_ptr_array_index (steps, i));
    }
  g_assert_false (sluice_pipeline_redo (p));

  /* A new edit after undo clears redo. */
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Limit", NULL, 0, 0, &error));
  g_assert_false (sluice_undo_stack_get_can_redo (sluice_pipeline_get_undo_stack (p)));
  g_assert_nonnull (sluice_pipeline_find_gem (p, "limit"));

  g_assert_finalize_object (g_steal_pointer (&p));
}

static void
test_refused_edits_change_nothing (void)
{
  g_autoptr(SluicePipeline) p = load_fixture ("pipeline-full.json");
  g_autofree char *before = text_of (p);
  g_autofree char *after = NULL;
  SluiceUndoStack *undo = sluice_pipeline_get_undo_stack (p);
  struct { const char *from, *from_port, *to, *to_port, *message; } refused[] = {
    { "top", "out", "orders", "in0", "has no input “in0”" },
    { "out", "out", "top", "in0", "has no output “out”" },
    { "orders", "out", "recent_orders", "in0", "is already connected" },
    { "out", "in0", "orders", "out", "has no output “in0”" },
    { "top", "out", "top", "in0", "is already connected" },
    { "ghost", "out", "top", "in0", "There is no gem “ghost”" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (refused); i++)
    {
      g_autoptr(GError) error = NULL;
      g_assert_null (sluice_pipeline_connect (p, refused[i].from, refused[i].from_port,
                                              refused[i].to, refused[i].to_port, &error));
      g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
      g_assert_nonnull (strstr (error->message, refused[i].message));
    }

  /* Cycles: free the Limit's input, then try to feed it from downstream. */
  {
    g_autoptr(GError) error = NULL;
    g_autoptr(GPtrArray) into_top = sluice_pipeline_get_edges_of (p, "top", SLUICE_PORT_INPUT);
    g_autoptr(GPtrArray) into_filter = sluice_pipeline_get_edges_of (p, "recent_orders", SLUICE_PORT_INPUT);

    g_assert_true (sluice_pipeline_disconnect (p, g_ptr_array_index (into_filter, 0), NULL));
    g_assert_null (sluice_pipeline_connect (p, "top", "out", "recent_orders", "in0", &error));
    g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
    g_assert_nonnull (strstr (error->message, "would make a cycle"));
    g_assert_true (sluice_pipeline_undo (p));
    g_assert_cmpuint (into_top->len, ==, 1);
  }

  {
    g_autoptr(GError) error = NULL;
    g_assert_false (sluice_pipeline_rename_gem (p, "top", "orders", &error));
    g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS);
    g_clear_error (&error);
    g_assert_false (sluice_pipeline_rename_gem (p, "top", "Top!", &error));
    g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (sluice_pipeline_set_label (p, "top", "   ", &error));
    g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_null (sluice_pipeline_add_gem (p, "Teleport", "T", 0, 0, &error));
    g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (sluice_pipeline_remove_gems (p, (const char *[]) { "top", "ghost", NULL }, &error));
    g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
    g_clear_error (&error);
    g_assert_false (sluice_pipeline_remove_input (p, "join_customers", "in1", &error));
    g_assert_nonnull (strstr (error->message, "needs at least 2 inputs"));
  }

  after = text_of (p);
  g_assert_cmpstr (after, ==, before);
  g_assert_false (sluice_undo_stack_get_can_undo (undo) && sluice_pipeline_get_dirty (p));
}

static void
test_variable_inputs (void)
{
  g_autoptr(SluicePipeline) p = load_fixture ("pipeline-full.json");
  g_autoptr(GError) error = NULL;
  SluiceGem *join = sluice_pipeline_find_gem (p, "join_customers");
  SluiceGem *sql = sluice_pipeline_find_gem (p, "by_country");

  g_assert_true (sluice_pipeline_add_input (p, "join_customers", NULL, &error));
  g_assert_no_error (error);
  g_assert_nonnull (sluice_gem_find_port (join, SLUICE_PORT_INPUT, "in2"));
  g_assert_nonnull (sluice_pipeline_connect (p, "customers", "out", "join_customers", "in2", &error));
  g_assert_false (sluice_pipeline_remove_input (p, "join_customers", "in2", &error));
  g_assert_nonnull (strstr (error->message, "disconnect it first"));
  g_clear_error (&error);

  g_assert_true (sluice_pipeline_add_input (p, "by_country", "customers", &error));
  g_assert_false (sluice_pipeline_add_input (p, "by_country", "customers", &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_false (sluice_pipeline_add_input (p, "by_country", "1bad", &error));
  g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
  g_clear_error (&error);
  g_assert_false (sluice_pipeline_add_input (p, "top", NULL, &error));
  g_assert_nonnull (strstr (error->message, "cannot take more inputs"));
  g_clear_error (&error);

  g_assert_cmpuint (g_list_model_get_n_items (sluice_gem_get_inputs (sql)), ==, 2);
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_gem_get_inputs (sql)), ==, 1);
}

static const char *
join_input_at (SluicePipeline *p,
               guint           i)
{
  JsonNode *joins = sluice_gem_get_config (sluice_pipeline_find_gem (p, "join_customers"), "joins");
  JsonArray *array = json_node_get_array (joins);

  return json_object_get_string_member (json_array_get_object_element (array, i), "input");
}

static guint
n_join_records (SluicePipeline *p)
{
  JsonNode *joins = sluice_gem_get_config (sluice_pipeline_find_gem (p, "join_customers"), "joins");

  return joins ? json_array_get_length (json_node_get_array (joins)) : 0;
}

/* A Join's per-input records follow its inputs in the core, so every caller
 * (inspector, command line, undo) gets them, in one undo step. */
static void
test_join_records_follow_inputs (void)
{
  g_autoptr(SluicePipeline) p = load_fixture ("pipeline-full.json");
  g_autoptr(GError) error = NULL;
  g_autofree char *before = text_of (p);
  g_autofree char *text = NULL;
  SluiceUndoStack *undo = sluice_pipeline_get_undo_stack (p);
  JsonObject *record;
  guint n = n_join_records (p);
  guint steps = sluice_undo_stack_get_depth (undo);

  g_assert_cmpuint (n, >=, 1);
  g_assert_true (sluice_pipeline_add_input (p, "join_customers", NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_join_records (p), ==, n + 1);
  g_assert_cmpstr (join_input_at (p, n), ==, "in2");
  record = json_array_get_object_element (json_node_get_array (sluice_gem_get_config (sluice_pipeline_find_gem (p, "join_customers"), "joins")), n);
  g_assert_cmpstr (json_object_get_string_member (record, "type"), ==, "inner");
  g_assert_cmpstr (json_object_get_string_member (record, "condition"), ==, "");
  /* One step: one undo takes both back. */
  g_assert_cmpuint (sluice_undo_stack_get_depth (undo), ==, steps + 1);
  g_assert_cmpstr (sluice_undo_stack_get_undo_label (undo), ==, "Add input");
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_cmpuint (n_join_records (p), ==, n);
  text = text_of (p);
  g_assert_cmpstr (text, ==, before);
  g_assert_true (sluice_pipeline_redo (p));
  g_assert_cmpuint (n_join_records (p), ==, n + 1);

  /* Removing an input drops its record, and only its record. */
  g_assert_true (sluice_pipeline_remove_input (p, "join_customers", "in2", &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_join_records (p), ==, n);
  for (guint i = 0; i < n; i++)
    g_assert_cmpstr (join_input_at (p, i), !=, "in2");
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_cmpuint (n_join_records (p), ==, n + 1);
  g_assert_cmpstr (join_input_at (p, n), ==, "in2");

  /* Other gems with variable inputs get no records. */
  g_assert_true (sluice_pipeline_add_input (p, "by_country", "customers", &error));
  g_assert_null (sluice_gem_get_config (sluice_pipeline_find_gem (p, "by_country"), "joins"));
}

static void
test_a_drag_is_one_step (void)
{
  g_autoptr(SluicePipeline) p = load_fixture ("pipeline-full.json");
  g_autofree char *before = text_of (p);
  g_autofree char *after_drag = NULL;
  g_autofree char *restored = NULL;
  SluiceGem *gem = sluice_pipeline_find_gem (p, "orders");
  SluiceUndoStack *undo = sluice_pipeline_get_undo_stack (p);
  const char *ids[] = { "orders", "customers", NULL };
  guint x_notifies = 0, dirty_notifies = 0;

  g_signal_connect (gem, "notify::x", G_CALLBACK (notify_cb), &x_notifies);
  g_signal_connect (p, "notify::dirty", G_CALLBACK (notify_cb), &dirty_notifies);

  sluice_pipeline_begin_group (p, "Move gems");
  for (int i = 1; i <= 50; i++)
    g_assert_true (sluice_pipeline_move_gems (p, ids, 2, 1, NULL));
  sluice_pipeline_end_group (p);

  g_assert_cmpint (sluice_gem_get_x (gem), ==, 180);
  g_assert_cmpuint (x_notifies, ==, 50);
  g_assert_cmpuint (sluice_undo_stack_get_depth (undo), ==, 1);
  g_assert_cmpstr (sluice_undo_stack_get_undo_label (undo), ==, "Move gems");
  g_assert_cmpuint (dirty_notifies, ==, 1);
  after_drag = text_of (p);

  g_assert_true (sluice_pipeline_undo (p));
  restored = text_of (p);
  g_assert_cmpstr (restored, ==, before);
  g_assert_cmpint (sluice_gem_get_x (gem), ==, 80);
  g_assert_false (sluice_pipeline_get_dirty (p));
  g_assert_cmpuint (dirty_notifies, ==, 2);

  g_assert_true (sluice_pipeline_redo (p));
  g_free (restored);
  restored = text_of (p);
  g_assert_cmpstr (restored, ==, after_drag);

  /* An empty group leaves no step. */
  sluice_pipeline_begin_group (p, "Nothing");
  sluice_pipeline_end_group (p);
  g_assert_cmpuint (sluice_undo_stack_get_depth (undo), ==, 1);
}

static void
test_a_paste_is_one_step (void)
{
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("p");
  SluiceUndoStack *undo = sluice_pipeline_get_undo_stack (p);

  sluice_pipeline_begin_group (p, "Paste");
  for (int i = 0; i < 20; i++)
    {
      g_autofree char *label = g_strdup_printf ("Step %d", i);
      g_assert_nonnull (sluice_pipeline_add_gem (p, "Filter", label, i * 10, 0, NULL));
      if (i > 0)
        {
          g_autofree char *prev = g_strdup_printf ("step_%d", i - 1);
          g_autofree char *cur = g_strdup_printf ("step_%d", i);
          g_assert_nonnull (sluice_pipeline_connect (p, prev, "out", cur, "in0", NULL));
        }
    }
  sluice_pipeline_end_group (p);

  g_assert_cmpuint (sluice_undo_stack_get_depth (undo), ==, 1);
  g_assert_cmpstr (sluice_undo_stack_get_undo_label (undo), ==, "Paste");
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, 0);
  g_assert_true (sluice_pipeline_redo (p));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, 20);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, 19);
}

static void
test_ids_from_labels (void)
{
  struct { const char *label, *id; } cases[] = {
    { "Recent orders", "recent_orders" },
    { "  Zoë's Orders (2024) ", "zoe_s_orders_2024" },
    { "2024 revenue", "_2024_revenue" },
    { "!!!", "gem" },
    { "日本", "gem" },
    { "CamelCaseLabel", "camelcaselabel" },
  };
  g_autofree char *long_label = g_strnfill (200, 'a');
  g_autofree char *long_id = sluice_gem_id_from_label (long_label);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *id = sluice_gem_id_from_label (cases[i].label);
      g_assert_cmpstr (id, ==, cases[i].id);
      g_assert_true (sluice_gem_id_is_valid (id));
    }
  g_assert_cmpuint (strlen (long_id), ==, SLUICE_GEM_ID_MAX);
  g_assert_true (sluice_gem_id_is_valid (long_id));
  g_assert_false (sluice_gem_id_is_valid ("Upper"));
  g_assert_false (sluice_gem_id_is_valid ("a.b"));
  g_assert_false (sluice_gem_id_is_valid (""));
}

static void
test_config_keys_are_written_in_catalog_order (void)
{
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("p");
  g_autoptr(JsonNode) mode = json_node_init_string (json_node_alloc (), "append");
  g_autoptr(JsonNode) dataset = json_node_init_string (json_node_alloc (), "orders");
  g_autofree char *text = NULL;

  g_assert_nonnull (sluice_pipeline_add_gem (p, "Target", "Out", 0, 0, NULL));
  /* Set in the "wrong" order… */
  g_assert_true (sluice_pipeline_set_config (p, "out", "mode", mode, NULL));
  g_assert_true (sluice_pipeline_set_config (p, "out", "dataset", dataset, NULL));
  text = text_of (p);
  /* …written in the catalog's. */
  g_assert_nonnull (strstr (text, "      \"config\": {\n        \"dataset\": \"orders\",\n        \"mode\": \"append\"\n      }"));
}


/* Every choice of every ENUM, sub-fields included, has a title. */
static void
check_choice_titles (const SluiceConfigField *f)
{
  if (f->kind == SLUICE_FIELD_ENUM)
    {
      g_assert_nonnull (f->choice_titles);
      g_assert_cmpuint (g_strv_length ((char **) f->choice_titles), ==, g_strv_length ((char **) f->choices));
    }
  for (const SluiceConfigField *sub = f->fields; sub && sub->name; sub++)
    check_choice_titles (sub);
}

static void
test_catalog_describes_every_gem (void)
{
  GListModel *types = sluice_gem_type_list ();
  static const char * const expected[] = {
    "Source", "Target", "Reformat", "Filter", "Join", "Aggregate", "OrderBy", "Limit",
    "Deduplicate", "SetOperation", "SchemaTransform", "Window", "SQLStatement", "Script", NULL
  };

  g_assert_cmpuint (g_list_model_get_n_items (types), ==, g_strv_length ((char **) expected));
  for (guint i = 0; expected[i]; i++)
    {
      SluiceGemType *type = sluice_gem_type_lookup (expected[i]);

      g_assert_nonnull (type);
      g_assert_nonnull (sluice_gem_type_get_title (type));
      g_assert_nonnull (sluice_gem_type_get_fields (type));
      g_assert_nonnull (sluice_gem_type_get_fields (type)[0].name);
      for (const SluiceConfigField *f = sluice_gem_type_get_fields (type); f->name; f++)
        {
          g_assert_true (sluice_gem_type_find_field (type, f->name) == f);
          if (f->kind == SLUICE_FIELD_ENUM)
            g_assert_true (f->choices && f->default_value && g_strv_contains (f->choices, f->default_value));
          if (f->kind == SLUICE_FIELD_RECORDS || f->kind == SLUICE_FIELD_SCHEMA)
            g_assert_nonnull (f->fields);
          check_choice_titles (f);
        }
    }
  /* Titles are for people; the file keeps the value. */
  g_assert_cmpstr (sluice_config_field_get_choice_title (
                     sluice_gem_type_find_field (sluice_gem_type_lookup ("Target"), "mode"), "error_if_exists"),
                   ==, "Fail if it exists");
  g_assert_cmpstr (sluice_config_field_get_choice_title (
                     sluice_gem_type_find_field (sluice_gem_type_lookup ("Target"), "mode"), "bogus"), ==, "bogus");
  g_assert_cmpint (sluice_gem_type_find_field (sluice_gem_type_lookup ("Script"), "schema")->fields[1].kind,
                   ==, SLUICE_FIELD_TYPE);
  g_assert_cmpuint (sluice_gem_type_get_max_inputs (sluice_gem_type_lookup ("Join")), ==, G_MAXUINT);
  g_assert_true (sluice_gem_type_has_named_inputs (sluice_gem_type_lookup ("SQLStatement")));
  g_assert_cmpuint (sluice_gem_type_get_n_outputs (sluice_gem_type_lookup ("Target")), ==, 0);
  g_assert_null (sluice_gem_type_lookup ("Joinn"));
}

/* The gem array and the structure version follow every edit that adds,
 * removes or renames a gem or changes an edge, undo included, and nothing
 * else. */
static void
test_gem_array_and_structure_version_follow_edits (void)
{
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("p");
  g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), "amount > 1");
  const char *ids[] = { "b", NULL };
  GPtrArray *gems;
  guint v;

  sluice_pipeline_add_gem (p, "Source", "a", 0, 0, NULL);
  sluice_pipeline_add_gem (p, "Filter", "b", 0, 0, NULL);
  gems = sluice_pipeline_peek_gem_array (p);
  g_assert_cmpuint (gems->len, ==, 2);
  g_assert_cmpstr (sluice_gem_get_id (g_ptr_array_index (gems, 0)), ==, "a");
  g_assert_cmpstr (sluice_gem_get_id (g_ptr_array_index (gems, 1)), ==, "b");
  g_assert_true (sluice_pipeline_peek_gem_array (p) == gems);   /* kept while nothing changes */

  v = sluice_pipeline_get_structure_version (p);
  g_assert_true (sluice_pipeline_set_config (p, "b", "condition", value, NULL));
  g_assert_true (sluice_pipeline_set_position (p, "b", 10, 10, NULL));
  g_assert_true (sluice_pipeline_set_label (p, "b", "Big", NULL));
  g_assert_cmpuint (sluice_pipeline_get_structure_version (p), ==, v);

  g_assert_nonnull (sluice_pipeline_connect (p, "a", "out", "b", "in0", NULL));
  g_assert_cmpuint (sluice_pipeline_get_structure_version (p), !=, v);
  v = sluice_pipeline_get_structure_version (p);
  g_assert_true (sluice_pipeline_rename_gem (p, "b", "big", NULL));
  g_assert_cmpuint (sluice_pipeline_get_structure_version (p), !=, v);

  v = sluice_pipeline_get_structure_version (p);
  g_assert_true (sluice_pipeline_undo (p));   /* the rename */
  g_assert_cmpuint (sluice_pipeline_get_structure_version (p), !=, v);
  g_assert_true (sluice_pipeline_remove_gems (p, ids, NULL));
  gems = sluice_pipeline_peek_gem_array (p);
  g_assert_cmpuint (gems->len, ==, 1);
  g_assert_cmpstr (sluice_gem_get_id (g_ptr_array_index (gems, 0)), ==, "a");
  g_assert_true (sluice_pipeline_undo (p));
  gems = sluice_pipeline_peek_gem_array (p);
  g_assert_cmpuint (gems->len, ==, 2);
  g_assert_cmpstr (sluice_gem_get_id (g_ptr_array_index (gems, 1)), ==, "b");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/pipeline/load-save-is-byte-identical", test_load_save_is_byte_identical);
  g_test_add_func ("/sluice/core/pipeline/load-reads-the-model", test_load_reads_the_model);
  g_test_add_func ("/sluice/core/pipeline/validate-reports-every-problem-with-its-place", test_validate_reports_every_problem_with_its_place);
  g_test_add_func ("/sluice/core/pipeline/load-rejects-bad-shapes-with-every-problem", test_load_rejects_bad_shapes_with_every_problem);
  g_test_add_func ("/sluice/core/pipeline/load-refuses-a-newer-format", test_load_refuses_a_newer_format);
  g_test_add_func ("/sluice/core/pipeline/unknown-keys-survive-edits", test_unknown_keys_survive_edits);
  g_test_add_func ("/sluice/core/pipeline/moving-a-gem-changes-only-its-position-line", test_moving_a_gem_changes_only_its_position_line);
  g_test_add_func ("/sluice/core/pipeline/edits-and-their-undo", test_edits_and_their_undo);
  g_test_add_func ("/sluice/core/pipeline/refused-edits-change-nothing", test_refused_edits_change_nothing);
  g_test_add_func ("/sluice/core/pipeline/variable-inputs", test_variable_inputs);
  g_test_add_func ("/sluice/core/pipeline/join-records-follow-inputs", test_join_records_follow_inputs);
  g_test_add_func ("/sluice/core/pipeline/a-drag-is-one-step", test_a_drag_is_one_step);
  g_test_add_func ("/sluice/core/pipeline/a-paste-is-one-step", test_a_paste_is_one_step);
  g_test_add_func ("/sluice/core/pipeline/ids-from-labels", test_ids_from_labels);
  g_test_add_func ("/sluice/core/pipeline/config-keys-are-written-in-catalog-order", test_config_keys_are_written_in_catalog_order);
  g_test_add_func ("/sluice/core/pipeline/catalog-describes-every-gem", test_catalog_describes_every_gem);
  g_test_add_func ("/sluice/core/pipeline/gem-array-and-structure-version-follow-edits",
                   test_gem_array_and_structure_version_follow_edits);

  return g_test_run ();
}
