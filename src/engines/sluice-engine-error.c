#include "config.h"

#include "sluice-engine-error.h"

G_DEFINE_QUARK (sluice-engine-error-quark, sluice_engine_error)
