#include "config.h"

#include "sluice-secret-error.h"

G_DEFINE_QUARK (sluice-secret-error-quark, sluice_secret_error)
