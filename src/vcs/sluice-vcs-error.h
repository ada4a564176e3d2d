#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define SLUICE_VCS_ERROR (sluice_vcs_error_quark ())

/* Cancellation is G_IO_ERROR_CANCELLED. Every message is one sentence. */
typedef enum {
  SLUICE_VCS_ERROR_FAILED,
  SLUICE_VCS_ERROR_NOT_A_REPOSITORY,   /* no git working copy at or above the folder */
  SLUICE_VCS_ERROR_AUTH,               /* the server refused the credentials */
  SLUICE_VCS_ERROR_UNREACHABLE,        /* the host could not be reached */
  SLUICE_VCS_ERROR_NON_FAST_FORWARD,   /* push: the remote has commits we don't have */
  SLUICE_VCS_ERROR_DIRTY,              /* uncommitted changes would be overwritten; the message names the files */
  SLUICE_VCS_ERROR_CONFLICTS,          /* unresolved merge conflicts stop a commit */
  SLUICE_VCS_ERROR_NOTHING_TO_COMMIT,  /* the index is the same as HEAD */
  SLUICE_VCS_ERROR_NOT_FOUND,          /* no such branch, remote or file */
  SLUICE_VCS_ERROR_EXISTS,             /* a branch or folder of that name exists */
} SluiceVcsError;

GQuark sluice_vcs_error_quark (void);

G_END_DECLS
