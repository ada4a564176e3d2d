#define G_LOG_DOMAIN "sluice-local-engine"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sluice-compute.h"
#include "sluice-engine-error.h"
#include "sluice-local-engine.h"
#include "sluice-local-plan.h"
#include "sluice-sample-reader.h"
#include "sluice-sample-writer.h"
#include "sluice-sqlite.h"
#include "sluice-sqlite-private.h"

struct _SluiceLocalEngine
{
  GObject  parent_instance;
  char    *cache_dir;     /* owned */
  /* One worker at a time uses the connection. */
  GMutex   lock;
  sqlite3 *db;            /* owned, nullable; guarded by lock */
  char    *db_path;       /* owned, nullable; guarded by lock */
};

static void engine_iface_init (SluiceEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceLocalEngine, sluice_local_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SLUICE_TYPE_ENGINE, engine_iface_init))

/* Fractions are posted to the main thread at most this often. */
#define FRACTION_INTERVAL_US (50 * 1000)

typedef struct
{
  SluiceLocalEngine *self;       /* owned */
  SluiceLocalPlan   *plan;       /* owned */
  SluiceRun         *run;        /* owned; touched on the main context only */
  GMainContext      *context;    /* owned: where the run lives */
  GCancellable      *cancellable;/* owned, nullable */
  /* worker only */
  guint              units_done; /* loads and gems finished */
  guint              ticks;      /* progress-handler calls in the current step */
  GHashTable        *loaded;     /* datasets loaded in this run (borrowed from the plan) */
  guint              units;
  gint64             last_post;
  double             fraction;   /* the last one posted */
} Job;

static gboolean
release_run (gpointer data)
{
  g_object_unref (data);
  return G_SOURCE_REMOVE;
}

static void
job_free (Job *job)
{
  /* The last reference to the task may go on the worker thread; the run
   * (and the model it holds) is released where it lives. */
  if (job->run)
    g_main_context_invoke (job->context, release_run, g_steal_pointer (&job->run));
  g_main_context_unref (job->context);
  g_clear_object (&job->cancellable);
  g_hash_table_unref (job->loaded);
  sluice_local_plan_free (job->plan);
  g_object_unref (job->self);
  g_free (job);
}

/* ---- Posting to the main context ---- */

typedef enum { POST_STATE, POST_RESULT, POST_FRACTION } PostKind;

typedef struct
{
  PostKind         kind;
  SluiceRun       *run;      /* owned */
  char            *gem_id;
  SluiceGemState   state;
  SluiceGemResult *result;   /* owned, nullable */
  double           fraction;
} Post;

static gboolean
post_dispatch (gpointer data)
{
  Post *p = data;

  switch (p->kind)
    {
    case POST_STATE:
      sluice_run_set_gem_state (p->run, p->gem_id, p->state);
      break;
    case POST_RESULT:
      sluice_run_add_result (p->run, p->result);
      break;
    case POST_FRACTION:
      sluice_run_set_fraction (p->run, p->fraction);
      break;
    }
  return G_SOURCE_REMOVE;
}

static void
post_free (gpointer data)
{
  Post *p = data;

  g_object_unref (p->run);
  g_free (p->gem_id);
  g_clear_object (&p->result);
  g_free (p);
}

static void
post (Job             *job,
      PostKind         kind,
      const char      *gem_id,
      SluiceGemState   state,
      SluiceGemResult *result,
      double           fraction)
{
  Post *p = g_new0 (Post, 1);

  p->kind = kind;
  /* A reference taken here is dropped by post_free on the main context. */
  p->run = g_object_ref (job->run);
  p->gem_id = g_strdup (gem_id);
  p->state = state;
  p->result = result;
  p->fraction = fraction;
  g_main_context_invoke_full (job->context, G_PRIORITY_DEFAULT, post_dispatch, p, post_free);
}

static void
post_progress (Job    *job,
               double  partial)
{
  gint64 now = g_get_monotonic_time ();
  double fraction = job->units ? (job->units_done + partial) / job->units : 1;

  /* Two estimates run during a load (bytes read, instructions): the bar
   * only moves forward. */
  if (fraction <= job->fraction || (partial < 1 && now - job->last_post < FRACTION_INTERVAL_US))
    return;
  job->last_post = now;
  job->fraction = fraction;
  post (job, POST_FRACTION, NULL, 0, NULL, fraction);
}

static void
load_progress (guint64  bytes_done,
               guint64  bytes_total,
               gpointer user_data)
{
  post_progress (user_data, bytes_total ? (double) bytes_done / bytes_total : 0);
}

/* ---- SQLite ---- */

static gboolean
sqlite_failed (sqlite3       *db,
               int            rc,
               GCancellable  *cancellable,
               const char    *gem_id,
               GError       **error)
{
  if (rc == SQLITE_INTERRUPT && g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (gem_id)
    g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, _("gem “%s”: %s"), gem_id,
                 sqlite3_errmsg (db));
  else
    g_set_error_literal (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
exec (sqlite3       *db,
      const char    *sql,
      GCancellable  *cancellable,
      const char    *gem_id,
      GError       **error)
{
  int rc = sqlite3_exec (db, sql, NULL, NULL, NULL);

  return rc == SQLITE_OK || sqlite_failed (db, rc, cancellable, gem_id, error);
}

static char *
quote (const char *name)
{
  GString *out = g_string_new ("\"");

  for (const char *c = name; *c; c++)
    {
      if (*c == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *c);
    }
  g_string_append_c (out, '"');
  return g_string_free (out, FALSE);
}

/* The first @limit rows of @select into a result with @columns (the
 * resolver's types; the statement's names when the resolver knows none). */
static gboolean
fetch_sample (sqlite3          *db,
              const char       *select,
              GArray           *columns,
              guint             limit,
              SluiceGemResult  *result,
              GCancellable     *cancellable,
              const char       *gem_id,
              GError          **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int n_cols, rc;
  guint rows = 0;

  if ((rc = sqlite3_prepare_v2 (db, select, -1, &stmt, NULL)) != SQLITE_OK)
    return sqlite_failed (db, rc, cancellable, gem_id, error);
  n_cols = sqlite3_column_count (stmt);
  for (int c = 0; c < n_cols; c++)
    {
      SluiceSqlType type = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
      if (columns && (guint) c < columns->len && (guint) n_cols == columns->len)
        type = g_array_index (columns, SluiceColumn, c).type;
      sluice_gem_result_add_column (result, sqlite3_column_name (stmt, c), type);
    }
  while (rows < limit && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GPtrArray) values = g_ptr_array_new_with_free_func (g_free);

      for (int c = 0; c < n_cols; c++)
        g_ptr_array_add (values, _sluice_sqlite_format_value (stmt, c, sluice_gem_result_get_column (result, c)->type));
      sluice_gem_result_add_row (result, (const char * const *) values->pdata);
      rows++;
    }
  if (rows < limit && rc != SQLITE_DONE)
    return sqlite_failed (db, rc, cancellable, gem_id, error);
  return TRUE;
}

static gint64
count_rows (sqlite3       *db,
            const char    *table,
            GCancellable  *cancellable,
            const char    *gem_id,
            GError       **error)
{
  g_autofree char *sql = g_strdup_printf ("SELECT count(*) FROM temp.%s", table);
  g_autoptr(sqlite3_stmt) stmt = NULL;
  int rc;

  if ((rc = sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL)) != SQLITE_OK ||
      (rc = sqlite3_step (stmt)) != SQLITE_ROW)
    {
      sqlite_failed (db, rc, cancellable, gem_id, error);
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

static int
progress_handler (gpointer data)
{
  return g_cancellable_is_cancelled (data);
}

/* During a step, SQLite calls this every 10,000 instructions: a statement's
 * total is unknown, so its share of the bar fills toward its end (half of
 * it after two million instructions) and never past it. */
static int
run_progress_handler (gpointer data)
{
  Job *job = data;

  if (g_cancellable_is_cancelled (job->cancellable))
    return 1;
  job->ticks++;
  post_progress (job, 1.0 - 1.0 / (1.0 + job->ticks / 200.0));
  return 0;
}

static void
interrupt (GCancellable *cancellable,
           gpointer      db)
{
  sqlite3_interrupt (db);
}

/* The cache database of @project_dir, opened (and made anew when it is
 * not a usable database: it is only a cache). Called with the lock held. */
static gboolean
open_cache (SluiceLocalEngine  *self,
            const char         *project_dir,
            GError            **error)
{
  g_autofree char *hash = g_compute_checksum_for_string (G_CHECKSUM_SHA256, project_dir, -1);
  g_autofree char *dir = g_build_filename (self->cache_dir, "sluice", "local", NULL);
  g_autofree char *name = g_strconcat (hash, ".sqlite", NULL);
  g_autofree char *path = g_build_filename (dir, name, NULL);
  g_autoptr(GError) local_error = NULL;

  if (self->db && g_strcmp0 (self->db_path, path) == 0)
    return TRUE;
  g_clear_pointer (&self->db, sqlite3_close);
  g_clear_pointer (&self->db_path, g_free);

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), _("%s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  self->db = sluice_sqlite_open (path, &local_error);
  if (self->db == NULL || !exec (self->db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL))
    {
      g_clear_pointer (&self->db, sqlite3_close);
      g_clear_error (&local_error);
      g_unlink (path);
      self->db = sluice_sqlite_open (path, &local_error);
    }
  if (self->db == NULL)
    {
      g_propagate_prefixed_error (error, g_steal_pointer (&local_error), "%s: ", path);
      return FALSE;
    }
  sqlite3_busy_timeout (self->db, 10000);
  /* A cache: no syncs; the journal stays (in memory) so that a failed load
   * can roll back. */
  if (!exec (self->db, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF", NULL, NULL, error))
    {
      g_clear_pointer (&self->db, sqlite3_close);
      return FALSE;
    }
  self->db_path = g_steal_pointer (&path);
  return TRUE;
}

/* ---- Running a plan (worker thread) ---- */

/* .sluice/ is this machine's: a .gitignore inside it keeps it out of git
 * even in a repository whose own .gitignore does not list it. */
static void
ensure_ignored (const char *project_dir)
{
  g_autofree char *dir = g_build_filename (project_dir, ".sluice", NULL);
  g_autofree char *path = g_build_filename (dir, ".gitignore", NULL);

  if (g_file_test (path, G_FILE_TEST_EXISTS))
    return;
  g_mkdir_with_parents (dir, 0755);
  /* Best effort: the run does not depend on it. */
  g_file_set_contents (path, "# Written by Sluice: local run outputs, never committed.\n*\n", -1, NULL);
}

static gboolean
run_step (Job              *job,
          sqlite3          *db,
          SluiceLocalStep  *step,
          GError          **error)
{
  g_autoptr(SluiceGemResult) result = sluice_gem_result_new (step->gem_id);
  g_autoptr(GError) local_error = NULL;
  g_autofree char *table = quote (step->gem_id);
  g_autofree char *select = NULL;
  gint64 t0 = g_get_monotonic_time ();
  gint64 n_rows = -1;
  gboolean ok;

  post (job, POST_STATE, step->gem_id, SLUICE_GEM_RUNNING, NULL, 0);
  job->ticks = 0;

  /* A Source loads its sample first, so a data error is the Source's. */
  ok = TRUE;
  if (step->dataset && !g_hash_table_contains (job->loaded, step->dataset))
    {
      gboolean reused = FALSE;

      ok = sluice_sample_load (db, step->dataset, job->plan->project_dir, load_progress, job, job->cancellable,
                               &reused, &local_error);
      g_hash_table_add (job->loaded, step->dataset);
      job->units_done++;
    }

  if (ok && step->sql)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TABLE IF EXISTS temp.%s", table);
      g_autofree char *create = g_strdup_printf ("CREATE TEMP TABLE %s AS %s", table, step->sql);

      select = g_strdup_printf ("SELECT * FROM temp.%s", table);
      ok = exec (db, drop, job->cancellable, step->gem_id, &local_error) &&
           exec (db, create, job->cancellable, step->gem_id, &local_error) &&
           (n_rows = count_rows (db, table, job->cancellable, step->gem_id, &local_error)) >= 0;
    }
  else if (ok)
    {
      g_autofree char *input = quote (step->input_gem);
      guint64 written = 0;

      select = g_strdup_printf ("SELECT * FROM temp.%s", input);
      ensure_ignored (job->plan->project_dir);
      ok = sluice_sample_write (db, select, step->output_format, step->output_options, step->output_path,
                                &written, job->cancellable, &local_error);
      n_rows = written;
      if (ok)
        sluice_gem_result_set_output (result, step->output_path);
    }
  if (ok)
    ok = fetch_sample (db, select, step->columns, job->plan->sample_limit, result, job->cancellable,
                       step->gem_id, &local_error);

  sluice_gem_result_set_elapsed (result, (g_get_monotonic_time () - t0) / 1000.0);
  /* An interrupt can surface as any SQLite error ("interrupted" from an
   * INSERT of the loader): after a cancel, it is the cancel. */
  if (!ok && g_cancellable_is_cancelled (job->cancellable))
    {
      g_clear_error (&local_error);
      g_cancellable_set_error_if_cancelled (job->cancellable, &local_error);
    }
  if (!ok)
    {
      if (!g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          sluice_gem_result_take_error (result, g_error_copy (local_error));
          post (job, POST_RESULT, NULL, 0, g_steal_pointer (&result), 0);
        }
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  sluice_gem_result_set_n_rows (result, n_rows);
  post (job, POST_RESULT, NULL, 0, g_steal_pointer (&result), 0);
  return TRUE;
}

static gboolean
drop_temp_tables (sqlite3  *db,
                  GError  **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  int rc;

  if ((rc = sqlite3_prepare_v2 (db, "SELECT name FROM temp.sqlite_schema WHERE type = 'table'", -1, &stmt, NULL)) != SQLITE_OK)
    return sqlite_failed (db, rc, NULL, NULL, error);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (names, quote ((const char *) sqlite3_column_text (stmt, 0)));
  if (rc != SQLITE_DONE)
    return sqlite_failed (db, rc, NULL, NULL, error);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *drop = g_strdup_printf ("DROP TABLE temp.%s", (char *) g_ptr_array_index (names, i));
      if (!exec (db, drop, NULL, NULL, error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
run_plan (Job      *job,
          sqlite3  *db,
          GError  **error)
{
  SluiceLocalPlan *plan = job->plan;

  /* Each gem's rows go to a temporary table, so a run never changes the
   * cached samples; the previous run's tables go first. */
  if (!drop_temp_tables (db, error))
    return FALSE;
  for (guint i = 0; i < plan->steps->len; i++)
    {
      if (g_cancellable_set_error_if_cancelled (job->cancellable, error) ||
          !run_step (job, db, &g_array_index (plan->steps, SluiceLocalStep, i), error))
        return FALSE;
      job->units_done++;
      post_progress (job, 0);
    }
  return TRUE;
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SluiceLocalEngine *self = source_object;
  Job *job = task_data;
  g_autoptr(GError) error = NULL;
  gulong handler = 0;
  gboolean ok;

  g_mutex_lock (&self->lock);
  ok = open_cache (self, job->plan->project_dir, &error);
  if (ok)
    {
      sqlite3_progress_handler (self->db, 10000, run_progress_handler, job);
      if (cancellable)
        handler = g_cancellable_connect (cancellable, G_CALLBACK (interrupt), self->db, NULL);
      ok = run_plan (job, self->db, &error);
      g_cancellable_disconnect (cancellable, handler);
      sqlite3_progress_handler (self->db, 0, NULL, NULL);
    }
  g_mutex_unlock (&self->lock);

  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, g_steal_pointer (&error));
}

static void
run_done (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  g_autoptr(GTask) outer = user_data;
  Job *job = g_task_get_task_data (G_TASK (result));
  g_autoptr(GError) error = NULL;

  if (!g_task_propagate_boolean (G_TASK (result), &error))
    {
      sluice_run_finish (job->run, g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED)
                                   ? SLUICE_RUN_CANCELLED : SLUICE_RUN_FAILED);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  sluice_run_finish (job->run, SLUICE_RUN_SUCCEEDED);
  g_task_return_boolean (outer, TRUE);
}

static void
local_run_pipeline_async (SluiceEngine        *engine,
                          SluiceRun           *run,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  SluiceLocalEngine *self = SLUICE_LOCAL_ENGINE (engine);
  g_autoptr(GTask) outer = g_task_new (self, cancellable, callback, user_data);
  g_autoptr(GTask) inner = NULL;
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) gems = NULL;
  SluiceLocalPlan *plan;
  Job *job;

  g_task_set_source_tag (outer, local_run_pipeline_async);
  g_task_set_task_data (outer, g_object_ref (run), g_object_unref);

  /* The model is read here, on its thread; the worker gets plain data. */
  plan = sluice_local_plan_new (run, &error);
  if (plan == NULL)
    {
      sluice_run_begin (run, (const char * const[]) { NULL });
      sluice_run_finish (run, SLUICE_RUN_FAILED);
      g_task_return_error (outer, g_steal_pointer (&error));
      return;
    }
  gems = sluice_local_plan_gems (plan);
  sluice_run_begin (run, (const char * const *) gems);

  job = g_new0 (Job, 1);
  job->self = g_object_ref (self);
  job->plan = plan;
  job->run = g_object_ref (run);
  job->context = g_main_context_ref_thread_default ();
  job->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  job->units = plan->n_datasets + plan->steps->len;
  job->loaded = g_hash_table_new (NULL, NULL);

  /* The inner task carries the worker; the outer one completes after the
   * run has been marked finished, so callers see a settled run. */
  inner = g_task_new (self, cancellable, run_done, g_steal_pointer (&outer));
  g_task_set_source_tag (inner, run_thread);
  g_task_set_task_data (inner, job, (GDestroyNotify) job_free);
  g_task_run_in_thread (inner, run_thread);
}

static gboolean
local_run_pipeline_finish (SluiceEngine  *engine,
                           GAsyncResult  *result,
                           GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == local_run_pipeline_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- One SQL statement ---- */

typedef struct
{
  char  *sql;
  guint  limit;
} SqlJob;

static void
sql_job_free (SqlJob *job)
{
  g_free (job->sql);
  g_free (job);
}

static void
sql_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  SluiceLocalEngine *self = source_object;
  SqlJob *job = task_data;
  g_autoptr(SluiceGemResult) result = sluice_gem_result_new (NULL);
  g_autoptr(GError) error = NULL;
  gint64 t0 = g_get_monotonic_time ();
  gulong handler = 0;
  gboolean ok = TRUE;

  g_mutex_lock (&self->lock);
  /* Without a project's cache, statements run in memory. */
  if (self->db == NULL && (self->db = sluice_sqlite_open (":memory:", &error)) == NULL)
    ok = FALSE;
  if (ok)
    {
      sqlite3_progress_handler (self->db, 10000, progress_handler, cancellable);
      if (cancellable)
        handler = g_cancellable_connect (cancellable, G_CALLBACK (interrupt), self->db, NULL);
      ok = fetch_sample (self->db, job->sql, NULL, job->limit, result, cancellable, NULL, &error);
      g_cancellable_disconnect (cancellable, handler);
      sqlite3_progress_handler (self->db, 0, NULL, NULL);
    }
  g_mutex_unlock (&self->lock);

  if (!ok)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  sluice_gem_result_set_n_rows (result, sluice_gem_result_get_n_sample_rows (result));
  sluice_gem_result_set_elapsed (result, (g_get_monotonic_time () - t0) / 1000.0);
  g_task_return_pointer (task, g_steal_pointer (&result), g_object_unref);
}

static void
local_run_sql_async (SluiceEngine        *engine,
                     const char          *sql,
                     guint                sample_limit,
                     GCancellable        *cancellable,
                     GAsyncReadyCallback  callback,
                     gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);
  SqlJob *job = g_new0 (SqlJob, 1);

  job->sql = g_strdup (sql);
  job->limit = sample_limit;
  g_task_set_source_tag (task, local_run_sql_async);
  g_task_set_task_data (task, job, (GDestroyNotify) sql_job_free);
  g_task_run_in_thread (task, sql_thread);
}

static SluiceGemResult *
local_run_sql_finish (SluiceEngine  *engine,
                      GAsyncResult  *result,
                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, engine), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- Connection and compute: this computer, always there ---- */

static void
local_test_connection_async (SluiceEngine        *engine,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);

  g_task_set_source_tag (task, local_test_connection_async);
  g_task_return_boolean (task, TRUE);
}

static void
local_list_compute_async (SluiceEngine        *engine,
                          GCancellable        *cancellable,
                          GAsyncReadyCallback  callback,
                          gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (engine, cancellable, callback, user_data);
  g_autoptr(GListStore) store = g_list_store_new (SLUICE_TYPE_COMPUTE);
  g_autofree char *name = g_strdup_printf (_("This computer (SQLite %s)"), sqlite3_libversion ());
  g_autoptr(SluiceCompute) here = sluice_compute_new ("local", name, "RUNNING");

  g_list_store_append (store, here);
  g_task_set_source_tag (task, local_list_compute_async);
  g_task_return_pointer (task, g_steal_pointer (&store), g_object_unref);
}

static SluiceEngineCapabilities
local_get_capabilities (SluiceEngine *engine)
{
  return SLUICE_ENGINE_CAN_TEST_CONNECTION | SLUICE_ENGINE_CAN_LIST_COMPUTE |
         SLUICE_ENGINE_CAN_RUN_PIPELINE | SLUICE_ENGINE_CAN_RUN_SQL;
}

static void
engine_iface_init (SluiceEngineInterface *iface)
{
  iface->get_capabilities = local_get_capabilities;
  iface->test_connection_async = local_test_connection_async;
  iface->list_compute_async = local_list_compute_async;
  iface->run_pipeline_async = local_run_pipeline_async;
  iface->run_pipeline_finish = local_run_pipeline_finish;
  iface->run_sql_async = local_run_sql_async;
  iface->run_sql_finish = local_run_sql_finish;
}

static void
sluice_local_engine_finalize (GObject *object)
{
  SluiceLocalEngine *self = SLUICE_LOCAL_ENGINE (object);

  g_clear_pointer (&self->db, sqlite3_close);
  g_free (self->db_path);
  g_free (self->cache_dir);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (sluice_local_engine_parent_class)->finalize (object);
}

static void
sluice_local_engine_class_init (SluiceLocalEngineClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_local_engine_finalize;
}

static void
sluice_local_engine_init (SluiceLocalEngine *self)
{
  g_mutex_init (&self->lock);
}

SluiceLocalEngine *
sluice_local_engine_new (const char *cache_dir)
{
  SluiceLocalEngine *self = g_object_new (SLUICE_TYPE_LOCAL_ENGINE, NULL);

  self->cache_dir = g_strdup (cache_dir ? cache_dir : g_get_user_cache_dir ());
  return self;
}
