/* sluice-engines-types.h: forward declarations and enums of the engines layer,
 * so its headers include this rather than each other. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SluiceEngine        SluiceEngine;
typedef struct _SluiceRun           SluiceRun;
typedef struct _SluiceGemResult     SluiceGemResult;
typedef struct _SluiceCompute       SluiceCompute;
typedef struct _SluiceLocalEngine   SluiceLocalEngine;
typedef struct _SluiceFabric        SluiceFabric;
typedef struct _SluiceFabricStore   SluiceFabricStore;

/* The kinds of execution environment (docs/file-format.md, fabrics.json). */
typedef enum {
  SLUICE_FABRIC_LOCAL,
  SLUICE_FABRIC_DATABRICKS,
  SLUICE_FABRIC_DATABRICKS_SQL,
  SLUICE_FABRIC_LIVY,
  SLUICE_FABRIC_SNOWFLAKE,
} SluiceFabricKind;

#define SLUICE_FABRIC_N_KINDS (SLUICE_FABRIC_SNOWFLAKE + 1)

/* What this session knows of a fabric's connection. */
typedef enum {
  SLUICE_FABRIC_STATE_UNKNOWN,      /* not tested yet */
  SLUICE_FABRIC_STATE_TESTING,
  SLUICE_FABRIC_STATE_READY,
  SLUICE_FABRIC_STATE_FAILED,       /* the test failed: see state-message */
  SLUICE_FABRIC_STATE_UNAVAILABLE,  /* this build cannot connect to the kind */
} SluiceFabricState;

/* What an engine can do; an operation it lacks fails with
 * SLUICE_ENGINE_ERROR_NOT_SUPPORTED. */
typedef enum {
  SLUICE_ENGINE_CAN_TEST_CONNECTION = 1 << 0,
  SLUICE_ENGINE_CAN_LIST_COMPUTE    = 1 << 1,
  SLUICE_ENGINE_CAN_RUN_PIPELINE    = 1 << 2,
  SLUICE_ENGINE_CAN_RUN_SQL         = 1 << 3,
  SLUICE_ENGINE_CAN_DEPLOY_JOB      = 1 << 4,
} SluiceEngineCapabilities;

typedef enum {
  SLUICE_RUN_QUEUED,
  SLUICE_RUN_RUNNING,
  SLUICE_RUN_SUCCEEDED,
  SLUICE_RUN_FAILED,
  SLUICE_RUN_CANCELLED,
} SluiceRunState;

/* A gem's state within one run; NOT_IN_RUN for gems the run does not need
 * (a run up to another gem). */
typedef enum {
  SLUICE_GEM_NOT_IN_RUN,
  SLUICE_GEM_QUEUED,
  SLUICE_GEM_RUNNING,
  SLUICE_GEM_DONE,
  SLUICE_GEM_FAILED,
} SluiceGemState;

G_END_DECLS
