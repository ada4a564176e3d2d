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

/* ---- One statement: what the loop in sluice-remote-sql.c asks ---- */

typedef struct
{
  char   *request_id;    /* owned: the same on every resubmission */
  GArray *kinds;         /* owned, nullable: SfKind per column */
  guint   partition;     /* the next one to fetch */
  guint   n_partitions;
} SfStatement;

static void
sf_statement_free (SfStatement *sf)
{
  g_free (sf->request_id);
  g_clear_pointer (&sf->kinds, g_array_unref);
  g_free (sf);
}

static const char *
fabric_name (SluiceSqlStatement *st)
{
  return sluice_http_client_get_fabric_name (st->http);
}

static char *
statement_convert (SluiceSqlStatement *st,
                   guint               column,
                   const char         *text)
{
  SfStatement *sf = st->data;

  return convert_value (g_array_index (sf->kinds, SfKind, column), text);
}

static gboolean
read_result_set (SluiceSqlStatement  *st,
                 JsonObject          *rs,
                 GError             **error)
{
  SfStatement *sf = st->data;
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
  sf->kinds = g_array_new (FALSE, FALSE, sizeof (SfKind));
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
      g_array_append_val (sf->kinds, kind);
      _sluice_sql_rows_add_column (st->rows, _sluice_json_str (col, "name"), type);
    }
  sf->n_partitions = partitions ? json_array_get_length (partitions) : 1;
  sf->partition = 1;
  return _sluice_sql_statement_read_rows (st, _sluice_json_arr (rs, "data"), error);
}

/* Partitions after the first are only rows: {"data": […]} (gzip, undone
 * by the HTTP layer). */
static gboolean
statement_read_page (SluiceSqlStatement  *st,
                     SluiceHttpResponse  *response,
                     GError             **error)
{
  SfStatement *sf = st->data;
  JsonArray *data = _sluice_json_arr (_sluice_sql_body_object (response), "data");

  if (data == NULL)
    {
      g_set_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                   _("%s sent result partition %u without its rows."), fabric_name (st), sf->partition);
      return FALSE;
    }
  if (!_sluice_sql_statement_read_rows (st, data, error))
    return FALSE;
  sf->partition++;
  return TRUE;
}

static char *
statement_next_page (SluiceSqlStatement *st)
{
  SfStatement *sf = st->data;
  g_autofree char *handle = NULL;
  g_autofree char *request = NULL;

  if (sf->partition >= sf->n_partitions)
    return NULL;
  handle = sluice_http_escape (st->id);
  request = sluice_http_escape (sf->request_id);
  return g_strdup_printf (STATEMENTS "/%s?requestId=%s&partition=%u", handle, request, sf->partition);
}

/* What the service answered a submit or a poll with (ENGINE-APIS.md §3.3). */
static SluiceSqlStep
statement_read_answer (SluiceSqlStatement  *st,
                       SluiceHttpResponse  *response,
                       GError             **error)
{
  JsonObject *body = _sluice_sql_body_object (response);
  const char *handle = _sluice_json_str (body, "statementHandle");

  if (body == NULL)
    {
      g_set_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                   _("%s answered the statement with something that is not a JSON object (HTTP %u)."),
                   fabric_name (st), response->status);
      return SLUICE_SQL_STEP_FAILED;
    }
  if (handle && st->id == NULL)
    st->id = g_strdup (handle);

  switch (response->status)
    {
    case 200:
      st->terminal = TRUE;
      return read_result_set (st, body, error) ? SLUICE_SQL_STEP_DONE : SLUICE_SQL_STEP_FAILED;
    case 202:
      if (st->id == NULL)
        break;
      return SLUICE_SQL_STEP_RUNNING;
    case 408:
      st->terminal = TRUE;
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s cancelled the statement: it ran longer than the statement timeout."), fabric_name (st));
      return SLUICE_SQL_STEP_FAILED;
    case 422:
      {
        const char *message = _sluice_json_str (body, "message");
        st->terminal = TRUE;
        g_set_error_literal (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                             message ? message : _("The statement failed."));
        return SLUICE_SQL_STEP_FAILED;
      }
    default:
      break;
    }
  g_set_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
               _("%s answered the statement with HTTP %u and no statement handle."), fabric_name (st),
               response->status);
  return SLUICE_SQL_STEP_FAILED;
}

static char *
statement_poll_path (SluiceSqlStatement *st)
{
  SfStatement *sf = st->data;
  g_autofree char *handle = sluice_http_escape (st->id);
  g_autofree char *request = sluice_http_escape (sf->request_id);

  return g_strdup_printf (STATEMENTS "/%s?requestId=%s", handle, request);
}

/* A submit whose answer was lost or refused in passing: sent again with
 * the same requestId and retry=true, which Snowflake makes idempotent
 * (ENGINE-APIS.md §3.2, §3.6). */
static gint
statement_resubmit_delay (SluiceSqlStatement *st,
                          const GError       *error)
{
  SluiceSnowflakeEngine *self = SLUICE_SNOWFLAKE_ENGINE (st->engine);
  guint delay;

  if (error->domain != SLUICE_HTTP_ERROR ||
      !(error->code == SLUICE_HTTP_ERROR_RATE_LIMITED || error->code == SLUICE_HTTP_ERROR_UNAVAILABLE ||
        error->code == SLUICE_HTTP_ERROR_TIMEOUT || error->code == SLUICE_HTTP_ERROR_SERVER ||
        error->code == SLUICE_HTTP_ERROR_BAD_RESPONSE || error->code == SLUICE_HTTP_ERROR_AMBIGUOUS) ||
      st->submits >= MAX_SUBMITS)
    return -1;
  delay = self->resubmit_ms << MIN (st->submits - 1, 8u);
  return (gint) MIN (delay, RESUBMIT_MAX_MS);
}

static const char *
statement_running_id (SluiceHttpResponse *response)
{
  return response->status == 202 ? _sluice_json_str (_sluice_sql_body_object (response), "statementHandle") : NULL;
}

static JsonNode *
statement_build_submit (SluiceSqlStatement  *st,
                        char               **path)
{
  SluiceSnowflakeEngine *self = SLUICE_SNOWFLAKE_ENGINE (st->engine);
  SfStatement *sf = st->data;
  g_autoptr(JsonBuilder) b = json_builder_new ();
  g_autofree char *request = sluice_http_escape (sf->request_id);
  const struct { const char *key, *value; } context[] = {
    { "warehouse", self->warehouse }, { "database", self->database },
    { "schema", self->schema }, { "role", self->role },
  };

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
  *path = g_strdup_printf (STATEMENTS "?requestId=%s%s", request, st->submits ? "&retry=true" : "");
  return json_builder_get_root (b);
}

/* Resubmitted by the loop, not by the HTTP layer, so that the resubmission
 * says retry=true. */
static const SluiceSqlStatementClass statement_class = {
  .statements = STATEMENTS,
  .accept_status = answers,
  .submit_flags = SLUICE_HTTP_CREATES | SLUICE_HTTP_IDEMPOTENT | SLUICE_HTTP_NO_RETRY,
  .build_submit = statement_build_submit,
  .poll_path = statement_poll_path,
  .read_answer = statement_read_answer,
  .next_page = statement_next_page,
  .read_page = statement_read_page,
  .convert = statement_convert,
  .resubmit_delay = statement_resubmit_delay,
  .running_id = statement_running_id,
};

static void
execute (SluiceEngine        *engine,
         const char          *sql,
         guint                row_limit,
         SluiceRun           *run,
         SluiceHttpFlags      flags,
         GCancellable        *cancellable,
         GAsyncReadyCallback  callback,
         gpointer             user_data)
{
  SluiceSnowflakeEngine *self = SLUICE_SNOWFLAKE_ENGINE (engine);
  SfStatement *sf;

  if (self->http == NULL)
    {
      g_task_report_error (engine, callback, user_data, execute, g_error_copy (self->setup_error));
      return;
    }
  sf = g_new0 (SfStatement, 1);
  sf->request_id = g_uuid_string_random ();
  _sluice_sql_statement_run_async (engine, &statement_class, self->http, self->warehouse, sql, row_limit, run, flags,
                                   sf, (GDestroyNotify) sf_statement_free, cancellable, callback, user_data);
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
  execute (engine, sql, row_limit, run, SLUICE_HTTP_NONE, cancellable, callback, user_data);
}

/* ---- Connection and warehouses ---- */

static void
version_done (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceSqlRows) rows = _sluice_sql_statement_run_finish (SLUICE_ENGINE (source), result, &error);

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
  execute (engine, "SELECT CURRENT_VERSION()", 1, NULL, SLUICE_HTTP_QUICK, cancellable, version_done,
           g_steal_pointer (&task));
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
  g_autoptr(SluiceSqlRows) rows = _sluice_sql_statement_run_finish (SLUICE_ENGINE (source), result, &error);
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


/* ---- Runs ---- */

static void
snowflake_run_pipeline_async (SluiceEngine        *engine,
                              SluiceRun           *run,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  _sluice_remote_sql_run_pipeline_async (engine, SLUICE_DIALECT_SNOWFLAKE, snowflake_execute_async, run,
                                         cancellable, callback, user_data);
}

static void
snowflake_run_sql_async (SluiceEngine        *engine,
                         const char          *sql,
                         guint                sample_limit,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  _sluice_remote_sql_run_sql_async (engine, snowflake_execute_async, sql, sample_limit,
                                    cancellable, callback, user_data);
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
  iface->list_compute_async = snowflake_list_compute_async;
  iface->run_pipeline_async = snowflake_run_pipeline_async;
  iface->run_sql_async = snowflake_run_sql_async;
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
