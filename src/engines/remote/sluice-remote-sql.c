#define G_LOG_DOMAIN "sluice-remote-sql"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-engine-error.h"
#include "sluice-remote-sql-private.h"
#include "sluice-sql-generator.h"
#include "sluice-sql-writer.h"

/* ---- Rows ---- */

static void
column_clear (gpointer data)
{
  g_free (((SluiceColumn *) data)->name);
}

SluiceSqlRows *
_sluice_sql_rows_new (void)
{
  SluiceSqlRows *rows = g_new0 (SluiceSqlRows, 1);

  rows->columns = g_array_new (FALSE, FALSE, sizeof (SluiceColumn));
  g_array_set_clear_func (rows->columns, column_clear);
  rows->rows = g_ptr_array_new_with_free_func ((GDestroyNotify) g_ptr_array_unref);
  rows->total_rows = -1;
  return rows;
}

void
_sluice_sql_rows_free (SluiceSqlRows *rows)
{
  if (rows == NULL)
    return;
  g_array_unref (rows->columns);
  g_ptr_array_unref (rows->rows);
  g_free (rows);
}

void
_sluice_sql_rows_add_column (SluiceSqlRows *rows,
                             const char    *name,
                             SluiceSqlType  type)
{
  SluiceColumn c = { 0 };

  c.name = g_strdup (name);
  c.type = type;
  g_array_append_val (rows->columns, c);
}

GPtrArray *
_sluice_sql_rows_add_row (SluiceSqlRows *rows)
{
  GPtrArray *row = g_ptr_array_new_full (rows->columns->len, g_free);

  g_ptr_array_add (rows->rows, row);
  return row;
}

/* ---- JSON ---- */

const char *
_sluice_json_str (JsonObject *o,
                  const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

JsonObject *
_sluice_json_obj (JsonObject *o,
                  const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

JsonArray *
_sluice_json_arr (JsonObject *o,
                  const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

gint64
_sluice_json_int (JsonObject *o,
                  const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;

  if (n == NULL || !JSON_NODE_HOLDS_VALUE (n))
    return -1;
  if (json_node_get_value_type (n) == G_TYPE_INT64)
    return json_node_get_int (n);
  if (json_node_get_value_type (n) == G_TYPE_STRING)
    {
      /* 64-bit values may come as strings. */
      char *end = NULL;
      gint64 v = g_ascii_strtoll (json_node_get_string (n), &end, 10);
      return end && *end == '\0' && end != json_node_get_string (n) ? v : -1;
    }
  return -1;
}

/* ---- One statement ---- */

/* Polls start quick (most sample queries take well under a second) and
 * slow down to this. */
#define POLL_FIRST_MS 100
#define POLL_MAX_MS   2000

static void
statement_free (SluiceSqlStatement *st)
{
  g_assert (st->source == 0 && st->cancel_handler == 0);
  if (st->data_free != NULL)
    st->data_free (st->data);
  g_object_unref (st->engine);
  g_object_unref (st->http);
  g_free (st->warehouse);
  g_free (st->sql);
  g_clear_object (&st->run);
  g_clear_object (&st->cancellable);
  g_free (st->id);
  g_clear_pointer (&st->rows, _sluice_sql_rows_free);
  g_free (st);
}

JsonObject *
_sluice_sql_body_object (SluiceHttpResponse *response)
{
  return response && response->body && JSON_NODE_HOLDS_OBJECT (response->body)
         ? json_node_get_object (response->body) : NULL;
}

static void
cancel_sent (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);

  /* Cancel may lose the race with completion; nobody waits for it. */
  if (response == NULL)
    g_debug ("cancel: %s", error->message);
}

static void
send_cancel (SluiceSqlStatement *st)
{
  g_autofree char *id = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (st->id == NULL || st->terminal)
    return;
  st->terminal = TRUE;
  id = sluice_http_escape (st->id);
  path = g_strdup_printf ("%s/%s/cancel", st->klass->statements, id);
  body = json_node_init_object (json_node_alloc (), json_object_new ());
  sluice_http_client_request_async (st->http, "POST", path, body, SLUICE_HTTP_NO_RETRY | st->klass->cancel_flags,
                                    st->klass->accept_status, NULL, cancel_sent, NULL);
}

/* Ends @task with @rows or @error; whatever is still in flight finds
 * st->done. */
static void
statement_return (GTask         *task,
                  SluiceSqlRows *rows,
                  GError        *error)
{
  SluiceSqlStatement *st = g_task_get_task_data (task);

  g_assert (!st->done);
  st->done = TRUE;
  g_clear_handle_id (&st->source, g_source_remove);
  if (st->cancel_handler)
    {
      g_cancellable_disconnect (st->cancellable, st->cancel_handler);
      st->cancel_handler = 0;
    }
  /* However the cancel arrived (the handler, a request cut short), the
   * service is told. */
  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    send_cancel (st);
  if (error)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, rows, (GDestroyNotify) _sluice_sql_rows_free);
}

static gboolean
abort_idle (gpointer user_data)
{
  GTask *task = user_data;
  SluiceSqlStatement *st = g_task_get_task_data (task);

  if (!st->done)
    statement_return (task, NULL, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, _("Operation was cancelled")));
  return G_SOURCE_REMOVE;
}

static void
on_cancelled (GCancellable *cancellable,
              gpointer      user_data)
{
  /* Maybe on another thread, and never disconnected from inside: the work
   * is done from the task's context. */
  g_autoptr(GSource) idle = g_idle_source_new ();

  g_source_set_priority (idle, G_PRIORITY_DEFAULT);
  g_source_set_callback (idle, abort_idle, g_object_ref (user_data), g_object_unref);
  g_source_attach (idle, g_task_get_context (user_data));
}

gboolean
_sluice_sql_statement_read_rows (SluiceSqlStatement  *st,
                                 JsonArray           *data,
                                 GError             **error)
{
  const char *fabric = sluice_http_client_get_fabric_name (st->http);
  guint n_cols = st->rows->columns->len;

  for (guint r = 0; data && r < json_array_get_length (data); r++)
    {
      JsonNode *rn = json_array_get_element (data, r);
      JsonArray *values = JSON_NODE_HOLDS_ARRAY (rn) ? json_node_get_array (rn) : NULL;
      GPtrArray *row;

      if (st->row_limit && st->rows->rows->len >= st->row_limit)
        break;
      if (values == NULL || json_array_get_length (values) != n_cols)
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                       _("%s sent a result row with the wrong number of values."), fabric);
          return FALSE;
        }
      row = _sluice_sql_rows_add_row (st->rows);
      for (guint c = 0; c < n_cols; c++)
        {
          JsonNode *v = json_array_get_element (values, c);
          const char *text = JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING
                             ? json_node_get_string (v) : NULL;

          /* Every non-null value is a string; anything else is NULL or
           * wrong, and wrong is reported rather than shown as NULL. */
          if (text == NULL && !JSON_NODE_HOLDS_NULL (v))
            {
              g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                           _("%s sent a result value that is not a string (row %u, column “%s”)."),
                           fabric, st->rows->rows->len, g_array_index (st->rows->columns, SluiceColumn, c).name);
              return FALSE;
            }
          g_ptr_array_add (row, text ? st->klass->convert (st, c, text) : NULL);
        }
    }
  return TRUE;
}

static void handle_answer (GTask *task, SluiceHttpResponse *response);
static void submit (GTask *task);
static void fetch_more (GTask *task);

static void
page_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceSqlStatement *st = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);

  if (st->done)
    return;
  if (response == NULL || !st->klass->read_page (st, response, &error))
    statement_return (task, NULL, g_steal_pointer (&error));
  else
    fetch_more (g_steal_pointer (&task));
}

/* The next page while more rows are wanted, else the rows. */
static void
fetch_more (GTask *task)
{
  SluiceSqlStatement *st = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (st->row_limit == 0 || st->rows->rows->len < st->row_limit)
    path = st->klass->next_page (st);
  if (path == NULL)
    {
      statement_return (task, g_steal_pointer (&st->rows), NULL);
      g_object_unref (task);
      return;
    }
  sluice_http_client_request_async (st->http, "GET", path, NULL, st->flags, st->klass->accept_status,
                                    st->cancellable, page_done, task);
}

static void
poll_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceSqlStatement *st = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);

  if (st->done)
    return;
  if (response == NULL)
    {
      if (st->klass->poll_failed != NULL)
        error = st->klass->poll_failed (st, g_steal_pointer (&error));
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  handle_answer (g_steal_pointer (&task), response);
}

static gboolean
poll_cb (gpointer user_data)
{
  GTask *task = user_data;
  SluiceSqlStatement *st = g_task_get_task_data (task);
  g_autofree char *path = st->klass->poll_path (st);

  st->source = 0;
  sluice_http_client_request_async (st->http, "GET", path, NULL, st->flags, st->klass->accept_status,
                                    st->cancellable, poll_done, g_object_ref (task));
  return G_SOURCE_REMOVE;
}

/* What the service answered a submit or a poll with. Consumes @task. */
static void
handle_answer (GTask              *task,
               SluiceHttpResponse *response)
{
  SluiceSqlStatement *st = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autofree char *message = NULL;
  SluiceSqlStep step = st->klass->read_answer (st, response, &error);

  switch (step)
    {
    case SLUICE_SQL_STEP_PENDING:
    case SLUICE_SQL_STEP_RUNNING:
      if (st->run)
        {
          if (step == SLUICE_SQL_STEP_PENDING)
            message = g_strdup_printf (_("Waiting for warehouse “%s” (PENDING)…"), st->warehouse);
          else
            message = g_strdup_printf (_("Running on warehouse “%s”…"), st->warehouse);
          sluice_run_set_message (st->run, message);
        }
      st->poll_ms = st->poll_ms ? MIN (st->poll_ms * 2, POLL_MAX_MS) : POLL_FIRST_MS;
      st->source = g_timeout_add_full (G_PRIORITY_DEFAULT, st->poll_ms, poll_cb, task, g_object_unref);
      return;
    case SLUICE_SQL_STEP_DONE:
      st->terminal = TRUE;
      fetch_more (task);
      return;
    case SLUICE_SQL_STEP_FAILED:
    default:
      statement_return (task, NULL, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
}

static gboolean
resubmit_cb (gpointer user_data)
{
  SluiceSqlStatement *st = g_task_get_task_data (user_data);

  st->source = 0;
  submit (g_object_ref (user_data));
  return G_SOURCE_REMOVE;
}

/* How long to wait before submitting again, or -1: the engine's say,
 * within a connection test's budget. */
static gint
resubmit_delay (SluiceSqlStatement *st,
                const GError       *error)
{
  gint delay = st->klass->resubmit_delay ? st->klass->resubmit_delay (st, error) : -1;
  gint64 elapsed_ms = (g_get_monotonic_time () - st->started_us) / 1000;

  if (delay >= 0 && (st->flags & SLUICE_HTTP_QUICK) &&
      (st->submits > SLUICE_HTTP_QUICK_RETRIES || elapsed_ms + delay > SLUICE_HTTP_QUICK_BUDGET_S * 1000))
    return -1;
  return delay;
}

static void
submit_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceSqlStatement *st = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  gint delay;

  if (st->done)
    {
      /* Cancelled while the submit was on its way: now that there is an
       * id, the service is told. */
      const char *id = response ? st->klass->running_id (response) : NULL;

      if (id && st->id == NULL)
        {
          st->id = g_strdup (id);
          st->terminal = FALSE;
          send_cancel (st);
        }
      return;
    }
  if (response != NULL)
    {
      handle_answer (g_steal_pointer (&task), response);
      return;
    }
  delay = resubmit_delay (st, error);
  if (delay >= 0)
    {
      g_debug ("statement: resubmitting after “%s”", error->message);
      st->source = g_timeout_add_full (G_PRIORITY_DEFAULT, delay, resubmit_cb, g_steal_pointer (&task),
                                       g_object_unref);
      return;
    }
  statement_return (task, NULL, g_steal_pointer (&error));
}

/* Not cancelled in flight: its answer carries the id that the cancel call
 * needs. Consumes @task. */
static void
submit (GTask *task)
{
  SluiceSqlStatement *st = g_task_get_task_data (task);
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = st->klass->build_submit (st, &path);

  st->submits++;
  sluice_http_client_request_async (st->http, "POST", path, body, st->klass->submit_flags | st->flags,
                                    st->klass->accept_status, NULL, submit_done, task);
}

void
_sluice_sql_statement_run_async (SluiceEngine                  *engine,
                                 const SluiceSqlStatementClass *klass,
                                 SluiceHttpClient              *http,
                                 const char                    *warehouse,
                                 const char                    *sql,
                                 guint                          row_limit,
                                 SluiceRun                     *run,
                                 SluiceHttpFlags                flags,
                                 gpointer                       data,
                                 GDestroyNotify                 data_free,
                                 GCancellable                  *cancellable,
                                 GAsyncReadyCallback            callback,
                                 gpointer                       user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);
  SluiceSqlStatement *st;

  g_task_set_source_tag (task, _sluice_sql_statement_run_async);
  st = g_new0 (SluiceSqlStatement, 1);
  st->klass = klass;
  st->engine = g_object_ref (engine);
  st->http = g_object_ref (http);
  st->warehouse = g_strdup (warehouse);
  st->sql = g_strdup (sql);
  st->row_limit = row_limit;
  st->run = run ? g_object_ref (run) : NULL;
  st->flags = flags;
  st->data = data;
  st->data_free = data_free;
  st->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  st->started_us = g_get_monotonic_time ();
  g_task_set_task_data (task, st, (GDestroyNotify) statement_free);
  if (g_task_return_error_if_cancelled (task))
    return;

  if (run)
    {
      g_autofree char *message = g_strdup_printf (_("Sending the query to warehouse “%s”…"), warehouse);
      sluice_run_set_message (run, message);
    }
  if (cancellable)
    st->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task, NULL);
  submit (g_steal_pointer (&task));
}

SluiceSqlRows *
_sluice_sql_statement_run_finish (SluiceEngine  *engine,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Values ---- */

char *
_sluice_remote_format_timestamp (gint64   seconds,
                                 guint    nanoseconds,
                                 gboolean with_offset,
                                 int      offset_minutes)
{
  g_autoptr(GDateTime) utc = g_date_time_new_from_unix_utc (seconds);
  g_autoptr(GDateTime) local = NULL;
  g_autoptr(GTimeZone) tz = NULL;
  GString *out;

  if (utc == NULL)
    return g_strdup_printf ("%" G_GINT64_FORMAT, seconds);
  if (with_offset)
    {
      tz = g_time_zone_new_offset (offset_minutes * 60);
      local = g_date_time_to_timezone (utc, tz);
    }
  out = g_string_new (NULL);
  {
    g_autofree char *text = g_date_time_format (local ? local : utc, "%Y-%m-%d %H:%M:%S");
    g_string_append (out, text);
  }
  if (nanoseconds)
    {
      char frac[16];
      int len;

      g_snprintf (frac, sizeof frac, "%09u", nanoseconds);
      for (len = 9; len > 0 && frac[len - 1] == '0'; len--)
        ;
      frac[len] = '\0';
      g_string_append_printf (out, ".%s", frac);
    }
  if (with_offset)
    g_string_append_printf (out, "%c%02d:%02d", offset_minutes < 0 ? '-' : '+', ABS (offset_minutes) / 60,
                            ABS (offset_minutes) % 60);
  return g_string_free (out, FALSE);
}

/* ---- The plan of a run ---- */

#define COUNT_COLUMN "__sluice_rows"

typedef struct
{
  char *gem_id;
  char *sql;     /* owned */
} Step;

static void
step_clear (gpointer data)
{
  Step *s = data;

  g_free (s->gem_id);
  g_free (s->sql);
}

/* The sample statement of a gem: its SELECT with a window count and the
 * limit. The count comes in the same statement (on every row, so on the
 * first sample row) rather than from a second COUNT(*) statement: one round
 * trip per gem instead of two, on services where each can take seconds,
 * and count and sample come from the same execution. */
static char *
sample_statement (SluiceDialect dialect,
                  const char   *select,
                  guint         limit)
{
  const char *last = g_strrstr (select, "\nSELECT * FROM ");
  g_autofree char *count = sluice_sql_quote_identifier (dialect, COUNT_COLUMN);

  g_assert (last != NULL);   /* sluice_sql_generate_select() ends so */
  /* At least one row, which carries the count. */
  return g_strdup_printf ("%.*s\nSELECT *, COUNT(*) OVER () AS %s FROM %s\nLIMIT %u",
                          (int) (last - select), select, count, last + strlen ("\nSELECT * FROM "), MAX (limit, 1));
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
  sluice_run_add_problem (run, d);
  (*n_errors)++;
}

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

/* The statements of @run, or NULL with the problems added to the run
 * (SLUICE_ENGINE_ERROR_PIPELINE), as sluice_local_plan_new() does; but
 * Sources read the service's tables, so no sample files are needed. */
static GArray *
plan_new (SluiceRun      *run,
          SluiceDialect   dialect,
          GError        **error)
{
  SluiceProject *project = sluice_run_get_project (run);
  SluicePipeline *p = sluice_run_get_pipeline (run);
  GListModel *datasets = sluice_project_get_datasets (project);
  const char *file = sluice_pipeline_get_file (p);
  const char *until = sluice_run_get_until_gem (run);
  g_autoptr(GArray) steps = g_array_new (FALSE, TRUE, sizeof (Step));
  g_autoptr(GPtrArray) structural = NULL;
  g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(SluiceResolver) resolver = NULL;
  g_autoptr(GHashTable) in_run = g_hash_table_new (g_str_hash, g_str_equal);
  g_auto(GStrv) order = NULL;
  guint n_errors = 0;

  g_array_set_clear_func (steps, step_clear);
  if (sluice_pipeline_get_load_error (p))
    {
      add_message (run, file, NULL, sluice_pipeline_get_load_error (p)->message, &n_errors);
      goto out;
    }
  if (until && sluice_pipeline_find_gem (p, until) == NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: there is no gem “%s” in the pipeline %s"), file, until, sluice_pipeline_get_name (p));
      return NULL;
    }
  order = sluice_sql_run_order (p, until);
  for (guint i = 0; order[i]; i++)
    g_hash_table_add (in_run, order[i]);

  structural = sluice_pipeline_validate (p, datasets);
  for (guint i = 0; i < structural->len; i++)
    {
      SluiceDiagnostic *d = g_ptr_array_index (structural, i);
      const char *gem = sluice_diagnostic_get_gem_id (d);
      if (gem == NULL || g_hash_table_contains (in_run, gem) || (until && g_str_equal (gem, until)))
        add_problem (run, d, &n_errors);
    }
  if (n_errors)
    goto out;

  resolver = sluice_resolver_new (p, datasets);
  for (guint i = 0; order[i]; i++)
    {
      GPtrArray *ds = sluice_resolver_get_diagnostics (resolver, order[i]);
      for (guint k = 0; ds && k < ds->len; k++)
        add_problem (run, g_ptr_array_index (ds, k), &n_errors);
    }
  if (n_errors)
    goto out;

  for (guint i = 0; order[i]; i++)
    {
      guint before = problems->len;
      g_autofree char *select = sluice_sql_generate_select (p, datasets, resolver, dialect, order[i], problems);
      Step step = { g_strdup (order[i]), NULL };

      for (guint k = before; k < problems->len; k++)
        add_message (run, file, order[i], g_ptr_array_index (problems, k), &n_errors);
      if (select)
        step.sql = sample_statement (dialect, select, sluice_run_get_sample_limit (run));
      else if (problems->len == before)
        add_message (run, file, order[i], _("the gem has no input"), &n_errors);
      g_array_append_val (steps, step);
    }

out:
  if (n_errors)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_PIPELINE,
                   g_dngettext (GETTEXT_PACKAGE, "%s: the pipeline has %u problem, so nothing ran",
                                "%s: the pipeline has %u problems, so nothing ran", n_errors),
                   file, n_errors);
      return NULL;
    }
  return g_steal_pointer (&steps);
}

/* ---- Running it, one statement after the other ---- */

typedef struct
{
  SluiceRun              *run;        /* owned */
  GArray                 *steps;      /* owned */
  guint                   next;
  SluiceSqlExecute        execute;
  gint64                  t0;
} Job;

static void
job_free (Job *job)
{
  g_clear_object (&job->run);
  g_clear_pointer (&job->steps, g_array_unref);
  g_free (job);
}

static void run_next (GTask *task);

/* The sample statement's rows as the gem's result: the count column (the
 * last) becomes the row count. */
static SluiceGemResult *
gem_result (const char    *gem_id,
            SluiceSqlRows *rows,
            guint          limit)
{
  g_autoptr(SluiceGemResult) result = sluice_gem_result_new (gem_id);
  guint n_cols = rows->columns->len;
  gint64 n_rows = 0;

  if (n_cols == 0)
    return g_steal_pointer (&result);
  for (guint c = 0; c + 1 < n_cols; c++)
    {
      SluiceColumn *col = &g_array_index (rows->columns, SluiceColumn, c);
      sluice_gem_result_add_column (result, col->name, col->type);
    }
  for (guint r = 0; r < rows->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows->rows, r);
      const char *count = row->len == n_cols ? g_ptr_array_index (row, n_cols - 1) : NULL;

      if (r == 0 && count)
        n_rows = g_ascii_strtoll (count, NULL, 10);
      if (r < limit)
        sluice_gem_result_add_row (result, (const char * const *) row->pdata);
    }
  sluice_gem_result_set_n_rows (result, MAX (n_rows, (gint64) MIN (rows->rows->len, limit)));
  return g_steal_pointer (&result);
}

static void
step_done (GObject      *source,
           GAsyncResult *res,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Job *job = g_task_get_task_data (task);
  Step *step = &g_array_index (job->steps, Step, job->next);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceSqlRows) rows = _sluice_sql_statement_run_finish (SLUICE_ENGINE (source), res, &error);
  g_autoptr(SluiceGemResult) result = NULL;

  if (rows == NULL)
    {
      sluice_run_set_message (job->run, NULL);
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          sluice_run_finish (job->run, SLUICE_RUN_CANCELLED);
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      g_prefix_error (&error, _("gem “%s”: "), step->gem_id);
      result = sluice_gem_result_new (step->gem_id);
      sluice_gem_result_set_elapsed (result, (g_get_monotonic_time () - job->t0) / 1000.0);
      sluice_gem_result_take_error (result, g_error_copy (error));
      sluice_run_add_result (job->run, result);
      sluice_run_finish (job->run, SLUICE_RUN_FAILED);
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  result = gem_result (step->gem_id, rows, sluice_run_get_sample_limit (job->run));
  sluice_gem_result_set_elapsed (result, (g_get_monotonic_time () - job->t0) / 1000.0);
  sluice_run_add_result (job->run, result);
  job->next++;
  sluice_run_set_fraction (job->run, (double) job->next / job->steps->len);
  run_next (g_steal_pointer (&task));
}

static void
run_next (GTask *task)
{
  Job *job = g_task_get_task_data (task);
  Step *step;

  if (g_task_return_error_if_cancelled (task))
    {
      sluice_run_set_message (job->run, NULL);
      sluice_run_finish (job->run, SLUICE_RUN_CANCELLED);
      g_object_unref (task);
      return;
    }
  if (job->next == job->steps->len)
    {
      sluice_run_set_message (job->run, NULL);
      sluice_run_finish (job->run, SLUICE_RUN_SUCCEEDED);
      g_task_return_boolean (task, TRUE);
      g_object_unref (task);
      return;
    }
  step = &g_array_index (job->steps, Step, job->next);
  sluice_run_set_gem_state (job->run, step->gem_id, SLUICE_GEM_RUNNING);
  job->t0 = g_get_monotonic_time ();
  job->execute (g_task_get_source_object (task), step->sql, 0, job->run, g_task_get_cancellable (task),
                step_done, task);
}

void
_sluice_remote_sql_run_pipeline_async (SluiceEngine           *engine,
                                       SluiceDialect           dialect,
                                       SluiceSqlExecute        execute,
                                       SluiceRun              *run,
                                       GCancellable           *cancellable,
                                       GAsyncReadyCallback     callback,
                                       gpointer                user_data)
{
  GTask *task = g_task_new (engine, cancellable, callback, user_data);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) gems = g_ptr_array_new ();
  GArray *steps;
  Job *job;

  g_task_set_source_tag (task, _sluice_remote_sql_run_pipeline_async);
  steps = plan_new (run, dialect, &error);
  if (steps == NULL)
    {
      sluice_run_begin (run, (const char * const[]) { NULL });
      sluice_run_finish (run, SLUICE_RUN_FAILED);
      g_task_return_error (task, g_steal_pointer (&error));
      g_object_unref (task);
      return;
    }
  for (guint i = 0; i < steps->len; i++)
    g_ptr_array_add (gems, g_array_index (steps, Step, i).gem_id);
  g_ptr_array_add (gems, NULL);
  sluice_run_begin (run, (const char * const *) gems->pdata);

  job = g_new0 (Job, 1);
  job->run = g_object_ref (run);
  job->steps = steps;
  job->execute = execute;
  g_task_set_task_data (task, job, (GDestroyNotify) job_free);
  run_next (task);
}


/* ---- One statement ---- */

typedef struct
{
  gint64                 t0;
} SqlJob;

static void
sql_done (GObject      *source,
          GAsyncResult *res,
          gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SqlJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceSqlRows) rows = _sluice_sql_statement_run_finish (SLUICE_ENGINE (source), res, &error);
  g_autoptr(SluiceGemResult) result = NULL;

  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  result = sluice_gem_result_new (NULL);
  for (guint c = 0; c < rows->columns->len; c++)
    {
      SluiceColumn *col = &g_array_index (rows->columns, SluiceColumn, c);
      sluice_gem_result_add_column (result, col->name, col->type);
    }
  for (guint r = 0; r < rows->rows->len; r++)
    sluice_gem_result_add_row (result, (const char * const *) ((GPtrArray *) g_ptr_array_index (rows->rows, r))->pdata);
  sluice_gem_result_set_n_rows (result, rows->total_rows >= 0 ? rows->total_rows : (gint64) rows->rows->len);
  sluice_gem_result_set_elapsed (result, (g_get_monotonic_time () - job->t0) / 1000.0);
  g_task_return_pointer (task, g_steal_pointer (&result), g_object_unref);
}

void
_sluice_remote_sql_run_sql_async (SluiceEngine           *engine,
                                  SluiceSqlExecute        execute,
                                  const char             *sql,
                                  guint                   sample_limit,
                                  GCancellable           *cancellable,
                                  GAsyncReadyCallback     callback,
                                  gpointer                user_data)
{
  GTask *task = g_task_new (engine, cancellable, callback, user_data);
  SqlJob *job = g_new0 (SqlJob, 1);

  job->t0 = g_get_monotonic_time ();
  g_task_set_source_tag (task, _sluice_remote_sql_run_sql_async);
  g_task_set_task_data (task, job, g_free);
  execute (engine, sql, sample_limit, NULL, cancellable, sql_done, task);
}

