/* What the tests of the SQL engines (Databricks SQL, Snowflake) share: a
 * small project whose rows are loaded into the stand-in service, and
 * blocking wrappers that run the main loop while an engine works. Static:
 * each test program includes it once. */
#pragma once

#include <glib/gstdio.h>

#include "remote-test-util.h"
#include "sluice-core.h"
#include "sluice-engine.h"
#include "sluice-engine-error.h"
#include "sluice-fabric.h"
#include "sluice-http-client.h"

#define GEM(id, type, config) \
  "{\"id\": \"" id "\", \"type\": \"" type "\", \"label\": \"" id "\", \"position\": {\"x\": 0, \"y\": 0}, \"config\": " config "}"

/* people → adults (id > 1) → per_city (count, sum) → sorted → write:
 *   Berlin 1 NULL   (Cyd has no score)
 *   Paris  2 7.0    (Bob 2 + Eve 5)
 *   Rome   1 4.25 */
static const char cities_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("people", "Source", "{\"dataset\": \"people\"}") ","
  GEM ("adults", "Filter", "{\"condition\": \"id > 1\"}") ","
  GEM ("per_city", "Aggregate", "{\"group_by\": [{\"name\": \"city\", \"expression\": \"city\"}],"
       " \"aggregates\": [{\"name\": \"n\", \"expression\": \"count(*)\"}, {\"name\": \"total\", \"expression\": \"sum(score)\"}]}") ","
  GEM ("sorted", "OrderBy", "{\"keys\": [{\"expression\": \"city\", \"direction\": \"asc\"}]}") ","
  GEM ("write", "Target", "{\"dataset\": \"by_city\", \"mode\": \"overwrite\"}")
  "], \"edges\": ["
  "{\"from\": \"people.out\", \"to\": \"adults.in0\"}, {\"from\": \"adults.out\", \"to\": \"per_city.in0\"},"
  "{\"from\": \"per_city.out\", \"to\": \"sorted.in0\"}, {\"from\": \"sorted.out\", \"to\": \"write.in0\"}]}\n";

/* A Source on a table the service does not have. */
static const char missing_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("ghost", "Source", "{\"dataset\": \"ghosts\"}") ","
  GEM ("some", "Filter", "{\"condition\": \"id > 1\"}")
  "], \"edges\": [{\"from\": \"ghost.out\", \"to\": \"some.in0\"}]}\n";

/* A Filter on a column people does not have: a problem before anything runs. */
static const char broken_pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  GEM ("people", "Source", "{\"dataset\": \"people\"}") ","
  GEM ("adults", "Filter", "{\"condition\": \"nosuch > 1\"}")
  "], \"edges\": [{\"from\": \"people.out\", \"to\": \"adults.in0\"}]}\n";

static const char people_json[] =
  "{\"format_version\": 1, \"format\": \"table\", \"location\": \"t.people\","
  " \"schema\": [{\"name\": \"id\", \"type\": \"bigint\", \"nullable\": false}, {\"name\": \"name\", \"type\": \"string\"},"
  "  {\"name\": \"city\", \"type\": \"string\"}, {\"name\": \"score\", \"type\": \"double\"}]}\n";
static const char ghosts_json[] =
  "{\"format_version\": 1, \"format\": \"table\", \"location\": \"t.ghosts\","
  " \"schema\": [{\"name\": \"id\", \"type\": \"bigint\"}]}\n";
static const char by_city_json[] =
  "{\"format_version\": 1, \"format\": \"table\", \"location\": \"t.by_city\","
  " \"schema\": [{\"name\": \"city\", \"type\": \"string\"}, {\"name\": \"n\", \"type\": \"bigint\", \"nullable\": false},"
  "  {\"name\": \"total\", \"type\": \"double\"}]}\n";

/* The service's copy of the people table (POST /__state). */
static const char people_state[] =
  "{\"tables\": {\"t.people\": {\"columns\": [[\"id\", \"bigint\"], [\"name\", \"string\"], [\"city\", \"string\"],"
  " [\"score\", \"double\"]], \"rows\": [[1, \"Ann\", \"Berlin\", 1.5], [2, \"Bob\", \"Paris\", 2.0],"
  " [3, \"Cyd\", \"Berlin\", null], [4, \"Dee\", \"Rome\", 4.25], [5, \"Eve\", \"Paris\", 5.0]]}}}";



/* A project in a new temporary folder (@dir gets it). (transfer full) */
static SluiceProject *
sql_test_project (char **dir)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *root = NULL;
  g_autoptr(GFile) file = NULL;
  SluiceProject *project;

  *dir = g_dir_make_tmp ("sluice-sql-XXXXXX", &error);
  g_assert_no_error (error);
  remote_test_write_file (*dir, "sluice.json", "{\"format_version\": 1, \"name\": \"T\"}\n");
  remote_test_write_file (*dir, "datasets/people.json", people_json);
  remote_test_write_file (*dir, "datasets/ghosts.json", ghosts_json);
  remote_test_write_file (*dir, "datasets/by_city.json", by_city_json);
  remote_test_write_file (*dir, "pipelines/cities.json", cities_pipeline);
  remote_test_write_file (*dir, "pipelines/missing.json", missing_pipeline);
  remote_test_write_file (*dir, "pipelines/broken.json", broken_pipeline);
  file = g_file_new_for_path (*dir);
  project = sluice_project_load (file, NULL, &error);
  g_assert_no_error (error);
  return project;
}

static SluicePipeline *
sql_test_pipeline (SluiceProject *project,
                   const char    *name)
{
  GListModel *pipelines = sluice_project_get_pipelines (project);

  for (guint i = 0; i < g_list_model_get_n_items (pipelines); i++)
    {
      g_autoptr(SluicePipeline) p = g_list_model_get_item (pipelines, i);
      if (g_str_equal (sluice_pipeline_get_name (p), name))
        return p;   /* the project keeps its reference */
    }
  g_assert_not_reached ();
}

typedef struct
{
  gboolean         done;
  gboolean         ok;
  GError          *error;
  SluiceGemResult *result;
} SqlWait;

static void
sql_test_run_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SqlWait *w = user_data;

  w->ok = sluice_engine_run_pipeline_finish (SLUICE_ENGINE (source), result, &w->error);
  w->done = TRUE;
}



static void
sql_test_sql_done (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  SqlWait *w = user_data;

  w->result = sluice_engine_run_sql_finish (SLUICE_ENGINE (source), result, &w->error);
  w->ok = w->result != NULL;
  w->done = TRUE;
}

/* Runs @pipeline (up to @until, nullable) and returns the settled run; the
 * engine's error in @error. (transfer full) */
static SluiceRun *
sql_test_run (SluiceEngine   *engine,
              SluiceProject  *project,
              const char     *pipeline,
              const char     *until,
              guint           sample_limit,
              GCancellable   *cancellable,
              GError        **error)
{
  SluiceRun *run = sluice_run_new (project, sql_test_pipeline (project, pipeline), until, sample_limit);
  SqlWait w = { 0 };

  sluice_engine_run_pipeline_async (engine, run, cancellable, sql_test_run_done, &w);
  remote_test_wait (&w.done, 60000);
  g_assert_true (w.ok == (w.error == NULL));
  if (w.error)
    g_propagate_error (error, w.error);
  return run;
}

static SluiceGemResult *
sql_test_run_sql (SluiceEngine  *engine,
                  const char    *sql,
                  guint          limit,
                  GError       **error)
{
  SqlWait w = { 0 };

  sluice_engine_run_sql_async (engine, sql, limit, NULL, sql_test_sql_done, &w);
  remote_test_wait (&w.done, 60000);
  if (w.error)
    g_propagate_error (error, w.error);
  return w.result;
}



/* The cell of a result as text ("NULL" for NULL), for compact asserts. */
static const char *
sql_test_cell (SluiceGemResult *r,
               guint            row,
               guint            col)
{
  const char *v;

  g_assert_cmpuint (row, <, sluice_gem_result_get_n_sample_rows (r));
  g_assert_cmpuint (col, <, sluice_gem_result_get_n_columns (r));
  v = sluice_gem_result_get_value (r, row, col);
  return v ? v : "NULL";
}

/* The logged requests' bodies' or queries' member @key, of requests with
 * @method to a path matching @path_regex: (transfer full) */
static JsonObject *
sql_test_request (RemoteTestServer *server,
                  const char       *method,
                  const char       *path_regex,
                  guint             nth)
{
  g_autoptr(JsonArray) requests = remote_test_server_requests (server);
  g_autoptr(GRegex) regex = g_regex_new (path_regex, 0, 0, NULL);
  guint n = 0;

  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      if (g_str_equal (json_object_get_string_member (r, "method"), method) &&
          g_regex_match (regex, json_object_get_string_member (r, "path"), 0, NULL) && n++ == nth)
        return json_object_ref (r);
    }
  return NULL;
}

/* The service's state member @key, as JSON: (transfer full) */
static JsonNode *
sql_test_state (RemoteTestServer *server)
{
  return remote_test_server_control (server, "GET", "/__state", NULL);
}
