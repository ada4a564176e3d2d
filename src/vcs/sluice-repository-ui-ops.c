/* SluiceRepository: file contents at HEAD and the remote's address. */
#define G_LOG_DOMAIN "sluice-repository"

#include "config.h"

#include <string.h>

#include "sluice-repository-private.h"
#include "sluice-repository-ui-ops.h"

G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_blob, git_blob_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_tree_entry, git_tree_entry_free)

static gpointer
read_head_func (SluiceVcsOp     *op,
                git_repository  *repo,
                GError         **error)
{
  g_autoptr(GHashTable) files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                                       (GDestroyNotify) g_bytes_unref);
  g_autoptr(git_object) tree = NULL;

  /* No commit yet: HEAD has no file. */
  if (git_revparse_single (&tree, repo, "HEAD^{tree}") < 0)
    return g_steal_pointer (&files);
  for (guint i = 0; op->paths && op->paths[i]; i++)
    {
      g_autoptr(git_tree_entry) entry = NULL;
      g_autoptr(git_blob) blob = NULL;
      int rc;

      if (git_tree_entry_bypath (&entry, (git_tree *) tree, op->paths[i]) < 0)
        continue;
      if (git_tree_entry_type (entry) != GIT_OBJECT_BLOB)
        continue;
      rc = git_blob_lookup (&blob, repo, git_tree_entry_id (entry));
      if (rc < 0)
        {
          _sluice_vcs_set_error (op, rc, error);
          g_prefix_error (error, "%s: ", op->paths[i]);
          return NULL;
        }
      g_hash_table_insert (files, g_strdup (op->paths[i]),
                           g_bytes_new (git_blob_rawcontent (blob), git_blob_rawsize (blob)));
    }
  return g_steal_pointer (&files);
}

void
sluice_repository_read_head_async (SluiceRepository    *self,
                                   const char * const  *paths,
                                   GCancellable        *cancellable,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data)
{
  SluiceVcsOp *op;

  g_return_if_fail (SLUICE_IS_REPOSITORY (self));

  op = _sluice_vcs_op_new (read_head_func, (GDestroyNotify) g_hash_table_unref,
                           sluice_repository_get_workdir (self), cancellable);
  op->paths = g_strdupv ((char **) paths);
  _sluice_vcs_op_run (op, self, sluice_repository_read_head_async, callback, user_data);
}

GHashTable *
sluice_repository_read_head_finish (SluiceRepository  *self,
                                    GAsyncResult      *result,
                                    GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_read_head_async, error);
}

static gpointer
remote_url_func (SluiceVcsOp     *op,
                 git_repository  *repo,
                 GError         **error)
{
  g_autoptr(git_remote) remote = NULL;

  if (git_remote_lookup (&remote, repo, "origin") < 0 || git_remote_url (remote) == NULL)
    {
      g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND,
                           "This repository has no remote named “origin”.");
      return NULL;
    }
  return g_strdup (git_remote_url (remote));
}

void
sluice_repository_get_remote_url_async (SluiceRepository    *self,
                                        GCancellable        *cancellable,
                                        GAsyncReadyCallback  callback,
                                        gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_REPOSITORY (self));

  _sluice_vcs_op_run (_sluice_vcs_op_new (remote_url_func, g_free, sluice_repository_get_workdir (self), cancellable),
                      self, sluice_repository_get_remote_url_async, callback, user_data);
}

char *
sluice_repository_get_remote_url_finish (SluiceRepository  *self,
                                         GAsyncResult      *result,
                                         GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_get_remote_url_async, error);
}

char *
sluice_vcs_host_of_url (const char *url)
{
  g_autoptr(GUri) uri = NULL;
  const char *scheme;

  g_return_val_if_fail (url != NULL, NULL);

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    return NULL;
  scheme = g_uri_get_scheme (uri);
  if (g_ascii_strcasecmp (scheme, "https") != 0 && g_ascii_strcasecmp (scheme, "http") != 0)
    return NULL;
  if (g_uri_get_port (uri) > 0)
    {
      g_autofree char *both = g_strdup_printf ("%s:%d", g_uri_get_host (uri), g_uri_get_port (uri));
      return g_ascii_strdown (both, -1);
    }
  return g_ascii_strdown (g_uri_get_host (uri), -1);
}

static int
diff_line_cb (const git_diff_delta *delta,
              const git_diff_hunk  *hunk,
              const git_diff_line  *line,
              void                 *payload)
{
  GString *text = payload;

  if (line->origin == GIT_DIFF_LINE_CONTEXT || line->origin == GIT_DIFF_LINE_ADDITION
      || line->origin == GIT_DIFF_LINE_DELETION)
    g_string_append_c (text, line->origin);
  g_string_append_len (text, line->content, line->content_len);
  return 0;
}

char *
sluice_vcs_diff_texts (const char *path,
                       const char *old_text,
                       const char *new_text)
{
  static gsize initialized = 0;
  g_autoptr(git_patch) patch = NULL;
  g_autoptr(GString) text = g_string_new (NULL);
  git_diff_options options = GIT_DIFF_OPTIONS_INIT;

  g_return_val_if_fail (path != NULL && old_text != NULL && new_text != NULL, NULL);

  if (g_once_init_enter (&initialized))
    {
      git_libgit2_init ();
      g_once_init_leave (&initialized, 1);
    }
  if (git_patch_from_buffers (&patch, old_text, strlen (old_text), path, new_text, strlen (new_text), path,
                              &options) < 0 || patch == NULL)
    return g_strdup ("");
  git_patch_print (patch, diff_line_cb, text);
  return g_string_free (g_steal_pointer (&text), FALSE);
}
