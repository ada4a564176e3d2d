/* sluice-secrets-types.h: forward declarations and enums of the secrets layer. */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

typedef struct _SluiceCredentialStore SluiceCredentialStore;

/* Whether the desktop keyring can be reached. */
typedef enum {
  SLUICE_KEYRING_UNKNOWN,       /* not asked yet */
  SLUICE_KEYRING_AVAILABLE,
  SLUICE_KEYRING_UNAVAILABLE,   /* see the store's "problem" */
} SluiceKeyringStatus;

G_END_DECLS
