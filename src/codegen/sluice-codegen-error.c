#include "config.h"

#include "sluice-codegen-error.h"

G_DEFINE_QUARK (sluice-codegen-error-quark, sluice_codegen_error)
