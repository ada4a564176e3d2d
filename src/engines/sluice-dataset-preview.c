#define G_LOG_DOMAIN "sluice-dataset-preview"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-dataset-preview.h"
#include "sluice-engine-error.h"
#include "sluice-sample-reader-private.h"
#include "sluice-sqlite.h"
#include "sluice-sqlite-private.h"

/* A preview loads the first rows into a scratch in-memory connection with
 * the sample reader (so values convert, and fail, exactly as in a run) and
 * reads them back with the local engine's formatting. */

static char *
quote_identifier (const char *name)
{
  GString *s = g_string_new ("\"");

  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

SluiceGemResult *
sluice_dataset_preview (SluiceDataset  *dataset,
                        const char     *project_dir,
                        guint           limit,
                        GCancellable   *cancellable,
                        GError        **error)
{
  const char *name;
  g_autoptr(sqlite3) db = NULL;
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(SluiceGemResult) result = NULL;
  g_autofree char *select = NULL;
  g_autofree char *table = NULL;
  gint64 t0 = g_get_monotonic_time ();
  guint64 n_rows = 0;
  guint n_columns;
  int rc;

  g_return_val_if_fail (SLUICE_IS_DATASET (dataset), NULL);
  g_return_val_if_fail (project_dir != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  name = sluice_dataset_get_name (dataset);
  if (sluice_dataset_get_sample (dataset) == NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("dataset “%s” has no sample file"), name);
      return NULL;
    }
  if ((db = sluice_sqlite_open (":memory:", error)) == NULL)
    return NULL;
  if (!_sluice_sample_load_rows (db, dataset, project_dir, limit, &n_rows, cancellable, error))
    return NULL;

  result = sluice_gem_result_new (name);
  n_columns = sluice_dataset_get_n_columns (dataset);
  for (guint i = 0; i < n_columns; i++)
    {
      SluiceSqlType type;

      /* as the loader does: an unknown type loads as string */
      if (!sluice_sql_type_parse (sluice_dataset_get_column_type (dataset, i), &type))
        type = SLUICE_SQL_TYPE (SLUICE_SQL_STRING);
      sluice_gem_result_add_column (result, sluice_dataset_get_column_name (dataset, i), type);
    }

  table = quote_identifier (name);
  select = g_strdup_printf ("SELECT * FROM \"main\".%s ORDER BY rowid", table);
  if (sqlite3_prepare_v2 (db, select, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s",
                   sluice_dataset_get_sample (dataset), sqlite3_errmsg (db));
      return NULL;
    }
  g_assert ((guint) sqlite3_column_count (stmt) == n_columns);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      g_autoptr(GPtrArray) values = g_ptr_array_new_full (n_columns, g_free);

      for (guint c = 0; c < n_columns; c++)
        g_ptr_array_add (values, _sluice_sqlite_format_value (stmt, c, sluice_gem_result_get_column (result, c)->type));
      sluice_gem_result_add_row (result, (const char * const *) values->pdata);
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s",
                   sluice_dataset_get_sample (dataset), sqlite3_errmsg (db));
      return NULL;
    }
  sluice_gem_result_set_n_rows (result, (gint64) n_rows);
  sluice_gem_result_set_elapsed (result, (g_get_monotonic_time () - t0) / 1000.0);
  return g_steal_pointer (&result);
}

typedef struct
{
  SluiceDataset *dataset;       /* owned: a copy */
  char          *project_dir;   /* owned */
  guint          limit;
} PreviewData;

static void
preview_data_free (gpointer data)
{
  PreviewData *d = data;

  g_clear_object (&d->dataset);
  g_free (d->project_dir);
  g_free (d);
}

static void
preview_thread (GTask        *task,
                gpointer      source_object,
                gpointer      task_data,
                GCancellable *cancellable)
{
  PreviewData *d = task_data;
  GError *error = NULL;
  SluiceGemResult *result;

  result = sluice_dataset_preview (d->dataset, d->project_dir, d->limit, cancellable, &error);
  if (result)
    g_task_return_pointer (task, result, g_object_unref);
  else
    g_task_return_error (task, error);
}

/* What a preview reads of @dataset, copied with its setters. */
static SluiceDataset *
copy_dataset (SluiceDataset *dataset)
{
  SluiceDataset *copy = sluice_dataset_new (sluice_dataset_get_name (dataset));
  guint n = sluice_dataset_get_n_columns (dataset);
  g_autofree const char **names = g_new0 (const char *, n + 1);
  g_autofree const char **types = g_new0 (const char *, n + 1);
  g_autofree gboolean *nullable = g_new0 (gboolean, n + 1);

  for (guint i = 0; i < n; i++)
    {
      names[i] = sluice_dataset_get_column_name (dataset, i);
      types[i] = sluice_dataset_get_column_type (dataset, i);
      nullable[i] = sluice_dataset_get_column_nullable (dataset, i);
    }
  sluice_dataset_set_format (copy, sluice_dataset_get_format (dataset));
  sluice_dataset_set_options (copy, sluice_dataset_get_options (dataset));
  sluice_dataset_set_sample (copy, sluice_dataset_get_sample (dataset));
  sluice_dataset_set_columns (copy, n, names, types, nullable, NULL);
  return copy;
}

void
sluice_dataset_preview_async (SluiceDataset        *dataset,
                              const char           *project_dir,
                              guint                 limit,
                              GCancellable         *cancellable,
                              GAsyncReadyCallback   callback,
                              gpointer              user_data)
{
  g_autoptr(GTask) task = NULL;
  PreviewData *d;

  g_return_if_fail (SLUICE_IS_DATASET (dataset));
  g_return_if_fail (project_dir != NULL);

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_dataset_preview_async);
  d = g_new0 (PreviewData, 1);
  d->project_dir = g_strdup (project_dir);
  d->limit = limit;
  d->dataset = copy_dataset (dataset);
  g_task_set_task_data (task, d, preview_data_free);
  g_task_run_in_thread (task, preview_thread);
}

SluiceGemResult *
sluice_dataset_preview_finish (GAsyncResult  *result,
                               GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_dataset_preview_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
