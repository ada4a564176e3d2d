/* Tokens for git servers in the keyring, and git errors as the one
 * sentence the user reads. A server's token is kept under kind "git", id
 * "host[:port]", field "token" (and the optional user name under "user"),
 * so the pull and push of any project cloned from that server find it.
 * It never goes into a URL or .git/config. */
#pragma once

#include <gio/gio.h>

#include "sluice-credential-store.h"
#include "sluice-repository.h"

G_BEGIN_DECLS

#define SLUICE_GIT_CREDENTIAL_KIND "git"

/* Stores @token (and @user when non-empty; an earlier one is removed when
 * empty) for @url's server. */
void                  sluice_git_credentials_store_async   (SluiceCredentialStore *store,
                                                            const char            *url,
                                                            const char            *user,
                                                            const char            *token,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
gboolean              sluice_git_credentials_store_finish  (GAsyncResult          *result,
                                                            GError               **error);

/* (transfer full) (nullable): the credentials kept for @url's server, NULL
 * with no error when there are none (the server may not ask). */
void                  sluice_git_credentials_lookup_async  (SluiceCredentialStore *store,
                                                            const char            *url,
                                                            GCancellable          *cancellable,
                                                            GAsyncReadyCallback    callback,
                                                            gpointer               user_data);
SluiceVcsCredentials *sluice_git_credentials_lookup_finish (GAsyncResult          *result,
                                                            GError               **error);

/* (transfer full): @error as the sentence to show; @host (nullable) is the
 * server the operation talked to, @had_token whether a token was sent. */
char                 *sluice_git_error_sentence            (const GError          *error,
                                                            const char            *host,
                                                            gboolean               had_token);

G_END_DECLS
