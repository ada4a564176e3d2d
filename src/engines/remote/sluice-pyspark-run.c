#define G_LOG_DOMAIN "sluice-pyspark-run"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-engine-error.h"
#include "sluice-http-client.h"
#include "sluice-pyspark-run.h"

static void
add_problem (SluiceRun        *run,
             SluiceDiagnostic *d,
             guint            *n_errors)
{
  if (sluice_diagnostic_get_severity (d) != SLUICE_SEVERITY_ERROR)
    return;
  sluice_run_add_problem (run, d);
  (*n_errors)++;
}

static void
add_message (SluiceRun  *run,
             const char *file,
             const char *gem_id,
             const char *message,
             guint      *n_errors)
{
  g_autoptr(SluiceDiagnostic) d = sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, file, 0, 0, message);

  if (gem_id)
    sluice_diagnostic_set_subject (d, gem_id, NULL);
  add_problem (run, d, n_errors);
}

SluicePySparkInteractive *
sluice_pyspark_run_prepare (SluiceRun  *run,
                            GError    **error)
{
  SluiceProject *project = sluice_run_get_project (run);
  SluicePipeline *p = sluice_run_get_pipeline (run);
  GListModel *datasets = sluice_project_get_datasets (project);
  const char *file = sluice_pipeline_get_file (p);
  const char *until = sluice_run_get_until_gem (run);
  g_autoptr(SluicePySparkInteractive) program = NULL;
  g_autoptr(SluiceResolver) resolver = NULL;
  g_autoptr(GPtrArray) structural = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GHashTable) in_run = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GStrvBuilder) gems = g_strv_builder_new ();
  g_auto(GStrv) gem_ids = NULL;
  guint n_errors = 0;

  if (sluice_pipeline_get_load_error (p))
    {
      add_message (run, file, NULL, sluice_pipeline_get_load_error (p)->message, &n_errors);
      goto out;
    }
  if (until && sluice_pipeline_find_gem (p, until) == NULL)
    {
      sluice_run_begin (run, (const char * const[]) { NULL });
      sluice_run_finish (run, SLUICE_RUN_FAILED);
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: there is no gem “%s” in the pipeline %s"), file, until, sluice_pipeline_get_name (p));
      return NULL;
    }

  resolver = sluice_resolver_new (p, datasets);
  program = sluice_pyspark_interactive_new (p, datasets, resolver, until, sluice_run_get_sample_limit (run), problems);
  for (guint i = 0; i < sluice_pyspark_interactive_get_n_steps (program); i++)
    g_hash_table_add (in_run, (gpointer) sluice_pyspark_interactive_get_step_gem (program, i));

  /* What keeps the gems of this run from running; problems of other gems
   * (downstream of a "run up to here") do not. */
  structural = sluice_pipeline_validate (p, datasets);
  for (guint i = 0; i < structural->len; i++)
    {
      SluiceDiagnostic *d = g_ptr_array_index (structural, i);
      const char *gem = sluice_diagnostic_get_gem_id (d);
      if (gem == NULL || g_hash_table_contains (in_run, gem))
        add_problem (run, d, &n_errors);
    }
  /* The generator leaves out gems on a cycle. */
  if (n_errors == 0 && until == NULL &&
      sluice_pyspark_interactive_get_n_steps (program) < g_list_model_get_n_items (sluice_pipeline_get_gems (p)))
    add_message (run, file, NULL, _("the gems of the pipeline form a cycle, so there is no order to run them in"),
                 &n_errors);
  if (n_errors)
    goto out;
  for (guint i = 0; i < sluice_pyspark_interactive_get_n_steps (program); i++)
    {
      GPtrArray *ds = sluice_resolver_get_diagnostics (resolver, sluice_pyspark_interactive_get_step_gem (program, i));
      for (guint k = 0; ds && k < ds->len; k++)
        add_problem (run, g_ptr_array_index (ds, k), &n_errors);
    }
  for (guint i = 0; i < problems->len; i++)
    add_message (run, file, NULL, g_ptr_array_index (problems, i), &n_errors);

out:
  if (n_errors)
    {
      sluice_run_begin (run, (const char * const[]) { NULL });
      sluice_run_finish (run, SLUICE_RUN_FAILED);
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE,
                   g_dngettext (GETTEXT_PACKAGE, "%s: the pipeline has %u problem, so nothing ran",
                                "%s: the pipeline has %u problems, so nothing ran", n_errors),
                   file, n_errors);
      return NULL;
    }
  for (guint i = 0; i < sluice_pyspark_interactive_get_n_steps (program); i++)
    g_strv_builder_add (gems, sluice_pyspark_interactive_get_step_gem (program, i));
  gem_ids = g_strv_builder_end (gems);
  sluice_run_begin (run, (const char * const *) gem_ids);
  return g_steal_pointer (&program);
}

/* Spark's simple type strings as Sluice's types; what Sluice has no type
 * for stays unknown (shown as text). */
static SluiceSqlType
spark_type (const char *text)
{
  SluiceSqlType type = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);

  if (text == NULL)
    return type;
  if (g_str_equal (text, "long"))
    return SLUICE_SQL_TYPE (SLUICE_SQL_BIGINT);
  if (g_str_equal (text, "integer") || g_str_equal (text, "smallint") || g_str_equal (text, "tinyint"))
    return SLUICE_SQL_TYPE (SLUICE_SQL_INT);
  if (g_str_equal (text, "float"))
    return SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
  if (!sluice_sql_type_parse (text, &type))
    type = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
  return type;
}

/* A sample value as the results pane shows it (as the Local engine
 * formats SQLite's: doubles keep a fraction part). NULL is SQL NULL. */
static char *
format_value (JsonNode *node)
{
  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    return NULL;
  if (!JSON_NODE_HOLDS_VALUE (node))
    {
      g_autoptr(JsonGenerator) gen = json_generator_new ();
      json_generator_set_root (gen, node);
      return json_generator_to_data (gen, NULL);
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_BOOLEAN:
      return g_strdup (json_node_get_boolean (node) ? "true" : "false");
    case G_TYPE_INT64:
      return g_strdup_printf ("%" G_GINT64_FORMAT, json_node_get_int (node));
    case G_TYPE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];
        g_ascii_dtostr (buf, sizeof buf, json_node_get_double (node));
        if (strspn (buf, "-0123456789") == strlen (buf))
          return g_strconcat (buf, ".0", NULL);
        return g_strdup (buf);
      }
    default:
      return g_strdup (json_node_get_string (node));
    }
}

/* The marker line of @gem_id in @text, parsed; NULL if there is none. */
static JsonObject *
find_marker (const char *text,
             const char *gem_id)
{
  g_auto(GStrv) lines = g_strsplit (text ? text : "", "\n", -1);

  for (guint i = 0; lines[i]; i++)
    {
      g_autoptr(JsonNode) node = NULL;
      JsonObject *o;

      if (!g_str_has_prefix (lines[i], SLUICE_PYSPARK_MARKER))
        continue;
      node = json_from_string (lines[i] + strlen (SLUICE_PYSPARK_MARKER), NULL);
      if (node == NULL || !JSON_NODE_HOLDS_OBJECT (node))
        continue;
      o = json_node_get_object (node);
      if (g_strcmp0 (json_object_get_string_member_with_default (o, "gem", NULL), gem_id) == 0)
        return json_object_ref (o);
    }
  return NULL;
}

void
sluice_pyspark_run_fail_gem (SluiceRun    *run,
                             const char   *gem_id,
                             const GError *error)
{
  g_autoptr(SluiceGemResult) result = sluice_gem_result_new (gem_id);

  sluice_gem_result_take_error (result, g_error_copy (error));
  sluice_run_add_result (run, result);
}

gboolean
sluice_pyspark_run_take_output (SluiceRun   *run,
                                const char  *gem_id,
                                const char  *text,
                                double       elapsed_ms,
                                GError     **error)
{
  g_autoptr(JsonObject) marker = find_marker (text, gem_id);
  g_autoptr(SluiceGemResult) result = sluice_gem_result_new (gem_id);
  g_autoptr(GError) local_error = NULL;
  JsonArray *schema, *sample;
  guint n_columns;

  sluice_gem_result_set_elapsed (result, elapsed_ms);
  if (marker == NULL)
    {
      g_autofree char *all = g_strstrip (g_strdup (text ? text : ""));
      /* The end of what it printed says most. */
      const char *tail = strlen (all) > 400 ? all + strlen (all) - 400 : all;

      local_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                 _("gem “%s”: the service ran it but did not say what it gave%s%s"), gem_id,
                                 *tail ? ": " : "", tail);
    }
  else if (json_object_has_member (marker, "error"))
    local_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("gem “%s”: %s"), gem_id,
                               json_object_get_string_member_with_default (marker, "error", ""));
  if (local_error)
    {
      sluice_gem_result_take_error (result, g_error_copy (local_error));
      sluice_run_add_result (run, result);
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  schema = sluice_pyspark_array_member (marker, "schema");
  sample = sluice_pyspark_array_member (marker, "sample");
  n_columns = schema ? json_array_get_length (schema) : 0;
  for (guint c = 0; c < n_columns; c++)
    {
      JsonNode *col = json_array_get_element (schema, c);
      JsonArray *pair = JSON_NODE_HOLDS_ARRAY (col) ? json_node_get_array (col) : NULL;
      const char *name = pair && json_array_get_length (pair) > 0 ? json_array_get_string_element (pair, 0) : NULL;
      const char *type = pair && json_array_get_length (pair) > 1 ? json_array_get_string_element (pair, 1) : NULL;

      sluice_gem_result_add_column (result, name ? name : "", spark_type (type));
    }
  for (guint r = 0; sample && r < json_array_get_length (sample) && r < sluice_run_get_sample_limit (run); r++)
    {
      JsonNode *row = json_array_get_element (sample, r);
      JsonArray *values = JSON_NODE_HOLDS_ARRAY (row) ? json_node_get_array (row) : NULL;
      g_autoptr(GPtrArray) cells = g_ptr_array_new_with_free_func (g_free);

      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (cells, values && c < json_array_get_length (values)
                                ? format_value (json_array_get_element (values, c)) : NULL);
      sluice_gem_result_add_row (result, (const char * const *) cells->pdata);
    }
  sluice_gem_result_set_n_rows (result, json_object_get_int_member_with_default (marker, "rows", -1));
  if (json_object_has_member (marker, "output"))
    sluice_gem_result_set_output (result, json_object_get_string_member_with_default (marker, "output", NULL));
  sluice_run_add_result (run, result);
  return TRUE;
}

void
sluice_pyspark_run_complete (SluiceRun *run,
                             GTask     *task,
                             GError    *error)
{
  sluice_run_set_message (run, NULL);
  if (error == NULL)
    {
      sluice_run_finish (run, SLUICE_RUN_SUCCEEDED);
      g_task_return_boolean (task, TRUE);
      return;
    }
  sluice_run_finish (run, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                          ? SLUICE_RUN_CANCELLED : SLUICE_RUN_FAILED);
  g_task_return_error (task, error);
}

char *
sluice_pyspark_strip_html (const char *text)
{
  GString *out = g_string_new (NULL);
  gboolean in_tag = FALSE;
  static const struct { const char *entity, *text; } entities[] = {
    { "&lt;", "<" }, { "&gt;", ">" }, { "&quot;", "\"" }, { "&#39;", "'" }, { "&nbsp;", " " }, { "&amp;", "&" },
  };

  for (const char *p = text ? text : ""; *p; p++)
    {
      if (*p == '<')
        in_tag = TRUE;
      else if (*p == '>' && in_tag)
        in_tag = FALSE;
      else if (!in_tag)
        {
          gboolean replaced = FALSE;
          for (guint i = 0; *p == '&' && i < G_N_ELEMENTS (entities); i++)
            if (g_str_has_prefix (p, entities[i].entity))
              {
                g_string_append (out, entities[i].text);
                p += strlen (entities[i].entity) - 1;
                replaced = TRUE;
                break;
              }
          if (!replaced)
            g_string_append_c (out, *p);
        }
    }
  return g_strstrip (g_string_free (out, FALSE));
}

gboolean
sluice_pyspark_is_transient (const GError *error)
{
  /* The client itself retries 429, 503, timeouts and lost connections of
   * a GET for its whole retry budget: once that is spent, so is our
   * patience. A 5xx or a garbled body it hands back at once. */
  return error->domain == SLUICE_HTTP_ERROR &&
         (error->code == SLUICE_HTTP_ERROR_SERVER || error->code == SLUICE_HTTP_ERROR_BAD_RESPONSE);
}

JsonNode *
sluice_pyspark_json_object (const char *first_key,
                            ...)
{
  JsonObject *o = json_object_new ();
  JsonNode *node = json_node_new (JSON_NODE_OBJECT);
  va_list args;

  va_start (args, first_key);
  for (const char *key = first_key; key; key = va_arg (args, const char *))
    {
      const char *value = va_arg (args, const char *);
      if (value)
        json_object_set_string_member (o, key, value);
    }
  va_end (args);
  json_node_take_object (node, o);
  return node;
}

/* ---- A run's job ---- */

#define MAX_TRANSIENT 3
#define MAX_CANCEL_POLLS 20

static void
job_free (SluicePySparkJob *job)
{
  g_clear_handle_id (&job->timer, g_source_remove);
  if (job->klass->clear)
    job->klass->clear (job);
  g_object_unref (job->engine);
  g_object_unref (job->http);
  g_object_unref (job->run);
  sluice_pyspark_interactive_free (job->program);
  g_object_unref (job->io);
  g_clear_object (&job->user);
  g_clear_error (&job->error);
  g_free (job);
}

GError *
sluice_pyspark_cancelled_error (void)
{
  return g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("The run was cancelled."));
}

void
sluice_pyspark_job_request (GTask               *task,
                            const char          *method,
                            const char          *path,
                            JsonNode            *body,
                            SluiceHttpFlags      flags,
                            const guint         *accept,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);

  sluice_http_client_request_async (job->http, method, path, body, flags, accept, cancellable, callback,
                                    g_object_ref (task));
}

void
sluice_pyspark_job_ignore_cb (GObject      *source,
                              GAsyncResult *result,
                              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(SluiceHttpResponse) response = NULL;
  g_autoptr(GError) error = NULL;

  /* A cancel that fails leaves the statement to finish: the polls see it. */
  response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  if (response == NULL)
    g_debug ("%s", error->message);
}

void
sluice_pyspark_job_set_message (SluicePySparkJob *job,
                                const char       *format,
                                ...)
{
  g_autofree char *message = NULL;
  va_list args;

  va_start (args, format);
  message = g_strdup_vprintf (format, args);
  va_end (args);
  sluice_run_set_message (job->run, message);
}

void
sluice_pyspark_job_complete (GTask *task)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);

  if (job->cancel_handler)
    g_cancellable_disconnect (job->user, job->cancel_handler);
  job->cancel_handler = 0;
  sluice_pyspark_run_complete (job->run, task, g_steal_pointer (&job->error));
}

void
sluice_pyspark_job_finish (GTask  *task,
                           GError *error)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);

  g_clear_handle_id (&job->timer, g_source_remove);
  if (error && job->error == NULL)
    job->error = error;
  else if (error)
    g_error_free (error);
  job->klass->finish (task);
}

static gboolean
timer_cb (gpointer user_data)
{
  GTask *task = user_data;
  SluicePySparkJob *job = sluice_pyspark_job_of (task);

  job->timer = 0;
  if (job->cancelling && !job->klass->in_flight (job))
    sluice_pyspark_job_finish (task, sluice_pyspark_cancelled_error ());
  else
    job->wake (task);
  return G_SOURCE_REMOVE;
}

void
sluice_pyspark_job_sleep_then (GTask             *task,
                               SluicePySparkStep  wake)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);
  guint delay = job->cancelling ? job->poll_first_ms : job->delay_ms;

  job->wake = wake;
  job->delay_ms = sluice_pyspark_backoff (job->delay_ms, job->poll_max_ms);
  job->timer = g_timeout_add_full (G_PRIORITY_DEFAULT, delay, timer_cb, g_object_ref (task), g_object_unref);
}

void
sluice_pyspark_job_poll_failed (GTask             *task,
                                GError            *error,
                                SluicePySparkStep  retry)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);

  if (sluice_pyspark_is_transient (error) && job->transient < MAX_TRANSIENT && !g_cancellable_is_cancelled (job->io))
    {
      g_debug ("%s (trying again)", error->message);
      g_error_free (error);
      job->transient++;
      sluice_pyspark_job_sleep_then (task, retry);
      return;
    }
  sluice_pyspark_job_finish (task, error);
}

const char *
sluice_pyspark_job_step_gem (SluicePySparkJob *job)
{
  return job->step >= 0 ? sluice_pyspark_interactive_get_step_gem (job->program, job->step) : NULL;
}

const char *
sluice_pyspark_job_next_code (GTask       *task,
                              const char **gem)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);
  guint n = sluice_pyspark_interactive_get_n_steps (job->program);

  if (job->cancelling)
    {
      sluice_pyspark_job_finish (task, sluice_pyspark_cancelled_error ());
      return NULL;
    }
  job->step++;
  if (job->step >= 0 && (guint) job->step >= n)
    {
      sluice_pyspark_job_finish (task, NULL);
      return NULL;
    }
  job->step_started = g_get_monotonic_time ();
  job->cancel_polls = 0;
  *gem = sluice_pyspark_job_step_gem (job);
  if (*gem == NULL)
    return sluice_pyspark_interactive_get_prelude (job->program);
  sluice_run_set_gem_state (job->run, *gem, SLUICE_GEM_RUNNING);
  sluice_run_set_fraction (job->run, (double) job->step / n);
  return sluice_pyspark_interactive_get_step_code (job->program, job->step);
}

void
sluice_pyspark_job_step_done (GTask             *task,
                              const char        *text,
                              GError            *error,
                              SluicePySparkStep  next)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);
  const char *gem = sluice_pyspark_job_step_gem (job);
  double elapsed = (g_get_monotonic_time () - job->step_started) / 1000.0;

  if (error)
    {
      if (gem)
        sluice_pyspark_run_fail_gem (job->run, gem, error);
      sluice_pyspark_job_finish (task, error);
      return;
    }
  if (gem && !sluice_pyspark_run_take_output (job->run, gem, text, elapsed, &error))
    {
      sluice_pyspark_job_finish (task, error);
      return;
    }
  next (task);
}

void
sluice_pyspark_job_poll_again (GTask             *task,
                               SluicePySparkStep  poll)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);

  if (job->cancelling && ++job->cancel_polls > MAX_CANCEL_POLLS)
    /* The service does not confirm: the run stops waiting all the same. */
    sluice_pyspark_job_finish (task, sluice_pyspark_cancelled_error ());
  else
    sluice_pyspark_job_sleep_then (task, poll);
}

static void
on_cancel (GTask *task)
{
  SluicePySparkJob *job = sluice_pyspark_job_of (task);

  if (job->cancelling || g_task_get_completed (task))
    return;
  job->cancelling = TRUE;
  if (job->klass->in_flight (job))
    {
      /* The service stops it; polling goes on until it has. */
      job->klass->send_cancel (task);
      if (job->timer)
        {
          g_clear_handle_id (&job->timer, g_source_remove);
          job->wake (task);
        }
      return;
    }
  g_cancellable_cancel (job->io);
  if (job->timer)
    {
      g_clear_handle_id (&job->timer, g_source_remove);
      sluice_pyspark_job_finish (task, sluice_pyspark_cancelled_error ());
    }
}

static gboolean
cancel_idle_cb (gpointer user_data)
{
  on_cancel (user_data);
  return G_SOURCE_REMOVE;
}

static void
user_cancelled_cb (GCancellable *cancellable,
                   gpointer      user_data)
{
  SluicePySparkJob *job = user_data;
  GSource *idle = g_idle_source_new ();

  /* Whichever thread cancelled, the run goes on on its own context, and
   * never inside this handler (it disconnects when it ends). */
  g_source_set_callback (idle, cancel_idle_cb, g_object_ref (job->task), g_object_unref);
  g_source_attach (idle, g_task_get_context (job->task));
  g_source_unref (idle);
}

gpointer
sluice_pyspark_job_start (GTask                       *task,
                          const SluicePySparkJobClass *klass,
                          gsize                        size,
                          SluiceHttpClient            *http,
                          SluiceRun                   *run,
                          guint                        poll_first_ms,
                          guint                        poll_max_ms,
                          GCancellable                *cancellable,
                          const GError                *setup_error)
{
  g_autoptr(GError) error = NULL;
  SluicePySparkInteractive *program;
  SluicePySparkJob *job;

  g_assert (size >= sizeof (SluicePySparkJob));
  if (setup_error)
    {
      sluice_run_begin (run, (const char * const[]) { NULL });
      sluice_run_finish (run, SLUICE_RUN_FAILED);
      g_task_return_error (task, g_error_copy (setup_error));
      return NULL;
    }
  if ((program = sluice_pyspark_run_prepare (run, &error)) == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return NULL;
    }

  job = g_malloc0 (size);
  job->klass = klass;
  job->engine = g_object_ref (g_task_get_source_object (task));
  job->http = g_object_ref (http);
  job->run = g_object_ref (run);
  job->program = program;
  job->io = g_cancellable_new ();
  job->task = task;
  job->step = -2;
  job->poll_first_ms = poll_first_ms;
  job->poll_max_ms = poll_max_ms;
  job->delay_ms = poll_first_ms;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  if (cancellable)
    {
      job->user = g_object_ref (cancellable);
      job->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (user_cancelled_cb), job, NULL);
    }
  return job;
}
