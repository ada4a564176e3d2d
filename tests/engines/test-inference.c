/* Schema inference from sample files: typical, messy and hostile files,
 * each inferred schema loaded back by the local engine's sample reader. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sluice-csv-private.h"
#include "sluice-engine-error.h"
#include "sluice-inference.h"
#include "sluice-sample-reader.h"
#include "sluice-sample-reader-private.h"
#include "sluice-sqlite.h"
#include "engines-test-util.h"

typedef struct
{
  char *dir;   /* a project folder with data/ */
} Fixture;


static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *data_dir = NULL;

  f->dir = g_dir_make_tmp ("sluice-infer-XXXXXX", &error);
  g_assert_no_error (error);
  data_dir = g_build_filename (f->dir, "data", NULL);
  g_assert_cmpint (g_mkdir (data_dir, 0700), ==, 0);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  engines_test_rm_rf (f->dir);
  g_free (f->dir);
}

static char *
write_file (Fixture *f, const char *rel, const char *contents, gssize len)
{
  g_autoptr(GError) error = NULL;
  char *path = g_build_filename (f->dir, rel, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
  return path;
}

/* "name type" per column, ", "-separated; "!" after the type when not nullable. */
static char *
schema_of (SluiceInference *inf)
{
  GString *s = g_string_new (NULL);

  for (guint i = 0; i < sluice_inference_get_n_columns (inf); i++)
    g_string_append_printf (s, "%s%s %s%s", i ? ", " : "", sluice_inference_get_column_name (inf, i),
                            sluice_inference_get_column_type (inf, i),
                            sluice_inference_get_column_nullable (inf, i) ? "" : "!");
  return g_string_free (s, FALSE);
}

static char *
options_of (SluiceInference *inf)
{
  g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), sluice_inference_get_options (inf));
  return json_to_string (node, FALSE);
}

/* The inferred dataset loads with sluice_sample_load, every row read. */
static void
assert_loads (Fixture *f, SluiceInference *inf, const char *rel)
{
  g_autoptr(SluiceDataset) ds = sluice_inference_to_dataset (inf, "t", rel);
  g_autoptr(GError) error = NULL;
  g_autoptr(sqlite3) db = sluice_sqlite_open (":memory:", &error);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GBytes) again = NULL;
  g_autoptr(SluiceDataset) reloaded = NULL;

  g_assert_no_error (error);
  /* the rows read load; the rest of the file is not inferred */
  if (sluice_inference_is_complete (inf))
    g_assert_true (sluice_sample_load (db, ds, f->dir, NULL, NULL, NULL, NULL, &error));
  else
    g_assert_true (_sluice_sample_load_rows (db, ds, f->dir, sluice_inference_get_n_rows (inf), NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "SELECT count(*) FROM t", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  g_assert_cmpint (sqlite3_column_int64 (stmt, 0), ==, sluice_inference_get_n_rows (inf));

  /* and its file reads back to the same bytes */
  bytes = sluice_dataset_to_bytes (ds);
  reloaded = sluice_dataset_load_from_bytes ("t", "datasets/t.json", bytes, NULL, &error);
  g_assert_no_error (error);
  again = sluice_dataset_to_bytes (reloaded);
  g_assert_true (g_bytes_equal (bytes, again));
}

static SluiceInference *
infer_only (Fixture *f, const char *rel, const char *contents, gssize len, const char *options, guint64 max_rows)
{
  g_autofree char *path = write_file (f, rel, contents, len);
  g_autoptr(JsonNode) opts = options ? json_from_string (options, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  SluiceInference *inf;

  inf = sluice_inference_run (path, NULL, opts ? json_node_get_object (opts) : NULL, max_rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (inf);
  return inf;
}

static SluiceInference *
infer (Fixture *f, const char *rel, const char *contents, gssize len, const char *options, guint64 max_rows)
{
  g_autofree char *path = write_file (f, rel, contents, len);
  g_autoptr(JsonNode) opts = options ? json_from_string (options, NULL) : NULL;
  g_autoptr(GError) error = NULL;
  SluiceInference *inf;

  inf = sluice_inference_run (path, NULL, opts ? json_node_get_object (opts) : NULL, max_rows, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (inf);
  assert_loads (f, inf, rel);
  return inf;
}

static void
assert_schema (Fixture *f, const char *contents, const char *options, const char *schema)
{
  g_autoptr(SluiceInference) inf = infer (f, "data/t.csv", contents, -1, options, 0);
  g_autofree char *got = schema_of (inf);

  g_assert_cmpstr (got, ==, schema);
}

static void
test_a_typical_file (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceInference) inf = infer (f, "data/orders.csv",
    "order_id,customer,amount,price,ok,day,at,note,big\n"
    "1,alice,12.50,2.5,true,2024-01-01,2024-01-01 10:00:00,\"a, b\",3000000000\n"
    "2,bob,3.10,3,FALSE,2024-02-29,2024-01-02T11:30,,1\n"
    "3,carol,100.00,1e3,true,,2024-01-03,\"line\nbreak\",-5\n", -1, NULL, 0);
  g_autofree char *schema = schema_of (inf);
  g_autofree char *options = options_of (inf);

  g_assert_cmpstr (schema, ==, "order_id int!, customer string!, amount decimal(20,2)!, price double!, ok boolean!, "
                               "day date, at timestamp!, note string, big bigint!");
  g_assert_cmpstr (options, ==, "{\"header\":true,\"delimiter\":\",\",\"quote\":\"\\\"\"}");
  g_assert_cmpstr (sluice_inference_get_format (inf), ==, "csv");
  g_assert_cmpuint (sluice_inference_get_n_rows (inf), ==, 3);
  g_assert_true (sluice_inference_is_complete (inf));
  for (guint i = 0; i < sluice_inference_get_n_columns (inf); i++)
    g_assert_null (sluice_inference_get_column_note (inf, i));
}

static void
test_int_bigint_and_beyond (Fixture *f, gconstpointer data)
{
  assert_schema (f, "a,b,c,d\n2147483647,2147483648,9223372036854775807,9223372036854775808\n"
                    "-2147483648,1,-9223372036854775808,1\n+7,007,0,2\n", NULL,
                 "a int!, b bigint!, c bigint!, d double!");
}

/* decimal only for a fixed number of fraction digits with a trailing zero
 * somewhere (what only fixed-point formatting writes) */
static void
test_decimal_only_when_intended (Fixture *f, gconstpointer data)
{
  assert_schema (f, "a,b,c,d,e,f,g\n"
                    "12.50,1.5,12.50,0.50,1.50e2,-0.10,12.50\n"
                    "3.10,2.5,3.1,0.25,1,.20,3\n", NULL,
                 "a decimal(20,2)!, b double!, c double!, d decimal(20,2)!, e double!, f decimal(20,2)!, g double!");
  /* more digits than a decimal holds: a double */
  assert_schema (f, "a\n1234567890123456789012345678901234567.10\n1.00\n", NULL, "a double!");
}

static void
test_nullability (Fixture *f, gconstpointer data)
{
  /* an empty field is NULL except in a string column; a quoted empty one is "" */
  assert_schema (f, "i,s,q,t\n1,a,\"\",x\n,b,\"\",\n2,\"\",\"\",y\n", NULL, "i int, s string!, q string!, t string");
  /* with a null token, an empty string field is not NULL but an empty int is */
  assert_schema (f, "i,s,n\n1,,NA\n,x,NA\n", "{\"header\": true, \"null_value\": \"NA\"}", "i int, s string!, n string");
  /* quoted, the token is text */
  assert_schema (f, "s\n\"NA\"\nx\n", "{\"header\": true, \"null_value\": \"NA\"}", "s string!");
  /* only NULLs: a nullable string */
  assert_schema (f, "a,b\n,1\n,2\n", NULL, "a string, b int!");
}

static void
test_mixed_content_notes_the_first_conflict (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceInference) inf = infer (f, "data/t.csv",
    "n,t,b,d,ok\n"
    "1,abc,true,2024-01-01,1\n"
    "2.5,xyz,false,2024-01-02 10:00,2\n"
    "\"multi\nline\",42,1,oops,3\n"
    "7,8,9,10,4\n", -1, NULL, 0);
  g_autofree char *schema = schema_of (inf);

  g_assert_cmpstr (schema, ==, "n string!, t string!, b string!, d string!, ok int!");
  g_assert_cmpstr (sluice_inference_get_column_note (inf, 0), ==,
                   "mixed content: “multi\nline” on line 4 after numbers; read as string");
  g_assert_cmpstr (sluice_inference_get_column_note (inf, 1), ==,
                   "mixed content: “42” on line 5 after text; read as string");
  g_assert_cmpstr (sluice_inference_get_column_note (inf, 2), ==,
                   "mixed content: “1” on line 5 after booleans; read as string");
  g_assert_cmpstr (sluice_inference_get_column_note (inf, 3), ==,
                   "mixed content: “oops” on line 5 after timestamps; read as string");
  g_assert_null (sluice_inference_get_column_note (inf, 4));
}

static void
test_sniffs_delimiter_quote_and_header (Fixture *f, gconstpointer data)
{
  static const struct { const char *contents; const char *options; const char *schema; } cases[] = {
    { "a;b;c\n1,5;2;x\n2,5;3;y\n", "{\"header\":true,\"delimiter\":\";\",\"quote\":\"\\\"\"}", "a string!, b int!, c string!" },
    { "a\tb\n1\t\"x\ty\"\n", "{\"header\":true,\"delimiter\":\"\\t\",\"quote\":\"\\\"\"}", "a int!, b string!" },
    { "a|b\n1|2\n", "{\"header\":true,\"delimiter\":\"|\",\"quote\":\"\\\"\"}", "a int!, b int!" },
    /* no header: the first line holds values */
    { "1,x,2024-01-01\n2,y,2024-01-02\n", "{\"header\":false,\"delimiter\":\",\",\"quote\":\"\\\"\"}",
      "_c0 int!, _c1 string!, _c2 date!" },
    /* one column */
    { "name\nalice\nbob\n", "{\"header\":true,\"delimiter\":\",\",\"quote\":\"\\\"\"}", "name string!" },
    /* single quotes */
    { "a,b\n'x,y',1\n'z,w',2\n", "{\"header\":true,\"delimiter\":\",\",\"quote\":\"'\"}", "a string!, b int!" },
    /* a pandas index column has no name */
    { ",v\n0,1.5\n1,2.5\n", "{\"header\":true,\"delimiter\":\",\",\"quote\":\"\\\"\"}", "_c0 int!, v double!" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SluiceInference) inf = NULL;
      g_autofree char *options = NULL;
      g_autofree char *schema = NULL;

      g_test_message ("case %u", i);
      inf = infer (f, "data/t.csv", cases[i].contents, -1, NULL, 0);
      options = options_of (inf);
      schema = schema_of (inf);
      g_assert_cmpstr (options, ==, cases[i].options);
      g_assert_cmpstr (schema, ==, cases[i].schema);
    }
}

static void
test_given_options_are_kept (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceInference) inf = infer (f, "data/t.csv", "d;n\n07/03/2024;1.5\n", -1,
                                          "{\"delimiter\": \";\", \"header\": true, \"date_format\": \"dd/MM/yyyy\"}", 0);
  g_autofree char *options = options_of (inf);
  g_autofree char *schema = schema_of (inf);

  g_assert_cmpstr (options, ==, "{\"delimiter\":\";\",\"header\":true,\"date_format\":\"dd/MM/yyyy\"}");
  g_assert_cmpstr (schema, ==, "d date!, n double!");
}

static void
test_bom_crlf_and_quoted_newlines (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceInference) inf = infer (f, "data/t.csv",
    "\xEF\xBB\xBF" "id,txt\r\n1,\"a\r\nb\"\r\n2,\"say \"\"hi\"\"\"\r\n\r\n3,x\r\nz,y\r\n", -1, NULL, 0);
  g_autofree char *schema = schema_of (inf);

  g_assert_cmpstr (schema, ==, "id string!, txt string!");
  g_assert_cmpstr (sluice_inference_get_column_name (inf, 0), ==, "id");
  /* physical lines: the quoted line break counts */
  g_assert_cmpstr (sluice_inference_get_column_note (inf, 0), ==,
                   "mixed content: “z” on line 7 after numbers; read as string");
  g_assert_cmpuint (sluice_inference_get_n_rows (inf), ==, 4);
}

static void
test_header_only (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceInference) inf = infer (f, "data/t.csv", "id,name,amount\n", -1, NULL, 0);
  g_autofree char *schema = schema_of (inf);

  g_assert_cmpstr (schema, ==, "id string, name string, amount string");
  g_assert_cmpuint (sluice_inference_get_n_rows (inf), ==, 0);
  g_assert_true (sluice_inference_is_complete (inf));
}

static void
test_duplicate_header_names (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceInference) inf = infer (f, "data/t.csv", "a,A,b,a1,\n1,2,3,4,5\n", -1, NULL, 0);
  g_autofree char *schema = schema_of (inf);

  g_assert_cmpstr (schema, ==, "a0 int!, A1 int!, b int!, a1_2 int!, _c4 int!");
  g_assert_cmpstr (sluice_inference_get_column_note (inf, 0), ==, "renamed: the header repeats “a”");
  g_assert_nonnull (sluice_inference_get_column_note (inf, 3));
}

static void
test_max_rows_says_so (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceInference) two = infer (f, "data/t.csv", "n\n1\n2\nx\n", -1, "{\"header\": true}", 2);
  g_autoptr(SluiceInference) three = infer (f, "data/t.csv", "n\n1\n2\nx\n", -1, "{\"header\": true}", 3);
  g_autoptr(SluiceInference) exact = infer (f, "data/t.csv", "n\n1\n2\n\n", -1, "{\"header\": true}", 2);
  g_autofree char *s2 = schema_of (two);
  g_autofree char *s3 = schema_of (three);

  g_assert_cmpstr (s2, ==, "n int!");
  g_assert_false (sluice_inference_is_complete (two));
  g_assert_cmpuint (sluice_inference_get_n_rows (two), ==, 2);
  g_assert_cmpstr (s3, ==, "n string!");
  g_assert_true (sluice_inference_is_complete (three));
  g_assert_true (sluice_inference_is_complete (exact));
}

typedef struct { const char *contents; gssize len; const char *message; } BadCase;

static void
test_bad_files_fail_with_their_place (Fixture *f, gconstpointer data)
{
  static const BadCase cases[] = {
    { "a,b\n1,2\n3,4,5\n", -1, "t.csv:3:5: expected 2 fields, found 3" },
    { "a,b\n1,2\n3\n", -1, "t.csv:3:2: expected 2 fields, found 1" },
    { "a,b\n1,\"open\n2,3\n", -1, "t.csv:2:3: unterminated quoted field" },
    { "a,b\n1,\"x\"y\n", -1, "t.csv:2:6: text after a closing quote" },
    { "a,b\n1,ok\n2,\xc3\xa9\xff\n", -1, "t.csv:3:4: the text is not valid UTF-8" },
    { "a,b\n1,x\0y\n", 10, "t.csv:2:4: the text is not valid UTF-8" },
    /* bad UTF-8 before a bad quote is found first */
    { "a,b\n\xff,1\n2,\"open\n", -1, "t.csv:2:1: the text is not valid UTF-8" },
    { "", 0, "t.csv:1:1: the file is empty: there are no columns to infer" },
    { "\xEF\xBB\xBF\r\n\n", -1, "t.csv:1:1: the file is empty: there are no columns to infer" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (f, "data/t.csv", cases[i].contents, cases[i].len);
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceInference) inf = NULL;

      g_test_message ("case %u: %s", i, cases[i].message);
      inf = sluice_inference_run (path, NULL, NULL, 0, NULL, &error);
      g_assert_null (inf);
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
      g_assert_true (g_str_has_prefix (error->message, path));
      g_assert_cmpstr (error->message + strlen (path) - strlen ("t.csv"), ==, cases[i].message);
    }
}

static void
test_ten_thousand_columns (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(SluiceInference) inf = NULL;

  for (guint i = 0; i < 10000; i++)
    g_string_append_printf (csv, "%sc%u", i ? "," : "", i);
  g_string_append_c (csv, '\n');
  for (guint r = 0; r < 3; r++)
    {
      for (guint i = 0; i < 10000; i++)
        g_string_append_printf (csv, "%s%u", i ? "," : "", i % 2 ? r + i : r);
      g_string_append_c (csv, '\n');
    }
  /* not loaded: SQLite's tables hold at most 2000 columns */
  inf = infer_only (f, "data/wide.csv", csv->str, csv->len, NULL, 0);
  g_assert_cmpuint (sluice_inference_get_n_columns (inf), ==, 10000);
  g_assert_cmpstr (sluice_inference_get_column_name (inf, 9999), ==, "c9999");
  g_assert_cmpstr (sluice_inference_get_column_type (inf, 9999), ==, "int");
  g_assert_false (sluice_inference_get_column_nullable (inf, 9999));
  g_assert_true (sluice_inference_is_complete (inf));
}

static void
test_very_long_fields (Fixture *f, gconstpointer data)
{
  g_autoptr(GString) csv = g_string_new ("id,text,digits\n");
  g_autoptr(SluiceInference) inf = NULL;
  g_autofree char *schema = NULL;

  g_string_append (csv, "1,\"");
  for (guint i = 0; i < 4000000; i++)   /* whole "" pairs */
    g_string_append_c (csv, i % 100 == 0 ? '\n' : "ab,\"\""[i % 5]);
  g_string_append (csv, "\",");
  for (guint i = 0; i < 2 * 1024 * 1024; i++)
    g_string_append_c (csv, '0' + i % 10);
  g_string_append (csv, "\n2,short,1\n");
  inf = infer (f, "data/long.csv", csv->str, csv->len, NULL, 0);
  schema = schema_of (inf);
  g_assert_cmpstr (schema, ==, "id int!, text string!, digits string!");
  g_assert_cmpuint (sluice_inference_get_n_rows (inf), ==, 2);
}

static void
test_json_lines (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceInference) inf = infer (f, "data/t.jsonl",
    "{\"id\": 1, \"v\": 1, \"s\": \"a\", \"b\": true, \"d\": \"2024-01-01\", \"big\": 3000000000}\n"
    "\r\n"
    "{\"id\": 2, \"v\": 2.5, \"s\": null, \"t\": \"2024-01-01T10:00:00\", \"o\": {\"x\": 1}, \"big\": 1, \"m\": 1}\n"
    "{\"id\": 3, \"v\": 3, \"s\": \"c\", \"b\": false, \"d\": \"\", \"big\": 2, \"m\": \"x\"}\n", -1, NULL, 0);
  g_autofree char *schema = schema_of (inf);
  g_autofree char *options = options_of (inf);

  g_assert_cmpstr (schema, ==, "id int!, v double!, s string, b boolean, d date, big bigint!, t timestamp, o string, m string");
  g_assert_cmpstr (options, ==, "{}");
  g_assert_cmpstr (sluice_inference_get_format (inf), ==, "jsonl");
  g_assert_cmpstr (sluice_inference_get_column_note (inf, 8), ==,
                   "mixed content: “x” on line 4 after numbers; read as string");
}

static void
test_bad_json_lines (Fixture *f, gconstpointer data)
{
  static const BadCase cases[] = {
    { "{\"a\": 1}\n{\"a\": 1,\n", -1, "t.jsonl:2:" },
    { "{\"a\": 1}\n[1]\n", -1, "t.jsonl:2:1: a line must hold a JSON object" },
    { "{\"a\": \"\xff\"}\n", -1, "t.jsonl:1:8: the text is not valid UTF-8" },
    { "\n\n", -1, "t.jsonl:1:1: the file is empty" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *path = write_file (f, "data/t.jsonl", cases[i].contents, cases[i].len);
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceInference) inf = sluice_inference_run (path, NULL, NULL, 0, NULL, &error);

      g_test_message ("case %u: %s", i, cases[i].message);
      g_assert_null (inf);
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
      g_assert_true (g_str_has_prefix (error->message + strlen (path) - strlen ("t.jsonl"), cases[i].message));
    }
}

/* Random typed columns with random NULLs and a few rogue values: whatever
 * is inferred loads. */
static void
test_random_files_load_as_inferred (Fixture *f, gconstpointer data)
{
  static const char * const pools[][6] = {
    { "1", "-20", "300", "+4", "0", "2147483647" },
    { "1.50", "2.25", "-0.10", "100.00", "7.77", ".50" },
    { "1.5", "2", "1e-3", "NaN", "-Infinity", "3.25" },
    { "true", "false", "TRUE", "False", "true", "false" },
    { "2024-01-01", "1999-12-31", "2024-02-29", "0001-01-01", "9999-12-31", "2000-01-01" },
    { "2024-01-01 10:00", "2024-01-01T10:00:00.123", "2024-01-01", "2024-12-31 23:59:59", "2024-01-01 00:00:00", "2020-02-29" },
    { "x", "", "a,b", "\"q\"", "12", "true" },
  };
  GRand *rand = g_rand_new_with_seed (1234);

  for (guint round = 0; round < 40; round++)
    {
      g_autoptr(GString) csv = g_string_new (NULL);
      g_autoptr(SluiceInference) inf = NULL;
      guint n_cols = g_rand_int_range (rand, 1, 8);
      guint *kinds = g_new (guint, n_cols);

      for (guint c = 0; c < n_cols; c++)
        {
          kinds[c] = g_rand_int_range (rand, 0, G_N_ELEMENTS (pools));
          g_string_append_printf (csv, "%sc%u", c ? "," : "", c);
        }
      g_string_append (csv, "\n");
      for (guint r = 0; r < 50; r++)
        {
          for (guint c = 0; c < n_cols; c++)
            {
              guint k = g_rand_int_range (rand, 0, 100) < 3 ? (guint) g_rand_int_range (rand, 0, G_N_ELEMENTS (pools)) : kinds[c];
              const char *v = g_rand_int_range (rand, 0, 10) == 0 ? "" : pools[k][g_rand_int_range (rand, 0, 6)];

              if (c)
                g_string_append_c (csv, ',');
              /* the two values that need quoting, quoted */
              if (strchr (v, ',') || strchr (v, '"'))
                g_string_append (csv, strchr (v, '"') ? "\"\"\"q\"\"\"" : "\"a,b\"");
              else
                g_string_append (csv, v);
            }
          g_string_append (csv, g_rand_boolean (rand) ? "\n" : "\r\n");
        }
      inf = infer (f, "data/r.csv", csv->str, csv->len, NULL, 0);
      g_free (kinds);
    }
  g_rand_free (rand);
}

/* The reader finds field ends eight bytes at a time: against a plain
 * split, on random unquoted text with fields across word boundaries. */
static void
test_reader_splits_as_a_plain_split (void)
{
  GRand *rand = g_rand_new_with_seed (7);

  for (guint round = 0; round < 3000; round++)
    {
      guint len = g_rand_int_range (rand, 0, 200);
      g_autofree char *text = g_malloc (len + 1);
      g_auto(GStrv) lines = NULL;
      SluiceCsvReader r;

      for (guint i = 0; i < len; i++)
        text[i] = ",;\n\rab\xc3\xa9"[g_rand_int_range (rand, 0, g_rand_boolean (rand) ? 8 : 6)];
      text[len] = '\0';
      lines = g_strsplit (text, "\n", -1);
      _sluice_csv_reader_init (&r, "t", text, len, ';', -1, -1);
      for (guint l = 0; lines[l]; l++)
        {
          g_auto(GStrv) fields = NULL;
          gboolean last = lines[l + 1] == NULL;
          gsize n = strlen (lines[l]);

          /* empty lines are no records; a lone "\r" at the very end is one */
          if (n == 0 || (!last && g_str_equal (lines[l], "\r")))
            continue;
          if (lines[l][n - 1] == '\r')
            lines[l][--n] = '\0';
          g_assert_true (_sluice_csv_reader_next (&r, NULL));
          fields = g_strsplit (lines[l], ";", -1);
          if (fields[0] == NULL)
            {
              g_strfreev (fields);
              fields = g_new0 (char *, 2);
              fields[0] = g_strdup ("");
            }
          g_assert_cmpuint (r.fields->len, ==, g_strv_length (fields));
          for (guint i = 0; fields[i]; i++)
            {
              SluiceCsvField *f = &g_array_index (r.fields, SluiceCsvField, i);
              g_assert_cmpmem (f->start, f->len, fields[i], strlen (fields[i]));
            }
        }
      g_assert_false (_sluice_csv_reader_next (&r, NULL));
      _sluice_csv_reader_clear (&r);
    }
  g_rand_free (rand);
}

/* Inference checks doubles by their syntax; the loader by strtod. */
static void
test_double_syntax_is_what_the_loader_reads (void)
{
  static const char alphabet[] = "0123456789+-.eE xXinfINFtyaA(_)";
  static const char * const fixed[] = {
    "1", "-1", "+.5", "5.", ".", "-", "1e5", "1e", "1e+", "1.e5", ".e5", "1e-05", "inf", "-Infinity", "nan",
    "NaN(123)", "nano", "infinite", "0x10", " 1", "1 ", "1_0", "1.5.5", "00012.50", "1e999", "",
  };
  GRand *rand = g_rand_new_with_seed (99);
  double v;

  for (guint i = 0; i < G_N_ELEMENTS (fixed); i++)
    g_assert_cmpint (_sluice_sample_is_double (fixed[i], strlen (fixed[i])), ==,
                     _sluice_sample_parse_double (fixed[i], strlen (fixed[i]), &v));
  for (guint i = 0; i < 300000; i++)
    {
      char buf[80];
      guint len = g_rand_int_range (rand, 0, i % 100 == 0 ? 70 : 12);

      for (guint k = 0; k < len; k++)
        buf[k] = g_rand_int_range (rand, 0, 3) ? "0123456789.e-"[g_rand_int_range (rand, 0, 13)]
                                               : alphabet[g_rand_int_range (rand, 0, sizeof alphabet - 1)];
      buf[len] = '\0';
      if (_sluice_sample_is_double (buf, len) != _sluice_sample_parse_double (buf, len, &v))
        g_error ("“%s”: inference and loader disagree", buf);
    }
  g_rand_free (rand);
}

/* Random bytes with CSV's special characters: inference fails with a data
 * problem, or what it inferred loads. */
static void
test_hostile_bytes_fail_or_load (Fixture *f, gconstpointer data)
{
  static const char * const atoms[] = {
    ",", ";", "\t", "|", "\"", "'", "\n", "\r\n", "\r", "1", "-2", "3.50", "1e5", "true", "2024-01-01",
    "2024-01-01 10:00", "abc", "", "\xc3\xa9", "\xff", "NaN", "\"\"", "x\"y", " ", "NA", "007",
  };
  GRand *rand = g_rand_new_with_seed (2024);
  guint n_ok = 0;

  for (guint round = 0; round < 1500; round++)
    {
      g_autoptr(GString) text = g_string_new (NULL);
      g_autofree char *path = NULL;
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceInference) inf = NULL;
      guint n = g_rand_int_range (rand, 0, 60);

      for (guint i = 0; i < n; i++)
        g_string_append (text, atoms[g_rand_int_range (rand, 0, G_N_ELEMENTS (atoms))]);
      path = write_file (f, "data/h.csv", text->str, text->len);
      inf = sluice_inference_run (path, NULL, NULL, 0, NULL, &error);
      if (inf == NULL)
        {
          g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
          continue;
        }
      assert_loads (f, inf, "data/h.csv");
      n_ok++;
    }
  g_assert_cmpuint (n_ok, >, 100);
  g_rand_free (rand);
}

static void
test_dataset_files_round_trip (void)
{
  const char *root = g_getenv ("SLUICE_SOURCE_ROOT");
  static const char * const dirs[] = { "examples/retail/datasets", "tests/codegen/catalog/datasets" };
  guint n = 0;

  g_assert_nonnull (root);
  for (guint d = 0; d < G_N_ELEMENTS (dirs); d++)
    {
      g_autofree char *dir_path = g_build_filename (root, dirs[d], NULL);
      g_autoptr(GDir) dir = g_dir_open (dir_path, 0, NULL);
      const char *name;

      g_assert_nonnull (dir);
      while ((name = g_dir_read_name (dir)))
        {
          g_autofree char *path = g_build_filename (dir_path, name, NULL);
          g_autofree char *contents = NULL;
          g_autofree char *stem = NULL;
          g_autofree char *file = NULL;
          gsize len;
          g_autoptr(GBytes) original = NULL;
          g_autoptr(GBytes) once = NULL;
          g_autoptr(GBytes) twice = NULL;
          g_autoptr(SluiceDataset) ds = NULL;
          g_autoptr(SluiceDataset) again = NULL;
          g_autoptr(GError) error = NULL;

          if (!g_str_has_suffix (name, ".json"))
            continue;
          g_test_message ("%s", path);
          stem = g_strndup (name, strlen (name) - 5);
          file = g_strdup_printf ("datasets/%s", name);
          g_assert_true (g_file_get_contents (path, &contents, &len, NULL));
          original = g_bytes_new (contents, len);
          ds = sluice_dataset_load_from_bytes (stem, file, original, NULL, &error);
          g_assert_no_error (error);
          once = sluice_dataset_to_bytes (ds);
          again = sluice_dataset_load_from_bytes (stem, file, once, NULL, &error);
          g_assert_no_error (error);
          twice = sluice_dataset_to_bytes (again);
          g_assert_true (g_bytes_equal (once, twice));
          /* the example's files are as Sluice writes them (the codegen
           * fixtures are written by hand) */
          if (d == 0 && !g_bytes_equal (original, once))
            g_assert_cmpstr ((const char *) g_bytes_get_data (once, NULL), ==, contents);
          n++;
        }
    }
  g_assert_cmpuint (n, >, 20);
}

static void
got_result (GObject *source, GAsyncResult *res, gpointer user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (res);
}

static void
test_async_and_cancelled (Fixture *f, gconstpointer data)
{
  g_autofree char *path = write_file (f, "data/t.csv", "a,b\n1,x\n", -1);
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceInference) inf = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(JsonObject) options = json_object_new ();

  json_object_set_boolean_member (options, "header", TRUE);
  sluice_inference_run_async (path, "csv", options, 0, NULL, got_result, &res);
  json_object_set_boolean_member (options, "header", FALSE);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  inf = sluice_inference_run_finish (res, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sluice_inference_get_column_name (inf, 0), ==, "a");

  g_cancellable_cancel (cancellable);
  g_clear_object (&inf);
  inf = sluice_inference_run (path, NULL, NULL, 0, cancellable, &error);
  g_assert_null (inf);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ("/sluice/engines/inference/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("a-typical-file", test_a_typical_file);
  ADD ("int-bigint-and-beyond", test_int_bigint_and_beyond);
  ADD ("decimal-only-when-intended", test_decimal_only_when_intended);
  ADD ("nullability", test_nullability);
  ADD ("mixed-content-notes-the-first-conflict", test_mixed_content_notes_the_first_conflict);
  ADD ("sniffs-delimiter-quote-and-header", test_sniffs_delimiter_quote_and_header);
  ADD ("given-options-are-kept", test_given_options_are_kept);
  ADD ("bom-crlf-and-quoted-newlines", test_bom_crlf_and_quoted_newlines);
  ADD ("header-only", test_header_only);
  ADD ("duplicate-header-names", test_duplicate_header_names);
  ADD ("max-rows-says-so", test_max_rows_says_so);
  ADD ("bad-files-fail-with-their-place", test_bad_files_fail_with_their_place);
  ADD ("ten-thousand-columns", test_ten_thousand_columns);
  ADD ("very-long-fields", test_very_long_fields);
  ADD ("json-lines", test_json_lines);
  ADD ("bad-json-lines", test_bad_json_lines);
  ADD ("random-files-load-as-inferred", test_random_files_load_as_inferred);
  ADD ("async-and-cancelled", test_async_and_cancelled);
  ADD ("hostile-bytes-fail-or-load", test_hostile_bytes_fail_or_load);
  g_test_add_func ("/sluice/engines/inference/dataset-files-round-trip", test_dataset_files_round_trip);
  g_test_add_func ("/sluice/engines/inference/double-syntax-is-what-the-loader-reads", test_double_syntax_is_what_the_loader_reads);
  g_test_add_func ("/sluice/engines/inference/reader-splits-as-a-plain-split", test_reader_splits_as_a_plain_split);
  return g_test_run ();
}
