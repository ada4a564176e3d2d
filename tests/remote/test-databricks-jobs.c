/* Deploying and running a project's job on a stand-in Databricks workspace
 * (tests/servers/databricks-jobs-server.py): uploads, the plan, apply,
 * run now, the runs list, lost answers and the fault matrix. */
#include "config.h"

#include <string.h>

#include "remote-test-util.h"
#include "sluice-core.h"
#include "sluice-databricks-jobs.h"
#include "sluice-engine-error.h"
#include "sluice-fabric.h"
#include "sluice-job-request.h"

#define TOKEN "dapi-test"
#define FIRST_ID (G_GINT64_CONSTANT (9007199254740992) + 1000)

typedef struct
{
  RemoteTestServer     *server;
  SluiceFabric         *fabric;
  SluiceHttpClient     *client;
  SluiceDatabricksJobs *jobs;
  SluiceProject        *project;
  char                 *dir;
} Fixture;

static void
copy_example (const char *dest)
{
  g_autofree char *src = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "examples", "retail", NULL);
  g_autofree char *from = g_strconcat (src, "/.", NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) cp = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "cp", "-R", from, dest, NULL);

  g_assert_no_error (error);
  g_assert_true (g_subprocess_wait_check (cp, NULL, &error));
  g_assert_no_error (error);
}

static SluiceHttpClient *
new_client (const char *base_url,
            guint       budget)
{
  g_autoptr(GError) error = NULL;
  SluiceHttpClient *client = sluice_http_client_new ("Databricks test", base_url, &error);

  g_assert_no_error (error);
  sluice_http_client_set_timeout (client, 2);
  sluice_http_client_set_retry_budget (client, budget);
  return client;
}

static void
fixture_set_up (Fixture       *f,
                gconstpointer  data)
{
  g_autoptr(GFile) dir = NULL;
  g_autoptr(GError) error = NULL;

  f->server = remote_test_server_start ("databricks-jobs-server.py", NULL);
  f->fabric = sluice_fabric_new (SLUICE_FABRIC_DATABRICKS, "Databricks test");
  sluice_fabric_set_setting (f->fabric, "url", f->server->base_url);
  f->client = new_client (f->server->base_url, 10);
  f->jobs = sluice_databricks_jobs_new (f->fabric, TOKEN, f->client);
  f->dir = g_dir_make_tmp ("sluice-jobs-XXXXXX", &error);
  g_assert_no_error (error);
  copy_example (f->dir);
  dir = g_file_new_for_path (f->dir);
  f->project = sluice_project_load (dir, NULL, &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture       *f,
                   gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(GSubprocess) rm = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, "rm", "-rf", f->dir, NULL);

  g_assert_no_error (error);
  g_subprocess_wait (rm, NULL, NULL);
  g_clear_object (&f->project);
  g_assert_finalize_object (g_steal_pointer (&f->jobs));
  g_clear_object (&f->client);
  g_clear_object (&f->fabric);
  g_clear_pointer (&f->server, remote_test_server_stop);
  g_free (f->dir);
}

/* A control call whose answer is not needed. */
static void
control (Fixture    *f,
         const char *method,
         const char *path,
         const char *json)
{
  g_autoptr(JsonNode) answer = remote_test_server_control (f->server, method, path, json);

  g_assert_nonnull (answer);
}

/* ---- running the async calls ---- */

typedef struct
{
  gboolean       done;
  GAsyncResult  *result;
} Wait;

static void
wait_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      user_data)
{
  Wait *w = user_data;

  w->result = g_object_ref (result);
  w->done = TRUE;
}

static SluiceJobPlan *
deploy (Fixture    *f,
        const char *job_name,
        GError    **error)
{
  Wait w = { 0 };
  SluiceJobPlan *plan;

  sluice_databricks_jobs_deploy_async (f->jobs, f->project, sluice_project_find_job (f->project, job_name),
                                       NULL, wait_cb, &w);
  remote_test_wait (&w.done, 60000);
  plan = sluice_databricks_jobs_deploy_finish (f->jobs, w.result, error);
  g_object_unref (w.result);
  return plan;
}

static gint64
apply (Fixture       *f,
       SluiceJobPlan *plan,
       GError       **error)
{
  Wait w = { 0 };
  gint64 id;

  sluice_databricks_jobs_apply_async (f->jobs, plan, NULL, wait_cb, &w);
  remote_test_wait (&w.done, 60000);
  id = sluice_databricks_jobs_apply_finish (f->jobs, w.result, error);
  g_object_unref (w.result);
  return id;
}

static gint64
run_now (Fixture    *f,
         gint64      job_id,
         const char *token,
         GError    **error)
{
  Wait w = { 0 };
  gint64 id;

  sluice_databricks_jobs_run_now_async (f->jobs, job_id, token, NULL, wait_cb, &w);
  remote_test_wait (&w.done, 60000);
  id = sluice_databricks_jobs_run_now_finish (f->jobs, w.result, error);
  g_object_unref (w.result);
  return id;
}

static GListModel *
list_runs (Fixture *f,
           gint64   job_id,
           GError **error)
{
  Wait w = { 0 };
  GListModel *runs;

  sluice_databricks_jobs_list_runs_async (f->jobs, job_id, NULL, wait_cb, &w);
  remote_test_wait (&w.done, 60000);
  runs = sluice_databricks_jobs_list_runs_finish (f->jobs, w.result, error);
  g_object_unref (w.result);
  return runs;
}

/* Deploys and applies nightly_refresh: the job's id. */
static gint64
create_job (Fixture *f)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJobPlan) plan = deploy (f, "nightly_refresh", &error);
  gint64 id;

  g_assert_no_error (error);
  g_assert_cmpint (plan->action, ==, SLUICE_JOB_PLAN_CREATE);
  id = apply (f, plan, &error);
  g_assert_no_error (error);
  return id;
}

static JsonObject *
state_member (JsonNode   *state,
              const char *member)
{
  JsonObject *root = json_node_get_object (state);

  return json_object_has_member (root, member) ? json_object_get_object_member (root, member) : NULL;
}

static guint
n_server_items (Fixture    *f,
                const char *member)
{
  g_autoptr(JsonNode) state = remote_test_server_control (f->server, "GET", "/__state", NULL);
  JsonObject *o = state_member (state, member);

  return o ? json_object_get_size (o) : 0;
}

static void
save_job (Fixture *f,
          SluiceJob *job)
{
  g_autoptr(GBytes) bytes = sluice_job_to_bytes (job);
  g_autofree char *path = g_build_filename (f->dir, sluice_job_get_file (job), NULL);

  g_assert_true (g_file_set_contents (path, g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes), NULL));
}

/* ---- the tests ---- */

static void
test_deploy_creates_then_unchanged_then_updates (Fixture       *f,
                                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJobPlan) again = NULL;
  g_autoptr(SluiceJobPlan) edited = NULL;
  g_autoptr(SluiceJobPlan) after = NULL;
  SluiceJob *job = sluice_project_find_job (f->project, "nightly_refresh");
  gint64 id, updated;
  g_autofree char *joined = NULL;

  id = create_job (f);
  /* Ids pass 2^53: read as 64-bit integers, exactly. */
  g_assert_cmpint (id, >, FIRST_ID);
  g_assert_cmpint (id % 2, ==, id & 1);
  g_assert_cmpuint (n_server_items (f, "jobs"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2.1/jobs/create$"), ==, 1);

  again = deploy (f, "nightly_refresh", &error);
  g_assert_no_error (error);
  g_assert_cmpint (again->action, ==, SLUICE_JOB_PLAN_UNCHANGED);
  g_assert_cmpint (again->job_id, ==, id);
  g_assert_cmpuint (g_strv_length (again->changed), ==, 0);
  g_assert_cmpint (apply (f, again, &error), ==, id);
  g_assert_no_error (error);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2.1/jobs/(create|reset)$"), ==, 1);

  /* An edit: the plan names the fields it changes. */
  sluice_job_set_cron (job, "0 30 6 ? * MON-FRI");
  sluice_job_set_max_retries (job, 0);
  save_job (f, job);
  edited = deploy (f, "nightly_refresh", &error);
  g_assert_no_error (error);
  g_assert_cmpint (edited->action, ==, SLUICE_JOB_PLAN_UPDATE);
  g_assert_cmpint (edited->job_id, ==, id);
  joined = g_strjoinv (",", edited->changed);
  g_assert_cmpstr (joined, ==, "schedule,tasks");
  updated = apply (f, edited, &error);
  g_assert_no_error (error);
  g_assert_cmpint (updated, ==, id);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2.1/jobs/reset$"), ==, 1);
  g_assert_cmpuint (n_server_items (f, "jobs"), ==, 1);

  after = deploy (f, "nightly_refresh", &error);
  g_assert_no_error (error);
  g_assert_cmpint (after->action, ==, SLUICE_JOB_PLAN_UNCHANGED);
  {
    g_autoptr(JsonNode) state = remote_test_server_control (f->server, "GET", "/__state", NULL);
    g_autofree char *key = g_strdup_printf ("%" G_GINT64_FORMAT, id);
    JsonObject *server_job = json_object_get_object_member (state_member (state, "jobs"), key);
    JsonObject *settings = json_object_get_object_member (server_job, "settings");
    JsonObject *schedule = json_object_get_object_member (settings, "schedule");

    g_assert_cmpstr (json_object_get_string_member (schedule, "quartz_cron_expression"), ==, "0 30 6 ? * MON-FRI");
    g_assert_cmpint (json_object_get_int_member (settings, "max_concurrent_runs"), ==, 1);
  }
}

static void
test_uploads_are_byte_identical (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJobPlan) plan = deploy (f, "nightly_refresh", &error);
  g_autoptr(JsonNode) state = NULL;
  g_autoptr(JsonArray) requests = NULL;
  const char * const *pipelines = sluice_job_get_pipelines (sluice_project_find_job (f->project, "nightly_refresh"));
  JsonObject *objects;
  guint n_files = 0;

  g_assert_no_error (error);
  g_assert_cmpstr (plan->folder, ==, "/Shared/sluice/retail_analytics");
  state = remote_test_server_control (f->server, "GET", "/__state", NULL);
  objects = state_member (state, "objects");
  for (guint i = 0; pipelines[i]; i++)
    {
      g_autofree char *package = g_build_filename (f->dir, "code", "pyspark", pipelines[i], NULL);
      g_autoptr(GSubprocess) find = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "find", package,
                                                      "-type", "f", NULL);
      g_autofree char *out = NULL;
      g_auto(GStrv) files = NULL;

      g_assert_no_error (error);
      g_assert_true (g_subprocess_communicate_utf8 (find, NULL, NULL, &out, NULL, &error));
      files = g_strsplit (g_strstrip (out), "\n", -1);
      for (guint j = 0; files[j]; j++)
        {
          const char *rel = files[j] + strlen (f->dir) + strlen ("/code/pyspark/");
          g_autofree char *remote = g_strdup_printf ("%s/%s", plan->folder, rel);
          g_autofree char *local = NULL;
          g_autofree guchar *uploaded = NULL;
          gsize local_len = 0, uploaded_len = 0;
          JsonObject *object;

          g_assert_true (json_object_has_member (objects, remote));
          object = json_object_get_object_member (objects, remote);
          g_assert_cmpstr (json_object_get_string_member (object, "object_type"), ==, "FILE");
          g_assert_true (g_file_get_contents (files[j], &local, &local_len, NULL));
          uploaded = g_base64_decode (json_object_get_string_member (object, "content"), &uploaded_len);
          g_assert_cmpmem (uploaded, uploaded_len, local, local_len);
          n_files++;
        }
    }
  g_assert_cmpuint (n_files, >, 3);
  g_assert_cmpuint (plan->n_uploaded, ==, n_files);

  /* Every import: AUTO, overwriting; the folders made first. */
  requests = remote_test_server_requests (f->server);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      JsonObject *body;

      if (!g_str_equal (json_object_get_string_member (r, "path"), "/api/2.0/workspace/import"))
        continue;
      body = json_object_get_object_member (r, "body");
      g_assert_cmpstr (json_object_get_string_member (body, "format"), ==, "AUTO");
      g_assert_true (json_object_get_boolean_member (body, "overwrite"));
      g_assert_nonnull (strstr (json_object_get_string_member (json_object_get_object_member (r, "headers"),
                                                               "Authorization"), TOKEN));
    }
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2.0/workspace/import$"), ==, n_files);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2.0/workspace/mkdirs$"), >=, 3);
}

/* Always ready, above G_PRIORITY_LOW: a main loop like a GTK window's
 * that redraws slower than its frame clock asks (a spinner, under ASan). */
static gboolean
busy_cb (gpointer data)
{
  g_usleep (200);
  return G_SOURCE_CONTINUE;
}

static void
test_deploy_on_a_busy_main_loop (Fixture       *f,
                                 gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJobPlan) plan = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autoptr(GHashTable) dirs = g_hash_table_new (g_str_hash, g_str_equal);
  guint busy = g_idle_add_full (G_PRIORITY_HIGH_IDLE + 20, busy_cb, NULL, NULL);
  guint n_mkdirs = 0;
  gint64 start = g_get_monotonic_time ();

  /* 9 folders and 20-odd files: more requests than the 8 connections the
   * client's session keeps to a host. Each must hand its connection back
   * as it ends, not once the loop has nothing better to do. */
  plan = deploy (f, "nightly_refresh", &error);
  g_source_remove (busy);
  g_assert_no_error (error);
  g_assert_cmpint (plan->action, ==, SLUICE_JOB_PLAN_CREATE);
  g_assert_cmpint ((g_get_monotonic_time () - start) / G_USEC_PER_SEC, <, 30);

  /* Every folder made once, every file imported once: nothing re-sent. */
  requests = remote_test_server_requests (f->server);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      const char *path = json_object_get_string_member (r, "path");

      if (g_str_equal (path, "/api/2.0/workspace/mkdirs"))
        {
          const char *dir = json_object_get_string_member (json_object_get_object_member (r, "body"), "path");

          g_assert_false (g_hash_table_contains (dirs, dir));
          g_hash_table_add (dirs, (gpointer) dir);
          n_mkdirs++;
        }
    }
  g_assert_cmpuint (n_mkdirs, >, 8);
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2.0/workspace/import$"), ==,
                    plan->n_uploaded);
  g_assert_cmpuint (n_mkdirs + plan->n_uploaded, >, 8);
}

static void
test_lost_create_answer_makes_one_job (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJobPlan) plan = deploy (f, "nightly_refresh", &error);
  g_autoptr(JsonNode) state = NULL;
  g_autofree char *key = NULL;
  gint64 id;

  g_assert_no_error (error);
  remote_test_server_add_faults (f->server, "{\"method\": \"POST\", \"path\": \"/jobs/create$\", "
                                            "\"action\": \"drop_response\"}");
  id = apply (f, plan, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (n_server_items (f, "jobs"), ==, 1);
  state = remote_test_server_control (f->server, "GET", "/__state", NULL);
  key = g_strdup_printf ("%" G_GINT64_FORMAT, id);
  g_assert_true (json_object_has_member (state_member (state, "jobs"), key));
  /* The create was sent once: the second look was jobs/list, by the tag. */
  g_assert_cmpuint (remote_test_server_count (f->server, "POST", "^/api/2.1/jobs/create$"), ==, 1);
  g_assert_cmpuint (remote_test_server_count (f->server, "GET", "^/api/2.1/jobs/list$"), >=, 2);
}

static void
test_lost_create_before_it_happened_creates_once (Fixture       *f,
                                                  gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJobPlan) plan = deploy (f, "nightly_refresh", &error);
  gint64 id;

  g_assert_no_error (error);
  /* Reset before the handler ran: nothing was created, so create again. */
  remote_test_server_add_faults (f->server, "{\"method\": \"POST\", \"path\": \"/jobs/create$\", \"action\": \"reset\"}");
  id = apply (f, plan, &error);
  g_assert_no_error (error);
  g_assert_cmpint (id, >, FIRST_ID);
  g_assert_cmpuint (n_server_items (f, "jobs"), ==, 1);
}

static void
test_lost_run_now_answer_makes_one_run (Fixture       *f,
                                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(JsonArray) requests = NULL;
  g_autofree char *token = g_uuid_string_random ();
  gint64 job_id = create_job (f);
  gint64 run_id;
  guint sent = 0;

  remote_test_server_add_faults (f->server, "{\"method\": \"POST\", \"path\": \"/jobs/run-now$\", "
                                            "\"action\": \"drop_response\"}");
  run_id = run_now (f, job_id, token, &error);
  g_assert_no_error (error);
  g_assert_cmpint (run_id, >, job_id);
  g_assert_cmpuint (n_server_items (f, "runs"), ==, 1);
  requests = remote_test_server_requests (f->server);
  for (guint i = 0; i < json_array_get_length (requests); i++)
    {
      JsonObject *r = json_array_get_object_element (requests, i);
      if (g_str_equal (json_object_get_string_member (r, "path"), "/api/2.1/jobs/run-now"))
        {
          JsonObject *body = json_object_get_object_member (r, "body");
          g_assert_cmpstr (json_object_get_string_member (body, "idempotency_token"), ==, token);
          g_assert_cmpint (json_object_get_int_member (body, "job_id"), ==, job_id);
          sent++;
        }
    }
  g_assert_cmpuint (sent, ==, 2);

  /* The same click's token once more: still the same run. */
  g_assert_cmpint (run_now (f, job_id, token, &error), ==, run_id);
  g_assert_cmpuint (n_server_items (f, "runs"), ==, 1);
}

static void
test_runs_list_shows_states (Fixture       *f,
                             gconstpointer  data)
{
  static const char * const states[] = { "PENDING", "RUNNING", "TERMINATING", "TERMINATED" };
  g_autoptr(GError) error = NULL;
  g_autofree char *token = g_uuid_string_random ();
  g_autofree char *second = g_uuid_string_random ();
  gint64 job_id = create_job (f);
  gint64 run_id = run_now (f, job_id, token, &error);
  gint64 second_id;

  g_assert_no_error (error);
  /* Each listing advances the stand-in's run by one state. */
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr(GListModel) runs = list_runs (f, job_id, &error);
      g_autoptr(SluiceJobRun) run = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 1);
      run = g_list_model_get_item (runs, 0);
      g_assert_cmpint (sluice_job_run_get_id (run), ==, run_id);
      g_assert_cmpstr (sluice_job_run_get_life_cycle_state (run), ==, states[i]);
      g_assert_cmpstr (sluice_job_run_get_trigger (run), ==, "ONE_TIME");
      g_assert_cmpint (sluice_job_run_get_start_time (run), >, 0);
      if (i + 1 < G_N_ELEMENTS (states))
        {
          g_assert_true (sluice_job_run_is_active (run));
          g_assert_null (sluice_job_run_get_result_state (run));
        }
      else
        {
          g_assert_false (sluice_job_run_is_active (run));
          g_assert_cmpstr (sluice_job_run_get_result_state (run), ==, "SUCCESS");
          g_assert_cmpint (sluice_job_run_get_duration (run), ==, 6000);
        }
    }

  /* A failing run, newest first, with the workspace's message. */
  control (f, "POST", "/__state", "{\"fail_runs\": true}");
  second_id = run_now (f, job_id, second, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (states); i++)
    {
      g_autoptr(GListModel) runs = list_runs (f, job_id, &error);
      g_autoptr(SluiceJobRun) newest = NULL;

      g_assert_no_error (error);
      g_assert_cmpuint (g_list_model_get_n_items (runs), ==, 2);
      newest = g_list_model_get_item (runs, 0);
      g_assert_cmpint (sluice_job_run_get_id (newest), ==, second_id);
      if (i + 1 == G_N_ELEMENTS (states))
        {
          g_assert_cmpstr (sluice_job_run_get_result_state (newest), ==, "FAILED");
          g_assert_nonnull (strstr (sluice_job_run_get_state_message (newest), "Task orders_enriched failed"));
        }
    }
}

static void
test_job_that_cannot_deploy_sends_nothing (Fixture       *f,
                                           gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceJobPlan) plan = NULL;
  SluiceJob *job = sluice_project_find_job (f->project, "nightly_refresh");

  sluice_job_set_node_type (job, NULL);
  plan = deploy (f, "nightly_refresh", &error);
  g_assert_null (plan);
  g_assert_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE);
  g_assert_nonnull (strstr (error->message, "jobs/nightly_refresh.json"));
  g_assert_nonnull (strstr (error->message, "node type"));
  {
    g_autoptr(JsonArray) requests = remote_test_server_requests (f->server);
    g_assert_cmpuint (json_array_get_length (requests), ==, 0);
  }
}

static void
test_wrong_token_is_one_sentence (Fixture       *f,
                                  gconstpointer  data)
{
  g_autoptr(SluiceHttpClient) client = new_client (f->server->base_url, 5);
  g_autoptr(SluiceDatabricksJobs) jobs = sluice_databricks_jobs_new (f->fabric, "dapi-wrong", client);
  g_autoptr(GError) error = NULL;
  Wait w = { 0 };
  gint64 id;

  sluice_databricks_jobs_find_async (jobs, "retail_analytics/nightly_refresh", "x", NULL, wait_cb, &w);
  remote_test_wait (&w.done, 60000);
  id = sluice_databricks_jobs_find_finish (jobs, w.result, &error);
  g_object_unref (w.result);
  g_assert_cmpint (id, ==, 0);
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "Databricks test"));
  g_assert_nonnull (strstr (error->message, "Invalid access token"));
  g_assert_null (strstr (error->message, "dapi-wrong"));
}

/* ---- the fault matrix ---- */

/* ANY: the client may retry (the fault fires once) or give up; either
 * way with the right error and never a second run. */
typedef enum { RETRIED, FAILS, ANY } Outcome;

typedef struct
{
  const char *name;
  const char *fault;        /* %s: the method, %s: the path regex */
  Outcome     get_outcome;  /* on jobs/list (find) and workspace/import */
  Outcome     run_outcome;  /* on run-now (idempotent) */
  int         code;         /* SluiceHttpError when it fails */
} Fault;

static const Fault faults[] = {
  { "429", "{\"method\": \"%s\", \"path\": \"%s\", \"action\": \"status\", \"status\": 429, "
           "\"headers\": {\"Retry-After\": \"1\"}, \"body\": {\"error_code\": \"TOO_MANY_REQUESTS\", "
           "\"message\": \"errorMessage\"}}", RETRIED, RETRIED, 0 },
  { "503", "{\"method\": \"%s\", \"path\": \"%s\", \"action\": \"status\", \"status\": 503, "
           "\"body\": {\"error_code\": \"TEMPORARILY_UNAVAILABLE\", \"message\": \"Service temporarily unavailable\"}}",
    RETRIED, RETRIED, 0 },
  { "500", "{\"method\": \"%s\", \"path\": \"%s\", \"action\": \"status\", \"status\": 500, "
           "\"body\": {\"error_code\": \"INTERNAL_ERROR\", \"message\": \"Something broke\"}}",
    FAILS, FAILS, SLUICE_HTTP_ERROR_SERVER },
  { "401", "{\"method\": \"%s\", \"path\": \"%s\", \"action\": \"status\", \"status\": 401, "
           "\"body\": {\"error_code\": 401, \"message\": \"Credential was not sent or was of an unsupported type "
           "for this API.\"}}", FAILS, FAILS, SLUICE_HTTP_ERROR_UNAUTHORIZED },
  { "reset-mid-body", "{\"method\": \"%s\", \"path\": \"%s\", \"action\": \"reset_mid_body\"}",
    RETRIED, RETRIED, 0 },
  { "truncated", "{\"method\": \"%s\", \"path\": \"%s\", \"action\": \"truncate\"}",
    FAILS, FAILS, SLUICE_HTTP_ERROR_BAD_RESPONSE },
  { "html", "{\"method\": \"%s\", \"path\": \"%s\", \"action\": \"html\", \"status\": 502, "
            "\"message\": \"Bad Gateway\"}", FAILS, FAILS, SLUICE_HTTP_ERROR_SERVER },
  { "slow-headers", "{\"method\": \"%s\", \"path\": \"%s\", \"action\": \"delay\", \"seconds\": 4}",
    ANY, ANY, SLUICE_HTTP_ERROR_TIMEOUT },
};

static void
check_outcome (const Fault *fault,
               Outcome      outcome,
               GError      *error,
               const char  *what)
{
  if (g_test_verbose ())
    g_test_message ("%s on %s: %s", fault->name, what, error ? error->message : "ok");
  if (outcome == RETRIED || (outcome == ANY && error == NULL))
    {
      g_assert_no_error (error);
      return;
    }
  g_assert_nonnull (error);
  /* A truncated run-now answer may have started the run: the client says
   * so rather than guess. */
  if (!(fault->code == SLUICE_HTTP_ERROR_BAD_RESPONSE && g_error_matches (error, SLUICE_HTTP_ERROR,
                                                                          SLUICE_HTTP_ERROR_AMBIGUOUS)))
    g_assert_error (error, SLUICE_HTTP_ERROR, fault->code);
  g_assert_nonnull (strstr (error->message, "Databricks test"));
  g_assert_null (strchr (error->message, '\n'));
}

static void
test_fault_matrix (Fixture       *f,
                   gconstpointer  data)
{
  gint64 job_id = create_job (f);

  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      const Fault *fault = &faults[i];
      g_autoptr(GError) error = NULL;
      g_autofree char *on_list = g_strdup_printf (fault->fault, "GET", "/api/2.1/jobs/list$");
      g_autofree char *on_import = g_strdup_printf (fault->fault, "POST", "/workspace/import$");
      g_autofree char *on_run = g_strdup_printf (fault->fault, "POST", "/jobs/run-now$");
      g_autofree char *token = g_uuid_string_random ();
      g_autoptr(SluiceJobPlan) plan = NULL;
      guint runs_before = n_server_items (f, "runs");
      gint64 run_id;

      control (f, "DELETE", "/__requests", NULL);
      remote_test_server_add_faults (f->server, on_import);
      plan = deploy (f, "nightly_refresh", &error);
      check_outcome (fault, fault->get_outcome, error, "workspace/import");
      if (plan)
        g_assert_cmpint (plan->action, ==, SLUICE_JOB_PLAN_UNCHANGED);
      g_clear_error (&error);
      g_clear_pointer (&plan, sluice_job_plan_free);
      control (f, "DELETE", "/__faults", NULL);

      remote_test_server_add_faults (f->server, on_list);
      plan = deploy (f, "nightly_refresh", &error);
      check_outcome (fault, fault->get_outcome, error, "jobs/list");
      if (plan)
        g_assert_cmpint (plan->job_id, ==, job_id);
      g_clear_error (&error);
      control (f, "DELETE", "/__faults", NULL);

      remote_test_server_add_faults (f->server, on_run);
      run_id = run_now (f, job_id, token, &error);
      check_outcome (fault, fault->run_outcome, error, "jobs/run-now");
      control (f, "DELETE", "/__faults", NULL);
      if (fault->run_outcome == RETRIED || (fault->run_outcome == ANY && run_id > 0))
        {
          g_assert_cmpint (run_id, >, job_id);
          g_assert_cmpuint (n_server_items (f, "runs"), ==, runs_before + 1);
        }
      else
        {
          /* Never two runs for one click, whatever happened. */
          g_assert_cmpuint (n_server_items (f, "runs"), <=, runs_before + 1);
        }
    }
  g_assert_cmpuint (n_server_items (f, "jobs"), ==, 1);
}

static void
test_refused_connection (Fixture       *f,
                         gconstpointer  data)
{
  g_autoptr(SluiceHttpClient) client = NULL;
  g_autoptr(SluiceDatabricksJobs) jobs = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = g_strdup (f->server->base_url);
  Wait w = { 0 };

  /* Nothing listens there any more. */
  g_clear_pointer (&f->server, remote_test_server_stop);
  f->server = remote_test_server_start ("databricks-jobs-server.py", NULL);
  client = new_client (url, 2);
  jobs = sluice_databricks_jobs_new (f->fabric, TOKEN, client);
  sluice_databricks_jobs_list_runs_async (jobs, 42, NULL, wait_cb, &w);
  remote_test_wait (&w.done, 60000);
  g_assert_null (sluice_databricks_jobs_list_runs_finish (jobs, w.result, &error));
  g_object_unref (w.result);
  g_assert_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_UNAVAILABLE);
  g_assert_nonnull (strstr (error->message, "Databricks test"));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);
#define ADD(path, fn) g_test_add ("/sluice/remote/databricks-jobs/" path, Fixture, NULL, fixture_set_up, fn, \
                                  fixture_tear_down)
  ADD ("deploy-creates-then-unchanged-then-updates", test_deploy_creates_then_unchanged_then_updates);
  ADD ("uploads-are-byte-identical", test_uploads_are_byte_identical);
  ADD ("deploy-on-a-busy-main-loop", test_deploy_on_a_busy_main_loop);
  ADD ("lost-create-answer-makes-one-job", test_lost_create_answer_makes_one_job);
  ADD ("lost-create-before-it-happened-creates-once", test_lost_create_before_it_happened_creates_once);
  ADD ("lost-run-now-answer-makes-one-run", test_lost_run_now_answer_makes_one_run);
  ADD ("runs-list-shows-states", test_runs_list_shows_states);
  ADD ("job-that-cannot-deploy-sends-nothing", test_job_that_cannot_deploy_sends_nothing);
  ADD ("wrong-token-is-one-sentence", test_wrong_token_is_one_sentence);
  ADD ("fault-matrix", test_fault_matrix);
  ADD ("refused-connection", test_refused_connection);
#undef ADD
  return g_test_run ();
}
