#pragma once

#include "sluice-engine.h"
#include "sluice-fabric.h"
#include "sluice-http-client.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_LIVY_ENGINE (sluice_livy_engine_get_type ())
G_DECLARE_FINAL_TYPE (SluiceLivyEngine, sluice_livy_engine, SLUICE, LIVY_ENGINE, GObject)

/* Runs pipelines on any Spark behind Apache Livy: one pyspark session per
 * engine, made on the first run and deleted when the engine goes, and
 * the interactive PySpark program as its statements (ENGINE-APIS.md §2).
 * @fabric: a "livy" fabric; @password: for basic authentication (nullable). */
SluiceLivyEngine *sluice_livy_engine_new             (SluiceFabric     *fabric,
                                                      const char       *password);
/* (transfer none) (nullable): NULL when the fabric's URL is unusable */
SluiceHttpClient *sluice_livy_engine_get_http_client (SluiceLivyEngine *self);
/* Polls wait @first_ms, doubling up to @max_ms (defaults 500 and 5000);
 * tests shorten them. */
void              sluice_livy_engine_set_poll_interval (SluiceLivyEngine *self,
                                                        guint             first_ms,
                                                        guint             max_ms);
/* The session's id, -1 while there is none; and its name ("sluice-UUID"). */
gint64            sluice_livy_engine_get_session_id  (SluiceLivyEngine *self);
const char       *sluice_livy_engine_get_session_name (SluiceLivyEngine *self);

G_END_DECLS
