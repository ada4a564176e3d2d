#include "config.h"

#include "sluice-vcs-error.h"

G_DEFINE_QUARK (sluice-vcs-error-quark, sluice_vcs_error)
