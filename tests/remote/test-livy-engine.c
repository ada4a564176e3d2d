/* The Livy engine against tests/servers/livy-server.py, which runs the
 * generated program on the fake pyspark of tests/servers/fakespark. */
#include "config.h"

#include "pyspark-test-project.h"
#include "remote-test-util.h"
#include "sluice-engine-error.h"
#include "sluice-livy-engine.h"

typedef PySparkTestFixture Fixture;

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  pyspark_test_fixture_set_up (f, "livy-server.py");
}

static SluiceLivyEngine *
engine_for (const char *url,
            const char *auth,
            const char *user,
            const char *password,
            const char *proxy_user)
{
  SluiceEngine *engine = remote_test_engine_new (SLUICE_FABRIC_LIVY, "Livy test", "password", password,
                                                 "url", url, "auth", auth, "user", user, "proxy_user", proxy_user,
                                                 NULL);

  g_assert_true (SLUICE_IS_LIVY_ENGINE (engine));
  sluice_livy_engine_set_poll_interval (SLUICE_LIVY_ENGINE (engine), 10, 80);
  sluice_http_client_set_timeout (sluice_livy_engine_get_http_client (SLUICE_LIVY_ENGINE (engine)), 2);
  sluice_http_client_set_retry_budget (sluice_livy_engine_get_http_client (SLUICE_LIVY_ENGINE (engine)), 5);
  return SLUICE_LIVY_ENGINE (engine);
}

static SluiceLivyEngine *
engine_new (Fixture *f)
{
  return engine_for (f->server->base_url, "none", NULL, NULL, NULL);
}

static JsonObject *
server_state (Fixture *f)
{
  g_autoptr(JsonNode) node = remote_test_server_control (f->server, "GET", "/__state", NULL);
  return json_object_ref (json_node_get_object (node));
}

static guint
n_sessions (Fixture *f)
{
  g_autoptr(JsonObject) state = server_state (f);
  return json_object_get_size (json_object_get_object_member (state, "sessions"));
}

/* Drops @engine and waits until the server saw its session deleted. */
static void
dispose_and_wait_for_delete (Fixture          *f,
                             SluiceLivyEngine *engine)
{
  gint64 until = g_get_monotonic_time () + 5 * G_USEC_PER_SEC;

  g_object_unref (engine);
  while (remote_test_server_count (f->server, "DELETE", "^/sessions/") == 0 && g_get_monotonic_time () < until)
    g_main_context_iteration (NULL, FALSE);
  g_assert_cmpuint (remote_test_server_count (f->server, "DELETE", "^/sessions/[0-9]+$"), ==, 1);
  g_assert_cmpuint (n_sessions (f), ==, 0);
}


static void
test_run_fills_results_and_reuses_the_session (Fixture       *f,
                                               gconstpointer  data)
{
  SluiceLivyEngine *engine = engine_new (f);
  g_autoptr(GPtrArray) messages = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(JsonObject) state = NULL;
  JsonObject *create = NULL;
  guint posts = 0;

  for (guint i = 0; i < 2; i++)
    {
      g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
      g_autoptr(GError) error = NULL;

      g_signal_connect (run, "notify::message", G_CALLBACK (pyspark_test_collect_message), messages);
      g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
      g_assert_no_error (error);
      pyspark_test_assert_sales (run);
    }
  /* starting → idle once; the second run used the same session. */
  g_assert_true (pyspark_test_has_message (messages, "Starting a Spark session on Livy test (starting)…"));
  g_assert_true (pyspark_test_has_message (messages, "Running gem “write” on Livy test…"));
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/sessions$"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/sessions/0/statements$"), ==, 14);
  g_assert_cmpint (sluice_livy_engine_get_session_id (engine), ==, 0);

  requests = remote_test_server_requests (f->server);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      JsonObject *headers = json_object_get_object_member (r, "headers");

      if (g_str_equal (json_object_get_string_member (r, "method"), "GET"))
        continue;
      /* The CSRF header on everything that is not a GET. */
      g_assert_true (json_object_has_member (headers, "X-Requested-By"));
      posts++;
      if (g_str_equal (json_object_get_string_member (r, "path"), "/sessions"))
        create = json_object_get_object_member (r, "body");
    }
  g_assert_cmpuint (posts, ==, 15);
  g_assert_nonnull (create);
  g_assert_cmpstr (json_object_get_string_member (create, "kind"), ==, "pyspark");
  g_assert_cmpstr (json_object_get_string_member (create, "name"), ==, sluice_livy_engine_get_session_name (engine));
  g_assert_true (g_str_has_prefix (json_object_get_string_member (create, "name"), "sluice-"));
  g_assert_false (json_object_has_member (create, "proxyUser"));
  state = server_state (f);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (
                      json_object_get_object_member (json_object_get_object_member (state, "tables"), "shop.revenue"),
                      "rows")), ==, 3);

  dispose_and_wait_for_delete (f, engine);
}

static void
test_dead_session_quotes_its_log (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;

  set = remote_test_server_control (f->server, "POST", "/__state", "{\"session_fate\": \"dead\"}");
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Livy test: the Spark session ended while starting (dead)"));
  g_assert_nonnull (strstr (error->message, "java.lang.OutOfMemoryError: Java heap space"));
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/sessions/0/log$"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "statements"), ==, 0);
  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_FAILED);
  g_assert_cmpint (sluice_livy_engine_get_session_id (engine), ==, -1);
}

static void
test_statement_error_goes_to_its_gem (Fixture       *f,
                                      gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;

  set = remote_test_server_control (f->server, "POST", "/__state", "{\"error_on\": \"_sluice_report('joined'\"}");
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_cmpstr (error->message, ==, "gem “joined”: Py4JJavaError: An error occurred while calling o123.count: executor lost");
  g_assert_cmpstr (sluice_gem_result_get_error (sluice_run_find_result (run, "joined"))->message, ==, error->message);
  g_assert_cmpint (sluice_run_get_gem_state (run, "joined"), ==, SLUICE_GEM_FAILED);
  g_assert_cmpint (sluice_run_get_gem_state (run, "done"), ==, SLUICE_GEM_DONE);
  g_assert_cmpint (sluice_run_get_gem_state (run, "by_customer"), ==, SLUICE_GEM_NOT_IN_RUN);
}

static void
test_raising_gem_fails_with_its_error (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "broken", NULL);
  g_autoptr(GError) error = NULL;

  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_true (g_str_has_prefix (error->message, "gem “boom”: AnalysisException: "));
  g_assert_cmpint (sluice_run_get_gem_state (run, "boom"), ==, SLUICE_GEM_FAILED);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "orders")), ==, 5);
}

static void
cancel_when_running (SluiceRun      *run,
                     const char     *gem,
                     SluiceGemState  state,
                     GCancellable   *cancellable)
{
  /* A moment later the statement is on the session, running. */
  if (g_str_equal (gem, "by_customer") && state == SLUICE_GEM_RUNNING)
    g_timeout_add_once (150, (GSourceOnceFunc) g_cancellable_cancel, cancellable);
}

static void
test_cancel_stops_the_running_statement (Fixture       *f,
                                         gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(SluiceRun) again = pyspark_test_project_run (f->project, "sales", "done");
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;

  set = remote_test_server_control (f->server, "POST", "/__state", "{\"running_polls\": 8}");
  g_signal_connect (run, "gem-state-changed", G_CALLBACK (cancel_when_running), cancellable);
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, cancellable, 30000, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (sluice_run_get_state (run), ==, SLUICE_RUN_CANCELLED);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/sessions/0/statements/[0-9]+/cancel$"), ==, 1);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "joined")), ==, 4);
  g_assert_null (sluice_run_find_result (run, "by_customer"));
  g_clear_error (&error);

  /* The session is still there for the next run. */
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), again, NULL, 30000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/sessions$"), ==, 1);
}

static void
test_ambiguous_create_adopts_the_session (Fixture       *f,
                                          gconstpointer  data)
{
  SluiceLivyEngine *engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;

  /* The session is made, its answer lost. */
  remote_test_server_add_faults (f->server, "{\"method\": \"POST\", \"path\": \"^/sessions$\", \"action\": \"drop_response\"}");
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_no_error (error);
  pyspark_test_assert_sales (run);
  /* It was found by name rather than made twice. */
  g_assert_cmpuint (n_sessions (f), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/sessions$"), >=, 1);
  g_assert_cmpint (sluice_livy_engine_get_session_id (engine), ==, 0);
  dispose_and_wait_for_delete (f, engine);
}

static void
test_ambiguous_create_that_never_arrived_creates (Fixture       *f,
                                                  gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", "orders");
  g_autoptr(GError) error = NULL;

  /* Closed before the server did anything: nothing to adopt. */
  remote_test_server_add_faults (f->server, "{\"method\": \"POST\", \"path\": \"^/sessions$\", \"action\": \"reset\"}");
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (n_sessions (f), ==, 1);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (run, "orders")), ==, 5);
}

static void
test_ambiguous_statement_is_not_sent_twice (Fixture       *f,
                                            gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonObject) state = NULL;

  /* The third statement (gem "customers") is queued, its answer lost. */
  remote_test_server_add_faults (f->server, "[{\"method\": \"POST\", \"path\": \"statements$\", \"action\": \"delay\","
                                            " \"seconds\": 0, \"times\": 2},"
                                            " {\"method\": \"POST\", \"path\": \"statements$\", \"action\": \"drop_response\"}]");
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_no_error (error);
  pyspark_test_assert_sales (run);
  /* Found among the session's statements: each ran once. */
  state = server_state (f);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (state, "executed")), ==, 7);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/sessions/0/statements$"), ==, 1);
}

static void
test_forgotten_session_is_replaced (Fixture       *f,
                                    gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) first = pyspark_test_project_run (f->project, "sales", "orders");
  g_autoptr(SluiceRun) second = pyspark_test_project_run (f->project, "sales", "done");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;

  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), first, NULL, 30000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sluice_livy_engine_get_session_id (engine), ==, 0);
  /* Livy forgets the session (idle timeout, a restart): 404 next time. */
  set = remote_test_server_control (f->server, "POST", "/__state", "{\"sessions\": {}}");
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), second, NULL, 30000, &error));
  g_assert_no_error (error);
  g_assert_cmpint (sluice_gem_result_get_n_rows (sluice_run_find_result (second, "done")), ==, 4);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/sessions$"), ==, 2);
  g_assert_cmpint (sluice_livy_engine_get_session_id (engine), ==, 1);
}

static void
test_window_stays_responsive_on_a_slow_service (Fixture       *f,
                                                gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);

  pyspark_test_assert_responsive (f, SLUICE_ENGINE (engine));
}

static void
test_basic_auth_and_proxy_user (Fixture       *f,
                                gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) good = engine_for (f->server->base_url, "basic", "ana", "s3cret", "etl_user");
  g_autoptr(SluiceLivyEngine) bad = engine_for (f->server->base_url, "basic", "ana", "nope", NULL);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", "done");
  g_autoptr(SluiceRun) refused = pyspark_test_project_run (f->project, "sales", "done");
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) set = NULL;
  g_autoptr(JsonArray) requests = NULL;

  set = remote_test_server_control (f->server, "POST", "/__state", "{\"user\": \"ana\", \"password\": \"s3cret\"}");
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (good), run, NULL, 30000, &error));
  g_assert_no_error (error);
  requests = remote_test_server_requests (f->server);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      if (g_str_equal (json_object_get_string_member (r, "path"), "/sessions") &&
          g_str_equal (json_object_get_string_member (r, "method"), "POST"))
        g_assert_cmpstr (json_object_get_string_member (json_object_get_object_member (r, "body"), "proxyUser"), ==,
                         "etl_user");
    }

  g_assert_false (pyspark_test_run (SLUICE_ENGINE (bad), refused, NULL, 30000, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_null (strstr (error->message, "nope"));
}

/* ---- Faults ---- */

static void
assert_run_survives (Fixture    *f,
                     const char *fault)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonNode) left = NULL;

  remote_test_server_add_faults (f->server, fault);
  g_assert_true (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 60000, &error));
  g_assert_no_error (error);
  pyspark_test_assert_sales (run);
  left = remote_test_server_control (f->server, "POST", "/__faults", "[]");
  g_assert_cmpint (json_object_get_int_member (json_node_get_object (left), "faults"), ==, 0);
  g_assert_cmpuint (n_sessions (f), ==, 1);
}

static void
test_fault_429_retry_after (Fixture       *f,
                            gconstpointer  data)
{
  gint64 t0 = g_get_monotonic_time ();

  assert_run_survives (f, "{\"method\": \"GET\", \"path\": \"statements/\", \"action\": \"status\", \"status\": 429,"
                          " \"headers\": {\"Retry-After\": \"1\"}, \"body\": {\"msg\": \"Too many requests\"}}");
  g_assert_cmpint (g_get_monotonic_time () - t0, >=, G_USEC_PER_SEC);
}

static void
test_fault_503 (Fixture       *f,
                gconstpointer  data)
{
  assert_run_survives (f, "{\"method\": \"GET\", \"path\": \"^/sessions/0$\", \"action\": \"status\", \"status\": 503,"
                          " \"body\": {\"msg\": \"Service Unavailable\"}}");
}

static void
test_fault_500_on_a_poll (Fixture       *f,
                          gconstpointer  data)
{
  assert_run_survives (f, "{\"method\": \"GET\", \"path\": \"statements/\", \"action\": \"status\", \"status\": 500,"
                          " \"body\": {\"msg\": \"java.lang.NullPointerException\"}}");
}

static void
test_fault_reset_mid_body (Fixture       *f,
                           gconstpointer  data)
{
  assert_run_survives (f, "{\"method\": \"GET\", \"path\": \"statements/\", \"action\": \"reset_mid_body\"}");
}

static void
test_fault_truncated_json (Fixture       *f,
                           gconstpointer  data)
{
  assert_run_survives (f, "{\"method\": \"GET\", \"path\": \"statements/\", \"action\": \"truncate\"}");
}

static void
test_fault_html_page (Fixture       *f,
                      gconstpointer  data)
{
  assert_run_survives (f, "{\"method\": \"GET\", \"path\": \"^/sessions/0$\", \"action\": \"html\", \"status\": 502}");
}

static void
test_fault_slow_headers (Fixture       *f,
                         gconstpointer  data)
{
  assert_run_survives (f, "{\"method\": \"GET\", \"path\": \"statements/\", \"action\": \"delay\", \"seconds\": 4}");
}

static void
test_fault_500_on_a_statement_fails_the_run (Fixture       *f,
                                             gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;

  /* A session that is not ready answers 500 IllegalStateException. */
  remote_test_server_add_faults (f->server, "{\"method\": \"POST\", \"path\": \"statements$\", \"action\": \"status\","
                                            " \"status\": 500, \"body\": {\"msg\": \"java.lang.IllegalStateException:"
                                            " Session is in state starting\"}}");
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_SERVER);
  g_assert_nonnull (strstr (error->message, "Session is in state starting"));
}

static void
test_fault_refused_connection (Fixture       *f,
                               gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = NULL;
  g_autoptr(SluiceRun) run = pyspark_test_project_run (f->project, "sales", NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *url = remote_test_refused_url ();

  engine = engine_for (url, "none", NULL, NULL, NULL);
  sluice_http_client_set_retry_budget (sluice_livy_engine_get_http_client (engine), 1);
  g_assert_false (pyspark_test_run (SLUICE_ENGINE (engine), run, NULL, 30000, &error));
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
}

static void
test_connection_checks_it_is_livy (Fixture       *f,
                                   gconstpointer  data)
{
  g_autoptr(SluiceLivyEngine) engine = engine_new (f);
  g_autoptr(GError) error = NULL;

  g_assert_true (remote_test_connection (SLUICE_ENGINE (engine), &error));
  g_assert_no_error (error);

  remote_test_server_add_faults (f->server, "{\"path\": \"^/sessions$\", \"action\": \"status\", \"status\": 200,"
                                            " \"body\": {\"hello\": \"not livy\"}}");
  g_assert_false (remote_test_connection (SLUICE_ENGINE (engine), &error));
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "not as Livy does"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

#define ADD(path, fn) g_test_add ("/sluice/remote/livy/" path, Fixture, NULL, fixture_set_up, fn, \
                                        pyspark_test_fixture_tear_down)
  ADD ("run-fills-results-and-reuses-the-session", test_run_fills_results_and_reuses_the_session);
  ADD ("dead-session-quotes-its-log", test_dead_session_quotes_its_log);
  ADD ("statement-error-goes-to-its-gem", test_statement_error_goes_to_its_gem);
  ADD ("raising-gem-fails-with-its-error", test_raising_gem_fails_with_its_error);
  ADD ("cancel-stops-the-running-statement", test_cancel_stops_the_running_statement);
  ADD ("ambiguous-create-adopts-the-session", test_ambiguous_create_adopts_the_session);
  ADD ("ambiguous-create-that-never-arrived-creates", test_ambiguous_create_that_never_arrived_creates);
  ADD ("ambiguous-statement-is-not-sent-twice", test_ambiguous_statement_is_not_sent_twice);
  ADD ("forgotten-session-is-replaced", test_forgotten_session_is_replaced);
  ADD ("window-stays-responsive-on-a-slow-service", test_window_stays_responsive_on_a_slow_service);
  ADD ("basic-auth-and-proxy-user", test_basic_auth_and_proxy_user);
  ADD ("test-connection-checks-it-is-livy", test_connection_checks_it_is_livy);
  ADD ("fault/429-retry-after", test_fault_429_retry_after);
  ADD ("fault/503", test_fault_503);
  ADD ("fault/500-on-a-poll", test_fault_500_on_a_poll);
  ADD ("fault/reset-mid-body", test_fault_reset_mid_body);
  ADD ("fault/truncated-json", test_fault_truncated_json);
  ADD ("fault/html-page", test_fault_html_page);
  ADD ("fault/slow-headers", test_fault_slow_headers);
  ADD ("fault/500-on-a-statement-fails-the-run", test_fault_500_on_a_statement_fails_the_run);
  ADD ("fault/refused-connection", test_fault_refused_connection);
#undef ADD
  return g_test_run ();
}
