/* SluiceRepository: clone, fetch, pull and push, and Sluice's merge driver
 * inside libgit2. */
#define G_LOG_DOMAIN "sluice-repository"

#include "config.h"

#include <string.h>

#include <git2/sys/merge.h>

#include "sluice-repository-private.h"

#define WORKDIR(self) _sluice_repository_peek_workdir (self)

static gboolean
check_git (SluiceVcsOp  *op,
           int           rc,
           GError      **error)
{
  if (rc >= 0)
    return TRUE;
  _sluice_vcs_set_error (op, rc, error);
  return FALSE;
}

/* ---- credentials and progress ---- */

static int
credentials_cb (git_credential **out,
                const char      *url,
                const char      *user_from_url,
                unsigned int     allowed,
                void            *payload)
{
  SluiceVcsOp *op = payload;
  const char *user;

  /* libgit2 asks again after every refusal: the same token will not do
   * better, so the second request means the first was refused. */
  if (op->credentials == NULL || ++op->auth_attempts > 1)
    {
      op->auth_refused = TRUE;
      git_error_set_str (GIT_ERROR_HTTP, "the server refused the credentials");
      return GIT_EAUTH;
    }
  if (!(allowed & GIT_CREDENTIAL_USERPASS_PLAINTEXT))
    return GIT_PASSTHROUGH;
  user = op->credentials->user;
  if (user == NULL && user_from_url != NULL && *user_from_url)
    user = user_from_url;
  if (user == NULL)
    user = sluice_vcs_user_for_host (op->host);
  if (user == NULL)
    user = op->credentials->token;   /* Gitea and others take the token as the user name */
  if (op->credentials->user == NULL && user != op->credentials->token)
    op->credentials->user = g_strdup (user);
  return git_credential_userpass_plaintext_new (out, user, op->credentials->token);
}

typedef struct {
  SluiceVcsOp       *op;
  SluiceVcsProgress  progress;
} Delivery;

static gboolean
deliver_cb (gpointer data)
{
  Delivery *d = data;

  if (!g_cancellable_is_cancelled (d->op->cancellable))
    d->op->progress (&d->progress, d->op->progress_data);
  return G_SOURCE_REMOVE;
}

static void
delivery_free (gpointer data)
{
  Delivery *d = data;

  _sluice_vcs_op_unref (d->op);
  g_free (d);
}

static int
report (SluiceVcsOp             *op,
        const SluiceVcsProgress *progress,
        gboolean                 last)
{
  gint64 now;
  Delivery *d;

  if (g_cancellable_is_cancelled (op->cancellable))
    return GIT_EUSER;
  if (op->progress == NULL)
    return 0;
  now = g_get_monotonic_time ();
  if (!last && now - op->last_progress < 50 * G_TIME_SPAN_MILLISECOND)
    return 0;
  op->last_progress = now;
  d = g_new0 (Delivery, 1);
  d->op = _sluice_vcs_op_ref (op);
  d->progress = *progress;
  g_main_context_invoke_full (op->context, G_PRIORITY_DEFAULT, deliver_cb, d, delivery_free);
  return 0;
}

static int
transfer_cb (const git_indexer_progress *stats,
             void                       *payload)
{
  SluiceVcsProgress p = { stats->total_objects, stats->received_objects, stats->indexed_objects,
                          (guint64) stats->received_bytes };

  return report (payload, &p, stats->indexed_objects == stats->total_objects);
}

static int
push_transfer_cb (unsigned int current,
                  unsigned int total,
                  size_t       bytes,
                  void        *payload)
{
  SluiceVcsProgress p = { total, current, current, (guint64) bytes };

  return report (payload, &p, current == total);
}

static int
sideband_cb (const char *str,
             int         len,
             void       *payload)
{
  SluiceVcsOp *op = payload;

  return g_cancellable_is_cancelled (op->cancellable) ? GIT_EUSER : 0;
}

static int
push_update_cb (const char *refname,
                const char *status,
                void       *payload)
{
  if (status != NULL)
    {
      git_error_set_str (GIT_ERROR_REFERENCE, status);
      return GIT_ERROR;
    }
  return 0;
}

static void
init_callbacks (git_remote_callbacks *callbacks,
                SluiceVcsOp          *op)
{
  callbacks->credentials = credentials_cb;
  callbacks->transfer_progress = transfer_cb;
  callbacks->push_transfer_progress = push_transfer_cb;
  callbacks->sideband_progress = sideband_cb;
  callbacks->push_update_reference = push_update_cb;
  callbacks->payload = op;
}

static char *
host_of (const char *url)
{
  g_autoptr(GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri && g_uri_get_host (uri) ? g_strdup (g_uri_get_host (uri)) : g_strdup (url);
}

static SluiceVcsOp *
remote_op (SluiceVcsOpFunc             func,
           GDestroyNotify              result_free,
           const char                 *workdir,
           const SluiceVcsCredentials *credentials,
           SluiceVcsProgressFunc       progress,
           gpointer                    progress_data,
           GDestroyNotify              progress_destroy,
           GCancellable               *cancellable)
{
  SluiceVcsOp *op = _sluice_vcs_op_new (func, result_free, workdir, cancellable);

  op->credentials = sluice_vcs_credentials_copy (credentials);
  op->progress = progress;
  op->progress_data = progress_data;
  op->progress_destroy = progress_destroy;
  return op;
}

/* ---- clone ---- */

static gpointer
clone_func (SluiceVcsOp     *op,
            git_repository  *unused,
            GError         **error)
{
  git_clone_options opts = GIT_CLONE_OPTIONS_INIT;
  g_autoptr(git_repository) repo = NULL;
  int rc;

  init_callbacks (&opts.fetch_opts.callbacks, op);
  rc = git_clone (&repo, op->text, op->workdir, &opts);
  if (rc < 0)
    {
      _sluice_vcs_set_error (op, rc, error);
      return NULL;
    }
  /* libgit2 1.5 cannot learn an empty remote's default branch. */
  if (git_repository_head_unborn (repo) == 1)
    git_repository_set_head (repo, "refs/heads/main");
  return g_strdup (git_repository_workdir (repo));
}

void
sluice_repository_clone_async (const char                 *url,
                               const char                 *path,
                               const SluiceVcsCredentials *credentials,
                               SluiceVcsProgressFunc       progress,
                               gpointer                    progress_data,
                               GDestroyNotify              progress_destroy,
                               GCancellable               *cancellable,
                               GAsyncReadyCallback         callback,
                               gpointer                    user_data)
{
  g_autoptr(GFile) file = NULL;
  g_autofree char *absolute = NULL;
  g_autoptr(GUri) uri = NULL;
  g_autoptr(SluiceVcsCredentials) from_url = NULL;
  SluiceVcsOp *op;

  g_return_if_fail (url != NULL);
  g_return_if_fail (path != NULL);

  file = g_file_new_for_path (path);
  absolute = g_file_get_path (file);
  op = remote_op (clone_func, g_free, absolute, credentials, progress, progress_data, progress_destroy, cancellable);

  /* Never keep credentials in the URL: it goes into .git/config. */
  uri = g_uri_parse (url, G_URI_FLAGS_HAS_PASSWORD | G_URI_FLAGS_ENCODED, NULL);
  if (uri != NULL && g_uri_get_user (uri) != NULL)
    {
      g_autoptr(GUri) bare = g_uri_build (G_URI_FLAGS_ENCODED, g_uri_get_scheme (uri), NULL, g_uri_get_host (uri),
                                          g_uri_get_port (uri), g_uri_get_path (uri), g_uri_get_query (uri),
                                          g_uri_get_fragment (uri));
      g_autofree char *user = g_uri_unescape_string (g_uri_get_user (uri), NULL);
      g_autofree char *password = g_uri_get_password (uri) ? g_uri_unescape_string (g_uri_get_password (uri), NULL) : NULL;

      if (op->credentials == NULL && password != NULL)
        op->credentials = sluice_vcs_credentials_new (user, password);
      else if (op->credentials != NULL && op->credentials->user == NULL)
        op->credentials->user = g_steal_pointer (&user);
      if (password != NULL)
        memset (password, 0, strlen (password));
      op->text = g_uri_to_string (bare);
    }
  else
    op->text = g_strdup (url);
  op->host = host_of (op->text);
  _sluice_vcs_op_run (op, NULL, sluice_repository_clone_async, callback, user_data);
}

SluiceRepository *
sluice_repository_clone_finish (GAsyncResult  *result,
                                GError       **error)
{
  char *workdir = _sluice_vcs_op_finish (NULL, result, sluice_repository_clone_async, error);

  return workdir ? _sluice_repository_new_for_workdir (workdir) : NULL;
}

/* ---- fetch ---- */

static gboolean
fetch (SluiceVcsOp     *op,
       git_repository  *repo,
       GError         **error)
{
  git_fetch_options opts = GIT_FETCH_OPTIONS_INIT;
  g_autoptr(git_remote) remote = NULL;
  int rc;

  if ((rc = git_remote_lookup (&remote, repo, "origin")) < 0)
    {
      g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND,
                           "This working copy has no remote named “origin”.");
      return FALSE;
    }
  g_free (op->host);
  op->host = host_of (git_remote_url (remote));
  init_callbacks (&opts.callbacks, op);
  return check_git (op, git_remote_fetch (remote, NULL, &opts, NULL), error);
}

static gpointer
fetch_func (SluiceVcsOp     *op,
            git_repository  *repo,
            GError         **error)
{
  return fetch (op, repo, error) ? GINT_TO_POINTER (TRUE) : NULL;
}

void
sluice_repository_fetch_async (SluiceRepository           *self,
                               const SluiceVcsCredentials *credentials,
                               SluiceVcsProgressFunc       progress,
                               gpointer                    progress_data,
                               GDestroyNotify              progress_destroy,
                               GCancellable               *cancellable,
                               GAsyncReadyCallback         callback,
                               gpointer                    user_data)
{
  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  _sluice_vcs_op_run (remote_op (fetch_func, NULL, WORKDIR (self), credentials, progress, progress_data,
                                 progress_destroy, cancellable),
                      self, sluice_repository_fetch_async, callback, user_data);
}

gboolean
sluice_repository_fetch_finish (SluiceRepository  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_fetch_async, error) != NULL;
}

/* ---- Sluice's merge driver inside libgit2 ---- */

static SluiceVcsMergeFunc merge_func;
static gpointer merge_func_data;
static GPrivate driver_conflicts = G_PRIVATE_INIT ((GDestroyNotify) g_ptr_array_unref);

static GBytes *
blob_bytes (git_repository        *repo,
            const git_index_entry *entry)
{
  git_blob *blob = NULL;
  GBytes *bytes;

  if (entry == NULL || git_blob_lookup (&blob, repo, &entry->id) < 0)
    return NULL;
  bytes = g_bytes_new (git_blob_rawcontent (blob), (gsize) git_blob_rawsize (blob));
  git_blob_free (blob);
  return bytes;
}

static int
driver_apply (git_merge_driver              *self,
              const char                   **path_out,
              uint32_t                      *mode_out,
              git_buf                       *merged_out,
              const char                    *filter_name,
              const git_merge_driver_source *src)
{
  git_repository *repo = git_merge_driver_source_repo (src);
  const git_index_entry *ancestor = git_merge_driver_source_ancestor (src);
  const git_index_entry *ours = git_merge_driver_source_ours (src);
  const git_index_entry *theirs = git_merge_driver_source_theirs (src);
  g_autoptr(GBytes) a = NULL;
  g_autoptr(GBytes) o = NULL;
  g_autoptr(GBytes) t = NULL;
  g_autoptr(GBytes) merged = NULL;
  GPtrArray *conflicted = g_private_get (&driver_conflicts);
  gboolean conflict = FALSE;
  gsize len = 0;
  const char *data;

  if (merge_func == NULL || ours == NULL || theirs == NULL)
    return GIT_PASSTHROUGH;
  a = blob_bytes (repo, ancestor);
  o = blob_bytes (repo, ours);
  t = blob_bytes (repo, theirs);
  if (o == NULL || t == NULL)
    return GIT_PASSTHROUGH;
  merged = merge_func (a, o, t, &conflict, merge_func_data);
  if (merged == NULL)
    return GIT_PASSTHROUGH;   /* not a pipeline file it can read: a text merge */

  data = g_bytes_get_data (merged, &len);
  if (git_buf_set (merged_out, data, len) < 0)
    return GIT_ERROR;
  *path_out = ours->path;
  *mode_out = ours->mode;
  /* The file is written; the pull puts it back into the index as a
   * conflict afterwards, so the conflict is never taken as resolved. */
  if (conflict && conflicted != NULL)
    g_ptr_array_add (conflicted, g_strdup (ours->path));
  return 0;
}

static git_merge_driver sluice_driver = {
  GIT_MERGE_DRIVER_VERSION, NULL, NULL, driver_apply,
};

void
sluice_vcs_set_pipeline_merge_func (SluiceVcsMergeFunc func,
                                    gpointer           user_data)
{
  static gsize registered = 0;

  merge_func = func;
  merge_func_data = user_data;
  if (g_once_init_enter (&registered))
    {
      git_libgit2_init ();
      git_merge_driver_register ("sluice", &sluice_driver);
      g_once_init_leave (&registered, 1);
    }
}

/* ---- pull ---- */

static GPtrArray *
changed_between (git_repository  *repo,
                 git_tree        *from,
                 git_tree        *to,
                 GError         **error)
{
  g_autoptr(git_diff) diff = NULL;
  GPtrArray *paths;
  int rc;

  if ((rc = git_diff_tree_to_tree (&diff, repo, from, to, NULL)) < 0)
    {
      _sluice_vcs_set_error (NULL, rc, error);
      return NULL;
    }
  paths = g_ptr_array_new_with_free_func (g_free);
  for (size_t i = 0; i < git_diff_num_deltas (diff); i++)
    {
      const git_diff_delta *d = git_diff_get_delta (diff, i);

      g_ptr_array_add (paths, g_strdup (d->old_file.path));
      if (g_strcmp0 (d->old_file.path, d->new_file.path) != 0)
        g_ptr_array_add (paths, g_strdup (d->new_file.path));
    }
  return paths;
}

static const git_index_entry *
tree_entry_as_index (git_repository  *repo,
                     git_tree        *tree,
                     const char      *path,
                     git_index_entry *out)
{
  git_tree_entry *entry = NULL;

  if (tree == NULL || git_tree_entry_bypath (&entry, tree, path) < 0)
    return NULL;
  memset (out, 0, sizeof *out);
  out->path = path;
  out->mode = git_tree_entry_filemode (entry);
  git_oid_cpy (&out->id, git_tree_entry_id (entry));
  git_tree_entry_free (entry);
  return out;
}

static gpointer
pull_func (SluiceVcsOp     *op,
           git_repository  *repo,
           GError         **error)
{
  g_autoptr(git_reference) head = NULL;
  g_autoptr(git_reference) upstream = NULL;
  g_autoptr(git_annotated_commit) incoming = NULL;
  g_autoptr(git_commit) head_commit = NULL;
  g_autoptr(git_commit) their_commit = NULL;
  g_autoptr(git_tree) head_tree = NULL;
  g_autoptr(git_tree) their_tree = NULL;
  g_autoptr(git_tree) base_tree = NULL;
  g_autoptr(GHashTable) dirty = NULL;
  g_autoptr(GPtrArray) incoming_paths = NULL;
  g_autoptr(GPtrArray) touched = g_ptr_array_new ();
  g_autoptr(git_signature) author = NULL;
  g_autoptr(SluiceVcsPullResult) result = g_new0 (SluiceVcsPullResult, 1);
  git_merge_analysis_t analysis;
  git_merge_preference_t preference;
  const git_annotated_commit *heads[1];
  git_oid base_id;
  const char *branch;

  if (!fetch (op, repo, error))
    return NULL;
  if (git_repository_head_unborn (repo) == 1)
    {
      g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED,
                           "This branch has no commit yet; pull needs one to merge into.");
      return NULL;
    }
  if (!check_git (op, git_repository_head (&head, repo), error))
    return NULL;
  branch = git_reference_shorthand (head);
  if (git_branch_upstream (&upstream, head) < 0)
    {
      g_autofree char *name = g_strdup_printf ("refs/remotes/origin/%s", branch);

      if (git_reference_lookup (&upstream, repo, name) < 0)
        {
          g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND,
                       "The remote has no branch “%s” to pull from; push it first.", branch);
          return NULL;
        }
    }
  if (!check_git (op, git_annotated_commit_from_ref (&incoming, repo, upstream), error))
    return NULL;
  heads[0] = incoming;
  if (!check_git (op, git_merge_analysis (&analysis, &preference, repo, heads, 1), error))
    return NULL;
  if (analysis & GIT_MERGE_ANALYSIS_UP_TO_DATE)
    {
      result->outcome = SLUICE_VCS_PULL_UP_TO_DATE;
      return g_steal_pointer (&result);
    }

  if (!check_git (op, git_commit_lookup (&head_commit, repo, git_reference_target (head)), error)
      || !check_git (op, git_commit_lookup (&their_commit, repo, git_annotated_commit_id (incoming)), error)
      || !check_git (op, git_commit_tree (&head_tree, head_commit), error)
      || !check_git (op, git_commit_tree (&their_tree, their_commit), error))
    return NULL;
  if (git_merge_base (&base_id, repo, git_commit_id (head_commit), git_commit_id (their_commit)) == 0)
    {
      g_autoptr(git_commit) base = NULL;

      if (git_commit_lookup (&base, repo, &base_id) == 0)
        git_commit_tree (&base_tree, base);
    }

  /* Nothing with uncommitted work in it may be touched. */
  if (!(dirty = _sluice_vcs_dirty_paths (repo, error))
      || !(incoming_paths = changed_between (repo, base_tree, their_tree, error)))
    return NULL;
  for (guint i = 0; i < incoming_paths->len; i++)
    if (g_hash_table_contains (dirty, g_ptr_array_index (incoming_paths, i)))
      g_ptr_array_add (touched, g_ptr_array_index (incoming_paths, i));
  if (touched->len > 0)
    {
      g_autofree char *names = _sluice_vcs_join_paths (touched);

      g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_DIRTY,
                   "Commit or undo your changes to %s first: the pull changes them.", names);
      return NULL;
    }

  if (analysis & GIT_MERGE_ANALYSIS_FASTFORWARD)
    {
      g_autoptr(git_reference) moved = NULL;

      if (!_sluice_vcs_checkout_tree (op, repo, (git_object *) their_commit, error)
          || !check_git (op, git_reference_set_target (&moved, head, git_commit_id (their_commit),
                                                        "pull: fast-forward"), error))
        return NULL;
      result->outcome = SLUICE_VCS_PULL_FAST_FORWARD;
      return g_steal_pointer (&result);
    }

  /* A merge commit must hold only the merge: staged work would go in. */
  {
    g_autoptr(git_index) index = NULL;
    g_autoptr(git_diff) staged = NULL;

    if (!check_git (op, git_repository_index (&index, repo), error)
        || !check_git (op, git_diff_tree_to_index (&staged, repo, head_tree, index, NULL), error))
      return NULL;
    if (git_diff_num_deltas (staged) > 0)
      {
        g_autoptr(GPtrArray) names = g_ptr_array_new ();
        g_autofree char *list = NULL;

        for (size_t i = 0; i < git_diff_num_deltas (staged); i++)
          g_ptr_array_add (names, (gpointer) git_diff_get_delta (staged, i)->new_file.path);
        list = _sluice_vcs_join_paths (names);
        g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_DIRTY,
                     "Commit or unstage your staged changes to %s first: the merge commit would include them.", list);
        return NULL;
      }
  }
  if (git_signature_default (&author, repo) < 0)
    {
      if (op->name == NULL || op->email == NULL
          || !check_git (op, git_signature_now (&author, op->name, op->email), error))
        {
          g_clear_error (error);
          g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED,
                               "No author for the merge commit: set user.name and user.email in git, or in Sluice's preferences.");
          return NULL;
        }
    }

  {
    git_merge_options merge_opts = GIT_MERGE_OPTIONS_INIT;
    git_checkout_options checkout_opts = GIT_CHECKOUT_OPTIONS_INIT;
    g_autoptr(git_index) index = NULL;
    GPtrArray *conflicted = g_ptr_array_new_with_free_func (g_free);
    g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_free);
    int rc;

    checkout_opts.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_ALLOW_CONFLICTS | GIT_CHECKOUT_DONT_OVERWRITE_IGNORED;
    g_private_replace (&driver_conflicts, conflicted);
    rc = git_merge (repo, heads, 1, &merge_opts, &checkout_opts);
    g_private_set (&driver_conflicts, NULL);
    if (rc < 0)
      {
        g_ptr_array_unref (conflicted);
        _sluice_vcs_set_error (op, rc, error);
        return NULL;
      }
    if (!check_git (op, git_repository_index (&index, repo), error))
      {
        g_ptr_array_unref (conflicted);
        return NULL;
      }
    /* Files Sluice merged with conflicts left: conflicted again in the
     * index, with the valid merged file in the working tree. */
    for (guint i = 0; i < conflicted->len; i++)
      {
        const char *path = g_ptr_array_index (conflicted, i);
        git_index_entry a, o, t;

        git_index_conflict_add (index,
                                tree_entry_as_index (repo, base_tree, path, &a),
                                tree_entry_as_index (repo, head_tree, path, &o),
                                tree_entry_as_index (repo, their_tree, path, &t));
      }
    g_ptr_array_unref (conflicted);
    if (!check_git (op, git_index_write (index), error))
      return NULL;

    if (git_index_has_conflicts (index))
      {
        git_index_conflict_iterator *it = NULL;
        const git_index_entry *a, *o, *t;

        if (git_index_conflict_iterator_new (&it, index) == 0)
          {
            while (git_index_conflict_next (&a, &o, &t, it) == 0)
              g_ptr_array_add (conflicts, g_strdup (o ? o->path : t ? t->path : a->path));
            git_index_conflict_iterator_free (it);
          }
        _sluice_vcs_sort_paths (conflicts);
        g_ptr_array_add (conflicts, NULL);
        result->outcome = SLUICE_VCS_PULL_CONFLICTS;
        result->conflicts = (char **) g_ptr_array_free (g_steal_pointer (&conflicts), FALSE);
        return g_steal_pointer (&result);
      }
    else
      {
        g_autoptr(git_tree) tree = NULL;
        g_autofree char *message = g_strdup_printf ("Merge branch '%s' of %s\n", branch, op->host);
        const git_commit *parents[2] = { head_commit, their_commit };
        git_oid tree_id, commit_id;

        if (!check_git (op, git_index_write_tree (&tree_id, index), error)
            || !check_git (op, git_tree_lookup (&tree, repo, &tree_id), error)
            || !check_git (op, git_commit_create (&commit_id, repo, "HEAD", author, author, NULL, message,
                                                  tree, 2, parents), error))
          return NULL;
        git_repository_state_cleanup (repo);
        result->outcome = SLUICE_VCS_PULL_MERGED;
        return g_steal_pointer (&result);
      }
  }
}

void
sluice_repository_pull_async (SluiceRepository           *self,
                              const SluiceVcsCredentials *credentials,
                              const char                 *name,
                              const char                 *email,
                              SluiceVcsProgressFunc       progress,
                              gpointer                    progress_data,
                              GDestroyNotify              progress_destroy,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  SluiceVcsOp *op;

  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  op = remote_op (pull_func, (GDestroyNotify) sluice_vcs_pull_result_free, WORKDIR (self), credentials,
                  progress, progress_data, progress_destroy, cancellable);
  op->name = g_strdup (name);
  op->email = g_strdup (email);
  _sluice_vcs_op_run (op, self, sluice_repository_pull_async, callback, user_data);
}

SluiceVcsPullResult *
sluice_repository_pull_finish (SluiceRepository  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_pull_async, error);
}

/* ---- push ---- */

static gpointer
push_func (SluiceVcsOp     *op,
           git_repository  *repo,
           GError         **error)
{
  git_push_options opts = GIT_PUSH_OPTIONS_INIT;
  g_autoptr(git_remote) remote = NULL;
  g_autoptr(git_reference) head = NULL;
  g_autofree char *spec = NULL;
  g_autofree char *upstream = NULL;
  char *specs[1];
  git_strarray refspecs = { specs, 1 };
  const char *branch;

  if (git_repository_head_unborn (repo) == 1)
    {
      g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED,
                           "There is nothing to push: this branch has no commit yet.");
      return NULL;
    }
  if (!check_git (op, git_repository_head (&head, repo), error))
    return NULL;
  if (!git_reference_is_branch (head))
    {
      g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED,
                           "Switch to a branch before pushing: no branch is checked out.");
      return NULL;
    }
  if (git_remote_lookup (&remote, repo, "origin") < 0)
    {
      g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND,
                           "This working copy has no remote named “origin”.");
      return NULL;
    }
  g_free (op->host);
  op->host = host_of (git_remote_url (remote));
  branch = git_reference_shorthand (head);
  spec = g_strdup_printf ("%s:%s", git_reference_name (head), git_reference_name (head));
  specs[0] = spec;
  init_callbacks (&opts.callbacks, op);
  if (!check_git (op, git_remote_push (remote, &refspecs, &opts), error))
    return NULL;
  upstream = g_strdup_printf ("origin/%s", branch);
  if (!check_git (op, git_branch_set_upstream (head, upstream), error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

void
sluice_repository_push_async (SluiceRepository           *self,
                              const SluiceVcsCredentials *credentials,
                              SluiceVcsProgressFunc       progress,
                              gpointer                    progress_data,
                              GDestroyNotify              progress_destroy,
                              GCancellable               *cancellable,
                              GAsyncReadyCallback         callback,
                              gpointer                    user_data)
{
  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  _sluice_vcs_op_run (remote_op (push_func, NULL, WORKDIR (self), credentials, progress, progress_data,
                                 progress_destroy, cancellable),
                      self, sluice_repository_push_async, callback, user_data);
}

gboolean
sluice_repository_push_finish (SluiceRepository  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_push_async, error) != NULL;
}
