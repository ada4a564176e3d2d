/* Dataset previews: the first rows of a sample, converted as a run loads them. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>

#include "sluice-dataset-preview.h"
#include "sluice-engine-error.h"
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

  f->dir = g_dir_make_tmp ("sluice-preview-XXXXXX", &error);
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

static void
write_file (Fixture *f, const char *rel, const char *contents, gssize len)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *path = g_build_filename (f->dir, rel, NULL);

  g_file_set_contents (path, contents, len, &error);
  g_assert_no_error (error);
}

/* @schema: "name type[!]" separated by ", "; "!" for not nullable. */
static SluiceDataset *
make_dataset (const char *name, const char *format, const char *sample, const char *options, const char *schema)
{
  g_auto(GStrv) cols = g_strsplit (schema, ", ", -1);
  guint n = g_strv_length (cols);
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree const char **types = g_new0 (const char *, n + 1);
  g_autofree gboolean *nullable = g_new0 (gboolean, n + 1);
  g_autoptr(GPtrArray) parts = g_ptr_array_new_with_free_func ((GDestroyNotify) g_strfreev);
  SluiceDataset *ds = sluice_dataset_new (name);

  for (guint i = 0; i < n; i++)
    {
      char **p = g_strsplit (cols[i], " ", 2);
      g_ptr_array_add (parts, p);
      nullable[i] = !g_str_has_suffix (p[1], "!");
      if (!nullable[i])
        p[1][strlen (p[1]) - 1] = '\0';
      names[i] = p[0];
      types[i] = p[1];
    }
  sluice_dataset_set_format (ds, format);
  sluice_dataset_set_sample (ds, sample);
  if (options)
    {
      g_autoptr(JsonNode) node = json_from_string (options, NULL);
      sluice_dataset_set_options (ds, json_node_get_object (node));
    }
  sluice_dataset_set_columns (ds, n, names, types, nullable, NULL);
  return ds;
}

/* Rows as "a|b\n", NULL as "NULL". */
static char *
rows_of (SluiceGemResult *r)
{
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < sluice_gem_result_get_n_sample_rows (r); i++)
    {
      for (guint c = 0; c < sluice_gem_result_get_n_columns (r); c++)
        {
          const char *v = sluice_gem_result_get_value (r, i, c);
          g_string_append_printf (out, "%s%s", c ? "|" : "", v ? v : "NULL");
        }
      g_string_append_c (out, '\n');
    }
  return g_string_free (out, FALSE);
}

static void
test_values_show_as_spark_shows_them (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("orders", "csv", "data/o.csv", "{\"header\": true}",
                                              "i int, b bigint, d double, m decimal(5,2), ok boolean, day date, at timestamp, s string");
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) r = NULL;
  g_autofree char *rows = NULL;

  write_file (f, "data/o.csv",
              "i,b,d,m,ok,day,at,s\n"
              "1,9223372036854775807,20,12.5,true,2024-02-29,2024-03-07T10:11:12,\"a,b\"\n"
              ",,,,,,,\n"
              "-3,0,0.25,-0.125,0,2024-01-01,2024-03-07,x\n", -1);
  r = sluice_dataset_preview (ds, f->dir, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sluice_gem_result_get_gem_id (r), ==, "orders");
  g_assert_cmpuint (sluice_gem_result_get_n_columns (r), ==, 8);
  g_assert_cmpstr (sluice_gem_result_get_column (r, 0)->name, ==, "i");
  g_assert_cmpint (sluice_gem_result_get_column (r, 3)->type.kind, ==, SLUICE_SQL_DECIMAL);
  g_assert_cmpint (sluice_gem_result_get_column (r, 3)->type.scale, ==, 2);
  g_assert_cmpint (sluice_gem_result_get_n_rows (r), ==, 3);
  rows = rows_of (r);
  g_assert_cmpstr (rows, ==,
                   "1|9223372036854775807|20.0|12.50|true|2024-02-29|2024-03-07 10:11:12|a,b\n"
                   "NULL|NULL|NULL|NULL|NULL|NULL|NULL|NULL\n"
                   "-3|0|0.25|-0.13|false|2024-01-01|2024-03-07 00:00:00|x\n");
}

/* Bad data after the first @limit rows is never read: neither a bad value
 * nor an unterminated quote at the very end. */
static void
test_reads_only_what_the_limit_needs (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "id int!, s string");
  g_autoptr(GString) csv = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) r = NULL;
  g_autoptr(SluiceGemResult) all = NULL;

  for (guint i = 1; i <= 5000; i++)
    g_string_append_printf (csv, "%u,row %u\n", i, i);
  g_string_append (csv, "oops,bad\n6,\"never closed\n");
  write_file (f, "data/t.csv", csv->str, csv->len);

  r = sluice_dataset_preview (ds, f->dir, 10, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sluice_gem_result_get_n_rows (r), ==, 10);
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (r), ==, 10);
  g_assert_cmpstr (sluice_gem_result_get_value (r, 9, 0), ==, "10");
  g_assert_cmpstr (sluice_gem_result_get_value (r, 9, 1), ==, "row 10");

  /* the whole file: the bad value is found, with its place */
  all = sluice_dataset_preview (ds, f->dir, G_MAXUINT, NULL, &error);
  g_assert_null (all);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
  g_assert_cmpstr (error->message, ==, "data/t.csv:5001:1: column “id”: “oops” is not an int");
}

static void
test_limit_beyond_the_file_and_zero (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", "{\"header\": true, \"delimiter\": \";\"}",
                                              "a int, b string");
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) r = NULL;
  g_autoptr(SluiceGemResult) none = NULL;
  g_autofree char *rows = NULL;

  write_file (f, "data/t.csv", "\xEF\xBB\xBF" "a;b\r\n1;\"x\r\ny\"\r\n2;z\r\n", -1);
  r = sluice_dataset_preview (ds, f->dir, 100, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sluice_gem_result_get_n_rows (r), ==, 2);
  rows = rows_of (r);
  g_assert_cmpstr (rows, ==, "1|x\r\ny\n2|z\n");

  none = sluice_dataset_preview (ds, f->dir, 0, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sluice_gem_result_get_n_rows (none), ==, 0);
  g_assert_cmpuint (sluice_gem_result_get_n_columns (none), ==, 2);
}

static void
test_bad_data_names_the_place (Fixture *f, gconstpointer data)
{
  static const struct { const char *contents; const char *message; } cases[] = {
    { "1,a\n2,b,c\n", "data/t.csv:2:5: expected 2 fields, found 3" },
    { "1,a\n22,\n", "data/t.csv:2:4: column “s”: a NULL in a column that is not nullable" },
    { "1,a\nx,b\n", "data/t.csv:2:1: column “id”: “x” is not an int" },
    { "1,\"a\n", "data/t.csv:1:3: unterminated quoted field" },
    { "1,\xff\n", "data/t.csv:1:3: column “s”: the text is not valid UTF-8" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "id int, s string!");
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceGemResult) r = NULL;

      write_file (f, "data/t.csv", cases[i].contents, -1);
      r = sluice_dataset_preview (ds, f->dir, 100, NULL, &error);
      g_assert_null (r);
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
      g_assert_cmpstr (error->message, ==, cases[i].message);
    }
}

static void
test_no_sample_names_the_dataset (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("events", "csv", NULL, NULL, "a int");
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) r = sluice_dataset_preview (ds, f->dir, 10, NULL, &error);

  g_assert_null (r);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "“events”"));
}

static void
test_json_lines (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("j", "jsonl", "data/j.jsonl", NULL, "id bigint, ok boolean, v double");
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) r = NULL;
  g_autofree char *rows = NULL;

  write_file (f, "data/j.jsonl",
              "{\"id\": 1, \"ok\": true, \"v\": 2}\n"
              "{\"id\": 2, \"v\": 0.5}\n"
              "{not json at all\n", -1);
  r = sluice_dataset_preview (ds, f->dir, 2, NULL, &error);
  g_assert_no_error (error);
  rows = rows_of (r);
  g_assert_cmpstr (rows, ==, "1|true|2.0\n2|NULL|0.5\n");
}

static void
got_result (GObject *source, GAsyncResult *res, gpointer user_data)
{
  GAsyncResult **out = user_data;
  *out = g_object_ref (res);
}

static void
test_async_works_on_a_copy (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "a int, b string");
  g_autoptr(GAsyncResult) res = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) r = NULL;

  write_file (f, "data/t.csv", "1,one\n2,two\n3,three\n", -1);
  sluice_dataset_preview_async (ds, f->dir, 2, NULL, got_result, &res);
  /* edited meanwhile: the preview still reads the schema it was given */
  sluice_dataset_set_column_type (ds, 0, "string");
  sluice_dataset_set_sample (ds, NULL);
  while (res == NULL)
    g_main_context_iteration (NULL, TRUE);
  r = sluice_dataset_preview_finish (res, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sluice_gem_result_get_column (r, 0)->type.kind, ==, SLUICE_SQL_INT);
  g_assert_cmpint (sluice_gem_result_get_n_rows (r), ==, 2);
  g_assert_cmpstr (sluice_gem_result_get_value (r, 1, 1), ==, "two");
}

static void
test_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr(SluiceDataset) ds = make_dataset ("t", "csv", "data/t.csv", NULL, "a int");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) r = NULL;

  write_file (f, "data/t.csv", "1\n", -1);
  g_cancellable_cancel (cancellable);
  r = sluice_dataset_preview (ds, f->dir, 10, cancellable, &error);
  g_assert_null (r);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, func) g_test_add ("/sluice/engines/dataset-preview/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("values-show-as-spark-shows-them", test_values_show_as_spark_shows_them);
  ADD ("reads-only-what-the-limit-needs", test_reads_only_what_the_limit_needs);
  ADD ("limit-beyond-the-file-and-zero", test_limit_beyond_the_file_and_zero);
  ADD ("bad-data-names-the-place", test_bad_data_names_the_place);
  ADD ("no-sample-names-the-dataset", test_no_sample_names_the_dataset);
  ADD ("json-lines", test_json_lines);
  ADD ("async-works-on-a-copy", test_async_works_on_a_copy);
  ADD ("cancelled", test_cancelled);
  return g_test_run ();
}
