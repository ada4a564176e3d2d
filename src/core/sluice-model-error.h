#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SLUICE_MODEL_ERROR (sluice_model_error_quark ())

typedef enum {
  SLUICE_MODEL_ERROR_FAILED,
  SLUICE_MODEL_ERROR_PARSE,          /* not JSON, or not the shape Sluice writes */
  SLUICE_MODEL_ERROR_NEWER_FORMAT,   /* written by a newer Sluice: read-only */
  SLUICE_MODEL_ERROR_NOT_A_PROJECT,  /* no sluice.json in the folder */
  SLUICE_MODEL_ERROR_EXISTS,         /* a name or id is already taken */
  SLUICE_MODEL_ERROR_INVALID,        /* an edit the model refuses (cycle, arity, bad id) */
} SluiceModelError;

GQuark sluice_model_error_quark (void);

G_END_DECLS
