/* SluiceRepository: the index, commits, history and branches. */
#define G_LOG_DOMAIN "sluice-repository"

#include "config.h"

#include <string.h>

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

/* ---- stage, unstage ---- */

static gpointer
stage_func (SluiceVcsOp     *op,
            git_repository  *repo,
            GError         **error)
{
  g_autoptr(git_index) index = NULL;

  if (!check_git (op, git_repository_index (&index, repo), error))
    return NULL;
  for (guint i = 0; op->paths && op->paths[i]; i++)
    {
      g_autofree char *full = g_build_filename (op->workdir, op->paths[i], NULL);
      int rc;

      if (g_file_test (full, G_FILE_TEST_EXISTS | G_FILE_TEST_IS_SYMLINK))
        rc = git_index_add_bypath (index, op->paths[i]);
      else
        rc = git_index_remove_bypath (index, op->paths[i]);
      if (rc < 0)
        {
          _sluice_vcs_set_error (op, rc, error);
          g_prefix_error (error, "%s: ", op->paths[i]);
          return NULL;
        }
    }
  if (!check_git (op, git_index_write (index), error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
unstage_func (SluiceVcsOp     *op,
              git_repository  *repo,
              GError         **error)
{
  g_autoptr(git_object) head = NULL;
  git_strarray specs = { op->paths, op->paths ? g_strv_length (op->paths) : 0 };

  if (git_revparse_single (&head, repo, "HEAD") < 0)
    {
      /* Nothing committed yet: unstaging is removing from the index. */
      g_autoptr(git_index) index = NULL;

      if (!check_git (op, git_repository_index (&index, repo), error))
        return NULL;
      for (guint i = 0; op->paths && op->paths[i]; i++)
        git_index_remove_bypath (index, op->paths[i]);
      if (!check_git (op, git_index_write (index), error))
        return NULL;
      return GINT_TO_POINTER (TRUE);
    }
  if (!check_git (op, git_reset_default (repo, head, &specs), error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static void
run_paths (SluiceRepository    *self,
           SluiceVcsOpFunc      func,
           const char * const  *paths,
           GCancellable        *cancellable,
           gpointer             tag,
           GAsyncReadyCallback  callback,
           gpointer             user_data)
{
  SluiceVcsOp *op = _sluice_vcs_op_new (func, NULL, WORKDIR (self), cancellable);

  op->paths = g_strdupv ((char **) paths);
  _sluice_vcs_op_run (op, self, tag, callback, user_data);
}

void
sluice_repository_stage_async (SluiceRepository    *self,
                               const char * const  *paths,
                               GCancellable        *cancellable,
                               GAsyncReadyCallback  callback,
                               gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  run_paths (self, stage_func, paths, cancellable, sluice_repository_stage_async, callback, user_data);
}

gboolean
sluice_repository_stage_finish (SluiceRepository  *self,
                                GAsyncResult      *result,
                                GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_stage_async, error) != NULL;
}

void
sluice_repository_unstage_async (SluiceRepository    *self,
                                 const char * const  *paths,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  run_paths (self, unstage_func, paths, cancellable, sluice_repository_unstage_async, callback, user_data);
}

gboolean
sluice_repository_unstage_finish (SluiceRepository  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_unstage_async, error) != NULL;
}

/* ---- commit ---- */

static int
collect_merge_head (const git_oid *oid,
                    void          *payload)
{
  g_array_append_val ((GArray *) payload, *oid);
  return 0;
}

static gpointer
commit_func (SluiceVcsOp     *op,
             git_repository  *repo,
             GError         **error)
{
  g_autoptr(git_index) index = NULL;
  g_autoptr(git_tree) tree = NULL;
  g_autoptr(git_signature) author = NULL;
  g_autoptr(git_commit) head = NULL;
  g_autoptr(GArray) merge_heads = g_array_new (FALSE, FALSE, sizeof (git_oid));
  g_autoptr(GPtrArray) parents = g_ptr_array_new_with_free_func ((GDestroyNotify) git_commit_free);
  git_oid tree_id, commit_id;
  gboolean merging;
  char hex[GIT_OID_HEXSZ + 1];

  if (!check_git (op, git_repository_index (&index, repo), error))
    return NULL;
  if (git_index_has_conflicts (index))
    {
      g_autoptr(GPtrArray) paths = g_ptr_array_new_with_free_func (g_free);
      git_index_conflict_iterator *it = NULL;
      const git_index_entry *a, *o, *t;
      g_autofree char *names = NULL;

      if (git_index_conflict_iterator_new (&it, index) == 0)
        {
          while (git_index_conflict_next (&a, &o, &t, it) == 0)
            g_ptr_array_add (paths, g_strdup (o ? o->path : t ? t->path : a->path));
          git_index_conflict_iterator_free (it);
        }
      names = _sluice_vcs_join_paths (paths);
      g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_CONFLICTS,
                   "Resolve the conflicts in %s and stage them before committing.", names);
      return NULL;
    }

  merging = git_repository_mergehead_foreach (repo, collect_merge_head, merge_heads) == 0;
  if (!check_git (op, git_index_write_tree (&tree_id, index), error))
    return NULL;
  if (git_repository_head_unborn (repo) != 1)
    {
      g_autoptr(git_reference) ref = NULL;

      if (!check_git (op, git_repository_head (&ref, repo), error)
          || !check_git (op, git_commit_lookup (&head, repo, git_reference_target (ref)), error))
        return NULL;
      if (!merging && git_oid_equal (git_commit_tree_id (head), &tree_id))
        {
          g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOTHING_TO_COMMIT,
                               "Nothing to commit: no change is staged.");
          return NULL;
        }
      g_ptr_array_add (parents, g_steal_pointer (&head));
    }
  else if (git_index_entrycount (index) == 0)
    {
      g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOTHING_TO_COMMIT,
                           "Nothing to commit: no file is staged.");
      return NULL;
    }
  for (guint i = 0; i < merge_heads->len; i++)
    {
      git_commit *parent = NULL;

      if (!check_git (op, git_commit_lookup (&parent, repo, &g_array_index (merge_heads, git_oid, i)), error))
        return NULL;
      g_ptr_array_add (parents, parent);
    }

  if (git_signature_default (&author, repo) < 0)
    {
      if (op->name == NULL || op->email == NULL || !*op->name || !*op->email)
        {
          g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED,
                               "No author for the commit: set user.name and user.email in git, or in Sluice's preferences.");
          return NULL;
        }
      if (!check_git (op, git_signature_now (&author, op->name, op->email), error))
        return NULL;
    }
  if (!check_git (op, git_tree_lookup (&tree, repo, &tree_id), error)
      || !check_git (op, git_commit_create (&commit_id, repo, "HEAD", author, author, NULL, op->text, tree,
                                            parents->len, (const git_commit **) parents->pdata), error))
    return NULL;
  if (merging)
    git_repository_state_cleanup (repo);
  git_oid_tostr (hex, sizeof hex, &commit_id);
  return g_strdup (hex);
}

void
sluice_repository_commit_async (SluiceRepository    *self,
                                const char          *message,
                                const char          *name,
                                const char          *email,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  SluiceVcsOp *op;

  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  g_return_if_fail (message != NULL);
  op = _sluice_vcs_op_new (commit_func, g_free, WORKDIR (self), cancellable);
  op->text = g_str_has_suffix (message, "\n") ? g_strdup (message) : g_strconcat (message, "\n", NULL);
  op->name = g_strdup (name);
  op->email = g_strdup (email);
  _sluice_vcs_op_run (op, self, sluice_repository_commit_async, callback, user_data);
}

char *
sluice_repository_commit_finish (SluiceRepository  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_commit_async, error);
}

/* ---- history ---- */

static gboolean
commit_touches (git_repository *repo,
                git_commit     *commit,
                const char     *path)
{
  g_autoptr(git_tree) tree = NULL;
  git_tree_entry *mine = NULL;
  gboolean changed = FALSE;
  unsigned int n = git_commit_parentcount (commit);

  if (git_commit_tree (&tree, commit) < 0)
    return FALSE;
  git_tree_entry_bypath (&mine, tree, path);
  if (n == 0)
    changed = mine != NULL;
  for (unsigned int i = 0; i < n && (i == 0 || changed); i++)
    {
      /* Like git log's default simplification: a merge counts only when
       * the file differs from every parent. */
      g_autoptr(git_commit) parent = NULL;
      g_autoptr(git_tree) parent_tree = NULL;
      git_tree_entry *theirs = NULL;

      if (git_commit_parent (&parent, commit, i) < 0 || git_commit_tree (&parent_tree, parent) < 0)
        break;
      git_tree_entry_bypath (&theirs, parent_tree, path);
      changed = (mine == NULL) != (theirs == NULL)
                || (mine && theirs && !git_oid_equal (git_tree_entry_id (mine), git_tree_entry_id (theirs)));
      git_tree_entry_free (theirs);
    }
  git_tree_entry_free (mine);
  return changed;
}

static gpointer
history_func (SluiceVcsOp     *op,
              git_repository  *repo,
              GError         **error)
{
  g_autoptr(git_revwalk) walk = NULL;
  g_autoptr(GPtrArray) commits = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_vcs_commit_free);
  git_oid oid;

  if (git_repository_head_unborn (repo) == 1)
    return g_steal_pointer (&commits);
  if (!check_git (op, git_revwalk_new (&walk, repo), error)
      || !check_git (op, git_revwalk_push_head (walk), error))
    return NULL;
  git_revwalk_sorting (walk, GIT_SORT_TIME | GIT_SORT_TOPOLOGICAL);
  while (git_revwalk_next (&oid, walk) == 0)
    {
      g_autoptr(git_commit) commit = NULL;
      const git_signature *author;
      SluiceVcsCommit *item;
      char hex[GIT_OID_HEXSZ + 1];

      if (g_cancellable_set_error_if_cancelled (op->cancellable, error))
        return NULL;
      if (!check_git (op, git_commit_lookup (&commit, repo, &oid), error))
        return NULL;
      if (op->text && !commit_touches (repo, commit, op->text))
        continue;
      author = git_commit_author (commit);
      item = g_new0 (SluiceVcsCommit, 1);
      git_oid_tostr (hex, sizeof hex, &oid);
      item->id = g_strdup (hex);
      item->summary = g_strdup (git_commit_summary (commit));
      item->author = g_strdup_printf ("%s <%s>", author->name, author->email);
      item->time = (gint64) git_commit_time (commit);
      g_ptr_array_add (commits, item);
      if (op->count && commits->len >= op->count)
        break;
    }
  return g_steal_pointer (&commits);
}

void
sluice_repository_history_async (SluiceRepository    *self,
                                 const char          *path,
                                 guint                max_count,
                                 GCancellable        *cancellable,
                                 GAsyncReadyCallback  callback,
                                 gpointer             user_data)
{
  SluiceVcsOp *op;

  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  op = _sluice_vcs_op_new (history_func, (GDestroyNotify) g_ptr_array_unref, WORKDIR (self), cancellable);
  op->text = g_strdup (path);
  op->count = max_count;
  _sluice_vcs_op_run (op, self, sluice_repository_history_async, callback, user_data);
}

GPtrArray *
sluice_repository_history_finish (SluiceRepository  *self,
                                  GAsyncResult      *result,
                                  GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_history_async, error);
}

/* ---- branches ---- */

static int
compare_branches (gconstpointer a,
                  gconstpointer b)
{
  const SluiceVcsBranch *x = *(SluiceVcsBranch **) a;
  const SluiceVcsBranch *y = *(SluiceVcsBranch **) b;

  if (x->remote != y->remote)
    return x->remote ? 1 : -1;
  return strcmp (x->name, y->name);
}

static gpointer
list_branches_func (SluiceVcsOp     *op,
                    git_repository  *repo,
                    GError         **error)
{
  g_autoptr(git_branch_iterator) it = NULL;
  g_autoptr(GPtrArray) branches = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_vcs_branch_free);
  g_autoptr(git_reference) head = NULL;
  git_reference *ref;
  git_branch_t type;

  if (!check_git (op, git_branch_iterator_new (&it, repo, GIT_BRANCH_ALL), error))
    return NULL;
  while (git_branch_next (&ref, &type, it) == 0)
    {
      SluiceVcsBranch *branch = g_new0 (SluiceVcsBranch, 1);
      const char *name = NULL;
      git_reference *upstream = NULL;

      git_branch_name (&name, ref);
      branch->name = g_strdup (name);
      branch->remote = type == GIT_BRANCH_REMOTE;
      branch->current = !branch->remote && git_branch_is_head (ref) == 1;
      if (!branch->remote && git_branch_upstream (&upstream, ref) == 0)
        {
          const char *up = NULL;

          git_branch_name (&up, upstream);
          branch->upstream = g_strdup (up);
          git_reference_free (upstream);
        }
      git_reference_free (ref);
      if (branch->remote && g_str_has_suffix (branch->name, "/HEAD"))
        sluice_vcs_branch_free (branch);
      else
        g_ptr_array_add (branches, branch);
    }
  /* An unborn branch (a new repository) is current but has no ref yet. */
  if (git_repository_head_unborn (repo) == 1 && git_reference_lookup (&head, repo, "HEAD") == 0)
    {
      const char *target = git_reference_symbolic_target (head);
      SluiceVcsBranch *branch = g_new0 (SluiceVcsBranch, 1);

      branch->name = g_strdup (target && g_str_has_prefix (target, "refs/heads/") ? target + 11 : "main");
      branch->current = TRUE;
      g_ptr_array_add (branches, branch);
    }
  g_ptr_array_sort (branches, compare_branches);
  return g_steal_pointer (&branches);
}

void
sluice_repository_list_branches_async (SluiceRepository    *self,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  _sluice_vcs_op_run (_sluice_vcs_op_new (list_branches_func, (GDestroyNotify) g_ptr_array_unref,
                                          WORKDIR (self), cancellable),
                      self, sluice_repository_list_branches_async, callback, user_data);
}

GPtrArray *
sluice_repository_list_branches_finish (SluiceRepository  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_list_branches_async, error);
}

static gboolean
check_branch_name (const char  *name,
                   GError     **error)
{
  int valid = 0;

  if (git_branch_name_is_valid (&valid, name) < 0 || !valid)
    {
      g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED, "“%s” is not a valid branch name.", name);
      return FALSE;
    }
  return TRUE;
}

static gpointer
create_branch_func (SluiceVcsOp     *op,
                    git_repository  *repo,
                    GError         **error)
{
  g_autoptr(git_commit) head = NULL;
  g_autoptr(git_object) object = NULL;
  g_autoptr(git_reference) ref = NULL;
  int rc;

  if (!check_branch_name (op->text, error))
    return NULL;
  if (git_revparse_single (&object, repo, "HEAD^{commit}") < 0)
    {
      g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED,
                           "A branch needs a first commit to start from.");
      return NULL;
    }
  rc = git_branch_create (&ref, repo, op->text, (git_commit *) object, 0);
  if (rc == GIT_EEXISTS)
    {
      g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_EXISTS, "A branch named “%s” already exists.", op->text);
      return NULL;
    }
  if (!check_git (op, rc, error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

void
sluice_repository_create_branch_async (SluiceRepository    *self,
                                       const char          *name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  SluiceVcsOp *op;

  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  g_return_if_fail (name != NULL);
  op = _sluice_vcs_op_new (create_branch_func, NULL, WORKDIR (self), cancellable);
  op->text = g_strdup (name);
  _sluice_vcs_op_run (op, self, sluice_repository_create_branch_async, callback, user_data);
}

gboolean
sluice_repository_create_branch_finish (SluiceRepository  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_create_branch_async, error) != NULL;
}

static int
conflict_notify_cb (git_checkout_notify_t  why,
                    const char            *path,
                    const git_diff_file   *baseline,
                    const git_diff_file   *target,
                    const git_diff_file   *workdir,
                    void                  *payload)
{
  if (why == GIT_CHECKOUT_NOTIFY_CONFLICT)
    g_ptr_array_add (payload, g_strdup (path));
  return 0;
}

/* A safe checkout of @target's tree: refuses, changing nothing, when it
 * would overwrite an uncommitted change or an untracked file. */
gpointer
_sluice_vcs_checkout_tree (SluiceVcsOp     *op,
                           git_repository  *repo,
                           git_object      *target,
                           GError         **error)
{
  git_checkout_options opts = GIT_CHECKOUT_OPTIONS_INIT;
  g_autoptr(GPtrArray) conflicts = g_ptr_array_new_with_free_func (g_free);
  int rc;

  /* A dry run first: libgit2 reports every conflict before writing. */
  opts.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_DONT_OVERWRITE_IGNORED | GIT_CHECKOUT_DRY_RUN;
  opts.notify_flags = GIT_CHECKOUT_NOTIFY_CONFLICT;
  opts.notify_cb = conflict_notify_cb;
  opts.notify_payload = conflicts;
  rc = git_checkout_tree (repo, target, &opts);
  if (conflicts->len > 0 || rc == GIT_ECONFLICT)
    {
      g_autofree char *names = NULL;

      _sluice_vcs_sort_paths (conflicts);
      names = _sluice_vcs_join_paths (conflicts);
      g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_DIRTY,
                   "Commit or undo your changes to %s first: they would be overwritten.",
                   conflicts->len ? names : "the working copy");
      return NULL;
    }
  if (!check_git (op, rc, error))
    return NULL;
  opts.checkout_strategy = GIT_CHECKOUT_SAFE | GIT_CHECKOUT_DONT_OVERWRITE_IGNORED;
  if (!check_git (op, git_checkout_tree (repo, target, &opts), error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

static gpointer
switch_branch_func (SluiceVcsOp     *op,
                    git_repository  *repo,
                    GError         **error)
{
  g_autoptr(git_reference) local = NULL;
  g_autoptr(git_object) target = NULL;
  g_autofree char *refname = NULL;
  const char *name = op->text;
  int rc;

  rc = git_branch_lookup (&local, repo, name, GIT_BRANCH_LOCAL);
  if (rc == GIT_ENOTFOUND)
    {
      g_autoptr(git_reference) remote = NULL;
      const char *slash = strchr (name, '/');
      g_autoptr(git_commit) commit = NULL;

      if (git_branch_lookup (&remote, repo, name, GIT_BRANCH_REMOTE) < 0 || slash == NULL)
        {
          g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND, "There is no branch named “%s”.", name);
          return NULL;
        }
      /* origin/x with a local x already: that one (it may have commits
       * of its own; pull brings it up to date). */
      if (git_branch_lookup (&local, repo, slash + 1, GIT_BRANCH_LOCAL) == 0)
        {
          char *short_name = g_strdup (slash + 1);

          g_clear_pointer (&local, git_reference_free);
          g_free (op->text);
          op->text = short_name;
          return switch_branch_func (op, repo, error);
        }
      /* origin/x: check out its tree first; only then make the branch. */
      if (!check_git (op, git_commit_lookup (&commit, repo, git_reference_target (remote)), error)
          || !_sluice_vcs_checkout_tree (op, repo, (git_object *) commit, error))
        return NULL;
      if (!check_git (op, git_branch_create (&local, repo, slash + 1, commit, 0), error)
          || !check_git (op, git_branch_set_upstream (local, name), error))
        return NULL;
      return check_git (op, git_repository_set_head (repo, git_reference_name (local)), error)
             ? GINT_TO_POINTER (TRUE) : NULL;
    }
  if (!check_git (op, rc, error)
      || !check_git (op, git_reference_peel (&target, local, GIT_OBJECT_COMMIT), error)
      || !_sluice_vcs_checkout_tree (op, repo, target, error))
    return NULL;
  refname = g_strdup (git_reference_name (local));
  if (!check_git (op, git_repository_set_head (repo, refname), error))
    return NULL;
  return GINT_TO_POINTER (TRUE);
}

void
sluice_repository_switch_branch_async (SluiceRepository    *self,
                                       const char          *name,
                                       GCancellable        *cancellable,
                                       GAsyncReadyCallback  callback,
                                       gpointer             user_data)
{
  SluiceVcsOp *op;

  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  g_return_if_fail (name != NULL);
  op = _sluice_vcs_op_new (switch_branch_func, NULL, WORKDIR (self), cancellable);
  op->text = g_strdup (name);
  _sluice_vcs_op_run (op, self, sluice_repository_switch_branch_async, callback, user_data);
}

gboolean
sluice_repository_switch_branch_finish (SluiceRepository  *self,
                                        GAsyncResult      *result,
                                        GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_switch_branch_async, error) != NULL;
}
