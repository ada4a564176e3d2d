#pragma once

#include "sluice-engine.h"
#include "sluice-fabric.h"
#include "sluice-http-client.h"

G_BEGIN_DECLS

/* A Databricks SQL warehouse through the SQL Statement Execution API 2.0
 * (ENGINE-APIS.md §1.8, §1.9): Spark SQL, one statement per gem. */

#define SLUICE_TYPE_DATABRICKS_SQL_ENGINE (sluice_databricks_sql_engine_get_type ())
G_DECLARE_FINAL_TYPE (SluiceDatabricksSqlEngine, sluice_databricks_sql_engine, SLUICE, DATABRICKS_SQL_ENGINE, GObject)

/* @fabric: a "databricks-sql" fabric (url, warehouse_id); @token: its
 * personal access token (nullable: then every operation says it is
 * missing). Settings that do not work (a bad URL) fail every operation
 * with the problem. */
SluiceDatabricksSqlEngine *sluice_databricks_sql_engine_new (SluiceFabric *fabric,
                                                             const char   *token);
/* (transfer none) (nullable): its HTTP client, for timeouts in tests */
SluiceHttpClient          *sluice_databricks_sql_engine_get_http_client (SluiceDatabricksSqlEngine *self);

G_END_DECLS
