/* sluice-cli dataset infer and preview as a user runs them: real
 * processes, exit codes, output. */
#include "config.h"

#include <string.h>
#include <glib/gstdio.h>
#include <json-glib/json-glib.h>

typedef struct
{
  int   status;
  char *out;
  char *err;
} Run;

static void
run_clear (Run *run)
{
  g_free (run->out);
  g_free (run->err);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (Run, run_clear)

/* Runs sluice-cli with @args in @cwd (NULL: here). */
static void
run_cli (Run                *run,
         const char         *cwd,
         const char * const *args)
{
  g_autofree char *cli = g_build_filename (g_getenv ("SLUICE_BUILD_ROOT"), "src", "cli", "sluice-cli", NULL);
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  int wait_status;

  g_ptr_array_add (argv, cli);
  for (guint i = 0; args[i]; i++)
    g_ptr_array_add (argv, (gpointer) args[i]);
  g_ptr_array_add (argv, NULL);

  g_spawn_sync (cwd, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static void
put (const char *dir,
     const char *relative,
     const char *contents)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_mkdir_with_parents (parent, 0755);
  g_assert_true (g_file_set_contents (path, contents, -1, NULL));
}

static void
rm_rf (const char *path)
{
  g_autofree char *quoted = g_shell_quote (path);
  g_autofree char *cmd = g_strdup_printf ("rm -rf %s", quoted);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, NULL, NULL));
}

static char *
make_project (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sluice-cli-dataset-XXXXXX", &error);

  g_assert_no_error (error);
  put (dir, "sluice.json", "{\"format_version\": 1, \"name\": \"p\"}\n");
  return dir;
}

static const char orders_csv[] =
  "id,name,price,day\n"
  "1,a,12.50,2024-01-01\n"
  "2,b,3.10,\n"
  "3,c,x,2024-01-02\n";

static const char orders_json[] =
  "{\n"
  "  \"format_version\": 1,\n"
  "  \"format\": \"csv\",\n"
  "  \"location\": \"\",\n"
  "  \"sample\": \"data/orders.csv\",\n"
  "  \"options\": {\n"
  "    \"header\": true,\n"
  "    \"delimiter\": \",\",\n"
  "    \"quote\": \"\\\"\"\n"
  "  },\n"
  "  \"schema\": [\n"
  "    {\"name\": \"id\", \"type\": \"int\", \"nullable\": false},\n"
  "    {\"name\": \"name\", \"type\": \"string\", \"nullable\": false},\n"
  "    {\"name\": \"price\", \"type\": \"string\", \"nullable\": false},\n"
  "    {\"name\": \"day\", \"type\": \"date\", \"nullable\": true}\n"
  "  ]\n"
  "}\n";

static void
test_infer_prints_the_dataset_file (void)
{
  g_autofree char *dir = make_project ();
  const char * const args[] = { "dataset", "infer", "data/orders.csv", NULL };
  const char * const preview[] = { "dataset", "preview", ".", "orders", "--format", "csv", NULL };
  g_auto(Run) r = { 0 }, p = { 0 };

  put (dir, "data/orders.csv", orders_csv);
  run_cli (&r, dir, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.out, ==, orders_json);
  g_assert_cmpstr (r.err, ==, "data/orders.csv: column “price”: mixed content: “x” on line 4 after numbers; read as string\n");

  /* saved as datasets/orders.json, it previews (and so runs) */
  put (dir, "datasets/orders.json", r.out);
  run_cli (&p, dir, preview);
  g_assert_cmpstr (p.err, ==, "");
  g_assert_cmpint (p.status, ==, 0);
  g_assert_cmpstr (p.out, ==, "id,name,price,day\r\n1,a,12.50,2024-01-01\r\n2,b,3.10,\r\n3,c,x,2024-01-02\r\n");
  rm_rf (dir);
}

static void
test_infer_options (void)
{
  g_autofree char *dir = make_project ();
  const char * const first[] = { "dataset", "infer", "data/orders.csv", "--max-rows", "2", "--name", "o", NULL };
  const char * const jsonl[] = { "dataset", "infer", "rows.txt", "--format", "jsonl", NULL };
  g_auto(Run) r = { 0 }, j = { 0 };
  g_autoptr(JsonNode) root = NULL;
  JsonObject *object;
  JsonArray *schema;

  put (dir, "data/orders.csv", orders_csv);
  run_cli (&r, dir, first);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_cmpstr (r.err, ==, "data/orders.csv: read the first 2 rows only; the file goes on\n");
  root = json_from_string (r.out, NULL);
  schema = json_object_get_array_member (json_node_get_object (root), "schema");
  /* only the first two rows: the price is a decimal */
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (schema, 2), "type"), ==,
                   "decimal(4,2)");

  put (dir, "rows.txt", "{\"a\": 1, \"b\": \"x\"}\n{\"a\": 2}\n");
  run_cli (&j, dir, jsonl);
  g_assert_cmpint (j.status, ==, 0);
  g_clear_pointer (&root, json_node_unref);
  root = json_from_string (j.out, NULL);
  object = json_node_get_object (root);
  g_assert_cmpstr (json_object_get_string_member (object, "format"), ==, "jsonl");
  g_assert_cmpstr (json_object_get_string_member (object, "sample"), ==, "rows.txt");
  schema = json_object_get_array_member (object, "schema");
  g_assert_cmpuint (json_array_get_length (schema), ==, 2);
  g_assert_false (json_object_get_boolean_member (json_array_get_object_element (schema, 0), "nullable"));
  g_assert_true (json_object_get_boolean_member (json_array_get_object_element (schema, 1), "nullable"));
  rm_rf (dir);
}

static void
test_infer_bad_data_exits_1_naming_the_place (void)
{
  g_autofree char *dir = make_project ();
  const char * const ragged[] = { "dataset", "infer", "data/t.csv", NULL };
  const char * const empty[] = { "dataset", "infer", "data/empty.csv", NULL };
  g_auto(Run) r = { 0 }, e = { 0 };

  put (dir, "data/t.csv", "a,b\n1,2\n3,4,5\n");
  put (dir, "data/empty.csv", "");
  run_cli (&r, dir, ragged);
  g_assert_cmpint (r.status, ==, 1);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpstr (r.err, ==, "data/t.csv:3:5: expected 2 fields, found 3\n");
  run_cli (&e, dir, empty);
  g_assert_cmpint (e.status, ==, 1);
  g_assert_cmpstr (e.err, ==, "data/empty.csv:1:1: the file is empty: there are no columns to infer\n");
  rm_rf (dir);
}

static void
test_infer_bad_arguments_exit_2 (void)
{
  static const char * const cases[][6] = {
    { "dataset", NULL },
    { "dataset", "frobnicate", NULL },
    { "dataset", "infer", NULL },
    { "dataset", "infer", "/nonexistent/x.csv", NULL },
    { "dataset", "infer", "x.csv", "y.csv", NULL },
    { "dataset", "infer", "x.csv", "--format", "xml", NULL },
    { "dataset", "infer", "x.csv", "--max-rows", "-1", NULL },
  };
  g_autofree char *dir = make_project ();

  put (dir, "x.csv", "a\n1\n");
  put (dir, "y.csv", "a\n1\n");
  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) r = { 0 };

      run_cli (&r, dir, cases[i]);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_true (g_str_has_prefix (r.err, "sluice-cli dataset"));
    }
  rm_rf (dir);
}

static void
test_preview_the_example (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  const char * const csv[] = { "dataset", "preview", example, "customers", "--limit", "2", "--format", "csv", NULL };
  const char * const table[] = { "dataset", "preview", example, "orders", "--limit", "1", NULL };
  const char * const json[] = { "dataset", "preview", example, "returns", "--limit", "3", "--format", "json", NULL };
  g_auto(Run) c = { 0 }, t = { 0 }, j = { 0 };
  g_autoptr(JsonNode) root = NULL;
  g_auto(GStrv) lines = NULL;

  run_cli (&c, NULL, csv);
  g_assert_cmpint (c.status, ==, 0);
  g_assert_cmpstr (c.out, ==,
                   "customer_id,first_name,last_name,email,segment,country,city,signup_date,newsletter,note\r\n"
                   "1,Zoë,Kowalski,zoë.kowalski1@example.com,Consumer,US,New York,2023-01-04,false,\r\n"
                   "2,Viktor,Nguyen,viktor.nguyen2@example.com,Corporate,SE,Malmö,2024-04-21,false,\r\n");

  run_cli (&t, NULL, table);
  g_assert_cmpint (t.status, ==, 0);
  g_assert_true (g_str_has_prefix (t.out, "order_id │ line_no │"));
  g_assert_nonnull (strstr (t.out, "2024-03-21"));
  g_assert_nonnull (strstr (t.out, "444.50"));
  lines = g_strsplit (t.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 4);   /* names, rule, one row, "" */

  run_cli (&j, NULL, json);
  g_assert_cmpint (j.status, ==, 0);
  root = json_from_string (j.out, NULL);
  g_assert_nonnull (root);
  g_assert_cmpuint (json_array_get_length (json_node_get_array (root)), ==, 3);
}

static void
test_preview_problems (void)
{
  g_autofree char *dir = make_project ();
  g_autofree char *bad_place = NULL;
  const char * const unknown[] = { "dataset", "preview", dir, "nope", NULL };
  const char * const bad[] = { "dataset", "preview", dir, "t", NULL };
  const char * const early[] = { "dataset", "preview", dir, "t", "--limit", "1", NULL };
  const char * const args[][7] = {
    { "dataset", "preview", dir, NULL },
    { "dataset", "preview", dir, "t", "--format", "xml", NULL },
    { "dataset", "preview", dir, "t", "--limit", "-3", NULL },
    { "dataset", "preview", "/nonexistent/project", "t", NULL },
  };
  g_auto(Run) u = { 0 }, b = { 0 }, e = { 0 };

  put (dir, "data/t.csv", "a\n1\nx\n");
  put (dir, "datasets/t.json", "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"\", \"sample\": \"data/t.csv\","
                               " \"options\": {\"header\": true}, \"schema\": [{\"name\": \"a\", \"type\": \"int\"}]}\n");
  put (dir, "datasets/u.json", "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"x\","
                               " \"schema\": [{\"name\": \"a\", \"type\": \"int\"}]}\n");

  run_cli (&u, NULL, unknown);
  g_assert_cmpint (u.status, ==, 2);
  g_assert_nonnull (strstr (u.err, "there is no such dataset\nDatasets: t u\n"));

  run_cli (&b, NULL, bad);
  g_assert_cmpint (b.status, ==, 1);
  bad_place = g_strdup_printf ("%s/data/t.csv:3:1: column “a”: “x” is not an int\n", dir);
  g_assert_cmpstr (b.err, ==, bad_place);

  /* the bad row is past the limit: never read */
  run_cli (&e, NULL, early);
  g_assert_cmpint (e.status, ==, 0);

  {
    const char * const no_sample[] = { "dataset", "preview", dir, "u", NULL };
    g_auto(Run) n = { 0 };

    run_cli (&n, NULL, no_sample);
    g_assert_cmpint (n.status, ==, 1);
    g_assert_nonnull (strstr (n.err, "dataset “u” has no sample file"));
  }

  for (guint i = 0; i < G_N_ELEMENTS (args); i++)
    {
      g_auto(Run) r = { 0 };

      run_cli (&r, NULL, args[i]);
      g_assert_cmpint (r.status, ==, 2);
    }
  rm_rf (dir);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, NULL);
  g_test_add_func ("/sluice/cli/dataset/infer-prints-the-dataset-file", test_infer_prints_the_dataset_file);
  g_test_add_func ("/sluice/cli/dataset/infer-options", test_infer_options);
  g_test_add_func ("/sluice/cli/dataset/infer-bad-data-exits-1-naming-the-place", test_infer_bad_data_exits_1_naming_the_place);
  g_test_add_func ("/sluice/cli/dataset/infer-bad-arguments-exit-2", test_infer_bad_arguments_exit_2);
  g_test_add_func ("/sluice/cli/dataset/preview-the-example", test_preview_the_example);
  g_test_add_func ("/sluice/cli/dataset/preview-problems", test_preview_problems);
  return g_test_run ();
}
