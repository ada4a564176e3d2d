/* Shared by the files of SluiceRepository: the worker-thread machinery. */
#pragma once

#include <git2.h>

#include "sluice-repository.h"

G_BEGIN_DECLS

G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_repository, git_repository_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_reference, git_reference_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_index, git_index_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_tree, git_tree_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_commit, git_commit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_object, git_object_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_signature, git_signature_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_status_list, git_status_list_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_diff, git_diff_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_patch, git_patch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_remote, git_remote_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_revwalk, git_revwalk_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_config, git_config_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_annotated_commit, git_annotated_commit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (git_branch_iterator, git_branch_iterator_free)

typedef struct _SluiceVcsOp SluiceVcsOp;

/* Runs on the worker. @repo is NULL for operations that make their own
 * (create, open, clone). Returns the result, or NULL with @error set. */
typedef gpointer (*SluiceVcsOpFunc) (SluiceVcsOp     *op,
                                     git_repository  *repo,
                                     GError         **error);

/* Everything an operation needs, copied from the caller: the main thread
 * never touches it again until the result is back. Reference counted, so
 * progress deliveries queued on the main context may outlive the task. */
struct _SluiceVcsOp
{
  SluiceVcsOpFunc        func;
  GDestroyNotify         result_free;
  char                  *workdir;       /* owned: where to open, create or clone */
  char                  *text;          /* owned: message, branch name, URL */
  char                  *name;          /* owned (nullable): fallback author */
  char                  *email;         /* owned (nullable) */
  char                 **paths;         /* owned (nullable) */
  int                    kind;
  guint                  count;
  SluiceVcsCredentials  *credentials;   /* owned (nullable) */
  SluiceVcsProgressFunc  progress;
  gpointer               progress_data;
  GDestroyNotify         progress_destroy;
  GMainContext          *context;       /* owned: the caller's */
  GCancellable          *cancellable;   /* owned (nullable) */

  /* worker-side state */
  char                  *host;          /* owned (nullable): for messages */
  guint                  auth_attempts;
  gboolean               auth_refused;
  gint64                 last_progress;
};

SluiceVcsOp *_sluice_vcs_op_new   (SluiceVcsOpFunc  func,
                                   GDestroyNotify   result_free,
                                   const char      *workdir,
                                   GCancellable    *cancellable);
SluiceVcsOp *_sluice_vcs_op_ref   (SluiceVcsOp     *op);
void         _sluice_vcs_op_unref (SluiceVcsOp     *op);

/* Runs @op in a thread for a task of @source_object (nullable). */
void         _sluice_vcs_op_run   (SluiceVcsOp         *op,
                                   gpointer             source_object,
                                   gpointer             source_tag,
                                   GAsyncReadyCallback  callback,
                                   gpointer             user_data);
/* The task's result (transfer full), checking validity and tag. */
gpointer     _sluice_vcs_op_finish (gpointer       source_object,
                                    GAsyncResult  *result,
                                    gpointer       source_tag,
                                    GError       **error);

/* Sets @error from libgit2's last error for return code @rc, in the
 * domain and code a caller acts on. */
void         _sluice_vcs_set_error (SluiceVcsOp  *op,
                                    int           rc,
                                    GError      **error);

/* The working copy's status as path → git_status_t flags (HEAD → index
 * and index → working tree, untracked files included, ignored ones not),
 * quickly on large working copies (sluice-repository-status.c). */
GHashTable  *_sluice_vcs_status_flags (git_repository  *repo,
                                       GCancellable    *cancellable,
                                       GError         **error);

/* Files with uncommitted changes (staged, unstaged or untracked), as a set
 * of paths. */
GHashTable  *_sluice_vcs_dirty_paths (git_repository *repo,
                                      GError        **error);
void         _sluice_vcs_sort_paths  (GPtrArray *paths);
/* "a.json, b.json and 3 more" */
char        *_sluice_vcs_join_paths  (GPtrArray *paths);

gpointer     _sluice_vcs_checkout_tree (SluiceVcsOp     *op,
                                        git_repository  *repo,
                                        git_object      *target,
                                        GError         **error);

SluiceRepository *_sluice_repository_new_for_workdir (char             *workdir);
const char       *_sluice_repository_peek_workdir   (SluiceRepository *self);

G_END_DECLS
