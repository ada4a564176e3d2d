/* SluiceRepository: the working-copy status, quickly on large projects.
 *
 * libgit2's status walks the working tree with an lstat of every file
 * and folder, a stat of every folder, and a look for a .gitignore in
 * each, all on one thread. Most files are unchanged, and the index says
 * so cheaply: its stat data. So the status is in three parts, two of
 * them running at once:
 *
 *  - a helper thread lstat()s every index entry and compares the result
 *    with the entry's stat data (size, mtime, ctime, inode, owner, mode),
 *    as git's refresh does; an entry that differs, or that is racily
 *    clean, is a suspect;
 *  - the worker reads the folders (d_type, no lstat per file) for names
 *    the index does not have: untracked suspects; folders with nothing
 *    tracked in them are looked into only when they are not ignored;
 *  - libgit2 compares HEAD with the index (its trees are cached in the
 *    repository the worker keeps), and then the working tree with the
 *    index for the suspects only, with its pathlist: it hashes their
 *    content, applies .gitignore and decides. When that refreshed stale
 *    stat data, the index is written back (when nobody holds its lock),
 *    so the next status finds nothing to hash.
 *
 * The comparison errs one way only: anything that might have changed is
 * a suspect, and libgit2 has the last word on every suspect. */
#define _GNU_SOURCE  /* getdents64 */
#define G_LOG_DOMAIN "sluice-repository"

#include "config.h"

#include <dirent.h>
#include <fcntl.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "sluice-repository-private.h"

/* Past this many suspects, one full libgit2 status costs no more. */
#define MAX_SUSPECTS 2000

typedef struct
{
  const char            *workdir;   /* borrowed */
  git_index             *index;     /* borrowed: not changed while the scan runs */
  size_t                 n_entries;
  struct timespec        index_mtime;  /* of the index file */
  GPtrArray             *suspects;  /* owned: tracked paths that may have changed */
} TrackedScan;

/* git's canonical mode for what lstat() found. */
static guint32
canonical_mode (mode_t mode)
{
  if (S_ISLNK (mode))
    return 0120000;
  if (S_ISREG (mode))
    return (mode & 0100) ? 0100755 : 0100644;
  if (S_ISDIR (mode))
    return 0040000;
  return 0;
}

static gboolean
entry_may_have_changed (const git_index_entry *e,
                        const struct stat     *st,
                        const struct timespec *index_mtime)
{
  if (canonical_mode (st->st_mode) != e->mode
      || (guint32) st->st_size != e->file_size
      || (guint32) st->st_ino != e->ino
      || (guint32) st->st_uid != e->uid
      || (guint32) st->st_gid != e->gid
      || (gint32) st->st_mtim.tv_sec != e->mtime.seconds
      || (guint32) st->st_mtim.tv_nsec != e->mtime.nanoseconds
      || (gint32) st->st_ctim.tv_sec != e->ctime.seconds
      || (guint32) st->st_ctim.tv_nsec != e->ctime.nanoseconds)
    return TRUE;
  /* Racily clean (as libgit2 judges it): changed no later than the index
   * was written, so its stat data cannot vouch for its content. */
  if (e->mtime.seconds != (gint32) index_mtime->tv_sec)
    return e->mtime.seconds > (gint32) index_mtime->tv_sec;
  return e->mtime.nanoseconds >= (guint32) index_mtime->tv_nsec;
}

static gpointer
scan_tracked (gpointer data)
{
  TrackedScan *scan = data;
  GString *path = g_string_new (scan->workdir);
  gsize root_len;

  if (path->len == 0 || path->str[path->len - 1] != '/')
    g_string_append_c (path, '/');
  root_len = path->len;
  for (size_t i = 0; i < scan->n_entries; i++)
    {
      const git_index_entry *e = git_index_get_byindex (scan->index, i);
      struct stat st;

      if (e == NULL)
        continue;
      if ((e->mode & 0170000) == 0160000)
        continue;   /* a submodule: status leaves them out */
      g_string_truncate (path, root_len);
      g_string_append (path, e->path);
      if (GIT_INDEX_ENTRY_STAGE (e) != 0
          || lstat (path->str, &st) < 0
          || entry_may_have_changed (e, &st, &scan->index_mtime))
        g_ptr_array_add (scan->suspects, (gpointer) e->path);
    }
  g_string_free (path, TRUE);
  return NULL;
}

typedef struct
{
  git_repository *repo;       /* borrowed */
  git_index      *index;      /* borrowed */
  GString        *path;       /* absolute, the folder being read */
  gsize           root_len;   /* where the relative part starts */
  GPtrArray      *suspects;   /* owned: untracked paths (strings owned) */
  GCancellable   *cancellable;
  /* One folder is read to the end before the next: one buffer will do. */
  char            buffer[32768] __attribute__ ((aligned (8)));
} UntrackedScan;

static gboolean
is_tracked_folder (git_index  *index,
                   const char *rel)
{
  g_autofree char *prefix = g_strconcat (rel, "/", NULL);
  size_t pos = 0;

  return git_index_find_prefix (&pos, index, prefix) == 0;
}

static gboolean
is_ignored (git_repository *repo,
            const char     *rel,
            gboolean        folder)
{
  g_autofree char *query = folder ? g_strconcat (rel, "/", NULL) : g_strdup (rel);
  int ignored = 0;

  return git_ignore_path_is_ignored (&ignored, repo, query) == 0 && ignored;
}

/* Reads the folder at scan->path; @tracked: whether it has tracked files
 * (else every file in it is untracked). */
static void
scan_folder (UntrackedScan *scan,
             gboolean       tracked)
{
  g_autoptr(GPtrArray) folders = g_ptr_array_new_with_free_func (g_free);
  gsize len = scan->path->len;
  /* getdents64 rather than opendir(), which adds an fstat per folder. */
  int fd = open (scan->path->str, O_RDONLY | O_DIRECTORY | O_CLOEXEC);
  ssize_t n = 0;
  long off = 0;

  if (fd < 0)
    return;
  for (;;)
    {
      struct dirent64 *d;
      const char *rel;
      gboolean folder;
      size_t pos;

      if (off >= n)
        {
          if ((n = getdents64 (fd, scan->buffer, sizeof scan->buffer)) <= 0)
            break;
          off = 0;
        }
      d = (struct dirent64 *) (scan->buffer + off);
      off += d->d_reclen;
      if (d->d_name[0] == '.' && (d->d_name[1] == '\0' || (d->d_name[1] == '.' && d->d_name[2] == '\0')
                                  || strcmp (d->d_name, ".git") == 0))
        continue;
      g_string_truncate (scan->path, len);
      g_string_append_c (scan->path, '/');
      g_string_append (scan->path, d->d_name);
      rel = scan->path->str + scan->root_len;

      if (d->d_type == DT_UNKNOWN)
        {
          struct stat st;

          folder = lstat (scan->path->str, &st) == 0 && S_ISDIR (st.st_mode);
        }
      else
        folder = d->d_type == DT_DIR;

      if (folder)
        g_ptr_array_add (folders, g_strdup (d->d_name));
      else if ((!tracked || git_index_find (&pos, scan->index, rel) != 0)
               && !is_ignored (scan->repo, rel, FALSE))
        g_ptr_array_add (scan->suspects, g_strdup (rel));
    }
  close (fd);

  for (guint i = 0; i < folders->len && scan->suspects->len <= MAX_SUSPECTS; i++)
    {
      gboolean sub_tracked;
      const char *rel;

      if (g_cancellable_is_cancelled (scan->cancellable))
        break;
      g_string_truncate (scan->path, len);
      g_string_append_c (scan->path, '/');
      g_string_append (scan->path, g_ptr_array_index (folders, i));
      rel = scan->path->str + scan->root_len;
      sub_tracked = tracked && is_tracked_folder (scan->index, rel);
      /* Only untracked folders can be ignored as a whole. */
      if (sub_tracked)
        scan_folder (scan, TRUE);
      else if (!is_ignored (scan->repo, rel, TRUE))
        {
          gsize sub_len = scan->path->len;
          struct stat st;

          /* Another repository inside: git shows the folder, not its files. */
          g_string_append (scan->path, "/.git");
          if (lstat (scan->path->str, &st) == 0)
            {
              g_string_truncate (scan->path, sub_len);
              g_ptr_array_add (scan->suspects, g_strconcat (scan->path->str + scan->root_len, "/", NULL));
            }
          else
            {
              g_string_truncate (scan->path, sub_len);
              scan_folder (scan, FALSE);
            }
        }
    }
  g_string_truncate (scan->path, len);
}

static gboolean
git_ok (int      rc,
        GError **error)
{
  if (rc >= 0)
    return TRUE;
  _sluice_vcs_set_error (NULL, rc, error);
  return FALSE;
}

/* Adds each entry's status flags to @flags (path → flags). */
static void
collect (git_status_list *list,
         GHashTable      *flags)
{
  for (size_t i = 0; i < git_status_list_entrycount (list); i++)
    {
      const git_status_entry *e = git_status_byindex (list, i);
      const git_diff_delta *d = e->index_to_workdir ? e->index_to_workdir : e->head_to_index;
      const char *path;
      gpointer old;

      if (d == NULL || (e->status & GIT_STATUS_IGNORED) || e->status == GIT_STATUS_CURRENT)
        continue;
      path = d->new_file.path ? d->new_file.path : d->old_file.path;
      old = g_hash_table_lookup (flags, path);
      g_hash_table_insert (flags, g_strdup (path), GUINT_TO_POINTER (GPOINTER_TO_UINT (old) | e->status));
    }
}

static git_status_list *
index_status (git_repository  *repo,
              GError         **error)
{
  git_status_options opts = GIT_STATUS_OPTIONS_INIT;
  git_status_list *list = NULL;

  opts.show = GIT_STATUS_SHOW_INDEX_ONLY;
  /* The index was read once for the whole status: reading it again could
   * free entries the scan thread is looking at. */
  opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_NO_REFRESH;
  if (!git_ok (git_status_list_new (&list, repo, &opts), error))
    return NULL;
  return list;
}

/* The working tree against the index, for @paths (NULL: everything).
 * Files whose stat data is stale but whose content is unchanged get fresh
 * stat data, and libgit2 then writes the index, so that the next status
 * has nothing to hash; when someone else holds the index lock, the
 * status is done again without that. */
static git_status_list *
workdir_status (git_repository  *repo,
                GPtrArray       *paths,
                GError         **error)
{
  git_status_options opts = GIT_STATUS_OPTIONS_INIT;
  git_status_list *list = NULL;
  int rc;

  opts.show = GIT_STATUS_SHOW_WORKDIR_ONLY;
  opts.flags = GIT_STATUS_OPT_EXCLUDE_SUBMODULES | GIT_STATUS_OPT_INCLUDE_UNTRACKED
               | GIT_STATUS_OPT_RECURSE_UNTRACKED_DIRS | GIT_STATUS_OPT_UPDATE_INDEX;
  if (paths != NULL)
    {
      opts.pathspec.strings = (char **) paths->pdata;
      opts.pathspec.count = paths->len;
      opts.flags |= GIT_STATUS_OPT_DISABLE_PATHSPEC_MATCH;
    }
  rc = git_status_list_new (&list, repo, &opts);
  if (rc == GIT_ELOCKED)
    {
      g_autoptr(git_index) index = NULL;

      /* The refreshed entries are in memory only: back to the disk's, so
       * that a later status refreshes (and writes) them again. */
      git_error_clear ();
      if (!git_ok (git_repository_index (&index, repo), error) || !git_ok (git_index_read (index, TRUE), error))
        return NULL;
      opts.flags &= ~GIT_STATUS_OPT_UPDATE_INDEX;
      rc = git_status_list_new (&list, repo, &opts);
    }
  if (!git_ok (rc, error))
    return NULL;
  return list;
}

GHashTable *
_sluice_vcs_status_flags (git_repository  *repo,
                          GCancellable    *cancellable,
                          GError         **error)
{
  g_autoptr(GHashTable) flags = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr(git_index) index = NULL;
  g_autoptr(git_status_list) staged = NULL;
  g_autoptr(git_status_list) unstaged = NULL;
  g_autoptr(GPtrArray) untracked = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GPtrArray) suspects = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autofree char *index_path = NULL;
  const char *workdir = git_repository_workdir (repo);
  TrackedScan tracked = { 0 };
  g_autofree UntrackedScan *walk = g_new0 (UntrackedScan, 1);
  GThread *thread;
  struct stat index_st = { 0 };
  size_t pos = 0;

  if (!git_ok (git_repository_index (&index, repo), error) || !git_ok (git_index_read (index, FALSE), error))
    return NULL;
  index_path = g_build_filename (git_repository_path (repo), "index", NULL);
  if (stat (index_path, &index_st) < 0)
    memset (&index_st, 0, sizeof index_st);

  tracked.workdir = workdir;
  tracked.index = index;
  tracked.n_entries = git_index_entrycount (index);
  /* Without an index file there are no entries. */
  tracked.index_mtime = index_st.st_mtim;
  tracked.suspects = g_ptr_array_new ();
  /* A lookup sorts the entries if they are not: the scan thread must not
   * see them move. */
  git_index_find (&pos, index, "");
  thread = g_thread_new ("sluice-status", scan_tracked, &tracked);

  /* Meanwhile: HEAD against the index, then the folders. */
  staged = index_status (repo, error);
  if (staged != NULL)
    {
      walk->repo = repo;
      walk->index = index;
      walk->path = g_string_new (workdir);
      while (walk->path->len > 1 && walk->path->str[walk->path->len - 1] == '/')
        g_string_truncate (walk->path, walk->path->len - 1);
      walk->root_len = walk->path->len + 1;
      walk->suspects = untracked;
      walk->cancellable = cancellable;
      scan_folder (walk, TRUE);
      g_string_free (walk->path, TRUE);
    }
  g_thread_join (thread);
  suspects = tracked.suspects;
  if (staged == NULL || g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;
  collect (staged, flags);

  /* Owned copies: the status below may read the index again. */
  all = g_ptr_array_new_full (suspects->len + untracked->len, g_free);
  for (guint i = 0; i < suspects->len; i++)
    g_ptr_array_add (all, g_strdup (g_ptr_array_index (suspects, i)));
  for (guint i = 0; i < untracked->len; i++)
    g_ptr_array_add (all, g_steal_pointer (&g_ptr_array_index (untracked, i)));

  if (all->len > MAX_SUSPECTS)
    {
      /* Much has changed: one ordinary status over everything. */
      if (!(unstaged = workdir_status (repo, NULL, error)))
        return NULL;
      collect (unstaged, flags);
    }
  else if (all->len > 0)
    {
      if (!(unstaged = workdir_status (repo, all, error)))
        return NULL;
      collect (unstaged, flags);
    }
  return g_steal_pointer (&flags);
}
