/* sluice-remote-sql-private.h: what the SQL engines (Databricks SQL
 * warehouse, Snowflake) share: a pipeline run as one statement per gem, and
 * the rows a statement returned. Each engine supplies how it executes one
 * statement. */
#pragma once

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-engine.h"
#include "sluice-http-client.h"

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

/* One statement's life on a statement API: submit, poll while it runs,
 * fetch the further pages of its result, and tell the service when the
 * caller cancels. The loop is shared; each engine says how its requests
 * look and how its answers read (SluiceSqlStatementClass). */
typedef struct _SluiceSqlStatement SluiceSqlStatement;

typedef enum {
  SLUICE_SQL_STEP_PENDING,   /* queued (waiting for the warehouse): poll */
  SLUICE_SQL_STEP_RUNNING,   /* running: poll */
  SLUICE_SQL_STEP_DONE,      /* st->rows holds the first page: fetch the rest */
  SLUICE_SQL_STEP_FAILED,    /* the error says why */
} SluiceSqlStep;

typedef struct
{
  const char     *statements;     /* the API's path: "/api/2.0/sql/statements" */
  const guint    *accept_status;  /* nullable: statuses that are answers, on every request */
  SluiceHttpFlags submit_flags;
  SluiceHttpFlags cancel_flags;   /* besides SLUICE_HTTP_NO_RETRY */

  /* The submit's body (transfer full), its path in @path; st->submits
   * counts the submits before this one. */
  JsonNode     *(*build_submit)   (SluiceSqlStatement  *st,
                                   char               **path);
  /* (transfer full): the poll's path, from st->id */
  char         *(*poll_path)      (SluiceSqlStatement  *st);
  /* What an answer to a submit or poll says; sets st->id (when it has none
   * yet), st->terminal and st->rows. */
  SluiceSqlStep (*read_answer)    (SluiceSqlStatement  *st,
                                   SluiceHttpResponse  *response,
                                   GError             **error);
  /* (transfer full, nullable): the next page's path, NULL at the last */
  char         *(*next_page)      (SluiceSqlStatement  *st);
  /* Appends a page's rows. */
  gboolean      (*read_page)      (SluiceSqlStatement  *st,
                                   SluiceHttpResponse  *response,
                                   GError             **error);
  /* A text value of column @column in Sluice's spelling (transfer full). */
  char         *(*convert)        (SluiceSqlStatement  *st,
                                   guint                column,
                                   const char          *text);
  /* nullable: rewrites a failed poll's @error (transfer full both ways) */
  GError       *(*poll_failed)    (SluiceSqlStatement  *st,
                                   GError              *error);
  /* nullable: ms to wait before submitting again after @error, or -1 */
  gint          (*resubmit_delay) (SluiceSqlStatement  *st,
                                   const GError        *error);
  /* The id in an answer to a submit that arrived after a cancel, when the
   * statement still runs there; NULL otherwise. */
  const char   *(*running_id)     (SluiceHttpResponse  *response);
} SluiceSqlStatementClass;

struct _SluiceSqlStatement
{
  const SluiceSqlStatementClass *klass;
  SluiceEngine     *engine;        /* owned */
  SluiceHttpClient *http;          /* owned */
  char             *warehouse;     /* owned: what progress messages name */
  char             *sql;           /* owned */
  guint             row_limit;     /* 0: all */
  SluiceRun        *run;           /* owned, nullable */
  SluiceHttpFlags   flags;         /* on every request (SLUICE_HTTP_QUICK for a test) */
  gpointer          data;          /* the engine's, freed with data_free */
  GDestroyNotify    data_free;

  char             *id;            /* nullable until the service answers */
  SluiceSqlRows    *rows;          /* owned, nullable */
  gboolean          terminal;      /* the service said it ended */

  /* the loop's own */
  GCancellable     *cancellable;   /* owned, nullable */
  gulong            cancel_handler;
  gboolean          done;          /* the task returned */
  guint             submits;
  guint             source;        /* a poll or resubmission waiting */
  guint             poll_ms;
  gint64            started_us;
};

/* Runs @sql on @engine (the task's source object) through @http. @data
 * (owned, freed with @data_free) is the engine's. */
void             _sluice_sql_statement_run_async       (SluiceEngine                  *engine,
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
                                                        gpointer                       user_data);
SluiceSqlRows   *_sluice_sql_statement_run_finish      (SluiceEngine                  *engine,
                                                        GAsyncResult                  *result,
                                                        GError                       **error);
/* Appends @data's rows (arrays of strings or nulls, one per column, up to
 * the row limit) through klass->convert. */
gboolean         _sluice_sql_statement_read_rows       (SluiceSqlStatement            *st,
                                                        JsonArray                     *data,
                                                        GError                       **error);
/* The object in @response's body, or NULL. */
JsonObject      *_sluice_sql_body_object               (SluiceHttpResponse            *response);

/* run_pipeline for a SQL engine: checks the pipeline as the local engine
 * does, then for each gem (upstream first) runs its generated SELECT with
 * the run's sample limit and fills @run as each statement returns. */
void             _sluice_remote_sql_run_pipeline_async  (SluiceEngine           *engine,
                                                         SluiceDialect           dialect,
                                                         SluiceSqlExecute        execute,
                                                         SluiceRun              *run,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);

/* run_sql for a SQL engine: the statement as it is, its first
 * @sample_limit rows. */
void             _sluice_remote_sql_run_sql_async       (SluiceEngine           *engine,
                                                         SluiceSqlExecute        execute,
                                                         const char             *sql,
                                                         guint                   sample_limit,
                                                         GCancellable           *cancellable,
                                                         GAsyncReadyCallback     callback,
                                                         gpointer                user_data);

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
