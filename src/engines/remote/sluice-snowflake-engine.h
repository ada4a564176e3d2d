#pragma once

#include "sluice-engine.h"
#include "sluice-fabric.h"
#include "sluice-http-client.h"

G_BEGIN_DECLS

/* A Snowflake warehouse through the SQL API v2 (ENGINE-APIS.md §3):
 * Snowflake SQL, one statement per gem. */

#define SLUICE_TYPE_SNOWFLAKE_ENGINE (sluice_snowflake_engine_get_type ())
G_DECLARE_FINAL_TYPE (SluiceSnowflakeEngine, sluice_snowflake_engine, SLUICE, SNOWFLAKE_ENGINE, GObject)

/* @fabric: a "snowflake" fabric (url, warehouse, database, schema, role,
 * token_type pat|oauth); @token: its programmatic access token or OAuth
 * access token (nullable: then every operation says it is missing). */
SluiceSnowflakeEngine *sluice_snowflake_engine_new (SluiceFabric *fabric,
                                                    const char   *token);
/* (transfer none) (nullable): its HTTP client, for timeouts in tests */
SluiceHttpClient      *sluice_snowflake_engine_get_http_client (SluiceSnowflakeEngine *self);
/* How long the first resubmission of a statement waits (doubling, at
 * most 8 s); 500 ms unless a test shortens it. */
void                   sluice_snowflake_engine_set_resubmit_delay (SluiceSnowflakeEngine *self,
                                                                   guint                  milliseconds);

G_END_DECLS
