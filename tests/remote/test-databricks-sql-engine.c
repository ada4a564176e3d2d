/* The Databricks SQL warehouse engine against tests/servers/databricks-sql-server.py,
 * which runs the statements on SQLite: every statement state, chunks,
 * cancel, and the fault matrix on the engine's calls. */
#include "config.h"

#include "sluice-compute.h"
#include "sluice-databricks-sql-engine.h"
#include "sql-engine-test.h"

typedef struct
{
  RemoteTestServer *server;
  SluiceProject    *project;
  char             *dir;
  SluiceEngine     *engine;
  GPtrArray        *messages;   /* the run's "message" as it changed */
} Fixture;

static SluiceEngine *
make_engine (const char *base_url,
             const char *warehouse,
             const char *token)
{
  /* Through the factory, as the window gets it. */
  SluiceEngine *engine = remote_test_engine_new (SLUICE_FABRIC_DATABRICKS_SQL, "Warehouse test", "token", token,
                                                 "url", base_url, "warehouse_id", warehouse, NULL);
  SluiceHttpClient *http;

  g_assert_true (SLUICE_IS_DATABRICKS_SQL_ENGINE (engine));
  http = sluice_databricks_sql_engine_get_http_client (SLUICE_DATABRICKS_SQL_ENGINE (engine));
  if (http)
    {
      sluice_http_client_set_timeout (http, 2);
      sluice_http_client_set_retry_budget (http, 4);
    }
  return engine;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(JsonNode) answer = NULL;

  f->server = remote_test_server_start ("databricks-sql-server.py", NULL);
  answer = remote_test_server_control (f->server, "POST", "/__state", people_state);
  f->project = sql_test_project (&f->dir);
  f->engine = make_engine (f->server->base_url, "wh1", "dapi-test");
  f->messages = g_ptr_array_new_with_free_func (g_free);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->engine);
  g_object_unref (f->project);
  remote_test_remove_tree (f->dir);
  g_free (f->dir);
  g_ptr_array_unref (f->messages);
  remote_test_server_stop (f->server);
}

static void
set_state (Fixture    *f,
           const char *json)
{
  g_autoptr(JsonNode) answer = remote_test_server_control (f->server, "POST", "/__state", json);
}

static SluiceRun *
run (Fixture     *f,
     const char  *pipeline,
     GError     **error)
{
  return sql_test_run (f->engine, f->project, pipeline, NULL, SLUICE_RUN_DEFAULT_SAMPLE_LIMIT, NULL, error);
}

/* The statements' bodies, in order. */
static JsonObject *
statement_body (Fixture *f,
                guint    nth)
{
  g_autoptr(JsonObject) r = sql_test_request (f->server, "POST", "^/api/2\\.0/sql/statements$", nth);

  g_assert_nonnull (r);
  return json_object_ref (json_object_get_object_member (r, "body"));
}

/* Berlin 1 NULL, Paris 2 7.0, Rome 1 4.25: what the cities run gives. */
static void
assert_cities (SluiceRun *r)
{
  SluiceGemResult *people = sluice_run_find_result (r, "people");
  SluiceGemResult *adults = sluice_run_find_result (r, "adults");
  SluiceGemResult *sorted = sluice_run_find_result (r, "sorted");
  SluiceGemResult *write = sluice_run_find_result (r, "write");

  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_SUCCEEDED);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (r)), ==, 5);
  for (const char * const *g = sluice_run_get_gems (r); *g; g++)
    g_assert_cmpint (sluice_run_get_gem_state (r, *g), ==, SLUICE_GEM_DONE);

  g_assert_cmpint (sluice_gem_result_get_n_rows (people), ==, 5);
  g_assert_cmpuint (sluice_gem_result_get_n_columns (people), ==, 4);
  g_assert_cmpstr (sluice_gem_result_get_column (people, 0)->name, ==, "id");
  g_assert_cmpint (sluice_gem_result_get_column (people, 0)->type.kind, ==, SLUICE_SQL_BIGINT);
  g_assert_cmpint (sluice_gem_result_get_column (people, 1)->type.kind, ==, SLUICE_SQL_STRING);
  g_assert_cmpint (sluice_gem_result_get_column (people, 3)->type.kind, ==, SLUICE_SQL_DOUBLE);
  g_assert_cmpstr (sql_test_cell (people, 0, 1), ==, "Ann");
  g_assert_cmpstr (sql_test_cell (people, 2, 3), ==, "NULL");
  g_assert_cmpstr (sql_test_cell (people, 3, 3), ==, "4.25");

  g_assert_cmpint (sluice_gem_result_get_n_rows (adults), ==, 4);
  g_assert_cmpstr (sql_test_cell (adults, 0, 1), ==, "Bob");

  g_assert_cmpint (sluice_gem_result_get_n_rows (sorted), ==, 3);
  g_assert_cmpuint (sluice_gem_result_get_n_columns (sorted), ==, 3);
  g_assert_cmpstr (sluice_gem_result_get_column (sorted, 1)->name, ==, "n");
  g_assert_cmpint (sluice_gem_result_get_column (sorted, 1)->type.kind, ==, SLUICE_SQL_BIGINT);
  g_assert_cmpint (sluice_gem_result_get_column (sorted, 2)->type.kind, ==, SLUICE_SQL_DOUBLE);
  g_assert_cmpstr (sql_test_cell (sorted, 0, 0), ==, "Berlin");
  g_assert_cmpstr (sql_test_cell (sorted, 0, 1), ==, "1");
  g_assert_cmpstr (sql_test_cell (sorted, 0, 2), ==, "NULL");
  g_assert_cmpstr (sql_test_cell (sorted, 1, 0), ==, "Paris");
  g_assert_cmpstr (sql_test_cell (sorted, 1, 1), ==, "2");
  g_assert_cmpstr (sql_test_cell (sorted, 1, 2), ==, "7.0");
  g_assert_cmpstr (sql_test_cell (sorted, 2, 0), ==, "Rome");
  g_assert_cmpstr (sql_test_cell (sorted, 2, 2), ==, "4.25");

  /* An interactive run shows what a Target would write; it writes nothing. */
  g_assert_cmpint (sluice_gem_result_get_n_rows (write), ==, 3);
  g_assert_cmpstr (sql_test_cell (write, 1, 0), ==, "Paris");
  g_assert_null (sluice_gem_result_get_output (write));
}

static void
test_inline (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRun) r = run (f, "cities", &error);
  g_autoptr(JsonObject) first = NULL;

  g_assert_no_error (error);
  assert_cities (r);
  /* One statement per gem, no polls: each answered inline. */
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2\\.0/sql/statements$"), ==, 5);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/api/2\\.0/sql/statements/"), ==, 0);
  first = statement_body (f, 0);
  g_assert_cmpstr (json_object_get_string_member (first, "warehouse_id"), ==, "wh1");
  g_assert_cmpstr (json_object_get_string_member (first, "wait_timeout"), ==, "10s");
  g_assert_cmpstr (json_object_get_string_member (first, "on_wait_timeout"), ==, "CONTINUE");
  g_assert_cmpstr (json_object_get_string_member (first, "disposition"), ==, "INLINE");
  g_assert_cmpstr (json_object_get_string_member (first, "format"), ==, "JSON_ARRAY");
  g_assert_cmpstr (json_object_get_string_member (first, "statement"), ==,
                   "WITH `people` AS (\n  -- people (Source)\n  SELECT * FROM `t`.`people`\n)\n"
                   "SELECT *, COUNT(*) OVER () AS `__sluice_rows` FROM `people`\nLIMIT 1000");
}

static void
message_cb (SluiceRun  *r,
            GParamSpec *pspec,
            Fixture    *f)
{
  if (sluice_run_get_message (r))
    g_ptr_array_add (f->messages, g_strdup (sluice_run_get_message (r)));
}

static gboolean
has_message (Fixture    *f,
             const char *text)
{
  for (guint i = 0; i < f->messages->len; i++)
    if (g_str_equal (g_ptr_array_index (f->messages, i), text))
      return TRUE;
  return FALSE;
}

/* PENDING → RUNNING → SUCCEEDED, each state said on the status line. */
static void
test_polling (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRun) r = sluice_run_new (f->project, sql_test_pipeline (f->project, "cities"), "adults", 1000);
  SqlWait w = { 0 };

  set_state (f, "{\"polls\": 3, \"pending_polls\": 1}");
  g_signal_connect (r, "notify::message", G_CALLBACK (message_cb), f);
  sluice_engine_run_pipeline_async (f->engine, r, NULL, sql_test_run_done, &w);
  remote_test_wait (&w.done, 30000);
  g_assert_no_error (w.error);
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_SUCCEEDED);
  g_assert_cmpint (sluice_run_get_gem_state (r, "per_city"), ==, SLUICE_GEM_NOT_IN_RUN);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (r, "adults")), ==, 4);
  /* Two statements, three polls each. */
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2\\.0/sql/statements$"), ==, 2);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/api/2\\.0/sql/statements/[^/]+$"), ==, 6);
  g_assert_true (has_message (f, "Waiting for warehouse “wh1” (PENDING)…"));
  g_assert_true (has_message (f, "Running on warehouse “wh1”…"));
  g_assert_null (sluice_run_get_message (r));
}

/* wait_timeout 0s is not what the engine sends, but a PENDING answer to
 * the submit itself is handled the same way: see test_polling. Here the
 * result comes in chunks of two rows, fetched by next_chunk_internal_link. */
static void
test_chunks (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) res = NULL;

  set_state (f, "{\"chunk_rows\": 2}");
  res = sql_test_run_sql (f->engine, "SELECT id, name FROM t.people ORDER BY id", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (res), ==, 5);
  g_assert_cmpint (sluice_gem_result_get_n_rows (res), ==, 5);
  for (guint i = 0; i < 5; i++)
    {
      g_autofree char *id = g_strdup_printf ("%u", i + 1);
      g_assert_cmpstr (sql_test_cell (res, i, 0), ==, id);
    }
  g_assert_cmpstr (sql_test_cell (res, 4, 1), ==, "Eve");
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "/result/chunks/1$"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "/result/chunks/2$"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "/result/chunks/3$"), ==, 0);
}

/* A run's sample limit keeps the first rows; the count is still all. */
static void
test_sample_limit (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRun) r = sql_test_run (f->engine, f->project, "cities", "people", 2, NULL, &error);
  SluiceGemResult *people;
  g_autoptr(JsonObject) body = NULL;

  g_assert_no_error (error);
  people = sluice_run_find_result (r, "people");
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (people), ==, 2);
  g_assert_cmpint (sluice_gem_result_get_n_rows (people), ==, 5);
  body = statement_body (f, 0);
  g_assert_true (g_str_has_suffix (json_object_get_string_member (body, "statement"), "\nLIMIT 2"));

  /* No sample at all: one row still comes, for the count, and is not kept. */
  {
    g_autoptr(SluiceRun) counted = sql_test_run (f->engine, f->project, "cities", "adults", 0, NULL, &error);
    g_assert_no_error (error);
    people = sluice_run_find_result (counted, "adults");
    g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (people), ==, 0);
    g_assert_cmpint (sluice_gem_result_get_n_rows (people), ==, 4);
  }
}

/* run_sql: types from the manifest, timestamps in Sluice's spelling. */
static void
test_run_sql_types (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) res = NULL;
  g_autoptr(JsonObject) body = NULL;

  set_state (f, "{\"tables\": {\"t.events\": {\"columns\": [[\"day\", \"date\"], [\"at\", \"timestamp\"], [\"ok\", \"boolean\"],"
                " [\"price\", \"decimal(10,2)\"]], \"rows\": [[\"2024-01-05\", \"2024-01-05 10:30:00\", true, \"12.50\"],"
                " [null, null, false, null]]}}}");
  res = sql_test_run_sql (f->engine, "SELECT * FROM t.events", 10, &error);
  g_assert_no_error (error);
  g_assert_null (sluice_gem_result_get_gem_id (res));
  g_assert_cmpint (sluice_gem_result_get_column (res, 0)->type.kind, ==, SLUICE_SQL_DATE);
  g_assert_cmpint (sluice_gem_result_get_column (res, 1)->type.kind, ==, SLUICE_SQL_TIMESTAMP);
  g_assert_cmpint (sluice_gem_result_get_column (res, 2)->type.kind, ==, SLUICE_SQL_BOOLEAN);
  g_assert_cmpint (sluice_gem_result_get_column (res, 3)->type.kind, ==, SLUICE_SQL_DECIMAL);
  g_assert_cmpint (sluice_gem_result_get_column (res, 3)->type.precision, ==, 10);
  g_assert_cmpint (sluice_gem_result_get_column (res, 3)->type.scale, ==, 2);
  g_assert_cmpstr (sql_test_cell (res, 0, 0), ==, "2024-01-05");
  g_assert_cmpstr (sql_test_cell (res, 0, 1), ==, "2024-01-05 10:30:00");
  g_assert_cmpstr (sql_test_cell (res, 0, 2), ==, "true");
  g_assert_cmpstr (sql_test_cell (res, 1, 2), ==, "false");
  g_assert_cmpstr (sql_test_cell (res, 0, 3), ==, "12.50");
  g_assert_cmpstr (sql_test_cell (res, 1, 0), ==, "NULL");
  body = statement_body (f, 0);
  g_assert_cmpint (json_object_get_int_member (body, "row_limit"), ==, 10);
}

/* A FAILED statement (HTTP 200) is the gem's error, with the service's
 * message; the run stops there. */
static void
test_failed (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRun) r = NULL;
  SluiceGemResult *ghost;

  set_state (f, "{\"polls\": 1}");
  r = run (f, "missing", &error);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "gem “ghost”: [TABLE_OR_VIEW_NOT_FOUND]"));
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_FAILED);
  g_assert_cmpint (sluice_run_get_gem_state (r, "ghost"), ==, SLUICE_GEM_FAILED);
  g_assert_cmpint (sluice_run_get_gem_state (r, "some"), ==, SLUICE_GEM_NOT_IN_RUN);
  ghost = sluice_run_find_result (r, "ghost");
  g_assert_nonnull (sluice_gem_result_get_error (ghost));
  g_assert_nonnull (strstr (sluice_gem_result_get_error (ghost)->message, "t.ghosts"));
  g_assert_null (sluice_run_find_result (r, "some"));
}

/* A pipeline with problems sends nothing: the problems are the run's. */
static void
test_pipeline_problems (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRun) r = run (f, "broken", &error);
  g_autoptr(SluiceDiagnostic) d = NULL;

  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE);
  g_assert_cmpstr (error->message, ==, "pipelines/broken.json: the pipeline has 1 problem, so nothing ran");
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_FAILED);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_problems (r)), ==, 1);
  d = g_list_model_get_item (sluice_run_get_problems (r), 0);
  g_assert_cmpstr (sluice_diagnostic_get_gem_id (d), ==, "adults");
  g_assert_cmpuint (remote_test_server_count (f->server, NULL, "."), ==, 0);

  /* A gem that is not there. */
  g_clear_error (&error);
  {
    g_autoptr(SluiceRun) r2 = sql_test_run (f->engine, f->project, "cities", "nosuch", 10, NULL, &error);
    g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
    g_assert_cmpstr (error->message, ==, "pipelines/cities.json: there is no gem “nosuch” in the pipeline cities");
  }
}

static void
test_final_states (Fixture       *f,
                   gconstpointer  data)
{
  const char *cases[][2] = {
    { "{\"polls\": 1, \"final_state\": \"CANCELED\"}", "Warehouse test cancelled the statement." },
    { "{\"polls\": 1, \"final_state\": \"CLOSED\"}", "Warehouse test closed the statement: its result is no longer available." },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceGemResult) res = NULL;

      set_state (f, cases[i][0]);
      res = sql_test_run_sql (f->engine, "SELECT 1 AS x", 10, &error);
      g_assert_null (res);
      g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
      g_assert_cmpstr (error->message, ==, cases[i][1]);
    }
}

/* After the statement's result expired, GET answers 404. */
static void
test_expired (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) res = NULL;

  set_state (f, "{\"polls\": 2, \"expired\": true}");
  res = sql_test_run_sql (f->engine, "SELECT 1 AS x", 10, &error);
  g_assert_null (res);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "Warehouse test no longer knows the statement "));
  g_assert_true (g_str_has_suffix (error->message, "(its result expired)."));
}


/* Cancel: the warehouse is told, the run ends CANCELLED at once. */
static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SluiceRun) r = NULL;
  g_autoptr(JsonNode) state = NULL;
  JsonObject *statements;
  g_autoptr(GList) ids = NULL;
  gint64 t0;

  set_state (f, "{\"polls\": 100000}");
  remote_test_cancel_on_request (f->server, "GET", "^/api/2\\.0/sql/statements/[^/]+$", cancellable);
  t0 = g_get_monotonic_time ();
  r = sql_test_run (f->engine, f->project, "cities", NULL, 1000, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 10 * G_USEC_PER_SEC);
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_CANCELLED);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (r)), ==, 0);

  /* The cancel call is on its way: wait for the service to have it. */
  g_assert_cmpuint (remote_test_await_count (f->server, "POST", "/cancel$"), ==, 1);
  state = sql_test_state (f->server);
  statements = json_object_get_object_member (json_node_get_object (state), "statements");
  ids = json_object_get_members (statements);
  g_assert_cmpuint (g_list_length (ids), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (statements, ids->data), "state"), ==,
                   "CANCELED");
}

static void
test_warehouses (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(SluiceCompute) second = NULL;

  set_state (f, "{\"warehouses_page\": 1, \"warehouses\": [{\"id\": \"wh1\", \"name\": \"bi\", \"state\": \"RUNNING\"},"
                " {\"id\": \"wh2\", \"name\": \"etl\", \"state\": \"STARTING\"}]}");
  list = remote_test_list_compute (f->engine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  second = g_list_model_get_item (list, 1);
  g_assert_cmpstr (sluice_compute_get_id (second), ==, "wh2");
  g_assert_cmpstr (sluice_compute_get_name (second), ==, "etl");
  g_assert_cmpstr (sluice_compute_get_state (second), ==, "STARTING");
  /* Two pages. */
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/api/2\\.0/sql/warehouses$"), ==, 2);

  g_assert_true (remote_test_connection (f->engine, &error));
  g_assert_no_error (error);
}

static void
test_connection_problems (Fixture       *f,
                          gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceEngine) other = make_engine (f->server->base_url, "nope", "dapi-test");
  g_autoptr(SluiceEngine) wrong = make_engine (f->server->base_url, "wh1", "dapi-wrong");
  g_autoptr(SluiceEngine) tokenless = make_engine (f->server->base_url, "wh1", NULL);

  g_assert_false (remote_test_connection (other, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Warehouse test has no SQL warehouse with the ID “nope”: check the fabric's settings.");
  g_clear_error (&error);

  g_assert_false (remote_test_connection (wrong, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "dapi-wrong"));
  g_clear_error (&error);

  g_assert_false (remote_test_connection (tokenless, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Warehouse test: there is no personal access token in the keyring for this fabric.");
  g_assert_cmpuint (remote_test_server_count (f->server, NULL, "."), ==, 2);
}

/* ---- The fault matrix, on a poll (GET) and on the submit (POST) ---- */

typedef struct
{
  const char *fault;      /* JSON, without the path */
  GQuark      domain;     /* 0: the statement succeeds */
  int         code;
} Fault;

static void
run_with_fault (Fixture    *f,
                const char *method,
                const char *path,
                const Fault *fault)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) res = NULL;
  g_autofree char *json = g_strdup_printf ("{\"method\": \"%s\", \"path\": \"%s\", %s}", method, path, fault->fault);
  g_autoptr(JsonNode) clear = remote_test_server_control (f->server, "DELETE", "/__requests", NULL);

  remote_test_server_add_faults (f->server, json);
  res = sql_test_run_sql (f->engine, "SELECT name FROM t.people WHERE id = 4", 10, &error);
  if (fault->domain == 0)
    {
      g_assert_no_error (error);
      g_assert_cmpstr (sql_test_cell (res, 0, 0), ==, "Dee");
    }
  else
    {
      g_assert_null (res);
      g_assert_error (error, fault->domain, fault->code);
      /* One sentence naming the fabric, never the token. */
      g_assert_true (g_str_has_prefix (error->message, "Warehouse test"));
      g_assert_null (strstr (error->message, "dapi-test"));
    }
  g_clear_pointer (&clear, json_node_unref);
  clear = remote_test_server_control (f->server, "DELETE", "/__faults", NULL);
}

static void
test_faults_on_poll (Fixture       *f,
                     gconstpointer  data)
{
  const Fault faults[] = {
    { "\"action\": \"status\", \"status\": 429, \"headers\": {\"Retry-After\": \"1\"},"
      " \"body\": {\"error_code\": \"TOO_MANY_REQUESTS\", \"message\": \"errorMessage\"}", 0, 0 },
    { "\"action\": \"status\", \"status\": 503, \"body\": {\"error_code\": \"TEMPORARILY_UNAVAILABLE\","
      " \"message\": \"Service temporarily unavailable\"}", 0, 0 },
    { "\"action\": \"reset_mid_body\"", 0, 0 },
    { "\"action\": \"reset\"", 0, 0 },
    { "\"action\": \"status\", \"status\": 500, \"body\": {\"error_code\": \"INTERNAL_ERROR\", \"message\": \"boom\"}",
      SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER },
    { "\"action\": \"status\", \"status\": 401, \"body\": {\"error_code\": 401, \"message\": \"Credential was not sent\"}",
      SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED },
    { "\"action\": \"truncate\"", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE },
    { "\"action\": \"html\", \"status\": 502", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER },
    { "\"action\": \"delay\", \"seconds\": 3, \"times\": 0", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_TIMEOUT },
  };

  set_state (f, "{\"polls\": 1}");
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_test_message ("poll fault %u: %s", i, faults[i].fault);
      run_with_fault (f, "GET", "^/api/2\\\\.0/sql/statements/[^/]+$", &faults[i]);
    }
}

/* The submit creates a statement and has no idempotency key: the HTTP
 * layer never blindly repeats it, so a refusal is the run's error. */
static void
test_faults_on_submit (Fixture       *f,
                       gconstpointer  data)
{
  const Fault faults[] = {
    { "\"action\": \"status\", \"status\": 400, \"body\": {\"error_code\": \"INVALID_PARAMETER_VALUE\","
      " \"message\": \"Missing required field: warehouse_id\"}", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_REQUEST },
    { "\"action\": \"status\", \"status\": 500, \"body\": {\"error_code\": \"INTERNAL_ERROR\", \"message\": \"boom\"}",
      SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER },
    { "\"action\": \"truncate\"", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE },
    { "\"action\": \"html\", \"status\": 502", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER },
  };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_test_message ("submit fault %u: %s", i, faults[i].fault);
      run_with_fault (f, "POST", "^/api/2\\\\.0/sql/statements$", &faults[i]);
      g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2\\.0/sql/statements$"), ==, 1);
    }
}

/* Nothing listening: the retry budget runs out, then one sentence. */
static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  RemoteTestServer *gone = remote_test_server_start ("databricks-sql-server.py", NULL);
  g_autofree char *url = g_strdup (gone->base_url);
  g_autoptr(SluiceEngine) engine = NULL;
  g_autoptr(GError) error = NULL;
  gint64 t0;

  remote_test_server_stop (gone);
  engine = make_engine (url, "wh1", "dapi-test");
  t0 = g_get_monotonic_time ();
  g_assert_false (remote_test_connection (engine, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  g_assert_true (g_str_has_prefix (error->message, "Warehouse test"));
  g_assert_cmpint (g_get_monotonic_time () - t0, <, 30 * G_USEC_PER_SEC);
}

static void
test_bad_settings (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(SluiceEngine) engine = make_engine ("http://example.com", "wh1", "dapi-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRun) r = NULL;

  /* Plain http only on loopback: every operation says so. */
  g_assert_null (sluice_databricks_sql_engine_get_http_client (SLUICE_DATABRICKS_SQL_ENGINE (engine)));
  g_assert_false (remote_test_connection (engine, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_clear_error (&error);
  r = sql_test_run (engine, f->project, "cities", NULL, 10, NULL, &error);
  g_assert_nonnull (error);
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_FAILED);
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/sluice/remote/databricks-sql/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("runs-each-gem-inline", test_inline);
  ADD ("polls-pending-and-running", test_polling);
  ADD ("follows-result-chunks", test_chunks);
  ADD ("keeps-the-sample-limit-and-counts-all", test_sample_limit);
  ADD ("run-sql-reads-manifest-types", test_run_sql_types);
  ADD ("failed-statement-is-the-gems-error", test_failed);
  ADD ("pipeline-problems-send-nothing", test_pipeline_problems);
  ADD ("canceled-and-closed-are-errors", test_final_states);
  ADD ("expired-statement-is-an-error", test_expired);
  ADD ("cancel-tells-the-warehouse", test_cancel);
  ADD ("lists-warehouses-page-by-page", test_warehouses);
  ADD ("connection-problems-say-what-is-wrong", test_connection_problems);
  ADD ("faults-on-a-poll", test_faults_on_poll);
  ADD ("faults-on-the-submit", test_faults_on_submit);
  ADD ("refused-connection", test_refused);
  ADD ("bad-settings-fail-every-operation", test_bad_settings);
#undef ADD

  return g_test_run ();
}
