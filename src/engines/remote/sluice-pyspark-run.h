/* sluice-pyspark-run.h: what the PySpark engines (Databricks cluster, Livy)
 * share: checking a run's pipeline and writing its interactive program, and
 * reading what each gem statement printed into the run. Main thread only. */
#pragma once

#include <gio/gio.h>

#include "sluice-http-client.h"
#include "sluice-pyspark-interactive.h"
#include "sluice-run.h"

#include <json-glib/json-glib.h>

G_BEGIN_DECLS

/* Checks @run's pipeline as the Local engine does (every problem that
 * keeps it from running is added to the run, then
 * SLUICE_ENGINE_ERROR_PIPELINE) and writes its program; begins the run with
 * its gems. On failure the run is begun empty and finished FAILED.
 * (transfer full) */
SluicePySparkInteractive *sluice_pyspark_run_prepare     (SluiceRun         *run,
                                                          GError           **error);

/* Reads the text a gem's statement printed: its marker line becomes the
 * gem's result (row count, schema, sample; a Target's output), added to the
 * run. A marker with an error, or none, fails the gem: its result carries
 * the error, which is also returned. */
gboolean                  sluice_pyspark_run_take_output (SluiceRun         *run,
                                                          const char        *gem_id,
                                                          const char        *text,
                                                          double             elapsed_ms,
                                                          GError           **error);
/* Fails @gem_id with what the service said about its statement (an error
 * result, a dead session): a result with the error, on that gem. */
void                      sluice_pyspark_run_fail_gem    (SluiceRun         *run,
                                                          const char        *gem_id,
                                                          const GError      *error);

/* Finishes @run (CANCELLED, FAILED or SUCCEEDED by @error) and returns
 * @task with @error (transfer full, nullable). */
void                      sluice_pyspark_run_complete    (SluiceRun         *run,
                                                          GTask             *task,
                                                          GError            *error);

/* The service's error text without HTML tags and entities (Databricks
 * error summaries). (transfer full) */
char                     *sluice_pyspark_strip_html      (const char        *text);

/* The next wait of a poll: @delay_ms doubled, capped at @max_ms. */
static inline guint
sluice_pyspark_backoff (guint delay_ms,
                        guint max_ms)
{
  return MIN (delay_ms * 2, max_ms);
}

/* The array member @name of @o, or NULL (json-glib 1.6 has no
 * json_object_get_array_member_with_default). */
static inline JsonArray *
sluice_pyspark_array_member (JsonObject *o,
                             const char *name)
{
  JsonNode *n = o ? json_object_get_member (o, name) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

/* Whether a failed poll (an idempotent GET) is worth trying again: a 5xx
 * or a garbled answer, which the HTTP client does not retry itself. */
gboolean                  sluice_pyspark_is_transient    (const GError      *error);

/* A JSON object of string members: key, value, …, NULL (a NULL value
 * leaves its member out). (transfer full) */
JsonNode                 *sluice_pyspark_json_object     (const char        *first_key,
                                                          ...) G_GNUC_NULL_TERMINATED;

/* ---- A run's job: what both engines' state machines stand on ----
 *
 * The engine's Job struct begins with a SluicePySparkJob; the GTask owns
 * it. The steps are the engine's; the shared part waits between polls,
 * waits out brief failures, handles the caller's cancel (asking the service
 * to stop the statement in flight, or cutting the requests) and ends the
 * run. */
typedef struct _SluicePySparkJob SluicePySparkJob;
typedef void (*SluicePySparkStep) (GTask *task);

typedef struct
{
  /* Whether a statement runs on the service (a cancel then asks it to stop
   * and the polls go on until it has). */
  gboolean (*in_flight)   (SluicePySparkJob *job);
  /* Asks the service to stop the statement in flight. */
  void     (*send_cancel) (GTask            *task);
  /* The engine's end of the run (forget the statement, clean up on the
   * service), then sluice_pyspark_job_complete(). */
  void     (*finish)      (GTask            *task);
  /* Frees what the engine added to the job; nullable. */
  void     (*clear)       (SluicePySparkJob *job);
} SluicePySparkJobClass;

struct _SluicePySparkJob
{
  const SluicePySparkJobClass *klass;
  GObject                  *engine;        /* owned */
  SluiceHttpClient         *http;          /* owned */
  SluiceRun                *run;           /* owned */
  SluicePySparkInteractive *program;       /* owned */
  GCancellable             *io;            /* owned: our requests' */
  GCancellable             *user;          /* owned, nullable: the caller's */
  gulong                    cancel_handler;
  GTask                    *task;          /* borrowed: the task owns the job */
  int                       step;          /* -1: the prelude */
  guint                     poll_first_ms;
  guint                     poll_max_ms;
  guint                     delay_ms;
  guint                     timer;
  SluicePySparkStep         wake;
  guint                     transient;
  guint                     cancel_polls;
  gboolean                  cancelling;
  gint64                    step_started;
  GError                   *error;         /* owned, nullable: the run's failure */
};

/* Begins @run on @task (whose source object is the engine): with
 * @setup_error (nullable) the run is begun empty and failed; otherwise its
 * program is prepared (sluice_pyspark_run_prepare) and a job of @size bytes
 * (a struct that begins with SluicePySparkJob) made and watching
 * @cancellable. Returns the job, owned by @task, or NULL when @task has
 * returned. */
gpointer          sluice_pyspark_job_start    (GTask                       *task,
                                               const SluicePySparkJobClass *klass,
                                               gsize                        size,
                                               SluiceHttpClient            *http,
                                               SluiceRun                   *run,
                                               guint                        poll_first_ms,
                                               guint                        poll_max_ms,
                                               GCancellable                *cancellable,
                                               const GError                *setup_error);
static inline gpointer
sluice_pyspark_job_of (GTask *task)
{
  return g_task_get_task_data (task);
}
/* A request of the run: @callback gets a reference to @task. */
void              sluice_pyspark_job_request  (GTask                       *task,
                                               const char                  *method,
                                               const char                  *path,
                                               JsonNode                    *body,
                                               SluiceHttpFlags              flags,
                                               const guint                 *accept,
                                               GCancellable                *cancellable,
                                               GAsyncReadyCallback          callback);
/* A callback for requests nobody waits for (cancel calls). */
void              sluice_pyspark_job_ignore_cb (GObject                    *source,
                                                GAsyncResult               *result,
                                                gpointer                    user_data);
void              sluice_pyspark_job_set_message (SluicePySparkJob         *job,
                                                  const char               *format,
                                                  ...) G_GNUC_PRINTF (2, 3);
/* Calls @wake after the current delay, which then grows. */
void              sluice_pyspark_job_sleep_then (GTask                     *task,
                                                 SluicePySparkStep          wake);
/* A failed poll: a brief failure of the service is waited out (then
 * @retry), anything else (or a fourth in a row) ends the run. */
void              sluice_pyspark_job_poll_failed (GTask                    *task,
                                                  GError                   *error,
                                                  SluicePySparkStep         retry);
/* Ends the run with @error (transfer full, nullable; the first error
 * kept wins) through klass->finish. */
void              sluice_pyspark_job_finish   (GTask                       *task,
                                               GError                      *error);
/* Stops watching the caller's cancellable, finishes the run and returns
 * the task with the kept error. */
void              sluice_pyspark_job_complete (GTask                       *task);
/* The gem of the step running, NULL in the prelude. */
const char       *sluice_pyspark_job_step_gem (SluicePySparkJob            *job);
/* Begins the next step: returns its code, with its gem (NULL for the
 * prelude) in @gem, marked running; or NULL when the run has ended (it was
 * cancelled, or that was the last step). */
const char       *sluice_pyspark_job_next_code (GTask                      *task,
                                                const char                **gem);
/* The step's statement ended: with @error (transfer full, nullable) the
 * step's gem and the run fail; otherwise @text is what the gem printed and
 * @next begins the next step. */
void              sluice_pyspark_job_step_done (GTask                      *task,
                                                const char                 *text,
                                                GError                     *error,
                                                SluicePySparkStep           next);
/* The statement still runs: @poll again after the delay, unless a cancel
 * has gone unconfirmed for too many polls (the run then stops waiting). */
void              sluice_pyspark_job_poll_again (GTask                     *task,
                                                 SluicePySparkStep          poll);
/* G_IO_ERROR_CANCELLED, “The run was cancelled.” (transfer full) */
GError           *sluice_pyspark_cancelled_error (void);

G_END_DECLS
