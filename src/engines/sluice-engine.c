#define G_LOG_DOMAIN "sluice-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-engine.h"
#include "sluice-engine-error.h"
#include "sluice-fabric.h"
#include "sluice-databricks-engine.h"
#include "sluice-databricks-sql-engine.h"
#include "sluice-livy-engine.h"
#include "sluice-local-engine.h"
#include "sluice-snowflake-engine.h"
#include "sluice-unavailable-engine.h"

G_DEFINE_INTERFACE (SluiceEngine, sluice_engine, G_TYPE_OBJECT)

/* The defaults: an engine that does not implement an operation says so. */
static void
not_supported (SluiceEngine        *self,
               const char          *what,
               GAsyncReadyCallback  callback,
               gpointer             user_data,
               gpointer             source_tag)
{
  g_task_report_new_error (self, callback, user_data, source_tag, SLUICE_ENGINE_ERROR,
                           SLUICE_ENGINE_ERROR_NOT_SUPPORTED, _("This fabric cannot %s."), what);
}

static SluiceEngineCapabilities
real_get_capabilities (SluiceEngine *self)
{
  return 0;
}

static void
real_test_connection_async (SluiceEngine        *self,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  not_supported (self, _("test its connection"), callback, user_data, sluice_engine_test_connection_async);
}

static gboolean
real_test_connection_finish (SluiceEngine  *self,
                             GAsyncResult  *result,
                             GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
real_list_compute_async (SluiceEngine        *self,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  not_supported (self, _("list compute"), callback, user_data, sluice_engine_list_compute_async);
}

static GListModel *
real_list_compute_finish (SluiceEngine  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
real_run_pipeline_async (SluiceEngine        *self,
                         SluiceRun           *run,
                         GCancellable        *cancellable,
                         GAsyncReadyCallback  callback,
                         gpointer             user_data)
{
  not_supported (self, _("run pipelines"), callback, user_data, sluice_engine_run_pipeline_async);
}

static gboolean
real_run_pipeline_finish (SluiceEngine  *self,
                          GAsyncResult  *result,
                          GError       **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
real_run_sql_async (SluiceEngine        *self,
                    const char          *sql,
                    guint                sample_limit,
                    GCancellable        *cancellable,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  not_supported (self, _("run SQL statements"), callback, user_data, sluice_engine_run_sql_async);
}

static SluiceGemResult *
real_run_sql_finish (SluiceEngine  *self,
                     GAsyncResult  *result,
                     GError       **error)
{
  return g_task_propagate_pointer (G_TASK (result), error);
}

static void
sluice_engine_default_init (SluiceEngineInterface *iface)
{
  iface->get_capabilities = real_get_capabilities;
  iface->test_connection_async = real_test_connection_async;
  iface->test_connection_finish = real_test_connection_finish;
  iface->list_compute_async = real_list_compute_async;
  iface->list_compute_finish = real_list_compute_finish;
  iface->run_pipeline_async = real_run_pipeline_async;
  iface->run_pipeline_finish = real_run_pipeline_finish;
  iface->run_sql_async = real_run_sql_async;
  iface->run_sql_finish = real_run_sql_finish;
}

SluiceEngine *
sluice_engine_new_for_fabric (SluiceFabric *fabric,
                              const char   *cache_dir,
                              GHashTable   *secrets)
{
  g_return_val_if_fail (SLUICE_IS_FABRIC (fabric), NULL);

  switch (sluice_fabric_get_kind (fabric))
    {
    case SLUICE_FABRIC_LOCAL:
      return SLUICE_ENGINE (sluice_local_engine_new (cache_dir));
    case SLUICE_FABRIC_DATABRICKS:
      return SLUICE_ENGINE (sluice_databricks_engine_new (fabric, secrets ? g_hash_table_lookup (secrets, "token") : NULL));
    case SLUICE_FABRIC_LIVY:
      return SLUICE_ENGINE (sluice_livy_engine_new (fabric, secrets ? g_hash_table_lookup (secrets, "password") : NULL));
    case SLUICE_FABRIC_DATABRICKS_SQL:
      return SLUICE_ENGINE (sluice_databricks_sql_engine_new (fabric, secrets ? g_hash_table_lookup (secrets, "token") : NULL));
    case SLUICE_FABRIC_SNOWFLAKE:
      return SLUICE_ENGINE (sluice_snowflake_engine_new (fabric, secrets ? g_hash_table_lookup (secrets, "token") : NULL));
    default:
      return SLUICE_ENGINE (sluice_unavailable_engine_new (sluice_fabric_get_kind (fabric)));
    }
}

SluiceEngineCapabilities
sluice_engine_get_capabilities (SluiceEngine *self)
{
  g_return_val_if_fail (SLUICE_IS_ENGINE (self), 0);
  return SLUICE_ENGINE_GET_IFACE (self)->get_capabilities (self);
}

void
sluice_engine_test_connection_async (SluiceEngine        *self,
                                     GCancellable        *cancellable,
                                     GAsyncReadyCallback  callback,
                                     gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_ENGINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  SLUICE_ENGINE_GET_IFACE (self)->test_connection_async (self, cancellable, callback, user_data);
}

gboolean
sluice_engine_test_connection_finish (SluiceEngine  *self,
                                      GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (SLUICE_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SLUICE_ENGINE_GET_IFACE (self)->test_connection_finish (self, result, error);
}

void
sluice_engine_list_compute_async (SluiceEngine        *self,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_ENGINE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  SLUICE_ENGINE_GET_IFACE (self)->list_compute_async (self, cancellable, callback, user_data);
}

GListModel *
sluice_engine_list_compute_finish (SluiceEngine  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (SLUICE_IS_ENGINE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SLUICE_ENGINE_GET_IFACE (self)->list_compute_finish (self, result, error);
}

void
sluice_engine_run_pipeline_async (SluiceEngine        *self,
                                  SluiceRun           *run,
                                  GCancellable        *cancellable,
                                  GAsyncReadyCallback  callback,
                                  gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_ENGINE (self));
  g_return_if_fail (SLUICE_IS_RUN (run));
  g_return_if_fail (sluice_run_get_state (run) == SLUICE_RUN_QUEUED);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  SLUICE_ENGINE_GET_IFACE (self)->run_pipeline_async (self, run, cancellable, callback, user_data);
}

gboolean
sluice_engine_run_pipeline_finish (SluiceEngine  *self,
                                   GAsyncResult  *result,
                                   GError       **error)
{
  g_return_val_if_fail (SLUICE_IS_ENGINE (self), FALSE);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), FALSE);
  return SLUICE_ENGINE_GET_IFACE (self)->run_pipeline_finish (self, result, error);
}

void
sluice_engine_run_sql_async (SluiceEngine        *self,
                             const char          *sql,
                             guint                sample_limit,
                             GCancellable        *cancellable,
                             GAsyncReadyCallback  callback,
                             gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_ENGINE (self));
  g_return_if_fail (sql != NULL);
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));
  SLUICE_ENGINE_GET_IFACE (self)->run_sql_async (self, sql, sample_limit, cancellable, callback, user_data);
}

SluiceGemResult *
sluice_engine_run_sql_finish (SluiceEngine  *self,
                              GAsyncResult  *result,
                              GError       **error)
{
  g_return_val_if_fail (SLUICE_IS_ENGINE (self), NULL);
  g_return_val_if_fail (G_IS_ASYNC_RESULT (result), NULL);
  return SLUICE_ENGINE_GET_IFACE (self)->run_sql_finish (self, result, error);
}
