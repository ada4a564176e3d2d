/* Whole pipelines as Spark SQL and Snowflake SQL: byte for byte as the
 * reviewed golden files, and honest about what a dialect cannot do. */
#include "config.h"

#include "sluice-sql-generator.h"

static void
test_example_matches_golden_files (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, NULL);
  GListModel *pipelines = sluice_project_get_pipelines (project);
  const char *suffix[] = { "spark", "snowflake" };
  guint checked = 0;

  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      g_autoptr(SluiceResolver) r = sluice_resolver_new (p, sluice_project_get_datasets (project));

      for (guint d = 0; d < 2; d++)
        {
          g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
          g_autofree char *sql = sluice_sql_generate (p, sluice_project_get_datasets (project), r, d, problems);
          g_autofree char *again = sluice_sql_generate (p, sluice_project_get_datasets (project), r, d, problems);
          /* The example's committed code is the reviewed golden output. */
          g_autofree char *name = g_strdup_printf ("%s.sql", sluice_pipeline_get_name (p));
          g_autofree char *path = g_build_filename (root, "code", "sql", suffix[d], name, NULL);
          g_autofree char *golden = NULL;

          g_test_message ("%s", name);
          g_assert_true (g_file_get_contents (path, &golden, NULL, NULL));
          g_assert_cmpstr (sql, ==, golden);
          g_assert_cmpstr (again, ==, sql);      /* deterministic */
          g_assert_cmpuint (problems->len, ==, 0);
          checked++;
        }
    }
  g_assert_cmpuint (checked, ==, 8);
}

static const char pipeline_text[] =
  "{\"format_version\": 1, \"gems\": ["
  "{\"id\": \"files\", \"type\": \"Source\", \"label\": \"Files\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"dataset\": \"raw\"}},"
  "{\"id\": \"pad\", \"type\": \"Reformat\", \"label\": \"Pad\\n-- DROP TABLE x\", \"position\": {\"x\": 0, \"y\": 0},"
  " \"config\": {\"columns\": [{\"name\": \"code\", \"expression\": \"regexp_extract(code, '([0-9]+)', 1)\"}]}},"
  "{\"id\": \"py\", \"type\": \"Script\", \"label\": \"Py\", \"position\": {\"x\": 0, \"y\": 0}, \"inputs\": [\"in0\"],"
  " \"config\": {\"code\": \"df = in0\", \"schema\": [{\"name\": \"code\", \"type\": \"string\"}]}},"
  "{\"id\": \"out\", \"type\": \"Target\", \"label\": \"Out\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"dataset\": \"raw\", \"mode\": \"append\"}}"
  "], \"edges\": [{\"from\": \"files.out\", \"to\": \"pad.in0\"}, {\"from\": \"pad.out\", \"to\": \"py.in0\"},"
  " {\"from\": \"py.out\", \"to\": \"out.in0\"}]}";

static void
test_what_a_dialect_cannot_do_is_a_problem (void)
{
  const char *ds = "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"/data/raw/codes.csv\","
                   " \"schema\": [{\"name\": \"code\", \"type\": \"string\"}]}";
  g_autoptr(GBytes) dbytes = g_bytes_new_static (ds, strlen (ds));
  g_autoptr(SluiceDataset) raw = sluice_dataset_load_from_bytes ("raw", "datasets/raw.json", dbytes, NULL, NULL);
  g_autoptr(GListStore) datasets = g_list_store_new (SLUICE_TYPE_DATASET);
  g_autoptr(GBytes) bytes = g_bytes_new_static (pipeline_text, strlen (pipeline_text));
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, NULL, NULL);
  g_autoptr(SluiceResolver) r = NULL;
  g_autoptr(GPtrArray) spark = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) snow = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *spark_sql = NULL;
  g_autofree char *snow_sql = NULL;

  g_assert_nonnull (p);
  g_list_store_append (datasets, raw);
  r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  spark_sql = sluice_sql_generate (p, G_LIST_MODEL (datasets), r, SLUICE_DIALECT_SPARK, spark);
  snow_sql = sluice_sql_generate (p, G_LIST_MODEL (datasets), r, SLUICE_DIALECT_SNOWFLAKE, snow);

  /* Spark reads the file directly but cannot append to it, nor run PySpark. */
  g_assert_cmpuint (spark->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (spark, 0), ==,
                   "gem “out”: Spark SQL cannot write mode “append” to the file location /data/raw/codes.csv of dataset “raw”");
  g_assert_null (strstr (spark_sql, "INSERT"));

  /* Snowflake cannot write the file at all: the target is refused first. */
  g_assert_cmpuint (snow->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (snow, 0), ==,
                   "gem “out”: Snowflake SQL cannot write mode “append” to the file location /data/raw/codes.csv of dataset “raw”");

  /* With an overwrite target, the whole chain is written, and its problems named. */
  {
    g_autoptr(JsonNode) overwrite = json_node_init_string (json_node_alloc (), "overwrite");
    g_autoptr(GPtrArray) spark2 = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) snow2 = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *spark2_sql = NULL;
    g_autofree char *snow2_sql = NULL;

    g_assert_true (sluice_pipeline_set_config (p, "out", "mode", overwrite, NULL));
    spark2_sql = sluice_sql_generate (p, G_LIST_MODEL (datasets), r, SLUICE_DIALECT_SPARK, spark2);
    snow2_sql = sluice_sql_generate (p, G_LIST_MODEL (datasets), r, SLUICE_DIALECT_SNOWFLAKE, snow2);

    g_assert_nonnull (strstr (spark2_sql, "INSERT OVERWRITE DIRECTORY '/data/raw/codes.csv' USING csv\n"));
    g_assert_nonnull (strstr (spark2_sql, "SELECT * FROM csv.`/data/raw/codes.csv`"));
    g_assert_cmpuint (spark2->len, ==, 1);
    g_assert_cmpstr (g_ptr_array_index (spark2, 0), ==, "gem “py”: a Script gem is PySpark code, which Spark SQL cannot run");

    g_assert_cmpuint (snow2->len, ==, 1);
    g_assert_true (g_str_has_prefix (g_ptr_array_index (snow2, 0), "gem “out”: Snowflake SQL cannot write mode “overwrite”"));

    /* A label cannot end its comment and inject SQL. */
    g_assert_nonnull (strstr (spark2_sql, "-- Pad -- DROP TABLE x (Reformat)\n"));
    g_assert_null (strstr (spark2_sql, "\n-- DROP TABLE x"));
  }

  /* Snowflake's problems inside the chain, with a table target. */
  {
    const char *table_ds = "{\"format_version\": 1, \"format\": \"table\", \"location\": \"db.codes\","
                           " \"schema\": [{\"name\": \"code\", \"type\": \"string\"}]}";
    g_autoptr(GBytes) tbytes = g_bytes_new_static (table_ds, strlen (table_ds));
    g_autoptr(SluiceDataset) codes = sluice_dataset_load_from_bytes ("codes", "datasets/codes.json", tbytes, NULL, NULL);
    g_autoptr(JsonNode) name = json_node_init_string (json_node_alloc (), "codes");
    g_autoptr(GPtrArray) snow3 = g_ptr_array_new_with_free_func (g_free);
    g_autofree char *snow3_sql = NULL;

    g_list_store_append (datasets, codes);
    g_assert_true (sluice_pipeline_set_config (p, "out", "dataset", name, NULL));
    snow3_sql = sluice_sql_generate (p, G_LIST_MODEL (datasets), r, SLUICE_DIALECT_SNOWFLAKE, snow3);
    g_assert_cmpuint (snow3->len, ==, 3);
    g_assert_cmpstr (g_ptr_array_index (snow3, 0), ==,
                     "gem “files”: Snowflake SQL reads tables, and dataset “raw” is a csv file at /data/raw/codes.csv");
    g_assert_cmpstr (g_ptr_array_index (snow3, 1), ==, "gem “pad”: Snowflake SQL cannot express the function “regexp_extract”");
    g_assert_cmpstr (g_ptr_array_index (snow3, 2), ==, "gem “py”: a Script gem is PySpark code, which Snowflake SQL cannot run");
    g_assert_nonnull (strstr (snow3_sql, "INSERT OVERWRITE INTO \"DB\".\"CODES\"\n"));
  }
}

/* WITH `orders` AS (SELECT * FROM `orders`) would read the CTE itself. */
static void
test_a_table_named_like_a_gem_is_a_problem (void)
{
  const char *ds = "{\"format_version\": 1, \"format\": \"table\", \"location\": \"orders\","
                   " \"schema\": [{\"name\": \"id\", \"type\": \"int\"}]}";
  const char *text = "{\"format_version\": 1, \"gems\": ["
    "{\"id\": \"orders\", \"type\": \"Source\", \"label\": \"Orders\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"dataset\": \"orders\"}},"
    "{\"id\": \"out\", \"type\": \"Target\", \"label\": \"Out\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": {\"dataset\": \"orders\"}}"
    "], \"edges\": [{\"from\": \"orders.out\", \"to\": \"out.in0\"}]}";
  g_autoptr(GBytes) dbytes = g_bytes_new_static (ds, strlen (ds));
  g_autoptr(SluiceDataset) orders = sluice_dataset_load_from_bytes ("orders", "datasets/orders.json", dbytes, NULL, NULL);
  g_autoptr(GListStore) datasets = g_list_store_new (SLUICE_TYPE_DATASET);
  g_autoptr(GBytes) bytes = g_bytes_new_static (text, strlen (text));
  g_autoptr(SluicePipeline) p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, NULL, NULL);
  g_autoptr(SluiceResolver) r = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *sql = NULL;

  g_list_store_append (datasets, orders);
  r = sluice_resolver_new (p, G_LIST_MODEL (datasets));
  sql = sluice_sql_generate (p, G_LIST_MODEL (datasets), r, SLUICE_DIALECT_SPARK, problems);
  g_assert_cmpuint (problems->len, ==, 1);
  g_assert_cmpstr (g_ptr_array_index (problems, 0), ==,
                   "gem “orders”: the table “orders” has the name of the gem “orders”: qualify the location "
                   "of dataset “orders” (database.orders)");
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/codegen/sql-generator/example-matches-golden-files", test_example_matches_golden_files);
  g_test_add_func ("/sluice/codegen/sql-generator/what-a-dialect-cannot-do-is-a-problem", test_what_a_dialect_cannot_do_is_a_problem);

  g_test_add_func ("/sluice/codegen/sql-generator/a-table-named-like-a-gem-is-a-problem", test_a_table_named_like_a_gem_is_a_problem);

  return g_test_run ();
}
