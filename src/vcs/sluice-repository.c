#define G_LOG_DOMAIN "sluice-repository"

#include "config.h"

#include <string.h>
#include <sys/stat.h>

#include <glib/gstdio.h>

#include "sluice-repository-private.h"

struct _SluiceRepository
{
  GObject          parent_instance;
  char            *workdir;   /* owned: absolute, no trailing slash */

  /* One libgit2 handle kept across operations, so that its index, its
   * object cache (HEAD's trees) and its config are read once, not per
   * call. Used by one worker at a time, under @git_lock; an operation that
   * finds it busy opens a handle of its own (a long fetch does not hold up
   * a status). */
  GMutex           git_lock;
  git_repository  *git;       /* owned (nullable) */
  struct stat      git_config_st;  /* .git/config when @git was opened */
};

G_DEFINE_FINAL_TYPE (SluiceRepository, sluice_repository, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_WORKDIR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* ---- plain data ---- */

void
sluice_vcs_status_entry_free (SluiceVcsStatusEntry *entry)
{
  if (entry == NULL)
    return;
  g_free (entry->path);
  g_free (entry);
}

void
sluice_vcs_file_diff_free (SluiceVcsFileDiff *diff)
{
  if (diff == NULL)
    return;
  g_free (diff->path);
  g_free (diff->patch);
  g_free (diff);
}

void
sluice_vcs_commit_free (SluiceVcsCommit *commit)
{
  if (commit == NULL)
    return;
  g_free (commit->id);
  g_free (commit->summary);
  g_free (commit->author);
  g_free (commit);
}

void
sluice_vcs_branch_free (SluiceVcsBranch *branch)
{
  if (branch == NULL)
    return;
  g_free (branch->name);
  g_free (branch->upstream);
  g_free (branch);
}

void
sluice_vcs_pull_result_free (SluiceVcsPullResult *result)
{
  if (result == NULL)
    return;
  g_strfreev (result->conflicts);
  g_free (result);
}

SluiceVcsCredentials *
sluice_vcs_credentials_new (const char *user,
                            const char *token)
{
  SluiceVcsCredentials *credentials = g_new0 (SluiceVcsCredentials, 1);

  g_return_val_if_fail (token != NULL, NULL);
  credentials->user = g_strdup (user && *user ? user : NULL);
  credentials->token = g_strdup (token);
  return credentials;
}

SluiceVcsCredentials *
sluice_vcs_credentials_copy (const SluiceVcsCredentials *credentials)
{
  if (credentials == NULL)
    return NULL;
  return sluice_vcs_credentials_new (credentials->user, credentials->token);
}

void
sluice_vcs_credentials_free (SluiceVcsCredentials *credentials)
{
  if (credentials == NULL)
    return;
  if (credentials->token != NULL)
    memset (credentials->token, 0, strlen (credentials->token));
  g_free (credentials->token);
  g_free (credentials->user);
  g_free (credentials);
}

const char *
sluice_vcs_user_for_host (const char *host)
{
  if (host == NULL)
    return NULL;
  if (g_ascii_strcasecmp (host, "github.com") == 0 || g_str_has_suffix (host, ".github.com")
      || g_str_has_suffix (host, ".ghe.com"))
    return "x-access-token";
  if (g_ascii_strcasecmp (host, "gitlab.com") == 0 || g_str_has_prefix (host, "gitlab."))
    return "oauth2";
  if (g_ascii_strcasecmp (host, "bitbucket.org") == 0)
    return "x-token-auth";
  if (g_ascii_strcasecmp (host, "dev.azure.com") == 0 || g_str_has_suffix (host, ".visualstudio.com"))
    return "sluice";
  return NULL;
}

/* ---- the worker machinery ---- */

static void
ensure_libgit2 (void)
{
  static gsize once = 0;

  if (g_once_init_enter (&once))
    {
      git_libgit2_init ();
      /* Trees up to 1 MiB stay in a repository's object cache (libgit2
       * keeps only those under 4 KiB): a folder of 1,000 pipelines is a
       * 45 KiB tree, read by every status and every commit. */
      git_libgit2_opts (GIT_OPT_SET_CACHE_OBJECT_LIMIT, GIT_OBJECT_TREE, (size_t) 1024 * 1024);
      /* libgit2 checks that every entry of a tree it writes exists by
       * opening and inflating the object: 2,000 loose objects read for a
       * commit that changes one pipeline. The trees this layer writes come
       * from the index, whose blobs libgit2 wrote itself, or from merges
       * of existing trees. */
      git_libgit2_opts (GIT_OPT_ENABLE_STRICT_OBJECT_CREATION, 0);
      g_once_init_leave (&once, 1);
    }
}

static void
op_clear (SluiceVcsOp *op)
{
  if (op->progress_destroy != NULL)
    op->progress_destroy (op->progress_data);
  g_free (op->workdir);
  g_free (op->text);
  g_free (op->name);
  g_free (op->email);
  g_strfreev (op->paths);
  g_free (op->host);
  sluice_vcs_credentials_free (op->credentials);
  g_clear_pointer (&op->context, g_main_context_unref);
  g_clear_object (&op->cancellable);
}

SluiceVcsOp *
_sluice_vcs_op_new (SluiceVcsOpFunc  func,
                    GDestroyNotify   result_free,
                    const char      *workdir,
                    GCancellable    *cancellable)
{
  SluiceVcsOp *op = g_atomic_rc_box_new0 (SluiceVcsOp);

  op->func = func;
  op->result_free = result_free;
  op->workdir = g_strdup (workdir);
  op->context = g_main_context_ref_thread_default ();
  op->cancellable = cancellable ? g_object_ref (cancellable) : NULL;
  return op;
}

SluiceVcsOp *
_sluice_vcs_op_ref (SluiceVcsOp *op)
{
  return g_atomic_rc_box_acquire (op);
}

void
_sluice_vcs_op_unref (SluiceVcsOp *op)
{
  g_atomic_rc_box_release_full (op, (GDestroyNotify) op_clear);
}

/* libgit2's message without its final period (ours adds one). */
static const char *
git_message (void)
{
  static GPrivate buffer = G_PRIVATE_INIT (g_free);
  const git_error *e = git_error_last ();
  char *text;

  if (e == NULL || e->message == NULL)
    return "unknown error";
  text = g_strdup (e->message);
  g_strchomp (text);
  if (*text && text[strlen (text) - 1] == '.')
    text[strlen (text) - 1] = '\0';
  g_private_replace (&buffer, text);
  return text;
}

void
_sluice_vcs_set_error (SluiceVcsOp  *op,
                       int           rc,
                       GError      **error)
{
  const git_error *e = git_error_last ();
  int klass = e ? e->klass : GIT_ERROR_NONE;
  const char *host = op && op->host ? op->host : "the server";

  if (op && op->cancellable && g_cancellable_is_cancelled (op->cancellable))
    g_set_error_literal (error, G_IO_ERROR, G_IO_ERROR_CANCELLED, "The operation was cancelled.");
  else if (op && (op->auth_refused || rc == GIT_EAUTH))
    {
      const char *user = op->credentials && op->credentials->user ? op->credentials->user
                         : sluice_vcs_user_for_host (op->host);
      if (op->credentials == NULL)
        g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_AUTH,
                     "The server at %s asks for credentials, and none were given.", host);
      else
        g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_AUTH,
                     "The server refused the credentials for %s at %s.", user ? user : "the token", host);
    }
  else if (rc == GIT_ENONFASTFORWARD)
    g_set_error_literal (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NON_FAST_FORWARD,
                         "The remote has commits you don't have; pull first.");
  else if (rc == GIT_ECERTIFICATE)
    g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_UNREACHABLE,
                 "The certificate of %s is not trusted: %s.", host, git_message ());
  else if (klass == GIT_ERROR_NET || klass == GIT_ERROR_SSL
           || (klass == GIT_ERROR_OS && op && op->host))
    g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_UNREACHABLE,
                 "%s could not be reached: %s.", host, git_message ());
  else if (klass == GIT_ERROR_HTTP && e && strstr (e->message, "404"))
    g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND,
                 "%s has no repository at that address.", host);
  else if (rc == GIT_ENOTFOUND)
    g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND, "%s.", git_message ());
  else if (rc == GIT_EEXISTS)
    g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_EXISTS, "%s.", git_message ());
  else
    g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED, "%s.", git_message ());
}

static gboolean
same_file (const struct stat *a,
           const struct stat *b)
{
  return a->st_ino == b->st_ino && a->st_size == b->st_size
         && a->st_mtim.tv_sec == b->st_mtim.tv_sec && a->st_mtim.tv_nsec == b->st_mtim.tv_nsec;
}

static git_repository *
open_git (const char   *workdir,
          struct stat  *config_st)
{
  git_repository *repo = NULL;
  g_autofree char *config = NULL;

  if (git_repository_open_ext (&repo, workdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0)
    return NULL;
  config = g_build_filename (git_repository_path (repo), "config", NULL);
  if (stat (config, config_st) < 0)
    memset (config_st, 0, sizeof *config_st);
  return repo;
}

/* The kept handle, opened again when .git/config changed (libgit2 caches
 * some of its values for the life of a handle) or went away. Called with
 * git_lock held. */
static git_repository *
kept_git (SluiceRepository *self)
{
  if (self->git != NULL)
    {
      g_autofree char *config = g_build_filename (git_repository_path (self->git), "config", NULL);
      struct stat st;
      g_autoptr(git_index) index = NULL;

      if (stat (config, &st) < 0 || !same_file (&st, &self->git_config_st))
        g_clear_pointer (&self->git, git_repository_free);
      /* Someone else may have changed the index since: every operation
       * starts from what is on disk (a stat when nothing changed). */
      else if (git_repository_index (&index, self->git) < 0 || git_index_read (index, FALSE) < 0)
        g_clear_pointer (&self->git, git_repository_free);
    }
  if (self->git == NULL)
    self->git = open_git (self->workdir, &self->git_config_st);
  return self->git;
}

static void
op_thread (GTask        *task,
           gpointer      source_object,
           gpointer      task_data,
           GCancellable *cancellable)
{
  SluiceVcsOp *op = task_data;
  SluiceRepository *self = source_object;
  g_autoptr(git_repository) own = NULL;
  git_repository *repo = NULL;
  g_autoptr(GError) error = NULL;
  gboolean kept = FALSE;
  gpointer result;

  ensure_libgit2 ();
  if (g_task_return_error_if_cancelled (task))
    return;
  if (self != NULL)
    {
      struct stat unused;

      if ((kept = g_mutex_trylock (&self->git_lock)))
        repo = kept_git (self);
      else
        repo = own = open_git (op->workdir, &unused);
      if (repo == NULL)
        {
          if (kept)
            g_mutex_unlock (&self->git_lock);
          g_task_return_new_error (task, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_A_REPOSITORY,
                                   "%s is no longer a git working copy.", op->workdir);
          return;
        }
    }
  result = op->func (op, repo, &error);
  if (kept)
    {
      /* A failed operation may leave libgit2's in-memory state (an index
       * half staged) unlike the disk: start the next one afresh. */
      if (result == NULL)
        g_clear_pointer (&self->git, git_repository_free);
      g_mutex_unlock (&self->git_lock);
    }
  if (result == NULL)
    {
      g_assert (error != NULL);
      g_task_return_error (task, g_steal_pointer (&error));
    }
  else
    g_task_return_pointer (task, result, op->result_free);
}

void
_sluice_vcs_op_run (SluiceVcsOp         *op,
                    gpointer             source_object,
                    gpointer             source_tag,
                    GAsyncReadyCallback  callback,
                    gpointer             user_data)
{
  g_autoptr(GTask) task = g_task_new (source_object, op->cancellable, callback, user_data);

  /* Started on the caller's thread: libgit2's first start sets up OpenSSL
   * (through libssh2), whose state would otherwise belong to a pool thread
   * and be reported as leaked at exit. */
  ensure_libgit2 ();
  g_task_set_source_tag (task, source_tag);
  g_task_set_task_data (task, op, (GDestroyNotify) _sluice_vcs_op_unref);
  g_task_run_in_thread (task, op_thread);
}

gpointer
_sluice_vcs_op_finish (gpointer       source_object,
                       GAsyncResult  *result,
                       gpointer       source_tag,
                       GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, source_object), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---- helpers ---- */

static int
compare_paths (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

void
_sluice_vcs_sort_paths (GPtrArray *paths)
{
  g_ptr_array_sort (paths, compare_paths);
}

char *
_sluice_vcs_join_paths (GPtrArray *paths)
{
  GString *out = g_string_new (NULL);
  guint shown = MIN (paths->len, 5);

  for (guint i = 0; i < shown; i++)
    {
      if (i > 0)
        g_string_append (out, i + 1 == paths->len ? " and " : ", ");
      g_string_append (out, g_ptr_array_index (paths, i));
    }
  if (paths->len > shown)
    g_string_append_printf (out, " and %u more", paths->len - shown);
  return g_string_free (out, FALSE);
}

static SluiceVcsFileState
state_of (unsigned int flags,
          gboolean     staged)
{
  if (flags & GIT_STATUS_CONFLICTED)
    return SLUICE_VCS_FILE_CONFLICTED;
  if (staged)
    {
      if (flags & GIT_STATUS_INDEX_NEW) return SLUICE_VCS_FILE_ADDED;
      if (flags & GIT_STATUS_INDEX_MODIFIED) return SLUICE_VCS_FILE_MODIFIED;
      if (flags & GIT_STATUS_INDEX_DELETED) return SLUICE_VCS_FILE_DELETED;
      if (flags & GIT_STATUS_INDEX_TYPECHANGE) return SLUICE_VCS_FILE_TYPE_CHANGED;
      if (flags & GIT_STATUS_INDEX_RENAMED) return SLUICE_VCS_FILE_MODIFIED;
    }
  else
    {
      if (flags & GIT_STATUS_WT_NEW) return SLUICE_VCS_FILE_ADDED;
      if (flags & GIT_STATUS_WT_MODIFIED) return SLUICE_VCS_FILE_MODIFIED;
      if (flags & GIT_STATUS_WT_DELETED) return SLUICE_VCS_FILE_DELETED;
      if (flags & GIT_STATUS_WT_TYPECHANGE) return SLUICE_VCS_FILE_TYPE_CHANGED;
      if (flags & GIT_STATUS_WT_RENAMED) return SLUICE_VCS_FILE_MODIFIED;
    }
  return SLUICE_VCS_FILE_UNCHANGED;
}

GHashTable *
_sluice_vcs_dirty_paths (git_repository *repo,
                         GError        **error)
{
  g_autoptr(GHashTable) flags = _sluice_vcs_status_flags (repo, NULL, error);
  GHashTable *set;
  GHashTableIter iter;
  gpointer path;

  if (flags == NULL)
    return NULL;
  set = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_hash_table_iter_init (&iter, flags);
  while (g_hash_table_iter_next (&iter, &path, NULL))
    g_hash_table_add (set, g_strdup (path));
  return set;
}

/* ---- create, open ---- */

static gboolean
ensure_lines (const char  *path,
              const char  *header,
              const char * const *lines,
              GError     **error)
{
  g_autofree char *text = NULL;
  g_autoptr(GString) out = NULL;
  g_auto(GStrv) have = NULL;
  gboolean changed = FALSE;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    text = g_strdup ("");
  out = g_string_new (text);
  have = g_strsplit (text, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    {
      gboolean found = FALSE;

      for (guint j = 0; have[j] && !found; j++)
        found = g_str_equal (g_strstrip (have[j]), lines[i]);
      if (found)
        continue;
      if (!changed && out->len > 0 && out->str[out->len - 1] != '\n')
        g_string_append_c (out, '\n');
      if (!changed && header)
        g_string_append (out, header);
      g_string_append_printf (out, "%s\n", lines[i]);
      changed = TRUE;
    }
  if (changed && !g_file_set_contents (path, out->str, (gssize) out->len, error))
    return FALSE;
  return TRUE;
}

static gpointer
create_func (SluiceVcsOp     *op,
             git_repository  *unused,
             GError         **error)
{
  static const char * const ignore[] = { ".sluice/", NULL };
  static const char * const attributes[] = { "pipelines/*.json merge=sluice", NULL };
  git_repository_init_options opts = GIT_REPOSITORY_INIT_OPTIONS_INIT;
  g_autoptr(git_repository) repo = NULL;
  g_autoptr(git_config) config = NULL;
  g_autofree char *ignore_path = NULL;
  g_autofree char *attributes_path = NULL;
  int rc;

  opts.flags = GIT_REPOSITORY_INIT_MKPATH;
  opts.initial_head = "main";
  if (git_repository_open_ext (&repo, op->workdir, GIT_REPOSITORY_OPEN_NO_SEARCH, NULL) < 0
      && (rc = git_repository_init_ext (&repo, op->workdir, &opts)) < 0)
    {
      _sluice_vcs_set_error (op, rc, error);
      g_prefix_error (error, "%s: ", op->workdir);
      return NULL;
    }

  ignore_path = g_build_filename (op->workdir, ".gitignore", NULL);
  attributes_path = g_build_filename (op->workdir, ".gitattributes", NULL);
  if (!ensure_lines (ignore_path, "# This machine's local run outputs and state (Sluice)\n", ignore, error)
      || !ensure_lines (attributes_path, "# Pipelines merge gem by gem (sluice-cli merge-driver, docs/git.md)\n",
                        attributes, error))
    return NULL;

  if ((rc = git_repository_config (&config, repo)) < 0
      || (rc = git_config_set_string (config, "merge.sluice.name", "Sluice pipeline merge")) < 0
      || (rc = git_config_set_string (config, "merge.sluice.driver", "sluice-cli merge-driver %O %A %B")) < 0)
    {
      _sluice_vcs_set_error (op, rc, error);
      return NULL;
    }
  return g_strdup (git_repository_workdir (repo));
}

static gpointer
open_func (SluiceVcsOp     *op,
           git_repository  *unused,
           GError         **error)
{
  g_autoptr(git_repository) repo = NULL;
  const char *workdir;

  if (!g_file_test (op->workdir, G_FILE_TEST_EXISTS))
    {
      g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_A_REPOSITORY,
                   "%s does not exist.", op->workdir);
      return NULL;
    }
  if (git_repository_open_ext (&repo, op->workdir, 0, NULL) < 0)
    {
      g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_A_REPOSITORY,
                   "%s is not in a git working copy.", op->workdir);
      return NULL;
    }
  if ((workdir = git_repository_workdir (repo)) == NULL)
    {
      g_set_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_A_REPOSITORY,
                   "%s is a bare repository, with no working copy.", op->workdir);
      return NULL;
    }
  return g_strdup (workdir);
}

static SluiceRepository *
repository_new (char *workdir)
{
  SluiceRepository *self;
  gsize len = strlen (workdir);

  while (len > 1 && workdir[len - 1] == '/')
    workdir[--len] = '\0';
  self = g_object_new (SLUICE_TYPE_REPOSITORY, NULL);
  self->workdir = workdir;
  return self;
}

static SluiceVcsOp *
op_for_path (SluiceVcsOpFunc  func,
             const char      *path,
             GCancellable    *cancellable)
{
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autofree char *absolute = g_file_get_path (file);

  return _sluice_vcs_op_new (func, g_free, absolute, cancellable);
}

void
sluice_repository_create_async (const char          *path,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (path != NULL);
  _sluice_vcs_op_run (op_for_path (create_func, path, cancellable), NULL,
                      sluice_repository_create_async, callback, user_data);
}

SluiceRepository *
sluice_repository_create_finish (GAsyncResult  *result,
                                 GError       **error)
{
  char *workdir = _sluice_vcs_op_finish (NULL, result, sluice_repository_create_async, error);

  return workdir ? repository_new (workdir) : NULL;
}

void
sluice_repository_open_async (const char          *path,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  g_return_if_fail (path != NULL);
  _sluice_vcs_op_run (op_for_path (open_func, path, cancellable), NULL,
                      sluice_repository_open_async, callback, user_data);
}

SluiceRepository *
sluice_repository_open_finish (GAsyncResult  *result,
                               GError       **error)
{
  char *workdir = _sluice_vcs_op_finish (NULL, result, sluice_repository_open_async, error);

  return workdir ? repository_new (workdir) : NULL;
}

/* Used by the clone in sluice-repository-remote.c. */
SluiceRepository *
_sluice_repository_new_for_workdir (char *workdir)
{
  return repository_new (workdir);
}

/* ---- status and diff ---- */

static int
compare_entries (gconstpointer a,
                 gconstpointer b)
{
  return strcmp ((*(SluiceVcsStatusEntry * const *) a)->path, (*(SluiceVcsStatusEntry * const *) b)->path);
}

static gpointer
status_func (SluiceVcsOp     *op,
             git_repository  *repo,
             GError         **error)
{
  g_autoptr(GHashTable) flags = _sluice_vcs_status_flags (repo, op->cancellable, error);
  GPtrArray *entries;
  GHashTableIter iter;
  gpointer path, value;

  if (flags == NULL)
    return NULL;
  entries = g_ptr_array_new_full (g_hash_table_size (flags), (GDestroyNotify) sluice_vcs_status_entry_free);
  g_hash_table_iter_init (&iter, flags);
  while (g_hash_table_iter_next (&iter, &path, &value))
    {
      SluiceVcsStatusEntry *entry = g_new0 (SluiceVcsStatusEntry, 1);
      unsigned int status = GPOINTER_TO_UINT (value);

      entry->path = g_strdup (path);
      entry->staged = state_of (status, TRUE);
      entry->unstaged = state_of (status, FALSE);
      g_ptr_array_add (entries, entry);
    }
  g_ptr_array_sort (entries, compare_entries);
  return entries;
}

void
sluice_repository_status_async (SluiceRepository    *self,
                                GCancellable        *cancellable,
                                GAsyncReadyCallback  callback,
                                gpointer             user_data)
{
  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  _sluice_vcs_op_run (_sluice_vcs_op_new (status_func, (GDestroyNotify) g_ptr_array_unref, self->workdir, cancellable),
                      self, sluice_repository_status_async, callback, user_data);
}

GPtrArray *
sluice_repository_status_finish (SluiceRepository  *self,
                                 GAsyncResult      *result,
                                 GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_status_async, error);
}

static int
patch_line_cb (const git_diff_delta *delta,
               const git_diff_hunk  *hunk,
               const git_diff_line  *line,
               void                 *payload)
{
  GString *out = payload;

  if (line->origin == GIT_DIFF_LINE_CONTEXT || line->origin == GIT_DIFF_LINE_ADDITION
      || line->origin == GIT_DIFF_LINE_DELETION)
    g_string_append_c (out, line->origin);
  g_string_append_len (out, line->content, (gssize) line->content_len);
  return 0;
}

static gpointer
diff_func (SluiceVcsOp     *op,
           git_repository  *repo,
           GError         **error)
{
  git_diff_options opts = GIT_DIFF_OPTIONS_INIT;
  g_autoptr(git_diff) diff = NULL;
  g_autoptr(git_object) head = NULL;
  g_autoptr(git_tree) tree = NULL;
  g_autoptr(GPtrArray) files = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_vcs_file_diff_free);
  int rc = 0;

  opts.flags = GIT_DIFF_INCLUDE_UNTRACKED | GIT_DIFF_RECURSE_UNTRACKED_DIRS | GIT_DIFF_SHOW_UNTRACKED_CONTENT;
  if (op->paths != NULL)
    {
      opts.pathspec.strings = op->paths;
      opts.pathspec.count = g_strv_length (op->paths);
      opts.flags |= GIT_DIFF_DISABLE_PATHSPEC_MATCH;
    }
  if (op->kind != SLUICE_VCS_DIFF_UNSTAGED
      && git_revparse_single (&head, repo, "HEAD^{tree}") == 0)
    tree = (git_tree *) g_steal_pointer (&head);

  switch (op->kind)
    {
    case SLUICE_VCS_DIFF_STAGED:
      rc = git_diff_tree_to_index (&diff, repo, tree, NULL, &opts);
      break;
    case SLUICE_VCS_DIFF_UNSTAGED:
      rc = git_diff_index_to_workdir (&diff, repo, NULL, &opts);
      break;
    case SLUICE_VCS_DIFF_ALL:
    default:
      rc = git_diff_tree_to_workdir_with_index (&diff, repo, tree, &opts);
      break;
    }
  if (rc < 0)
    {
      _sluice_vcs_set_error (op, rc, error);
      return NULL;
    }

  for (size_t i = 0; i < git_diff_num_deltas (diff); i++)
    {
      g_autoptr(git_patch) patch = NULL;
      g_autoptr(GString) text = g_string_new (NULL);
      const git_diff_delta *d = git_diff_get_delta (diff, i);
      SluiceVcsFileDiff *file;

      if ((rc = git_patch_from_diff (&patch, diff, i)) < 0)
        {
          _sluice_vcs_set_error (op, rc, error);
          return NULL;
        }
      if (patch == NULL || (d->flags & GIT_DIFF_FLAG_BINARY))
        g_string_append_printf (text, "Binary files a/%s and b/%s differ\n", d->old_file.path, d->new_file.path);
      else
        git_patch_print (patch, patch_line_cb, text);
      file = g_new0 (SluiceVcsFileDiff, 1);
      file->path = g_strdup (d->new_file.path);
      file->patch = g_string_free (g_steal_pointer (&text), FALSE);
      g_ptr_array_add (files, file);
    }
  return g_steal_pointer (&files);
}

void
sluice_repository_diff_async (SluiceRepository    *self,
                              SluiceVcsDiffKind    kind,
                              const char * const  *paths,
                              GCancellable        *cancellable,
                              GAsyncReadyCallback  callback,
                              gpointer             user_data)
{
  SluiceVcsOp *op;

  g_return_if_fail (SLUICE_IS_REPOSITORY (self));
  op = _sluice_vcs_op_new (diff_func, (GDestroyNotify) g_ptr_array_unref, self->workdir, cancellable);
  op->kind = kind;
  op->paths = g_strdupv ((char **) paths);
  _sluice_vcs_op_run (op, self, sluice_repository_diff_async, callback, user_data);
}

GPtrArray *
sluice_repository_diff_finish (SluiceRepository  *self,
                               GAsyncResult      *result,
                               GError           **error)
{
  return _sluice_vcs_op_finish (self, result, sluice_repository_diff_async, error);
}

/* ---- properties ---- */

static void
sluice_repository_finalize (GObject *object)
{
  SluiceRepository *self = SLUICE_REPOSITORY (object);

  g_clear_pointer (&self->git, git_repository_free);
  g_mutex_clear (&self->git_lock);
  g_free (self->workdir);
  G_OBJECT_CLASS (sluice_repository_parent_class)->finalize (object);
}

static void
sluice_repository_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SluiceRepository *self = SLUICE_REPOSITORY (object);

  switch (prop_id)
    {
    case PROP_WORKDIR:
      g_value_set_string (value, self->workdir);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_repository_class_init (SluiceRepositoryClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sluice_repository_finalize;
  object_class->get_property = sluice_repository_get_property;

  properties[PROP_WORKDIR] = g_param_spec_string ("workdir", NULL, NULL, NULL,
                                                  G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_repository_init (SluiceRepository *self)
{
  g_mutex_init (&self->git_lock);
}

const char *
sluice_repository_get_workdir (SluiceRepository *self)
{
  g_return_val_if_fail (SLUICE_IS_REPOSITORY (self), NULL);
  return self->workdir;
}

/* For the other files of the class. */
const char *
_sluice_repository_peek_workdir (SluiceRepository *self)
{
  return self->workdir;
}
