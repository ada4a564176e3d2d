/* The engine interface and the local engine, on a small project whose
 * expected rows are worked out by hand in the comments. */
#include "config.h"

#include <glib/gstdio.h>

#include "sluice-compute.h"
#include "sluice-core.h"
#include "sluice-engine-error.h"
#include "sluice-local-engine.h"

static const char people_csv[] =
  "id,name,city,score\n"
  "1,Ann,Berlin,1.5\n"
  "2,Bob,Paris,2\n"
  "3,Cyd,Berlin,\n"
  "4,Dee,Rome,4.25\n"
  "5,Eve,Paris,5\n";

static const char people_json[] =
  "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"t.people\", \"sample\": \"data/people.csv\","
  " \"options\": {\"header\": true},"
  " \"schema\": [{\"name\": \"id\", \"type\": \"bigint\", \"nullable\": false}, {\"name\": \"name\", \"type\": \"string\"},"
  "  {\"name\": \"city\", \"type\": \"string\"}, {\"name\": \"score\", \"type\": \"double\"}]}\n";

static const char by_city_json[] =
  "{\"format_version\": 1, \"format\": \"delta\", \"location\": \"t.by_city\","
  " \"schema\": [{\"name\": \"city\", \"type\": \"string\"}, {\"name\": \"n\", \"type\": \"bigint\", \"nullable\": false},"
  "  {\"name\": \"total\", \"type\": \"double\"}]}\n";

#define GEM(id, type, config) \
  "{\"id\": \"" id "\", \"type\": \"" type "\", \"label\": \"" id "\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": " config "}"

#define GEM_WITH_INPUTS(id, type, inputs, config) \
  "{\"id\": \"" id "\", \"type\": \"" type "\", \"label\": \"" id "\", \"position\": {\"x\": 0, \"y\": 0}, " \
  "\"inputs\": " inputs ", \"config\": " config "}"

/* people → adults (id > 1) → per_city (count, sum) → sorted → write:
 *   Berlin 1 NULL   (Cyd has no score)
 *   Paris  2 7.0    (Bob 2 + Eve 5)
 *   Rome   1 4.25 */
static const char cities_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("people", "Source", "{\"dataset\": \"people\"}") ","
  GEM ("adults", "Filter", "{\"condition\": \"%s\"}") ","
  GEM ("per_city", "Aggregate", "{\"group_by\": [{\"name\": \"city\", \"expression\": \"city\"}],"
       " \"aggregates\": [{\"name\": \"n\", \"expression\": \"count(*)\"}, {\"name\": \"total\", \"expression\": \"sum(score)\"}]}") ","
  GEM ("sorted", "OrderBy", "{\"keys\": [{\"expression\": \"city\", \"direction\": \"asc\"}]}") ","
  GEM ("write", "Target", "{\"dataset\": \"by_city\", \"mode\": \"overwrite\"}")
  "], \"edges\": ["
  "{\"from\": \"people.out\", \"to\": \"adults.in0\"}, {\"from\": \"adults.out\", \"to\": \"per_city.in0\"},"
  "{\"from\": \"per_city.out\", \"to\": \"sorted.in0\"}, {\"from\": \"sorted.out\", \"to\": \"write.in0\"}]}\n";

/* Reads what cities writes (by_city has no sample of its own). */
static const char downstream_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("by_city", "Source", "{\"dataset\": \"by_city\"}") ","
  GEM ("big", "Filter", "{\"condition\": \"n > 1\"}")
  "], \"edges\": [{\"from\": \"by_city.out\", \"to\": \"big.in0\"}]}\n";

/* Does not end for hours unless interrupted: 5^14 rows of a cross join. */
static const char forever_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("people", "Source", "{\"dataset\": \"people\"}") ","
  GEM_WITH_INPUTS ("forever", "SQLStatement", "[\"src\"]", "{\"sql\": \"SELECT count(*) AS x FROM src AS a, src AS b, "
       "src AS c, src AS d, src AS e, src AS f, src AS g, src AS h, src AS i, src AS j, src AS k, src AS l, src AS m, "
       "src AS n\", \"schema\": [{\"name\": \"x\", \"type\": \"bigint\"}]}")
  "], \"edges\": [{\"from\": \"people.out\", \"to\": \"forever.src\"}]}\n";

/* A statement with its own WITH RECURSIVE, whose input port has the name of
 * the gem that feeds it: 1 … count(people) = 5 rows. */
static const char recursive_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("people", "Source", "{\"dataset\": \"people\"}") ","
  GEM_WITH_INPUTS ("numbers", "SQLStatement", "[\"people\"]", "{\"sql\": \"WITH RECURSIVE n(x) AS (SELECT 1 "
       "UNION ALL SELECT x + 1 FROM n WHERE x < (SELECT count(*) FROM people)) SELECT x FROM n\", "
       "\"schema\": [{\"name\": \"x\", \"type\": \"bigint\"}]}")
  "], \"edges\": [{\"from\": \"people.out\", \"to\": \"numbers.people\"}]}\n";

/* people → a ⇄ b: no order to run them in. */
static const char cycle_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("people", "Source", "{\"dataset\": \"people\"}") ","
  GEM ("a", "SetOperation", "{\"operation\": \"union_all\", \"by\": \"name\"}") ","
  GEM ("b", "Filter", "{\"condition\": \"id > 1\"}")
  "], \"edges\": [{\"from\": \"people.out\", \"to\": \"a.in0\"}, {\"from\": \"b.out\", \"to\": \"a.in1\"},"
  " {\"from\": \"a.out\", \"to\": \"b.in0\"}]}\n";

typedef struct
{
  char *dir;
  char *cache;
} Fixture;

static void
write_file (const char *dir,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (parent, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *cities = g_strdup_printf (cities_pipeline, "id > 1");
  g_autofree char *bad = g_strdup_printf (cities_pipeline, "nosuch > 1");

  f->dir = g_dir_make_tmp ("sluice-local-XXXXXX", &error);
  g_assert_no_error (error);
  f->cache = g_build_filename (f->dir, "cache", NULL);
  write_file (f->dir, "project/sluice.json", "{\"format_version\": 1, \"name\": \"T\"}\n");
  write_file (f->dir, "project/data/people.csv", people_csv);
  write_file (f->dir, "project/datasets/people.json", people_json);
  write_file (f->dir, "project/datasets/by_city.json", by_city_json);
  write_file (f->dir, "project/pipelines/cities.json", cities);
  write_file (f->dir, "project/pipelines/bad.json", bad);
  write_file (f->dir, "project/pipelines/downstream.json", downstream_pipeline);
  write_file (f->dir, "project/pipelines/forever.json", forever_pipeline);
  write_file (f->dir, "project/pipelines/cycle.json", cycle_pipeline);
  write_file (f->dir, "project/pipelines/recursive.json", recursive_pipeline);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  remove_tree (f->dir);
  g_free (f->dir);
  g_free (f->cache);
}

static SluiceProject *
load (Fixture *f)
{
  g_autofree char *path = g_build_filename (f->dir, "project", NULL);
  g_autoptr(GFile) dir = g_file_new_for_path (path);
  g_autoptr(GError) error = NULL;
  SluiceProject *project = sluice_project_load (dir, NULL, &error);

  g_assert_no_error (error);
  return project;
}

typedef struct
{
  gboolean  done;
  gboolean  ok;
  GError   *error;
} Wait;

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  Wait *w = user_data;

  w->ok = sluice_engine_run_pipeline_finish (SLUICE_ENGINE (source), result, &w->error);
  w->done = TRUE;
}

static gboolean
run (SluiceLocalEngine  *engine,
     SluiceRun          *r,
     GCancellable       *cancellable,
     GError            **error)
{
  Wait w = { 0 };

  sluice_engine_run_pipeline_async (SLUICE_ENGINE (engine), r, cancellable, run_done, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  if (w.error)
    g_propagate_error (error, w.error);
  return w.ok;
}

static SluiceRun *
new_run (SluiceProject *project,
         const char    *pipeline,
         const char    *until)
{
  SluicePipeline *p = sluice_project_find_pipeline (project, pipeline);

  g_assert_nonnull (p);
  return sluice_run_new (project, p, until, SLUICE_RUN_DEFAULT_SAMPLE_LIMIT);
}

static char *
row_text (SluiceGemResult *r,
          guint            row)
{
  GString *out = g_string_new (NULL);

  for (guint c = 0; c < sluice_gem_result_get_n_columns (r); c++)
    {
      const char *v = sluice_gem_result_get_value (r, row, c);
      g_string_append_printf (out, "%s%s", c ? "|" : "", v ? v : "NULL");
    }
  return g_string_free (out, FALSE);
}

typedef struct
{
  GString *log;
} StateLog;

static void
gem_state_changed (SluiceRun  *r,
                   const char *gem_id,
                   int         state,
                   GString    *log)
{
  static const char *names[] = { "-", "queued", "running", "done", "failed" };
  g_string_append_printf (log, "%s:%s ", gem_id, names[state]);
}

static void
test_run_gives_every_gem_its_rows (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) r = new_run (project, "cities", NULL);
  g_autoptr(GString) log = g_string_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *written = NULL;
  SluiceGemResult *res;
  const char * const expected_order[] = { "people", "adults", "per_city", "sorted", "write", NULL };

  g_signal_connect (r, "gem-state-changed", G_CALLBACK (gem_state_changed), log);
  g_assert_true (run (engine, r, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_SUCCEEDED);
  g_assert_cmpfloat (sluice_run_get_fraction (r), ==, 1.0);
  g_assert_cmpstrv (sluice_run_get_gems (r), expected_order);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (r)), ==, 5);
  g_assert_cmpstr (log->str, ==,
                   "people:queued adults:queued per_city:queued sorted:queued write:queued "
                   "people:running people:done adults:running adults:done per_city:running per_city:done "
                   "sorted:running sorted:done write:running write:done ");

  res = sluice_run_find_result (r, "people");
  g_assert_cmpint (sluice_gem_result_get_n_rows (res), ==, 5);
  g_assert_cmpuint (sluice_gem_result_get_n_columns (res), ==, 4);
  g_assert_cmpstr (sluice_gem_result_get_column (res, 3)->name, ==, "score");
  {
    g_autofree char *row = row_text (res, 1);
    g_assert_cmpstr (row, ==, "2|Bob|Paris|2.0");   /* a double shows its fraction */
  }
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (r, "adults")), ==, 4);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (r, "per_city")), ==, 3);

  res = sluice_run_find_result (r, "sorted");
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (res), ==, 3);
  g_assert_cmpint (sluice_gem_result_get_column (res, 1)->type.kind, ==, SLUICE_SQL_BIGINT);
  for (guint i = 0; i < 3; i++)
    {
      static const char *rows[] = { "Berlin|1|NULL", "Paris|2|7.0", "Rome|1|4.25" };
      g_autofree char *row = row_text (res, i);
      g_assert_cmpstr (row, ==, rows[i]);
    }
  g_assert_cmpfloat (sluice_gem_result_get_elapsed (res), >=, 0);
  g_assert_null (sluice_gem_result_get_error (res));

  /* The Target wrote the rows under .sluice/output, and shows them too. */
  res = sluice_run_find_result (r, "write");
  g_assert_cmpint (sluice_gem_result_get_n_rows (res), ==, 3);
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (res), ==, 3);
  output = g_build_filename (f->dir, "project", ".sluice", "output", "by_city.csv", NULL);
  g_assert_cmpstr (sluice_gem_result_get_output (res), ==, output);
  g_file_get_contents (output, &written, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_str_has_prefix (written, "city,n,total\n") || g_str_has_prefix (written, "city,n,total\r\n"));
  g_assert_nonnull (strstr (written, "Paris,2,7"));
  g_assert_nonnull (strstr (written, "Rome,1,4.25"));

  /* git ignores the outputs whatever the repository's own .gitignore says. */
  {
    g_autofree char *ignore = g_build_filename (f->dir, "project", ".sluice", ".gitignore", NULL);
    g_autofree char *text = NULL;
    g_assert_true (g_file_get_contents (ignore, &text, NULL, NULL));
    g_assert_true (g_str_has_suffix (text, "\n*\n"));
  }
}

static void
test_run_until_a_gem_runs_only_what_it_needs (Fixture       *f,
                                              gconstpointer  data)
{
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) r = new_run (project, "cities", "adults");
  g_autoptr(GError) error = NULL;
  g_autofree char *output = g_build_filename (f->dir, "project", ".sluice", "output", "by_city.csv", NULL);
  const char * const expected_order[] = { "people", "adults", NULL };

  g_assert_true (run (engine, r, NULL, &error));
  g_assert_cmpstrv (sluice_run_get_gems (r), expected_order);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (r)), ==, 2);
  g_assert_cmpint (sluice_run_get_gem_state (r, "adults"), ==, SLUICE_GEM_DONE);
  g_assert_cmpint (sluice_run_get_gem_state (r, "per_city"), ==, SLUICE_GEM_NOT_IN_RUN);
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

static void
test_a_sample_limit_keeps_the_first_rows (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) r = sluice_run_new (project, sluice_project_find_pipeline (project, "cities"), "people", 2);
  g_autoptr(GError) error = NULL;
  SluiceGemResult *res;

  g_assert_true (run (engine, r, NULL, &error));
  res = sluice_run_find_result (r, "people");
  g_assert_cmpint (sluice_gem_result_get_n_rows (res), ==, 5);
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (res), ==, 2);
}

static void
test_a_pipeline_with_problems_does_not_run (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) r = new_run (project, "bad", NULL);
  g_autoptr(SluiceRun) upstream = new_run (project, "bad", "people");
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceDiagnostic) d = NULL;
  g_autofree char *text = NULL;

  g_assert_false (run (engine, r, NULL, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE);
  g_assert_true (g_str_has_prefix (error->message, "pipelines/bad.json: "));
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (r)), ==, 0);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_problems (r)), >=, 1);
  d = g_list_model_get_item (sluice_run_get_problems (r), 0);
  text = sluice_diagnostic_to_string (d);
  g_assert_true (g_str_has_prefix (text, "pipelines/bad.json:"));
  g_assert_nonnull (strstr (text, "nosuch"));
  g_assert_cmpuint (sluice_diagnostic_get_line (d), >, 0);
  g_clear_error (&error);

  /* What is upstream of the problem still runs. */
  g_assert_true (run (engine, upstream, NULL, &error));
  g_assert_no_error (error);

  /* A cycle is a problem of the run, even though its gems have no order. */
  {
    g_autoptr(SluiceRun) cycle = new_run (project, "cycle", NULL);
    g_autoptr(SluiceDiagnostic) first = NULL;

    g_assert_false (run (engine, cycle, NULL, &error));
    g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE);
    first = g_list_model_get_item (sluice_run_get_problems (cycle), 0);
    g_assert_nonnull (strstr (sluice_diagnostic_get_message (first), "form a cycle"));
    g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (cycle)), ==, 0);
  }
}

static void
test_bad_data_stops_the_run_at_its_source (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) r = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *output = g_build_filename (f->dir, "project", ".sluice", "output", NULL);
  SluiceGemResult *res;

  write_file (f->dir, "project/data/people.csv", "id,name,city,score\n1,Ann,Berlin,1.5\nx2,Bob,Paris,2\n");
  project = load (f);
  r = new_run (project, "cities", NULL);
  g_assert_false (run (engine, r, NULL, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
  g_assert_true (g_str_has_prefix (error->message, "data/people.csv:3:1: "));
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_FAILED);
  res = sluice_run_find_result (r, "people");
  g_assert_nonnull (res);
  g_assert_error ((GError *) sluice_gem_result_get_error (res), SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA);
  g_assert_cmpint (sluice_run_get_gem_state (r, "people"), ==, SLUICE_GEM_FAILED);
  g_assert_cmpint (sluice_run_get_gem_state (r, "adults"), ==, SLUICE_GEM_NOT_IN_RUN);
  /* Nothing was written. */
  g_assert_false (g_file_test (output, G_FILE_TEST_EXISTS));
}

static void
test_a_statement_with_its_own_with_recursive_runs (Fixture       *f,
                                                   gconstpointer  data)
{
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) r = new_run (project, "recursive", NULL);
  g_autoptr(GError) error = NULL;
  SluiceGemResult *res;

  g_assert_true (run (engine, r, NULL, &error));
  g_assert_no_error (error);
  res = sluice_run_find_result (r, "numbers");
  g_assert_cmpint (sluice_gem_result_get_n_rows (res), ==, 5);
  g_assert_cmpstr (sluice_gem_result_get_value (res, 4, 0), ==, "5");
}

static void
test_a_changed_sample_is_loaded_again (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) first = new_run (project, "cities", "people");
  g_autoptr(SluiceRun) second = new_run (project, "cities", "people");
  g_autoptr(SluiceRun) third = NULL;
  g_autoptr(SluiceLocalEngine) other = sluice_local_engine_new (f->cache);
  g_autoptr(GError) error = NULL;

  g_assert_true (run (engine, first, NULL, &error));
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (first, "people")), ==, 5);
  write_file (f->dir, "project/data/people.csv", "id,name,city,score\n7,Gus,Oslo,1\n");
  g_assert_true (run (engine, second, NULL, &error));
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (second, "people")), ==, 1);

  /* The cache outlives the engine: another one (another process) reads it. */
  third = new_run (project, "cities", "people");
  g_assert_true (run (other, third, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (third, "people")), ==, 1);
}

static void
test_a_downstream_pipeline_reads_what_a_run_wrote (Fixture       *f,
                                                   gconstpointer  data)
{
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) before = new_run (project, "downstream", NULL);
  g_autoptr(SluiceRun) writer = new_run (project, "cities", NULL);
  g_autoptr(SluiceRun) after = new_run (project, "downstream", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceDiagnostic) d = NULL;
  SluiceGemResult *res;

  g_assert_false (run (engine, before, NULL, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE);
  d = g_list_model_get_item (sluice_run_get_problems (before), 0);
  g_assert_cmpstr (sluice_diagnostic_get_file (d), ==, "datasets/by_city.json");
  g_assert_nonnull (strstr (sluice_diagnostic_get_message (d), "no local run has written it"));
  g_clear_error (&error);

  g_assert_true (run (engine, writer, NULL, &error));
  g_assert_true (run (engine, after, NULL, &error));
  g_assert_no_error (error);
  res = sluice_run_find_result (after, "big");
  g_assert_cmpint (sluice_gem_result_get_n_rows (res), ==, 1);
  {
    g_autofree char *row = row_text (res, 0);
    g_assert_cmpstr (row, ==, "Paris|2|7.0");
  }
}

static gboolean
cancel_soon (gpointer data)
{
  g_cancellable_cancel (data);
  return G_SOURCE_REMOVE;
}

static void
cancel_when_running (SluiceRun    *r,
                     const char   *gem_id,
                     int           state,
                     GCancellable *cancellable)
{
  if (g_str_equal (gem_id, "forever") && state == SLUICE_GEM_RUNNING)
    g_timeout_add (50, cancel_soon, cancellable);
}

static void
test_cancel_interrupts_a_running_query (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) r = new_run (project, "forever", NULL);
  g_autoptr(SluiceRun) again = new_run (project, "cities", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GCancellable) cancelled = g_cancellable_new ();
  g_autoptr(SluiceRun) never = new_run (project, "cities", NULL);
  g_autoptr(GError) error = NULL;

  /* The query never ends by itself: only an interrupt gets this test past. */
  g_signal_connect (r, "gem-state-changed", G_CALLBACK (cancel_when_running), cancellable);
  g_assert_false (run (engine, r, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_CANCELLED);
  g_assert_cmpint (sluice_run_get_gem_state (r, "forever"), ==, SLUICE_GEM_NOT_IN_RUN);
  g_assert_null (sluice_run_find_result (r, "forever"));
  g_clear_error (&error);

  /* The engine is usable afterwards. */
  g_assert_true (run (engine, again, NULL, &error));
  g_assert_no_error (error);

  /* Cancelled before it starts: nothing runs. */
  g_cancellable_cancel (cancelled);
  g_assert_false (run (engine, never, cancelled, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (never)), ==, 0);
}

static void
cancel_when_loading (SluiceRun    *r,
                     const char   *gem_id,
                     int           state,
                     GCancellable *cancellable)
{
  if (g_str_equal (gem_id, "people") && state == SLUICE_GEM_RUNNING)
    g_timeout_add (20, cancel_soon, cancellable);
}

static void
record_fraction (SluiceRun  *r,
                 GParamSpec *pspec,
                 GArray     *fractions)
{
  double f = sluice_run_get_fraction (r);
  g_array_append_val (fractions, f);
}

static void
test_cancel_during_a_load_leaves_no_half_table (Fixture       *f,
                                                gconstpointer  data)
{
  g_autoptr(GString) csv = g_string_new ("id,name,city,score\n");
  g_autoptr(SluiceProject) project = NULL;
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (f->cache);
  g_autoptr(SluiceRun) r = NULL;
  g_autoptr(SluiceRun) again = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GArray) fractions = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GError) error = NULL;

  /* Big enough that loading takes well over the 20 ms before the cancel. */
  for (guint i = 0; i < 400000; i++)
    g_string_append_printf (csv, "%u,N%u,%s,%u.5\n", i, i, i % 3 ? "Paris" : "Rome", i % 10);
  write_file (f->dir, "project/data/people.csv", csv->str);
  project = load (f);
  r = new_run (project, "cities", "people");
  g_signal_connect (r, "gem-state-changed", G_CALLBACK (cancel_when_loading), cancellable);
  g_assert_false (run (engine, r, cancellable, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* A cancel is not a failure of the gem. */
  g_assert_null (sluice_run_find_result (r, "people"));
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_CANCELLED);
  g_clear_error (&error);

  /* Nothing half-loaded is taken for the sample: all of it loads now, and
   * the progress moves forward only, in several steps, to the end. */
  again = new_run (project, "cities", NULL);
  g_signal_connect (again, "notify::fraction", G_CALLBACK (record_fraction), fractions);
  g_assert_true (run (engine, again, NULL, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (again, "people")), ==, 400000);
  g_assert_cmpuint (fractions->len, >=, 3);
  for (guint i = 1; i < fractions->len; i++)
    g_assert_cmpfloat (g_array_index (fractions, double, i - 1), <, g_array_index (fractions, double, i));
  g_assert_cmpfloat (g_array_index (fractions, double, 0), >, 0);
  g_assert_cmpfloat (g_array_index (fractions, double, fractions->len - 1), ==, 1.0);
}

static void
sql_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GTask *out = user_data;
  GError *error = NULL;
  SluiceGemResult *r = sluice_engine_run_sql_finish (SLUICE_ENGINE (source), result, &error);

  if (r)
    g_task_return_pointer (out, r, g_object_unref);
  else
    g_task_return_error (out, error);
  g_object_unref (out);
}

static SluiceGemResult *
run_sql (SluiceEngine  *engine,
         const char    *sql,
         GError       **error)
{
  g_autoptr(GTask) out = g_task_new (NULL, NULL, NULL, NULL);

  sluice_engine_run_sql_async (engine, sql, 10, NULL, sql_done, g_object_ref (out));
  while (!g_task_get_completed (out))
    g_main_context_iteration (NULL, TRUE);
  return g_task_propagate_pointer (out, error);
}

static void
test_a_sql_statement_runs (void)
{
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) r = NULL;
  g_autoptr(SluiceGemResult) bad = NULL;

  r = run_sql (SLUICE_ENGINE (engine), "SELECT 1 AS a, 'x' AS b, NULL AS c, regexp_replace('a1b2', '[0-9]', '') AS d", &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sluice_gem_result_get_n_columns (r), ==, 4);
  g_assert_cmpstr (sluice_gem_result_get_column (r, 3)->name, ==, "d");
  g_assert_cmpstr (sluice_gem_result_get_value (r, 0, 0), ==, "1");
  g_assert_cmpstr (sluice_gem_result_get_value (r, 0, 1), ==, "x");
  g_assert_null (sluice_gem_result_get_value (r, 0, 2));
  g_assert_cmpstr (sluice_gem_result_get_value (r, 0, 3), ==, "ab");

  bad = run_sql (SLUICE_ENGINE (engine), "SELECT FROM nowhere", &error);
  g_assert_null (bad);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "syntax error"));
}

static void
compute_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  GListModel **out = user_data;
  *out = sluice_engine_list_compute_finish (SLUICE_ENGINE (source), result, NULL);
}

static void
test_the_local_engine_offers_this_computer (void)
{
  g_autoptr(SluiceLocalEngine) engine = sluice_local_engine_new (NULL);
  g_autoptr(GListModel) computes = NULL;
  g_autoptr(SluiceCompute) here = NULL;
  SluiceEngineCapabilities caps = sluice_engine_get_capabilities (SLUICE_ENGINE (engine));

  g_assert_true (caps & SLUICE_ENGINE_CAN_RUN_PIPELINE);
  g_assert_true (caps & SLUICE_ENGINE_CAN_RUN_SQL);
  g_assert_false (caps & SLUICE_ENGINE_CAN_DEPLOY_JOB);
  sluice_engine_list_compute_async (SLUICE_ENGINE (engine), NULL, compute_done, &computes);
  while (computes == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_cmpuint (g_list_model_get_n_items (computes), ==, 1);
  here = g_list_model_get_item (computes, 0);
  g_assert_cmpstr (sluice_compute_get_id (here), ==, "local");
  g_assert_nonnull (strstr (sluice_compute_get_name (here), "SQLite"));
}

/* An engine that implements nothing: every operation says so. */
#define TEST_TYPE_BARE_ENGINE (test_bare_engine_get_type ())
G_DECLARE_FINAL_TYPE (TestBareEngine, test_bare_engine, TEST, BARE_ENGINE, GObject)
struct _TestBareEngine { GObject parent_instance; };
static void test_bare_engine_iface_init (SluiceEngineInterface *iface) { }
G_DEFINE_FINAL_TYPE_WITH_CODE (TestBareEngine, test_bare_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SLUICE_TYPE_ENGINE, test_bare_engine_iface_init))
static void test_bare_engine_class_init (TestBareEngineClass *klass) { }
static void test_bare_engine_init (TestBareEngine *self) { }

static void
test_an_engine_without_an_operation_says_so (Fixture       *f,
                                             gconstpointer  data)
{
  g_autoptr(TestBareEngine) bare = g_object_new (TEST_TYPE_BARE_ENGINE, NULL);
  g_autoptr(SluiceProject) project = load (f);
  g_autoptr(SluiceRun) r = new_run (project, "cities", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) res = NULL;
  Wait w = { 0 };

  g_assert_cmpint (sluice_engine_get_capabilities (SLUICE_ENGINE (bare)), ==, 0);
  sluice_engine_run_pipeline_async (SLUICE_ENGINE (bare), r, NULL, run_done, &w);
  while (!w.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_false (w.ok);
  g_assert_error (w.error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_NOT_SUPPORTED);
  g_assert_cmpstr (w.error->message, ==, "This fabric cannot run pipelines.");
  g_clear_error (&w.error);

  res = run_sql (SLUICE_ENGINE (bare), "SELECT 1", &error);
  g_assert_null (res);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_NOT_SUPPORTED);
}

static gboolean
give_up (gpointer data)
{
  g_error ("the %s of a run was never released", (const char *) data);
  return G_SOURCE_REMOVE;
}

/* Drops the caller's reference to *@object; the others must go too. */
static void
wait_for_finalize (gpointer    object,
                   const char *what)
{
  GObject **pointer = object;
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  /* The worker thread may drop the last reference: poll, as nothing wakes
   * the main context then. */
  g_object_add_weak_pointer (*pointer, object);
  g_object_unref (*pointer);
  while (g_atomic_pointer_get (pointer))
    {
      if (g_get_monotonic_time () > deadline)
        give_up ((gpointer) what);
      if (!g_main_context_iteration (NULL, FALSE))
        g_usleep (1000);
    }
}

static void
test_run_objects_are_released (Fixture       *f,
                               gconstpointer  data)
{
  SluiceProject *project = load (f);
  SluiceLocalEngine *engine = sluice_local_engine_new (f->cache);
  SluiceRun *r = new_run (project, "cities", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_true (run (engine, r, NULL, &error));
  /* The worker's last references come back to the main context. */
  wait_for_finalize (&r, "run");
  wait_for_finalize (&engine, "engine");
  wait_for_finalize (&project, "project");
}

#define ADD(path, func) g_test_add ("/sluice/engines/local/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  ADD ("run-gives-every-gem-its-rows", test_run_gives_every_gem_its_rows);
  ADD ("run-until-a-gem-runs-only-what-it-needs", test_run_until_a_gem_runs_only_what_it_needs);
  ADD ("a-sample-limit-keeps-the-first-rows", test_a_sample_limit_keeps_the_first_rows);
  ADD ("a-pipeline-with-problems-does-not-run", test_a_pipeline_with_problems_does_not_run);
  ADD ("bad-data-stops-the-run-at-its-source", test_bad_data_stops_the_run_at_its_source);
  ADD ("a-statement-with-its-own-with-recursive-runs", test_a_statement_with_its_own_with_recursive_runs);
  ADD ("a-changed-sample-is-loaded-again", test_a_changed_sample_is_loaded_again);
  ADD ("a-downstream-pipeline-reads-what-a-run-wrote", test_a_downstream_pipeline_reads_what_a_run_wrote);
  ADD ("cancel-interrupts-a-running-query", test_cancel_interrupts_a_running_query);
  ADD ("cancel-during-a-load-leaves-no-half-table", test_cancel_during_a_load_leaves_no_half_table);
  ADD ("an-engine-without-an-operation-says-so", test_an_engine_without_an_operation_says_so);
  ADD ("run-objects-are-released", test_run_objects_are_released);
  g_test_add_func ("/sluice/engines/local/a-sql-statement-runs", test_a_sql_statement_runs);
  g_test_add_func ("/sluice/engines/local/the-local-engine-offers-this-computer",
                   test_the_local_engine_offers_this_computer);
  return g_test_run ();
}
