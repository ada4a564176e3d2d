#include "config.h"

#include "sluice-model-error.h"

G_DEFINE_QUARK (sluice-model-error-quark, sluice_model_error)
