#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SLUICE_SECRET_ERROR (sluice_secret_error_quark ())

typedef enum {
  SLUICE_SECRET_ERROR_FAILED,
  SLUICE_SECRET_ERROR_UNAVAILABLE,   /* no keyring reachable: no D-Bus session, locked, refused */
} SluiceSecretError;

GQuark sluice_secret_error_quark (void);

G_END_DECLS
