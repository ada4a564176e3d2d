/* Plain data the repository returns: produced on worker threads, read on the
 * main thread, each with its free function. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef struct _SluiceRepository SluiceRepository;

/* How one side (index or working tree) differs, like the letters of
 * `git status --short`. */
typedef enum {
  SLUICE_VCS_FILE_UNCHANGED,
  SLUICE_VCS_FILE_ADDED,        /* new in the index / untracked in the working tree */
  SLUICE_VCS_FILE_MODIFIED,
  SLUICE_VCS_FILE_DELETED,
  SLUICE_VCS_FILE_TYPE_CHANGED,
  SLUICE_VCS_FILE_CONFLICTED,
} SluiceVcsFileState;

typedef struct {
  char               *path;      /* relative to the working copy, '/' separated */
  SluiceVcsFileState  staged;    /* HEAD → index */
  SluiceVcsFileState  unstaged;  /* index → working tree (ADDED: untracked) */
} SluiceVcsStatusEntry;

void sluice_vcs_status_entry_free (SluiceVcsStatusEntry *entry);

typedef enum {
  SLUICE_VCS_DIFF_STAGED,    /* HEAD → index */
  SLUICE_VCS_DIFF_UNSTAGED,  /* index → working tree, untracked files included */
  SLUICE_VCS_DIFF_ALL,       /* HEAD → working tree */
} SluiceVcsDiffKind;

typedef struct {
  char *path;
  char *patch;   /* unified text of this file, `git diff` style; "Binary files differ" for binary */
} SluiceVcsFileDiff;

void sluice_vcs_file_diff_free (SluiceVcsFileDiff *diff);

typedef struct {
  char   *id;        /* full hex */
  char   *summary;   /* first line of the message */
  char   *author;    /* "Name <email>" */
  gint64  time;      /* seconds since the epoch */
} SluiceVcsCommit;

void sluice_vcs_commit_free (SluiceVcsCommit *commit);

typedef struct {
  char     *name;      /* "main", or "origin/main" for a remote branch */
  gboolean  remote;
  gboolean  current;
  char     *upstream;  /* (nullable): "origin/main" for a local branch that tracks one */
} SluiceVcsBranch;

void sluice_vcs_branch_free (SluiceVcsBranch *branch);

typedef enum {
  SLUICE_VCS_PULL_UP_TO_DATE,
  SLUICE_VCS_PULL_FAST_FORWARD,
  SLUICE_VCS_PULL_MERGED,      /* a merge commit was made */
  SLUICE_VCS_PULL_CONFLICTS,   /* the repository is mid-merge; see conflicts */
} SluiceVcsPullOutcome;

typedef struct {
  SluiceVcsPullOutcome  outcome;
  char                **conflicts;  /* (nullable): conflicted paths, NULL-terminated */
} SluiceVcsPullResult;

void sluice_vcs_pull_result_free (SluiceVcsPullResult *result);

/* Progress of a clone, fetch or push, delivered on the caller's main context. */
typedef struct {
  guint   total_objects;
  guint   received_objects;   /* for a push: objects sent */
  guint   indexed_objects;
  guint64 received_bytes;     /* for a push: bytes sent */
} SluiceVcsProgress;

typedef void (*SluiceVcsProgressFunc) (const SluiceVcsProgress *progress,
                                       gpointer                 user_data);

/* How a remote operation authenticates: a personal access token and, when
 * the caller knows it, the user name (NULL: the host's convention, see
 * sluice_vcs_user_for_host()). Sluice never reads or stores a token itself;
 * the caller supplies it (from the keyring) and it is only handed to
 * libgit2's credential callback, never put in a URL or a config file. */
typedef struct {
  char *user;    /* (nullable) */
  char *token;
} SluiceVcsCredentials;

SluiceVcsCredentials *sluice_vcs_credentials_new  (const char *user,
                                                   const char *token);
SluiceVcsCredentials *sluice_vcs_credentials_copy (const SluiceVcsCredentials *credentials);
/* Wipes the token before freeing it. */
void                  sluice_vcs_credentials_free (SluiceVcsCredentials *credentials);

/* The user name a host expects with a token: GitHub "x-access-token",
 * GitLab "oauth2", Bitbucket "x-token-auth", Azure DevOps any non-empty
 * name ("sluice"); NULL for other hosts (Gitea and the like take the account
 * name, or the token itself, which is what is sent when the caller gives no
 * user). */
const char *sluice_vcs_user_for_host (const char *host);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceVcsStatusEntry, sluice_vcs_status_entry_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceVcsFileDiff, sluice_vcs_file_diff_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceVcsCommit, sluice_vcs_commit_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceVcsBranch, sluice_vcs_branch_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceVcsPullResult, sluice_vcs_pull_result_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (SluiceVcsCredentials, sluice_vcs_credentials_free)

G_END_DECLS
