/* Loading datasets' sample files into SQLite tables. */
#include "config.h"

#include <string.h>
#include <fcntl.h>
#include <sys/stat.h>
#include <glib/gstdio.h>

#include "sluice-engine-error.h"
#include "sluice-sample-reader.h"
#include "sluice-sqlite.h"
#include "engines-test-util.h"

typedef struct
{
  char    *dir;   /* a project folder with data/ */
  sqlite3 *db;
} Fixture;


static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;

  f->dir = g_dir_make_tmp ("sluice-reader-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (f->dir, "data", NULL);
  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
  f->db = sluice_sqlite_open (":memory:", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_clear_pointer (&f->db, sqlite3_close);
  engines_test_rm_rf (f->dir);
  g_free (f->dir);
}

static void
write_file (Fixture    *f,
            const char *rel,
            const char *contents,
            gssize      len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, rel, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

/* @schema: "name type[!]" separated by ", "; "!" for not nullable. */
static SluiceDataset *
make_dataset (const char *name,
              const char *format,
              const char *sample,
              const char *options,
              const char *schema)
{
  g_auto(GStrv) cols = g_strsplit (schema, ", ", -1);
  g_autoptr(GString) json = g_string_new (NULL);
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *file = g_strdup_printf ("datasets/%s.json", name);
  SluiceDataset *ds;

  g_string_printf (json, "{\"format_version\": 1, \"format\": \"%s\", \"location\": \"x\", \"sample\": \"%s\", "
                   "\"options\": %s, \"schema\": [", format, sample, options ? options : "{}");
  for (guint i = 0; cols[i]; i++)
    {
      g_auto(GStrv) parts = g_strsplit (cols[i], " ", 2);
      gboolean required = g_str_has_suffix (parts[1], "!");

      if (required)
        parts[1][strlen (parts[1]) - 1] = '\0';
      g_string_append_printf (json, "%s{\"name\": \"%s\", \"type\": \"%s\", \"nullable\": %s}", i ? ", " : "",
                              parts[0], parts[1], required ? "false" : "true");
    }
  g_string_append (json, "]}");
  bytes = g_bytes_new (json->str, json->len);
  ds = sluice_dataset_load_from_bytes (name, file, bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (ds);
  return ds;
}

/* Rows as "a|b\n", NULL as "NULL", in the order of @sql. */
static char *
rows_of (sqlite3    *db,
         const char *sql)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *v = (const char *) sqlite3_column_text (stmt, i);
          g_string_append_printf (out, "%s%s", i ? "|" : "", v ? v : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static gboolean
table_exists (sqlite3    *db,
              const char *name)
{
  g_autofree char *sql = g_strdup_printf ("SELECT name FROM sqlite_schema WHERE type = 'table' AND name = '%s'", name);
  g_autofree char *rows = rows_of (db, sql);

  return rows[0] != '\0';
}

static void
load_ok (Fixture       *f,
         SluiceDataset *ds,
         gboolean       expect_reused)
{
  g_autoptr(GError) error = NULL;
  gboolean reused = !expect_reused;

  gboolean ok = sluice_sample_load (f->db, ds, f->dir, NULL, NULL, NULL, &reused, &error);

  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_cmpint (reused, ==, expect_reused);
}

static void
test_quoting_edge_cases (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", "{\"header\": true}", "id bigint!, txt string");
  g_autofree char *rows = NULL;

  write_file (f, "data/t.csv",
              "id,txt\n"
              "1,\"a,b\"\n"
              "2,\"line1\nline2\"\n"
              "3,\"say \"\"hi\"\"\"\n"
              "4,\n"
              "5,\"\"\n"
              "\n"
              "6,plain \"inner\" quotes\n"
              "7,\"\"\"\"", -1);
  load_ok (f, ds, FALSE);
  rows = rows_of (f->db, "SELECT id, txt, typeof(txt) FROM t ORDER BY id");
  g_assert_cmpstr (rows, ==,
                   "1|a,b|text\n"
                   "2|line1\nline2|text\n"
                   "3|say \"hi\"|text\n"
                   "4|NULL|null\n"
                   "5||text\n"
                   "6|plain \"inner\" quotes|text\n"
                   "7|\"|text\n");
}

static void
test_delimiter_null_token_bom_crlf (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv",
                                              "{\"header\": true, \"delimiter\": \";\", \"null_value\": \"NA\"}",
                                              "id int, name string, price double");
  g_autofree char *rows = NULL;

  write_file (f, "data/t.csv", "\xEF\xBB\xBFid;name;price\r\n1;NA;NA\r\n2;\"x;y\r\nz\";2.5\r\n3;\"NA\";1e3\r\n", -1);
  load_ok (f, ds, FALSE);
  rows = rows_of (f->db, "SELECT id, name, price FROM t ORDER BY id");
  /* a quoted "NA" is text, not the null token */
  g_assert_cmpstr (rows, ==, "1|NULL|NULL\n2|x;y\r\nz|2.5\n3|NA|1000.0\n");
}

static void
test_values_convert_by_type (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", "{\"date_format\": \"dd/MM/yyyy\"}",
                                              "i int, b bigint, d double, m decimal(5,2), ok boolean, day date, at timestamp");
  g_autofree char *rows = NULL;

  write_file (f, "data/t.csv",
              "-2147483648,9223372036854775807,-0.5,123.45,true,29/02/2024,2024-03-07T10:11:12\n"
              "2147483647,-9223372036854775808,1e-3,-0.1,FALSE,01/01/1999,2024-03-07 10:11:12.500\n"
              "+7,0,NaN,000999.994,1,31/12/2024,2024-03-07\n"
              ",,,,0,,\n", -1);
  load_ok (f, ds, FALSE);
  rows = rows_of (f->db, "SELECT i, b, d, m, ok, day, at, typeof(i), typeof(d), typeof(m), typeof(ok) FROM t");
  g_assert_cmpstr (rows, ==,
                   "-2147483648|9223372036854775807|-0.5|123.45|1|2024-02-29|2024-03-07 10:11:12|integer|real|real|integer\n"
                   "2147483647|-9223372036854775808|0.001|-0.1|0|1999-01-01|2024-03-07 10:11:12.5|integer|real|real|integer\n"
                   "7|0|NULL|999.99|1|2024-12-31|2024-03-07 00:00:00|integer|null|real|integer\n"
                   "NULL|NULL|NULL|NULL|0|NULL|NULL|null|null|null|integer\n");
}

/* The loader parses simple decimals itself; they must read as strtod reads them. */
static void
test_decimals_read_as_strtod_reads_them (Fixture *f, gconstpointer data)
{
  static const char * const values[] = {
    "0.1", "0.2", "0.3", "123.45", "-0.005", "99999999999999.9", "444.50", "1", "-7", ".5", "5.",
    "0.000000000000001", "123456789012345", "1234567890123456", "0.30000000000000004", "1e-7", "NaN",
  };
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "s string, d double, m decimal(38,20)");
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (values); i++)
    /* a decimal has no exponent and no NaN */
    g_string_append_printf (contents, "%s,%s,%s\n", values[i], values[i], strpbrk (values[i], "eN") ? "" : values[i]);
  write_file (f, "data/t.csv", contents->str, -1);
  load_ok (f, ds, FALSE);
  g_assert_cmpint (sqlite3_prepare_v2 (f->db, "SELECT s, d, m FROM t", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      const char *text = (const char *) sqlite3_column_text (stmt, 0);
      double expected = g_ascii_strtod (text, NULL);

      g_test_message ("%s", text);
      if (g_str_equal (text, "NaN"))
        g_assert_cmpint (sqlite3_column_type (stmt, 1), ==, SQLITE_NULL);   /* SQLite stores NaN as NULL */
      else
        {
          g_assert_true (sqlite3_column_double (stmt, 1) == expected);
          if (!strpbrk (text, "eN"))
            g_assert_true (sqlite3_column_double (stmt, 2) == expected);
        }
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (values));
}

/* More fraction digits than the scale: rounded half away from zero on the
 * digits (Spark's HALF_UP), not on the nearest double (1.235 is below it). */
static void
test_decimals_round_half_up_to_their_scale (Fixture *f, gconstpointer data)
{
  static const struct { const char *text; double value; } cases[] = {
    { "1.235", 1.24 }, { "1.234", 1.23 }, { "-1.235", -1.24 }, { "0.005", 0.01 }, { "9.999", 10.0 },
    { "1.2", 1.2 }, { "+2.675", 2.68 }, { "-0.004", -0.0 },
  };
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "s string, m decimal(4,2)");
  g_autoptr(SluiceDataset) whole = make_dataset ("w", "csv", "data/w.csv", NULL, "m decimal(3,0)");
  g_autoptr(GString) contents = g_string_new (NULL);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GError) error = NULL;
  gboolean reused;
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    g_string_append_printf (contents, "%s,%s\n", cases[i].text, cases[i].text);
  write_file (f, "data/t.csv", contents->str, -1);
  load_ok (f, ds, FALSE);
  g_assert_cmpint (sqlite3_prepare_v2 (f->db, "SELECT s, m FROM t", -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      g_test_message ("%s", sqlite3_column_text (stmt, 0));
      g_assert_true (sqlite3_column_double (stmt, 1) == cases[n].value);
      n++;
    }
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (cases));

  /* Rounding up can make it too long: 999.5 is 1000, four digits. */
  write_file (f, "data/w.csv", "2.5\n999.5\n", -1);
  g_assert_false (sluice_sample_load (f->db, whole, f->dir, NULL, NULL, NULL, &reused, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
  g_assert_cmpstr (error->message, ==, "data/w.csv:2:1: column “m”: “999.5” does not fit decimal(3,0)");
}

typedef struct
{
  const char *format;
  const char *options;
  const char *schema;
  const char *contents;
  const char *message;
} BadCase;

static const BadCase bad_cases[] = {
  /* ragged rows */
  { "csv", "{\"header\": true}", "a int, b int", "a,b\n1,2\n3,4,5\n", "data/t.csv:3:5: expected 2 fields, found 3" },
  { "csv", NULL, "a int, b int", "1,2\n3\n", "data/t.csv:2:2: expected 2 fields, found 1" },
  { "csv", NULL, "a int, b int", "1,2\r\n3\r\n", "data/t.csv:2:2: expected 2 fields, found 1" },
  { "csv", NULL, "a string", "x,y\n", "data/t.csv:1:3: expected 1 field, found 2" },
  /* values that are not of the column's type */
  { "csv", "{\"header\": true}", "id int, quantity int", "id,quantity\n1,2\n2,abc\n",
    "data/t.csv:3:3: column “quantity”: “abc” is not an int" },
  { "csv", NULL, "a int, q int", "1,3000000000\n", "data/t.csv:1:3: column “q”: “3000000000” is out of range for int" },
  { "csv", NULL, "a int, q bigint", "1,99999999999999999999\n",
    "data/t.csv:1:3: column “q”: “99999999999999999999” is out of range for bigint" },
  { "csv", NULL, "a int, q int", "1, 2\n", "data/t.csv:1:3: column “q”: “ 2” is not an int" },
  { "csv", NULL, "a int, q double", "1,1.5x\n", "data/t.csv:1:3: column “q”: “1.5x” is not a double" },
  { "csv", NULL, "a int, q decimal(5,2)", "1,1234.5\n", "data/t.csv:1:3: column “q”: “1234.5” does not fit decimal(5,2)" },
  { "csv", NULL, "a int, q decimal(5,2)", "1,1.2.3\n", "data/t.csv:1:3: column “q”: “1.2.3” is not a decimal(5,2)" },
  { "csv", NULL, "a int, q boolean", "1,yes\n", "data/t.csv:1:3: column “q”: “yes” is not a boolean" },
  { "csv", NULL, "a int, d date", "1,2024-02-30\n", "data/t.csv:1:3: column “d”: “2024-02-30” is not a date" },
  { "csv", NULL, "a int, d date", "1,2024-1-5\n", "data/t.csv:1:3: column “d”: “2024-1-5” is not a date" },
  { "csv", NULL, "a int, t timestamp", "1,2024-01-05 25:00:00\n",
    "data/t.csv:1:3: column “t”: “2024-01-05 25:00:00” is not a timestamp" },
  { "csv", NULL, "a int, s string", "1,ok\n2,a\xff" "b\n", "data/t.csv:2:3: column “s”: the text is not valid UTF-8" },
  { "csv", NULL, "a int, s string!", "1,x\n2,\n", "data/t.csv:2:3: column “s”: a NULL in a column that is not nullable" },
  { "csv", NULL, "a int!, s string", "1,x\n,y\n", "data/t.csv:2:1: column “a”: a NULL in a column that is not nullable" },
  /* quoting */
  { "csv", NULL, "a int, s string", "1,\"abc\n2,x\n", "data/t.csv:1:3: unterminated quoted field" },
  { "csv", NULL, "a int, s string", "1,\"abc\"x\n", "data/t.csv:1:8: text after a closing quote" },
  /* columns count characters, and lines count physical lines */
  { "csv", NULL, "a string, b string, n int", "ü,ö,abc\n", "data/t.csv:1:5: column “n”: “abc” is not an int" },
  { "csv", NULL, "a int, s string, n int", "1,\"a\nb\",x\n", "data/t.csv:2:4: column “n”: “x” is not an int" },
  { "csv", NULL, "a int, s string, n int", "\xEF\xBB\xBF" "1,x,y\n", "data/t.csv:1:5: column “n”: “y” is not an int" },
  /* JSON lines */
  { "jsonl", NULL, "id bigint, v double", "{\"id\": 1, \"v\": 2}\n{\"id\": 1, \"v\": \"5\"}\n",
    "data/t.csv:2:16: column “v”: expected double, found a JSON string" },
  { "jsonl", NULL, "id int, name string", "{\"id\": \"1\"}\n", "data/t.csv:1:8: column “id”: expected int, found a JSON string" },
  { "jsonl", NULL, "id int, at timestamp", "{\"id\": 1, \"at\": \"yesterday\"}\n",
    "data/t.csv:1:17: column “at”: “yesterday” is not a timestamp" },
  { "jsonl", NULL, "id int!, name string", "{\"name\": \"x\"}\n", "data/t.csv:1:1: column “id”: a NULL in a column that is not nullable" },
  { "jsonl", NULL, "id int", "[1]\n", "data/t.csv:1:1: a line must hold a JSON object" },
  { "jsonl", NULL, "id int, s string", "{\"id\": 1, \"s\": \"\xc3\"}\n", "data/t.csv:1:17: the text is not valid UTF-8" },
};

static void
test_bad_data_names_the_place (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (bad_cases); i++)
    {
      const BadCase *c = &bad_cases[i];
      /* the same path for both formats keeps the table short */
      g_autoptr(SluiceDataset) ds = make_dataset ("t", c->format, "data/t.csv", c->options, c->schema);
      g_autoptr(GError) error = NULL;
      gboolean reused = TRUE;

      g_test_message ("case %u: %s", i, c->message);
      write_file (f, "data/t.csv", c->contents, -1);
      g_assert_false (sluice_sample_load (f->db, ds, f->dir, NULL, NULL, NULL, &reused, &error));
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
      g_assert_cmpstr (error->message, ==, c->message);
      g_assert_false (reused);
      g_assert_false (table_exists (f->db, "t"));
    }
}

static void
test_bad_data_fails_without_a_gerror_too (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "a int, s string");

  write_file (f, "data/t.csv", "1,\"open\n", -1);
  g_assert_false (sluice_sample_load (f->db, ds, f->dir, NULL, NULL, NULL, NULL, NULL));
  g_assert_false (table_exists (f->db, "t"));
}

static void
test_json_syntax_error_names_the_line (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("r", "jsonl", "data/r.jsonl", NULL, "id int");
  g_autoptr(GError) error = NULL;

  write_file (f, "data/r.jsonl", "{\"id\": 1}\n{\"id\": 1,\n", -1);
  g_assert_false (sluice_sample_load (f->db, ds, f->dir, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
  g_assert_true (g_str_has_prefix (error->message, "data/r.jsonl:2:"));
  g_assert_false (table_exists (f->db, "r"));
}

static void
test_a_failed_reload_keeps_the_previous_table (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "a int");
  g_autoptr(GError) error = NULL;
  g_autofree char *rows = NULL;

  write_file (f, "data/t.csv", "1\n2\n", -1);
  load_ok (f, ds, FALSE);
  write_file (f, "data/t.csv", "1\n2\n3\nx\n", -1);
  g_assert_false (sluice_sample_load (f->db, ds, f->dir, NULL, NULL, NULL, NULL, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
  g_assert_cmpstr (error->message, ==, "data/t.csv:4:1: column “a”: “x” is not an int");
  rows = rows_of (f->db, "SELECT a FROM t");
  g_assert_cmpstr (rows, ==, "1\n2\n");
}

static void
test_an_unchanged_file_is_reused (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "a int");
  g_autoptr(SluiceDataset) retyped = make_dataset ("t", "csv", "data/t.csv", NULL, "a bigint");
  g_autofree char *path = g_build_filename (f->dir, "data/t.csv", NULL);
  g_autofree char *rows = NULL;
  struct timespec times[2] = { { 0, UTIME_OMIT }, { 1700000000, 0 } };

  write_file (f, "data/t.csv", "1\n2\n", -1);
  load_ok (f, ds, FALSE);
  load_ok (f, ds, TRUE);
  /* touching the file reloads it */
  g_assert_cmpint (utimensat (AT_FDCWD, path, times, 0), ==, 0);
  load_ok (f, ds, FALSE);
  load_ok (f, ds, TRUE);
  /* so does another schema */
  load_ok (f, retyped, FALSE);
  load_ok (f, retyped, TRUE);
  /* and a dropped table */
  g_assert_cmpint (sqlite3_exec (f->db, "DROP TABLE t", NULL, NULL, NULL), ==, SQLITE_OK);
  load_ok (f, retyped, FALSE);
  rows = rows_of (f->db, "SELECT count(*) FROM t");
  g_assert_cmpstr (rows, ==, "2\n");
}

static void
test_a_cancelled_load_leaves_no_table (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "a int");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  write_file (f, "data/t.csv", "1\n2\n", -1);
  g_cancellable_cancel (cancellable);
  g_assert_false (sluice_sample_load (f->db, ds, f->dir, NULL, NULL, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (table_exists (f->db, "t"));
}

static void
cancel_on_progress (guint64  done,
                    guint64  total,
                    gpointer user_data)
{
  g_assert_cmpuint (done, <, total);
  g_cancellable_cancel (user_data);
}

static void
test_cancelling_during_a_load_rolls_back (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "a int");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) contents = g_string_new (NULL);

  for (guint i = 0; i < 20000; i++)
    g_string_append_printf (contents, "%u\n", i);
  write_file (f, "data/t.csv", contents->str, contents->len);
  g_assert_false (sluice_sample_load (f->db, ds, f->dir, cancel_on_progress, cancellable, cancellable, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (table_exists (f->db, "t"));
}

static void
record_progress (guint64  done,
                 guint64  total,
                 gpointer user_data)
{
  guint64 *last = user_data;

  g_assert_cmpuint (done, >=, last[0]);
  last[0] = done;
  last[1] = total;
}

static void
test_progress_reaches_the_file_size (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "a int");
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) contents = g_string_new (NULL);
  guint64 last[2] = { 0, 0 };

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (contents, "%u\n", i);
  write_file (f, "data/t.csv", contents->str, contents->len);
  g_assert_true (sluice_sample_load (f->db, ds, f->dir, record_progress, last, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (last[0], ==, contents->len);
  g_assert_cmpuint (last[1], ==, contents->len);
}

static guint
count_lines (const char *path)
{
  g_autofree char *text = NULL;
  guint n = 0;

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  for (const char *p = text; *p; p++)
    n += *p == '\n';
  return n;
}

static void
test_the_retail_example_loads (void)
{
  g_autofree char *root = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autofree char *datasets = g_build_filename (root, "datasets", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = sluice_sqlite_open (":memory:", &error);
  g_autoptr(GDir) dir = g_dir_open (datasets, 0, &error);
  g_autofree char *spot = NULL;
  const char *name;
  guint loaded = 0;

  g_assert_no_error (error);
  while ((name = g_dir_read_name (dir)))
    {
      g_autofree char *path = g_build_filename (datasets, name, NULL);
      g_autofree char *stem = g_strndup (name, strlen (name) - strlen (".json"));
      g_autofree char *rel = g_strdup_printf ("datasets/%s", name);
      g_autofree char *text = NULL;
      g_autofree char *sample = NULL;
      g_autofree char *sql = NULL;
      g_autofree char *count = NULL;
      g_autofree char *expected = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(SluiceDataset) ds = NULL;
      gsize len;

      g_assert_true (g_file_get_contents (path, &text, &len, NULL));
      bytes = g_bytes_new_take (g_steal_pointer (&text), len);
      ds = sluice_dataset_load_from_bytes (stem, rel, bytes, NULL, &error);
      g_assert_no_error (error);
      if (sluice_dataset_get_sample (ds) == NULL)
        continue;
      g_test_message ("%s", sluice_dataset_get_sample (ds));
      g_assert_true (sluice_sample_load (db, ds, root, NULL, NULL, NULL, NULL, &error));
      g_assert_no_error (error);
      /* no record of the example spans lines: one row per line, less the header */
      sample = g_build_filename (root, sluice_dataset_get_sample (ds), NULL);
      sql = g_strdup_printf ("SELECT count(*) FROM \"%s\"", stem);
      count = rows_of (db, sql);
      expected = g_strdup_printf ("%u\n", count_lines (sample) - (g_str_equal (sluice_dataset_get_format (ds), "csv") ? 1 : 0));
      g_assert_cmpstr (count, ==, expected);
      loaded++;
    }
  g_assert_cmpuint (loaded, ==, 5);
  spot = rows_of (db, "SELECT note, city FROM customers WHERE customer_id = 53");
  g_assert_cmpstr (spot, ==, "Prefers \"express\", ships to 2nd address|London\n");
  g_clear_pointer (&spot, g_free);
  spot = rows_of (db, "SELECT returned_at, refund FROM returns WHERE return_id = 2");
  g_assert_cmpstr (spot, ==, "2025-01-27 17:42:00|3531.5\n");
  g_clear_pointer (&spot, g_free);
  spot = rows_of (db, "SELECT order_date, unit_price, discount, typeof(discount) FROM orders WHERE order_id = 100001 AND line_no = 1");
  g_assert_cmpstr (spot, ==, "2024-03-21|444.5|0.05|real\n");
}

/* Spark reads any JSON value into a string column as its JSON text. */
static void
test_json_values_load_into_string_columns_as_text (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("j", "jsonl", "data/j.jsonl", NULL, "id int, s string");
  g_autofree char *rows = NULL;

  write_file (f, "data/j.jsonl",
              "{\"id\": 1, \"s\": \"a\"}\n{\"id\": 2, \"s\": 5}\n{\"id\": 3, \"s\": true}\n"
              "{\"id\": 4, \"s\": [1, {\"x\": null}]}\n{\"id\": 5, \"s\": null}\n", -1);
  load_ok (f, ds, FALSE);
  rows = rows_of (f->db, "SELECT id, s FROM j ORDER BY id");
  g_assert_cmpstr (rows, ==, "1|a\n2|5\n3|true\n4|[1,{\"x\":null}]\n5|NULL\n");
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ("/sluice/engines/sample-reader/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("loads-quoting-edge-cases", test_quoting_edge_cases);
  ADD ("loads-a-delimiter-a-null-token-a-bom-and-crlf", test_delimiter_null_token_bom_crlf);
  ADD ("converts-values-by-type", test_values_convert_by_type);
  ADD ("reads-decimals-as-strtod-does", test_decimals_read_as_strtod_reads_them);
  ADD ("decimals-round-half-up-to-their-scale", test_decimals_round_half_up_to_their_scale);
  ADD ("bad-data-names-the-place", test_bad_data_names_the_place);
  ADD ("bad-data-fails-without-a-gerror-too", test_bad_data_fails_without_a_gerror_too);
  ADD ("json-syntax-error-names-the-line", test_json_syntax_error_names_the_line);
  ADD ("a-failed-reload-keeps-the-previous-table", test_a_failed_reload_keeps_the_previous_table);
  ADD ("an-unchanged-file-is-reused", test_an_unchanged_file_is_reused);
  ADD ("a-cancelled-load-leaves-no-table", test_a_cancelled_load_leaves_no_table);
  ADD ("cancelling-during-a-load-rolls-back", test_cancelling_during_a_load_rolls_back);
  ADD ("progress-reaches-the-file-size", test_progress_reaches_the_file_size);
  ADD ("json-values-load-into-string-columns-as-text", test_json_values_load_into_string_columns_as_text);
  g_test_add_func ("/sluice/engines/sample-reader/the-retail-example-loads", test_the_retail_example_loads);
  return g_test_run ();
}
