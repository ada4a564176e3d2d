#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SLUICE_ENGINE_ERROR (sluice_engine_error_quark ())

typedef enum {
  SLUICE_ENGINE_ERROR_FAILED,
  SLUICE_ENGINE_ERROR_NOT_SUPPORTED,   /* the engine lacks the operation */
  SLUICE_ENGINE_ERROR_PIPELINE,        /* the pipeline has problems; nothing ran */
  SLUICE_ENGINE_ERROR_DATA,            /* bad data in a sample file: the message names PATH:LINE:COL */
} SluiceEngineError;

GQuark sluice_engine_error_quark (void);

G_END_DECLS
