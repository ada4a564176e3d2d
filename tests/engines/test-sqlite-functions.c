/* The functions the local engine registers, against Spark's documented
 * results, and the whole catalog compiled for SQLite and run. */
#include "config.h"

#include "sluice-function.h"
#include "sluice-sqlite.h"

typedef struct
{
  const char *expr;
  const char *expected;   /* the value as text; "NULL" for NULL */
} Case;

static const Case cases[] = {
  /* concat_ws: NULLs skipped, a NULL separator gives NULL */
  { "concat_ws(' ', 'Spark', 'SQL')", "Spark SQL" },
  { "concat_ws('s')", "" },
  { "concat_ws('/', 'a', NULL, 'b')", "a/b" },
  { "concat_ws(NULL, 'a', 'b')", "NULL" },
  { "concat_ws('-', 1, 2.5)", "1-2.5" },
  /* right */
  { "\"right\"('Spark SQL', 3)", "SQL" },
  { "\"right\"('abc', 0)", "" },
  { "\"right\"('abc', -1)", "" },
  { "\"right\"('abc', 5)", "abc" },
  { "\"right\"('日本語', 2)", "本語" },
  { "\"right\"(NULL, 2)", "NULL" },
  { "\"right\"('abc', NULL)", "NULL" },
  /* lpad, rpad */
  { "lpad('hi', 5, '\?\?')", "\?\?\?hi" },
  { "lpad('hi', 1, '\?\?')", "h" },
  { "lpad('hi', 5, '')", "hi" },
  { "lpad('hi', -1, 'x')", "" },
  { "lpad('é', 4, 'üx')", "üxüé" },
  { "lpad(NULL, 5, 'x')", "NULL" },
  { "rpad('hi', 5, '\?\?')", "hi\?\?\?" },
  { "rpad('hi', 1, '\?\?')", "h" },
  { "rpad('hi', 6, 'abcd')", "hiabcd" },
  { "rpad('hi', 5, NULL)", "NULL" },
  /* initcap */
  { "initcap('sPark sql')", "Spark Sql" },
  { "initcap('')", "" },
  { "initcap('élan VITAL')", "Élan Vital" },
  { "initcap('a  b')", "A  B" },
  { "initcap('hello-world')", "Hello-world" },
  { "initcap(NULL)", "NULL" },
  /* reverse, repeat */
  { "reverse('Spark SQL')", "LQS krapS" },
  { "reverse('añb')", "bña" },
  { "reverse('')", "" },
  { "reverse(NULL)", "NULL" },
  { "repeat('123', 2)", "123123" },
  { "repeat('a', 0)", "" },
  { "repeat('a', -3)", "" },
  { "repeat(NULL, 2)", "NULL" },
  /* regexp, as X REGEXP Y (RLIKE): a match anywhere */
  { "('abc' REGEXP 'b')", "1" },
  { "('abc' REGEXP '^b')", "0" },
  { "('Steven' REGEXP 'Ste(v|ph)en')", "1" },
  { "('%SystemDrive%\\Users\\John' REGEXP '%SystemDrive%\\\\Users.*')", "1" },
  { "(NULL REGEXP 'a')", "NULL" },
  { "('a' REGEXP NULL)", "NULL" },
  /* regexp_replace, Java replacement syntax */
  { "regexp_replace('100-200', '(\\d+)', 'num')", "num-num" },
  { "regexp_replace('100-200', '(\\d+)-(\\d+)', '$2-$1')", "200-100" },
  { "regexp_replace('aaa', 'a', '$0$0')", "aaaaaa" },
  { "regexp_replace('a.b', '\\.', '\\\\')", "a\\b" },
  { "regexp_replace('a.b', '\\.', '\\$')", "a$b" },
  { "regexp_replace('abc', 'x', 'y')", "abc" },
  { "regexp_replace(NULL, 'a', 'b')", "NULL" },
  { "regexp_replace('abc', 'b', NULL)", "NULL" },
  /* regexp_extract: group 1 by default, "" when nothing matches */
  { "regexp_extract('100-200', '(\\d+)-(\\d+)', 1)", "100" },
  { "regexp_extract('100-200', '(\\d+)-(\\d+)', 2)", "200" },
  { "regexp_extract('100-200', '(\\d+)-(\\d+)', 0)", "100-200" },
  { "regexp_extract('100-200', '(\\d+)-(\\d+)')", "100" },
  { "regexp_extract('foo', '(\\d+)', 1)", "" },
  { "regexp_extract('a', '(a)|(b)', 2)", "" },
  { "regexp_extract('ünï-42', '(\\w+)-(\\d+)', 1)", "ünï" },
  { "regexp_extract(NULL, '(a)', 1)", "NULL" },
  /* date_trunc returns a timestamp */
  { "date_trunc('YEAR', '2015-03-05T09:32:05.359')", "2015-01-01 00:00:00" },
  { "date_trunc('yyyy', '2015-03-05')", "2015-01-01 00:00:00" },
  { "date_trunc('MM', '2015-03-05T09:32:05.359')", "2015-03-01 00:00:00" },
  { "date_trunc('mon', '2015-03-05')", "2015-03-01 00:00:00" },
  { "date_trunc('DD', '2015-03-05T09:32:05.359')", "2015-03-05 00:00:00" },
  { "date_trunc('HOUR', '2015-03-05T09:32:05.359')", "2015-03-05 09:00:00" },
  { "date_trunc('minute', '2015-03-05 09:32:05.359')", "2015-03-05 09:32:00" },
  { "date_trunc('second', '2015-03-05 09:32:05.359')", "2015-03-05 09:32:05" },
  { "date_trunc('MILLISECOND', '2015-03-05T09:32:05.123456')", "2015-03-05 09:32:05.123" },
  { "date_trunc('quarter', '2015-05-05')", "2015-04-01 00:00:00" },
  { "date_trunc('quarter', '2015-12-31 23:59:59')", "2015-10-01 00:00:00" },
  { "date_trunc('week', '2024-03-07')", "2024-03-04 00:00:00" },
  { "date_trunc('week', '2024-03-04 10:00:00')", "2024-03-04 00:00:00" },
  { "date_trunc('week', '2024-03-10')", "2024-03-04 00:00:00" },
  { "date_trunc('week', '2024-01-02')", "2024-01-01 00:00:00" },
  { "date_trunc('week', '2021-01-01')", "2020-12-28 00:00:00" },
  { "date_trunc('fortnight', '2024-03-07')", "NULL" },
  { "date_trunc('day', 'not a date')", "NULL" },
  { "date_trunc('day', '2024-02-30')", "NULL" },
  { "date_trunc(NULL, '2024-03-07')", "NULL" },
  { "date_trunc('day', NULL)", "NULL" },
  /* months_between, rounded to 8 digits */
  { "months_between('1997-02-28 10:30:00', '1996-10-30')", "3.94959677" },
  { "months_between('2024-03-31', '2024-02-29')", "1.0" },
  { "months_between('2024-01-15', '2024-03-15 12:00:00')", "-2.0" },
  { "months_between('2024-02-01', '2024-01-01')", "1.0" },
  { "months_between('2024-01-02', '2024-01-01')", "0.03225806" },
  { "months_between(NULL, '2024-01-01')", "NULL" },
  { "months_between('x', '2024-01-01')", "NULL" },
  /* weekofyear, ISO 8601 */
  { "weekofyear('2008-02-20')", "8" },
  { "weekofyear('2021-01-01')", "53" },
  { "weekofyear('2024-12-30')", "1" },
  { "weekofyear('2024-01-01 23:00:00')", "1" },
  { "weekofyear(NULL)", "NULL" },
  /* date_format with Spark's pattern letters */
  { "date_format('2016-04-08', 'y')", "2016" },
  { "date_format('2024-03-07 14:05:09', 'yyyy-MM-dd HH:mm:ss')", "2024-03-07 14:05:09" },
  { "date_format('2024-03-07', 'dd/MM/yy')", "07/03/24" },
  { "date_format('2024-03-07', 'd.M.yyyy')", "7.3.2024" },
  { "date_format('2024-03-07', 'EEE, d MMM yyyy')", "Thu, 7 Mar 2024" },
  { "date_format('2024-03-07', 'EEEE d MMMM')", "Thursday 7 March" },
  { "date_format('2024-03-07 14:05:09', 'yyyy''T''HH')", "2024T14" },
  { "date_format('2024-03-07 14:05:09', '''at'' h:mm a')", "at 2:05 PM" },
  { "date_format('2024-03-07 00:05:09', 'h a')", "12 AM" },
  { "date_format('2024-03-07 14:05:09.123456', 'ss.SSS')", "09.123" },
  { "date_format('2024-03-07 14:05:09', 'H:m:s')", "14:5:9" },
  { "date_format('2024-03-07', '''''')", "'" },
  { "date_format(NULL, 'yyyy')", "NULL" },
  { "date_format('2024-03-07', NULL)", "NULL" },
  { "date_format('garbage', 'yyyy')", "NULL" },
  /* built in, not shadowed */
  { "sqrt(4)", "2.0" },
  { "power(2, 10)", "1024.0" },
  { "mod(7, 3)", "1.0" },
  { "(sign(-2.5) = -1.0)", "1" },   /* SQLite answers the integer -1, Spark the double */
};

static sqlite3 *
open_db (void)
{
  g_autoptr(GError) error = NULL;
  sqlite3 *db = sluice_sqlite_open (":memory:", &error);

  g_assert_no_error (error);
  g_assert_nonnull (db);
  return db;
}

/* The first column of the first row as text, "NULL" for NULL; NULL and
 * the error in *error_msg when the query fails. */
static char *
query (sqlite3     *db,
       const char  *sql,
       char       **error_msg)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      *error_msg = g_strdup (sqlite3_errmsg (db));
      return NULL;
    }
  rc = sqlite3_step (stmt);
  if (rc != SQLITE_ROW)
    {
      *error_msg = g_strdup (sqlite3_errmsg (db));
      return NULL;
    }
  if (sqlite3_column_type (stmt, 0) == SQLITE_NULL)
    return g_strdup ("NULL");
  return g_strdup ((const char *) sqlite3_column_text (stmt, 0));
}

static void
test_scalars_behave_as_spark_documents (void)
{
  g_autoptr(sqlite3) db = open_db ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *sql = g_strdup_printf ("SELECT %s", cases[i].expr);
      g_autofree char *msg = NULL;
      g_autofree char *got = query (db, sql, &msg);

      g_test_message ("%s", sql);
      g_assert_cmpstr (msg, ==, NULL);
      g_assert_cmpstr (got, ==, cases[i].expected);
    }
}

static void
test_bad_arguments_are_errors (void)
{
  static const struct { const char *sql; const char *message; } bad[] = {
    { "SELECT regexp_extract('100-200', '(\\d+)-(\\d+)', 3)", "regexp_extract: the pattern has 2 groups, not 3" },
    { "SELECT regexp_extract('1', '(\\d+)', -1)", "regexp_extract: the pattern has 1 groups, not -1" },
    { "SELECT ('a' REGEXP '(')", "regular expression “(”: " },
    { "SELECT regexp_replace('a', 'a', '$x')", "a “$” in the replacement must be followed by a group number" },
    { "SELECT regexp_replace('a', '(a)', '$2')", "the replacement refers to group 2, the pattern has 1" },
    { "SELECT date_format('2024-01-01', 'yyyy G')", "date_format: the pattern letter “G” is not supported" },
  };
  g_autoptr(sqlite3) db = open_db ();

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *msg = NULL;
      g_autofree char *got = query (db, bad[i].sql, &msg);

      g_test_message ("%s", bad[i].sql);
      g_assert_null (got);
      g_assert_nonnull (msg);
      g_assert_true (g_str_has_prefix (msg, bad[i].message));
    }
}

static void
test_aggregates_behave_as_spark_documents (void)
{
  static const Case aggs[] = {
    { "SELECT stddev(x) FROM (VALUES (1), (2), (3), (4)) AS t(x)", NULL },
    { "SELECT printf('%.12f', stddev(column1)) FROM (VALUES (1), (2), (3), (4))", "1.290994448736" },
    { "SELECT printf('%.12f', variance(column1)) FROM (VALUES (1), (2), (NULL), (3), (4))", "1.666666666667" },
    { "SELECT variance(column1) FROM (VALUES (2.5))", "NULL" },
    { "SELECT stddev(column1) FROM (VALUES (NULL))", "NULL" },
    { "SELECT stddev(column1) FROM (VALUES (1)) WHERE 0", "NULL" },
    { "SELECT variance(column1) FROM (VALUES ('2'), ('4'), ('x'))", "2.0" },
    { "SELECT first(column1) FROM (VALUES (3), (1), (2))", "3" },
    { "SELECT first(column1) FROM (VALUES (NULL), (1))", "NULL" },
    { "SELECT first(column1) FROM (VALUES (1)) WHERE 0", "NULL" },
    { "SELECT approx_count_distinct(column1) FROM (VALUES (1), (1), (2), (NULL), (3))", "3" },
    { "SELECT approx_count_distinct(column1) FROM (VALUES ('a'), ('b'), ('a'))", "2" },
    { "SELECT approx_count_distinct(column1) FROM (VALUES (NULL))", "0" },
    /* count of several columns: rows where none is NULL; count(*) and count(x) untouched */
    { "SELECT count(column1, column2) FROM (VALUES (1, 1), (NULL, 2), (3, NULL), (4, 4))", "2" },
    { "SELECT count(column1, column2, 'x') FROM (VALUES (1, 1), (NULL, 2))", "1" },
    { "SELECT count(column1) FROM (VALUES (1), (NULL))", "1" },
    { "SELECT count(*) FROM (VALUES (1), (NULL))", "2" },
    /* as window functions over a sliding frame */
    { "SELECT group_concat(v, ',') FROM (SELECT first(column1) OVER (ORDER BY column1 ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS v"
      " FROM (VALUES (1), (2), (3)))", "1,1,2" },
    { "SELECT group_concat(v, ',') FROM (SELECT variance(column1) OVER (ORDER BY column1 ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS v"
      " FROM (VALUES (1), (3), (7)))", "2.0,8.0" },
    { "SELECT group_concat(v, ',') FROM (SELECT approx_count_distinct(column1) OVER (ROWS BETWEEN 1 PRECEDING AND CURRENT ROW) AS v"
      " FROM (VALUES (1), (1), (2)))", "1,1,2" },
  };
  g_autoptr(sqlite3) db = open_db ();

  for (guint i = 1; i < G_N_ELEMENTS (aggs); i++)
    {
      g_autofree char *msg = NULL;
      g_autofree char *got = query (db, aggs[i].expr, &msg);

      g_test_message ("%s", aggs[i].expr);
      g_assert_cmpstr (msg, ==, NULL);
      g_assert_cmpstr (got, ==, aggs[i].expected);
    }
}

/* A literal of the argument class the catalog declares. */
static const char *
sample_arg (const SluiceFunction *f,
            guint                 i)
{
  guint n = strlen (f->args);
  char cls = n == 0 ? '*' : f->args[MIN (i, n - 1)];

  if (g_str_equal (f->name, "date_trunc") && i == 0)
    return "'month'";
  if (g_str_equal (f->name, "date_format") && i == 1)
    return "'yyyy-MM-dd EEE'";
  if (g_str_has_prefix (f->name, "regexp_") && i == 1)
    return "'(a)(b)'";
  switch (cls)
    {
    case 'S': return "'abc'";
    case 'N': return "2.5";
    case 'I': return "2";
    case 'D': return "'2024-03-07 10:11:12'";
    case 'B': return "1";
    default:  return "'x'";
    }
}

static void
test_the_whole_catalog_runs_locally (void)
{
  g_autoptr(sqlite3) db = open_db ();
  guint n = 0;

  for (const SluiceFunction *f = sluice_function_list (); f->name; f++, n++)
    {
      const char *args[4];
      guint n_args = f->min_args == 0 ? 0 : MAX (f->min_args, MIN (f->max_args, 3));
      g_autofree char *call = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *msg = NULL;
      g_autofree char *got = NULL;

      g_test_message ("%s", f->name);
      g_assert_nonnull (f->spelling[SLUICE_DIALECT_SQLITE]);
      for (guint i = 0; i < n_args; i++)
        args[i] = sample_arg (f, i);
      call = sluice_function_render (f, SLUICE_DIALECT_SQLITE, args, n_args);
      g_assert_nonnull (call);
      sql = g_strdup_printf ("SELECT %s%s FROM (VALUES (1), (2))", call,
                             f->kind == SLUICE_FUNCTION_WINDOW ? " OVER (ORDER BY column1)" : "");
      got = query (db, sql, &msg);
      g_test_message ("%s → %s", sql, got ? got : msg);
      g_assert_cmpstr (msg, ==, NULL);
      g_assert_nonnull (got);
    }
  g_assert_cmpuint (n, >, 80);
}

static void
test_double_quotes_are_identifiers (void)
{
  g_autoptr(sqlite3) db = open_db ();
  g_autofree char *msg = NULL;
  g_autofree char *got = query (db, "SELECT \"x\"", &msg);

  g_assert_null (got);
  g_assert_cmpstr (msg, ==, "no such column: x");
  g_clear_pointer (&msg, g_free);
  /* and in DDL: with DQS on, "nosuch" would be taken for a string */
  g_assert_cmpint (sqlite3_exec (db, "CREATE TABLE t (a)", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, "CREATE INDEX i ON t (a) WHERE \"nosuch\" = 1", NULL, NULL, NULL), !=, SQLITE_OK);
  g_assert_cmpstr (sqlite3_errmsg (db), ==, "no such column: nosuch");
}

static void
test_open_reports_the_path (void)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = sluice_sqlite_open ("/nonexistent-dir/x.db", &error);

  g_assert_null (db);
  g_assert_nonnull (error);
  g_assert_true (g_str_has_prefix (error->message, "/nonexistent-dir/x.db: "));
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/engines/sqlite/scalars-behave-as-spark-documents", test_scalars_behave_as_spark_documents);
  g_test_add_func ("/sluice/engines/sqlite/bad-arguments-are-errors", test_bad_arguments_are_errors);
  g_test_add_func ("/sluice/engines/sqlite/aggregates-behave-as-spark-documents", test_aggregates_behave_as_spark_documents);
  g_test_add_func ("/sluice/engines/sqlite/the-whole-catalog-runs-locally", test_the_whole_catalog_runs_locally);
  g_test_add_func ("/sluice/engines/sqlite/double-quotes-are-identifiers", test_double_quotes_are_identifiers);
  g_test_add_func ("/sluice/engines/sqlite/open-reports-the-path", test_open_reports_the_path);
  return g_test_run ();
}
