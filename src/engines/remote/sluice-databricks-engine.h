#pragma once

#include "sluice-engine.h"
#include "sluice-fabric.h"
#include "sluice-http-client.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_DATABRICKS_ENGINE (sluice_databricks_engine_get_type ())
G_DECLARE_FINAL_TYPE (SluiceDatabricksEngine, sluice_databricks_engine, SLUICE, DATABRICKS_ENGINE, GObject)

/* Runs pipelines on a Databricks all-purpose cluster: Clusters API 2.1 to
 * find, start or create it, Command Execution API 1.2 to run the
 * interactive PySpark program in an execution context (ENGINE-APIS.md
 * §1.4–1.5). @fabric: a "databricks" fabric; @token: its personal access
 * token (nullable: every call then fails saying so). */
SluiceDatabricksEngine *sluice_databricks_engine_new        (SluiceFabric           *fabric,
                                                             const char             *token);
/* (transfer none) (nullable): NULL when the fabric's URL is unusable */
SluiceHttpClient       *sluice_databricks_engine_get_http_client (SluiceDatabricksEngine *self);
/* Polls wait @first_ms, doubling up to @max_ms (defaults 500 and 5000);
 * tests shorten them. */
void                    sluice_databricks_engine_set_poll_interval (SluiceDatabricksEngine *self,
                                                                    guint                   first_ms,
                                                                    guint                   max_ms);
/* (nullable): the cluster runs go to: the fabric's, or the one this engine
 * created (once it has) */
const char             *sluice_databricks_engine_get_cluster_id (SluiceDatabricksEngine *self);

G_END_DECLS
