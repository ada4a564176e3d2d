/* sluice_code_targets_generate(): the three targets written by threads
 * that each take a run of the gems are byte for byte what the generators
 * write one after the other, problems
 * included and in the same order, for every gem of the catalog, the example,
 * broken pipelines (whose questions take the resolver's write side while
 * the other thread reads) and a long pipeline, many times over. */
#include "config.h"

#include "sluice-code-targets.h"
#include "sluice-sql-generator.h"

static char *
joined (GPtrArray *problems)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < problems->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (problems, i));
  return g_string_free (out, FALSE);
}

static void
assert_parallel_is_serial (SluicePipeline *p,
                           GListModel     *datasets,
                           guint           rounds,
                           gboolean        broken)
{
  g_autoptr(SluiceResolver) one = sluice_resolver_new (p, datasets);
  g_autoptr(GPtrArray) want_problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SluicePySparkPackage) want_py = sluice_pyspark_generate (p, datasets, one, want_problems);
  g_autofree char *want_spark = sluice_sql_generate (p, datasets, one, SLUICE_DIALECT_SPARK, want_problems);
  g_autofree char *want_snow = sluice_sql_generate (p, datasets, one, SLUICE_DIALECT_SNOWFLAKE, want_problems);
  g_autofree char *want_text = joined (want_problems);

  if (broken)
    g_assert_cmpuint (want_problems->len, >, 50);
  for (guint round = 0; round < rounds; round++)
    {
      /* A fresh resolver each round, resolved or not: begin_shared must
       * resolve what is left. */
      g_autoptr(SluiceResolver) r = sluice_resolver_new (p, datasets);
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_auto(SluiceCodeTargets) code = { NULL, NULL, NULL };
      g_autofree char *text = NULL;

      if (round % 2 == 0)
        g_ptr_array_unref (sluice_resolver_get_all_diagnostics (r));
      sluice_code_targets_generate (&code, p, datasets, r, SLUICE_CODE_TARGET_ALL, problems);
      text = joined (problems);
      g_assert_cmpstr (text, ==, want_text);
      g_assert_cmpstr (code.spark_sql, ==, want_spark);
      g_assert_cmpstr (code.snowflake_sql, ==, want_snow);
      g_assert_cmpuint (sluice_pyspark_package_get_n_files (code.pyspark), ==, sluice_pyspark_package_get_n_files (want_py));
      for (guint i = 0; i < sluice_pyspark_package_get_n_files (want_py); i++)
        {
          g_assert_cmpstr (sluice_pyspark_package_get_path (code.pyspark, i), ==, sluice_pyspark_package_get_path (want_py, i));
          g_assert_cmpstr (sluice_pyspark_package_get_contents (code.pyspark, i, NULL), ==,
                           sluice_pyspark_package_get_contents (want_py, i, NULL));
        }
    }
}

static void
check_project (const char *relative,
               guint       rounds)
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
      assert_parallel_is_serial (p, sluice_project_get_datasets (project), rounds, FALSE);
    }
}

static void
test_catalog_and_example (void)
{
  check_project ("tests/codegen/catalog", 20);
  check_project ("examples/retail", 20);
}

static GListStore *
orders (void)
{
  const char *text = "{\"format_version\": 1, \"format\": \"table\", \"location\": \"db.o\", \"schema\": ["
                     "{\"name\": \"id\", \"type\": \"bigint\"}, {\"name\": \"amount\", \"type\": \"decimal(10,2)\"},"
                     "{\"name\": \"region\", \"type\": \"string\"}]}";
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(SluiceDataset) d = sluice_dataset_load_from_bytes ("orders", "datasets/orders.json", bytes, NULL, NULL);
  GListStore *store = g_list_store_new (SLUICE_TYPE_DATASET);

  g_assert_nonnull (d);
  g_list_store_append (store, d);
  return store;
}

static SluicePipeline *
load (const char *json)
{
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  SluicePipeline *p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, diagnostics, NULL);

  g_assert_nonnull (p);
  return p;
}

/* Appends to @json's list of gems (begun with "[\n") a gem @id of @type,
 * labelled with its id, whose configuration is the JSON object
 * @config_format makes. */
static void G_GNUC_PRINTF (4, 5)
append_gem (GString    *json,
            const char *id,
            const char *type,
            const char *config_format,
            ...)
{
  va_list args;

  g_string_append_printf (json, "%s{\"id\": \"%s\", \"type\": \"%s\", \"label\": \"%s\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": ",
                          g_str_has_suffix (json->str, "[\n") ? "" : ",\n", id, type, id);
  va_start (args, config_format);
  g_string_append_vprintf (json, config_format, args);
  va_end (args);
  g_string_append_c (json, '}');
}

/* Gems the resolver could not check (an input missing, an expression that
 * does not parse, a function Snowflake lacks): their trees are made while
 * the generators ask, under the write lock, with the other thread reading. */
static void
test_broken_pipelines (void)
{
  g_autoptr(GListStore) ds = orders ();
  GString *json = g_string_new ("{\"format_version\": 1, \"gems\": [\n");
  g_autoptr(SluicePipeline) p = NULL;

  append_gem (json, "src", "Source", "{\"dataset\": \"orders\"}");
  for (guint i = 0; i < 200; i++)
    {
      const char *cond = i % 4 == 0 ? "amount >" : i % 4 == 1 ? "rlike(region, 'x')" : i % 4 == 2 ? "nosuchfunction(id)" : "id > 1";
      g_autofree char *f = g_strdup_printf ("f%u", i);
      g_autofree char *r = g_strdup_printf ("r%u", i);

      append_gem (json, f, "Filter", "{\"condition\": \"%s\"}", cond);
      append_gem (json, r, "Reformat", "{\"columns\": [{\"name\": \"a\", \"expression\": \"upper(region) || '%u'\"},"
                                       " {\"name\": \"b\", \"expression\": \"amount * %u\"}]}", i, i);
    }
  g_string_append (json, "\n], \"edges\": [\n");
  for (guint i = 0; i < 200; i++)
    {
      /* Every third Filter is fed by nothing: unchecked. */
      if (i % 3 != 2)
        g_string_append_printf (json, "{\"from\": \"src.out\", \"to\": \"f%u.in0\"},\n", i);
      g_string_append_printf (json, "{\"from\": \"f%u.out\", \"to\": \"r%u.in0\"}%s\n", i, i, i + 1 < 200 ? "," : "");
    }
  g_string_append (json, "]}\n");
  p = load (json->str);
  g_string_free (json, TRUE);
  assert_parallel_is_serial (p, G_LIST_MODEL (ds), 20, TRUE);
}

/* Long enough that both threads are busy at once for a while. */
static void
test_a_long_chain (void)
{
  g_autoptr(GListStore) ds = orders ();
  GString *json = g_string_new ("{\"format_version\": 1, \"gems\": [\n");
  g_autoptr(SluicePipeline) p = NULL;
  const guint n = 3000;

  append_gem (json, "g0", "Source", "{\"dataset\": \"orders\"}");
  for (guint i = 1; i < n; i++)
    {
      g_autofree char *id = g_strdup_printf ("g%u", i);

      if (i % 2)
        append_gem (json, id, "Filter", "{\"condition\": \"amount > %u AND region <> 'r%u'\"}", i % 50, i % 7);
      else
        append_gem (json, id, "Reformat", "{\"columns\": [{\"name\": \"id\", \"expression\": \"id\"},"
                                          " {\"name\": \"amount\", \"expression\": \"amount * 1.1 + %u\"},"
                                          " {\"name\": \"region\", \"expression\": \"concat(upper(region), '%u')\"}]}",
                    i % 30, i % 11);
    }
  append_gem (json, "w", "Target", "{\"dataset\": \"orders\"}");
  g_string_append (json, "\n], \"edges\": [\n");
  for (guint i = 1; i < n; i++)
    g_string_append_printf (json, "{\"from\": \"g%u.out\", \"to\": \"g%u.in0\"},\n", i - 1, i);
  g_string_append_printf (json, "{\"from\": \"g%u.out\", \"to\": \"w.in0\"}\n]}\n", n - 1);
  p = load (json->str);
  g_string_free (json, TRUE);
  assert_parallel_is_serial (p, G_LIST_MODEL (ds), 6, FALSE);
}

/* Targets whose chains share what feeds them, a branch no Target reads
 * (written to PySpark only, its problems reported once), and gems with
 * problems: each target's chain is a part of the order, found again in
 * every run. */
static void
test_several_targets (void)
{
  g_autoptr(GListStore) ds = orders ();
  GString *json = g_string_new ("{\"format_version\": 1, \"gems\": [\n");
  g_autoptr(SluicePipeline) p = NULL;
  const guint n = 60;

  append_gem (json, "src", "Source", "{\"dataset\": \"orders\"}");
  for (guint i = 0; i < n; i++)
    {
      const char *cond = i % 5 == 0 ? "nosuchfunction(id)" : i % 5 == 1 ? "rlike(region, 'x')" : "amount > 1";
      g_autofree char *f = g_strdup_printf ("f%u", i);
      g_autofree char *t = g_strdup_printf ("t%u", i);

      append_gem (json, f, "Filter", "{\"condition\": \"%s\"}", cond);
      if (i % 4 == 3)
        append_gem (json, t, "Target", "{\"dataset\": \"orders\"}");
    }
  g_string_append (json, "\n], \"edges\": [\n{\"from\": \"src.out\", \"to\": \"f0.in0\"}");
  for (guint i = 1; i < n; i++)
    {
      /* Two chains from f0, the odd one a branch without a Target at its end. */
      guint from = i < 2 ? 0 : i - 2;
      g_string_append_printf (json, ",\n{\"from\": \"f%u.out\", \"to\": \"f%u.in0\"}", from, i);
    }
  for (guint i = 3; i < n; i += 4)
    if (i % 2 == 1 && i + 1 < n)
      g_string_append_printf (json, ",\n{\"from\": \"f%u.out\", \"to\": \"t%u.in0\"}", i - 1, i);
    else
      g_string_append_printf (json, ",\n{\"from\": \"f%u.out\", \"to\": \"t%u.in0\"}", i, i);
  g_string_append (json, "\n]}\n");
  p = load (json->str);
  g_string_free (json, TRUE);
  assert_parallel_is_serial (p, G_LIST_MODEL (ds), 10, FALSE);
}

int
main (int argc, char **argv)
{
  /* --threads=N and --part-min=N: as SLUICE_CODEGEN_THREADS and
   * SLUICE_CODEGEN_PART_MIN (with 2, even the catalog's small pipelines
   * are split between threads), before any thread starts. */
  for (int i = 1; i < argc; i++)
    {
      const char *var = g_str_has_prefix (argv[i], "--threads=") ? "SLUICE_CODEGEN_THREADS"
                        : g_str_has_prefix (argv[i], "--part-min=") ? "SLUICE_CODEGEN_PART_MIN" : NULL;

      if (var == NULL)
        continue;
      g_setenv (var, strchr (argv[i], '=') + 1, TRUE);
      memmove (&argv[i], &argv[i + 1], (argc - i) * sizeof (char *));
      argc--;
      i--;
    }
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/codegen/targets/catalog-and-example-as-one-thread-writes-them", test_catalog_and_example);
  g_test_add_func ("/sluice/codegen/targets/broken-pipelines-as-one-thread-writes-them", test_broken_pipelines);
  g_test_add_func ("/sluice/codegen/targets/a-long-chain-as-one-thread-writes-it", test_a_long_chain);
  g_test_add_func ("/sluice/codegen/targets/several-targets-as-one-thread-writes-them", test_several_targets);
  return g_test_run ();
}
