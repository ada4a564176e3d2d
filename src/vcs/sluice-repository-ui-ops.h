/* What the git panel needs besides the core operations of
 * sluice-repository.h: file contents at HEAD (for the semantic summary and
 * the canvas highlight) and the remote's address (for the credentials). */
#pragma once

#include "sluice-repository.h"

G_BEGIN_DECLS

/* (transfer full): path → GBytes of that file as HEAD has it; files HEAD
 * does not have (new ones, or no commit yet) are not in the table. */
void        sluice_repository_read_head_async       (SluiceRepository    *self,
                                                     const char * const  *paths,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
GHashTable *sluice_repository_read_head_finish      (SluiceRepository    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* (transfer full): the URL of "origin", as .git/config has it (never with
 * credentials, see clone); SLUICE_VCS_ERROR_NOT_FOUND when there is none. */
void        sluice_repository_get_remote_url_async  (SluiceRepository    *self,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
char       *sluice_repository_get_remote_url_finish (SluiceRepository    *self,
                                                     GAsyncResult        *result,
                                                     GError             **error);

/* "host" or "host:port" of an http(s) @url, lower case; NULL when @url is
 * not one. The key under which the UI keeps a token for that server. */
char       *sluice_vcs_host_of_url                  (const char          *url);

/* (transfer full): the unified diff (`git diff` style, a/@path b/@path)
 * from @old_text to @new_text; "" when they are the same. Pure
 * computation, any thread. */
char       *sluice_vcs_diff_texts                   (const char          *path,
                                                     const char          *old_text,
                                                     const char          *new_text);

G_END_DECLS
