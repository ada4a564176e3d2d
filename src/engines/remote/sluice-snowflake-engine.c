#define G_LOG_DOMAIN "sluice-snowflake"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-compute.h"
#include "sluice-engine-error.h"
#include "sluice-remote-sql-private.h"
#include "sluice-snowflake-engine.h"

struct _SluiceSnowflakeEngine
{
  GObject           parent_instance;
  SluiceHttpClient *http;          /* owned, nullable: see setup_error */
  GError           *setup_error;   /* owned, nullable: why there is no client */
  char             *warehouse;     /* owned */
  char             *database;      /* owned, nullable */
  char             *schema;        /* owned, nullable */
  char             *role;          /* owned, nullable */
  guint             resubmit_ms;
};

static void engine_iface_init (SluiceEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceSnowflakeEngine, sluice_snowflake_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SLUICE_TYPE_ENGINE, engine_iface_init))

#define STATEMENTS "/api/v2/statements"
#define POLL_FIRST_MS    100
#define POLL_MAX_MS      2000
#define RESUBMIT_MAX_MS  8000
#define MAX_SUBMITS      6

static const guint answers[] = { 408, 422, 0 };

static gboolean
check_ready (SluiceSnowflakeEngine *self,
             GTask                 *task)
{
  if (self->http)
    return TRUE;
  g_task_return_error (task, g_error_copy (self->setup_error));
  return FALSE;
}

/* ---- Values (ENGINE-APIS.md §3.3: all strings, default output formats) ---- */

typedef enum {
  SF_TEXT,        /* shown as sent */
  SF_DOUBLE,
  SF_BOOLEAN,
  SF_DATE,        /* days since the epoch */
  SF_TIME,        /* seconds since midnight */
  SF_TIMESTAMP,   /* seconds since the epoch, 9 decimals */
  SF_TIMESTAMP_TZ /* "<seconds> <offset + 1440>" */
} SfKind;

static SfKind
column_kind (JsonObject    *col,
             SluiceSqlType *type)
{
  const char *name = _sluice_json_str (col, "type");
  gint64 precision = _sluice_json_int (col, "precision"), scale = _sluice_json_int (col, "scale");

  *type = SLUICE_SQL_TYPE (SLUICE_SQL_STRING);
  if (name == NULL)
    return SF_TEXT;
  /* Lower case in real answers, upper case in the documentation. */
  if (g_ascii_strcasecmp (name, "fixed") == 0)
    {
      if (scale > 0 && precision > 0 && precision <= 38 && scale <= precision)
        *type = (SluiceSqlType) { SLUICE_SQL_DECIMAL, (guint8) precision, (guint8) scale };
      else
        type->kind = SLUICE_SQL_BIGINT;
      return SF_TEXT;
    }
  if (g_ascii_strcasecmp (name, "real") == 0 || g_ascii_strcasecmp (name, "float") == 0 ||
      g_ascii_strcasecmp (name, "double") == 0)
    {
      type->kind = SLUICE_SQL_DOUBLE;
      return SF_DOUBLE;
    }
  if (g_ascii_strcasecmp (name, "boolean") == 0)
    {
      type->kind = SLUICE_SQL_BOOLEAN;
      return SF_BOOLEAN;
    }
  if (g_ascii_strcasecmp (name, "date") == 0)
    {
      type->kind = SLUICE_SQL_DATE;
      return SF_DATE;
    }
  if (g_ascii_strcasecmp (name, "time") == 0)
    return SF_TIME;
  if (g_ascii_strcasecmp (name, "timestamp_ntz") == 0 || g_ascii_strcasecmp (name, "timestamp_ltz") == 0 ||
      g_ascii_strcasecmp (name, "timestamp") == 0)
    {
      type->kind = SLUICE_SQL_TIMESTAMP;
      return SF_TIMESTAMP;
    }
  if (g_ascii_strcasecmp (name, "timestamp_tz") == 0)
    {
      type->kind = SLUICE_SQL_TIMESTAMP;
      return SF_TIMESTAMP_TZ;
    }
  /* text, binary (hex), variant, object, array: the text as sent. */
  return SF_TEXT;
}

/* "1704450600.500000000" → seconds and nanoseconds (floored, so that
 * negative times read forward); FALSE when it is not such a number. */
static gboolean
parse_seconds (const char  *text,
               const char **end,
               gint64      *seconds,
               guint       *nanos)
{
  const char *p = text;
  gboolean negative = FALSE;
  gint64 s = 0;
  guint ns = 0, digits = 0;

  if (*p == '-')
    {
      negative = TRUE;
      p++;
    }
  if (!g_ascii_isdigit (*p))
    return FALSE;
  while (g_ascii_isdigit (*p))
    {
      if (s > G_MAXINT64 / 10 - 10)
        return FALSE;
      s = s * 10 + (*p++ - '0');
    }
  if (*p == '.')
    for (p++; g_ascii_isdigit (*p); p++, digits++)
      if (digits < 9)
        ns = ns * 10 + (*p - '0');
  for (; digits < 9; digits++)
    ns *= 10;
  if (negative)
    {
      s = -s;
      if (ns)
        {
          s -= 1;
          ns = 1000000000u - ns;
        }
    }
  *seconds = s;
  *nanos = ns;
  *end = p;
  return TRUE;
}

static char *
convert_value (SfKind      kind,
               const char *value)
{
  const char *end = NULL;
  gint64 seconds;
  guint nanos;

  if (value == NULL)
    return NULL;
  switch (kind)
    {
    case SF_DOUBLE:
      /* Doubles keep a fraction part ("20.0"), as the other engines show them. */
      if (*value && strspn (value, "-0123456789") == strlen (value))
        return g_strconcat (value, ".0", NULL);
      return g_strdup (value);
    case SF_BOOLEAN:
      return g_ascii_strdown (value, -1);
    case SF_DATE:
      if (parse_seconds (value, &end, &seconds, &nanos) && *end == '\0')
        {
          g_autoptr(GDateTime) d = g_date_time_new_from_unix_utc (seconds * 86400);
          if (d)
            return g_date_time_format (d, "%Y-%m-%d");
        }
      return g_strdup (value);
    case SF_TIME:
      if (parse_seconds (value, &end, &seconds, &nanos) && *end == '\0' && seconds >= 0 && seconds < 86400)
        {
          g_autofree char *stamp = _sluice_remote_format_timestamp (seconds, nanos, FALSE, 0);
          return g_strdup (stamp + 11);   /* after "1970-01-01 " */
        }
      return g_strdup (value);
    case SF_TIMESTAMP:
      if (parse_seconds (value, &end, &seconds, &nanos) && *end == '\0')
        return _sluice_remote_format_timestamp (seconds, nanos, FALSE, 0);
      return g_strdup (value);
    case SF_TIMESTAMP_TZ:
      if (parse_seconds (value, &end, &seconds, &nanos) && *end == ' ')
        {
          char *tail = NULL;
          gint64 offset = g_ascii_strtoll (end + 1, &tail, 10);
          if (tail && *tail == '\0' && tail != end + 1 && offset >= 0 && offset <= 2880)
            return _sluice_remote_format_timestamp (seconds, nanos, TRUE, (int) offset - 1440);
        }
      return g_strdup (value);
    case SF_TEXT:
    default:
      return g_strdup (value);
    }
}

/* ---- One statement ---- */

typedef struct
{
  SluiceSnowflakeEngine *self;          /* owned */
  char                  *sql;
  guint                  row_limit;
  SluiceRun             *run;           /* owned, nullable */
  GCancellable          *cancellable;   /* owned, nullable */
  gulong                 cancel_handler;
  char                  *request_id;    /* the same on every resubmission */
  guint                  submits;
  char                  *handle;        /* nullable until the service answers */
  gboolean               terminal;
  gboolean               done;
  guint                  source;        /* a poll or resubmission waiting */
  guint                  poll_ms;
  GArray                *kinds;         /* SfKind per column */
  guint                  partition;     /* the next one to fetch */
  guint                  n_partitions;
  SluiceSqlRows         *rows;          /* owned, nullable */
} Statement;

static void
statement_free (Statement *st)
{
  g_assert (st->source == 0 && st->cancel_handler == 0);
  g_object_unref (st->self);
  g_free (st->sql);
  g_clear_object (&st->run);
  g_clear_object (&st->cancellable);
  g_free (st->request_id);
  g_free (st->handle);
  g_clear_pointer (&st->kinds, g_array_unref);
  g_clear_pointer (&st->rows, _sluice_sql_rows_free);
  g_free (st);
}

static const char *
fabric_name (Statement *st)
{
  return sluice_http_client_get_fabric_name (st->self->http);
}

static void
cancel_sent (GObject      *source,
             GAsyncResult *result,
             gpointer      user_data)
{
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);

  /* It may lose the race with completion; nobody waits for it. */
  if (response == NULL)
    g_debug ("cancel: %s", error->message);
}

static void
send_cancel (Statement *st)
{
  g_autofree char *handle = NULL;
  g_autofree char *path = NULL;
  g_autoptr(JsonNode) body = NULL;

  if (st->handle == NULL || st->terminal)
    return;
  st->terminal = TRUE;
  handle = sluice_http_escape (st->handle);
  path = g_strdup_printf (STATEMENTS "/%s/cancel", handle);
  body = json_node_init_object (json_node_alloc (), json_object_new ());
  sluice_http_client_request_async (st->self->http, "POST", path, body, SLUICE_HTTP_NO_RETRY, answers, NULL,
                                    cancel_sent, NULL);
}

static void
statement_return (GTask         *task,
                  SluiceSqlRows *rows,
                  GError        *error)
{
  Statement *st = g_task_get_task_data (task);

  g_assert (!st->done);
  st->done = TRUE;
  g_clear_handle_id (&st->source, g_source_remove);
  if (st->cancel_handler)
    {
      g_cancellable_disconnect (st->cancellable, st->cancel_handler);
      st->cancel_handler = 0;
    }
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

static JsonObject *
body_object (SluiceHttpResponse *response)
{
  return response && response->body && JSON_NODE_HOLDS_OBJECT (response->body)
         ? json_node_get_object (response->body) : NULL;
}

/* Appends the rows of @data; FALSE with @error when they do not fit. */
static gboolean
read_data (Statement  *st,
           JsonArray  *data,
           GError    **error)
{
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
                       _("%s sent a result row with the wrong number of values."), fabric_name (st));
          return FALSE;
        }
      row = _sluice_sql_rows_add_row (st->rows);
      for (guint c = 0; c < n_cols; c++)
        {
          JsonNode *v = json_array_get_element (values, c);
          const char *text = JSON_NODE_HOLDS_VALUE (v) && json_node_get_value_type (v) == G_TYPE_STRING
                             ? json_node_get_string (v) : NULL;

          if (text == NULL && !JSON_NODE_HOLDS_NULL (v))
            {
              g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                           _("%s sent a result value that is not a string (row %u, column “%s”)."),
                           fabric_name (st), st->rows->rows->len, g_array_index (st->rows->columns, SluiceColumn, c).name);
              return FALSE;
            }
          g_ptr_array_add (row, convert_value (g_array_index (st->kinds, SfKind, c), text));
        }
    }
  return TRUE;
}

static gboolean
read_result_set (Statement  *st,
                 JsonObject *rs,
                 GError    **error)
{
  JsonObject *meta = _sluice_json_obj (rs, "resultSetMetaData");
  JsonArray *row_type = _sluice_json_arr (meta, "rowType");
  JsonArray *partitions = _sluice_json_arr (meta, "partitionInfo");

  if (meta == NULL || row_type == NULL)
    {
      g_set_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                   _("%s sent a result without its column types (resultSetMetaData.rowType)."), fabric_name (st));
      return FALSE;
    }
  st->rows = _sluice_sql_rows_new ();
  st->rows->total_rows = _sluice_json_int (meta, "numRows");
  st->kinds = g_array_new (FALSE, FALSE, sizeof (SfKind));
  for (guint i = 0; i < json_array_get_length (row_type); i++)
    {
      JsonNode *n = json_array_get_element (row_type, i);
      JsonObject *col = JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
      SluiceSqlType type;
      SfKind kind;

      if (_sluice_json_str (col, "name") == NULL)
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                       _("%s sent a result schema that cannot be read (column %u)."), fabric_name (st), i + 1);
          return FALSE;
        }
      kind = column_kind (col, &type);
      g_array_append_val (st->kinds, kind);
      _sluice_sql_rows_add_column (st->rows, _sluice_json_str (col, "name"), type);
    }
  st->n_partitions = partitions ? json_array_get_length (partitions) : 1;
  st->partition = 1;
  return read_data (st, _sluice_json_arr (rs, "data"), error);
}

static void fetch_partition (GTask *task);
static void poll (GTask *task);
static void submit (GTask *task);

static gboolean
more_wanted (Statement *st)
{
  return st->partition < st->n_partitions && (st->row_limit == 0 || st->rows->rows->len < st->row_limit);
}

static void
partition_done (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  Statement *st = g_task_get_task_data (task);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceHttpResponse) response = sluice_http_client_request_finish (SLUICE_HTTP_CLIENT (source), result, &error);
  JsonObject *body;

  if (st->done)
    return;
  if (response == NULL)
    {
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  /* Partitions after the first are only rows: {"data": […]} (gzip,
   * undone by the HTTP layer). */
  body = body_object (response);
  if (body == NULL || _sluice_json_arr (body, "data") == NULL)
    {
      statement_return (task, NULL, g_error_new (SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                                                 _("%s sent result partition %u without its rows."), fabric_name (st),
                                                 st->partition));
      return;
    }
  if (!read_data (st, _sluice_json_arr (body, "data"), &error))
    {
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  st->partition++;
  if (more_wanted (st))
    fetch_partition (g_steal_pointer (&task));
  else
    statement_return (task, g_steal_pointer (&st->rows), NULL);
}

static void
fetch_partition (GTask *task)
{
  Statement *st = g_task_get_task_data (task);
  g_autofree char *handle = sluice_http_escape (st->handle);
  g_autofree char *request = sluice_http_escape (st->request_id);
  g_autofree char *path = g_strdup_printf (STATEMENTS "/%s?requestId=%s&partition=%u", handle, request, st->partition);

  sluice_http_client_request_async (st->self->http, "GET", path, NULL, SLUICE_HTTP_NONE, answers, st->cancellable,
                                    partition_done, task);
}

static gboolean
poll_cb (gpointer user_data)
{
  poll (g_object_ref (user_data));
  return G_SOURCE_REMOVE;
}

/* What the service answered a submit or a poll with (ENGINE-APIS.md §3.3). */
static void
handle_answer (GTask              *task,
               SluiceHttpResponse *response)
{
  Statement *st = g_task_get_task_data (task);
  g_autoptr(GTask) owned = task;
  g_autoptr(GError) error = NULL;
  JsonObject *body = body_object (response);
  const char *handle = _sluice_json_str (body, "statementHandle");

  if (body == NULL)
    {
      statement_return (task, NULL, g_error_new (SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                                                 _("%s answered the statement with something that is not a JSON object (HTTP %u)."),
                                                 fabric_name (st), response->status));
      return;
    }
  if (handle && st->handle == NULL)
    st->handle = g_strdup (handle);

  switch (response->status)
    {
    case 200:
      st->terminal = TRUE;
      if (!read_result_set (st, body, &error))
        statement_return (task, NULL, g_steal_pointer (&error));
      else if (more_wanted (st))
        fetch_partition (g_steal_pointer (&owned));
      else
        statement_return (task, g_steal_pointer (&st->rows), NULL);
      return;
    case 202:
      if (st->handle == NULL)
        break;
      if (st->run)
        {
          g_autofree char *message = g_strdup_printf (_("Running on warehouse “%s”…"), st->self->warehouse);
          sluice_run_set_message (st->run, message);
        }
      st->poll_ms = st->poll_ms ? MIN (st->poll_ms * 2, POLL_MAX_MS) : POLL_FIRST_MS;
      st->source = g_timeout_add_full (G_PRIORITY_DEFAULT, st->poll_ms, poll_cb, g_steal_pointer (&owned), g_object_unref);
      return;
    case 408:
      st->terminal = TRUE;
      statement_return (task, NULL, g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                                 _("%s cancelled the statement: it ran longer than the statement timeout."),
                                                 fabric_name (st)));
      return;
    case 422:
      {
        const char *message = _sluice_json_str (body, "message");
        st->terminal = TRUE;
        statement_return (task, NULL, g_error_new_literal (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                                           message ? message : _("The statement failed.")));
        return;
      }
    default:
      break;
    }
  statement_return (task, NULL, g_error_new (SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                                             _("%s answered the statement with HTTP %u and no statement handle."),
                                             fabric_name (st), response->status));
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
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  handle_answer (g_steal_pointer (&task), response);
}

static void
poll (GTask *task)
{
  Statement *st = g_task_get_task_data (task);
  g_autofree char *handle = sluice_http_escape (st->handle);
  g_autofree char *request = sluice_http_escape (st->request_id);
  g_autofree char *path = g_strdup_printf (STATEMENTS "/%s?requestId=%s", handle, request);

  st->source = 0;
  sluice_http_client_request_async (st->self->http, "GET", path, NULL, SLUICE_HTTP_NONE, answers, st->cancellable,
                                    poll_done, task);
}

/* A submit whose answer was lost or refused in passing: sent again with
 * the same requestId and retry=true, which Snowflake makes idempotent
 * (ENGINE-APIS.md §3.2, §3.6). */
static gboolean
resubmittable (const GError *error)
{
  return error->domain == SLUICE_HTTP_ERROR &&
         (error->code == SLUICE_HTTP_ERROR_RATE_LIMITED || error->code == SLUICE_HTTP_ERROR_UNAVAILABLE ||
          error->code == SLUICE_HTTP_ERROR_TIMEOUT || error->code == SLUICE_HTTP_ERROR_SERVER ||
          error->code == SLUICE_HTTP_ERROR_BAD_RESPONSE || error->code == SLUICE_HTTP_ERROR_AMBIGUOUS);
}

static gboolean
resubmit_cb (gpointer user_data)
{
  Statement *st = g_task_get_task_data (user_data);

  st->source = 0;
  submit (g_object_ref (user_data));
  return G_SOURCE_REMOVE;
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

  if (st->done)
    {
      /* Cancelled while the submit was on its way: now there is a handle
       * to cancel. */
      const char *handle = _sluice_json_str (body_object (response), "statementHandle");
      if (response && handle && st->handle == NULL && response->status == 202)
        {
          st->handle = g_strdup (handle);
          send_cancel (st);
        }
      return;
    }
  if (response == NULL)
    {
      if (resubmittable (error) && st->submits < MAX_SUBMITS)
        {
          guint delay = st->self->resubmit_ms << MIN (st->submits - 1, 8u);
          g_debug ("statement %s: resubmitting after “%s”", st->request_id, error->message);
          st->source = g_timeout_add_full (G_PRIORITY_DEFAULT, MIN (delay, RESUBMIT_MAX_MS), resubmit_cb,
                                           g_steal_pointer (&task), g_object_unref);
          return;
        }
      statement_return (task, NULL, g_steal_pointer (&error));
      return;
    }
  handle_answer (g_steal_pointer (&task), response);
}

static void
submit (GTask *task)
{
  Statement *st = g_task_get_task_data (task);
  SluiceSnowflakeEngine *self = st->self;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autoptr(JsonNode) body = NULL;
  g_autofree char *request = sluice_http_escape (st->request_id);
  g_autofree char *path = g_strdup_printf (STATEMENTS "?requestId=%s%s", request, st->submits ? "&retry=true" : "");
  const struct { const char *key, *value; } context[] = {
    { "warehouse", self->warehouse }, { "database", self->database },
    { "schema", self->schema }, { "role", self->role },
  };

  st->submits++;
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "statement");
  json_builder_add_string_value (b, st->sql);
  for (guint i = 0; i < G_N_ELEMENTS (context); i++)
    if (context[i].value)
      {
        json_builder_set_member_name (b, context[i].key);
        json_builder_add_string_value (b, context[i].value);
      }
  json_builder_end_object (b);
  body = json_builder_get_root (b);
  /* Not cancelled in flight: its answer has the handle that cancel needs.
   * Resubmitted here, not by the HTTP layer, so that the resubmission says
   * retry=true. */
  sluice_http_client_request_async (self->http, "POST", path, body,
                                    SLUICE_HTTP_CREATES | SLUICE_HTTP_IDEMPOTENT | SLUICE_HTTP_NO_RETRY, answers,
                                    NULL, submit_done, task);
}

static void
snowflake_execute_async (SluiceEngine        *engine,
                         const char          *sql,
                         guint                row_limit,
                         SluiceRun           *run,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  SluiceSnowflakeEngine *self = SLUICE_SNOWFLAKE_ENGINE (engine);
  g_autoptr(GTask) task = g_task_new (self, cancellable, callback, user_data);
  Statement *st;

  g_task_set_source_tag (task, snowflake_execute_async);
  if (!check_ready (self, task) || g_task_return_error_if_cancelled (task))
    return;
  st = g_new0 (Statement, 1);
  st->self = g_object_ref (self);
  st->sql = g_strdup (sql);
  st->row_limit = row_limit;
  st->run = run ? g_object_ref (run) : NULL;
  st->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  st->request_id = g_uuid_string_random ();
  g_task_set_task_data (task, st, (GDestroyNotify) statement_free);

  if (run)
    {
      g_autofree char *message = g_strdup_printf (_("Sending the query to warehouse “%s”…"), self->warehouse);
      sluice_run_set_message (run, message);
    }
  if (cancellable)
    st->cancel_handler = g_cancellable_connect (cancellable, G_CALLBACK (on_cancelled), task, NULL);
  submit (g_steal_pointer (&task));
}

static SluiceSqlRows *
snowflake_execute_finish (SluiceEngine  *engine,
                          GAsyncResult  *result,
                          GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Connection and warehouses ---- */

static void
version_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceSqlRows) rows = snowflake_execute_finish (SLUICE_ENGINE (source), result, &error);

  if (rows == NULL)
    g_task_return_error (task, g_steal_pointer (&error));
  else if (rows->rows->len != 1)
    g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                             _("%s answered SELECT CURRENT_VERSION() with %u rows instead of one."),
                             sluice_http_client_get_fabric_name (SLUICE_SNOWFLAKE_ENGINE (source)->http),
                             rows->rows->len);
  else
    g_task_return_boolean (task, TRUE);
}

static void
snowflake_test_connection_async (SluiceEngine        *engine,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_task_set_source_tag (task, snowflake_test_connection_async);
  if (!check_ready (SLUICE_SNOWFLAKE_ENGINE (engine), task))
    return;
  /* Through the configured warehouse, database and role: a wrong one
   * fails here rather than at the first run. */
  snowflake_execute_async (engine, "SELECT CURRENT_VERSION()", 1, NULL, cancellable, version_done,
                           g_steal_pointer (&task));
}

static gboolean
snowflake_test_connection_finish (SluiceEngine  *engine,
                                  GAsyncResult  *result,
                                  GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

static int
column_named (SluiceSqlRows *rows,
              const char    *name)
{
  for (guint c = 0; c < rows->columns->len; c++)
    if (g_ascii_strcasecmp (g_array_index (rows->columns, SluiceColumn, c).name, name) == 0)
      return (int) c;
  return -1;
}

static void
warehouses_done (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceSqlRows) rows = snowflake_execute_finish (SLUICE_ENGINE (source), result, &error);
  g_autoptr(GListStore) store = NULL;
  int name, state;

  if (rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  name = column_named (rows, "name");
  state = column_named (rows, "state");
  if (name < 0)
    {
      g_task_return_new_error (task, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                               _("%s answered SHOW WAREHOUSES without a “name” column."),
                               sluice_http_client_get_fabric_name (SLUICE_SNOWFLAKE_ENGINE (source)->http));
      return;
    }
  store = g_list_store_new (SLUICE_TYPE_COMPUTE);
  for (guint r = 0; r < rows->rows->len; r++)
    {
      GPtrArray *row = g_ptr_array_index (rows->rows, r);
      const char *n = g_ptr_array_index (row, name);
      const char *s = state >= 0 ? g_ptr_array_index (row, state) : NULL;
      g_autoptr(SluiceCompute) c = NULL;

      if (n == NULL)
        continue;
      c = sluice_compute_new (n, n, s ? s : "UNKNOWN");
      g_list_store_append (store, c);
    }
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

static void
snowflake_list_compute_async (SluiceEngine        *engine,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_task_set_source_tag (task, snowflake_list_compute_async);
  if (!check_ready (SLUICE_SNOWFLAKE_ENGINE (engine), task))
    return;
  snowflake_execute_async (engine, "SHOW WAREHOUSES", 0, NULL, cancellable, warehouses_done, g_steal_pointer (&task));
}

static GListModel *
snowflake_list_compute_finish (SluiceEngine  *engine,
                               GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Runs ---- */

static void
snowflake_run_pipeline_async (SluiceEngine        *engine,
                              SluiceRun           *run,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  _sluice_remote_sql_run_pipeline_async (engine, SLUICE_DIALECT_SNOWFLAKE, snowflake_execute_async,
                                         snowflake_execute_finish, run, cancellable, callback, user_data);
}

static void
snowflake_run_sql_async (SluiceEngine        *engine,
                         const char          *sql,
                         guint                sample_limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  _sluice_remote_sql_run_sql_async (engine, snowflake_execute_async, snowflake_execute_finish, sql,
                                    sample_limit, cancellable, callback, user_data);
}

static SluiceEngineCapabilities
snowflake_get_capabilities (SluiceEngine *engine)
{
  return SLUICE_ENGINE_CAN_TEST_CONNECTION | SLUICE_ENGINE_CAN_LIST_COMPUTE |
         SLUICE_ENGINE_CAN_RUN_PIPELINE | SLUICE_ENGINE_CAN_RUN_SQL;
}

static void
engine_iface_init (SluiceEngineInterface *iface)
{
  iface->get_capabilities = snowflake_get_capabilities;
  iface->test_connection_async = snowflake_test_connection_async;
  iface->test_connection_finish = snowflake_test_connection_finish;
  iface->list_compute_async = snowflake_list_compute_async;
  iface->list_compute_finish = snowflake_list_compute_finish;
  iface->run_pipeline_async = snowflake_run_pipeline_async;
  iface->run_pipeline_finish = _sluice_remote_sql_run_pipeline_finish;
  iface->run_sql_async = snowflake_run_sql_async;
  iface->run_sql_finish = _sluice_remote_sql_run_sql_finish;
}

static void
sluice_snowflake_engine_finalize (GObject *object)
{
  SluiceSnowflakeEngine *self = SLUICE_SNOWFLAKE_ENGINE (object);

  g_clear_object (&self->http);
  g_clear_error (&self->setup_error);
  g_free (self->warehouse);
  g_free (self->database);
  g_free (self->schema);
  g_free (self->role);

  G_OBJECT_CLASS (sluice_snowflake_engine_parent_class)->finalize (object);
}

static void
sluice_snowflake_engine_class_init (SluiceSnowflakeEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_snowflake_engine_finalize;
}

static void
sluice_snowflake_engine_init (SluiceSnowflakeEngine *self)
{
  self->resubmit_ms = 500;
}

SluiceSnowflakeEngine *
sluice_snowflake_engine_new (SluiceFabric *fabric,
                             const char   *token)
{
  SluiceSnowflakeEngine *self;
  const char *url, *token_type;

  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);

  self = g_object_new (SLUICE_TYPE_SNOWFLAKE_ENGINE, NULL);
  url = sluice_fabric_get_setting (fabric, "url");
  token_type = sluice_fabric_get_setting (fabric, "token_type");
  self->warehouse = g_strdup (sluice_fabric_get_setting (fabric, "warehouse"));
  self->database = g_strdup (sluice_fabric_get_setting (fabric, "database"));
  self->schema = g_strdup (sluice_fabric_get_setting (fabric, "schema"));
  self->role = g_strdup (sluice_fabric_get_setting (fabric, "role"));
  if (url == NULL)
    self->setup_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                     _("%s: the fabric has no account URL."), sluice_fabric_get_name (fabric));
  else if (self->warehouse == NULL)
    self->setup_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                     _("%s: the fabric has no warehouse."), sluice_fabric_get_name (fabric));
  else if (token == NULL || *token == '\0')
    self->setup_error = g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                                     _("%s: there is no token in the keyring for this fabric."),
                                     sluice_fabric_get_name (fabric));
  else if ((self->http = sluice_http_client_new (sluice_fabric_get_name (fabric), url, &self->setup_error)))
    {
      g_autofree char *agent = g_strdup_printf ("Sluice/%s", PACKAGE_VERSION);

      /* ENGINE-APIS.md §3.1: every one of these is required. */
      sluice_http_client_set_bearer_token (self->http, token);
      sluice_http_client_set_header (self->http, "X-Snowflake-Authorization-Token-Type",
                                     g_strcmp0 (token_type, "oauth") == 0 ? "OAUTH" : "PROGRAMMATIC_ACCESS_TOKEN");
      sluice_http_client_set_header (self->http, "Accept", "application/json");
      sluice_http_client_set_header (self->http, "User-Agent", agent);
    }
  return self;
}

SluiceHttpClient *
sluice_snowflake_engine_get_http_client (SluiceSnowflakeEngine *self)
{
  g_return_val_if_fail (SLUICE_IS_SNOWFLAKE_ENGINE (self), NULL);
  return self->http;
}

void
sluice_snowflake_engine_set_resubmit_delay (SluiceSnowflakeEngine *self,
                                            guint                  milliseconds)
{
  g_return_if_fail (SLUICE_IS_SNOWFLAKE_ENGINE (self));
  self->resubmit_ms = MAX (milliseconds, 1);
}
