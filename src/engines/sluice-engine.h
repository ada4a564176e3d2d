#pragma once

#include <gio/gio.h>

#include "sluice-engines-types.h"
#include "sluice-gem-result.h"
#include "sluice-run.h"

G_BEGIN_DECLS

/* An execution environment: the local SQLite engine, a Databricks cluster or
 * SQL warehouse, Livy, Snowflake. Every operation is asynchronous and
 * cancellable; one an engine lacks fails with
 * SLUICE_ENGINE_ERROR_NOT_SUPPORTED (see get_capabilities). */

#define SLUICE_TYPE_ENGINE (sluice_engine_get_type ())
G_DECLARE_INTERFACE (SluiceEngine, sluice_engine, SLUICE, ENGINE, GObject)

struct _SluiceEngineInterface
{
  GTypeInterface parent_iface;

  SluiceEngineCapabilities (*get_capabilities) (SluiceEngine *self);

  void             (*test_connection_async)  (SluiceEngine        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
  gboolean         (*test_connection_finish) (SluiceEngine        *self,
                                              GAsyncResult        *result,
                                              GError             **error);
  void             (*list_compute_async)     (SluiceEngine        *self,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
  GListModel      *(*list_compute_finish)    (SluiceEngine        *self,
                                              GAsyncResult        *result,
                                              GError             **error);
  void             (*run_pipeline_async)     (SluiceEngine        *self,
                                              SluiceRun           *run,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
  gboolean         (*run_pipeline_finish)    (SluiceEngine        *self,
                                              GAsyncResult        *result,
                                              GError             **error);
  void             (*run_sql_async)          (SluiceEngine        *self,
                                              const char          *sql,
                                              guint                sample_limit,
                                              GCancellable        *cancellable,
                                              GAsyncReadyCallback  callback,
                                              gpointer             user_data);
  SluiceGemResult *(*run_sql_finish)         (SluiceEngine        *self,
                                              GAsyncResult        *result,
                                              GError             **error);
};

/* The factory keyed by fabric kind, the one place the UI gets an engine
 * from: a Local fabric runs on a SluiceLocalEngine (samples cached under
 * @cache_dir, nullable: the user's cache folder); a remote kind on its HTTP
 * engine, with @secrets (nullable; the fabric's SECRET fields by key, as
 * the caller looked them up in the keyring: engines never read the keyring
 * themselves); a kind this build has no engine for gets one that says so
 * for every operation. (transfer full) */
SluiceEngine            *sluice_engine_new_for_fabric   (SluiceFabric *fabric,
                                                         const char   *cache_dir,
                                                         GHashTable   *secrets);

SluiceEngineCapabilities sluice_engine_get_capabilities (SluiceEngine *self);

void             sluice_engine_test_connection_async  (SluiceEngine        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean         sluice_engine_test_connection_finish (SluiceEngine        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* (transfer full): a GListModel of SluiceCompute */
void             sluice_engine_list_compute_async     (SluiceEngine        *self,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
GListModel      *sluice_engine_list_compute_finish    (SluiceEngine        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* Runs what @run asks for and fills it in as gems finish, on the calling
 * thread's main context. Fails with SLUICE_ENGINE_ERROR_PIPELINE (and the
 * problems in sluice_run_get_problems()) when the pipeline has errors, with
 * the first gem's error when a gem fails, and with G_IO_ERROR_CANCELLED. */
void             sluice_engine_run_pipeline_async     (SluiceEngine        *self,
                                                       SluiceRun           *run,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
gboolean         sluice_engine_run_pipeline_finish    (SluiceEngine        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);
/* One statement in the engine's dialect; its first @sample_limit rows. */
void             sluice_engine_run_sql_async          (SluiceEngine        *self,
                                                       const char          *sql,
                                                       guint                sample_limit,
                                                       GCancellable        *cancellable,
                                                       GAsyncReadyCallback  callback,
                                                       gpointer             user_data);
/* (transfer full) */
SluiceGemResult *sluice_engine_run_sql_finish         (SluiceEngine        *self,
                                                       GAsyncResult        *result,
                                                       GError             **error);

G_END_DECLS
