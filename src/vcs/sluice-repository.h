#pragma once

#include <gio/gio.h>

#include "sluice-vcs-error.h"
#include "sluice-vcs-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_REPOSITORY (sluice_repository_get_type ())

G_DECLARE_FINAL_TYPE (SluiceRepository, sluice_repository, SLUICE, REPOSITORY, GObject)

/* A git working copy, through libgit2 (docs/git.md). Every operation runs
 * in a worker thread (one at a time on the libgit2 handle the repository
 * keeps; one that finds it busy opens its own) and completes on the main
 * context that was current when it started. Remote operations take their
 * credentials from the caller and report progress on that main context.
 *
 * Property: workdir (the working copy's top folder, read-only). */

const char       *sluice_repository_get_workdir   (SluiceRepository *self);

/* ---- getting a repository ---- */

/* git init at @path (created if needed; an existing repository is kept)
 * with HEAD on "main", plus what a Sluice project needs: `.sluice/` in
 * .gitignore, a merge=sluice line for the pipeline files in .gitattributes, and
 * merge.sluice.driver = "sluice-cli merge-driver %O %A %B" in .git/config
 * (command-line git then needs sluice-cli on PATH). Existing lines are kept;
 * missing ones are appended. */
void              sluice_repository_create_async  (const char          *path,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
SluiceRepository *sluice_repository_create_finish (GAsyncResult        *result,
                                                   GError             **error);

/* Opens the working copy that holds @path, looking upward from it.
 * SLUICE_VCS_ERROR_NOT_A_REPOSITORY when there is none. */
void              sluice_repository_open_async    (const char          *path,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
SluiceRepository *sluice_repository_open_finish   (GAsyncResult        *result,
                                                   GError             **error);

/* Clones @url (HTTPS, or HTTP to loopback) into @path, which must not exist
 * or be empty. Credentials embedded in @url are taken out of it: the URL
 * stored in .git/config never holds one. An empty remote gets HEAD on
 * "main". @progress is called on the caller's main context, and
 * @progress_data freed with @progress_destroy when the clone is over. */
void              sluice_repository_clone_async   (const char                 *url,
                                                   const char                 *path,
                                                   const SluiceVcsCredentials *credentials,
                                                   SluiceVcsProgressFunc       progress,
                                                   gpointer                    progress_data,
                                                   GDestroyNotify              progress_destroy,
                                                   GCancellable               *cancellable,
                                                   GAsyncReadyCallback         callback,
                                                   gpointer                    user_data);
SluiceRepository *sluice_repository_clone_finish  (GAsyncResult               *result,
                                                   GError                    **error);

/* ---- the working copy ---- */

/* (transfer full): SluiceVcsStatusEntry, sorted by path; untracked files
 * included (each file, not folders), ignored ones not; no rename detection. */
void       sluice_repository_status_async  (SluiceRepository    *self,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *sluice_repository_status_finish (SluiceRepository    *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* (transfer full): SluiceVcsFileDiff, one per changed file, sorted by
 * path; @paths (nullable) limits it to those files. */
void       sluice_repository_diff_async    (SluiceRepository    *self,
                                            SluiceVcsDiffKind    kind,
                                            const char * const  *paths,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
GPtrArray *sluice_repository_diff_finish   (SluiceRepository    *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* Stages @paths as they are in the working tree (a deleted file is staged
 * as deleted). Unstage puts the index entry back to HEAD's (or removes it
 * when HEAD does not have the file). */
void       sluice_repository_stage_async   (SluiceRepository    *self,
                                            const char * const  *paths,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean   sluice_repository_stage_finish  (SluiceRepository    *self,
                                            GAsyncResult        *result,
                                            GError             **error);
void       sluice_repository_unstage_async (SluiceRepository    *self,
                                            const char * const  *paths,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
gboolean   sluice_repository_unstage_finish (SluiceRepository   *self,
                                             GAsyncResult       *result,
                                             GError            **error);

/* Commits the index on the current branch. The author is user.name and
 * user.email from git config; @name and @email (nullable) are used only
 * when git config has none. Refuses an index equal to HEAD
 * (SLUICE_VCS_ERROR_NOTHING_TO_COMMIT) and unresolved conflicts
 * (SLUICE_VCS_ERROR_CONFLICTS); concludes a merge in progress.
 * (transfer full): the new commit's id. */
void       sluice_repository_commit_async  (SluiceRepository    *self,
                                            const char          *message,
                                            const char          *name,
                                            const char          *email,
                                            GCancellable        *cancellable,
                                            GAsyncReadyCallback  callback,
                                            gpointer             user_data);
char      *sluice_repository_commit_finish (SluiceRepository    *self,
                                            GAsyncResult        *result,
                                            GError             **error);

/* (transfer full): SluiceVcsCommit, newest first, the commits of the
 * current branch that changed @path (NULL: every commit), at most
 * @max_count (0: no limit). */
void       sluice_repository_history_async  (SluiceRepository    *self,
                                             const char          *path,
                                             guint                max_count,
                                             GCancellable        *cancellable,
                                             GAsyncReadyCallback  callback,
                                             gpointer             user_data);
GPtrArray *sluice_repository_history_finish (SluiceRepository    *self,
                                             GAsyncResult        *result,
                                             GError             **error);

/* ---- branches ---- */

/* (transfer full): SluiceVcsBranch, local ones first, each group sorted. */
void       sluice_repository_list_branches_async  (SluiceRepository    *self,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
GPtrArray *sluice_repository_list_branches_finish (SluiceRepository    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Creates @name at HEAD (does not switch to it). */
void       sluice_repository_create_branch_async  (SluiceRepository    *self,
                                                   const char          *name,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean   sluice_repository_create_branch_finish (SluiceRepository    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* Checks out the local branch @name (or, for "origin/x", a new local "x"
 * tracking it) safely: uncommitted changes to files the switch would
 * change, and untracked files it would overwrite, make it refuse with
 * SLUICE_VCS_ERROR_DIRTY naming them, touching nothing. Changes to other
 * files are carried over, as git does. */
void       sluice_repository_switch_branch_async  (SluiceRepository    *self,
                                                   const char          *name,
                                                   GCancellable        *cancellable,
                                                   GAsyncReadyCallback  callback,
                                                   gpointer             user_data);
gboolean   sluice_repository_switch_branch_finish (SluiceRepository    *self,
                                                   GAsyncResult        *result,
                                                   GError             **error);

/* ---- remotes (sluice-repository-remote.c) ---- */

/* Fetches "origin". */
void       sluice_repository_fetch_async  (SluiceRepository           *self,
                                           const SluiceVcsCredentials *credentials,
                                           SluiceVcsProgressFunc       progress,
                                           gpointer                    progress_data,
                                           GDestroyNotify              progress_destroy,
                                           GCancellable               *cancellable,
                                           GAsyncReadyCallback         callback,
                                           gpointer                    user_data);
gboolean   sluice_repository_fetch_finish (SluiceRepository           *self,
                                           GAsyncResult               *result,
                                           GError                    **error);

/* Fetches, then brings the current branch up to its upstream (or
 * origin/<same name>): a fast-forward when possible, else a merge commit.
 * Refuses with SLUICE_VCS_ERROR_DIRTY, naming them, when the incoming
 * changes touch files with uncommitted changes (or untracked files they
 * would create); nothing is changed then. Conflicts are never resolved:
 * the outcome is SLUICE_VCS_PULL_CONFLICTS with the paths, the repository
 * is left mid-merge (conflicted files in the index), and a later commit
 * concludes it. Pipeline files merge through the function given to
 * sluice_vcs_set_pipeline_merge_func(), when there is one. @name and
 * @email: the merge commit's author when git config has none. */
void                 sluice_repository_pull_async  (SluiceRepository           *self,
                                                    const SluiceVcsCredentials *credentials,
                                                    const char                 *name,
                                                    const char                 *email,
                                                    SluiceVcsProgressFunc       progress,
                                                    gpointer                    progress_data,
                                                    GDestroyNotify              progress_destroy,
                                                    GCancellable               *cancellable,
                                                    GAsyncReadyCallback         callback,
                                                    gpointer                    user_data);
SluiceVcsPullResult *sluice_repository_pull_finish (SluiceRepository           *self,
                                                    GAsyncResult               *result,
                                                    GError                    **error);

/* Pushes the current branch to the same name on "origin" and makes that
 * its upstream. A non-fast-forward is SLUICE_VCS_ERROR_NON_FAST_FORWARD:
 * "The remote has commits you don't have; pull first." */
void       sluice_repository_push_async  (SluiceRepository           *self,
                                          const SluiceVcsCredentials *credentials,
                                          SluiceVcsProgressFunc       progress,
                                          gpointer                    progress_data,
                                          GDestroyNotify              progress_destroy,
                                          GCancellable               *cancellable,
                                          GAsyncReadyCallback         callback,
                                          gpointer                    user_data);
gboolean   sluice_repository_push_finish (SluiceRepository           *self,
                                          GAsyncResult               *result,
                                          GError                    **error);

/* ---- pipeline merges inside Sluice ---- */

/* How Sluice's own merges (pull) merge a file whose .gitattributes say
 * merge=sluice, as `sluice-cli merge-driver` does for command-line git:
 * return the merged bytes (setting *@conflicted when the result still has
 * conflicts: the file is then written but stays conflicted in the index),
 * or NULL for libgit2's text merge. Called on worker threads: it must be
 * thread-safe. The vcs layer knows no pipelines, so the caller (app, CLI)
 * passes the core's merge here, once, before any pull. */
typedef GBytes *(*SluiceVcsMergeFunc) (GBytes   *base,
                                       GBytes   *ours,
                                       GBytes   *theirs,
                                       gboolean *conflicted,
                                       gpointer  user_data);

void sluice_vcs_set_pipeline_merge_func (SluiceVcsMergeFunc func,
                                         gpointer           user_data);

G_END_DECLS
