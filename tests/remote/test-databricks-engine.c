/* The Databricks cluster engine against tests/servers/databricks-compute-server.py,
 * which runs the generated program on the fake pyspark of tests/servers/fakespark:
 * the row counts and samples asserted here come from the data, through the
 * real generated code. */
#include "config.h"

#include "pyspark-test-project.h"
#include "remote-test-util.h"
#include "sluice-compute.h"
#include "sluice-databricks-engine.h"
#include "sluice-engine-error.h"

#define TOKEN "dapi-test-token"
#define CLUSTER "1202-211320-brick1"

typedef PySparkTestFixture Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  pyspark_test_fixture_set_up (f, "databricks-compute-server.py");
}

static SluiceDatabricksEngine *
engine_for (const char *url,
            const char *cluster,
            const char *cluster_id,
            const char *token)
{
  /* Through the factory, as the window gets it. */
  SluiceEngine *engine = remote_test_engine_new (SLUICE_FABRIC_DATABRICKS, "Databricks test", "token", token,
                                                 "url", url, "cluster", cluster, "cluster_id", cluster_id,
                                                 "node_type", "i3.xlarge", NULL);

  g_assert_true (SLUICE_IS_DATABRICKS_ENGINE (engine));
  sluice_databricks_engine_set_poll_interval (SLUICE_DATABRICKS_ENGINE (engine), 10, 80);
  sluice_http_client_set_timeout (sluice_databricks_engine_get_http_client (SLUICE_DATABRICKS_ENGINE (engine)), 2);
  sluice_http_client_set_retry_budget (sluice_databricks_engine_get_http_client (SLUICE_DATABRICKS_ENGINE (engine)), 5);
  return SLUICE_DATABRICKS_ENGINE (engine);
}

static SluiceDatabricksEngine *
engine_new (Fixture *f)
{
  return engine_for (f->server->base_url, "existing", CLUSTER, TOKEN);
}

static JsonObject *
server_state (Fixture *f)
{
  g_autoptr(JsonNode) node = remote_test_server_control (f->server, "GET", "/__state", NULL);
  return json_object_ref (json_node_get_object (node));
}

static void
assert_no_context_left (Fixture *f)
{
  g_autoptr(JsonObject) state = server_state (f);

  g_assert_cmpuint (json_object_get_size (json_object_get_object_member (state, "contexts")), ==, 0);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "destroyed_contexts")), >=, 1);
}


/* ---- State machines ---- */

static void
test_run_fills_results (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonArray) requests = NULL;
  JsonObject *revenue;

  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_no_error (error);
  pyspark_test_assert_sales (run);

  /* The prelude, then one command per gem, in one context, destroyed after. */
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/1\\.2/contexts/create$"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/1\\.2/commands/execute$"), ==, 7);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/1\\.2/contexts/destroy$"), ==, 1);
  assert_no_context_left (f);
  /* The Target wrote the table. */
  state = server_state (f);
  revenue = json_object_get_object_member (json_object_get_object_member (state, "tables"), "shop.revenue");
  g_assert_nonnull (revenue);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (revenue, "rows")), ==, 3);
  /* camelCase bodies, the bearer token on every request. */
  requests = remote_test_server_requests (f->server);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      JsonObject *headers = json_object_get_object_member (r, "headers");
      const char *path = json_object_get_string_member (r, "path");

      g_assert_cmpstr (json_object_get_string_member (headers, "Authorization"), ==, "Bearer " TOKEN);
      if (g_str_equal (path, "/api/1.2/commands/execute"))
        {
          JsonObject *body = json_object_get_object_member (r, "body");
          g_assert_cmpstr (json_object_get_string_member (body, "clusterId"), ==, CLUSTER);
          g_assert_cmpstr (json_object_get_string_member (body, "language"), ==, "python");
          g_assert_true (json_object_has_member (body, "contextId"));
        }
    }
}

static void
test_run_up_to_a_gem (Fixture       *f,
                      gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", "done");
  g_autoptr(GError) error = NULL;

  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (sluice_run_get_results (run)), ==, 2);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "done")), ==, 4);
  g_assert_cmpint (sluice_run_get_gem_state (run, "write"), ==, SLUICE_GEM_NOT_IN_RUN);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/1\\.2/commands/execute$"), ==, 3);
}

static void
test_terminated_cluster_is_started_with_progress (Fixture       *f,
                                                  gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;
  g_autoptr(JsonObject) state = NULL;

  set = remote_test_server_control (f->server, "POST", "/__state",
                                    "{\"pending_polls\": 3, \"clusters\": {\"" CLUSTER "\": {\"cluster_id\": \"" CLUSTER "\","
                                    " \"cluster_name\": \"etl\", \"spark_version\": \"15.4.x-scala2.12\","
                                    " \"state\": \"TERMINATED\", \"state_message\": \"Inactive cluster terminated\"}}}");
  g_signal_connect (run, "notify::message", G_CALLBACK (pyspark_test_collect_message), messages);
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_no_error (error);
  pyspark_test_assert_sales (run);

  g_assert_true (pyspark_test_has_message (messages, "Starting cluster “etl” (TERMINATED)…"));
  g_assert_true (pyspark_test_has_message (messages, "Starting cluster “etl” (PENDING): Finding instances"));
  g_assert_true (pyspark_test_has_message (messages, "Running gem “by_customer” on cluster “etl”…"));
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2\\.1/clusters/start$"), ==, 1);
  /* TERMINATED, then PENDING three times, then RUNNING. */
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/api/2\\.1/clusters/get$"), ==, 5);
  /* No message is left once the run ends. */
  g_assert_null (sluice_run_get_message (run));
  state = server_state (f);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (state, "clusters"), CLUSTER), "state"), ==, "RUNNING");
}

static void
test_cluster_started_by_someone_else (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", "orders");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;

  /* It reads TERMINATED, but is PENDING by the time the start arrives:
   * 400 INVALID_STATE, and the wait goes on. */
  set = remote_test_server_control (f->server, "POST", "/__state",
                                    "{\"clusters\": {\"" CLUSTER "\": {\"cluster_id\": \"" CLUSTER "\","
                                    " \"cluster_name\": \"etl\", \"state\": \"TERMINATED\", \"state_message\": \"\"}}}");
  remote_test_server_add_faults (f->server,
                                 "{\"path\": \"clusters/start\", \"action\": \"status\", \"status\": 400,"
                                 " \"body\": {\"error_code\": \"INVALID_STATE\","
                                 " \"message\": \"Cluster " CLUSTER " is in unexpected state Pending.\"}}");
  g_clear_pointer (&set, json_node_unref);
  set = remote_test_server_control (f->server, "POST", "/__state",
                                    "{\"clusters\": {\"" CLUSTER "\": {\"cluster_id\": \"" CLUSTER "\","
                                    " \"cluster_name\": \"etl\", \"state\": \"PENDING\", \"state_message\": \"\"}}}");
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "orders")), ==, 5);
}

static void
test_cluster_in_error_state_fails (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;

  set = remote_test_server_control (f->server, "POST", "/__state",
                                    "{\"clusters\": {\"" CLUSTER "\": {\"cluster_id\": \"" CLUSTER "\","
                                    " \"cluster_name\": \"etl\", \"state\": \"ERROR\","
                                    " \"state_message\": \"Cloud provider launch failure\"}}}");
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "cluster “etl” is in state ERROR"));
  g_assert_nonnull (strstr (error->message, "Cloud provider launch failure"));
  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_FAILED);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "contexts/create"), ==, 0);
}

static void
test_new_cluster_is_created_once_and_terminated (Fixture       *f,
                                                 gconstpointer  data)
{
  SluiceDatabricksEngine *engine = engine_for (f->server->base_url, "new", NULL, TOKEN);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *cluster_id = NULL;
  JsonObject *create = NULL;
  gint64 until;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", "done");
      g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
      g_assert_no_error (error);
      g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "done")), ==, 4);
    }
  /* One cluster for both runs, made from the fabric's settings. */
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "clusters/create"), ==, 1);
  requests = remote_test_server_requests (f->server);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    if (g_str_has_suffix (json_object_get_string_member (json_array_get_object_element (requests, i), "path"), "clusters/create"))
      create = json_object_get_object_member (json_array_get_object_element (requests, i), "body");
  g_assert_nonnull (create);
  g_assert_cmpstr (json_object_get_string_member (create, "spark_version"), ==, "14.3.x-scala2.12");
  g_assert_cmpstr (json_object_get_string_member (create, "node_type_id"), ==, "i3.xlarge");
  g_assert_cmpint (json_object_get_int_member (create, "num_workers"), ==, 2);
  g_assert_true (json_object_has_member (create, "idempotency_token"));
  cluster_id = g_strdup (sluice_databricks_engine_get_cluster_id (engine));
  g_assert_nonnull (cluster_id);

  /* Going, the engine terminates it. */
  g_object_unref (engine);
  until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;
  while (remote_test_server_count (f->server, "POST", "clusters/delete") == 0 && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "clusters/delete"), ==, 1);
  state = server_state (f);
  g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (
                     json_object_get_object_member (state, "clusters"), cluster_id), "state"), ==, "TERMINATING");
}

static void
test_error_result_goes_to_its_gem (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;
  const GError *gem_error;

  set = remote_test_server_control (f->server, "POST", "/__state", "{\"error_on\": \"_sluice_report('by_customer'\"}");
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  /* The summary without its markup, on the gem whose command failed. */
  g_assert_cmpstr (error->message, ==,
                   "gem “by_customer”: org.apache.spark.SparkException: Job aborted due to stage failure & executor lost");
  gem_error = sluice_gem_result_get_error (sluice_run_find_result (run, "by_customer"));
  g_assert_nonnull (gem_error);
  g_assert_cmpstr (gem_error->message, ==, error->message);
  g_assert_cmpint (sluice_run_get_gem_state (run, "by_customer"), ==, SLUICE_GEM_FAILED);
  g_assert_cmpint (sluice_run_get_gem_state (run, "joined"), ==, SLUICE_GEM_DONE);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "joined")), ==, 4);
  g_assert_cmpint (sluice_run_get_gem_state (run, "write"), ==, SLUICE_GEM_NOT_IN_RUN);
  g_assert_null (sluice_run_find_result (run, "write"));
  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_FAILED);
  assert_no_context_left (f);
}

static void
test_raising_gem_fails_with_its_error (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "broken", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_true (g_str_has_prefix (error->message, "gem “boom”: AnalysisException: "));
  g_assert_nonnull (strstr (error->message, "channel"));
  g_assert_cmpint (sluice_run_get_gem_state (run, "boom"), ==, SLUICE_GEM_FAILED);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "orders")), ==, 5);
  assert_no_context_left (f);
}

static void
test_pipeline_problems_stop_the_run_before_any_call (Fixture       *f,
                                                     gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", "nosuch");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = NULL;

  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "there is no gem “nosuch”"));
  requests = remote_test_server_requests (f->server);
  g_assert_cmpuint (json_array_get_length (requests), ==, 0);
}

typedef struct
{
  GCancellable *cancellable;
  SluiceRun    *run;
} CancelOn;

static void
cancel_when_running (SluiceRun      *run,
                     const char     *gem,
                     SluiceGemState  state,
                     CancelOn       *c)
{
  /* A moment later the command is on the cluster, Running. */
  if (g_str_equal (gem, "joined") && state == SLUICE_GEM_RUNNING)
    g_timeout_add_once (150, (GSourceOnceFunc) g_cancellable_cancel, c->cancellable);
}

static void
test_cancel_stops_the_running_command (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;
  g_autoptr(JsonObject) state = NULL;
  CancelOn c = { cancellable, run };
  JsonObjectIter iter;
  const char *id;
  JsonNode *command;
  guint cancelled = 0;

  /* Commands take long enough that the cancel meets one Running. */
  set = remote_test_server_control (f->server, "POST", "/__state", "{\"running_polls\": 8}");
  g_signal_connect (run, "gem-state-changed", G_CALLBACK (cancel_when_running), &c);
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, cancellable, 30000, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_CANCELLED);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "commands/cancel"), ==, 1);
  /* Polled until Cancelled: the service saw Cancelling turn Cancelled. */
  state = server_state (f);
  json_object_iter_init (&iter, json_object_get_object_member (state, "commands"));
  while (json_object_iter_next (&iter, &id, &command))
    if (g_str_equal (json_object_get_string_member (json_node_get_object (command), "status"), "Cancelled"))
      cancelled++;
  g_assert_cmpuint (cancelled, ==, 1);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "done")), ==, 4);
  g_assert_null (sluice_run_find_result (run, "joined"));
  g_assert_cmpint (sluice_run_get_gem_state (run, "joined"), ==, SLUICE_GEM_NOT_IN_RUN);
  assert_no_context_left (f);
}

static void
test_cancel_while_the_cluster_starts (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;
  gint64 t0;

  set = remote_test_server_control (f->server, "POST", "/__state",
                                    "{\"pending_polls\": 100000, \"clusters\": {\"" CLUSTER "\": {\"cluster_id\": \"" CLUSTER "\","
                                    " \"cluster_name\": \"etl\", \"state\": \"PENDING\", \"state_message\": \"\"}}}");
  sluice_databricks_engine_set_poll_interval (engine, 2000, 5000);
  g_timeout_add_once (300, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
  t0 = g_get_monotonic_time ();
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, cancellable, 30000, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  /* The wait ends at the cancel, not at the next poll. */
  g_assert_cmpint (g_get_monotonic_time () - t0, <, G_USEC_PER_SEC);
  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_CANCELLED);
}

/* ---- Connection and compute ---- */

static void
test_connection_names_an_unknown_cluster (Fixture       *f,
                                          gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) good = engine_new (f);
  g_autoptr(SluiceDatabricksEngine) unknown = engine_for (f->server->base_url, "existing", "0000-nope", TOKEN);
  g_autoptr(GError) error = NULL;

  g_assert_true (remote_test_connection (SLUICE_ENGINE (good), &error));
  g_assert_no_error (error);
  g_assert_false (remote_test_connection (SLUICE_ENGINE (unknown), &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_NOT_FOUND);
  g_assert_nonnull (strstr (error->message, "Cluster 0000-nope does not exist"));
}

static void
test_list_compute_follows_pages (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(JsonNode) set = NULL;
  g_autoptr(GListModel) model = NULL;
  g_autoptr(GError) error = NULL;

  set = remote_test_server_control (f->server, "POST", "/__state",
                                    "{\"clusters\": {"
                                    "\"a\": {\"cluster_id\": \"a\", \"cluster_name\": \"alpha\", \"state\": \"RUNNING\"},"
                                    "\"b\": {\"cluster_id\": \"b\", \"cluster_name\": \"beta\", \"state\": \"TERMINATED\"},"
                                    "\"c\": {\"cluster_id\": \"c\", \"cluster_name\": \"gamma\", \"state\": \"PENDING\"}}}");
  /* The engine asks for 100 a page; the server answers 2 at most. */
  g_clear_pointer (&set, json_node_unref);
  set = remote_test_server_control (f->server, "POST", "/__state", "{\"page_size\": 2}");
  model = remote_test_list_compute (SLUICE_ENGINE (engine), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 3);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr(SluiceCompute) c = g_list_model_get_item (model, i);
      static const char * const names[] = { "alpha", "beta", "gamma" };
      static const char * const states[] = { "RUNNING", "TERMINATED", "PENDING" };
      g_assert_cmpstr (sluice_compute_get_name (c), ==, names[i]);
      g_assert_cmpstr (sluice_compute_get_state (c), ==, states[i]);
    }
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "clusters/list"), ==, 2);
}

/* ---- Faults ---- */

/* A run of "sales" with @fault scripted (once) succeeds all the same. */
static void
assert_run_survives (Fixture    *f,
                     const char *fault)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;

  remote_test_server_add_faults (f->server, fault);
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 60000, &error));
  g_assert_no_error (error);
  pyspark_test_assert_sales (run);
  /* Every scripted fault fired. */
  {
    g_autoptr(JsonNode) left = remote_test_server_control (f->server, "POST", "/__faults", "[]");
    g_assert_cmpint (json_object_get_int_member (json_node_get_object (left), "faults"), ==, 0);
  }
  assert_no_context_left (f);
}

static void
test_fault_429_retry_after (Fixture       *f,
                            gconstpointer  data)
{
  gint64 t0 = g_get_monotonic_time ();

  assert_run_survives (f, "{\"path\": \"commands/status\", \"action\": \"status\", \"status\": 429,"
                          " \"headers\": {\"Retry-After\": \"1\"},"
                          " \"body\": {\"error_code\": \"TOO_MANY_REQUESTS\", \"message\": \"errorMessage\"}}");
  /* Retry-After was honoured. */
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, G_USEC_PER_SEC);
}

static void
test_fault_503 (Fixture       *f,
                gconstpointer  data)
{
  assert_run_survives (f, "{\"path\": \"contexts/status\", \"action\": \"status\", \"status\": 503,"
                          " \"body\": {\"error_code\": \"TEMPORARILY_UNAVAILABLE\","
                          " \"message\": \"Service temporarily unavailable\"}}");
}

static void
test_fault_500_on_a_poll (Fixture       *f,
                          gconstpointer  data)
{
  assert_run_survives (f, "{\"path\": \"commands/status\", \"action\": \"status\", \"status\": 500,"
                          " \"body\": {\"error_code\": \"INTERNAL_ERROR\", \"message\": \"boom\"}}");
}

static void
test_fault_reset_mid_body (Fixture       *f,
                           gconstpointer  data)
{
  assert_run_survives (f, "{\"path\": \"commands/status\", \"action\": \"reset_mid_body\"}");
}

static void
test_fault_truncated_json_on_a_poll (Fixture       *f,
                                     gconstpointer  data)
{
  assert_run_survives (f, "{\"path\": \"clusters/get\", \"action\": \"truncate\"}");
}

static void
test_fault_html_page_on_a_poll (Fixture       *f,
                                gconstpointer  data)
{
  assert_run_survives (f, "{\"path\": \"commands/status\", \"action\": \"html\", \"status\": 502}");
}

static void
test_fault_slow_headers_on_a_poll (Fixture       *f,
                                   gconstpointer  data)
{
  /* The client gives up after 2 s; the poll is tried again. */
  assert_run_survives (f, "{\"path\": \"commands/status\", \"action\": \"delay\", \"seconds\": 4}");
}

static void
test_fault_401_fails_the_run (Fixture       *f,
                              gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_for (f->server->base_url, "existing", CLUSTER, "wrong");
  g_autoptr(SluiceDatabricksEngine) none = engine_for (f->server->base_url, "existing", CLUSTER, "");
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;

  /* 403 for a wrong token… */
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "wrong"));
  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_FAILED);
  g_clear_error (&error);
  /* …401 for none sent; here the engine says so before any request. */
  g_assert_false (remote_test_connection (SLUICE_ENGINE (none), &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "personal access token"));
  g_clear_error (&error);
  remote_test_server_add_faults (f->server, "{\"path\": \"clusters/get\", \"action\": \"status\", \"status\": 401,"
                                            " \"body\": {\"error_code\": 401, \"message\": \"Credential was not sent"
                                            " or was of an unsupported type for this API.\"}}");
  {
    g_autoptr(SluiceDatabricksEngine) good = engine_new (f);
    g_assert_false (remote_test_connection (SLUICE_ENGINE (good), &error));
  }
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Credential was not sent"));
}

static void
test_fault_test_connection_bad_bodies (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);
  g_autoptr(GError) error = NULL;

  remote_test_server_add_faults (f->server, "{\"path\": \"clusters/get\", \"action\": \"truncate\"}");
  g_assert_false (remote_test_connection (SLUICE_ENGINE (engine), &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE);
  g_clear_error (&error);
  remote_test_server_add_faults (f->server, "{\"path\": \"clusters/get\", \"action\": \"html\", \"status\": 502,"
                                            " \"message\": \"upstream connect error\"}");
  g_assert_false (remote_test_connection (SLUICE_ENGINE (engine), &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "upstream connect error"));
  g_clear_error (&error);
  /* Headers slower than the 2 s timeout, every time: tried again while the
   * (1 s) retry budget lasts, then a timeout, long before the server answers. */
  remote_test_server_add_faults (f->server, "{\"path\": \"clusters/get\", \"action\": \"delay\", \"seconds\": 10,"
                                            " \"times\": 0}");
  sluice_http_client_set_retry_budget (sluice_databricks_engine_get_http_client (engine), 1);
  {
    gint64 t0 = g_get_monotonic_time ();
    g_assert_false (remote_test_connection (SLUICE_ENGINE (engine), &error));
    g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_TIMEOUT);
    g_assert_cmpint (g_get_monotonic_time () - t0, <, 8 * G_USEC_PER_SEC);
  }
}

static void
test_fault_refused_connection (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = NULL;
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = remote_test_refused_url ();

  engine = engine_for (url, "existing", CLUSTER, TOKEN);
  sluice_http_client_set_retry_budget (sluice_databricks_engine_get_http_client (engine), 1);
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_FAILED);
}

static void
test_window_stays_responsive_on_a_slow_service (Fixture       *f,
                                                gconstpointer  data)
{
  g_autoptr(SluiceDatabricksEngine) engine = engine_new (f);

  pyspark_test_assert_responsive (f, SLUICE_ENGINE (engine));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/sluice/remote/databricks/" path, Fixture, NULL, fixture_set_up, fn, \
                                        pyspark_test_fixture_tear_down)
  ADD ("run-fills-results-from-the-generated-code", test_run_fills_results);
  ADD ("run-up-to-a-gem", test_run_up_to_a_gem);
  ADD ("terminated-cluster-is-started-with-progress", test_terminated_cluster_is_started_with_progress);
  ADD ("cluster-started-by-someone-else", test_cluster_started_by_someone_else);
  ADD ("cluster-in-error-state-fails", test_cluster_in_error_state_fails);
  ADD ("new-cluster-is-created-once-and-terminated", test_new_cluster_is_created_once_and_terminated);
  ADD ("error-result-goes-to-its-gem", test_error_result_goes_to_its_gem);
  ADD ("raising-gem-fails-with-its-error", test_raising_gem_fails_with_its_error);
  ADD ("pipeline-problems-stop-the-run-before-any-call", test_pipeline_problems_stop_the_run_before_any_call);
  ADD ("cancel-stops-the-running-command", test_cancel_stops_the_running_command);
  ADD ("cancel-while-the-cluster-starts", test_cancel_while_the_cluster_starts);
  ADD ("test-connection-names-an-unknown-cluster", test_connection_names_an_unknown_cluster);
  ADD ("list-compute-follows-pages", test_list_compute_follows_pages);
  ADD ("fault/429-retry-after", test_fault_429_retry_after);
  ADD ("fault/503", test_fault_503);
  ADD ("fault/500-on-a-poll", test_fault_500_on_a_poll);
  ADD ("fault/reset-mid-body", test_fault_reset_mid_body);
  ADD ("fault/truncated-json-on-a-poll", test_fault_truncated_json_on_a_poll);
  ADD ("fault/html-page-on-a-poll", test_fault_html_page_on_a_poll);
  ADD ("fault/slow-headers-on-a-poll", test_fault_slow_headers_on_a_poll);
  ADD ("fault/401-and-403", test_fault_401_fails_the_run);
  ADD ("fault/test-connection-bad-bodies", test_fault_test_connection_bad_bodies);
  ADD ("fault/refused-connection", test_fault_refused_connection);
  ADD ("window-stays-responsive-on-a-slow-service", test_window_stays_responsive_on_a_slow_service);
#undef ADD
  return g_test_run ();
}
