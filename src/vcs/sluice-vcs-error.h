#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SLUICE_VCS_ERROR (sluice_vcs_error_quark ())

typedef enum {
  SLUICE_VCS_ERROR_FAILED,
} SluiceVcsError;

GQuark sluice_vcs_error_quark (void);

G_END_DECLS
