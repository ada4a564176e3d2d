#define G_LOG_DOMAIN "sluice-livy-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-engine-error.h"
#include "sluice-livy-engine.h"
#include "sluice-pyspark-run.h"

/* A run (ENGINE-APIS.md §2):
 *
 *   no session ──▶ POST /sessions {kind: pyspark, name: sluice-UUID}
 *        (an ambiguous failure: GET /sessions and adopt the one named so,
 *         creating again only when there is none)
 *   ──▶ GET /sessions/ID until idle (dead, error, killed: the log's tail
 *       in the error) ──▶ for the prelude, then each gem:
 *       POST /sessions/ID/statements ──▶ GET …/statements/SID until available
 *       (output ok: the gem's marker in text/plain; error: ename and evalue
 *       on the gem)
 *
 * The session is made once and kept for every later run while the engine
 * lives (starting one takes a YARN application, often a minute), then
 * deleted when the engine goes. One statement per gem, as on Databricks:
 * each gem shows as it finishes, a cancel (POST …/cancel) stops the gem
 * running, and an error output belongs to that gem. */

struct _SluiceLivyEngine
{
  GObject           parent_instance;
  SluiceHttpClient *http;            /* owned, nullable */
  GError           *config_error;    /* owned, nullable */
  char             *fabric_name;     /* owned */
  char             *proxy_user;      /* owned, nullable */
  char             *session_name;    /* owned: sluice-UUID */
  gint64            session_id;      /* -1: none */
  gboolean          creating;        /* a run is making the session */
  guint             poll_first_ms;
  guint             poll_max_ms;
};

static void engine_iface_init (SluiceEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceLivyEngine, sluice_livy_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SLUICE_TYPE_ENGINE, engine_iface_init))

/* Log lines quoted when a session dies. */
#define LOG_TAIL 8

static const char *
str_member (JsonNode   *node,
            const char *name)
{
  return node && JSON_NODE_HOLDS_OBJECT (node)
         ? json_object_get_string_member_with_default (json_node_get_object (node), name, NULL) : NULL;
}

static gint64
int_member (JsonNode   *node,
            const char *name)
{
  return node && JSON_NODE_HOLDS_OBJECT (node)
         ? json_object_get_int_member_with_default (json_node_get_object (node), name, -1) : -1;
}

static gboolean
is_terminal (const char *state)
{
  return g_strcmp0 (state, "dead") == 0 || g_strcmp0 (state, "error") == 0 || g_strcmp0 (state, "killed") == 0 ||
         g_strcmp0 (state, "success") == 0 || g_strcmp0 (state, "shutting_down") == 0;
}

/* ---- A run ---- */

typedef struct
{
  SluicePySparkJob          base;
  SluiceLivyEngine         *self;          /* borrowed: base.engine */
  gint64                    statement_id;  /* -1: none in flight */
  gboolean                  created;       /* this run made the session */
  gboolean                  adopted_once;  /* looked for it after an ambiguous create */
  char                     *dead_state;    /* owned, nullable: the session died */
} Job;

static void
job_clear (SluicePySparkJob *base)
{
  Job *job = (Job *) base;

  if (job->created && job->self->session_id < 0)
    job->self->creating = FALSE;
  g_free (job->dead_state);
}

static gboolean
job_in_flight (SluicePySparkJob *base)
{
  return ((Job *) base)->statement_id >= 0;
}

/* Ends the run; the session stays. */
static void
job_finish (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);

  job->statement_id = -1;
  if (job->created)
    job->self->creating = FALSE;
  sluice_pyspark_job_complete (task);
}

static void
job_send_cancel (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autofree char *path = g_strdup_printf ("/sessions/%" G_GINT64_FORMAT "/statements/%" G_GINT64_FORMAT "/cancel",
                                           job->self->session_id, job->statement_id);

  sluice_pyspark_job_request (task, "POST", path, NULL, SLUICE_HTTP_NO_RETRY, NULL, NULL,
                              sluice_pyspark_job_ignore_cb);
}

static const SluicePySparkJobClass job_class = {
  .in_flight = job_in_flight,
  .send_cancel = job_send_cancel,
  .finish = job_finish,
  .clear = job_clear,
};

static void ensure_session (GTask *task);
static void next_step (GTask *task);

/* ---- Statements ---- */

static void statement_status (GTask *task);

static void
statement_done (GTask    *task,
                JsonNode *statement)
{
  Job *job = sluice_pyspark_job_of (task);
  JsonNode *output = JSON_NODE_HOLDS_OBJECT (statement)
                     ? json_object_get_member (json_node_get_object (statement), "output") : NULL;
  const char *gem = sluice_pyspark_job_step_gem (&job->base);
  GError *error = NULL;

  job->statement_id = -1;
  if (g_strcmp0 (str_member (output, "status"), "ok") != 0)
    {
      const char *ename = str_member (output, "ename");
      const char *evalue = str_member (output, "evalue");
      g_autofree char *what = g_strdup_printf ("%s%s%s", ename ? ename : _("Error"), evalue ? ": " : "",
                                               evalue ? evalue : "");

      if (gem)
        error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("gem “%s”: %s"), gem, what);
      else
        error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                             _("%s: the session could not load the pipeline's code: %s"), job->self->fabric_name, what);
    }
  sluice_pyspark_job_step_done (task,
                                error ? NULL : str_member (json_object_get_member (json_node_get_object (output), "data"),
                                                           "text/plain"),
                                error, next_step);
}

static void
statement_status_cb (GObject      *source,
                     GAsyncResult *result,
                     gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  const char *state;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      /* 404: the session is gone (killed, timed out) with the statement. */
      if (g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_NOT_FOUND))
        job->self->session_id = -1;
      sluice_pyspark_job_poll_failed (task, error, statement_status);
      return;
    }
  job->base.transient = 0;
  state = str_member (response->body, "state");
  if (g_strcmp0 (state, "available") == 0)
    statement_done (task, response->body);
  else if (g_strcmp0 (state, "cancelled") == 0)
    sluice_pyspark_job_finish (task, sluice_pyspark_cancelled_error ());
  else if (g_strcmp0 (state, "error") == 0)
    statement_done (task, response->body);
  else
    sluice_pyspark_job_poll_again (task, statement_status);   /* waiting, running, cancelling */
}

static void
statement_status (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autofree char *path = g_strdup_printf ("/sessions/%" G_GINT64_FORMAT "/statements/%" G_GINT64_FORMAT,
                                           job->self->session_id, job->statement_id);

  /* Not io: after a cancel the statement is polled until cancelled. */
  sluice_pyspark_job_request (task, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, NULL, statement_status_cb);
}

static void
statement_started (GTask  *task,
                   gint64  id)
{
  Job *job = sluice_pyspark_job_of (task);

  job->statement_id = id;
  job->base.delay_ms = job->self->poll_first_ms;
  if (job->base.cancelling)
    job_send_cancel (task);
  sluice_pyspark_job_sleep_then (task, statement_status);
}

static void
statements_listed_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  JsonArray *statements;
  const char *code = job->base.step >= 0 ? sluice_pyspark_interactive_get_step_code (job->base.program, job->base.step)
                                    : sluice_pyspark_interactive_get_prelude (job->base.program);

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_finish (task, error);
      return;
    }
  statements = JSON_NODE_HOLDS_OBJECT (response->body)
               ? sluice_pyspark_array_member (json_node_get_object (response->body), "statements")
               : NULL;
  /* The newest statement with our code is the one the lost answer was about. */
  for (guint i = 0; statements && i < json_array_get_length (statements); i++)
    {
      JsonNode *st = json_array_get_element (statements, i);
      if (g_strcmp0 (str_member (st, "code"), code) == 0)
        {
          statement_started (task, int_member (st, "id"));
          return;
        }
    }
  sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                             _("%s: the connection failed while sending a statement, and the session does not "
                               "have it: run the pipeline again"), job->self->fabric_name));
}

static void
statement_created_cb (GObject      *source,
                      GAsyncResult *result,
                      gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  gint64 id;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_AMBIGUOUS))
        {
          /* The statement may be queued: look before sending it again. */
          g_autofree char *path = g_strdup_printf ("/sessions/%" G_GINT64_FORMAT "/statements?order=desc&size=10",
                                                   job->self->session_id);
          g_debug ("%s (looking for the statement)", error->message);
          g_error_free (error);
          sluice_pyspark_job_request (task, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, job->base.io,
                                      statements_listed_cb);
          return;
        }
      if (g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_NOT_FOUND))
        job->self->session_id = -1;
      sluice_pyspark_job_finish (task, error);
      return;
    }
  if ((id = int_member (response->body, "id")) < 0)
    {
      sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                 _("%s: a new statement came back without an id"), job->self->fabric_name));
      return;
    }
  statement_started (task, id);
}

static void
next_step (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *path = NULL;
  const char *gem = NULL;
  const char *code = sluice_pyspark_job_next_code (task, &gem);

  if (code == NULL)
    return;
  if (gem)
    sluice_pyspark_job_set_message (&job->base, _("Running gem “%s” on %s…"), gem, job->self->fabric_name);
  body = sluice_pyspark_json_object ("code", code, "kind", "pyspark", NULL);
  path = g_strdup_printf ("/sessions/%" G_GINT64_FORMAT "/statements", job->self->session_id);
  sluice_pyspark_job_request (task, "POST", path, body, SLUICE_HTTP_CREATES, NULL, job->base.io, statement_created_cb);
}

/* ---- The session ---- */

static void
log_read_cb (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GString) tail = g_string_new (NULL);
  JsonArray *log = NULL;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response && JSON_NODE_HOLDS_OBJECT (response->body))
    log = sluice_pyspark_array_member (json_node_get_object (response->body), "log");
  for (guint i = 0; log && i < json_array_get_length (log); i++)
    {
      g_autofree char *line = g_strstrip (g_strdup (json_array_get_string_element (log, i)
                                                    ? json_array_get_string_element (log, i) : ""));
      if (*line == '\0' || g_str_equal (line, "stdout:") || g_str_equal (line, "stderr:"))
        continue;
      g_string_append_printf (tail, "\n%s", line);
    }
  if (tail->len == 0 && error)
    g_string_append_printf (tail, "\n%s", error->message);
  sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                             _("%s: the Spark session ended while starting (%s). The end of its log:%s"),
                             job->self->fabric_name, job->dead_state, tail->len ? tail->str : _(" (empty)")));
}

/* The session ended before it was ready: the error quotes its log. */
static void
session_died (GTask      *task,
              const char *state)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autofree char *path = g_strdup_printf ("/sessions/%" G_GINT64_FORMAT "/log?size=%d", job->self->session_id, LOG_TAIL);

  job->dead_state = g_strdup (state);
  job->self->session_id = -1;
  sluice_pyspark_job_request (task, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, job->base.io, log_read_cb);
}

static void session_status (GTask *task);

static void
session_status_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  const char *state;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      /* A session we had is gone (Livy forgets idle ones): make a new one. */
      if (g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_NOT_FOUND) && !job->created)
        {
          g_error_free (error);
          job->self->session_id = -1;
          ensure_session (task);
          return;
        }
      sluice_pyspark_job_poll_failed (task, error, session_status);
      return;
    }
  job->base.transient = 0;
  state = str_member (response->body, "state");
  if (g_strcmp0 (state, "idle") == 0 || g_strcmp0 (state, "busy") == 0)
    {
      if (job->created)
        job->self->creating = FALSE;
      job->base.step = -2;
      next_step (task);
    }
  else if (is_terminal (state))
    {
      if (job->created)
        {
          session_died (task, state);
          return;
        }
      /* A session that ended since the last run: a new one. */
      job->self->session_id = -1;
      ensure_session (task);
    }
  else
    {
      sluice_pyspark_job_set_message (&job->base, _("Starting a Spark session on %s (%s)…"), job->self->fabric_name,
                                      state ? state : "?");
      sluice_pyspark_job_sleep_then (task, session_status);
    }
}

static void
session_status (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autofree char *path = g_strdup_printf ("/sessions/%" G_GINT64_FORMAT, job->self->session_id);

  sluice_pyspark_job_request (task, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, job->base.io, session_status_cb);
}

static void create_session (GTask *task);

static void
sessions_listed_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  JsonArray *sessions;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      sluice_pyspark_job_finish (task, error);
      return;
    }
  sessions = JSON_NODE_HOLDS_OBJECT (response->body)
             ? sluice_pyspark_array_member (json_node_get_object (response->body), "sessions")
             : NULL;
  for (guint i = 0; sessions && i < json_array_get_length (sessions); i++)
    {
      JsonNode *s = json_array_get_element (sessions, i);
      if (g_strcmp0 (str_member (s, "name"), job->self->session_name) == 0)
        {
          job->self->session_id = int_member (s, "id");
          job->base.delay_ms = job->self->poll_first_ms;
          session_status (task);
          return;
        }
    }
  /* The create never got there: now it is safe to send it again. */
  create_session (task);
}

static void
session_created_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;
  gint64 id;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      if (g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_AMBIGUOUS) && !job->adopted_once)
        {
          /* It may exist: find it by its name rather than make a second. */
          g_debug ("%s (looking for session %s)", error->message, job->self->session_name);
          g_error_free (error);
          job->adopted_once = TRUE;
          sluice_pyspark_job_request (task, "GET", "/sessions?from=0&size=1000", NULL, SLUICE_HTTP_NONE, NULL,
                                      job->base.io, sessions_listed_cb);
          return;
        }
      sluice_pyspark_job_finish (task, error);
      return;
    }
  if ((id = int_member (response->body, "id")) < 0)
    {
      sluice_pyspark_job_finish (task, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                 _("%s: the new session came back without an id"), job->self->fabric_name));
      return;
    }
  job->self->session_id = id;
  job->base.delay_ms = job->self->poll_first_ms;
  sluice_pyspark_job_sleep_then (task, session_status);
}

static void
create_session (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);
  g_autoptr(JsonNode) body = sluice_pyspark_json_object ("kind", "pyspark", "name", job->self->session_name,
                                                         "proxyUser", job->self->proxy_user, NULL);

  sluice_pyspark_job_set_message (&job->base, _("Starting a Spark session on %s…"), job->self->fabric_name);
  sluice_pyspark_job_request (task, "POST", "/sessions", body, SLUICE_HTTP_CREATES, NULL, job->base.io,
                              session_created_cb);
}

static void
ensure_session (GTask *task)
{
  Job *job = sluice_pyspark_job_of (task);

  if (job->self->session_id >= 0)
    {
      session_status (task);
      return;
    }
  if (job->self->creating && !job->created)
    {
      /* Another run is making it: wait for that one. */
      sluice_pyspark_job_sleep_then (task, ensure_session);
      return;
    }
  job->created = TRUE;
  job->self->creating = TRUE;
  create_session (task);
}

static void
livy_run_pipeline_async (SluiceEngine        *engine,
                         SluiceRun           *run,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  SluiceLivyEngine *self = SLUICE_LIVY_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, NULL, callback, user_data);
  Job *job;

  g_task_set_source_tag (task, livy_run_pipeline_async);
  job = sluice_pyspark_job_start (task, &job_class, sizeof (Job), self->http, run, self->poll_first_ms,
                                  self->poll_max_ms, cancellable, self->config_error);
  if (job == NULL)
    return;
  job->self = self;
  job->statement_id = -1;
  ensure_session (task);
}


/* ---- Connection ---- */

static void
tested_cb (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SluiceHttpResponse) response = NULL;
  GError *error = NULL;

  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (!JSON_NODE_HOLDS_OBJECT (response->body) ||
      !json_object_has_member (json_node_get_object (response->body), "sessions"))
    {
      g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s: the server answered, but not as Livy does (GET /sessions has no "
                                 "\"sessions\"): check the Livy URL"),
                               sluice_http_client_get_fabric_name (SLUICE_HTTP_CLIENT (source)));
      return;
    }
  g_debug ("%s: Livy answers, %" G_GINT64_FORMAT " sessions",
           sluice_http_client_get_fabric_name (SLUICE_HTTP_CLIENT (source)), int_member (response->body, "total"));
  g_task_return_boolean (task, TRUE);
}

static void
livy_test_connection_async (SluiceEngine        *engine,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  SluiceLivyEngine *self = SLUICE_LIVY_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, livy_test_connection_async);
  if (self->config_error)
    {
      g_task_return_error (task, g_error_copy (self->config_error));
      return;
    }
  sluice_http_client_request_async (self->http, "GET", "/sessions?from=0&size=1", NULL, SLUICE_HTTP_QUICK, NULL,
                                    cancellable, tested_cb, g_steal_pointer (&task));
}

static SluiceEngineCapabilities
livy_get_capabilities (SluiceEngine *engine)
{
  return SLUICE_ENGINE_CAN_TEST_CONNECTION | SLUICE_ENGINE_CAN_RUN_PIPELINE;
}

static void
engine_iface_init (SluiceEngineInterface *iface)
{
  iface->get_capabilities = livy_get_capabilities;
  iface->test_connection_async = livy_test_connection_async;
  iface->run_pipeline_async = livy_run_pipeline_async;
}

/* ---- The object ---- */

static void
session_deleted_cb (GObject      *source,
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
sluice_livy_engine_dispose (GObject *object)
{
  SluiceLivyEngine *self = SLUICE_LIVY_ENGINE (object);

  /* The session goes with the engine; the request holds the client until
   * it is answered. */
  if (self->session_id >= 0 && self->http)
    {
      g_autofree char *path = g_strdup_printf ("/sessions/%" G_GINT64_FORMAT, self->session_id);
      sluice_http_client_request_async (self->http, "DELETE", path, NULL, SLUICE_HTTP_NONE, NULL, NULL,
                                        session_deleted_cb, NULL);
      self->session_id = -1;
    }
  g_clear_object (&self->http);

  G_OBJECT_CLASS (sluice_livy_engine_parent_class)->dispose (object);
}

static void
sluice_livy_engine_finalize (GObject *object)
{
  SluiceLivyEngine *self = SLUICE_LIVY_ENGINE (object);

  g_clear_error (&self->config_error);
  g_free (self->fabric_name);
  g_free (self->proxy_user);
  g_free (self->session_name);

  G_OBJECT_CLASS (sluice_livy_engine_parent_class)->finalize (object);
}

static void
sluice_livy_engine_class_init (SluiceLivyEngineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_livy_engine_dispose;
  object_class->finalize = sluice_livy_engine_finalize;
}

static void
sluice_livy_engine_init (SluiceLivyEngine *self)
{
  g_autofree char *uuid = g_uuid_string_random ();

  self->session_id = -1;
  self->session_name = g_strconcat ("sluice-", uuid, NULL);
  self->poll_first_ms = 500;
  self->poll_max_ms = 5000;
}

SluiceLivyEngine *
sluice_livy_engine_new (SluiceFabric *fabric,
                        const char   *password)
{
  SluiceLivyEngine *self;
  const char *url;

  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);

  self = g_object_new (SLUICE_TYPE_LIVY_ENGINE, NULL);
  self->fabric_name = g_strdup (sluice_fabric_get_name (fabric));
  self->proxy_user = g_strdup (sluice_fabric_get_setting (fabric, "proxy_user"));
  url = sluice_fabric_get_setting (fabric, "url");
  if (url == NULL)
    self->config_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                      _("%s: the fabric has no Livy URL: set it in the fabric's settings"),
                                      self->fabric_name);
  else if ((self->http = sluice_http_client_new (self->fabric_name, url, &self->config_error)) != NULL)
    {
      /* Livy's CSRF filter refuses POST and DELETE without it. */
      sluice_http_client_set_header (self->http, "X-Requested-By", "sluice");
      if (g_strcmp0 (sluice_fabric_get_setting (fabric, "auth"), "basic") == 0)
        {
          const char *user = sluice_fabric_get_setting (fabric, "user");

          if (user == NULL || password == NULL)
            self->config_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                              _("%s: basic authentication needs a user and a password: "
                                                "set them in the fabric's settings"), self->fabric_name);
          else
            sluice_http_client_set_basic_auth (self->http, user, password);
        }
    }
  return self;
}

SluiceHttpClient *
sluice_livy_engine_get_http_client (SluiceLivyEngine *self)
{
  g_return_val_if_fail (SLUICE_IS_LIVY_ENGINE (self), NULL);
  return self->http;
}

void
sluice_livy_engine_set_poll_interval (SluiceLivyEngine *self,
                                      guint             first_ms,
                                      guint             max_ms)
{
  g_return_if_fail (SLUICE_IS_LIVY_ENGINE (self));
  g_return_if_fail (first_ms > 0 && max_ms >= first_ms);
  self->poll_first_ms = first_ms;
  self->poll_max_ms = max_ms;
}

gint64
sluice_livy_engine_get_session_id (SluiceLivyEngine *self)
{
  g_return_val_if_fail (SLUICE_IS_LIVY_ENGINE (self), -1);
  return self->session_id;
}

const char *
sluice_livy_engine_get_session_name (SluiceLivyEngine *self)
{
  g_return_val_if_fail (SLUICE_IS_LIVY_ENGINE (self), NULL);
  return self->session_name;
}
