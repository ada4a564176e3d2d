/* sluice-cli as a user runs it: real processes, exit codes, output. */
#include "config.h"

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

static void
run_cli (Run                *run,
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

  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL,
                &run->out, &run->err, &wait_status, &error);
  g_assert_no_error (error);
  g_assert_true (WIFEXITED (wait_status));
  run->status = WEXITSTATUS (wait_status);
}

static char *
make_project (const char *manifest)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sluice-cli-XXXXXX", &error);
  g_autofree char *path = g_build_filename (dir, "sluice.json", NULL);

  g_assert_no_error (error);
  if (manifest)
    g_assert_true (g_file_set_contents (path, manifest, -1, NULL));
  return dir;
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

static void
test_bad_arguments_exit_2 (void)
{
  const char * const none[] = { NULL };
  const char * const unknown[] = { "frobnicate", NULL };
  const char * const two[] = { "validate", "a", "b", NULL };
  const char * const missing[] = { "validate", "/nonexistent/sluice/project", NULL };
  const char * const help[] = { "--help", NULL };
  g_auto(Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 }, r5 = { 0 };

  run_cli (&r1, none);
  g_assert_cmpint (r1.status, ==, 2);
  g_assert_nonnull (strstr (r1.err, "Usage: sluice-cli COMMAND"));

  run_cli (&r2, unknown);
  g_assert_cmpint (r2.status, ==, 2);
  g_assert_nonnull (strstr (r2.err, "unknown command “frobnicate”"));

  run_cli (&r3, two);
  g_assert_cmpint (r3.status, ==, 2);
  g_assert_nonnull (strstr (r3.err, "validate takes exactly one PROJECT_DIR"));

  run_cli (&r4, missing);
  g_assert_cmpint (r4.status, ==, 2);
  g_assert_cmpstr (r4.err, ==, "sluice-cli: /nonexistent/sluice/project: no such folder\n");

  run_cli (&r5, help);
  g_assert_cmpint (r5.status, ==, 0);
  g_assert_nonnull (strstr (r5.out, "validate PROJECT_DIR"));
}

static void
test_unreadable_projects_exit_2 (void)
{
  g_autofree char *empty = make_project (NULL);
  g_autofree char *newer = make_project ("{\"format_version\": 9, \"name\": \"x\"}");
  const char * const a[] = { "validate", empty, NULL };
  const char * const b[] = { "validate", newer, NULL };
  g_auto(Run) r1 = { 0 }, r2 = { 0 };
  g_autofree char *expected = g_strdup_printf ("sluice-cli: %s is not a Sluice project: it has no sluice.json\n", empty);

  run_cli (&r1, a);
  g_assert_cmpint (r1.status, ==, 2);
  g_assert_cmpstr (r1.err, ==, expected);

  run_cli (&r2, b);
  g_assert_cmpint (r2.status, ==, 2);
  g_assert_cmpstr (r2.err, ==, "sluice-cli: sluice.json:1:20: error: written by a newer Sluice (format 9); "
                               "this Sluice reads format 1 and will not change the file\n");
  rm_rf (empty);
  rm_rf (newer);
}

static void
test_problems_exit_1_with_every_problem (void)
{
  g_autofree char *dir = make_project ("{\n  \"format_version\": 1,\n  \"name\": \"P\"\n}\n");
  g_autofree char *bad_manifest = make_project ("{\"format_version\": 1, \"name\": 5}");
  const char * const a[] = { "validate", dir, NULL };
  const char * const b[] = { "validate", bad_manifest, NULL };
  g_auto(Run) r1 = { 0 }, r2 = { 0 };
  g_autofree char *expected = NULL;
  g_autofree char *expected_manifest = NULL;

  put (dir, "pipelines/p.json",
       "{\n  \"format_version\": 1,\n  \"gems\": [\n"
       "    {\n      \"id\": \"f\",\n      \"type\": \"Filter\",\n      \"label\": \"F\",\n"
       "      \"position\": {\"x\": 0, \"y\": 0},\n      \"config\": {}\n    }\n"
       "  ],\n  \"edges\": [\n    {\"from\": \"f.out\", \"to\": \"f.in0\"}\n  ]\n}\n");
  put (dir, "pipelines/q.json", "{\"format_version\": 1, \"gems\": [], \"edges\": [],}");

  run_cli (&r1, a);
  g_assert_cmpint (r1.status, ==, 1);
  expected = g_strdup_printf ("%s/pipelines/p.json:4:5: error: the gems f → f form a cycle\n"
                              "%s/pipelines/p.json:9:17: error: gem “f”: “condition” is required\n"
                              "%s/pipelines/q.json:1:47: error: trailing comma before “}”\n",
                              dir, dir, dir);
  g_assert_cmpstr (r1.out, ==, expected);
  g_assert_nonnull (strstr (r1.err, ": 3 errors in 2 files"));

  run_cli (&r2, b);
  g_assert_cmpint (r2.status, ==, 1);
  expected_manifest = g_strdup_printf ("%s/sluice.json:1:31: error: the project: “name” must be a string, not an integer\n",
                                       bad_manifest);
  g_assert_cmpstr (r2.out, ==, expected_manifest);

  rm_rf (dir);
  rm_rf (bad_manifest);
}

static void
test_example_is_valid (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  const char * const a[] = { "validate", example, NULL };
  g_auto(Run) r = { 0 };

  run_cli (&r, a);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, ": valid ("));
}

/* Type errors inside expressions are reported at their character. */
static void
test_type_errors_point_at_the_character (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autofree char *dir = make_project (NULL);
  g_autofree char *copy = g_strdup_printf ("cp -r %s/. %s", example, dir);
  g_autofree char *pipeline = g_build_filename (dir, "pipelines", "orders_enriched.json", NULL);
  g_autofree char *text = NULL;
  g_autofree char *expected = NULL;
  const char * const a[] = { "validate", dir, NULL };
  g_auto(Run) r = { 0 };
  char *at;

  g_assert_true (g_spawn_command_line_sync (copy, NULL, NULL, NULL, NULL));
  g_assert_true (g_file_get_contents (pipeline, &text, NULL, NULL));
  at = strstr (text, "status = 'completed'");
  g_assert_nonnull (at);
  memcpy (at, "stauts", 6);
  g_assert_true (g_file_set_contents (pipeline, text, -1, NULL));

  run_cli (&r, a);
  g_assert_cmpint (r.status, ==, 1);
  expected = g_strdup_printf ("%s/pipelines/orders_enriched.json:38:23: error: gem “completed_orders”, condition: "
                              "unknown column “stauts”; did you mean “status”?\n", dir);
  g_assert_cmpstr (r.out, ==, expected);
  rm_rf (dir);
}

static void
test_generate_writes_code_and_checks_drift (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autofree char *dir = make_project (NULL);
  g_autofree char *copy = g_strdup_printf ("sh -c 'cp -r %s/. %s && rm -rf %s/code'", example, dir, dir);
  g_autofree char *sql = g_build_filename (dir, "code", "sql", "spark", "top_products.sql", NULL);
  g_autofree char *module = g_build_filename (dir, "code", "pyspark", "orders_enriched", "orders_enriched", "gems",
                                              "line_totals.py", NULL);
  const char * const generate[] = { "generate", dir, NULL };
  const char * const check[] = { "generate", dir, "--check", NULL };
  g_auto(Run) r1 = { 0 }, r2 = { 0 }, r3 = { 0 }, r4 = { 0 }, r5 = { 0 };
  g_autofree char *expected = NULL;

  g_assert_true (g_spawn_command_line_sync (copy, NULL, NULL, NULL, NULL));

  /* Nothing generated yet: the check lists what is missing. */
  run_cli (&r1, check);
  g_assert_cmpint (r1.status, ==, 1);
  g_assert_nonnull (strstr (r1.out, "/code/sql/snowflake/revenue_by_month.sql\n"));
  g_assert_false (g_file_test (sql, G_FILE_TEST_EXISTS));

  run_cli (&r2, generate);
  g_assert_cmpint (r2.status, ==, 0);
  g_assert_nonnull (strstr (r2.err, "wrote 51 files, 0 unchanged, 0 removed"));
  g_assert_true (g_file_test (sql, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (module, G_FILE_TEST_IS_REGULAR));

  run_cli (&r3, check);
  g_assert_cmpint (r3.status, ==, 0);
  g_assert_cmpstr (r3.out, ==, "");

  /* The job's Jobs API request is generated code too: a job edit is drift. */
  {
    g_autofree char *job = g_build_filename (dir, "jobs", "nightly_refresh.json", NULL);
    g_autofree char *request = g_build_filename (dir, "code", "jobs", "nightly_refresh.json", NULL);
    g_autofree char *text = NULL;
    g_auto(GStrv) parts = NULL;
    g_autofree char *edited = NULL;
    g_autofree char *listed = g_strdup_printf ("%s/code/jobs/nightly_refresh.json\n", dir);
    g_auto(Run) rj = { 0 }, rk = { 0 };

    g_assert_true (g_file_test (request, G_FILE_TEST_IS_REGULAR));
    g_assert_true (g_file_get_contents (job, &text, NULL, NULL));
    parts = g_strsplit (text, "\"0 0 5 * * ?\"", 2);
    g_assert_nonnull (parts[1]);
    edited = g_strjoinv ("\"0 0 6 * * ?\"", parts);
    g_assert_true (g_file_set_contents (job, edited, -1, NULL));
    run_cli (&rj, check);
    g_assert_cmpint (rj.status, ==, 1);
    g_assert_cmpstr (rj.out, ==, listed);
    g_assert_true (g_file_set_contents (job, text, -1, NULL));
    run_cli (&rk, check);
    g_assert_cmpint (rk.status, ==, 0);
  }

  /* A hand edit is drift. */
  g_assert_true (g_file_set_contents (sql, "-- edited by hand\n", -1, NULL));
  run_cli (&r4, check);
  g_assert_cmpint (r4.status, ==, 1);
  expected = g_strdup_printf ("%s/code/sql/spark/top_products.sql\n", dir);
  g_assert_cmpstr (r4.out, ==, expected);

  /* Files Sluice wrote for a pipeline that is gone are stale; files a person
   * wrote are left alone. */
  {
    g_autofree char *gone = g_build_filename (dir, "code", "sql", "spark", "old_name.sql", NULL);
    g_autofree char *mine = g_build_filename (dir, "code", "sql", "spark", "mine.sql", NULL);
    g_autofree char *stale_line = g_strdup_printf ("%s (no longer generated)\n", gone);
    g_auto(Run) r6 = { 0 }, r7 = { 0 };

    g_assert_true (g_file_set_contents (gone, "-- Spark SQL for the pipeline old_name, written by Sluice from "
                                              "pipelines/old_name.json.\nSELECT 1\n", -1, NULL));
    g_assert_true (g_file_set_contents (mine, "-- my own query\nSELECT 2\n", -1, NULL));
    run_cli (&r6, check);
    g_assert_cmpint (r6.status, ==, 1);
    g_assert_nonnull (strstr (r6.out, stale_line));
    g_assert_null (strstr (r6.out, "mine.sql"));
    g_assert_true (g_file_test (gone, G_FILE_TEST_EXISTS));

    run_cli (&r7, generate);
    g_assert_cmpint (r7.status, ==, 0);
    g_assert_nonnull (strstr (r7.err, "wrote 1 files, 50 unchanged, 1 removed"));
    g_assert_false (g_file_test (gone, G_FILE_TEST_EXISTS));
    g_assert_true (g_file_test (mine, G_FILE_TEST_IS_REGULAR));
  }

  /* A project with problems gets no code. */
  {
    g_autofree char *pipeline = g_build_filename (dir, "pipelines", "top_products.json", NULL);
    g_autofree char *text = NULL;
    char *at;

    g_assert_true (g_file_get_contents (pipeline, &text, NULL, NULL));
    at = strstr (text, "rank <= 5");
    g_assert_nonnull (at);
    memcpy (at, "rnak", 4);
    g_assert_true (g_file_set_contents (pipeline, text, -1, NULL));
    run_cli (&r5, generate);
    g_assert_cmpint (r5.status, ==, 1);
    g_assert_nonnull (strstr (r5.out, "unknown column “rnak”"));
    g_assert_nonnull (strstr (r5.err, "no code was written"));
  }
  rm_rf (dir);
}

/* The bundled example's committed code matches its pipelines. */
static void
test_example_code_is_up_to_date (void)
{
  g_autofree char *example = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  const char * const check[] = { "generate", example, "--check", NULL };
  g_auto(Run) r = { 0 };

  run_cli (&r, check);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpint (r.status, ==, 0);
}

/* The gem catalog's code/ holds the reviewed output of every gem in every
 * dialect: any change in what the generators write shows up here. */
static void
test_catalog_code_is_up_to_date (void)
{
  g_autofree char *catalog = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "tests", "codegen", "catalog", NULL);
  const char * const check[] = { "generate", catalog, "--check", NULL };
  g_auto(Run) r = { 0 };

  run_cli (&r, check);
  g_assert_cmpstr (r.out, ==, "");
  g_assert_cmpint (r.status, ==, 0);
  g_assert_nonnull (strstr (r.err, "generated code is up to date (62 files)"));
}

/* ---- run ---- */

#define GEM(id, type, config) \
  "{\"id\": \"" id "\", \"type\": \"" type "\", \"label\": \"" id "\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": " config "}"

/* people → adults (id > 1) → per_city → sorted; by hand:
 *   Berlin 1 NULL, Paris 2 7.0, Rome 1 4.25 */
static char *
make_run_project (const char *people_csv,
                  const char *condition)
{
  char *dir = make_project ("{\"format_version\": 1, \"name\": \"Run\"}\n");
  g_autofree char *pipeline = g_strdup_printf (
    "{\"format_version\": 1, \"gems\": ["
    GEM ("people", "Source", "{\"dataset\": \"people\"}") ","
    GEM ("adults", "Filter", "{\"condition\": \"%s\"}") ","
    GEM ("per_city", "Aggregate", "{\"group_by\": [{\"name\": \"city\", \"expression\": \"city\"}],"
         " \"aggregates\": [{\"name\": \"n\", \"expression\": \"count(*)\"}, {\"name\": \"total\", \"expression\": \"sum(score)\"}]}") ","
    GEM ("sorted", "OrderBy", "{\"keys\": [{\"expression\": \"city\", \"direction\": \"asc\"}]}")
    "], \"edges\": [{\"from\": \"people.out\", \"to\": \"adults.in0\"}, {\"from\": \"adults.out\", \"to\": \"per_city.in0\"},"
    " {\"from\": \"per_city.out\", \"to\": \"sorted.in0\"}]}\n", condition);

  put (dir, "data/people.csv", people_csv);
  put (dir, "datasets/people.json",
       "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"t.people\", \"sample\": \"data/people.csv\","
       " \"options\": {\"header\": true}, \"schema\": [{\"name\": \"id\", \"type\": \"bigint\"},"
       " {\"name\": \"city\", \"type\": \"string\"}, {\"name\": \"score\", \"type\": \"double\"}]}\n");
  put (dir, "pipelines/cities.json", pipeline);
  return dir;
}

static const char people[] = "id,city,score\n1,Berlin,1.5\n2,Paris,2\n3,Berlin,\n4,Rome,4.25\n5,Paris,5\n";

static void
test_run_prints_each_gem_then_the_rows (void)
{
  g_autofree char *dir = make_run_project (people, "id > 1");
  const char * const csv[] = { "run", dir, "cities", "--format", "csv", NULL };
  const char * const table[] = { "run", dir, "cities", NULL };
  const char * const json[] = { "run", dir, "cities", "--format", "json", NULL };
  g_auto(Run) a = { 0 };
  g_auto(Run) b = { 0 };
  g_auto(Run) c = { 0 };
  g_autoptr(JsonParser) parser = json_parser_new ();
  g_autoptr(GError) error = NULL;
  JsonArray *rows;
  JsonObject *paris;

  /* CSV on stdout, the gems on stderr: the data stays machine-readable. */
  run_cli (&a, csv);
  g_assert_cmpint (a.status, ==, 0);
  g_assert_cmpstr (a.out, ==, "city,n,total\r\nBerlin,1,\r\nParis,2,7.0\r\nRome,1,4.25\r\n");
  g_assert_true (g_regex_match_simple ("^people +Source +5 rows +[0-9.]+ ms\n"
                                       "adults +Filter +4 rows +[0-9.]+ ms\n"
                                       "per_city +Aggregate +3 rows +[0-9.]+ ms\n"
                                       "sorted +OrderBy +3 rows +[0-9.]+ ms\n$", a.err, 0, 0));

  run_cli (&b, table);
  g_assert_cmpint (b.status, ==, 0);
  g_assert_true (g_regex_match_simple ("^per_city +Aggregate +3 rows +[0-9.]+ ms$", b.out, G_REGEX_MULTILINE, 0));
  g_assert_nonnull (strstr (b.out, "\nsorted:\ncity   │ n │ total\n───────┼───┼──────\nBerlin │ 1 │  NULL\n"
                                   "Paris  │ 2 │   7.0\nRome   │ 1 │  4.25\n"));

  /* JSON keeps the types: numbers, and null. */
  run_cli (&c, json);
  g_assert_cmpint (c.status, ==, 0);
  json_parser_load_from_data (parser, c.out, -1, &error);
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);
  g_assert_true (json_object_get_null_member (json_array_get_object_element (rows, 0), "total"));
  paris = json_array_get_object_element (rows, 1);
  g_assert_cmpstr (json_object_get_string_member (paris, "city"), ==, "Paris");
  g_assert_cmpint (json_object_get_int_member (paris, "n"), ==, 2);
  g_assert_cmpfloat (json_object_get_double_member (paris, "total"), ==, 7.0);
  rm_rf (dir);
}

static void
test_run_until_a_gem_with_a_limit (void)
{
  g_autofree char *dir = make_run_project (people, "id > 1");
  const char * const args[] = { "run", dir, "cities", "--until", "adults", "--limit", "2", NULL };
  g_auto(Run) r = { 0 };

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 0);
  g_assert_null (strstr (r.out, "per_city"));
  g_assert_nonnull (strstr (r.out, "\nadults:\n"));
  g_assert_nonnull (strstr (r.out, "(the first 2 of 4 rows)\n"));
  rm_rf (dir);
}

static void
test_run_bad_arguments_exit_2 (void)
{
  g_autofree char *dir = make_run_project (people, "id > 1");
  const char * const missing[] = { "run", dir, NULL };
  const char * const pipeline[] = { "run", dir, "nope", NULL };
  const char * const gem[] = { "run", dir, "cities", "--until", "nope", NULL };
  const char * const format[] = { "run", dir, "cities", "--format", "xml", NULL };
  const char * const limit[] = { "run", dir, "cities", "--limit", "-1", NULL };
  const char * const folder[] = { "run", "/nonexistent/sluice", "cities", NULL };
  const char * const *cases[] = { missing, pipeline, gem, format, limit, folder };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto(Run) r = { 0 };
      run_cli (&r, cases[i]);
      g_assert_cmpint (r.status, ==, 2);
      g_assert_cmpstr (r.out, ==, "");
      g_assert_true (g_str_has_prefix (r.err, "sluice-cli"));
    }
  {
    g_auto(Run) r = { 0 };
    run_cli (&r, pipeline);
    g_assert_nonnull (strstr (r.err, "there is no such pipeline\nPipelines: cities\n"));
  }
  rm_rf (dir);
}

static void
test_run_problems_exit_1_with_the_diagnostics (void)
{
  g_autofree char *dir = make_run_project (people, "nosuch > 1");
  const char * const args[] = { "run", dir, "cities", NULL };
  g_autofree char *out_dir = g_build_filename (dir, ".sluice", NULL);
  g_auto(Run) r = { 0 };
  g_autofree char *expected = NULL;

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  expected = g_strdup_printf ("%s/pipelines/cities.json:1:", dir);
  g_assert_true (g_str_has_prefix (r.out, expected));
  g_assert_nonnull (strstr (r.out, ": error: gem “adults”, condition: unknown column “nosuch”"));
  g_assert_nonnull (strstr (r.err, "pipelines/cities.json: the pipeline has 1 problem, so nothing ran\n"));
  g_assert_false (g_file_test (out_dir, G_FILE_TEST_EXISTS));
  rm_rf (dir);
}

static void
test_run_bad_data_exits_1_naming_the_place (void)
{
  g_autofree char *dir = make_run_project ("id,city,score\n1,Berlin,1.5\n2,Paris,many\n", "id > 1");
  const char * const args[] = { "run", dir, "cities", NULL };
  g_autofree char *expected = NULL;
  g_auto(Run) r = { 0 };

  run_cli (&r, args);
  g_assert_cmpint (r.status, ==, 1);
  expected = g_strdup_printf ("%s/data/people.csv:3:9: ", dir);
  g_assert_true (g_str_has_prefix (r.err, expected));
  g_assert_nonnull (strstr (r.err, "“many”"));
  g_assert_nonnull (strstr (r.out, "people "));
  g_assert_nonnull (strstr (r.out, "failed"));
  rm_rf (dir);
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cache = g_dir_make_tmp ("sluice-cli-cache-XXXXXX", NULL);
  int status;

  /* Runs cache samples in the user's cache folder: a private one here. */
  g_setenv ("XDG_CACHE_HOME", cache, TRUE);
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/cli/validate/bad-arguments-exit-2", test_bad_arguments_exit_2);
  g_test_add_func ("/sluice/cli/validate/unreadable-projects-exit-2", test_unreadable_projects_exit_2);
  g_test_add_func ("/sluice/cli/validate/problems-exit-1-with-every-problem", test_problems_exit_1_with_every_problem);
  g_test_add_func ("/sluice/cli/validate/example-is-valid", test_example_is_valid);
  g_test_add_func ("/sluice/cli/validate/type-errors-point-at-the-character", test_type_errors_point_at_the_character);
  g_test_add_func ("/sluice/cli/generate/writes-code-and-checks-drift", test_generate_writes_code_and_checks_drift);
  g_test_add_func ("/sluice/cli/generate/example-code-is-up-to-date", test_example_code_is_up_to_date);
  g_test_add_func ("/sluice/cli/generate/catalog-code-is-up-to-date", test_catalog_code_is_up_to_date);
  g_test_add_func ("/sluice/cli/run/prints-each-gem-then-the-rows", test_run_prints_each_gem_then_the_rows);
  g_test_add_func ("/sluice/cli/run/until-a-gem-with-a-limit", test_run_until_a_gem_with_a_limit);
  g_test_add_func ("/sluice/cli/run/bad-arguments-exit-2", test_run_bad_arguments_exit_2);
  g_test_add_func ("/sluice/cli/run/problems-exit-1-with-the-diagnostics", test_run_problems_exit_1_with_the_diagnostics);
  g_test_add_func ("/sluice/cli/run/bad-data-exits-1-naming-the-place", test_run_bad_data_exits_1_naming_the_place);

  status = g_test_run ();
  rm_rf (cache);
  return status;
}
