#define G_LOG_DOMAIN "sluice-databricks-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-compute.h"
#include "sluice-databricks-engine.h"
#include "sluice-engine-error.h"
#include "sluice-pyspark-run.h"

/* A run, start to end (ENGINE-APIS.md §1.4–1.5):
 *
 *   clusters/get ──TERMINATED──▶ clusters/start ─┐
 *        ▲  └──PENDING, RESTARTING…──▶ wait ─────┘  (state and state_message
 *        │                                           in the run's message)
 *        └── RUNNING/RESIZING ──▶ contexts/create ──▶ contexts/status until Running
 *   ──▶ for the prelude, then each gem: commands/execute ──▶ commands/status until
 *       Finished (text: the gem's marker; error: the gem's diagnostic) ──▶ contexts/destroy
 *
 * One statement per gem rather than the whole program in one: the run
 * shows each gem finishing while later ones still run, a cancel stops
 * between gems or inside one, and an error result belongs to the gem whose
 * statement it answers, whatever the program printed before it.
 *
 * A "new cluster" fabric gets its cluster created on the first run, once
 * per engine (an idempotency token makes a retried create safe), reused by
 * every later run while the app runs, and terminated (clusters/delete)
 * when the engine goes: a cluster per run would take minutes each time. An
 * existing cluster is started when it is TERMINATED and left running (its
 * own auto-termination stops it). Contexts are made per run and destroyed
 * after it, whatever the outcome. */

struct _SluiceDatabricksEngine
{
  GObject           parent_instance;
  SluiceHttpClient *http;            /* owned, nullable */
  GError           *config_error;    /* owned, nullable: why no run can start */
  char             *fabric_name;     /* owned */
  char             *cluster_id;      /* owned, nullable */
  gboolean          create_cluster;  /* "new": created by this engine */
  JsonNode         *cluster_spec;    /* owned, nullable: the clusters/create body */
  guint             poll_first_ms;
  guint             poll_max_ms;
};

static void engine_iface_init (SluiceEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceDatabricksEngine, sluice_databricks_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SLUICE_TYPE_ENGINE, engine_iface_init))

/* TERMINATED answers tolerated in a row after our start. */
#define MAX_TRANSIENT 3

static const char *
str_member (JsonNode   *node,
            const char *name)
{
  return node && JSON_NODE_HOLDS_OBJECT (node)
         ? json_object_get_string_member_with_default (json_node_get_object (node), name, NULL) : NULL;
}

static gboolean
check_ready (SluiceDatabricksEngine  *self,
             GError                 **error)
{
  if (self->config_error)
    {
      g_propagate_error (error, g_error_copy (self->config_error));
      return FALSE;
    }
  return TRUE;
}

static char *
cluster_path (const char *endpoint,
              const char *cluster_id)
{
  g_autofree char *id = sluice_http_escape (cluster_id);
  return g_strdup_printf ("/api/2.1/clusters/%s?cluster_id=%s", endpoint, id);
}

/* ---- A run ---- */

typedef struct
{
  SluicePySparkJob          base;
  SluiceDatabricksEngine   *self;        /* borrowed: base.engine */
  char                     *cluster_name;/* owned, nullable */
  char                     *context_id;  /* owned, nullable */
  char                     *command_id;  /* owned, nullable: a command not yet terminal */
  guint                     stopped_polls;  /* TERMINATED after our start */
  gboolean                  start_sent;
} Job;

static void
job_clear (SluicePySparkJob *base)
{
  Job *job = (Job *) base;

  g_free (job->cluster_name);
  g_free (job->context_id);
  g_free (job->command_id);
}

static gboolean
job_in_flight (SluicePySparkJob *base)
{
  return ((Job *) base)->command_id != NULL;
}

static void
context_destroyed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SluiceHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  /* The cluster drops its contexts when it restarts: a leftover one is
   * not the run's failure. */
  if (response == NULL)
    g_debug ("contexts/destroy: %s", error->message);
  sluice_pyspark_job_complete (task);
}

/* Ends the run: destroys the context (never cancelled: it is the
 * cleanup). */
static void
job_finish (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(JsonNode) body = NULL;

  g_clear_pointer (&job->command_id, g_free);
  if (job->context_id == NULL)
    {
      sluice_pyspark_job_complete (task);
      return;
    }
  body = sluice_pyspark_json_object ("clusterId", job->self->cluster_id, "contextId", job->context_id, NULL);
  g_clear_pointer (&job->context_id, g_free);
  sluice_pyspark_job_request (task, "POST", "/api/1.2/contexts/destroy", body, SLUICE_HTTP_NONE, NULL, NULL,
                              context_destroyed_cb);
}

/* The cluster stops the command; polling goes on until Cancelled. */
static void
job_send_cancel (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(JsonNode) body = sluice_pyspark_json_object ("clusterId", job->self->cluster_id,
                                                         "contextId", job->context_id,
                                                         "commandId", job->command_id, NULL);

  sluice_pyspark_job_request (task, "POST", "/api/1.2/commands/cancel", body, SLUICE_HTTP_NO_RETRY, NULL, NULL,
                              sluice_pyspark_job_ignore_cb);
}

static const SluicePySparkJobClass job_class = {
  .in_flight = job_in_flight,
  .send_cancel = job_send_cancel,
  .finish = job_finish,
  .clear = job_clear,
};

static void get_cluster (GTask *task);
static void next_step (GTask *task);

/* ---- Commands ---- */

static void command_status (GTask *task);

static GError *
error_result (Job      *job,
              JsonNode *results)
{
  g_autofree char *summary = sluice_pyspark_strip_html (str_member (results, "summary"));
  const char *cause = str_member (results, "cause");
  const char *gem = sluice_pyspark_job_step_gem (&job->base);

  if (*summary == '\0' && cause)
    {
      /* The traceback's last line says what was raised. */
      g_autofree char *text = g_strstrip (g_strdup (cause));
      g_auto(GStrv) lines = g_strsplit (text, "\n", -1);
      guint n = g_strv_length (lines);
      g_free (summary);
      summary = g_strdup (n ? lines[n - 1] : "");
    }
  if (gem)
    return g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("gem “%s”: %s"), gem, summary);
  return g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                      _("%s: the cluster could not load the pipeline's code: %s"), job->self->fabric_name, summary);
}

static void
command_done (GTask    *task,
              JsonNode *body)
{
  Job *job = sluice_pyspark_job_of (task);
  JsonNode *results = JSON_NODE_HOLDS_OBJECT (body)
                      ? json_object_get_member (json_node_get_object (body), "results") : NULL;
  JsonNode *data = results && JSON_NODE_HOLDS_OBJECT (results)
                   ? json_object_get_member (json_node_get_object (results), "data") : NULL;
  const char *text = data && JSON_NODE_HOLDS_VALUE (data) && json_node_get_value_type (data) == G_TYPE_STRING
                     ? json_node_get_string (data) : NULL;

  g_clear_pointer (&job->command_id, g_free);
  sluice_pyspark_job_step_done (task, text,
                                g_strcmp0 (str_member (results, "resultType"), "error") == 0
                                ? error_result (job, results) : NULL,
                                next_step);
}

static void
command_status_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  const char *status;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_poll_failed (task, error, command_status);
      return;
    }
  job->base.transient = 0;
  status = str_member (response->body, "status");
  if (g_strcmp0 (status, "Finished") == 0)
    command_done (task, response->body);
  else if (g_strcmp0 (status, "Cancelled") == 0)
    sluice_pyspark_job_finish (task, sluice_pyspark_cancelled_error ());
  else if (g_strcmp0 (status, "Error") == 0)
    sluice_pyspark_job_step_done (task, NULL,
                                  error_result (job, json_object_get_member (json_node_get_object (response->body),
                                                                             "results")),
                                  next_step);
  else
    /* Queued, Running, Cancelling */
    sluice_pyspark_job_poll_again (task, command_status);
}

static void
command_status (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autofree char *cluster = sluice_http_escape (job->self->cluster_id);
  g_autofree char *context = sluice_http_escape (job->context_id);
  g_autofree char *command = sluice_http_escape (job->command_id);
  g_autofree char *path = g_strdup_printf ("/api/1.2/commands/status?clusterId=%s&contextId=%s&commandId=%s",
                                           cluster, context, command);

  /* Not the io cancellable: after a cancel the command is polled until
   * the cluster says Cancelled. */
  sluice_pyspark_job_request (task, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, NULL, command_status_cb);
}

static void
executed_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  const char *id;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_finish (task, error);
      return;
    }
  if ((id = str_member (response->body, "id")) == NULL)
    {
      sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                 _("%s: commands/execute answered without a command id"), job->self->fabric_name));
      return;
    }
  job->command_id = g_strdup (id);
  job->base.delay_ms = job->self->poll_first_ms;
  /* Cancelled while the command was being sent. */
  if (job->base.cancelling)
    job_send_cancel (task);
  sluice_pyspark_job_sleep_then (task, command_status);
}

static void
next_step (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(JsonNode) body = NULL;
  const char *gem = NULL;
  const char *code = sluice_pyspark_job_next_code (task, &gem);

  if (code == NULL)
    return;
  if (gem)
    sluice_pyspark_job_set_message (&job->base, _("Running gem “%s” on cluster “%s”…"), gem, job->cluster_name);
  body = sluice_pyspark_json_object ("clusterId", job->self->cluster_id, "contextId", job->context_id,
                                     "language", "python", "command", code, NULL);
  sluice_pyspark_job_request (task, "POST", "/api/1.2/commands/execute", body, SLUICE_HTTP_CREATES, NULL,
                              job->base.io, executed_cb);
}

/* ---- The execution context ---- */

static void context_status (GTask *task);

static void
context_status_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  const char *status;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_poll_failed (task, error, context_status);
      return;
    }
  job->base.transient = 0;
  status = str_member (response->body, "status");
  if (g_strcmp0 (status, "Running") == 0)
    {
      /* The prelude first: step -1. */
      job->base.step = -2;
      next_step (task);
    }
  else if (g_strcmp0 (status, "Pending") == 0)
    sluice_pyspark_job_sleep_then (task, context_status);
  else
    sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s: the execution context on cluster “%s” failed to start (%s)"),
                               job->self->fabric_name, job->cluster_name, status ? status : "?"));
}

static void
context_status (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autofree char *cluster = sluice_http_escape (job->self->cluster_id);
  g_autofree char *context = sluice_http_escape (job->context_id);
  g_autofree char *path = g_strdup_printf ("/api/1.2/contexts/status?clusterId=%s&contextId=%s", cluster, context);

  sluice_pyspark_job_request (task, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, job->base.io, context_status_cb);
}

static void
context_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  const char *id;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_finish (task, error);
      return;
    }
  if ((id = str_member (response->body, "id")) == NULL)
    {
      sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                 _("%s: contexts/create answered without a context id"), job->self->fabric_name));
      return;
    }
  job->context_id = g_strdup (id);
  job->base.delay_ms = job->self->poll_first_ms;
  context_status (task);
}

static void
create_context (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(JsonNode) body = sluice_pyspark_json_object ("clusterId", job->self->cluster_id,
                                                         "language", "python", NULL);

  sluice_pyspark_job_set_message (&job->base, _("Creating an execution context on cluster “%s”…"), job->cluster_name);
  sluice_pyspark_job_request (task, "POST", "/api/1.2/contexts/create", body, SLUICE_HTTP_CREATES, NULL, job->base.io,
                              context_created_cb);
}

/* ---- The cluster ---- */

static void
cluster_started_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_finish (task, error);
      return;
    }
  /* 400 INVALID_STATE: someone else started it meanwhile; the wait goes on. */
  if (response->status == 400 && g_strcmp0 (str_member (response->body, "error_code"), "INVALID_STATE") != 0)
    {
      const char *message = str_member (response->body, "message");
      sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                 _("%s: cluster “%s” cannot be started: %s"), job->self->fabric_name,
                                 job->cluster_name, message ? message : _("the service refused")));
      return;
    }
  job->base.delay_ms = job->self->poll_first_ms;
  sluice_pyspark_job_sleep_then (task, get_cluster);
}

static void
got_cluster_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  const char *state, *state_message, *name;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_poll_failed (task, error, get_cluster);
      return;
    }
  job->base.transient = 0;
  state = str_member (response->body, "state");
  state_message = str_member (response->body, "state_message");
  name = str_member (response->body, "cluster_name");
  g_free (job->cluster_name);
  job->cluster_name = g_strdup (name && *name ? name : job->self->cluster_id);

  if (g_strcmp0 (state, "RUNNING") == 0 || g_strcmp0 (state, "RESIZING") == 0)
    create_context (task);
  else if (g_strcmp0 (state, "TERMINATED") == 0 && !job->start_sent)
    {
      static const guint accept[] = { 400, 0 };
      g_autoptr(JsonNode) body = sluice_pyspark_json_object ("cluster_id", job->self->cluster_id, NULL);

      job->start_sent = TRUE;
      sluice_pyspark_job_set_message (&job->base, _("Starting cluster “%s” (%s)…"), job->cluster_name, state);
      /* Starting twice is harmless (INVALID_STATE), so a retry is safe. */
      sluice_pyspark_job_request (task, "POST", "/api/2.1/clusters/start", body, SLUICE_HTTP_IDEMPOTENT, accept,
                                  job->base.io, cluster_started_cb);
    }
  else if (g_strcmp0 (state, "PENDING") == 0 || g_strcmp0 (state, "RESTARTING") == 0 ||
           g_strcmp0 (state, "TERMINATING") == 0 || g_strcmp0 (state, "TERMINATED") == 0)
    {
      /* TERMINATING: it is started once it has stopped. TERMINATED after
       * our start: the start may not show at once, but not for long. */
      if (g_strcmp0 (state, "TERMINATED") == 0 && ++job->stopped_polls > MAX_TRANSIENT)
        {
          sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                     _("%s: cluster “%s” stopped while starting: %s"), job->self->fabric_name,
                                     job->cluster_name, state_message && *state_message ? state_message : state));
          return;
        }
      if (g_strcmp0 (state, "TERMINATING") == 0)
        job->start_sent = FALSE;
      if (state_message && *state_message)
        sluice_pyspark_job_set_message (&job->base, _("Starting cluster “%s” (%s): %s…"), job->cluster_name, state,
                                        state_message);
      else
        sluice_pyspark_job_set_message (&job->base, _("Starting cluster “%s” (%s)…"), job->cluster_name, state);
      sluice_pyspark_job_sleep_then (task, get_cluster);
    }
  else
    sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s: cluster “%s” is in state %s and cannot run anything%s%s"),
                               job->self->fabric_name, job->cluster_name, state ? state : "?",
                               state_message && *state_message ? ": " : "", state_message ? state_message : ""));
}

static void
get_cluster (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autofree char *path = cluster_path ("get", job->self->cluster_id);

  sluice_pyspark_job_request (task, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, job->base.io, got_cluster_cb);
}

static void
cluster_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  const char *id;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_finish (task, error);
      return;
    }
  if ((id = str_member (response->body, "cluster_id")) == NULL)
    {
      sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                 _("%s: clusters/create answered without a cluster id"), job->self->fabric_name));
      return;
    }
  if (job->self->cluster_id == NULL)
    job->self->cluster_id = g_strdup (id);
  job->start_sent = TRUE;   /* a new cluster starts by itself */
  job->base.delay_ms = job->self->poll_first_ms;
  get_cluster (task);
}

static void
databricks_run_pipeline_async (SluiceEngine        *engine,
                               SluiceRun           *run,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SluiceDatabricksEngine *self = SLUICE_DATABRICKS_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  g_autoptr(GError) error = NULL;
  Job *job;

  g_task_set_source_tag (task, databricks_run_pipeline_async);
  if (check_ready (self, &error) && !self->create_cluster && self->cluster_id == NULL)
    error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                         _("%s: the fabric names no cluster: set its Cluster ID"), self->fabric_name);
  job = sluice_pyspark_job_start (task, &job_class, sizeof (Job), self->http, run, self->poll_first_ms,
                                  self->poll_max_ms, cancellable, error);
  if (job == NULL)
    return;
  job->self = self;

  if (self->create_cluster && self->cluster_id == NULL)
    {
      sluice_pyspark_job_set_message (&job->base, _("Creating a cluster on %s…"), self->fabric_name);
      sluice_pyspark_job_request (task, "POST", "/api/2.1/clusters/create", self->cluster_spec,
                                  SLUICE_HTTP_CREATES | SLUICE_HTTP_IDEMPOTENT, NULL, job->base.io,
                                  cluster_created_cb);
    }
  else
    {
      sluice_pyspark_job_set_message (&job->base, _("Looking up cluster “%s”…"), self->cluster_id);
      get_cluster (task);
    }
}


/* ---- Connection and compute ---- */

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceDatabricksEngine *self = g_task_get_source_object (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!self->create_cluster || self->cluster_id)
    g_debug ("%s: cluster “%s” (%s) is %s", self->fabric_name, str_member (response->body, "cluster_name"),
             self->cluster_id, str_member (response->body, "state"));
  g_task_return_boolean (task, TRUE);
}

static void
databricks_test_connection_async (SluiceEngine        *engine,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  SluiceDatabricksEngine *self = SLUICE_DATABRICKS_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autofree char *path = NULL;

  g_task_set_source_tag (task, databricks_test_connection_async);
  if (!check_ready (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  /* The fabric's cluster, when it names one (an unknown id is the answer
   * worth having now, not at the first run); else any page of clusters
   * proves the URL and the token. */
  path = self->cluster_id ? cluster_path ("get", self->cluster_id) : g_strdup ("/api/2.1/clusters/list?page_size=1");
  sluice_http_client_request_async (self->http, "GET", path, NULL, SLUICE_HTTP_QUICK, NULL, cancellable, tested_cb,
                                    g_steal_pointer (&task));
}

static void list_page (GTask *task, const char *page_token);

static void
listed_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  GListStore *store = g_task_get_task_data (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  JsonObject *o;
  JsonArray *clusters;
  const char *next;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (response->body))
    {
      g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s: clusters/list did not answer with a list"),
                               sluice_http_client_get_fabric_name (SLUICE_HTTP_CLIENT (source)));
      return;
    }
  o = json_node_get_object (response->body);
  /* "clusters" is left out when there are none. */
  clusters = sluice_pyspark_array_member (o, "clusters");
  for (guint i = 0; clusters && i < json_array_get_length (clusters); i++)
    {
      JsonNode *c = json_array_get_element (clusters, i);
      const char *id = str_member (c, "cluster_id");
      g_autoptr(SluiceCompute) compute = NULL;

      if (id == NULL)
        continue;
      compute = sluice_compute_new (id, str_member (c, "cluster_name") ? str_member (c, "cluster_name") : id,
                                    str_member (c, "state") ? str_member (c, "state") : "UNKNOWN");
      g_list_store_append (store, compute);
    }
  next = json_object_get_string_member_with_default (o, "next_page_token", NULL);
  if (next && *next)
    {
      list_page (task, next);
      return;
    }
  g_task_return_pointer (task, g_object_ref (store), g_object_unref);
}

static void
list_page (GTask      *task,
           const char *page_token)
{
  SluiceDatabricksEngine *self = g_task_get_source_object (task);
  g_autofree char *token = page_token ? sluice_http_escape (page_token) : NULL;
  g_autofree char *path = g_strdup_printf ("/api/2.1/clusters/list?page_size=100%s%s",
                                           token ? "&page_token=" : "", token ? token : "");

  sluice_http_client_request_async (self->http, "GET", path, NULL, SLUICE_HTTP_NONE, NULL,
                                    g_task_get_cancellable (task), listed_cb, g_object_ref (task));
}

static void
databricks_list_compute_async (SluiceEngine        *engine,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  SluiceDatabricksEngine *self = SLUICE_DATABRICKS_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;

  g_task_set_source_tag (task, databricks_list_compute_async);
  if (!check_ready (self, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_set_task_data (task, g_list_store_new (SLUICE_TYPE_COMPUTE), g_object_unref);
  list_page (task, NULL);
}

static SluiceEngineCapabilities
databricks_get_capabilities (SluiceEngine *engine)
{
  return SLUICE_ENGINE_CAN_TEST_CONNECTION | SLUICE_ENGINE_CAN_LIST_COMPUTE | SLUICE_ENGINE_CAN_RUN_PIPELINE;
}

static void
engine_iface_init (SluiceEngineInterface *iface)
{
  iface->get_capabilities = databricks_get_capabilities;
  iface->test_connection_async = databricks_test_connection_async;
  iface->list_compute_async = databricks_list_compute_async;
  iface->run_pipeline_async = databricks_run_pipeline_async;
}

/* ---- The object ---- */

static void
cluster_terminated_cb (GObject      *source,
                       GAsyncResult *result,
                       gpointer      user_data)
{
  g_autoptr(SluiceHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    g_message ("%s", error->message);
}

static void
sluice_databricks_engine_dispose (GObject *object)
{
  SluiceDatabricksEngine *self = SLUICE_DATABRICKS_ENGINE (object);

  /* The cluster this engine made goes with it (terminated, not deleted:
   * its configuration stays in the workspace for 30 days). The request
   * holds the client until it is answered. */
  if (self->create_cluster && self->cluster_id && self->http)
    {
      g_autoptr(JsonNode) body = sluice_pyspark_json_object ("cluster_id", self->cluster_id, NULL);
      sluice_http_client_request_async (self->http, "POST", "/api/2.1/clusters/delete", body,
                                        SLUICE_HTTP_IDEMPOTENT, NULL, NULL, cluster_terminated_cb, NULL);
      g_clear_pointer (&self->cluster_id, g_free);
    }
  g_clear_object (&self->http);

  G_OBJECT_CLASS (sluice_databricks_engine_parent_class)->dispose (object);
}

static void
sluice_databricks_engine_finalize (GObject *object)
{
  SluiceDatabricksEngine *self = SLUICE_DATABRICKS_ENGINE (object);

  g_clear_error (&self->config_error);
  g_free (self->fabric_name);
  g_free (self->cluster_id);
  g_clear_pointer (&self->cluster_spec, json_node_unref);

  G_OBJECT_CLASS (sluice_databricks_engine_parent_class)->finalize (object);
}

static void
sluice_databricks_engine_class_init (SluiceDatabricksEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_databricks_engine_dispose;
  object_class->finalize = sluice_databricks_engine_finalize;
}

static void
sluice_databricks_engine_init (SluiceDatabricksEngine *self)
{
  self->poll_first_ms = 500;
  self->poll_max_ms = 5000;
}

static gint64
int_setting (SluiceFabric *fabric,
             const char   *key)
{
  const char *value = sluice_fabric_get_setting (fabric, key);
  return value ? g_ascii_strtoll (value, NULL, 10) : 0;
}

/* The clusters/create body of a "new cluster" fabric. */
static JsonNode *
cluster_spec (SluiceFabric *fabric)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *uuid = g_uuid_string_random ();
  g_autofree char *name = g_strdup_printf ("sluice %s", sluice_fabric_get_name (fabric));

  json_builder_begin_object (b);
  json_builder_set_member_name (b, "cluster_name");
  json_builder_add_string_value (b, name);
  json_builder_set_member_name (b, "spark_version");
  json_builder_add_string_value (b, sluice_fabric_get_setting (fabric, "spark_version"));
  json_builder_set_member_name (b, "node_type_id");
  json_builder_add_string_value (b, sluice_fabric_get_setting (fabric, "node_type"));
  json_builder_set_member_name (b, "num_workers");
  json_builder_add_int_value (b, int_setting (fabric, "workers"));
  json_builder_set_member_name (b, "autotermination_minutes");
  json_builder_add_int_value (b, int_setting (fabric, "autotermination_minutes"));
  json_builder_set_member_name (b, "custom_tags");
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "created_by");
  json_builder_add_string_value (b, "sluice");
  json_builder_end_object (b);
  /* A create that is retried (its answer lost) makes no second cluster. */
  json_builder_set_member_name (b, "idempotency_token");
  json_builder_add_string_value (b, uuid);
  json_builder_end_object (b);
  return json_builder_get_root (b);
}

SluiceDatabricksEngine *
sluice_databricks_engine_new (SluiceFabric *fabric,
                              const char   *token)
{
  SluiceDatabricksEngine *self;
  const char *url;

  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);

  self = g_object_new (SLUICE_TYPE_DATABRICKS_ENGINE, NULL);
  self->fabric_name = g_strdup (sluice_fabric_get_name (fabric));
  url = sluice_fabric_get_setting (fabric, "url");
  if (url == NULL)
    self->config_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                      _("%s: the fabric has no workspace URL: set it in the fabric's settings"),
                                      self->fabric_name);
  else if ((self->http = sluice_http_client_new (self->fabric_name, url, &self->config_error)) != NULL)
    {
      if (token && *token)
        sluice_http_client_set_bearer_token (self->http, token);
      else
        self->config_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                          _("%s: there is no personal access token in the keyring: "
                                            "add it in the fabric's settings"), self->fabric_name);
    }
  if (g_strcmp0 (sluice_fabric_get_setting (fabric, "cluster"), "new") == 0)
    {
      self->create_cluster = TRUE;
      self->cluster_spec = cluster_spec (fabric);
    }
  else
    self->cluster_id = g_strdup (sluice_fabric_get_setting (fabric, "cluster_id"));
  return self;
}

SluiceHttpClient *
sluice_databricks_engine_get_http_client (SluiceDatabricksEngine *self)
{
  g_return_val_if_fail (SLUICE_IS_DATABRICKS_ENGINE (self), NULL);
  return self->http;
}

void
sluice_databricks_engine_set_poll_interval (SluiceDatabricksEngine *self,
                                            guint                   first_ms,
                                            guint                   max_ms)
{
  g_return_if_fail (SLUICE_IS_DATABRICKS_ENGINE (self));
  g_return_if_fail (first_ms > 0 && max_ms >= first_ms);
  self->poll_first_ms = first_ms;
  self->poll_max_ms = max_ms;
}

const char *
sluice_databricks_engine_get_cluster_id (SluiceDatabricksEngine *self)
{
  g_return_val_if_fail (SLUICE_IS_DATABRICKS_ENGINE (self), NULL);
  return self->cluster_id;
}
