#pragma once

#include <gio/gio.h>
#include <libsecret/secret.h>

#include "sluice-secrets-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_CREDENTIAL_STORE (sluice_credential_store_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCredentialStore, sluice_credential_store, SLUICE, CREDENTIAL_STORE, GObject)

/* Secrets in the desktop keyring (the Secret Service on the host, the Secret
 * portal inside Flatpak), through libsecret's password API and Sluice's own
 * schema, dev.sluice.Sluice.Credential. An item is named by its attributes:
 *
 *   app             "dev.sluice.Sluice"
 *   schema-version  "1"
 *   kind            what owns it ("databricks", "snowflake"…)
 *   id              which one (a fabric's id)
 *   field           which of its secrets ("token", "password")
 *
 * Attributes and labels never hold secret material. Every value stored or
 * looked up is registered with sluice_redact_add_secret().
 *
 * Properties: status (SluiceKeyringStatus), problem (nullable string: why the
 * keyring cannot be reached). A call that cannot reach the keyring fails
 * with SLUICE_SECRET_ERROR_UNAVAILABLE and sets them. Nothing is ever kept
 * in a file instead. */

#define SLUICE_CREDENTIAL_SCHEMA_NAME    "dev.sluice.Sluice.Credential"
#define SLUICE_CREDENTIAL_SCHEMA_VERSION "1"

const SecretSchema    *sluice_credential_store_get_schema  (void);

SluiceCredentialStore *sluice_credential_store_new         (void);
SluiceKeyringStatus    sluice_credential_store_get_status  (SluiceCredentialStore *self);
/* (nullable) */
const char            *sluice_credential_store_get_problem (SluiceCredentialStore *self);

/* Asks the keyring whether it answers, without unlocking or prompting. */
void      sluice_credential_store_probe_async   (SluiceCredentialStore *self,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
gboolean  sluice_credential_store_probe_finish  (SluiceCredentialStore *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);

/* Stores @secret (replacing the item with the same attributes). @label is
 * what keyring managers show ("Sluice: token of fabric “Prod”"). */
void      sluice_credential_store_store_async   (SluiceCredentialStore *self,
                                                 const char            *kind,
                                                 const char            *id,
                                                 const char            *field,
                                                 const char            *label,
                                                 const char            *secret,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
gboolean  sluice_credential_store_store_finish  (SluiceCredentialStore *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);

void      sluice_credential_store_lookup_async  (SluiceCredentialStore *self,
                                                 const char            *kind,
                                                 const char            *id,
                                                 const char            *field,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
/* (transfer full) (nullable): the secret, NULL with no error when none is
 * stored; free it with sluice_credential_free(), which wipes it. */
char     *sluice_credential_store_lookup_finish (SluiceCredentialStore *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);

/* Gives the item @label (its owner was renamed: keyring managers show the
 * label), keeping its secret and attributes: the secret is read and stored
 * again under the same attributes, which replaces the item, so it works
 * with any backend. Returns FALSE with no error when there is no such item. */
void      sluice_credential_store_relabel_async  (SluiceCredentialStore *self,
                                                  const char            *kind,
                                                  const char            *id,
                                                  const char            *field,
                                                  const char            *label,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
gboolean  sluice_credential_store_relabel_finish (SluiceCredentialStore *self,
                                                  GAsyncResult          *result,
                                                  GError               **error);

/* Removes the item, or every item of @kind/@id when @field is NULL.
 * Succeeds when there was nothing to remove. */
void      sluice_credential_store_clear_async   (SluiceCredentialStore *self,
                                                 const char            *kind,
                                                 const char            *id,
                                                 const char            *field,
                                                 GCancellable          *cancellable,
                                                 GAsyncReadyCallback    callback,
                                                 gpointer               user_data);
gboolean  sluice_credential_store_clear_finish  (SluiceCredentialStore *self,
                                                 GAsyncResult          *result,
                                                 GError               **error);

/* Which of Sluice's items exist (of @kind and @id when given), without
 * their secrets and without unlocking anything. */
void       sluice_credential_store_search_async  (SluiceCredentialStore *self,
                                                  const char            *kind,
                                                  const char            *id,
                                                  GCancellable          *cancellable,
                                                  GAsyncReadyCallback    callback,
                                                  gpointer               user_data);
/* (transfer full) (element-type GHashTable): each item's attributes */
GPtrArray *sluice_credential_store_search_finish (SluiceCredentialStore *self,
                                                  GAsyncResult          *result,
                                                  GError               **error);

/* Wipes and frees a secret (nullable). */
void       sluice_credential_free (char *secret);


G_END_DECLS
