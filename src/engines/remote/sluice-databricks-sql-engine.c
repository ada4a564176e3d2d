#define G_LOG_DOMAIN "sluice-databricks-sql"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-compute.h"
#include "sluice-databricks-sql-engine.h"
#include "sluice-engine-error.h"
#include "sluice-remote-sql-private.h"

struct _SluiceDatabricksSqlEngine
{
  GObject           parent_instance;
  SluiceHttpClient *http;          /* owned, nullable: see setup_error */
  GError           *setup_error;   /* owned, nullable: why there is no client */
  char             *warehouse_id;  /* owned */
};

static void engine_iface_init (SluiceEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceDatabricksSqlEngine, sluice_databricks_sql_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SLUICE_TYPE_ENGINE, engine_iface_init))

#define STATEMENTS "/api/2.0/sql/statements"
/* Polls start quick (most sample queries take well under a second) and
 * slow down to this. */
#define POLL_FIRST_MS 100
#define POLL_MAX_MS   2000

static gboolean
check_ready (SluiceDatabricksSqlEngine *self,
             GTask                     *task)
{
  if (self->http)
    return TRUE;
  g_task_return_error (task, g_error_copy (self->setup_error));
  return FALSE;
}

/* ---- One statement ---- */

typedef struct
{
  SluiceDatabricksSqlEngine *self;          /* owned */
  char                      *sql;
  guint                      row_limit;
  SluiceRun                 *run;           /* owned, nullable */
  GCancellable              *cancellable;   /* owned, nullable */
  gulong                     cancel_handler;
  char                      *id;            /* nullable until the service answers */
  gboolean                   terminal;      /* the service said it ended */
  gboolean                   done;          /* the task returned */
  guint                      poll_source;
  guint                      poll_ms;
  GPtrArray                 *type_names;    /* per column, the manifest's type_name */
  SluiceSqlRows             *rows;          /* owned, nullable until SUCCEEDED */
} Statement;

static void
statement_free (Statement *st)
{
  g_assert (st->poll_source == 0 && st->cancel_handler == 0);
  g_object_unref (st->self);
  g_free (st->sql);
  g_clear_object (&st->run);
  g_clear_object (&st->cancellable);
  g_free (st->id);
  g_clear_pointer (&st->type_names, g_ptr_array_unref);
  g_clear_pointer (&st->rows, _sluice_sql_rows_free);
  g_free (st);
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
send_cancel (Statement *st)
{
  g_autofree char *path = NULL;
  g_autofree char *id = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (st->id == NULL || st->terminal)
    return;
  st->terminal = TRUE;
  id = sluice_http_escape (st->id);
  path = g_strdup_printf (STATEMENTS "/%s/cancel", id);
  body = json_node_init_object (json_node_alloc (), json_object_new ());
  sluice_http_client_request_async (st->self->http, "POST", path, body, SLUICE_HTTP_NO_RETRY | SLUICE_HTTP_RAW,
                                    NULL, NULL, cancel_sent, NULL);
}

/* Ends @task with @rows or @error; whatever is still in flight finds
 * st->done. */
static void
statement_return (GTask         *task,
                  SluiceSqlRows *rows,
                  GError        *error)
{
  Statement *st = g_task_get_task_data (task);

  g_assert (!st->done);
  st->done = TRUE;
  g_clear_handle_id (&st->poll_source, g_source_remove);
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
  Statement *st = g_task_get_task_data (task);

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

static SluiceSqlType
column_type (JsonObject *col)
{
  const char *name = _sluice_json_str (col, "type_name");
  SluiceSqlType t = SLUICE_SQL_TYPE (SLUICE_SQL_STRING);

  if (name == NULL)
    return SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
  if (g_ascii_strcasecmp (name, "LONG") == 0)
    t.kind = SLUICE_SQL_BIGINT;
  else if (g_ascii_strcasecmp (name, "INT") == 0 || g_ascii_strcasecmp (name, "SHORT") == 0 ||
           g_ascii_strcasecmp (name, "BYTE") == 0)
    t.kind = SLUICE_SQL_INT;
  else if (g_ascii_strcasecmp (name, "DOUBLE") == 0 || g_ascii_strcasecmp (name, "FLOAT") == 0)
    t.kind = SLUICE_SQL_DOUBLE;
  else if (g_ascii_strcasecmp (name, "BOOLEAN") == 0)
    t.kind = SLUICE_SQL_BOOLEAN;
  else if (g_ascii_strcasecmp (name, "DATE") == 0)
    t.kind = SLUICE_SQL_DATE;
  else if (g_ascii_strcasecmp (name, "TIMESTAMP") == 0 || g_ascii_strcasecmp (name, "TIMESTAMP_NTZ") == 0)
    t.kind = SLUICE_SQL_TIMESTAMP;
  else if (g_ascii_strcasecmp (name, "NULL") == 0)
    t.kind = SLUICE_SQL_NULL;
  else if (g_ascii_strcasecmp (name, "DECIMAL") == 0)
    {
      gint64 p = _sluice_json_int (col, "type_precision"), s = _sluice_json_int (col, "type_scale");
      const char *text = _sluice_json_str (col, "type_text");
      SluiceSqlType parsed;

      if (p > 0 && p <= 38 && s >= 0 && s <= p)
        t = (SluiceSqlType) { SLUICE_SQL_DECIMAL, (guint8) p, (guint8) s };
      else if (text && sluice_sql_type_parse (text, &parsed) && parsed.kind == SLUICE_SQL_DECIMAL)
        t = parsed;
      else
        t = (SluiceSqlType) { SLUICE_SQL_DECIMAL, 10, 0 };
    }
  /* Everything else (strings, binary, arrays, maps, structs, intervals)
   * is shown as the text the warehouse sent. */
  return t;
}

/* Spark's JSON_ARRAY text, in Sluice's spelling: timestamps
 * "2024-01-05T10:30:00.000Z" read "2024-01-05 10:30:00". */
static char *
convert_value (SluiceSqlType  type,
               const char    *value)
{
  if (value == NULL)
    return NULL;
  if (type.kind == SLUICE_SQL_TIMESTAMP && strlen (value) >= 19 && value[10] == 'T')
    {
      GString *out = g_string_new_len (value, 19);
      const char *rest = value + 19;

      out->str[10] = ' ';
      if (*rest == '.')
        {
          gsize n = strspn (rest + 1, "0123456789");
          while (n > 0 && rest[n] == '0')
            n--;
          if (n > 0)
            g_string_append_len (out, rest, n + 1);
          rest += 1 + strspn (rest + 1, "0123456789");
        }
      if (*rest && g_strcmp0 (rest, "Z") != 0)
        g_string_append (out, rest);
      return g_string_free (out, FALSE);
    }
  return g_strdup (value);
}

static gboolean
read_manifest (Statement  *st,
               JsonObject *manifest,
               GError    **error)
{
  JsonArray *columns = _sluice_json_arr (_sluice_json_obj (manifest, "schema"), "columns");
  guint n = columns ? json_array_get_length (columns) : 0;
  g_autofree JsonObject **by_position = g_new0 (JsonObject *, MAX (n, 1));

  st->rows = _sluice_sql_rows_new ();
  st->rows->total_rows = _sluice_json_int (manifest, "total_row_count");
  for (guint i = 0; i < n; i++)
    {
      JsonNode *node = json_array_get_element (columns, i);
      JsonObject *col = JSON_NODE_HOLDS_OBJECT (node) ? json_node_get_object (node) : NULL;
      gint64 pos = _sluice_json_int (col, "position");

      if (col == NULL || _sluice_json_str (col, "name") == NULL || pos < 0 || pos >= n || by_position[pos])
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                       _("%s sent a result schema that cannot be read (column %u)."),
                       sluice_http_client_get_fabric_name (st->self->http), i + 1);
          return FALSE;
        }
      by_position[pos] = col;
    }
  for (guint i = 0; i < n; i++)
    _sluice_sql_rows_add_column (st->rows, _sluice_json_str (by_position[i], "name"), column_type (by_position[i]));
  return TRUE;
}

/* Appends a chunk's rows; FALSE with @error when they do not fit. */
static gboolean
read_chunk (Statement  *st,
            JsonObject *chunk,
            GError    **error)
{
  JsonArray *data = _sluice_json_arr (chunk, "data_array");
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
                       _("%s sent a result row with the wrong number of values."),
                       sluice_http_client_get_fabric_name (st->self->http));
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
                           sluice_http_client_get_fabric_name (st->self->http), st->rows->rows->len,
                           g_array_index (st->rows->columns, SluiceColumn, c).name);
              return FALSE;
            }
          g_ptr_array_add (row, convert_value (g_array_index (st->rows->columns, SluiceColumn, c).type, text));
        }
    }
  return TRUE;
}

static void handle_statement (GTask *task, JsonObject *response);
static void fetch_chunk (GTask *task, const char *path);

static void
chunk_done (GObject      *source,
            GAsyncResult *result,
            gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Statement *st = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  JsonObject *chunk;
  const char *next;

  if (st->done)
    return;
  if (response == NULL)
    {
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  chunk = response->body && JSON_NODE_HOLDS_OBJECT (response->body) ? json_node_get_object (response->body) : NULL;
  if (chunk == NULL || !read_chunk (st, chunk, &error))
    {
      if (error == NULL)
        error = g_error_new (SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE, _("%s sent a result chunk that is not a JSON object."),
                             sluice_http_client_get_fabric_name (st->self->http));
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  next = _sluice_json_str (chunk, "next_chunk_internal_link");
  if (next && (st->row_limit == 0 || st->rows->rows->len < st->row_limit))
    fetch_chunk (g_steal_pointer (&task), next);
  else
    statement_return (task, g_steal_pointer (&st->rows), NULL);
}

static void
fetch_chunk (GTask      *task,
             const char *path)
{
  Statement *st = g_task_get_task_data (task);

  sluice_http_client_request_async (st->self->http, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, st->cancellable,
                                    chunk_done, task);
}

static void
poll_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Statement *st = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);

  if (st->done)
    return;
  if (response == NULL)
    {
      if (g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_NOT_FOUND))
        {
          /* Results are kept for a while only (ENGINE-APIS.md §1.9). */
          st->terminal = TRUE;
          g_clear_error (&error);
          error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s no longer knows the statement %s (its result expired)."),
                               sluice_http_client_get_fabric_name (st->self->http), st->id);
        }
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  handle_statement (g_steal_pointer (&task),
                    response->body && JSON_NODE_HOLDS_OBJECT (response->body) ? json_node_get_object (response->body) : NULL);
}

static gboolean
poll_cb (gpointer user_data)
{
  GTask *task = user_data;
  Statement *st = g_task_get_task_data (task);
  g_autofree char *id = sluice_http_escape (st->id);
  g_autofree char *path = g_strdup_printf (STATEMENTS "/%s", id);

  st->poll_source = 0;
  sluice_http_client_request_async (st->self->http, "GET", path, NULL, SLUICE_HTTP_NONE, NULL, st->cancellable,
                                    poll_done, g_object_ref (task));
  return G_SOURCE_REMOVE;
}

static void
handle_statement (GTask      *task,
                  JsonObject *response)
{
  Statement *st = g_task_get_task_data (task);
  const char *fabric = sluice_http_client_get_fabric_name (st->self->http);
  JsonObject *status = _sluice_json_obj (response, "status");
  const char *state = _sluice_json_str (status, "state");
  const char *id = _sluice_json_str (response, "statement_id");
  g_autoptr(GError) error = NULL;
  g_autoptr(GTask) owned = task;

  if (response == NULL || state == NULL || (id == NULL && st->id == NULL))
    {
      statement_return (task, NULL, g_error_new (SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                                                 _("%s answered without a statement state."), fabric));
      return;
    }
  if (st->id == NULL)
    st->id = g_strdup (id);

  if (g_str_equal (state, "PENDING") || g_str_equal (state, "RUNNING"))
    {
      g_autofree char *message = NULL;

      if (st->run)
        {
          if (g_str_equal (state, "PENDING"))
            message = g_strdup_printf (_("Waiting for warehouse “%s” (PENDING)…"), st->self->warehouse_id);
          else
            message = g_strdup_printf (_("Running on warehouse “%s”…"), st->self->warehouse_id);
          sluice_run_set_message (st->run, message);
        }
      st->poll_ms = st->poll_ms ? MIN (st->poll_ms * 2, POLL_MAX_MS) : POLL_FIRST_MS;
      st->poll_source = g_timeout_add_full (G_PRIORITY_DEFAULT, st->poll_ms, poll_cb, g_steal_pointer (&owned),
                                            g_object_unref);
      return;
    }

  st->terminal = TRUE;
  if (g_str_equal (state, "SUCCEEDED"))
    {
      JsonObject *manifest = _sluice_json_obj (response, "manifest");
      JsonObject *result = _sluice_json_obj (response, "result");
      const char *next;

      if (manifest == NULL)
        {
          statement_return (task, NULL, g_error_new (SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                                                     _("%s said the statement succeeded but sent no result manifest."),
                                                     fabric));
          return;
        }
      if (!read_manifest (st, manifest, &error))
        {
          statement_return (task, NULL, g_steal_pointer (&error));
          return;
        }
      if (result == NULL && _sluice_json_int (manifest, "total_chunk_count") > 0)
        {
          g_autofree char *escaped = sluice_http_escape (st->id);
          g_autofree char *path = g_strdup_printf (STATEMENTS "/%s/result/chunks/0", escaped);
          fetch_chunk (g_steal_pointer (&owned), path);
          return;
        }
      if (result && !read_chunk (st, result, &error))
        {
          statement_return (task, NULL, g_steal_pointer (&error));
          return;
        }
      next = _sluice_json_str (result, "next_chunk_internal_link");
      if (next && (st->row_limit == 0 || st->rows->rows->len < st->row_limit))
        fetch_chunk (g_steal_pointer (&owned), next);
      else
        statement_return (task, g_steal_pointer (&st->rows), NULL);
      return;
    }
  if (g_str_equal (state, "FAILED"))
    {
      const char *message = _sluice_json_str (_sluice_json_obj (status, "error"), "message");
      statement_return (task, NULL, g_error_new_literal (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                                         message ? message : _("The statement failed.")));
      return;
    }
  if (g_str_equal (state, "CANCELED"))
    {
      statement_return (task, NULL, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                                 _("%s cancelled the statement."), fabric));
      return;
    }
  if (g_str_equal (state, "CLOSED"))
    {
      statement_return (task, NULL, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                                 _("%s closed the statement: its result is no longer available."),
                                                 fabric));
      return;
    }
  statement_return (task, NULL, g_error_new (SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                                             _("%s answered with the unknown statement state “%s”."), fabric, state));
}

static void
submit_done (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Statement *st = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  JsonObject *body = response && response->body && JSON_NODE_HOLDS_OBJECT (response->body)
                     ? json_node_get_object (response->body) : NULL;

  if (st->done)
    {
      /* Cancelled while the submit was on its way: now that there is an
       * id, the service is told. */
      const char *state = _sluice_json_str (_sluice_json_obj (body, "status"), "state");
      const char *id = _sluice_json_str (body, "statement_id");
      if (id && st->id == NULL && (g_strcmp0 (state, "PENDING") == 0 || g_strcmp0 (state, "RUNNING") == 0))
        {
          st->id = g_strdup (id);
          st->terminal = FALSE;
          send_cancel (st);
        }
      return;
    }
  if (response == NULL)
    {
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  handle_statement (g_steal_pointer (&task), body);
}

static void
databricks_execute_async (SluiceEngine        *engine,
                          const char          *sql,
                          guint                row_limit,
                          SluiceRun           *run,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  SluiceDatabricksSqlEngine *self = SLUICE_DATABRICKS_SQL_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  Statement *st;

  g_task_set_source_tag (task, databricks_execute_async);
  if (!check_ready (self, task))
    return;
  st = g_new0 (Statement, 1);
  st->self = g_object_ref (self);
  st->sql = g_strdup (sql);
  st->row_limit = row_limit;
  st->run = run ? g_object_ref (run) : NULL;
  st->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  g_task_set_task_data (task, st, (GDestroyNotify) statement_free);

  /* Hybrid mode: a quick statement's result comes inline with the answer,
   * a slow one's id comes after 10 s and is polled. */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "statement");
  json_builder_add_string_value (b, sql);
  json_builder_set_member_name (b, "warehouse_id");
  json_builder_add_string_value (b, self->warehouse_id);
  json_builder_set_member_name (b, "wait_timeout");
  json_builder_add_string_value (b, "10s");
  json_builder_set_member_name (b, "on_wait_timeout");
  json_builder_add_string_value (b, "CONTINUE");
  json_builder_set_member_name (b, "disposition");
  json_builder_add_string_value (b, "INLINE");
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "JSON_ARRAY");
  if (row_limit)
    {
      json_builder_set_member_name (b, "row_limit");
      json_builder_add_int_value (b, row_limit);
    }
  json_builder_end_object (b);
  body = json_builder_get_root (b);

  if (run)
    {
      g_autofree char *message = g_strdup_printf (_("Sending the query to warehouse “%s”…"), self->warehouse_id);
      sluice_run_set_message (run, message);
    }
  /* The submit is not cancelled in flight: its answer carries the id that
   * the cancel call needs. */
  if (g_task_return_error_if_cancelled (task))
    return;
  if (cancellable)
    st->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task, NULL);
  sluice_http_client_request_async (self->http, "POST", STATEMENTS, body, SLUICE_HTTP_CREATES, NULL, NULL,
                                    submit_done, g_object_ref (task));
}

static SluiceSqlRows *
databricks_execute_finish (SluiceEngine  *engine,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Warehouses ---- */

typedef struct
{
  GListStore *store;     /* owned: SluiceCompute */
  gboolean    test;      /* test_connection: look for ours */
} ListJob;

static void
list_job_free (ListJob *job)
{
  g_object_unref (job->store);
  g_free (job);
}

static void list_page (GTask *task, const char *page_token);

static void
list_done (GObject      *source,
           GAsyncResult *result,
           gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  SluiceDatabricksSqlEngine *self = g_task_get_source_object (task);
  ListJob *job = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  JsonObject *body;
  JsonArray *warehouses;
  const char *next;

  if (response == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  body = response->body && JSON_NODE_HOLDS_OBJECT (response->body) ? json_node_get_object (response->body) : NULL;
  if (body == NULL)
    {
      g_task_return_new_error (task, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                               _("%s answered the list of SQL warehouses with something that is not a JSON object."),
                               sluice_http_client_get_fabric_name (self->http));
      return;
    }
  /* "warehouses" is absent when there are none. */
  warehouses = _sluice_json_arr (body, "warehouses");
  for (guint i = 0; warehouses && i < json_array_get_length (warehouses); i++)
    {
      JsonNode *n = json_array_get_element (warehouses, i);
      JsonObject *w = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      const char *id = _sluice_json_str (w, "id");
      g_autoptr(SluiceCompute) compute = NULL;

      if (id == NULL)
        continue;
      compute = sluice_compute_new (id, _sluice_json_str (w, "name") ? _sluice_json_str (w, "name") : id,
                                    _sluice_json_str (w, "state") ? _sluice_json_str (w, "state") : "UNKNOWN");
      g_list_store_append (job->store, compute);
    }
  next = _sluice_json_str (body, "next_page_token");
  if (next && *next)
    {
      list_page (g_steal_pointer (&task), next);
      return;
    }
  if (job->test)
    {
      for (guint i = 0; i < g_list_model_get_n_items (G_LIST_MODEL (job->store)); i++)
        {
          g_autoptr(SluiceCompute) c = g_list_model_get_item (G_LIST_MODEL (job->store), i);
          if (g_str_equal (sluice_compute_get_id (c), self->warehouse_id))
            {
              g_task_return_boolean (task, TRUE);
              return;
            }
        }
      g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s has no SQL warehouse with the ID “%s”: check the fabric's settings."),
                               sluice_http_client_get_fabric_name (self->http), self->warehouse_id);
      return;
    }
  g_task_return_pointer (task, g_object_ref (job->store), g_object_unref);
}

static void
list_page (GTask      *task,
           const char *page_token)
{
  SluiceDatabricksSqlEngine *self = g_task_get_source_object (task);
  g_autofree char *path = NULL;

  if (page_token)
    {
      g_autofree char *escaped = sluice_http_escape (page_token);
      path = g_strdup_printf ("/api/2.0/sql/warehouses?page_token=%s", escaped);
    }
  else
    path = g_strdup ("/api/2.0/sql/warehouses");
  sluice_http_client_request_async (self->http, "GET", path, NULL, SLUICE_HTTP_NONE, NULL,
                                    g_task_get_cancellable (task), list_done, task);
}

static void
start_listing (SluiceEngine        *engine,
               gboolean             test,
               gpointer             source_tag,
               GCancellable        *cancellable,
               GAsyncReadyCallback  callback,
               gpointer             user_data)
{
  SluiceDatabricksSqlEngine *self = SLUICE_DATABRICKS_SQL_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  ListJob *job;

  g_task_set_source_tag (task, source_tag);
  if (!check_ready (self, task))
    return;
  job = g_new0 (ListJob, 1);
  job->store = g_list_store_new (SLUICE_TYPE_COMPUTE);
  job->test = test;
  g_task_set_task_data (task, job, (GDestroyNotify) list_job_free);
  list_page (g_steal_pointer (&task), NULL);
}

static void
databricks_test_connection_async (SluiceEngine        *engine,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  start_listing (engine, TRUE, databricks_test_connection_async, cancellable, callback, user_data);
}

static gboolean
databricks_test_connection_finish (SluiceEngine  *engine,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
databricks_list_compute_async (SluiceEngine        *engine,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  start_listing (engine, FALSE, databricks_list_compute_async, cancellable, callback, user_data);
}

static GListModel *
databricks_list_compute_finish (SluiceEngine  *engine,
                                GAsyncResult  *result,
                                GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Runs ---- */

static void
databricks_run_pipeline_async (SluiceEngine        *engine,
                               SluiceRun           *run,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _sluice_remote_sql_run_pipeline_async (engine, SLUICE_DIALECT_SPARK, databricks_execute_async,
                                         databricks_execute_finish, run, cancellable, callback, user_data);
}

static void
databricks_run_sql_async (SluiceEngine        *engine,
                          const char          *sql,
                          guint                sample_limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  _sluice_remote_sql_run_sql_async (engine, databricks_execute_async, databricks_execute_finish, sql,
                                    sample_limit, cancellable, callback, user_data);
}

static SluiceEngineCapabilities
databricks_get_capabilities (SluiceEngine *engine)
{
  return SLUICE_ENGINE_CAN_TEST_CONNECTION | SLUICE_ENGINE_CAN_LIST_COMPUTE |
         SLUICE_ENGINE_CAN_RUN_PIPELINE | SLUICE_ENGINE_CAN_RUN_SQL;
}

static void
engine_iface_init (SluiceEngineInterface *iface)
{
  iface->get_capabilities = databricks_get_capabilities;
  iface->test_connection_async = databricks_test_connection_async;
  iface->test_connection_finish = databricks_test_connection_finish;
  iface->list_compute_async = databricks_list_compute_async;
  iface->list_compute_finish = databricks_list_compute_finish;
  iface->run_pipeline_async = databricks_run_pipeline_async;
  iface->run_pipeline_finish = _sluice_remote_sql_run_pipeline_finish;
  iface->run_sql_async = databricks_run_sql_async;
  iface->run_sql_finish = _sluice_remote_sql_run_sql_finish;
}

static void
sluice_databricks_sql_engine_finalize (GObject *object)
{
  SluiceDatabricksSqlEngine *self = SLUICE_DATABRICKS_SQL_ENGINE (object);

  g_clear_object (&self->http);
  g_clear_error (&self->setup_error);
  g_free (self->warehouse_id);

  G_OBJECT_CLASS (sluice_databricks_sql_engine_parent_class)->finalize (object);
}

static void
sluice_databricks_sql_engine_class_init (SluiceDatabricksSqlEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_databricks_sql_engine_finalize;
}

static void
sluice_databricks_sql_engine_init (SluiceDatabricksSqlEngine *self)
{
}

SluiceDatabricksSqlEngine *
sluice_databricks_sql_engine_new (SluiceFabric *fabric,
                                  const char   *token)
{
  SluiceDatabricksSqlEngine *self;
  const char *url, *warehouse;

  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);

  self = g_object_new (SLUICE_TYPE_DATABRICKS_SQL_ENGINE, NULL);
  url = sluice_fabric_get_setting (fabric, "url");
  warehouse = sluice_fabric_get_setting (fabric, "warehouse_id");
  self->warehouse_id = g_strdup (warehouse ? warehouse : "");
  if (url == NULL)
    self->setup_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                     _("%s: the fabric has no workspace URL."), sluice_fabric_get_name (fabric));
  else if (warehouse == NULL)
    self->setup_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                     _("%s: the fabric has no SQL warehouse ID."), sluice_fabric_get_name (fabric));
  else if (token == NULL || *token == '\0')
    self->setup_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                     _("%s: there is no personal access token in the keyring for this fabric."),
                                     sluice_fabric_get_name (fabric));
  else if ((self->http = sluice_http_client_new (sluice_fabric_get_name (fabric), url, &self->setup_error)))
    sluice_http_client_set_bearer_token (self->http, token);
  return self;
}

SluiceHttpClient *
sluice_databricks_sql_engine_get_http_client (SluiceDatabricksSqlEngine *self)
{
  g_return_val_if_fail (SLUICE_IS_DATABRICKS_SQL_ENGINE (self), NULL);
  return self->http;
}
