/* SluiceCodeCache: byte for byte what the generators write, on real
 * projects and after random edits, while writing only what changed; and
 * the generators' order, linear and unchanged. */
#include "config.h"

#include "sluice-code-cache.h"
#include "sluice-codegen-private.h"
#include "sluice-pyspark-generator.h"
#include "sluice-sql-generator.h"

static char *
joined (GPtrArray *problems)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (problems, i));
  return g_string_free (out, FALSE);
}

/* The cache's code for every target equals what the generators write with
 * a resolver made afresh, problems included. */
static void
assert_same_as_fresh (SluiceCodeCache *cache,
                      SluicePipeline  *p,
                      GListModel      *datasets)
{
  g_autoptr(SluiceResolver) fresh = sluice_resolver_new (p, datasets);

  for (SluiceDialect d = SLUICE_DIALECT_SPARK; d <= SLUICE_DIALECT_SNOWFLAKE; d++)
    {
      g_autoptr(GPtrArray) want_problems = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) got_problems = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *want = sluice_sql_generate (p, datasets, fresh, d, want_problems);
      const char *got = sluice_code_cache_generate_sql (cache, d, got_problems);
      g_autofree char *want_text = joined (want_problems);
      g_autofree char *got_text = joined (got_problems);

      g_assert_cmpstr (got, ==, want);
      g_assert_cmpstr (got_text, ==, want_text);
    }
  {
    g_autoptr(GPtrArray) want_problems = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) got_problems = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(SluicePySparkPackage) want = sluice_pyspark_generate (p, datasets, fresh, want_problems);
    GHashTable *got = sluice_code_cache_generate_pyspark (cache, got_problems);
    g_autoptr(GPtrArray) got_paths = sluice_pyspark_paths (got);
    g_autofree char *want_text = joined (want_problems);
    g_autofree char *got_text = joined (got_problems);

    g_assert_cmpuint (got_paths->len, ==, sluice_pyspark_package_get_n_files (want));
    for (guint i = 0; i < got_paths->len; i++)
      {
        g_assert_cmpstr (g_ptr_array_index (got_paths, i), ==, sluice_pyspark_package_get_path (want, i));
        g_assert_cmpstr (g_hash_table_lookup (got, g_ptr_array_index (got_paths, i)), ==,
                         sluice_pyspark_package_get_contents (want, i, NULL));
      }
    g_assert_cmpstr (got_text, ==, want_text);
  }
}

static void
check_project (const char *relative)
{
  g_autofree char *root = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), relative, NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, NULL);
  GListModel *pipelines;

  g_assert_nonnull (project);
  pipelines = sluice_project_get_pipelines (project);
  g_assert_cmpuint (g_list_model_get_n_items (pipelines), >, 0);
  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      GListModel *datasets = sluice_project_get_datasets (project);
      g_autoptr(SluiceResolver) r = sluice_resolver_new (p, datasets);
      g_autoptr(SluiceCodeCache) cache = sluice_code_cache_new (p, datasets, r);

      assert_same_as_fresh (cache, p, datasets);
      /* Again, from the cache. */
      sluice_code_cache_take_written_count (cache);
      assert_same_as_fresh (cache, p, datasets);
      g_assert_finalize_object (g_steal_pointer (&cache));
    }
}

static void
test_example_and_catalog_match_the_generators (void)
{
  check_project ("examples/retail");
  check_project ("tests/codegen/catalog");
}

static GListStore *
orders_datasets (void)
{
  const char *texts[] = {
    "{\"format_version\": 1, \"format\": \"table\", \"location\": \"db.o\", \"schema\": ["
    "{\"name\": \"id\", \"type\": \"bigint\"}, {\"name\": \"amount\", \"type\": \"decimal(10,2)\"},"
    "{\"name\": \"region\", \"type\": \"string\"}]}",
    "{\"format_version\": 1, \"format\": \"table\", \"location\": \"db.out\", \"schema\": ["
    "{\"name\": \"id\", \"type\": \"bigint\"}, {\"name\": \"amount\", \"type\": \"decimal(10,2)\"},"
    "{\"name\": \"region\", \"type\": \"string\"}]}",
  };
  const char *names[] = { "orders", "out" };
  GListStore *store = g_list_store_new (SLUICE_TYPE_DATASET);

  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      g_autoptr(GBytes) bytes = g_bytes_new_static (texts[i], strlen (texts[i]));
      g_autofree char *path = g_strdup_printf ("datasets/%s.json", names[i]);
      g_autoptr(SluiceDataset) d = sluice_dataset_load_from_bytes (names[i], path, bytes, NULL, NULL);
      g_assert_nonnull (d);
      g_list_store_append (store, d);
    }
  return store;
}

static void
set_string (SluicePipeline *p,
            const char     *id,
            const char     *key,
            const char     *value)
{
  g_autoptr(JsonNode) node = json_node_init_string (json_node_alloc (), value);
  g_assert_true (sluice_pipeline_set_config (p, id, key, node, NULL));
}

static void
set_columns (SluicePipeline *p,
             const char     *id,
             const char     *json)
{
  g_autoptr(JsonNode) node = json_from_string (json, NULL);
  g_assert_true (sluice_pipeline_set_config (p, id, "columns", node, NULL));
}

/* Source → (Filter, Reformat)* → Target, @n gems. */
static SluicePipeline *
chain (guint n)
{
  SluicePipeline *p = sluice_pipeline_new ("chain");

  sluice_pipeline_add_gem (p, "Source", "g 0", 0, 0, NULL);
  set_string (p, "g_0", "dataset", "orders");
  for (guint i = 1; i + 1 < n; i++)
    {
      g_autofree char *label = g_strdup_printf ("g %u", i);
      g_autofree char *prev = g_strdup_printf ("g_%u", i - 1);
      SluiceGem *gem = sluice_pipeline_add_gem (p, i % 2 ? "Filter" : "Reformat", label, 0, 0, NULL);
      const char *id = sluice_gem_get_id (gem);

      if (i % 2)
        {
          g_autofree char *cond = g_strdup_printf ("amount > %u", i);
          set_string (p, id, "condition", cond);
        }
      else
        set_columns (p, id, "[{\"name\": \"id\", \"expression\": \"id\"}, {\"name\": \"amount\", \"expression\": \"amount\"},"
                            " {\"name\": \"region\", \"expression\": \"upper(region)\"}]");
      g_assert_true (sluice_pipeline_connect (p, prev, "out", id, "in0", NULL));
    }
  {
    g_autofree char *last = g_strdup_printf ("g_%u", n - 2);
    sluice_pipeline_add_gem (p, "Target", "write", 0, 0, NULL);
    set_string (p, "write", "dataset", "out");
    g_assert_true (sluice_pipeline_connect (p, last, "out", "write", "in0", NULL));
  }
  return p;
}

/* A random edit of the chain: expressions (kept and changed schemas, and
 * ones that do not parse or type), labels, renames, rewiring, removals,
 * undo and redo. */
static void
random_edit (SluicePipeline *p,
             GRand          *rand)
{
  GListModel *gems = sluice_pipeline_get_gems (p);
  guint n = g_list_model_get_n_items (gems);
  g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, g_rand_int_range (rand, 0, n));
  const char *id = sluice_gem_get_id (gem);
  const char *type = sluice_gem_get_type_name (gem);
  int what = g_rand_int_range (rand, 0, 9);

  if (what == 0 && g_str_equal (type, "Filter"))
    {
      const char *conds[] = { "amount > 3", "region = 'x'", "amount >", "nope > 1", "upper(region) <> 'A'" };
      set_string (p, id, "condition", conds[g_rand_int_range (rand, 0, G_N_ELEMENTS (conds))]);
    }
  else if (what == 1 && g_str_equal (type, "Reformat"))
    {
      const char *cols[] = {
        "[{\"name\": \"id\", \"expression\": \"id\"}, {\"name\": \"amount\", \"expression\": \"amount * 2\"},"
        " {\"name\": \"region\", \"expression\": \"region\"}]",
        "[{\"name\": \"id\", \"expression\": \"id\"}, {\"name\": \"amount\", \"expression\": \"amount\"}]",
        "[{\"name\": \"id\", \"expression\": \"id\"}, {\"name\": \"amount\", \"expression\": \"amount\"},"
        " {\"name\": \"region\", \"expression\": \"lower(region)\"}, {\"name\": \"extra\", \"expression\": \"1\"}]",
      };
      set_columns (p, id, cols[g_rand_int_range (rand, 0, G_N_ELEMENTS (cols))]);
    }
  else if (what == 2)
    {
      g_autofree char *label = g_strdup_printf ("label %u", g_rand_int (rand));
      sluice_pipeline_set_label (p, id, label, NULL);
    }
  else if (what == 3 && !g_str_equal (type, "Target"))
    {
      g_autofree char *new_id = g_strdup_printf ("r_%u", g_rand_int (rand));
      sluice_pipeline_rename_gem (p, id, new_id, NULL);
    }
  else if (what == 4 && !g_str_equal (type, "Source"))
    {
      const char *ids[] = { id, NULL };
      sluice_pipeline_remove_gems (p, ids, NULL);
    }
  else if (what == 5)
    sluice_pipeline_undo (p);
  else if (what == 6)
    sluice_pipeline_redo (p);
  else if (what == 7 && g_str_equal (type, "Filter"))
    {
      /* Rewire its input to another gem upstream or downstream (a cycle is
       * refused). */
      g_autoptr(SluiceGem) other = g_list_model_get_item (gems, g_rand_int_range (rand, 0, n));
      g_autoptr(GPtrArray) in = sluice_pipeline_get_edges_of (p, id, SLUICE_PORT_INPUT);

      if (in->len > 0 && sluice_pipeline_disconnect (p, g_ptr_array_index (in, 0), NULL) &&
          !sluice_pipeline_connect (p, sluice_gem_get_id (other), "out", id, "in0", NULL))
        sluice_pipeline_undo (p);
    }
  else if (what == 8)
    {
      SluiceGem *added = sluice_pipeline_add_gem (p, "Filter", "added", 0, 0, NULL);
      set_string (p, sluice_gem_get_id (added), "condition", "id > 0");
      sluice_pipeline_connect (p, id, "out", sluice_gem_get_id (added), "in0", NULL);
    }
}

static void
test_random_edits_keep_the_cache_exact (void)
{
  g_autoptr(GListStore) datasets = orders_datasets ();
  g_autoptr(SluicePipeline) p = chain (60);
  g_autoptr(SluiceResolver) r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  g_autoptr(SluiceCodeCache) cache = sluice_code_cache_new (p, G_LIST_MODEL (datasets), r);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261201);

  assert_same_as_fresh (cache, p, G_LIST_MODEL (datasets));
  for (guint i = 0; i < 300; i++)
    {
      random_edit (p, rand);
      /* Sometimes several edits between generations. */
      if (g_rand_int_range (rand, 0, 3) == 0)
        random_edit (p, rand);
      assert_same_as_fresh (cache, p, G_LIST_MODEL (datasets));
    }
  g_assert_finalize_object (g_steal_pointer (&cache));
}

/* An edit that keeps the columns rewrites the edited gem alone (and the
 * Source and Target, which are always written); one that changes them,
 * what is downstream up to where the columns are the same again. */
static void
test_an_edit_rewrites_only_what_changed (void)
{
  g_autoptr(GListStore) datasets = orders_datasets ();
  g_autoptr(SluicePipeline) p = chain (200);
  g_autoptr(SluiceResolver) r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  g_autoptr(SluiceCodeCache) cache = sluice_code_cache_new (p, G_LIST_MODEL (datasets), r);

  assert_same_as_fresh (cache, p, G_LIST_MODEL (datasets));
  g_assert_cmpuint (sluice_code_cache_take_written_count (cache), ==, 199 * 2 + 200);

  set_string (p, "g_101", "condition", "amount > 1000");
  assert_same_as_fresh (cache, p, G_LIST_MODEL (datasets));
  /* g_101 in three targets; the Source in three; the Target in PySpark. */
  g_assert_cmpuint (sluice_code_cache_take_written_count (cache), ==, 3 + 3 + 1);

  /* Dropping a column changes the schema, and so every schema below it:
   * what is downstream is rewritten too. */
  set_columns (p, "g_100", "[{\"name\": \"id\", \"expression\": \"id\"}, {\"name\": \"amount\", \"expression\": \"amount\"}]");
  assert_same_as_fresh (cache, p, G_LIST_MODEL (datasets));
  g_assert_cmpuint (sluice_code_cache_take_written_count (cache), >, 3 + 3 + 1);
  g_assert_finalize_object (g_steal_pointer (&cache));
}

/* The order of the passes over the file that the generators used to make,
 * to check the linear one against. */
static GPtrArray *
order_by_passes (SluicePipeline *p)
{
  GListModel *gems = sluice_pipeline_get_gems (p);
  g_autoptr(GHashTable) done = g_hash_table_new (g_str_hash, g_str_equal);
  GPtrArray *order = g_ptr_array_new ();
  gboolean progress = TRUE;

  while (progress)
    {
      progress = FALSE;
      for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          g_autoptr(GPtrArray) in = NULL;
          gboolean ready = TRUE;

          if (g_hash_table_contains (done, sluice_gem_get_id (gem)))
            continue;
          in = sluice_pipeline_get_edges_of (p, sluice_gem_get_id (gem), SLUICE_PORT_INPUT);
          for (guint k = 0; k < in->len; k++)
            if (!g_hash_table_contains (done, sluice_edge_get_from_gem (g_ptr_array_index (in, k))))
              ready = FALSE;
          if (ready)
            {
              g_hash_table_add (done, (gpointer) sluice_gem_get_id (gem));
              g_ptr_array_add (order, gem);
              progress = TRUE;
            }
        }
    }
  return order;
}

/* Random DAGs whose gems are listed in random order. */
static void
test_order_is_the_passes_order (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 50; round++)
    {
      g_autoptr(SluicePipeline) p = sluice_pipeline_new ("dag");
      guint n = g_rand_int_range (rand, 2, 40);
      g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
      g_autoptr(GPtrArray) want = NULL;
      g_autoptr(GPtrArray) got = NULL;

      /* Gem k may read gems made before it; the file lists them shuffled
       * because each is inserted at a random place by undoing nothing:
       * add in order, then rebuild the file order through removal and
       * undo is too indirect, so make sources of later gems by id. */
      for (guint k = 0; k < n; k++)
        {
          g_autofree char *label = g_strdup_printf ("n %u", g_rand_int_range (rand, 0, 1000));
          SluiceGem *gem = sluice_pipeline_add_gem (p, k == 0 || g_rand_int_range (rand, 0, 4) == 0 ? "Source" : "SetOperation",
                                                    label, 0, 0, NULL);
          g_ptr_array_add (ids, g_strdup (sluice_gem_get_id (gem)));
        }
      /* Edges between random pairs, from the later-made to the earlier-made
       * as often as not: the file order is then no dependency order. */
      for (guint e = 0; e < n * 2; e++)
        {
          guint a = g_rand_int_range (rand, 0, n), b = g_rand_int_range (rand, 0, n);
          SluiceGem *to = sluice_pipeline_find_gem (p, g_ptr_array_index (ids, b));
          if (a != b && g_str_equal (sluice_gem_get_type_name (to), "SetOperation"))
            sluice_pipeline_connect (p, g_ptr_array_index (ids, a), "out", g_ptr_array_index (ids, b),
                                     g_rand_boolean (rand) ? "in0" : "in1", NULL);
        }
      want = order_by_passes (p);
      got = _sluice_codegen_order (p, NULL, FALSE);
      g_assert_cmpuint (got->len, ==, want->len);
      for (guint i = 0; i < want->len; i++)
        g_assert_true (g_ptr_array_index (got, i) == g_ptr_array_index (want, i));
    }
}

static void
assert_order_is_the_passes_order (SluicePipeline *p)
{
  g_autoptr(GPtrArray) want = order_by_passes (p);
  g_autoptr(GPtrArray) got = _sluice_codegen_order (p, NULL, FALSE);

  g_assert_cmpuint (got->len, ==, want->len);
  for (guint i = 0; i < want->len; i++)
    g_assert_true (g_ptr_array_index (got, i) == g_ptr_array_index (want, i));
}

/* Orders are kept on the pipeline: each edit of its structure (a wire, a
 * gem, a rename, their undo) must give the order of the edited pipeline. */
static void
test_order_follows_structure_edits (void)
{
  g_autoptr(GRand) rand = g_rand_new_with_seed (11);
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("dag");
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);

  for (guint k = 0; k < 12; k++)
    {
      g_autofree char *label = g_strdup_printf ("n %u", k);
      SluiceGem *gem = sluice_pipeline_add_gem (p, k < 3 ? "Source" : "SetOperation", label, 0, 0, NULL);
      g_ptr_array_add (ids, g_strdup (sluice_gem_get_id (gem)));
    }
  assert_order_is_the_passes_order (p);
  for (guint step = 0; step < 200; step++)
    {
      guint a = g_rand_int_range (rand, 0, ids->len), b = g_rand_int_range (rand, 3, ids->len);
      guint what = g_rand_int_range (rand, 0, 4);

      if (what == 0)
        sluice_pipeline_undo (p);
      else if (what == 1)
        sluice_pipeline_redo (p);
      else if (a != b)
        sluice_pipeline_connect (p, g_ptr_array_index (ids, a), "out", g_ptr_array_index (ids, b),
                                 g_rand_boolean (rand) ? "in0" : "in1", NULL);
      assert_order_is_the_passes_order (p);
    }
}

/* A chain of @n gems (Source, Filters, Target) as a file listing them in
 * dependency order or, with @reversed, each before the gem feeding it. */
static SluicePipeline *
chain_file (guint    n,
            gboolean reversed)
{
  GString *json = g_string_new ("{\"format_version\": 1, \"gems\": [\n");
  g_autoptr(GBytes) bytes = NULL;
  SluicePipeline *p;

  for (guint k = 0; k < n; k++)
    {
      guint i = reversed ? n - 1 - k : k;

      if (i == n - 1)
        g_string_append (json, "{\"id\": \"write\", \"type\": \"Target\", \"label\": \"write\", \"position\": {\"x\": 0, \"y\": 0},"
                               " \"config\": {\"dataset\": \"out\"}}");
      else if (i == 0)
        g_string_append (json, "{\"id\": \"g_0\", \"type\": \"Source\", \"label\": \"g 0\", \"position\": {\"x\": 0, \"y\": 0},"
                               " \"config\": {\"dataset\": \"orders\"}}");
      else
        g_string_append_printf (json, "{\"id\": \"g_%u\", \"type\": \"Filter\", \"label\": \"g %u\", \"position\": {\"x\": 0, \"y\": 0},"
                                      " \"config\": {\"condition\": \"amount > %u\"}}", i, i, i);
      g_string_append (json, k + 1 < n ? ",\n" : "\n], \"edges\": [\n");
    }
  for (guint i = 1; i < n - 1; i++)
    g_string_append_printf (json, "{\"from\": \"g_%u.out\", \"to\": \"g_%u.in0\"},\n", i - 1, i);
  g_string_append_printf (json, "{\"from\": \"g_%u.out\", \"to\": \"write.in0\"}\n]}\n", n - 2);
  bytes = g_string_free_to_bytes (json);
  p = sluice_pipeline_load_from_bytes ("chain", "pipelines/chain.json", bytes, NULL, NULL);
  g_assert_nonnull (p);
  return p;
}

/* Resolves and generates Spark SQL and PySpark; returns the seconds. */
static double
generate_timed (SluicePipeline *p,
                GListModel     *datasets,
                char                 **sql,
                SluicePySparkPackage **py)
{
  g_autoptr(SluiceResolver) r = sluice_resolver_new (p, datasets);
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  gint64 t0 = g_get_monotonic_time ();

  *sql = sluice_sql_generate (p, datasets, r, SLUICE_DIALECT_SPARK, problems);
  *py = sluice_pyspark_generate (p, datasets, r, problems);
  g_assert_cmpuint (problems->len, ==, 0);
  return (g_get_monotonic_time () - t0) / 1e6;
}

/* A 5,000-gem chain whose file lists every gem before the one feeding it:
 * the passes took one per gem (12.5 million gem visits); now it costs what
 * the same chain in file order costs. */
static void
test_a_reversed_chain_generates_quickly (void)
{
  g_autoptr(GListStore) datasets = orders_datasets ();
  const guint n = 5000;
  g_autoptr(SluicePipeline) forward = chain_file (n, FALSE);
  g_autoptr(SluicePipeline) reversed = chain_file (n, TRUE);
  g_autofree char *forward_sql = NULL;
  g_autofree char *sql = NULL;
  g_autoptr(SluicePySparkPackage) forward_py = NULL;
  g_autoptr(SluicePySparkPackage) py = NULL;
  double forward_seconds = generate_timed (forward, G_LIST_MODEL (datasets), &forward_sql, &forward_py);
  double seconds = generate_timed (reversed, G_LIST_MODEL (datasets), &sql, &py);
  /* The sanitizers make everything some 40 times slower. */
#if defined(__SANITIZE_ADDRESS__)
  const double limit = 10.0;
#else
  const double limit = 1.0;
#endif

  g_test_message ("a 5,000-gem chain resolved and generated in %.3f s, listed in reverse %.3f s",
                  forward_seconds, seconds);
  /* Upstream first, though the file lists it last: the same code. */
  g_assert_true (g_str_has_prefix (strstr (sql, "WITH "), "WITH `g_0` AS ("));
  g_assert_nonnull (strstr (sql, "`g_4998` AS (\n  -- g 4998 (Filter)\n  SELECT * FROM `g_4997` WHERE"));
  g_assert_cmpstr (sql, ==, forward_sql);
  g_assert_cmpuint (sluice_pyspark_package_get_n_files (py), ==, n + 4);
  g_assert_cmpfloat (seconds, <, 3 * forward_seconds + 0.1);
  g_assert_cmpfloat (seconds, <, limit);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/codegen/code-cache/example-and-catalog-match-the-generators",
                   test_example_and_catalog_match_the_generators);
  g_test_add_func ("/sluice/codegen/code-cache/random-edits-keep-the-cache-exact", test_random_edits_keep_the_cache_exact);
  g_test_add_func ("/sluice/codegen/code-cache/an-edit-rewrites-only-what-changed", test_an_edit_rewrites_only_what_changed);
  g_test_add_func ("/sluice/codegen/order/is-the-passes-order", test_order_is_the_passes_order);
  g_test_add_func ("/sluice/codegen/order/follows-structure-edits", test_order_follows_structure_edits);
  g_test_add_func ("/sluice/codegen/order/a-reversed-chain-generates-quickly", test_a_reversed_chain_generates_quickly);
  return g_test_run ();
}
