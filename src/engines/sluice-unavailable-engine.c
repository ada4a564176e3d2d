#define G_LOG_DOMAIN "sluice-unavailable-engine"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-engine-error.h"
#include "sluice-fabric.h"
#include "sluice-unavailable-engine.h"

struct _SluiceUnavailableEngine
{
  GObject          parent_instance;
  SluiceFabricKind kind;
};

static void engine_iface_init (SluiceEngineInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceUnavailableEngine, sluice_unavailable_engine, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (SLUICE_TYPE_ENGINE, engine_iface_init))

static void
report (SluiceEngine        *engine,
        GAsyncReadyCallback  callback,
        gpointer             user_data,
        gpointer             source_tag)
{
  SluiceUnavailableEngine *self = SLUICE_UNAVAILABLE_ENGINE (engine);

  g_task_report_new_error (self, callback, user_data, source_tag, SLUICE_ENGINE_ERROR,
                           SLUICE_ENGINE_ERROR_NOT_SUPPORTED, _("The %s engine is not available in this version."),
                           sluice_fabric_kind_get_title (self->kind));
}

static void
unavailable_test_connection_async (SluiceEngine        *engine,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  report (engine, callback, user_data, sluice_engine_test_connection_async);
}

static void
unavailable_list_compute_async (SluiceEngine        *engine,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  report (engine, callback, user_data, sluice_engine_list_compute_async);
}

static void
unavailable_run_pipeline_async (SluiceEngine        *engine,
                                SluiceRun           *run,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  report (engine, callback, user_data, sluice_engine_run_pipeline_async);
}

static void
unavailable_run_sql_async (SluiceEngine        *engine,
                           const char          *sql,
                           guint                sample_limit,
                           GCancellable        *cancellable,
                           GAsyncReadyCallback  callback,
                           gpointer             user_data)
{
  report (engine, callback, user_data, sluice_engine_run_sql_async);
}

static void
engine_iface_init (SluiceEngineInterface *iface)
{
  /* The _finish defaults propagate the error; get_capabilities stays 0. */
  iface->test_connection_async = unavailable_test_connection_async;
  iface->list_compute_async = unavailable_list_compute_async;
  iface->run_pipeline_async = unavailable_run_pipeline_async;
  iface->run_sql_async = unavailable_run_sql_async;
}

static void
sluice_unavailable_engine_class_init (SluiceUnavailableEngineClass *klass)
{
}

static void
sluice_unavailable_engine_init (SluiceUnavailableEngine *self)
{
}

SluiceUnavailableEngine *
sluice_unavailable_engine_new (SluiceFabricKind kind)
{
  SluiceUnavailableEngine *self = g_object_new (SLUICE_TYPE_UNAVAILABLE_ENGINE, NULL);

  self->kind = kind;
  return self;
}
