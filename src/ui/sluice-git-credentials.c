#define G_LOG_DOMAIN "sluice-git"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-git-credentials.h"
#include "sluice-repository-ui-ops.h"
#include "sluice-secret-error.h"

typedef struct
{
  SluiceCredentialStore *store;   /* owned */
  char                  *host;
  char                  *user;
  char                  *token;   /* wiped */
} CredJob;

static void
cred_job_free (CredJob *job)
{
  g_clear_object (&job->store);
  g_free (job->host);
  g_free (job->user);
  sluice_credential_free (job->token);
  g_free (job);
}

static GTask *
cred_task (SluiceCredentialStore *store,
           const char            *url,
           GCancellable          *cancellable,
           GAsyncReadyCallback    callback,
           gpointer               user_data,
           gpointer               tag)
{
  GTask *task = g_task_new (NULL, cancellable, callback, user_data);
  CredJob *job = g_new0 (CredJob, 1);

  g_task_set_source_tag (task, tag);
  job->store = g_object_ref (store);
  job->host = sluice_vcs_host_of_url (url);
  g_task_set_task_data (task, job, (GDestroyNotify) cred_job_free);
  return task;
}

/* ---- store ---- */

static void
stored_user_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CredJob *job = g_task_get_task_data (task);
  gboolean ok = job->user ? sluice_credential_store_store_finish (SLUICE_CREDENTIAL_STORE (source), result, &error)
                          : sluice_credential_store_clear_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);

  if (!ok)
    g_task_return_error (task, g_steal_pointer (&error));
  else
    g_task_return_boolean (task, TRUE);
}

static void
stored_token_cb (GObject      *source,
                 GAsyncResult *result,
                 gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CredJob *job = g_task_get_task_data (task);
  GCancellable *cancellable = g_task_get_cancellable (task);

  if (!sluice_credential_store_store_finish (SLUICE_CREDENTIAL_STORE (source), result, &error))
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->user)
    {
      g_autofree char *label = g_strdup_printf (_("Sluice: git user name for %s"), job->host);
      sluice_credential_store_store_async (job->store, SLUICE_GIT_CREDENTIAL_KIND, job->host, "user", label,
                                           job->user, cancellable, stored_user_cb, g_object_ref (task));
    }
  else
    sluice_credential_store_clear_async (job->store, SLUICE_GIT_CREDENTIAL_KIND, job->host, "user",
                                         cancellable, stored_user_cb, g_object_ref (task));
}

void
sluice_git_credentials_store_async (SluiceCredentialStore *store,
                                    const char            *url,
                                    const char            *user,
                                    const char            *token,
                                    GCancellable          *cancellable,
                                    GAsyncReadyCallback    callback,
                                    gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  g_autofree char *label = NULL;
  CredJob *job;

  g_return_if_fail (SLUICE_IS_CREDENTIAL_STORE (store));
  g_return_if_fail (url != NULL && token != NULL);

  task = cred_task (store, url, cancellable, callback, user_data, sluice_git_credentials_store_async);
  job = g_task_get_task_data (task);
  if (job->host == NULL)
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_INVALID_ARGUMENT,
                               _("“%s” is not an HTTPS address."), url);
      return;
    }
  job->user = user && *user ? g_strdup (user) : NULL;
  label = g_strdup_printf (_("Sluice: git token for %s"), job->host);
  sluice_credential_store_store_async (store, SLUICE_GIT_CREDENTIAL_KIND, job->host, "token", label, token,
                                       cancellable, stored_token_cb, g_steal_pointer (&task));
}

gboolean
sluice_git_credentials_store_finish (GAsyncResult  *result,
                                     GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_git_credentials_store_async, FALSE);
  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---- lookup ---- */

static void
looked_up_user_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CredJob *job = g_task_get_task_data (task);
  char *user = sluice_credential_store_lookup_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);

  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  g_task_return_pointer (task, sluice_vcs_credentials_new (user, job->token),
                         (GDestroyNotify) sluice_vcs_credentials_free);
  sluice_credential_free (user);
}

static void
looked_up_token_cb (GObject      *source,
                    GAsyncResult *result,
                    gpointer      user_data)
{
  g_autoptr(GTask) task = user_data;
  g_autoptr(GError) error = NULL;
  CredJob *job = g_task_get_task_data (task);

  job->token = sluice_credential_store_lookup_finish (SLUICE_CREDENTIAL_STORE (source), result, &error);
  if (error)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }
  if (job->token == NULL)
    {
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  sluice_credential_store_lookup_async (job->store, SLUICE_GIT_CREDENTIAL_KIND, job->host, "user",
                                        g_task_get_cancellable (task), looked_up_user_cb, g_object_ref (task));
}

void
sluice_git_credentials_lookup_async (SluiceCredentialStore *store,
                                     const char            *url,
                                     GCancellable          *cancellable,
                                     GAsyncReadyCallback    callback,
                                     gpointer               user_data)
{
  g_autoptr(GTask) task = NULL;
  CredJob *job;

  g_return_if_fail (SLUICE_IS_CREDENTIAL_STORE (store));
  g_return_if_fail (url != NULL);

  task = cred_task (store, url, cancellable, callback, user_data, sluice_git_credentials_lookup_async);
  job = g_task_get_task_data (task);
  if (job->host == NULL)
    {
      /* Not HTTPS (a local path, SSH): nothing to look up. */
      g_task_return_pointer (task, NULL, NULL);
      return;
    }
  sluice_credential_store_lookup_async (store, SLUICE_GIT_CREDENTIAL_KIND, job->host, "token",
                                        cancellable, looked_up_token_cb, g_steal_pointer (&task));
}

SluiceVcsCredentials *
sluice_git_credentials_lookup_finish (GAsyncResult  *result,
                                      GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == sluice_git_credentials_lookup_async, NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- errors ---- */

char *
sluice_git_error_sentence (const GError *error,
                           const char   *host,
                           gboolean      had_token)
{
  g_return_val_if_fail (error != NULL, NULL);

  if (error->domain == SLUICE_VCS_ERROR)
    switch (error->code)
      {
      case SLUICE_VCS_ERROR_AUTH:
        if (!had_token)
          return g_strdup_printf (_("%s asks for a token, and the keyring has none for it: give one with "
                                    "Set Token."), host ? host : _("The server"));
        if (host)
          return g_strdup_printf (_("The server refused the token for %s: check that it is valid and allowed "
                                    "to use this repository."), host);
        return g_strdup (_("The server refused the token: check that it is valid and allowed to use this repository."));
      case SLUICE_VCS_ERROR_UNREACHABLE:
        if (host)
          return g_strdup_printf (_("%s could not be reached: check the address and your network connection."), host);
        break;
      case SLUICE_VCS_ERROR_NON_FAST_FORWARD:
        return g_strdup (_("The remote has commits you don't have: pull first, then push again."));
      default:
        break;
      }
  if (error->domain == SLUICE_SECRET_ERROR)
    return g_strdup_printf (_("The keyring could not be used: %s"), error->message);
  return g_strdup (error->message);
}
