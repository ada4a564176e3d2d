/* SluiceRepository against a real git server: lighttpd + git-http-backend
 * with basic auth on 127.0.0.1 (tests/servers/git-http-server.sh). */
#include "config.h"

#include <string.h>

#include "sluice-core.h"
#include "sluice-pipeline-merge.h"
#include "vcs-pipelines.h"
#include "vcs-test-util.h"

#define USER  "alice"
#define TOKEN "tok-alice-123"

static const char * const one_repo[] = { "sluice", NULL };

static SluiceVcsCredentials *
good_credentials (void)
{
  return sluice_vcs_credentials_new (USER, TOKEN);
}

static void
count_progress (const SluiceVcsProgress *progress,
                gpointer                 user_data)
{
  (*(guint *) user_data)++;
}

static SluiceRepository *
clone_into (const char                 *url,
            const char                 *path,
            const SluiceVcsCredentials *credentials,
            guint                      *progress_calls,
            GError                    **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sluice_repository_clone_async (url, path, credentials, progress_calls ? count_progress : NULL,
                                 progress_calls, NULL, NULL, vcs_test_store_cb, &result);
  return sluice_repository_clone_finish (vcs_test_wait (&result), error);
}

/* Into a new folder named after @name. */
static SluiceRepository *
clone_fresh (const char                 *url,
             const char                 *name,
             const SluiceVcsCredentials *credentials,
             guint                      *progress_calls,
             GError                    **error)
{
  g_autofree char *dir = vcs_test_tmpdir (name);

  return clone_into (url, dir, credentials, progress_calls, error);
}

static gboolean
push (SluiceRepository  *repo,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();

  sluice_repository_push_async (repo, credentials, NULL, NULL, NULL, NULL, vcs_test_store_cb, &result);
  return sluice_repository_push_finish (repo, vcs_test_wait (&result), error);
}

static SluiceVcsPullResult *
pull (SluiceRepository  *repo,
      GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();

  sluice_repository_pull_async (repo, credentials, "Test Author", "test@example.com", NULL, NULL, NULL, NULL,
                                vcs_test_store_cb, &result);
  return sluice_repository_pull_finish (repo, vcs_test_wait (&result), error);
}

static gboolean
switch_to (SluiceRepository  *repo,
           const char        *name,
           GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sluice_repository_switch_branch_async (repo, name, NULL, vcs_test_store_cb, &result);
  return sluice_repository_switch_branch_finish (repo, vcs_test_wait (&result), error);
}

static void
commit_file (SluiceRepository *repo,
             const char       *rel,
             const char       *text,
             const char       *message)
{
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  vcs_test_write (sluice_repository_get_workdir (repo), rel, text);
  vcs_test_stage (repo, rel);
  id = vcs_test_commit (repo, message, &error);
  g_assert_no_error (error);
}

/* No file under .git mentions the token. */
static void
assert_no_token_in (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);
  const char *name;

  g_assert_nonnull (d);
  while ((name = g_dir_read_name (d)))
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autofree char *text = NULL;
      gsize len = 0;

      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        assert_no_token_in (path);
      else if (g_file_get_contents (path, &text, &len, NULL))
        g_assert_null (g_strstr_len (text, (gssize) len, TOKEN));
    }
}

static char *
url_of (VcsTestServer *server,
        const char    *repo)
{
  return g_strdup_printf ("%s%s.git", server->base_url, repo);
}

static void
test_clone_push_pull_with_the_right_token (void)
{
  VcsTestServer *server = vcs_test_server_start (USER, TOKEN, one_repo);
  g_autofree char *url = NULL;
  g_autofree char *a_dir = NULL;
  g_autofree char *b_dir = NULL;
  g_autofree char *out = NULL;
  g_autofree char *embedded = NULL;
  g_autofree char *git_dir = NULL;
  g_autofree char *text = NULL;
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();
  g_autoptr(SluiceRepository) a = NULL;
  g_autoptr(SluiceRepository) b = NULL;
  g_autoptr(SluiceVcsPullResult) pulled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *bare = NULL;
  guint progress_calls = 0;

  if (server == NULL)
    return;
  url = url_of (server, "sluice");
  a_dir = vcs_test_tmpdir ("a");
  b_dir = vcs_test_tmpdir ("b");

  a = clone_into (url, a_dir, credentials, NULL, &error);
  g_assert_no_error (error);
  commit_file (a, "pipelines/orders.json", "{}\n", "First");
  g_assert_true (push (a, &error));
  g_assert_no_error (error);
  bare = g_build_filename (server->dir, "repos", "sluice.git", NULL);
  vcs_test_git (bare, &out, "log", "--format=%s", "main", NULL);
  g_assert_cmpstr (out, ==, "First\n");
  g_clear_pointer (&out, g_free);
  vcs_test_git (a_dir, &out, "status", "-sb", NULL);
  g_assert_true (g_str_has_prefix (out, "## main...origin/main"));

  /* A token inside the URL is taken out of it. */
  embedded = g_strdup_printf ("http://%s:%s@%s", USER, TOKEN, url + strlen ("http://"));
  b = clone_into (embedded, b_dir, NULL, &progress_calls, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (progress_calls, >, 0);
  text = vcs_test_read (b_dir, "pipelines/orders.json");
  g_assert_cmpstr (text, ==, "{}\n");
  g_clear_pointer (&out, g_free);
  vcs_test_git (b_dir, &out, "config", "remote.origin.url", NULL);
  g_assert_cmpstr (g_strchomp (out), ==, url);
  git_dir = g_build_filename (b_dir, ".git", NULL);
  assert_no_token_in (git_dir);
  g_free (git_dir);
  git_dir = g_build_filename (a_dir, ".git", NULL);
  assert_no_token_in (git_dir);

  commit_file (a, "pipelines/orders.json", "{\"v\": 2}\n", "Second");
  g_assert_true (push (a, &error));
  pulled = pull (b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pulled->outcome, ==, SLUICE_VCS_PULL_FAST_FORWARD);
  g_free (text);
  text = vcs_test_read (b_dir, "pipelines/orders.json");
  g_assert_cmpstr (text, ==, "{\"v\": 2}\n");
  g_clear_pointer (&pulled, sluice_vcs_pull_result_free);
  pulled = pull (b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pulled->outcome, ==, SLUICE_VCS_PULL_UP_TO_DATE);

  vcs_test_server_stop (server);
}

static void
test_wrong_token_is_a_clear_authentication_error (void)
{
  VcsTestServer *server = vcs_test_server_start (USER, TOKEN, one_repo);
  g_autofree char *url = NULL;
  g_autofree char *dir = NULL;
  g_autoptr(SluiceVcsCredentials) wrong = sluice_vcs_credentials_new (USER, "not-the-token");
  g_autoptr(SluiceRepository) repo = NULL;
  g_autoptr(GError) error = NULL;
  gint64 start;

  if (server == NULL)
    return;
  url = url_of (server, "sluice");
  dir = vcs_test_tmpdir ("wrong");
  start = g_get_monotonic_time ();
  repo = clone_into (url, dir, wrong, NULL, &error);
  g_assert_null (repo);
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_AUTH);
  g_assert_cmpstr (error->message, ==, "The server refused the credentials for alice at 127.0.0.1.");
  g_assert_null (strstr (error->message, "not-the-token"));
  /* No 1 s delay per 401 (auth.delay-invalid-creds is off). */
  g_assert_cmpint (g_get_monotonic_time () - start, <, 900 * G_TIME_SPAN_MILLISECOND);
  g_clear_error (&error);

  repo = clone_into (url, dir, NULL, NULL, &error);
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_AUTH);
  g_assert_nonnull (strstr (error->message, "none were given"));
  vcs_test_server_stop (server);
}

static void
test_unreachable_host_is_a_clear_error (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("unreachable");
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();
  g_autoptr(SluiceRepository) repo = NULL;
  g_autoptr(GError) error = NULL;

  /* Port 1 on loopback: nothing listens, the connection is refused at once. */
  repo = clone_into ("http://127.0.0.1:1/git/sluice.git", dir, credentials, NULL, &error);
  g_assert_null (repo);
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_UNREACHABLE);
  g_assert_true (g_str_has_prefix (error->message, "127.0.0.1 could not be reached"));
}

static void
test_rejected_push_says_pull_first (void)
{
  VcsTestServer *server = vcs_test_server_start (USER, TOKEN, one_repo);
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();
  g_autoptr(SluiceRepository) a = NULL;
  g_autoptr(SluiceRepository) b = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;

  if (server == NULL)
    return;
  url = url_of (server, "sluice");
  a = clone_fresh (url, "a", credentials, NULL, &error);
  commit_file (a, "x.txt", "1\n", "x");
  g_assert_true (push (a, &error));
  b = clone_fresh (url, "b", credentials, NULL, &error);
  g_assert_no_error (error);
  commit_file (a, "x.txt", "2\n", "x2");
  g_assert_true (push (a, &error));
  commit_file (b, "y.txt", "b\n", "y");
  g_assert_false (push (b, &error));
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NON_FAST_FORWARD);
  g_assert_cmpstr (error->message, ==, "The remote has commits you don't have; pull first.");
  vcs_test_server_stop (server);
}

static void
test_conflicts_between_two_clones (void)
{
  VcsTestServer *server = vcs_test_server_start (USER, TOKEN, one_repo);
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();
  g_autoptr(SluiceRepository) a = NULL;
  g_autoptr(SluiceRepository) b = NULL;
  g_autoptr(SluiceVcsPullResult) pulled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *id = NULL;
  g_autofree char *out = NULL;

  if (server == NULL)
    return;
  url = url_of (server, "sluice");
  a = clone_fresh (url, "a", credentials, NULL, &error);
  commit_file (a, "notes.txt", "one\ntwo\nthree\n", "notes");
  commit_file (a, "other.txt", "o\n", "other");
  g_assert_true (push (a, &error));
  b = clone_fresh (url, "b", credentials, NULL, &error);
  g_assert_no_error (error);

  /* Different files: a merge commit. */
  commit_file (a, "other.txt", "a's\n", "a edits other");
  g_assert_true (push (a, &error));
  commit_file (b, "notes.txt", "one\ntwo\nthree\nfour\n", "b edits notes");
  pulled = pull (b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pulled->outcome, ==, SLUICE_VCS_PULL_MERGED);
  vcs_test_git (sluice_repository_get_workdir (b), &out, "log", "-1", "--format=%p", NULL);
  g_assert_nonnull (strchr (g_strchomp (out), ' '));   /* two parents */
  g_assert_true (push (b, &error));
  g_clear_pointer (&pulled, sluice_vcs_pull_result_free);
  pulled = pull (a, &error);
  g_assert_cmpint (pulled->outcome, ==, SLUICE_VCS_PULL_FAST_FORWARD);

  /* The same line: conflicts listed, never resolved for the user. */
  commit_file (a, "notes.txt", "one\nTWO (a)\nthree\nfour\n", "a");
  g_assert_true (push (a, &error));
  commit_file (b, "notes.txt", "one\nTWO (b)\nthree\nfour\n", "b");
  g_clear_pointer (&pulled, sluice_vcs_pull_result_free);
  pulled = pull (b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pulled->outcome, ==, SLUICE_VCS_PULL_CONFLICTS);
  g_assert_cmpuint (g_strv_length (pulled->conflicts), ==, 1);
  g_assert_cmpstr (pulled->conflicts[0], ==, "notes.txt");
  id = vcs_test_commit (b, "too early", &error);
  g_assert_null (id);
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_CONFLICTS);
  g_assert_nonnull (strstr (error->message, "notes.txt"));
  g_clear_error (&error);

  /* Resolved by hand, staged: the commit concludes the merge. */
  vcs_test_write (sluice_repository_get_workdir (b), "notes.txt", "one\nTWO\nthree\nfour\n");
  vcs_test_stage (b, "notes.txt");
  id = vcs_test_commit (b, "Merge", &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  vcs_test_git (sluice_repository_get_workdir (b), &out, "status", "--porcelain", NULL);
  g_assert_cmpstr (out, ==, "");
  g_assert_true (push (b, &error));
  g_assert_no_error (error);
  vcs_test_server_stop (server);
}

/* ---- pipeline files merged inside Sluice's pull ---- */

static GBytes *
merge_pipelines (GBytes   *base,
                 GBytes   *ours,
                 GBytes   *theirs,
                 gboolean *conflicted,
                 gpointer  user_data)
{
  g_autoptr(GPtrArray) conflicts = NULL;
  GBytes *merged = sluice_pipeline_merge (base, ours, theirs, TRUE, &conflicts, NULL);

  if (merged != NULL)
    *conflicted = conflicts->len > 0;
  return merged;
}

static char *
pipeline_text (const char *label,
               const char *condition,
               int         x)
{
  return g_strdup_printf (VCS_TEST_PIPELINE, label, x, condition);
}

static void
test_pull_merges_pipelines_gem_by_gem (void)
{
  VcsTestServer *server = vcs_test_server_start (USER, TOKEN, one_repo);
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();
  g_autoptr(SluiceRepository) a = NULL;
  g_autoptr(SluiceRepository) b = NULL;
  g_autoptr(SluiceVcsPullResult) pulled = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *url = NULL;
  g_autofree char *base = pipeline_text ("Orders", "amount > 1", 320);
  g_autofree char *a_text = pipeline_text ("Orders", "amount > 1", 400);
  g_autofree char *b_text = pipeline_text ("All orders", "amount > 1", 320);
  g_autofree char *merged = NULL;
  g_autofree char *a2 = NULL;
  g_autofree char *b2 = NULL;
  g_autofree char *left = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(SluicePipeline) pipeline = NULL;
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);

  if (server == NULL)
    return;
  sluice_vcs_set_pipeline_merge_func (merge_pipelines, NULL);
  url = url_of (server, "sluice");
  a = clone_fresh (url, "a", credentials, NULL, &error);
  commit_file (a, ".gitattributes", "pipelines/*.json merge=sluice\n", "attributes");
  commit_file (a, "pipelines/p.json", base, "p");
  g_assert_true (push (a, &error));
  b = clone_fresh (url, "b", credentials, NULL, &error);
  g_assert_no_error (error);

  /* a moves the filter, b relabels the source: both kept. */
  commit_file (a, "pipelines/p.json", a_text, "move");
  g_assert_true (push (a, &error));
  commit_file (b, "pipelines/p.json", b_text, "relabel");
  pulled = pull (b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pulled->outcome, ==, SLUICE_VCS_PULL_MERGED);
  merged = vcs_test_read (sluice_repository_get_workdir (b), "pipelines/p.json");
  g_assert_nonnull (strstr (merged, "\"label\": \"All orders\""));
  g_assert_nonnull (strstr (merged, "{\"x\": 400, \"y\": 120}"));
  g_assert_true (push (b, &error));
  g_clear_pointer (&pulled, sluice_vcs_pull_result_free);
  pulled = pull (a, &error);
  g_assert_cmpint (pulled->outcome, ==, SLUICE_VCS_PULL_FAST_FORWARD);

  /* The same field both ways: a conflict, left for the user. */
  a2 = pipeline_text ("All orders", "amount > 2", 400);
  b2 = pipeline_text ("All orders", "amount > 3", 400);
  commit_file (a, "pipelines/p.json", a2, "a: > 2");
  g_assert_true (push (a, &error));
  commit_file (b, "pipelines/p.json", b2, "b: > 3");
  g_clear_pointer (&pulled, sluice_vcs_pull_result_free);
  pulled = pull (b, &error);
  g_assert_no_error (error);
  g_assert_cmpint (pulled->outcome, ==, SLUICE_VCS_PULL_CONFLICTS);
  g_assert_cmpstr (pulled->conflicts[0], ==, "pipelines/p.json");
  left = vcs_test_read (sluice_repository_get_workdir (b), "pipelines/p.json");
  g_assert_null (strstr (left, "<<<<<<<"));
  g_assert_nonnull (strstr (left, "\"condition\": \"amount > 3\""));
  g_assert_nonnull (strstr (left, "\"merge_conflicts\""));
  bytes = g_bytes_new (left, strlen (left));
  pipeline = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, diagnostics, &error);
  g_assert_no_error (error);
  g_assert_nonnull (pipeline);

  sluice_vcs_set_pipeline_merge_func (NULL, NULL);
  vcs_test_server_stop (server);
}

/* ---- uncommitted work is never lost ---- */

/* Cancels as soon as objects are arriving but not all of them are. */
typedef struct {
  GCancellable *cancellable;
  guint         calls;
  guint         received_at_cancel;
  guint         total_at_cancel;
} CancelMidway;

static void
cancel_midway (const SluiceVcsProgress *progress,
               gpointer                 user_data)
{
  CancelMidway *c = user_data;

  c->calls++;
  if (!g_cancellable_is_cancelled (c->cancellable) && progress->total_objects > 0
      && progress->received_objects < progress->total_objects)
    {
      c->received_at_cancel = progress->received_objects;
      c->total_at_cancel = progress->total_objects;
      g_cancellable_cancel (c->cancellable);
    }
}

static char *
rev_parse (const char *dir,
           const char *what)
{
  g_autofree char *out = NULL;

  g_assert_cmpint (vcs_test_git (dir, &out, "rev-parse", "--verify", what, NULL), ==, 0);
  return g_strdup (g_strchomp (out));
}

/* No file of the folder tree under @dir (recursively). */
static gboolean
is_empty_or_missing (const char *dir)
{
  g_autoptr(GDir) d = g_dir_open (dir, 0, NULL);

  return d == NULL || g_dir_read_name (d) == NULL;
}

static void
test_cancelled_clone_and_fetch_leave_things_consistent (void)
{
  VcsTestServer *server = vcs_test_server_start (USER, TOKEN, one_repo);
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();
  g_autoptr(SluiceRepository) a = NULL;
  g_autoptr(SluiceRepository) b = NULL;
  g_autoptr(SluiceRepository) c = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GRand) rand = g_rand_new_with_seed (vcs_test_seed ("cancelled-transfers"));
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *url = NULL;
  g_autofree char *c_dir = NULL;
  g_autofree char *bare = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *old_tip = NULL;
  g_autofree char *tip = NULL;
  g_autofree char *fetched = NULL;
  g_autofree char *a_hash = NULL;
  g_autofree char *c_hash = NULL;
  g_autofree char *out = NULL;
  CancelMidway midway = { 0 };
  const char *a_dir;

  if (server == NULL)
    return;
  url = url_of (server, "sluice");
  a = clone_fresh (url, "a", credentials, NULL, &error);
  g_assert_no_error (error);
  a_dir = sluice_repository_get_workdir (a);
  commit_file (a, "pipelines/small.json", "{}\n", "small");
  g_assert_true (push (a, &error));
  b = clone_fresh (url, "b", credentials, NULL, &error);
  g_assert_no_error (error);
  old_tip = rev_parse (sluice_repository_get_workdir (b), "refs/remotes/origin/main");

  /* 16 MiB that does not compress: a transfer that lasts. */
  for (guint i = 0; i < 256; i++)
    {
      g_autofree char *rel = g_strdup_printf ("data/blob%03u.bin", i);
      g_autofree char *path = g_build_filename (a_dir, rel, NULL);
      g_autofree char *folder = g_path_get_dirname (path);
      g_autofree guint32 *bytes = g_new (guint32, 16384);

      for (guint j = 0; j < 16384; j++)
        bytes[j] = g_rand_int (rand);
      g_mkdir_with_parents (folder, 0755);
      g_assert_true (g_file_set_contents (path, (const char *) bytes, 16384 * sizeof (guint32), NULL));
    }
  g_assert_cmpint (vcs_test_git (a_dir, NULL, "add", "-A", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (a_dir, NULL, "-c", "user.name=T", "-c", "user.email=t@example.com",
                                 "commit", "-qm", "big", NULL), ==, 0);
  /* Straight into the server's repository (a 16 MiB push over HTTP is not
   * what this test is about). */
  bare = g_build_filename (server->dir, "repos", "sluice.git", NULL);
  g_assert_cmpint (vcs_test_git (a_dir, NULL, "push", "-q", bare, "main", NULL), ==, 0);
  tip = rev_parse (a_dir, "HEAD");

  /* A clone cancelled midway: an error saying so, and nothing left. */
  c_dir = vcs_test_tmpdir ("c");
  midway.cancellable = g_cancellable_new ();
  sluice_repository_clone_async (url, c_dir, credentials, cancel_midway, &midway, NULL, midway.cancellable,
                                 vcs_test_store_cb, &result);
  c = sluice_repository_clone_finish (vcs_test_wait (&result), &error);
  g_assert_null (c);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (midway.total_at_cancel, >, 0);
  g_assert_cmpuint (midway.received_at_cancel, <, midway.total_at_cancel);
  g_assert_true (is_empty_or_missing (c_dir));
  g_clear_error (&error);
  g_clear_object (&result);
  g_clear_object (&midway.cancellable);

  /* The same folder takes a whole clone afterwards. */
  c = clone_into (url, c_dir, credentials, NULL, &error);
  g_assert_no_error (error);
  a_hash = vcs_test_tree_hash (a_dir);
  c_hash = vcs_test_tree_hash (c_dir);
  g_assert_cmpstr (a_hash, ==, c_hash);

  /* A fetch cancelled midway: the remote branch, the working tree and the
   * object store are as they were, and the next fetch completes. */
  before = vcs_test_tree_hash (sluice_repository_get_workdir (b));
  midway = (CancelMidway) { g_cancellable_new (), 0, 0, 0 };
  sluice_repository_fetch_async (b, credentials, cancel_midway, &midway, NULL, midway.cancellable,
                                 vcs_test_store_cb, &result);
  g_assert_false (sluice_repository_fetch_finish (b, vcs_test_wait (&result), &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (midway.received_at_cancel, <, midway.total_at_cancel);
  g_clear_error (&error);
  g_clear_object (&result);
  g_clear_object (&midway.cancellable);
  after = vcs_test_tree_hash (sluice_repository_get_workdir (b));
  g_assert_cmpstr (before, ==, after);
  g_free (fetched);
  fetched = rev_parse (sluice_repository_get_workdir (b), "refs/remotes/origin/main");
  g_assert_cmpstr (fetched, ==, old_tip);
  g_assert_cmpint (vcs_test_git (sluice_repository_get_workdir (b), &out, "fsck", "--no-progress", "--no-dangling",
                                 NULL), ==, 0);
  g_clear_pointer (&out, g_free);
  /* Nor is half a pack left behind. */
  g_assert_cmpint (vcs_test_git (sluice_repository_get_workdir (b), &out, "count-objects", "-v", NULL), ==, 0);
  g_assert_nonnull (strstr (out, "\ngarbage: 0\n"));
  g_clear_pointer (&out, g_free);

  sluice_repository_fetch_async (b, credentials, NULL, NULL, NULL, NULL, vcs_test_store_cb, &result);
  g_assert_true (sluice_repository_fetch_finish (b, vcs_test_wait (&result), &error));
  g_assert_no_error (error);
  g_free (fetched);
  fetched = rev_parse (sluice_repository_get_workdir (b), "refs/remotes/origin/main");
  g_assert_cmpstr (fetched, ==, tip);
  g_assert_cmpint (vcs_test_git (sluice_repository_get_workdir (b), &out, "fsck", "--no-progress", NULL), ==, 0);
  vcs_test_server_stop (server);
}

#define N_FILES 6

static void
reset_hard (const char *dir)
{
  vcs_test_git (dir, NULL, "merge", "--abort", NULL);
  vcs_test_git (dir, NULL, "reset", "-q", "--hard", NULL);
  vcs_test_git (dir, NULL, "clean", "-qfd", NULL);
}

static void
test_randomized_dirty_trees_lose_nothing (void)
{
  VcsTestServer *server = vcs_test_server_start (USER, TOKEN, one_repo);
  g_autoptr(SluiceVcsCredentials) credentials = good_credentials ();
  g_autoptr(SluiceRepository) a = NULL;
  g_autoptr(SluiceRepository) b = NULL;
  g_autoptr(GError) error = NULL;
  guint32 seed = vcs_test_seed ("randomized-dirty-trees");
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  g_autofree char *url = NULL;
  guint refused = 0, done = 0, staged_rounds = 0;
  const char *b_dir;

  if (server == NULL)
    return;
  url = url_of (server, "sluice");
  a = clone_fresh (url, "a", credentials, NULL, &error);
  g_assert_no_error (error);
  for (int i = 0; i < N_FILES; i++)
    {
      g_autofree char *rel = g_strdup_printf ("pipelines/f%d.json", i);
      commit_file (a, rel, "{}\n", "init");
    }
  g_assert_true (push (a, &error));
  /* A second branch that differs in f0 and f1. */
  vcs_test_git (sluice_repository_get_workdir (a), NULL, "checkout", "-q", "-b", "side", NULL);
  commit_file (a, "pipelines/f0.json", "{\"side\": 0}\n", "side 0");
  commit_file (a, "pipelines/f1.json", "{\"side\": 1}\n", "side 1");
  g_assert_true (push (a, &error));
  vcs_test_git (sluice_repository_get_workdir (a), NULL, "checkout", "-q", "main", NULL);

  b = clone_fresh (url, "b", credentials, NULL, &error);
  g_assert_no_error (error);
  b_dir = sluice_repository_get_workdir (b);

  for (int round = 0; round < 100; round++)
    {
      g_autoptr(GHashTable) dirty = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autoptr(GHashTable) staged = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
      g_autofree char *before = NULL;
      g_autofree char *index_before = NULL;
      g_autofree char *after = NULL;
      const char *action;
      gboolean ok;
      GHashTableIter iter;
      gpointer key, value;
      int n_dirty = g_rand_int_range (rand, 0, 3);

      /* The other analyst changes 1-2 files (sometimes adds one) on main. */
      for (int k = g_rand_int_range (rand, 1, 3); k > 0; k--)
        {
          g_autofree char *rel = g_strdup_printf ("pipelines/f%d.json", g_rand_int_range (rand, 0, N_FILES));
          g_autofree char *text = g_strdup_printf ("{\"a\": %d}\n", round * 10 + k);
          commit_file (a, rel, text, "a");
        }
      if (g_rand_boolean (rand))
        {
          g_autofree char *rel = g_strdup_printf ("pipelines/new%d.json", round);
          commit_file (a, rel, "{\"new\": true}\n", "a adds");
        }
      g_assert_true (push (a, &error));
      g_assert_no_error (error);

      /* Sometimes a local commit first, on a file only we touch. */
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          g_autofree char *text = g_strdup_printf ("%d\n", round);
          commit_file (b, "mine.txt", text, "mine");
        }

      /* Uncommitted work: edits, and sometimes the file a just added. */
      for (int k = 0; k < n_dirty; k++)
        {
          g_autofree char *rel = g_strdup_printf ("pipelines/f%d.json", g_rand_int_range (rand, 0, N_FILES));
          g_autofree char *text = g_strdup_printf ("{\"work\": \"%d-%d\"}\n", round, k);
          vcs_test_write (b_dir, rel, text);
          /* Some of it staged: the index holds uncommitted work too. */
          if (g_rand_int_range (rand, 0, 3) == 0)
            {
              vcs_test_stage (b, rel);
              g_hash_table_replace (staged, g_strdup (rel), g_strdup (text));
            }
          g_hash_table_replace (dirty, g_steal_pointer (&rel), g_steal_pointer (&text));
        }
      if (g_rand_int_range (rand, 0, 4) == 0)
        {
          g_autofree char *rel = g_strdup_printf ("pipelines/new%d.json", round);
          vcs_test_write (b_dir, rel, "{\"untracked\": true}\n");
          g_hash_table_replace (dirty, g_steal_pointer (&rel), g_strdup ("{\"untracked\": true}\n"));
        }
      before = vcs_test_tree_hash (b_dir);
      vcs_test_git (b_dir, &index_before, "ls-files", "--stage", NULL);
      if (g_hash_table_size (staged) > 0)
        staged_rounds++;

      switch (g_rand_int_range (rand, 0, 3))
        {
        case 0:
          action = "switch to side";
          ok = switch_to (b, g_rand_boolean (rand) ? "origin/side" : "side", &error);
          if (!ok && g_error_matches (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND))
            {
              /* "side" before it exists locally, or origin/side once it does */
              g_clear_error (&error);
              ok = switch_to (b, "side", &error);
              if (!ok && g_error_matches (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND))
                {
                  g_clear_error (&error);
                  ok = switch_to (b, "origin/side", &error);
                }
            }
          else if (!ok && g_error_matches (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED))
            {
              /* origin/side when a local side exists already */
              g_clear_error (&error);
              ok = switch_to (b, "side", &error);
            }
          break;
        case 1:
          action = "switch to main";
          ok = switch_to (b, "main", &error);
          break;
        default:
          {
            g_autoptr(SluiceVcsPullResult) pulled = pull (b, &error);
            action = "pull";
            ok = pulled != NULL;
            if (ok)
              g_assert_cmpint (pulled->outcome, !=, SLUICE_VCS_PULL_CONFLICTS);
          }
          break;
        }

      if (!ok)
        {
          if (!g_error_matches (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_DIRTY))
            g_error ("seed %u, round %d, %s: unexpected error: %s", seed, round, action, error->message);
          after = vcs_test_tree_hash (b_dir);
          if (g_strcmp0 (before, after) != 0)
            g_error ("seed %u, round %d, %s was refused but changed the working tree", seed, round, action);
          {
            g_autofree char *index_after = NULL;

            vcs_test_git (b_dir, &index_after, "ls-files", "--stage", NULL);
            if (g_strcmp0 (index_before, index_after) != 0)
              g_error ("seed %u, round %d, %s was refused but changed the index", seed, round, action);
          }
          refused++;
        }
      else
        done++;
      g_clear_error (&error);

      /* Whatever happened, every uncommitted byte is still there. */
      g_hash_table_iter_init (&iter, dirty);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *now = vcs_test_read (b_dir, key);
          if (g_strcmp0 (now, value) != 0)
            g_error ("seed %u, round %d, %s: %s lost its uncommitted text", seed, round, action, (char *) key);
        }
      /* …and every staged one still in the index. */
      g_hash_table_iter_init (&iter, staged);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_autofree char *spec = g_strdup_printf (":%s", (char *) key);
          g_autofree char *now = NULL;

          if (vcs_test_git (b_dir, &now, "show", spec, NULL) != 0 || g_strcmp0 (now, value) != 0)
            g_error ("seed %u, round %d, %s: %s lost its staged text", seed, round, action, (char *) key);
        }

      /* Next round from a clean tree on main. */
      reset_hard (b_dir);
      if (!switch_to (b, "main", &error))
        g_error ("seed %u, round %d: back to main: %s", seed, round, error->message);
    }
  g_test_message ("%u operations refused, %u done, %u rounds with staged work", refused, done, staged_rounds);
  g_assert_cmpuint (refused, >, 10);
  g_assert_cmpuint (done, >, 10);
  g_assert_cmpuint (staged_rounds, >, 10);
  vcs_test_server_stop (server);
}

int
main (int    argc,
      char **argv)
{
  vcs_test_init_env ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/vcs/remote/clone-push-pull-with-the-right-token",
                   test_clone_push_pull_with_the_right_token);
  g_test_add_func ("/sluice/vcs/remote/wrong-token-is-a-clear-authentication-error",
                   test_wrong_token_is_a_clear_authentication_error);
  g_test_add_func ("/sluice/vcs/remote/unreachable-host-is-a-clear-error", test_unreachable_host_is_a_clear_error);
  g_test_add_func ("/sluice/vcs/remote/rejected-push-says-pull-first", test_rejected_push_says_pull_first);
  g_test_add_func ("/sluice/vcs/remote/conflicts-between-two-clones", test_conflicts_between_two_clones);
  g_test_add_func ("/sluice/vcs/remote/pull-merges-pipelines-gem-by-gem", test_pull_merges_pipelines_gem_by_gem);
  g_test_add_func ("/sluice/vcs/remote/cancelled-clone-and-fetch-leave-things-consistent",
                   test_cancelled_clone_and_fetch_leave_things_consistent);
  g_test_add_func ("/sluice/vcs/remote/randomized-dirty-trees-lose-nothing",
                   test_randomized_dirty_trees_lose_nothing);
  return g_test_run ();
}
