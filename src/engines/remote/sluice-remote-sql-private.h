/* sluice-remote-sql-private.h: what the SQL engines (Databricks SQL
 * warehouse, Snowflake) share: a pipeline run as one statement per gem, and
 * the rows a statement returned. Each engine supplies how it executes one
 * statement. */
#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-engine.h"

G_BEGIN_DECLS

/* What one statement returned, converted to Sluice's types and spellings. */
typedef struct
{
  GArray    *columns;     /* SluiceColumn, names owned */
  GPtrArray *rows;        /* per row a GPtrArray of char* (NULL = SQL NULL), one per column */
  gint64     total_rows;  /* what the service says the statement gave; -1: unknown */
} SluiceSqlRows;

SluiceSqlRows   *_sluice_sql_rows_new         (void);
void             _sluice_sql_rows_free        (SluiceSqlRows *rows);
void             _sluice_sql_rows_add_column  (SluiceSqlRows *rows,
                                               const char    *name,
                                               SluiceSqlType  type);
/* (transfer full): a row of @rows' width, filled by the caller, appended */
GPtrArray       *_sluice_sql_rows_add_row     (SluiceSqlRows *rows);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceSqlRows, _sluice_sql_rows_free)

/* One statement: its rows (at most @row_limit when not 0), or the service's
 * message as SLUICE_ENGINE_ERROR_FAILED, an HTTP error, or
 * G_IO_ERROR_CANCELLED (after asking the service to cancel it). @run
 * (nullable) gets progress messages. */
typedef void           (*SluiceSqlExecute)       (SluiceEngine        *engine,
                                                  const char          *sql,
                                                  guint                row_limit,
                                                  SluiceRun           *run,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
typedef SluiceSqlRows *(*SluiceSqlExecuteFinish) (SluiceEngine        *engine,
                                                  GAsyncResult        *result,
                                                  GError             **error);

/* run_pipeline for a SQL engine: checks the pipeline as the local engine
 * does, then for each gem (upstream first) runs its generated SELECT with
 * the run's sample limit and fills @run as each statement returns. */
void             _sluice_remote_sql_run_pipeline_async  (SluiceEngine           *engine,
                                                         SluiceDialect           dialect,
                                                         SluiceSqlExecute        execute,
                                                         SluiceSqlExecuteFinish  execute_finish,
                                                         SluiceRun              *run,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
gboolean         _sluice_remote_sql_run_pipeline_finish (SluiceEngine           *engine,
                                                         GAsyncResult           *result,
                                                         GError                **error);

/* run_sql for a SQL engine: the statement as it is, its first
 * @sample_limit rows. */
void             _sluice_remote_sql_run_sql_async       (SluiceEngine           *engine,
                                                         SluiceSqlExecute        execute,
                                                         SluiceSqlExecuteFinish  execute_finish,
                                                         const char             *sql,
                                                         guint                   sample_limit,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);
SluiceGemResult *_sluice_remote_sql_run_sql_finish      (SluiceEngine           *engine,
                                                         GAsyncResult           *result,
                                                         GError                **error);

/* Timestamps as Sluice shows them everywhere ("2024-01-05 10:30:00",
 * fraction only when there is one): @seconds since the epoch in UTC, or
 * local time @offset_minutes east of UTC with the offset appended.
 * (transfer full) */
char            *_sluice_remote_format_timestamp        (gint64      seconds,
                                                         guint       nanoseconds,
                                                         gboolean    with_offset,
                                                         int         offset_minutes);

/* JSON members read defensively: NULL / -1 unless of the right type. */
const char      *_sluice_json_str                       (JsonObject *o,
                                                         const char *key);
JsonObject      *_sluice_json_obj                       (JsonObject *o,
                                                         const char *key);
JsonArray       *_sluice_json_arr                       (JsonObject *o,
                                                         const char *key);
gint64           _sluice_json_int                       (JsonObject *o,
                                                         const char *key);

G_END_DECLS
