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
