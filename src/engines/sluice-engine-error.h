#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SLUICE_ENGINE_ERROR (sluice_engine_error_quark ())

typedef enum {
  SLUICE_ENGINE_ERROR_FAILED,
} SluiceEngineError;

GQuark sluice_engine_error_quark (void);

G_END_DECLS
