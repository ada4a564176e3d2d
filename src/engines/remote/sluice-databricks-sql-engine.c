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

static gboolean
check_ready (SluiceDatabricksSqlEngine *self,
             GTask                     *task)
{
  if (self->http)
    return TRUE;
  g_task_return_error (task, g_error_copy (self->setup_error));
  return FALSE;
}

/* ---- One statement: what the loop in sluice-remote-sql.c asks ---- */

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

static char *
statement_convert (SluiceSqlStatement *st,
                   guint               column,
                   const char         *text)
{
  return convert_value (g_array_index (st->rows->columns, SluiceColumn, column).type, text);
}

static gboolean
read_manifest (SluiceSqlStatement  *st,
               JsonObject          *manifest,
               GError             **error)
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
                       sluice_http_client_get_fabric_name (st->http), i + 1);
          return FALSE;
        }
      by_position[pos] = col;
    }
  for (guint i = 0; i < n; i++)
    _sluice_sql_rows_add_column (st->rows, _sluice_json_str (by_position[i], "name"), column_type (by_position[i]));
  return TRUE;
}

/* A chunk's rows; st->data keeps the link to the next chunk. */
static gboolean
read_chunk (SluiceSqlStatement  *st,
            JsonObject          *chunk,
            GError             **error)
{
  if (!_sluice_sql_statement_read_rows (st, _sluice_json_arr (chunk, "data_array"), error))
    return FALSE;
  g_free (st->data);
  st->data = g_strdup (_sluice_json_str (chunk, "next_chunk_internal_link"));
  return TRUE;
}

static gboolean
statement_read_page (SluiceSqlStatement  *st,
                     SluiceHttpResponse  *response,
                     GError             **error)
{
  JsonObject *chunk = _sluice_sql_body_object (response);

  if (chunk == NULL)
    {
      g_set_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                   _("%s sent a result chunk that is not a JSON object."), sluice_http_client_get_fabric_name (st->http));
      return FALSE;
    }
  return read_chunk (st, chunk, error);
}

static char *
statement_next_page (SluiceSqlStatement *st)
{
  return g_steal_pointer (&st->data);
}

static SluiceSqlStep
statement_read_answer (SluiceSqlStatement  *st,
                       SluiceHttpResponse  *response,
                       GError             **error)
{
  const char *fabric = sluice_http_client_get_fabric_name (st->http);
  JsonObject *body = _sluice_sql_body_object (response);
  JsonObject *status = _sluice_json_obj (body, "status");
  const char *state = _sluice_json_str (status, "state");
  const char *id = _sluice_json_str (body, "statement_id");

  if (body == NULL || state == NULL || (id == NULL && st->id == NULL))
    {
      g_set_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                   _("%s answered without a statement state."), fabric);
      return SLUICE_SQL_STEP_FAILED;
    }
  if (st->id == NULL)
    st->id = g_strdup (id);

  if (g_str_equal (state, "PENDING"))
    return SLUICE_SQL_STEP_PENDING;
  if (g_str_equal (state, "RUNNING"))
    return SLUICE_SQL_STEP_RUNNING;

  st->terminal = TRUE;
  if (g_str_equal (state, "SUCCEEDED"))
    {
      JsonObject *manifest = _sluice_json_obj (body, "manifest");
      JsonObject *result = _sluice_json_obj (body, "result");

      if (manifest == NULL)
        {
          g_set_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                       _("%s said the statement succeeded but sent no result manifest."), fabric);
          return SLUICE_SQL_STEP_FAILED;
        }
      if (!read_manifest (st, manifest, error))
        return SLUICE_SQL_STEP_FAILED;
      if (result == NULL && _sluice_json_int (manifest, "total_chunk_count") > 0)
        {
          g_autofree char *escaped = sluice_http_escape (st->id);
          st->data = g_strdup_printf (STATEMENTS "/%s/result/chunks/0", escaped);
          return SLUICE_SQL_STEP_DONE;
        }
      if (result && !read_chunk (st, result, error))
        return SLUICE_SQL_STEP_FAILED;
      return SLUICE_SQL_STEP_DONE;
    }
  if (g_str_equal (state, "FAILED"))
    {
      const char *message = _sluice_json_str (_sluice_json_obj (status, "error"), "message");
      g_set_error_literal (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                           message ? message : _("The statement failed."));
    }
  else if (g_str_equal (state, "CANCELED"))
    g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("%s cancelled the statement."), fabric);
  else if (g_str_equal (state, "CLOSED"))
    g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                 _("%s closed the statement: its result is no longer available."), fabric);
  else
    g_set_error (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_BAD_RESPONSE,
                 _("%s answered with the unknown statement state “%s”."), fabric, state);
  return SLUICE_SQL_STEP_FAILED;
}

static char *
statement_poll_path (SluiceSqlStatement *st)
{
  g_autofree char *id = sluice_http_escape (st->id);

  return g_strdup_printf (STATEMENTS "/%s", id);
}

static GError *
statement_poll_failed (SluiceSqlStatement *st,
                       GError             *error)
{
  if (!g_error_matches (error, SLUICE_HTTP_ERROR, SLUICE_HTTP_ERROR_NOT_FOUND))
    return error;
  /* Results are kept for a while only (ENGINE-APIS.md §1.9). */
  st->terminal = TRUE;
  g_error_free (error);
  return g_error_new (SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                      _("%s no longer knows the statement %s (its result expired)."),
                      sluice_http_client_get_fabric_name (st->http), st->id);
}

static const char *
statement_running_id (SluiceHttpResponse *response)
{
  JsonObject *body = _sluice_sql_body_object (response);
  const char *state = _sluice_json_str (_sluice_json_obj (body, "status"), "state");

  if (g_strcmp0 (state, "PENDING") != 0 && g_strcmp0 (state, "RUNNING") != 0)
    return NULL;
  return _sluice_json_str (body, "statement_id");
}

static JsonNode *
statement_build_submit (SluiceSqlStatement  *st,
                        char               **path)
{
  g_autoptr(JsonBuilder) b = json_builder_new ();

  /* Hybrid mode: a quick statement's result comes inline with the answer,
   * a slow one's id comes after 10 s and is polled. */
  json_builder_begin_object (b);
  json_builder_set_member_name (b, "statement");
  json_builder_add_string_value (b, st->sql);
  json_builder_set_member_name (b, "warehouse_id");
  json_builder_add_string_value (b, st->warehouse);
  json_builder_set_member_name (b, "wait_timeout");
  json_builder_add_string_value (b, "10s");
  json_builder_set_member_name (b, "on_wait_timeout");
  json_builder_add_string_value (b, "CONTINUE");
  json_builder_set_member_name (b, "disposition");
  json_builder_add_string_value (b, "INLINE");
  json_builder_set_member_name (b, "format");
  json_builder_add_string_value (b, "JSON_ARRAY");
  if (st->row_limit)
    {
      json_builder_set_member_name (b, "row_limit");
      json_builder_add_int_value (b, st->row_limit);
    }
  json_builder_end_object (b);
  *path = g_strdup (STATEMENTS);
  return json_builder_get_root (b);
}

static const SluiceSqlStatementClass statement_class = {
  .statements = STATEMENTS,
  .submit_flags = SLUICE_HTTP_CREATES,
  .cancel_flags = SLUICE_HTTP_RAW,
  .build_submit = statement_build_submit,
  .poll_path = statement_poll_path,
  .read_answer = statement_read_answer,
  .next_page = statement_next_page,
  .read_page = statement_read_page,
  .convert = statement_convert,
  .poll_failed = statement_poll_failed,
  .running_id = statement_running_id,
};

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

  if (self->http == NULL)
    {
      g_task_report_error (engine, callback, user_data, databricks_execute_async, g_error_copy (self->setup_error));
      return;
    }
  _sluice_sql_statement_run_async (engine, &statement_class, self->http, self->warehouse_id, sql, row_limit, run,
                                   SLUICE_HTTP_NONE, NULL, g_free, cancellable, callback, user_data);
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
  ListJob *job = g_task_get_task_data (task);
  g_autofree char *path = NULL;

  if (page_token)
    {
      g_autofree char *escaped = sluice_http_escape (page_token);
      path = g_strdup_printf ("/api/2.0/sql/warehouses?page_token=%s", escaped);
    }
  else
    path = g_strdup ("/api/2.0/sql/warehouses");
  sluice_http_client_request_async (self->http, "GET", path, NULL, job->test ? SLUICE_HTTP_QUICK : SLUICE_HTTP_NONE,
                                    NULL, g_task_get_cancellable (task), list_done, task);
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


static void
databricks_list_compute_async (SluiceEngine        *engine,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  start_listing (engine, FALSE, databricks_list_compute_async, cancellable, callback, user_data);
}


/* ---- Runs ---- */

static void
databricks_run_pipeline_async (SluiceEngine        *engine,
                               SluiceRun           *run,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  _sluice_remote_sql_run_pipeline_async (engine, SLUICE_DIALECT_SPARK, databricks_execute_async, run,
                                         cancellable, callback, user_data);
}

static void
databricks_run_sql_async (SluiceEngine        *engine,
                          const char          *sql,
                          guint                sample_limit,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  _sluice_remote_sql_run_sql_async (engine, databricks_execute_async, sql, sample_limit,
                                    cancellable, callback, user_data);
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
  iface->list_compute_async = databricks_list_compute_async;
  iface->run_pipeline_async = databricks_run_pipeline_async;
  iface->run_sql_async = databricks_run_sql_async;
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
