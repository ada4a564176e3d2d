/* Writing a query's rows to CSV and JSON-lines files. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sluice-engine-error.h"
#include "sluice-sample-reader.h"
#include "sluice-sample-writer.h"
#include "sluice-sqlite.h"

typedef struct
{
  char    *dir;
  sqlite3 *db;
} Fixture;

static void
rm_rf (const char *path)
{
  GDir *dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        rm_rf (child);
      else
        g_unlink (child);
    }
  if (dir)
    g_dir_close (dir);
  g_rmdir (path);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr(GError) error = NULL;

  f->dir = g_dir_make_tmp ("sluice-writer-XXXXXX", &error);
  g_assert_no_error (error);
  f->db = sluice_sqlite_open (":memory:", &error);
  g_assert_no_error (error);
  g_assert_cmpint (sqlite3_exec (f->db,
    "CREATE TABLE src (id INTEGER, price REAL, name TEXT, day TEXT, ok INTEGER);"
    "INSERT INTO src VALUES (1, 4.5, 'plain', '2024-03-07', 1),"
    " (2, 0.1, 'comma, inside', '2024-03-08', 0),"
    " (3, 1000.0, 'say \"hi\"', NULL, NULL),"
    " (4, -2.25e-10, 'two\nlines\r\nand CRLF', '2024-12-31', 1),"
    " (5, NULL, '', '2024-01-01', 0),"
    " (6, 0.3333333333333333, NULL, '2024-01-02', 1),"
    " (7, 1e300, 'ünïcödé 日本 😀', '2024-01-03', 0);", NULL, NULL, NULL), ==, SQLITE_OK);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->db, sqlite3_close);
  rm_rf (f->dir);
  g_free (f->dir);
}

static JsonObject *
parse_object (const char *json)
{
  g_autoptr(JsonParser) parser = json_parser_new ();

  if (json == NULL)
    return NULL;
  g_assert_true (json_parser_load_from_data (parser, json, -1, NULL));
  return json_object_ref (json_node_get_object (json_parser_get_root (parser)));
}

static char *
write_and_read (Fixture    *f,
                const char *sql,
                const char *format,
                const char *options,
                guint64     expected_rows)
{
  g_autoptr(JsonObject) o = parse_object (options);
  g_autofree char *path = g_build_filename (f->dir, "out.txt", NULL);
  g_autoptr(GError) error = NULL;
  char *text = NULL;
  guint64 n = 0;

  g_assert_true (sluice_sample_write (f->db, sql, format, o, path, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, expected_rows);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  return text;
}

static void
test_csv_quotes_what_needs_it (Fixture *f, gconstpointer data)
{
  g_autofree char *text = write_and_read (f, "SELECT id, price, name FROM src ORDER BY id", "csv", "{\"header\": true}", 7);

  g_assert_cmpstr (text, ==,
                   "id,price,name\n"
                   "1,4.5,plain\n"
                   "2,0.1,\"comma, inside\"\n"
                   "3,1000.0,\"say \"\"hi\"\"\"\n"
                   "4,-2.25e-10,\"two\nlines\r\nand CRLF\"\n"
                   "5,,\"\"\n"
                   "6,0.3333333333333333,\n"
                   "7,1e+300,ünïcödé 日本 😀\n");
}

static void
test_csv_options_are_honoured (Fixture *f, gconstpointer data)
{
  g_autofree char *text = write_and_read (f, "SELECT id, name FROM src WHERE id IN (1, 2, 6) UNION ALL SELECT 8, 'NA' ORDER BY 1",
                                          "csv", "{\"delimiter\": \";\", \"null_value\": \"NA\", \"quote\": \"'\"}", 4);

  /* the text "NA" is quoted, so that it does not read back as NULL */
  g_assert_cmpstr (text, ==, "1;plain\n2;comma, inside\n6;NA\n8;'NA'\n");
}

static void
test_jsonl_escapes_control_characters (Fixture *f, gconstpointer data)
{
  g_autofree char *text = write_and_read (f,
    "SELECT 1 AS id, 'tab' || char(9) || 'nl' || char(10) || 'cr' || char(13) AS s, char(1) || char(31) AS c,"
    " 'ünï 😀' AS u, 'q\"b\\' AS q, NULL AS n, 2.5 AS r, 3.0 AS w, 'x\"y' AS \"we\"\"ird\"", "jsonl", NULL, 1);
  g_autoptr(JsonParser) parser = json_parser_new ();
  JsonObject *o;

  g_assert_cmpstr (text, ==,
                   "{\"id\": 1, \"s\": \"tab\\tnl\\ncr\\r\", \"c\": \"\\u0001\\u001f\", \"u\": \"ünï 😀\","
                   " \"q\": \"q\\\"b\\\\\", \"n\": null, \"r\": 2.5, \"w\": 3.0, \"we\\\"ird\": \"x\\\"y\"}\n");
  /* and a JSON parser reads the same values back */
  g_assert_true (json_parser_load_from_data (parser, text, -1, NULL));
  o = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpstr (json_object_get_string_member (o, "s"), ==, "tab\tnl\ncr\r");
  g_assert_cmpstr (json_object_get_string_member (o, "c"), ==, "\001\037");
  g_assert_cmpstr (json_object_get_string_member (o, "u"), ==, "ünï 😀");
  g_assert_cmpstr (json_object_get_string_member (o, "q"), ==, "q\"b\\");
  g_assert_cmpstr (json_object_get_string_member (o, "we\"ird"), ==, "x\"y");
}

static SluiceDataset *
dataset_for (const char *format,
             const char *sample,
             const char *options)
{
  g_autofree char *json = g_strdup_printf (
    "{\"format_version\": 1, \"format\": \"%s\", \"location\": \"x\", \"sample\": \"%s\", \"options\": %s,"
    " \"schema\": [{\"name\": \"id\", \"type\": \"bigint\"}, {\"name\": \"price\", \"type\": \"double\"},"
    " {\"name\": \"name\", \"type\": \"string\"}, {\"name\": \"day\", \"type\": \"date\"},"
    " {\"name\": \"ok\", \"type\": \"boolean\"}]}", format, sample, options);
  g_autoptr(GBytes) bytes = g_bytes_new (json, strlen (json));
  g_autoptr(GError) error = NULL;
  SluiceDataset *ds = sluice_dataset_load_from_bytes ("back", "datasets/back.json", bytes, NULL, &error);

  g_assert_no_error (error);
  return ds;
}

static char *
dump (sqlite3    *db,
      const char *table)
{
  g_autofree char *sql = g_strdup_printf ("SELECT quote(id), quote(price), quote(name), quote(day), quote(ok) FROM %s ORDER BY id", table);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  GString *out = g_string_new (NULL);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    for (int i = 0; i < 5; i++)
      g_string_append_printf (out, "%s%c", sqlite3_column_text (stmt, i), i == 4 ? '\n' : '|');
  return g_string_free (out, FALSE);
}

static void
round_trip (Fixture    *f,
            const char *format,
            const char *options)
{
  g_autoptr(JsonObject) o = parse_object (options);
  g_autofree char *path = g_build_filename (f->dir, "data", "back.out", NULL);
  g_autoptr(SluiceDataset) ds = dataset_for (format, "data/back.out", options);
  g_autoptr(GError) error = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  guint64 n = 0;

  g_assert_true (sluice_sample_write (f->db, "SELECT * FROM src", format, o, path, &n, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n, ==, 7);
  g_assert_true (sluice_sample_load (f->db, ds, f->dir, NULL, NULL, NULL, NULL, &error));
  g_assert_no_error (error);
  before = dump (f->db, "src");
  after = dump (f->db, "back");
  g_assert_cmpstr (after, ==, before);
}

static void
test_csv_round_trip (Fixture *f, gconstpointer data)
{
  round_trip (f, "csv", "{\"header\": true}");
}

static void
test_csv_round_trip_with_options (Fixture *f, gconstpointer data)
{
  round_trip (f, "csv", "{\"header\": false, \"delimiter\": \"\\t\", \"null_value\": \"\\\\N\"}");
}

static void
test_jsonl_round_trip (Fixture *f, gconstpointer data)
{
  round_trip (f, "jsonl", "{}");
}

static void
test_parent_folders_are_created (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "out", "deep", "x.csv", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *text = NULL;

  g_assert_true (sluice_sample_write (f->db, "SELECT 1", "csv", NULL, path, NULL, NULL, &error));
  g_assert_no_error (error);
  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "1\n");
}

static void
test_a_failed_write_keeps_the_old_file (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "keep.csv", NULL);
  g_autofree char *as_dir = g_build_filename (f->dir, "folder.csv", NULL);
  g_autofree char *inside = g_build_filename (as_dir, "x", NULL);
  g_autofree char *under_file = g_build_filename (path, "x.csv", NULL);
  g_autofree char *text = NULL;
  g_autoptr(GError) error = NULL;
  guint64 n = 99;

  g_assert_true (g_file_set_contents (path, "old\n", -1, NULL));

  /* a query that fails halfway */
  g_assert_false (sluice_sample_write (f->db, "SELECT id, regexp_extract('a', '(a)', id) FROM src", "csv", NULL,
                                       path, &n, NULL, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, path));
  g_assert_cmpuint (n, ==, 0);
  g_clear_error (&error);

  /* a path that is a folder */
  g_assert_cmpint (g_mkdir (as_dir, 0700), ==, 0);
  g_assert_true (g_file_set_contents (inside, "x", -1, NULL));
  g_assert_false (sluice_sample_write (f->db, "SELECT 1", "csv", NULL, as_dir, NULL, NULL, &error));
  g_assert_nonnull (error);
  g_assert_true (error->domain == G_IO_ERROR);
  g_assert_true (g_str_has_prefix (error->message, as_dir));
  g_assert_true (g_file_test (inside, G_FILE_TEST_IS_REGULAR));
  g_clear_error (&error);

  /* a parent that is a file */
  g_assert_false (sluice_sample_write (f->db, "SELECT 1", "csv", NULL, under_file, NULL, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_DIRECTORY);
  g_assert_true (g_str_has_prefix (error->message, under_file));
  g_clear_error (&error);

  g_assert_true (g_file_get_contents (path, &text, NULL, NULL));
  g_assert_cmpstr (text, ==, "old\n");
}

static void
test_a_cancelled_write_writes_nothing (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "never.csv", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  g_assert_false (sluice_sample_write (f->db, "SELECT * FROM src", "csv", NULL, path, NULL, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
}

static void
test_an_unknown_format_is_refused (Fixture *f, gconstpointer data)
{
  g_autofree char *path = g_build_filename (f->dir, "x.parquet", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *expected = g_strdup_printf ("%s: the local engine writes CSV and JSON-lines files, not parquet", path);

  g_assert_false (sluice_sample_write (f->db, "SELECT 1", "parquet", NULL, path, NULL, NULL, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, expected);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ("/sluice/engines/sample-writer/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("csv-quotes-what-needs-it", test_csv_quotes_what_needs_it);
  ADD ("csv-options-are-honoured", test_csv_options_are_honoured);
  ADD ("jsonl-escapes-control-characters", test_jsonl_escapes_control_characters);
  ADD ("csv-round-trip", test_csv_round_trip);
  ADD ("csv-round-trip-with-options", test_csv_round_trip_with_options);
  ADD ("jsonl-round-trip", test_jsonl_round_trip);
  ADD ("parent-folders-are-created", test_parent_folders_are_created);
  ADD ("a-failed-write-keeps-the-old-file", test_a_failed_write_keeps_the_old_file);
  ADD ("a-cancelled-write-writes-nothing", test_a_cancelled_write_writes_nothing);
  ADD ("an-unknown-format-is-refused", test_an_unknown_format_is_refused);
  return g_test_run ();
}
