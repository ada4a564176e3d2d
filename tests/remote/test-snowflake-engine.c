/* The Snowflake engine against tests/servers/snowflake-server.py, which runs
 * the statements on SQLite: headers, 200/202/408/422, partitions, value
 * encodings, cancel, resubmission with the same requestId, and the fault
 * matrix on the engine's calls. */
#include "config.h"

#include "sluice-compute.h"
#include "sluice-snowflake-engine.h"
#include "sql-engine-test.h"

typedef struct
{
  RemoteTestServer *server;
  SluiceProject    *project;
  char             *dir;
  SluiceEngine     *engine;
} Fixture;

static SluiceEngine *
make_engine (const char *base_url,
             const char *token_type,
             const char *token)
{
  SluiceEngine *engine = remote_test_engine_new (SLUICE_FABRIC_SNOWFLAKE, "Snowflake test", "token", token,
                                                 "url", base_url, "warehouse", "COMPUTE_WH", "database", "SALES",
                                                 "schema", "PUBLIC", "role", "ANALYST", "user", "ann",
                                                 "token_type", token_type, NULL);
  SluiceHttpClient *http;

  g_assert_true (SLUICE_IS_SNOWFLAKE_ENGINE (engine));
  sluice_snowflake_engine_set_resubmit_delay (SLUICE_SNOWFLAKE_ENGINE (engine), 50);
  http = sluice_snowflake_engine_get_http_client (SLUICE_SNOWFLAKE_ENGINE (engine));
  if (http)
    {
      sluice_http_client_set_timeout (http, 2);
      sluice_http_client_set_retry_budget (http, 4);
    }
  return engine;
}

static void
set_state (Fixture    *f,
           const char *json)
{
  g_autoptr(JsonNode) answer = remote_test_server_control (f->server, "POST", "/__state", json);
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  f->server = remote_test_server_start ("snowflake-server.py", NULL);
  set_state (f, people_state);
  f->project = sql_test_project (&f->dir);
  f->engine = make_engine (f->server->base_url, "pat", "sf-test");
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_assert_finalize_object (f->engine);
  g_object_unref (f->project);
  remote_test_remove_tree (f->dir);
  g_free (f->dir);
  remote_test_server_stop (f->server);
}

/* The service's record of its only (or @nth) statement: (transfer full) */
static JsonObject *
statement_record (Fixture *f,
                  guint    n_expected)
{
  g_autoptr(JsonNode) state = sql_test_state (f->server);
  JsonObject *statements = json_object_get_object_member (json_node_get_object (state), "statements");
  g_autoptr(GList) handles = json_object_get_members (statements);

  g_assert_cmpuint (g_list_length (handles), ==, n_expected);
  return json_object_ref (json_object_get_object_member (statements, g_list_last (handles)->data));
}

static const char *
query_member (JsonObject *request,
              const char *key)
{
  JsonObject *q = json_object_get_object_member (request, "query");
  return json_object_has_member (q, key) ? json_object_get_string_member (q, key) : NULL;
}

static const char *
header (JsonObject *request,
        const char *name)
{
  JsonObject *h = json_object_get_object_member (request, "headers");
  g_autoptr(GList) names = json_object_get_members (h);

  for (GList *l = names; l; l = l->next)
    if (g_ascii_strcasecmp (l->data, name) == 0)
      return json_object_get_string_member (h, l->data);
  return NULL;
}

static void
test_pipeline (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRun) r = NULL;
  g_autoptr(JsonObject) first = NULL;
  JsonObject *body;
  SluiceGemResult *people, *sorted, *write;

  /* Each statement answers 202 first, then 200 on the second poll. */
  set_state (f, "{\"polls\": 2}");
  r = sql_test_run (f->engine, f->project, "cities", NULL, 1000, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_SUCCEEDED);
  for (const char * const *g = sluice_run_get_gems (r); *g; g++)
    g_assert_cmpint (sluice_run_get_gem_state (r, *g), ==, SLUICE_GEM_DONE);

  people = sluice_run_find_result (r, "people");
  g_assert_cmpint (sluice_gem_result_get_n_rows (people), ==, 5);
  g_assert_cmpstr (sluice_gem_result_get_column (people, 0)->name, ==, "ID");
  g_assert_cmpint (sluice_gem_result_get_column (people, 0)->type.kind, ==, SLUICE_SQL_BIGINT);
  g_assert_cmpint (sluice_gem_result_get_column (people, 3)->type.kind, ==, SLUICE_SQL_DOUBLE);
  g_assert_cmpstr (sql_test_cell (people, 4, 1), ==, "Eve");
  g_assert_cmpstr (sql_test_cell (people, 4, 3), ==, "5.0");
  g_assert_cmpstr (sql_test_cell (people, 2, 3), ==, "NULL");
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (r, "adults")), ==, 4);
  sorted = sluice_run_find_result (r, "sorted");
  g_assert_cmpint (sluice_gem_result_get_n_rows (sorted), ==, 3);
  g_assert_cmpstr (sql_test_cell (sorted, 0, 0), ==, "Berlin");
  g_assert_cmpstr (sql_test_cell (sorted, 0, 2), ==, "NULL");
  g_assert_cmpstr (sql_test_cell (sorted, 1, 0), ==, "Paris");
  g_assert_cmpstr (sql_test_cell (sorted, 1, 1), ==, "2");
  g_assert_cmpstr (sql_test_cell (sorted, 1, 2), ==, "7.0");
  g_assert_cmpstr (sql_test_cell (sorted, 2, 2), ==, "4.25");
  write = sluice_run_find_result (r, "write");
  g_assert_cmpint (sluice_gem_result_get_n_rows (write), ==, 3);
  g_assert_null (sluice_gem_result_get_output (write));

  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/v2/statements$"), ==, 5);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/api/v2/statements/"), ==, 10);

  /* ENGINE-APIS.md §3.1 and §3.2, field by field. */
  first = sql_test_request (f->server, "POST", "^/api/v2/statements$", 0);
  g_assert_cmpstr (header (first, "Authorization"), ==, "Bearer sf-test");
  g_assert_cmpstr (header (first, "X-Snowflake-Authorization-Token-Type"), ==, "PROGRAMMATIC_ACCESS_TOKEN");
  g_assert_cmpstr (header (first, "Accept"), ==, "application/json");
  g_assert_true (g_str_has_prefix (header (first, "Content-Type"), "application/json"));
  g_assert_true (g_str_has_prefix (header (first, "User-Agent"), "Sluice/"));
  g_assert_true (g_uuid_string_is_valid (query_member (first, "requestId")));
  g_assert_null (query_member (first, "retry"));
  body = json_object_get_object_member (first, "body");
  g_assert_cmpstr (json_object_get_string_member (body, "warehouse"), ==, "COMPUTE_WH");
  g_assert_cmpstr (json_object_get_string_member (body, "database"), ==, "SALES");
  g_assert_cmpstr (json_object_get_string_member (body, "schema"), ==, "PUBLIC");
  g_assert_cmpstr (json_object_get_string_member (body, "role"), ==, "ANALYST");
  g_assert_cmpstr (json_object_get_string_member (body, "statement"), ==,
                   "WITH \"PEOPLE\" AS (\n  -- people (Source)\n  SELECT * FROM \"T\".\"PEOPLE\"\n)\n"
                   "SELECT *, COUNT(*) OVER () AS \"__SLUICE_ROWS\" FROM \"PEOPLE\"\nLIMIT 1000");

  /* Every statement has its own requestId. */
  for (guint i = 1; i < 5; i++)
    {
      g_autoptr(JsonObject) other = sql_test_request (f->server, "POST", "^/api/v2/statements$", i);
      g_assert_cmpstr (query_member (other, "requestId"), !=, query_member (first, "requestId"));
    }
}

static void
test_oauth (Fixture       *f,
            gconstpointer  data)
{
  g_autoptr(SluiceEngine) engine = make_engine (f->server->base_url, "oauth", "sf-test");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) request = NULL;

  set_state (f, "{\"token_type\": \"OAUTH\"}");
  g_assert_true (remote_test_connection (engine, &error));
  g_assert_no_error (error);
  request = sql_test_request (f->server, "POST", "^/api/v2/statements$", 0);
  g_assert_cmpstr (header (request, "X-Snowflake-Authorization-Token-Type"), ==, "OAUTH");
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (request, "body"), "statement"), ==,
                   "SELECT CURRENT_VERSION()");

  /* The PAT engine's header no longer fits: 401, one sentence. */
  g_assert_false (remote_test_connection (f->engine, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_true (g_str_has_prefix (error->message, "Snowflake test"));
  g_assert_null (strstr (error->message, "sf-test"));
}

/* Partitions ≥ 1 come gzip-compressed with only the rows. */
static void
test_partitions (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) res = NULL;

  set_state (f, "{\"partition_rows\": 2}");
  res = sql_test_run_sql (f->engine, "SELECT id, name FROM t.people ORDER BY id", 100, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (res), ==, 5);
  g_assert_cmpint (sluice_gem_result_get_n_rows (res), ==, 5);
  g_assert_cmpstr (sql_test_cell (res, 2, 1), ==, "Cyd");
  g_assert_cmpstr (sql_test_cell (res, 4, 0), ==, "5");
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/api/v2/statements/"), ==, 2);
  {
    g_autoptr(JsonObject) p1 = sql_test_request (f->server, "GET", "^/api/v2/statements/", 0);
    g_autoptr(JsonObject) p2 = sql_test_request (f->server, "GET", "^/api/v2/statements/", 1);
    g_assert_cmpstr (query_member (p1, "partition"), ==, "1");
    g_assert_cmpstr (query_member (p2, "partition"), ==, "2");
  }

  /* Only what the sample needs: 3 rows are in partitions 0 and 1. */
  g_clear_object (&res);
  {
    g_autoptr(JsonNode) clear = remote_test_server_control (f->server, "DELETE", "/__requests", NULL);
  }
  res = sql_test_run_sql (f->engine, "SELECT id FROM t.people ORDER BY id", 3, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sluice_gem_result_get_n_sample_rows (res), ==, 3);
  g_assert_cmpint (sluice_gem_result_get_n_rows (res), ==, 5);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/api/v2/statements/"), ==, 1);
}

/* DATE as days since the epoch, TIMESTAMP as seconds with 9 decimals,
 * TIMESTAMP_TZ as "<seconds> <offset + 1440>"; types in either case. */
static void
test_encodings (Fixture       *f,
                gconstpointer  data)
{
  for (guint upper = 0; upper < 2; upper++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceGemResult) res = NULL;
      g_autofree char *state = g_strdup_printf (
        "{\"upper_types\": %s, \"tables\": {\"t.events\": {\"columns\": [[\"day\", \"date\"], [\"at\", \"timestamp\"],"
        " [\"tz\", \"timestamp_tz\"], [\"ok\", \"boolean\"], [\"price\", \"decimal(10,2)\"], [\"early\", \"date\"]],"
        " \"rows\": [[\"2024-01-05\", \"2024-01-05 10:30:00.25\", \"2024-01-05 10:30:00+02:00\", true, \"12.50\","
        " \"1969-12-31\"], [null, null, null, false, null, null]]}}}", upper ? "true" : "false");

      set_state (f, state);
      res = sql_test_run_sql (f->engine, "SELECT * FROM t.events", 10, &error);
      g_assert_no_error (error);
      g_assert_cmpint (sluice_gem_result_get_column (res, 0)->type.kind, ==, SLUICE_SQL_DATE);
      g_assert_cmpint (sluice_gem_result_get_column (res, 1)->type.kind, ==, SLUICE_SQL_TIMESTAMP);
      g_assert_cmpint (sluice_gem_result_get_column (res, 2)->type.kind, ==, SLUICE_SQL_TIMESTAMP);
      g_assert_cmpint (sluice_gem_result_get_column (res, 3)->type.kind, ==, SLUICE_SQL_BOOLEAN);
      g_assert_cmpint (sluice_gem_result_get_column (res, 4)->type.kind, ==, SLUICE_SQL_DECIMAL);
      g_assert_cmpint (sluice_gem_result_get_column (res, 4)->type.scale, ==, 2);
      g_assert_cmpstr (sql_test_cell (res, 0, 0), ==, "2024-01-05");
      g_assert_cmpstr (sql_test_cell (res, 0, 1), ==, "2024-01-05 10:30:00.25");
      g_assert_cmpstr (sql_test_cell (res, 0, 2), ==, "2024-01-05 10:30:00+02:00");
      g_assert_cmpstr (sql_test_cell (res, 0, 3), ==, "true");
      g_assert_cmpstr (sql_test_cell (res, 0, 4), ==, "12.50");
      g_assert_cmpstr (sql_test_cell (res, 0, 5), ==, "1969-12-31");
      g_assert_cmpstr (sql_test_cell (res, 1, 0), ==, "NULL");
      g_assert_cmpstr (sql_test_cell (res, 1, 3), ==, "false");
    }
}

/* 422 QueryFailureStatus: the gem's error, with Snowflake's message. */
static void
test_failure (Fixture       *f,
              gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceRun) r = NULL;
  SluiceGemResult *ghost;

  set_state (f, "{\"polls\": 1}");
  r = sql_test_run (f->engine, f->project, "missing", NULL, 100, NULL, &error);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "gem “ghost”: SQL compilation error:\n"));
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_FAILED);
  g_assert_cmpint (sluice_run_get_gem_state (r, "ghost"), ==, SLUICE_GEM_FAILED);
  ghost = sluice_run_find_result (r, "ghost");
  g_assert_nonnull (strstr (sluice_gem_result_get_error (ghost)->message, "T.GHOSTS"));
}

static void
test_timeout_408 (Fixture       *f,
                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) res = NULL;

  set_state (f, "{\"answer_408\": true}");
  res = sql_test_run_sql (f->engine, "SELECT 1 AS x", 10, &error);
  g_assert_null (res);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "Snowflake test cancelled the statement: it ran longer than the statement timeout.");
}


static void
test_cancel (Fixture       *f,
             gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(SluiceRun) r = NULL;
  g_autoptr(JsonObject) st = NULL;

  set_state (f, "{\"polls\": 100000}");
  remote_test_cancel_on_request (f->server, "GET", "^/api/v2/statements/", cancellable);
  r = sql_test_run (f->engine, f->project, "cities", NULL, 1000, cancellable, &error);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (sluice_run_get_state (r), ==, SLUICE_RUN_CANCELLED);
  g_assert_cmpuint (remote_test_await_count (f->server, "POST", "/cancel$"), ==, 1);
  st = statement_record (f, 1);
  g_assert_true (json_object_get_boolean_member (st, "cancelled"));
}

/* A submit whose answer is lost (or refused with 429/503) goes again with
 * the same requestId and retry=true; Snowflake runs it once. */
static void
test_resubmit (Fixture       *f,
               gconstpointer  data)
{
  const char *faults[] = {
    "{\"method\": \"POST\", \"path\": \"^/api/v2/statements$\", \"action\": \"drop_response\"}",
    "{\"method\": \"POST\", \"path\": \"^/api/v2/statements$\", \"action\": \"status\", \"status\": 429,"
    " \"body\": {\"code\": \"390505\", \"message\": \"Too many requests.\"}}",
    "{\"method\": \"POST\", \"path\": \"^/api/v2/statements$\", \"action\": \"status\", \"status\": 503, \"body\": \"\"}",
    "{\"method\": \"POST\", \"path\": \"^/api/v2/statements$\", \"action\": \"reset_mid_body\"}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceGemResult) res = NULL;
      g_autoptr(JsonObject) first = NULL;
      g_autoptr(JsonObject) second = NULL;
      g_autoptr(JsonNode) clear = remote_test_server_control (f->server, "DELETE", "/__requests", NULL);
      g_autoptr(JsonObject) st = NULL;

      g_test_message ("submit fault: %s", faults[i]);
      remote_test_server_add_faults (f->server, faults[i]);
      res = sql_test_run_sql (f->engine, "SELECT name FROM t.people WHERE id = 2", 10, &error);
      g_assert_no_error (error);
      g_assert_cmpstr (sql_test_cell (res, 0, 0), ==, "Bob");
      g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/v2/statements$"), ==, 2);
      first = sql_test_request (f->server, "POST", "^/api/v2/statements$", 0);
      second = sql_test_request (f->server, "POST", "^/api/v2/statements$", 1);
      g_assert_cmpstr (query_member (second, "requestId"), ==, query_member (first, "requestId"));
      g_assert_null (query_member (first, "retry"));
      g_assert_cmpstr (query_member (second, "retry"), ==, "true");
      /* Executed once when the first submit got through, else by the second. */
      st = statement_record (f, i + 1);
      g_assert_cmpint (json_object_get_int_member (st, "executions"), ==, 1);
      g_assert_cmpstr (json_object_get_string_member (st, "request_id"), ==, query_member (first, "requestId"));
    }
}

typedef struct
{
  const char *fault;
  GQuark      domain;
  int         code;
} Fault;

static void
test_faults_on_poll (Fixture       *f,
                     gconstpointer  data)
{
  const Fault faults[] = {
    { "\"action\": \"status\", \"status\": 429, \"headers\": {\"Retry-After\": \"1\"},"
      " \"body\": {\"code\": \"390505\", \"message\": \"Too many requests.\"}", 0, 0 },
    { "\"action\": \"status\", \"status\": 503, \"body\": \"\"", 0, 0 },
    { "\"action\": \"reset_mid_body\"", 0, 0 },
    { "\"action\": \"reset\"", 0, 0 },
    { "\"action\": \"status\", \"status\": 500, \"body\": {\"code\": \"390000\", \"message\": \"boom\"}",
      SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER },
    { "\"action\": \"status\", \"status\": 401, \"body\": {\"code\": \"390303\", \"message\": \"Invalid OAuth access token.\"}",
      SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED },
    { "\"action\": \"truncate\"", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE },
    { "\"action\": \"html\", \"status\": 502", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER },
    { "\"action\": \"delay\", \"seconds\": 3, \"times\": 0", SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_TIMEOUT },
  };

  set_state (f, "{\"polls\": 1}");
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(SluiceGemResult) res = NULL;
      g_autofree char *json = g_strdup_printf ("{\"method\": \"GET\", \"path\": \"^/api/v2/statements/\", %s}", faults[i].fault);
      g_autoptr(JsonNode) cleared = NULL;

      g_test_message ("poll fault %u: %s", i, faults[i].fault);
      remote_test_server_add_faults (f->server, json);
      res = sql_test_run_sql (f->engine, "SELECT name FROM t.people WHERE id = 4", 10, &error);
      if (faults[i].domain == 0)
        {
          g_assert_no_error (error);
          g_assert_cmpstr (sql_test_cell (res, 0, 0), ==, "Dee");
        }
      else
        {
          g_assert_null (res);
          g_assert_error (error, faults[i].domain, faults[i].code);
          g_assert_true (g_str_has_prefix (error->message, "Snowflake test"));
          g_assert_null (strstr (error->message, "sf-test"));
        }
      cleared = remote_test_server_control (f->server, "DELETE", "/__faults", NULL);
    }
}

/* A submit refused for good is not resubmitted. */
static void
test_submit_errors (Fixture       *f,
                    gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceGemResult) res = NULL;

  remote_test_server_add_faults (f->server, "{\"method\": \"POST\", \"action\": \"status\", \"status\": 400,"
                                            " \"body\": {\"code\": \"390142\", \"message\": \"Incoming request does not contain a valid payload.\"}}");
  res = sql_test_run_sql (f->engine, "SELECT 1 AS x", 10, &error);
  g_assert_null (res);
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_REQUEST);
  g_assert_nonnull (strstr (error->message, "Incoming request does not contain a valid payload"));
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/v2/statements$"), ==, 1);
}

static void
test_warehouses (Fixture       *f,
                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GListModel) list = NULL;
  g_autoptr(SluiceCompute) second = NULL;

  set_state (f, "{\"warehouses\": [{\"name\": \"COMPUTE_WH\", \"state\": \"STARTED\", \"type\": \"STANDARD\", \"size\": \"X-Small\"},"
                " {\"name\": \"ETL_WH\", \"state\": \"SUSPENDED\", \"type\": \"STANDARD\", \"size\": \"Large\"}]}");
  list = remote_test_list_compute (f->engine, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (list), ==, 2);
  second = g_list_model_get_item (list, 1);
  g_assert_cmpstr (sluice_compute_get_id (second), ==, "ETL_WH");
  g_assert_cmpstr (sluice_compute_get_state (second), ==, "SUSPENDED");

  g_assert_true (remote_test_connection (f->engine, &error));
  g_assert_no_error (error);
}

static void
test_refused (Fixture       *f,
              gconstpointer  data)
{
  RemoteTestServer *gone = remote_test_server_start ("snowflake-server.py", NULL);
  g_autofree char *url = g_strdup (gone->base_url);
  g_autoptr(SluiceEngine) engine = NULL;
  g_autoptr(GError) error = NULL;

  remote_test_server_stop (gone);
  engine = make_engine (url, "pat", "sf-test");
  g_assert_false (remote_test_connection (engine, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  g_assert_true (g_str_has_prefix (error->message, "Snowflake test"));
}

int
main (int   argc,
      char *argv[])
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/sluice/remote/snowflake/" path, Fixture, NULL, fixture_set_up, fn, fixture_tear_down)
  ADD ("runs-each-gem-through-202-polling", test_pipeline);
  ADD ("sends-the-oauth-token-type", test_oauth);
  ADD ("reads-gzip-partitions", test_partitions);
  ADD ("decodes-dates-and-timestamps", test_encodings);
  ADD ("422-is-the-gems-error", test_failure);
  ADD ("408-is-a-timeout", test_timeout_408);
  ADD ("cancel-tells-snowflake", test_cancel);
  ADD ("resubmits-with-the-same-request-id", test_resubmit);
  ADD ("faults-on-a-poll", test_faults_on_poll);
  ADD ("refused-submit-is-not-resubmitted", test_submit_errors);
  ADD ("lists-warehouses", test_warehouses);
  ADD ("refused-connection", test_refused);
#undef ADD

  return g_test_run ();
}
