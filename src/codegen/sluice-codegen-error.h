#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SLUICE_CODEGEN_ERROR (sluice_codegen_error_quark ())

typedef enum {
  SLUICE_CODEGEN_ERROR_FAILED,
  SLUICE_CODEGEN_ERROR_UNSUPPORTED,   /* the dialect cannot express something */
} SluiceCodegenError;

GQuark sluice_codegen_error_quark (void);

G_END_DECLS
