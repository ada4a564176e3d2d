/* Helpers for the vcs tests: blocking wrappers over the async API (a main
 * loop spun until the result is back), files, and the git server. */
#pragma once

#include "sluice-repository.h"

G_BEGIN_DECLS

/* Isolates git from the machine: HOME, no system config. Call first. */
void          vcs_test_init_env   (void);

/* Spins the thread-default main context until *@result is set. */
GAsyncResult *vcs_test_wait       (GAsyncResult **result);
void          vcs_test_store_cb   (GObject       *source,
                                   GAsyncResult  *result,
                                   gpointer       user_data);

char         *vcs_test_tmpdir     (const char    *name);
void          vcs_test_write      (const char    *dir,
                                   const char    *rel,
                                   const char    *text);
char         *vcs_test_read       (const char    *dir,
                                   const char    *rel);
/* SHA-256 over every path and byte of the working tree, .git excluded. */
char         *vcs_test_tree_hash  (const char    *dir);
/* Runs git with @args (NULL-terminated) in @dir; returns its exit status;
 * @out (optional) gets stdout+stderr. */
int           vcs_test_git        (const char    *dir,
                                   char         **out,
                                   ...) G_GNUC_NULL_TERMINATED;

/* A seed for a randomized test: $SLUICE_TEST_SEED when set, else a fresh
 * one; printed (as a TAP comment) so that a failure can be replayed. */
guint32       vcs_test_seed       (const char    *test);

SluiceRepository *vcs_test_create (const char *path);
SluiceRepository *vcs_test_open   (const char *path, GError **error);
gboolean          vcs_test_stage  (SluiceRepository *repo, const char *path);
char             *vcs_test_commit (SluiceRepository *repo, const char *message, GError **error);
GPtrArray        *vcs_test_status (SluiceRepository *repo);

/* The git server: NULL (and the test skipped) when lighttpd is missing. */
typedef struct {
  char *dir;
  char *base_url;   /* http://127.0.0.1:PORT/git/ */
} VcsTestServer;

VcsTestServer *vcs_test_server_start (const char *user,
                                      const char *token,
                                      const char * const *repos);
void           vcs_test_server_stop  (VcsTestServer *server);

G_END_DECLS
