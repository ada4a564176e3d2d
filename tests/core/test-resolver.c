/* Schema propagation on real pipelines: types, problems at the exact
 * character in the file, and incremental re-resolution after edits. */
#include "config.h"

#include "sluice-core.h"
#include "sluice-resolver.h"

static char *
schema_text (GArray *schema)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; schema && i < schema->len; i++)
    {
      SluiceColumn *c = &g_array_index (schema, SluiceColumn, i);
      g_autofree char *t = sluice_sql_type_to_string (c->type);
      g_string_append_printf (out, "%s%s %s", i ? ", " : "", c->name, t);
    }
  return g_string_free (out, FALSE);
}

static void
test_example_resolves_clean (void)
{
  g_autofree char *path = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, NULL);
  GListModel *pipelines = sluice_project_get_pipelines (project);

  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      g_autoptr(SluiceResolver) r = sluice_resolver_new (p, sluice_project_get_datasets (project));
      g_autoptr(GPtrArray) problems = sluice_resolver_get_all_diagnostics (r);

      for (guint k = 0; k < problems->len; k++)
        {
          g_autofree char *s = sluice_diagnostic_to_string (g_ptr_array_index (problems, k));
          g_test_message ("%s", s);
        }
      g_assert_cmpuint (problems->len, ==, 0);

      if (g_str_equal (sluice_pipeline_get_name (p), "revenue_by_month"))
        {
          g_autofree char *s = schema_text (sluice_resolver_get_schema (r, "revenue_per_segment"));
          g_assert_cmpstr (s, ==, "order_month date, Consumer decimal(30,4), Corporate decimal(30,4), "
                                  "Home Office decimal(30,4)");
        }
      if (g_str_equal (sluice_pipeline_get_name (p), "orders_enriched"))
        {
          GArray *schema = sluice_resolver_get_schema (r, "line_totals");
          SluiceColumn *last = &g_array_index (schema, SluiceColumn, schema->len - 1);
          g_autofree char *t = sluice_sql_type_to_string (last->type);

          g_assert_cmpstr (last->name, ==, "line_total");
          /* int × decimal(10,2) → (21,2); 1 - coalesce(decimal(4,2), 0) → (13,2); product (35,4) */
          g_assert_cmpstr (t, ==, "decimal(35,4)");
          g_assert_null (sluice_resolver_get_schema (r, "write_orders_enriched"));
        }
      if (g_str_equal (sluice_pipeline_get_name (p), "customer_cleanup"))
        {
          g_autofree char *s = schema_text (sluice_resolver_get_schema (r, "tidy_columns"));
          g_assert_cmpstr (s, ==, "customer_id string, first_name string, last_name string, email string, "
                                  "segment string, country string, city string, signup_date date, subscribed boolean");
        }
    }
}

static const char pipeline_text[] =
  "{\n"
  "  \"format_version\": 1,\n"
  "  \"gems\": [\n"
  "    {\n"
  "      \"id\": \"orders\",\n"
  "      \"type\": \"Source\",\n"
  "      \"label\": \"Orders\",\n"
  "      \"position\": {\"x\": 0, \"y\": 0},\n"
  "      \"config\": {\n"
  "        \"dataset\": \"orders\"\n"
  "      }\n"
  "    },\n"
  "    {\n"
  "      \"id\": \"recent\",\n"
  "      \"type\": \"Filter\",\n"
  "      \"label\": \"Recent\",\n"
  "      \"position\": {\"x\": 200, \"y\": 0},\n"
  "      \"config\": {\n"
  "        \"condition\": \"note <> \\\"a\\\\tb\\\" AND custid > 0\"\n"
  "      }\n"
  "    },\n"
  "    {\n"
  "      \"id\": \"totals\",\n"
  "      \"type\": \"Reformat\",\n"
  "      \"label\": \"Totals\",\n"
  "      \"position\": {\"x\": 400, \"y\": 0},\n"
  "      \"config\": {\n"
  "        \"columns\": [\n"
  "          {\n"
  "            \"name\": \"total\",\n"
  "            \"expression\": \"sum(amount)\"\n"
  "          },\n"
  "          {\n"
  "            \"name\": \"Total\",\n"
  "            \"expression\": \"amount * 2\"\n"
  "          }\n"
  "        ]\n"
  "      }\n"
  "    }\n"
  "  ],\n"
  "  \"edges\": [\n"
  "    {\"from\": \"orders.out\", \"to\": \"recent.in0\"},\n"
  "    {\"from\": \"recent.out\", \"to\": \"totals.in0\"}\n"
  "  ]\n"
  "}\n";

static GListStore *
orders_dataset (void)
{
  const char *text = "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"o\", \"schema\": ["
                     "{\"name\": \"customer_id\", \"type\": \"bigint\"}, {\"name\": \"amount\", \"type\": \"decimal(10,2)\"},"
                     "{\"name\": \"note\", \"type\": \"string\"}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(SluiceDataset) d = sluice_dataset_load_from_bytes ("orders", "datasets/orders.json", bytes, NULL, NULL);
  GListStore *store = g_list_store_new (SLUICE_TYPE_DATASET);

  g_assert_nonnull (d);
  g_list_store_append (store, d);
  return store;
}

static char *
problems_text (GPtrArray *problems)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    {
      g_autofree char *s = sluice_diagnostic_to_string (g_ptr_array_index (problems, i));
      g_string_append_printf (out, "%s\n", s);
    }
  return g_string_free (out, FALSE);
}

static void
test_problems_point_into_the_file (void)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (pipeline_text, strlen (pipeline_text));
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, NULL, NULL);
  g_autoptr(GListStore) datasets = orders_dataset ();
  g_autoptr(SluiceResolver) r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  g_autoptr(GPtrArray) problems = sluice_resolver_get_all_diagnostics (r);
  g_autofree char *text = problems_text (problems);
  g_autoptr(JsonNode) fixed = json_node_init_string (json_node_alloc (), "customer_id > 0");
  g_autoptr(GPtrArray) after = NULL;
  g_autofree char *after_text = NULL;

  /* Line 19 is `        "condition": "note <> \"a\\tb\" AND custid > 0"`: the value's
   * quote is at column 22, and the 19 characters before custid take 22 in
   * the file (three are escaped), so custid starts at column 45. */
  g_assert_cmpstr (text, ==,
                   "pipelines/p.json:19:45: error: gem “recent”, condition: unknown column “custid”\n"
                   "pipelines/p.json:28:20: error: gem “totals”, columns: two output columns are named “Total” (names are case-insensitive)\n"
                   "pipelines/p.json:31:28: error: gem “totals”, columns “total”: “sum” aggregates rows: use it in an Aggregate gem\n");

  /* Fixing the condition clears its problem; undo brings it back. */
  g_assert_true (sluice_pipeline_set_config (p, "recent", "condition", fixed, NULL));
  after = sluice_resolver_get_all_diagnostics (r);
  g_assert_cmpuint (after->len, ==, 2);
  g_assert_true (sluice_pipeline_undo (p));
  g_clear_pointer (&after, g_ptr_array_unref);
  after = sluice_resolver_get_all_diagnostics (r);
  after_text = problems_text (after);
  g_assert_cmpstr (after_text, ==, text);
}

static void
test_edits_re_resolve_only_downstream (void)
{
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("chain");
  g_autoptr(GListStore) datasets = orders_dataset ();
  g_autoptr(SluiceResolver) r = NULL;
  g_autoptr(JsonNode) dataset = json_node_init_string (json_node_alloc (), "orders");
  const guint n = 2000;
  g_autofree char *last = NULL;
  gint64 t0, t1;

  sluice_pipeline_begin_group (p, "Build");
  sluice_pipeline_add_gem (p, "Source", "Step 0", 0, 0, NULL);
  sluice_pipeline_set_config (p, "step_0", "dataset", dataset, NULL);
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *label = g_strdup_printf ("Step %u", i);
      g_autofree char *prev = g_strdup_printf ("step_%u", i - 1);
      g_autofree char *cond = g_strdup_printf ("amount > %u", i);
      g_autoptr(JsonNode) condition = json_node_init_string (json_node_alloc (), cond);
      SluiceGem *gem = sluice_pipeline_add_gem (p, "Filter", label, i * 10, 0, NULL);

      sluice_pipeline_set_config (p, sluice_gem_get_id (gem), "condition", condition, NULL);
      sluice_pipeline_connect (p, prev, "out", sluice_gem_get_id (gem), "in0", NULL);
    }
  sluice_pipeline_end_group (p);

  r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  last = g_strdup_printf ("step_%u", n - 1);
  g_assert_nonnull (sluice_resolver_get_schema (r, last));
  g_assert_cmpuint (sluice_resolver_take_resolve_count (r), ==, n);

  /* Nothing changed: nothing to do. */
  g_assert_nonnull (sluice_resolver_get_schema (r, last));
  g_assert_cmpuint (sluice_resolver_take_resolve_count (r), ==, 0);

  /* An edit half-way that leaves the gem's output as it was re-resolves that
   * gem only: what follows sees the same columns. */
  {
    g_autoptr(JsonNode) cond = json_node_init_string (json_node_alloc (), "amount > 0.5");
    g_assert_true (sluice_pipeline_set_config (p, "step_1000", "condition", cond, NULL));
  }
  g_assert_nonnull (sluice_resolver_get_schema (r, last));
  g_assert_cmpuint (sluice_resolver_take_resolve_count (r), ==, 1);

  /* An edit that changes the columns re-resolves everything after it: the
   * source now reads a dataset without "amount", and every filter says so. */
  {
    const char *text = "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"x\", \"schema\": ["
                       "{\"name\": \"id\", \"type\": \"bigint\"}]}";
    g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
    g_autoptr(SluiceDataset) other = sluice_dataset_load_from_bytes ("other", "datasets/other.json", bytes, NULL, NULL);
    g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), "other");
    GPtrArray *problems;

    g_list_store_append (datasets, other);
    g_assert_true (sluice_pipeline_set_config (p, "step_0", "dataset", name, NULL));
    problems = sluice_resolver_get_diagnostics (r, last);
    g_assert_cmpuint (sluice_resolver_take_resolve_count (r), ==, n);
    g_assert_cmpuint (problems->len, ==, 1);
    g_assert_nonnull (strstr (sluice_diagnostic_get_message (g_ptr_array_index (problems, 0)), "unknown column “amount”"));
    g_assert_true (sluice_pipeline_undo (p));
    g_assert_cmpuint (sluice_resolver_get_diagnostics (r, last)->len, ==, 0);
    g_assert_cmpuint (sluice_resolver_take_resolve_count (r), ==, n);
  }

  /* An edit at the end: one gem, quickly. */
  {
    g_autoptr(JsonNode) cond = json_node_init_string (json_node_alloc (), "amount > 1.5");
    g_assert_true (sluice_pipeline_set_config (p, last, "condition", cond, NULL));
  }
  t0 = g_get_monotonic_time ();
  g_assert_nonnull (sluice_resolver_get_schema (r, last));
  t1 = g_get_monotonic_time ();
  g_assert_cmpuint (sluice_resolver_take_resolve_count (r), ==, 1);
  g_test_message ("re-resolving the last of %u gems took %.3f ms", n, (t1 - t0) / 1000.0);

  /* Removing a wire makes what follows it unknown, not wrong. */
  {
    g_autoptr(GPtrArray) into = sluice_pipeline_get_edges_of (p, "step_1500", SLUICE_PORT_INPUT);
    g_assert_true (sluice_pipeline_disconnect (p, g_ptr_array_index (into, 0), NULL));
  }
  g_assert_null (sluice_resolver_get_schema (r, last));
  g_assert_cmpuint (sluice_resolver_get_diagnostics (r, last)->len, ==, 0);
}

static SluicePipeline *
catalog_pipeline (SluiceProject **project,
                  const char     *name)
{
  g_autofree char *path = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "tests", "codegen", "catalog", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  GListModel *pipelines;

  *project = sluice_project_load (dir, NULL, NULL);
  g_assert_nonnull (*project);
  pipelines = sluice_project_get_pipelines (*project);
  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      if (g_str_equal (sluice_pipeline_get_name (p), name))
        return g_steal_pointer (&p);
    }
  g_assert_not_reached ();
}

/* A semi or anti join only filters its first input: the other side's
 * columns are not in its output and output columns cannot name them. */
static void
test_semi_joins_keep_only_the_first_input (void)
{
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(SluicePipeline) p = catalog_pipeline (&project, "joins");
  g_autoptr(SluiceResolver) r = sluice_resolver_new (p, sluice_project_get_datasets (project));
  g_autoptr(GPtrArray) problems = sluice_resolver_get_all_diagnostics (r);
  g_autoptr(JsonNode) columns = json_from_string ("[{\"name\": \"region\", \"expression\": \"in1.region\"}]", NULL);
  g_autofree char *semi = schema_text (sluice_resolver_get_schema (r, "semi_join"));
  g_autofree char *anti = schema_text (sluice_resolver_get_schema (r, "anti_join"));
  g_autofree char *text = NULL;

  g_assert_cmpuint (problems->len, ==, 0);
  g_assert_cmpstr (semi, ==, "sale_id bigint, region_id int, sold_on date, amount decimal(10,2), channel string, note string");
  g_assert_cmpstr (anti, ==, semi);

  g_assert_true (sluice_pipeline_set_config (p, "semi_join", "columns", columns, NULL));
  g_clear_pointer (&problems, g_ptr_array_unref);
  problems = sluice_resolver_get_all_diagnostics (r);
  text = problems_text (problems);
  g_assert_nonnull (strstr (text, "gem “semi_join”, columns “region”: unknown column “region”"));
}

static const char target_text[] =
  "{\n"
  "  \"format_version\": 1,\n"
  "  \"gems\": [\n"
  "    {\"id\": \"orders\", \"type\": \"Source\", \"label\": \"Orders\", \"position\": {\"x\": 0, \"y\": 0},\n"
  "     \"config\": {\"dataset\": \"orders\"}},\n"
  "    {\"id\": \"shaped\", \"type\": \"Reformat\", \"label\": \"Shaped\", \"position\": {\"x\": 200, \"y\": 0},\n"
  "     \"config\": {\"columns\": [{\"name\": \"customer_id\", \"expression\": \"customer_id\"},\n"
  "                              {\"name\": \"AMOUNT\", \"expression\": \"amount * 2\"},\n"
  "                              {\"name\": \"note\", \"expression\": \"note\"}]}},\n"
  "    {\"id\": \"write\", \"type\": \"Target\", \"label\": \"Write\", \"position\": {\"x\": 400, \"y\": 0},\n"
  "     \"config\": {\"dataset\": \"orders_out\"}}\n"
  "  ],\n"
  "  \"edges\": [\n"
  "    {\"from\": \"orders.out\", \"to\": \"shaped.in0\"},\n"
  "    {\"from\": \"shaped.out\", \"to\": \"write.in0\"}\n"
  "  ]\n"
  "}\n";

/* The orders dataset and an orders_out with @schema (JSON array text). */
static GListStore *
datasets_with_output (const char *schema)
{
  GListStore *store = orders_dataset ();
  g_autofree char *text = g_strdup_printf ("{\"format_version\": 1, \"format\": \"table\", \"location\": \"db.out\", "
                                           "\"schema\": %s}", schema);
  g_autoptr(GBytes) bytes = g_bytes_new (text, strlen (text));
  g_autoptr(SluiceDataset) d = sluice_dataset_load_from_bytes ("orders_out", "datasets/orders_out.json", bytes, NULL, NULL);

  g_assert_nonnull (d);
  g_list_store_append (store, d);
  return store;
}

static char *
target_problems (const char *schema)
{
  g_autoptr(GBytes) bytes = g_bytes_new_static (target_text, strlen (target_text));
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, NULL, NULL);
  g_autoptr(GListStore) datasets = datasets_with_output (schema);
  g_autoptr(SluiceResolver) r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  g_autoptr(GPtrArray) problems = sluice_resolver_get_all_diagnostics (r);

  return problems_text (problems);
}

/* What a Target writes must fit its dataset: each problem names the
 * column and points at the Target's "dataset" value (line 11, column 28). */
static void
test_targets_check_their_dataset_schema (void)
{
  g_autofree char *fits = target_problems ("[{\"name\": \"customer_id\", \"type\": \"bigint\"},"
                                           " {\"name\": \"amount\", \"type\": \"decimal(10,2)\"},"
                                           " {\"name\": \"note\", \"type\": \"string\"}]");
  g_autofree char *widened = target_problems ("[{\"name\": \"customer_id\", \"type\": \"double\"},"
                                              " {\"name\": \"amount\", \"type\": \"double\"},"
                                              " {\"name\": \"note\", \"type\": \"string\"}]");
  g_autofree char *missing = target_problems ("[{\"name\": \"customer_id\", \"type\": \"bigint\"},"
                                              " {\"name\": \"amount\", \"type\": \"decimal(10,2)\"},"
                                              " {\"name\": \"note\", \"type\": \"string\"},"
                                              " {\"name\": \"region\", \"type\": \"string\"}]");
  g_autofree char *extra = target_problems ("[{\"name\": \"customer_id\", \"type\": \"bigint\"},"
                                            " {\"name\": \"amount\", \"type\": \"decimal(10,2)\"}]");
  g_autofree char *mistyped = target_problems ("[{\"name\": \"customer_id\", \"type\": \"int\"},"
                                               " {\"name\": \"amount\", \"type\": \"decimal(10,2)\"},"
                                               " {\"name\": \"note\", \"type\": \"boolean\"}]");

  /* Names match case-insensitively; a decimal of another precision and any
   * widening are implicit casts to Spark. */
  g_assert_cmpstr (fits, ==, "");
  g_assert_cmpstr (widened, ==, "");
  g_assert_cmpstr (missing, ==,
                   "pipelines/p.json:11:28: error: gem “write”, dataset: column “region” of dataset “orders_out” is not in the input\n");
  g_assert_cmpstr (extra, ==,
                   "pipelines/p.json:11:28: error: gem “write”, dataset: the input's column “note” is not in dataset “orders_out”\n");
  g_assert_cmpstr (mistyped, ==,
                   "pipelines/p.json:11:28: error: gem “write”, dataset: column “customer_id” is bigint, which does not convert to int in dataset “orders_out”\n"
                   "pipelines/p.json:11:28: error: gem “write”, dataset: column “note” is string, which does not convert to boolean in dataset “orders_out”\n");
}

/* Window frames: bounds are checked where they are written. */
static void
test_window_frames_are_checked (void)
{
  static const struct { const char *frame, *start, *end, *problem; } cases[] = {
    { "rows", "unbounded_preceding", "current_row", NULL },
    { "rows", "-3", "2", NULL },
    { "range", "-7", "0", NULL },
    { "rows", "unbounded preceding", "current_row",
      "frame start: “unbounded preceding” is not unbounded_preceding, current_row, unbounded_following or a whole number of rows" },
    { "rows", "2", "-1", "frame end: the frame ends before it starts" },
    { "rows", "unbounded_following", NULL, "frame start: a frame cannot start at unbounded_following" },
    { "rows", "current_row", "unbounded_preceding", "frame end: a frame cannot end at unbounded_preceding" },
    { "default", "-1", NULL, "frame: a frame start or end needs the frame set to rows or range" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SluiceProject) project = NULL;
      g_autoptr(SluicePipeline) p = catalog_pipeline (&project, "shaping");
      g_autoptr(SluiceResolver) r = sluice_resolver_new (p, sluice_project_get_datasets (project));
      g_autoptr(JsonNode) frame = json_node_init_string (json_node_alloc (), cases[i].frame);
      g_autoptr(JsonNode) start = json_node_init_string (json_node_alloc (), cases[i].start);
      g_autoptr(JsonNode) end = cases[i].end ? json_node_init_string (json_node_alloc (), cases[i].end) : NULL;
      g_autoptr(GPtrArray) problems = NULL;
      g_autofree char *text = NULL;

      g_assert_true (sluice_pipeline_set_config (p, "running_total", "frame", frame, NULL));
      g_assert_true (sluice_pipeline_set_config (p, "running_total", "frame_start", start, NULL));
      g_assert_true (sluice_pipeline_set_config (p, "running_total", "frame_end", end, NULL));
      problems = sluice_resolver_get_all_diagnostics (r);
      text = problems_text (problems);
      if (cases[i].problem == NULL)
        g_assert_cmpstr (text, ==, "");
      else
        {
          g_autofree char *expected = g_strdup_printf ("gem “running_total”, %s\n", cases[i].problem);
          g_assert_nonnull (strstr (text, expected));
        }
    }
}

static void
set_condition (SluicePipeline *p,
               const char     *id,
               const char     *text)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), text);
  g_assert_true (sluice_pipeline_set_config (p, id, "condition", node, NULL));
}

/* Gems with the same expression share one parsed tree (parsed once, and
 * written once per dialect by code generation); trees no gem holds are
 * dropped as edits pile them up, and what does not parse is reported on
 * every gem that has it. */
static void
test_gems_share_the_tree_of_an_expression (void)
{
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("shared");
  g_autoptr(GListStore) datasets = orders_dataset ();
  g_autoptr(SluiceResolver) r = NULL;
  g_autoptr(JsonNode) dataset = json_node_init_string (json_node_alloc (), "orders");
  const char *conds[] = { "amount > 5", "amount > 6", "amount > 5", "amount >" };
  SluiceExpr *first, *third;

  sluice_pipeline_add_gem (p, "Source", "Step 0", 0, 0, NULL);
  sluice_pipeline_set_config (p, "step_0", "dataset", dataset, NULL);
  for (guint i = 1; i <= G_N_ELEMENTS (conds); i++)
    {
      g_autofree char *label = g_strdup_printf ("Step %u", i);
      g_autofree char *prev = g_strdup_printf ("step_%u", i - 1);
      SluiceGem *gem = sluice_pipeline_add_gem (p, "Filter", label, 0, 0, NULL);

      set_condition (p, sluice_gem_get_id (gem), conds[i - 1]);
      g_assert_true (sluice_pipeline_connect (p, prev, "out", sluice_gem_get_id (gem), "in0", NULL));
    }
  /* A second gem that does not parse, off step 2. */
  sluice_pipeline_add_gem (p, "Filter", "Broken", 0, 0, NULL);
  set_condition (p, "broken", "amount >");
  g_assert_true (sluice_pipeline_connect (p, "step_2", "out", "broken", "in0", NULL));

  r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  first = sluice_resolver_get_expr (r, "step_1", sluice_gem_get_config_string (sluice_pipeline_find_gem (p, "step_1"), "condition"));
  third = sluice_resolver_get_expr (r, "step_3", sluice_gem_get_config_string (sluice_pipeline_find_gem (p, "step_3"), "condition"));
  g_assert_nonnull (first);
  g_assert_true (first == third);
  g_assert_true (sluice_resolver_get_expr (r, "step_2", conds[1]) != first);
  g_assert_cmpuint (sluice_resolver_get_diagnostics (r, "step_4")->len, ==, 1);
  g_assert_cmpuint (sluice_resolver_get_diagnostics (r, "broken")->len, ==, 1);

  /* Thousands of edits, each a new text: the old trees go, the ones gems
   * hold stay, and every gem still resolves to what its text says. */
  for (guint i = 0; i < 3000; i++)
    {
      g_autofree char *cond = g_strdup_printf ("amount > %u", 100 + i);
      set_condition (p, "step_1", cond);
      g_assert_nonnull (sluice_resolver_get_schema (r, "step_1"));
    }
  {
    g_autofree char *debug = sluice_expr_to_debug_string (
      sluice_resolver_get_expr (r, "step_1", sluice_gem_get_config_string (sluice_pipeline_find_gem (p, "step_1"), "condition")));
    g_autofree char *want = NULL;
    g_autoptr(SluiceExpr) fresh = sluice_expr_parse ("amount > 3099", NULL, NULL, NULL);

    want = sluice_expr_to_debug_string (fresh);
    g_assert_cmpstr (debug, ==, want);
  }
  g_assert_true (sluice_resolver_get_expr (r, "step_3", conds[2]) == third);
  g_assert_cmpuint (sluice_resolver_get_diagnostics (r, "step_3")->len, ==, 0);
  g_assert_cmpuint (sluice_resolver_get_diagnostics (r, "broken")->len, ==, 1);
}

/* A gem below an edit reads its inputs through the results it last read:
 * a gem that an edge named but that was missing, added since, must still
 * be seen. */
static void
test_a_missing_input_that_appears_is_seen (void)
{
  const char *text =
    "{\"format_version\": 1, \"gems\": ["
    "{\"id\": \"a\", \"type\": \"Source\", \"label\": \"a\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"dataset\": \"orders\"}},"
    "{\"id\": \"f\", \"type\": \"Filter\", \"label\": \"f\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"condition\": \"amount > 1\"}},"
    "{\"id\": \"j\", \"type\": \"Join\", \"label\": \"j\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {}}"
    "], \"edges\": [{\"from\": \"a.out\", \"to\": \"f.in0\"}, {\"from\": \"f.out\", \"to\": \"j.in0\"},"
    " {\"from\": \"later.out\", \"to\": \"j.in1\"}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, NULL, NULL);
  g_autoptr(GListStore) datasets = orders_dataset ();
  g_autoptr(SluiceResolver) r = NULL;
  g_autoptr(JsonNode) dataset = json_node_init_string (json_node_alloc (), "orders");
  SluiceGem *later;
  GArray *schema;

  g_assert_nonnull (p);
  r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  g_assert_null (sluice_resolver_get_schema (r, "j"));   /* in1 is fed by nothing there is */

  later = sluice_pipeline_add_gem (p, "Source", "later", 0, 0, NULL);
  g_assert_cmpstr (sluice_gem_get_id (later), ==, "later");
  g_assert_true (sluice_pipeline_set_config (p, "later", "dataset", dataset, NULL));
  /* An edit above j that keeps its columns. */
  set_condition (p, "f", "amount > 2");
  schema = sluice_resolver_get_schema (r, "j");
  g_assert_nonnull (schema);
  g_assert_cmpuint (schema->len, ==, 6);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/resolver/example-resolves-clean", test_example_resolves_clean);
  g_test_add_func ("/sluice/core/resolver/problems-point-into-the-file", test_problems_point_into_the_file);
  g_test_add_func ("/sluice/core/resolver/edits-re-resolve-only-downstream", test_edits_re_resolve_only_downstream);
  g_test_add_func ("/sluice/core/resolver/semi-joins-keep-only-the-first-input", test_semi_joins_keep_only_the_first_input);
  g_test_add_func ("/sluice/core/resolver/window-frames-are-checked", test_window_frames_are_checked);
  g_test_add_func ("/sluice/core/resolver/targets-check-their-dataset-schema", test_targets_check_their_dataset_schema);
  g_test_add_func ("/sluice/core/resolver/gems-share-the-tree-of-an-expression", test_gems_share_the_tree_of_an_expression);
  g_test_add_func ("/sluice/core/resolver/a-missing-input-that-appears-is-seen", test_a_missing_input_that_appears_is_seen);

  return g_test_run ();
}
