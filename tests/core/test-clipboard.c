/* Copy and paste of gems as text (sluice-pipeline-clipboard.c). */
#include "config.h"

#include "sluice-core.h"

/* orders → big → top, and orders → Join.in1 ← customers */
static SluicePipeline *
make_pipeline (void)
{
  SluicePipeline *p = sluice_pipeline_new ("p");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) value = json_node_new (JSON_NODE_VALUE);

  g_assert_nonnull (sluice_pipeline_add_gem (p, "Source", "Orders", 10, 20, &error));
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Filter", "Big", 200, 20, &error));
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Limit", "Top", 400, 40, &error));
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Source", "Customers", 10, 200, &error));
  g_assert_nonnull (sluice_pipeline_add_gem (p, "Join", "Join", 300, 200, &error));
  json_node_set_string (value, "amount > 100");
  g_assert_true (sluice_pipeline_set_config (p, "big", "condition", value, &error));
  g_assert_nonnull (sluice_pipeline_connect (p, "orders", "out", "big", "in0", &error));
  g_assert_nonnull (sluice_pipeline_connect (p, "big", "out", "top", "in0", &error));
  g_assert_nonnull (sluice_pipeline_connect (p, "orders", "out", "join", "in0", &error));
  g_assert_nonnull (sluice_pipeline_connect (p, "customers", "out", "join", "in1", &error));
  g_assert_no_error (error);
  return p;
}

static gboolean
has_edge (SluicePipeline *p,
          const char     *from,
          const char     *to)
{
  GListModel *edges = sluice_pipeline_get_edges (p);

  for (guint i = 0; i < g_list_model_get_n_items (edges); i++)
    {
      g_autoptr(SluiceEdge) e = g_list_model_get_item (edges, i);
      g_autofree char *f = g_strconcat (sluice_edge_get_from_gem (e), ".", sluice_edge_get_from_port (e), NULL);
      g_autofree char *t = g_strconcat (sluice_edge_get_to_gem (e), ".", sluice_edge_get_to_port (e), NULL);
      if (g_str_equal (f, from) && g_str_equal (t, to))
        return TRUE;
    }
  return FALSE;
}

static void
test_copy_writes_the_gems_and_the_edges_among_them (void)
{
  g_autoptr(SluicePipeline) p = make_pipeline ();
  const char *ids[] = { "big", "top", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sluice_pipeline_copy_gems (p, ids, &error);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *root;

  g_assert_no_error (error);
  g_assert_true (json_parser_load_from_data (parser, text, -1, &error));
  root = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpint (json_object_get_int_member (root, "format_version"), ==, SLUICE_FORMAT_VERSION);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "gems")), ==, 2);
  /* orders → big leaves the set, so only big → top is copied. */
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (root, "edges")), ==, 1);
  g_assert_nonnull (g_strstr_len (text, -1, "\"from\": \"big.out\""));
  g_assert_nonnull (g_strstr_len (text, -1, "amount > 100"));

  {
    const char *bad[] = { "big", "nope", NULL };
    g_assert_null (sluice_pipeline_copy_gems (p, bad, &error));
    g_assert_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID);
    g_assert_nonnull (g_strstr_len (error->message, -1, "“nope”"));
  }
}

static void
test_paste_renames_offsets_and_is_one_step (void)
{
  g_autoptr(SluicePipeline) p = make_pipeline ();
  const char *ids[] = { "orders", "big", "top", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sluice_pipeline_copy_gems (p, ids, &error);
  g_auto(GStrv) pasted = NULL;
  guint depth = sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p));
  SluiceGem *gem;

  g_assert_true (sluice_pipeline_paste (p, text, 30, 40, &pasted, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_strv_length (pasted), ==, 3);
  g_assert_cmpstr (pasted[0], ==, "orders_2");
  g_assert_cmpstr (pasted[1], ==, "big_2");
  g_assert_cmpstr (pasted[2], ==, "top_2");
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, 8);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, 6);
  /* The edges follow the renamed ids. */
  g_assert_true (has_edge (p, "orders_2.out", "big_2.in0"));
  g_assert_true (has_edge (p, "big_2.out", "top_2.in0"));
  gem = sluice_pipeline_find_gem (p, "big_2");
  g_assert_cmpint (sluice_gem_get_x (gem), ==, 230);
  g_assert_cmpint (sluice_gem_get_y (gem), ==, 60);
  g_assert_cmpstr (sluice_gem_get_config_string (gem, "condition"), ==, "amount > 100");
  g_assert_cmpstr (sluice_gem_get_label (gem), ==, "Big");
  g_assert_cmpuint (sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p)), ==, depth + 1);

  /* One undo takes the whole paste back. */
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (p)), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (p)), ==, 4);
  g_assert_null (sluice_pipeline_find_gem (p, "orders_2"));
  g_assert_true (sluice_pipeline_redo (p));
  g_assert_true (has_edge (p, "orders_2.out", "big_2.in0"));
}

static void
test_paste_into_another_pipeline_keeps_free_ids_and_places_at_a_point (void)
{
  g_autoptr(SluicePipeline) p = make_pipeline ();
  g_autoptr(SluicePipeline) q = sluice_pipeline_new ("q");
  const char *ids[] = { "customers", "join", NULL };
  g_autoptr(GError) error = NULL;
  g_autofree char *text = sluice_pipeline_copy_gems (p, ids, &error);
  g_auto(GStrv) pasted = NULL;
  GPtrArray *problems;

  g_assert_true (sluice_pipeline_paste_at (q, text, 1000, 500, &pasted, &error));
  g_assert_no_error (error);
  g_assert_cmpstr (pasted[0], ==, "customers");
  g_assert_cmpstr (pasted[1], ==, "join");
  /* The top-left of the set lands on the point; shapes are kept. */
  g_assert_cmpint (sluice_gem_get_x (sluice_pipeline_find_gem (q, "customers")), ==, 1000);
  g_assert_cmpint (sluice_gem_get_y (sluice_pipeline_find_gem (q, "customers")), ==, 500);
  g_assert_cmpint (sluice_gem_get_x (sluice_pipeline_find_gem (q, "join")), ==, 1290);
  /* orders → join.in0 was not copied; customers → join.in1 was. */
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (q)), ==, 1);
  g_assert_true (has_edge (q, "customers.out", "join.in1"));
  problems = sluice_pipeline_validate (q, NULL);
  for (guint i = 0; i < problems->len; i++)
    g_assert_null (g_strstr_len (sluice_diagnostic_get_message (g_ptr_array_index (problems, i)), -1, "cycle"));
  g_ptr_array_unref (problems);
  g_assert_finalize_object (g_steal_pointer (&q));
}

static void
test_bad_or_foreign_text_changes_nothing (void)
{
  static const struct {
    const char *text;
    int         code;
    const char *message;
  } cases[] = {
    { "hello world", SLUICE_MODEL_ERROR_PARSE, "no Sluice gems" },
    { "{\"name\": \"not ours\"}", SLUICE_MODEL_ERROR_PARSE, "no Sluice gems" },
    { "[1, 2]", SLUICE_MODEL_ERROR_PARSE, "no Sluice gems" },
    { "{\"format_version\": 1, \"gems\": [], \"edges\": []}", SLUICE_MODEL_ERROR_PARSE, "no gems" },
    { "{\"format_version\": 9, \"gems\": [], \"edges\": []}", SLUICE_MODEL_ERROR_NEWER_FORMAT, "newer Sluice" },
    { "{\"format_version\": 1, \"gems\": [{\"id\": \"a\"}], \"edges\": []}", SLUICE_MODEL_ERROR_PARSE, "clipboard:1:" },
    { "{\"format_version\": 1, \"gems\": [{\"id\": \"a\", \"type\": \"Teleport\", \"label\": \"A\", "
      "\"position\": {\"x\": 0, \"y\": 0}, \"config\": {}}], \"edges\": []}",
      SLUICE_MODEL_ERROR_INVALID, "unknown type “Teleport”" },
    { "{\"format_version\": 1, \"gems\": ["
      "{\"id\": \"a\", \"type\": \"Filter\", \"label\": \"A\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {}},"
      "{\"id\": \"b\", \"type\": \"Filter\", \"label\": \"B\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {}}],"
      "\"edges\": [{\"from\": \"a.out\", \"to\": \"b.in0\"}, {\"from\": \"b.out\", \"to\": \"a.in0\"}]}",
      SLUICE_MODEL_ERROR_INVALID, "cycle" },
    { "{\"format_version\": 1, \"gems\": ["
      "{\"id\": \"a\", \"type\": \"Filter\", \"label\": \"A\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {}}],"
      "\"edges\": [{\"from\": \"a.out\", \"to\": \"a.in7\"}]}",
      SLUICE_MODEL_ERROR_INVALID, "a.out → a.in7" },
    { "{\"format_version\": 1, \"gems\": ["
      "{\"id\": \"a\", \"type\": \"Filter\", \"label\": \"A\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {}},"
      "{\"id\": \"a\", \"type\": \"Filter\", \"label\": \"B\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {}}],"
      "\"edges\": []}",
      SLUICE_MODEL_ERROR_INVALID, "“a”" },
  };
  g_autoptr(SluicePipeline) p = make_pipeline ();
  g_autoptr(GBytes) before = sluice_pipeline_to_bytes (p);
  guint depth = sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) after = NULL;
      g_auto(GStrv) pasted = NULL;

      g_test_message ("case %u: %s", i, cases[i].text);
      g_assert_false (sluice_pipeline_paste (p, cases[i].text, 10, 10, &pasted, &error));
      g_assert_error (error, SLUICE_MODEL_ERROR, cases[i].code);
      g_assert_nonnull (g_strstr_len (error->message, -1, cases[i].message));
      g_assert_null (pasted);
      after = sluice_pipeline_to_bytes (p);
      g_assert_true (g_bytes_equal (before, after));
      g_assert_cmpuint (sluice_undo_stack_get_depth (sluice_pipeline_get_undo_stack (p)), ==, depth);
    }
}

static void
test_a_whole_pipeline_file_pastes (void)
{
  g_autoptr(SluicePipeline) p = make_pipeline ();
  g_autoptr(SluicePipeline) q = sluice_pipeline_new ("q");
  g_autoptr(GBytes) bytes = sluice_pipeline_to_bytes (p);
  g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));
  g_autoptr(GError) error = NULL;

  g_assert_true (sluice_pipeline_paste (q, text, 0, 0, NULL, &error));
  g_assert_no_error (error);
  {
    g_autoptr(GBytes) again = sluice_pipeline_to_bytes (q);
    g_assert_true (g_bytes_equal (bytes, again));
  }
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/core/clipboard/copy-writes-the-gems-and-the-edges-among-them",
                   test_copy_writes_the_gems_and_the_edges_among_them);
  g_test_add_func ("/sluice/core/clipboard/paste-renames-offsets-and-is-one-step",
                   test_paste_renames_offsets_and_is_one_step);
  g_test_add_func ("/sluice/core/clipboard/paste-into-another-pipeline-keeps-free-ids-and-places-at-a-point",
                   test_paste_into_another_pipeline_keeps_free_ids_and_places_at_a_point);
  g_test_add_func ("/sluice/core/clipboard/bad-or-foreign-text-changes-nothing",
                   test_bad_or_foreign_text_changes_nothing);
  g_test_add_func ("/sluice/core/clipboard/a-whole-pipeline-file-pastes",
                   test_a_whole_pipeline_file_pastes);
  return g_test_run ();
}
