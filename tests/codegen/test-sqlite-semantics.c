/* The example's pipelines compiled to SQLite and run on small tables; the
 * rows must be the ones computed by hand below, not by Sluice. */
#include "config.h"

#include <sqlite3.h>

#include "sluice-sql-generator.h"

static const char setup_sql[] =
  "CREATE TABLE \"orders\" (order_id, line_no, customer_id, product_id, order_date, quantity, unit_price, discount, status, channel);"
  "INSERT INTO \"orders\" VALUES"
  " (1, 1, 10, 100, '2024-01-05', 2, 10.00, NULL, 'completed', 'web'),"   /* 2 × 10        = 20  */
  " (1, 2, 10, 101, '2024-01-05', 1, 5.00, 0.10, 'completed', 'web'),"    /* 1 × 5 × 0.9   = 4.5 */
  " (2, 1, 11, 100, '2024-02-01', 3, 10.00, NULL, 'returned', 'store'),"  /* 3 × 10        = 30  */
  " (3, 1, 12, 102, '2024-02-03', 1, 100.00, 0.20, 'completed', 'web');"  /* 1 × 100 × 0.8 = 80  */
  "CREATE TABLE \"products\" (product_id, product_name, category, sub_category, list_price, unit_cost);"
  "INSERT INTO \"products\" VALUES (100, 'Chair', 'Furniture', 'Chairs', 10, 5),"
  " (101, 'Pen', 'Office Supplies', 'Art', 5, 1), (102, 'Desk', 'Furniture', 'Tables', 100, 50);"
  "CREATE TABLE \"orders_enriched\" (order_month, segment, line_total);"
  "INSERT INTO \"orders_enriched\" VALUES ('2024-01-01', 'Consumer', 20), ('2024-01-01', 'Corporate', 4.5),"
  " ('2024-02-01', 'Consumer', 80), ('2024-02-01', 'Home Office', 7), ('2024-02-01', 'Consumer', 1);"
  "CREATE TABLE \"customers\" (customer_id, first_name, last_name, email, segment, country, city, signup_date, newsletter, note);"
  "INSERT INTO \"customers\" VALUES (1, 'A', 'X', 'a@x', 'Consumer', 'DE', 'Berlin', '2024-01-01', 1, NULL),"
  " (2, 'B', 'Y', 'b@x', 'Corporate', 'FR', 'Paris', '2024-03-01', 0, 'n');"
  "CREATE TABLE \"legacy_customers\" (customer_id, first_name, last_name, email, segment, country, city, signup_date, newsletter, note);"
  "INSERT INTO \"legacy_customers\" VALUES (901, 'A', 'X', 'a@x', 'Consumer', 'DE', 'Berlin', '2020-01-01', 0, NULL),"
  " (902, 'C', 'Z', 'c@x', 'Consumer', 'DE', 'Bonn', '2021-01-01', 0, NULL);";

typedef struct
{
  const char *pipeline;
  const char *target;
  gboolean    ordered;
  const char *rows;   /* "a|b|c" per row, '\n' separated; sorted unless ordered */
} Case;

static const Case cases[] = {
  /* Revenue per product (all lines), joined to products, ranked within category. */
  { "top_products", "write_top_products", FALSE,
    "Furniture|Chair|50.0|2\n"
    "Furniture|Desk|80.0|1\n"
    "Office Supplies|Pen|4.5|1\n" },
  /* Pivot by segment, one row per month, by month. */
  { "revenue_by_month", "write_revenue_by_month", TRUE,
    "2024-01-01|20|4.5|NULL\n"
    "2024-02-01|81|NULL|7\n" },
  /* Both shops, one row per e-mail (the newest), counted per country. */
  { "customer_cleanup", "write_customers_by_country", FALSE,
    "DE|2\n"
    "FR|1\n" },
};

static int
compare_rows (gconstpointer a,
              gconstpointer b)
{
  return g_strcmp0 (*(char **) a, *(char **) b);
}

static char *
run_query (sqlite3    *db,
           const char *sql,
           gboolean    ordered)
{
  sqlite3_stmt *stmt = NULL;
  g_autoptr(GPtrArray) rows = g_ptr_array_new_with_free_func (g_free);
  GString *out = g_string_new (NULL);
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("SQLite refused the generated SQL: %s\n%s", sqlite3_errmsg (db), sql);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      GString *row = g_string_new (NULL);
      for (int c = 0; c < sqlite3_column_count (stmt); c++)
        {
          const unsigned char *v = sqlite3_column_text (stmt, c);
          g_string_append_printf (row, "%s%s", c ? "|" : "", v ? (const char *) v : "NULL");
        }
      g_ptr_array_add (rows, g_string_free (row, FALSE));
    }
  g_assert_cmpint (rc, ==, SQLITE_DONE);
  sqlite3_finalize (stmt);
  if (!ordered)
    g_ptr_array_sort (rows, compare_rows);
  for (guint i = 0; i < rows->len; i++)
    g_string_append_printf (out, "%s\n", (char *) g_ptr_array_index (rows, i));
  return g_string_free (out, FALSE);
}

static void
test_example_pipelines_compute_the_right_rows (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (root);
  g_autoptr(SluiceProject) project = sluice_project_load (dir, NULL, NULL);
  sqlite3 *db = NULL;
  char *err = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, setup_sql, NULL, NULL, &err), ==, SQLITE_OK);

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      SluicePipeline *p = sluice_project_find_pipeline (project, cases[i].pipeline);
      g_autoptr(SluiceResolver) r = sluice_resolver_new (p, sluice_project_get_datasets (project));
      g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
      g_autofree char *sql = sluice_sql_generate_query (p, sluice_project_get_datasets (project), r,
                                                        cases[i].target, problems);
      g_autofree char *rows = NULL;

      g_test_message ("%s", cases[i].pipeline);
      g_assert_cmpuint (problems->len, ==, 0);
      g_assert_nonnull (sql);
      rows = run_query (db, sql, cases[i].ordered);
      g_assert_cmpstr (rows, ==, cases[i].rows);
    }
  sqlite3_close (db);
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/codegen/sqlite/example-pipelines-compute-the-right-rows",
                   test_example_pipelines_compute_the_right_rows);

  return g_test_run ();
}
