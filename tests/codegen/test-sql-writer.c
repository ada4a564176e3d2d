/* Expressions in each dialect, and quoting that no name or value can break:
 * checked against SQLite itself, Python's own parser, and Sluice's Spark
 * parser reading the Spark output back. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <sqlite3.h>

#include <glib/gstdio.h>
#include <unistd.h>

#include "sluice-codegen-error.h"
#include "sluice-sql-writer.h"

static const char *
alias_of (const char *qualifier,
          gpointer    user_data)
{
  return g_str_equal (qualifier, "in0") ? "orders" : g_str_equal (qualifier, "in1") ? "customers" : NULL;
}

typedef struct
{
  const char *expr;
  const char *spark, *snowflake, *sqlite;
} Case;

static const Case cases[] = {
  { "amount * 1.2", "(`amount` * 1.2)", "(\"AMOUNT\" * 1.2)", "(\"amount\" * 1.2)" },
  { "in0.customer_id = in1.customer_id",
    "(`orders`.`customer_id` = `customers`.`customer_id`)",
    "(\"ORDERS\".\"CUSTOMER_ID\" = \"CUSTOMERS\".\"CUSTOMER_ID\")",
    "(\"orders\".\"customer_id\" = \"customers\".\"customer_id\")" },
  { "concat(first_name, ' ', last_name)",
    "concat(`first_name`, ' ', `last_name`)", "CONCAT(\"FIRST_NAME\", ' ', \"LAST_NAME\")",
    "(\"first_name\" || ' ' || \"last_name\")" },
  { "date_add(order_date, 7)", "date_add(`order_date`, 7)", "DATEADD(day, 7, \"ORDER_DATE\")",
    "date(\"order_date\", printf('%+d days', 7))" },
  { "order_date >= DATE '2024-01-01'", "(`order_date` >= DATE '2024-01-01')",
    "(\"ORDER_DATE\" >= DATE '2024-01-01')", "(\"order_date\" >= '2024-01-01')" },
  { "a <=> b", "(`a` <=> `b`)", "EQUAL_NULL(\"A\", \"B\")", "(\"a\" IS \"b\")" },
  { "a / 2", "(`a` / 2)", "(\"A\" / 2)", "(CAST(\"a\" AS REAL) / 2)" },
  { "a DIV 2", "(`a` DIV 2)", "TRUNC(\"A\" / 2)", "(CAST(\"a\" AS INTEGER) / CAST(2 AS INTEGER))" },
  { "name RLIKE '^A'", "(`name` RLIKE '^A')", "((REGEXP_INSTR(\"NAME\", '^A') > 0))", "(\"name\" REGEXP '^A')" },
  { "CAST(x AS decimal(12,2))", "CAST(`x` AS DECIMAL(12, 2))", "CAST(\"X\" AS NUMBER(12, 2))", "CAST(\"x\" AS NUMERIC)" },
  { "CAST(x AS string)", "CAST(`x` AS STRING)", "CAST(\"X\" AS VARCHAR)", "CAST(\"x\" AS TEXT)" },
  { "- -5", "(- -5)", "(- -5)", "(- -5)" },
  { "vip = true", "(`vip` = TRUE)", "(\"VIP\" = TRUE)", "(\"vip\" = 1)" },
  { "count(DISTINCT id)", "count(DISTINCT `id`)", "COUNT(DISTINCT \"ID\")", "count(DISTINCT \"id\")" },
  { "count(*)", "count(*)", "COUNT(*)", "count(*)" },
  { "row_number() OVER (PARTITION BY c ORDER BY r DESC)",
    "row_number() OVER (PARTITION BY `c` ORDER BY `r` DESC)",
    "ROW_NUMBER() OVER (PARTITION BY \"C\" ORDER BY \"R\" DESC)",
    "row_number() OVER (PARTITION BY \"c\" ORDER BY \"r\" DESC)" },
  { "CASE WHEN s IN ('a', 'b') THEN 1 ELSE NULL END",
    "CASE WHEN (`s` IN ('a', 'b')) THEN 1 ELSE NULL END",
    "CASE WHEN (\"S\" IN ('a', 'b')) THEN 1 ELSE NULL END",
    "CASE WHEN (\"s\" IN ('a', 'b')) THEN 1 ELSE NULL END" },
  { "'it''s' || 'a\\\\b'", "('its' || 'a\\\\b')", "('its' || 'a\\\\b')", "('its' || 'a\\b')" },
};

static void
test_dialects (void)
{
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SluiceExpr) e = sluice_expr_parse (cases[i].expr, NULL, NULL, NULL);
      const char *expected[] = { cases[i].spark, cases[i].snowflake, cases[i].sqlite };

      g_assert_nonnull (e);
      for (guint d = 0; d < SLUICE_N_DIALECTS; d++)
        {
          g_autoptr(GError) error = NULL;
          g_autofree char *got = sluice_sql_write_expr (e, d, alias_of, NULL, &error);

          g_test_message ("%s in %s", cases[i].expr, sluice_dialect_name (d));
          g_assert_no_error (error);
          g_assert_cmpstr (got, ==, expected[d]);
        }
    }
}

static void
test_what_a_dialect_cannot_express_is_an_error (void)
{
  /* The local engine registers every catalog function; Snowflake has no
   * translation of Spark's datetime patterns. */
  g_autoptr(SluiceExpr) e = sluice_expr_parse ("upper(date_format(day, 'yyyy'))", NULL, NULL, NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *sql = sluice_sql_write_expr (e, SLUICE_DIALECT_SNOWFLAKE, NULL, NULL, &error);
  g_autofree char *spark = sluice_sql_write_expr (e, SLUICE_DIALECT_SPARK, NULL, NULL, NULL);

  g_assert_null (sql);
  g_assert_error (error, SLUICE_CODEGEN_ERROR, SLUICE_CODEGEN_ERROR_UNSUPPORTED);
  g_assert_cmpstr (error->message, ==, "Snowflake SQL cannot express the function “date_format”");
  g_assert_cmpstr (spark, ==, "upper(date_format(`day`, 'yyyy'))");
}

static char *
hostile (guint i)
{
  switch (i)
    {
    case 0: return g_strdup ("plain");
    case 1: return g_strdup ("back`tick``s");
    case 2: return g_strdup ("single'quote''s");
    case 3: return g_strdup ("double\"quote");
    case 4: return g_strdup ("back\\slash\\\\");
    case 5: return g_strdup ("new\nline\r\ttab");
    case 6: return g_strdup ("$$dollar$$");
    case 7: return g_strdup ("x'; DROP TABLE t;--");
    case 8: return g_strdup ("ünïcödé 日本 😀");
    case 9: return g_strdup ("select");
    case 10: return g_strdup ("\\'\\\"`\\`");
    case 11: return g_strnfill (255, 'w');
    case 12: return g_strdup ("/* not a comment */ -- nor this");
    case 13: return g_strdup ("\x01\x1f control");
    default: return NULL;
    }
}

static void
test_hostile_values_survive_sqlite (void)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (sqlite3_open (":memory:", &db), ==, SQLITE_OK);
  for (guint i = 0; ; i++)
    {
      g_autofree char *value = hostile (i);
      g_autofree char *literal = NULL;
      g_autofree char *ident = NULL;
      g_autofree char *sql = NULL;
      sqlite3_stmt *stmt = NULL;

      if (value == NULL)
        break;
      literal = sluice_sql_quote_string (SLUICE_DIALECT_SQLITE, value);
      ident = sluice_sql_quote_identifier (SLUICE_DIALECT_SQLITE, value);
      /* The value comes back intact, under a column named by the value. */
      sql = g_strdup_printf ("SELECT %s AS %s", literal, ident);
      g_test_message ("%s", sql);
      g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
      g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
      g_assert_cmpstr ((const char *) sqlite3_column_text (stmt, 0), ==, value);
      g_assert_cmpstr (sqlite3_column_name (stmt, 0), ==, value);
      g_assert_cmpint (sqlite3_column_count (stmt), ==, 1);
      sqlite3_finalize (stmt);
    }
  sqlite3_close (db);
}

static void
test_hostile_values_survive_spark_quoting (void)
{
  /* Spark's lexer rules, as Sluice's expression parser implements them,
   * must read back exactly what was quoted. */
  for (guint i = 0; ; i++)
    {
      g_autofree char *value = hostile (i);
      g_autofree char *ident = NULL;
      g_autofree char *literal = NULL;
      g_autofree char *text = NULL;
      g_autoptr(SluiceExpr) e = NULL;
      g_autoptr(GError) error = NULL;

      if (value == NULL)
        break;
      ident = sluice_sql_quote_identifier (SLUICE_DIALECT_SPARK, value);
      literal = sluice_sql_quote_string (SLUICE_DIALECT_SPARK, value);
      text = g_strdup_printf ("%s = %s", ident, literal);
      e = sluice_expr_parse (text, NULL, NULL, &error);
      g_test_message ("%s", text);
      g_assert_no_error (error);
      g_assert_cmpint (e->kind, ==, SLUICE_EXPR_BINARY);
      g_assert_cmpstr (((SluiceExpr *) e->args[0])->text, ==, value);
      g_assert_cmpstr (((SluiceExpr *) e->args[1])->text, ==, value);
    }
}

static void
test_hostile_values_survive_python (void)
{
  /* One quoted literal per line in a file; Python reads each with
   * ast.literal_eval and prints the values back as JSON. */
  const char *script =
    "import ast, json, sys\n"
    "values = [ast.literal_eval(line) for line in open(sys.argv[1], encoding='utf-8').read().split('\\n') if line]\n"
    "sys.stdout.write(json.dumps(values, ensure_ascii=True))\n";
  g_autoptr(GString) literals = g_string_new (NULL);
  g_autofree char *path = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonParser) parser = json_parser_new ();
  const char *argv[] = { "/usr/bin/python3", "-c", script, NULL, NULL };
  JsonArray *values;
  int fd, status;

  if (!g_file_test ("/usr/bin/python3", G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("/usr/bin/python3 is not installed");
      return;
    }
  for (guint i = 0; ; i++)
    {
      g_autofree char *value = hostile (i);
      g_autofree char *quoted = NULL;

      if (value == NULL)
        break;
      quoted = sluice_python_quote_string (value);
      g_assert_null (strchr (quoted, '\n'));   /* one line each */
      g_string_append_printf (literals, "%s\n", quoted);
    }
  fd = g_file_open_tmp ("sluice-python-XXXXXX", &path, &error);
  g_assert_no_error (error);
  close (fd);
  g_assert_true (g_file_set_contents (path, literals->str, literals->len, NULL));
  argv[3] = path;
  g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status, &error);
  g_unlink (path);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("python3 failed: %s", err);

  g_assert_true (json_parser_load_from_data (parser, out, -1, NULL));
  values = json_node_get_array (json_parser_get_root (parser));
  for (guint i = 0; ; i++)
    {
      g_autofree char *value = hostile (i);
      if (value == NULL)
        {
          g_assert_cmpuint (json_array_get_length (values), ==, i);
          break;
        }
      g_assert_cmpstr (json_array_get_string_element (values, i), ==, value);
    }
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/codegen/sql-writer/dialects", test_dialects);
  g_test_add_func ("/sluice/codegen/sql-writer/what-a-dialect-cannot-express-is-an-error", test_what_a_dialect_cannot_express_is_an_error);
  g_test_add_func ("/sluice/codegen/quoting/hostile-values-survive-sqlite", test_hostile_values_survive_sqlite);
  g_test_add_func ("/sluice/codegen/quoting/hostile-values-survive-spark-quoting", test_hostile_values_survive_spark_quoting);
  g_test_add_func ("/sluice/codegen/quoting/hostile-values-survive-python", test_hostile_values_survive_python);

  return g_test_run ();
}
