/* SluiceRepository on local working copies: no network. */
#include "config.h"

#include <string.h>

#include "vcs-test-util.h"

static SluiceVcsStatusEntry *
find_entry (GPtrArray  *entries,
            const char *path)
{
  for (guint i = 0; i < entries->len; i++)
    {
      SluiceVcsStatusEntry *e = g_ptr_array_index (entries, i);
      if (g_str_equal (e->path, path))
        return e;
    }
  return NULL;
}

static void
test_create_writes_ignore_attributes_and_driver (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("create");
  g_autoptr(SluiceRepository) repo = NULL;
  g_autofree char *ignore = NULL;
  g_autofree char *attributes = NULL;
  g_autofree char *config = NULL;
  g_autofree char *head = NULL;
  g_autofree char *out = NULL;

  vcs_test_write (dir, ".gitignore", "*.tmp");   /* kept, and appended to */
  repo = vcs_test_create (dir);
  g_assert_cmpstr (sluice_repository_get_workdir (repo), ==, dir);

  ignore = vcs_test_read (dir, ".gitignore");
  g_assert_true (g_str_has_prefix (ignore, "*.tmp\n"));
  g_assert_nonnull (strstr (ignore, "\n.sluice/\n"));
  attributes = vcs_test_read (dir, ".gitattributes");
  g_assert_nonnull (strstr (attributes, "pipelines/*.json merge=sluice\n"));
  head = vcs_test_read (dir, ".git/HEAD");
  g_assert_cmpstr (head, ==, "ref: refs/heads/main\n");
  g_assert_cmpint (vcs_test_git (dir, &out, "config", "merge.sluice.driver", NULL), ==, 0);
  g_assert_cmpstr (out, ==, "sluice-cli merge-driver %O %A %B\n");

  /* Again: nothing is duplicated. */
  g_clear_object (&repo);
  repo = vcs_test_create (dir);
  config = vcs_test_read (dir, ".gitattributes");
  g_assert_cmpstr (config, ==, attributes);
  g_assert_finalize_object (g_steal_pointer (&repo));
}

static void
test_open_discovers_upward_and_refuses_a_plain_folder (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("open");
  g_autofree char *sub = g_build_filename (dir, "pipelines", "deep", NULL);
  g_autofree char *plain = vcs_test_tmpdir ("plain");
  g_autoptr(SluiceRepository) created = vcs_test_create (dir);
  g_autoptr(SluiceRepository) repo = NULL;
  g_autoptr(GError) error = NULL;

  g_mkdir_with_parents (sub, 0755);
  repo = vcs_test_open (sub, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (sluice_repository_get_workdir (repo), ==, dir);

  g_clear_object (&repo);
  repo = vcs_test_open (plain, &error);
  g_assert_null (repo);
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_A_REPOSITORY);
  g_assert_nonnull (strstr (error->message, plain));
}

static void
test_status_stage_commit_unstage (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("status");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *out = NULL;
  SluiceVcsStatusEntry *e;

  vcs_test_write (dir, "pipelines/a.json", "{}\n");
  vcs_test_write (dir, ".sluice/output/x.csv", "ignored\n");
  entries = vcs_test_status (repo);
  e = find_entry (entries, "pipelines/a.json");
  g_assert_nonnull (e);
  g_assert_cmpint (e->unstaged, ==, SLUICE_VCS_FILE_ADDED);
  g_assert_cmpint (e->staged, ==, SLUICE_VCS_FILE_UNCHANGED);
  g_assert_null (find_entry (entries, ".sluice/output/x.csv"));

  /* Nothing staged: refused. */
  id = vcs_test_commit (repo, "empty", &error);
  g_assert_null (id);
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOTHING_TO_COMMIT);
  g_clear_error (&error);

  vcs_test_stage (repo, ".gitignore");
  vcs_test_stage (repo, ".gitattributes");
  vcs_test_stage (repo, "pipelines/a.json");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = vcs_test_status (repo);
  g_assert_cmpint (find_entry (entries, "pipelines/a.json")->staged, ==, SLUICE_VCS_FILE_ADDED);

  id = vcs_test_commit (repo, "First", &error);
  g_assert_no_error (error);
  g_assert_cmpint (strlen (id), ==, 40);
  /* No git config in this HOME: the caller's author. */
  vcs_test_git (dir, &out, "log", "-1", "--format=%an <%ae>|%s", NULL);
  g_assert_cmpstr (out, ==, "Test Author <test@example.com>|First\n");
  g_clear_pointer (&id, g_free);

  /* The same index again: refused with a clear error. */
  id = vcs_test_commit (repo, "again", &error);
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOTHING_TO_COMMIT);
  g_assert_cmpstr (error->message, ==, "Nothing to commit: no change is staged.");
  g_clear_error (&error);

  /* git config's author wins over the caller's. */
  vcs_test_git (dir, NULL, "config", "user.name", "Config Name", NULL);
  vcs_test_git (dir, NULL, "config", "user.email", "config@example.com", NULL);
  vcs_test_write (dir, "pipelines/a.json", "{\"x\": 1}\n");
  vcs_test_stage (repo, "pipelines/a.json");
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = vcs_test_status (repo);
  g_assert_cmpint (find_entry (entries, "pipelines/a.json")->staged, ==, SLUICE_VCS_FILE_MODIFIED);

  /* Unstage puts it back to HEAD's in the index; the file keeps its bytes. */
  {
    g_autoptr(GAsyncResult) result = NULL;
    const char *paths[] = { "pipelines/a.json", NULL };
    g_autofree char *text = NULL;

    sluice_repository_unstage_async (repo, paths, NULL, vcs_test_store_cb, &result);
    g_assert_true (sluice_repository_unstage_finish (repo, vcs_test_wait (&result), &error));
    g_assert_no_error (error);
    g_clear_pointer (&entries, g_ptr_array_unref);
    entries = vcs_test_status (repo);
    e = find_entry (entries, "pipelines/a.json");
    g_assert_cmpint (e->staged, ==, SLUICE_VCS_FILE_UNCHANGED);
    g_assert_cmpint (e->unstaged, ==, SLUICE_VCS_FILE_MODIFIED);
    text = vcs_test_read (dir, "pipelines/a.json");
    g_assert_cmpstr (text, ==, "{\"x\": 1}\n");
  }
  vcs_test_stage (repo, "pipelines/a.json");
  id = vcs_test_commit (repo, "Second", &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  vcs_test_git (dir, &out, "log", "-1", "--format=%an", NULL);
  g_assert_cmpstr (out, ==, "Config Name\n");
}

static void
test_commit_without_any_author_fails (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("noauthor");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;

  vcs_test_stage (repo, ".gitignore");
  sluice_repository_commit_async (repo, "x", NULL, NULL, NULL, vcs_test_store_cb, &result);
  id = sluice_repository_commit_finish (repo, vcs_test_wait (&result), &error);
  g_assert_null (id);
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "user.name"));
}

static GPtrArray *
diff_of (SluiceRepository  *repo,
         SluiceVcsDiffKind  kind)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *files;

  sluice_repository_diff_async (repo, kind, NULL, NULL, vcs_test_store_cb, &result);
  files = sluice_repository_diff_finish (repo, vcs_test_wait (&result), &error);
  g_assert_no_error (error);
  return files;
}

static void
test_diff_is_unified_text_per_file (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("diff");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);
  g_autoptr(GPtrArray) unstaged = NULL;
  g_autoptr(GPtrArray) staged = NULL;
  g_autoptr(GPtrArray) all = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  SluiceVcsFileDiff *d;

  vcs_test_write (dir, "a.txt", "one\ntwo\nthree\n");
  vcs_test_stage (repo, "a.txt");
  id = vcs_test_commit (repo, "a", &error);
  g_assert_no_error (error);

  vcs_test_write (dir, "a.txt", "one\n2\nthree\n");
  vcs_test_write (dir, "b.txt", "new\n");
  unstaged = diff_of (repo, SLUICE_VCS_DIFF_UNSTAGED);
  /* .gitattributes, .gitignore (untracked), a.txt, b.txt */
  d = NULL;
  for (guint i = 0; i < unstaged->len; i++)
    if (g_str_equal (((SluiceVcsFileDiff *) unstaged->pdata[i])->path, "a.txt"))
      d = unstaged->pdata[i];
  g_assert_nonnull (d);
  g_assert_nonnull (strstr (d->patch, "--- a/a.txt\n+++ b/a.txt\n"));
  g_assert_nonnull (strstr (d->patch, "@@ -1,3 +1,3 @@"));
  g_assert_nonnull (strstr (d->patch, "\n-two\n+2\n"));

  staged = diff_of (repo, SLUICE_VCS_DIFF_STAGED);
  g_assert_cmpuint (staged->len, ==, 0);
  vcs_test_stage (repo, "a.txt");
  g_clear_pointer (&staged, g_ptr_array_unref);
  staged = diff_of (repo, SLUICE_VCS_DIFF_STAGED);
  g_assert_cmpuint (staged->len, ==, 1);
  g_assert_cmpstr (((SluiceVcsFileDiff *) staged->pdata[0])->path, ==, "a.txt");

  all = diff_of (repo, SLUICE_VCS_DIFF_ALL);
  d = NULL;
  for (guint i = 0; i < all->len; i++)
    if (g_str_equal (((SluiceVcsFileDiff *) all->pdata[i])->path, "b.txt"))
      d = all->pdata[i];
  g_assert_nonnull (d);
  g_assert_nonnull (strstr (d->patch, "+new\n"));
}

static void
test_history_of_a_file (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("history");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) commits = NULL;
  g_autoptr(GError) error = NULL;

  for (int i = 0; i < 4; i++)
    {
      g_autofree char *text = g_strdup_printf ("%d\n", i);
      g_autofree char *message = g_strdup_printf ("commit %d", i);
      g_autofree char *id = NULL;

      vcs_test_write (dir, i % 2 ? "b.txt" : "a.txt", text);
      vcs_test_stage (repo, i % 2 ? "b.txt" : "a.txt");
      id = vcs_test_commit (repo, message, &error);
      g_assert_no_error (error);
    }
  sluice_repository_history_async (repo, "a.txt", 0, NULL, vcs_test_store_cb, &result);
  commits = sluice_repository_history_finish (repo, vcs_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (commits->len, ==, 2);
  g_assert_cmpstr (((SluiceVcsCommit *) commits->pdata[0])->summary, ==, "commit 2");
  g_assert_cmpstr (((SluiceVcsCommit *) commits->pdata[1])->summary, ==, "commit 0");
  g_assert_cmpstr (((SluiceVcsCommit *) commits->pdata[0])->author, ==, "Test Author <test@example.com>");
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
test_branches_create_list_switch_safely (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("branches");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) branches = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *id = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *text = NULL;

  vcs_test_write (dir, "a.txt", "main\n");
  vcs_test_write (dir, "other.txt", "same\n");
  vcs_test_stage (repo, "a.txt");
  vcs_test_stage (repo, "other.txt");
  id = vcs_test_commit (repo, "a", &error);
  g_assert_no_error (error);

  sluice_repository_create_branch_async (repo, "feature", NULL, vcs_test_store_cb, &result);
  g_assert_true (sluice_repository_create_branch_finish (repo, vcs_test_wait (&result), &error));
  g_clear_object (&result);
  sluice_repository_create_branch_async (repo, "feature", NULL, vcs_test_store_cb, &result);
  g_assert_false (sluice_repository_create_branch_finish (repo, vcs_test_wait (&result), &error));
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_EXISTS);
  g_clear_error (&error);
  g_clear_object (&result);

  g_assert_true (switch_to (repo, "feature", &error));
  g_assert_no_error (error);
  vcs_test_write (dir, "a.txt", "feature\n");
  vcs_test_stage (repo, "a.txt");
  g_clear_pointer (&id, g_free);
  id = vcs_test_commit (repo, "on feature", &error);
  g_assert_no_error (error);

  sluice_repository_list_branches_async (repo, NULL, vcs_test_store_cb, &result);
  branches = sluice_repository_list_branches_finish (repo, vcs_test_wait (&result), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (branches->len, ==, 2);
  g_assert_cmpstr (((SluiceVcsBranch *) branches->pdata[0])->name, ==, "feature");
  g_assert_true (((SluiceVcsBranch *) branches->pdata[0])->current);
  g_assert_cmpstr (((SluiceVcsBranch *) branches->pdata[1])->name, ==, "main");

  /* An uncommitted change to a file the switch changes: refused, named,
   * and not one byte of the working tree changes. */
  vcs_test_write (dir, "a.txt", "precious work\n");
  before = vcs_test_tree_hash (dir);
  g_assert_false (switch_to (repo, "main", &error));
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_DIRTY);
  g_assert_nonnull (strstr (error->message, "a.txt"));
  g_assert_null (strstr (error->message, "other.txt"));
  g_clear_error (&error);
  after = vcs_test_tree_hash (dir);
  g_assert_cmpstr (before, ==, after);

  /* A change to a file both branches share is carried over. */
  vcs_test_write (dir, "a.txt", "feature\n");
  vcs_test_write (dir, "other.txt", "carried\n");
  g_assert_true (switch_to (repo, "main", &error));
  g_assert_no_error (error);
  text = vcs_test_read (dir, "other.txt");
  g_assert_cmpstr (text, ==, "carried\n");
  g_free (text);
  text = vcs_test_read (dir, "a.txt");
  g_assert_cmpstr (text, ==, "main\n");

  g_assert_false (switch_to (repo, "nope", &error));
  g_assert_error (error, SLUICE_VCS_ERROR, SLUICE_VCS_ERROR_NOT_FOUND);
}

static void
test_cancelled_operation_reports_cancelled (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("cancel");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);
  g_autoptr(GCancellable) cancellable = g_cancellable_new ();
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GPtrArray) entries = NULL;
  g_autoptr(GError) error = NULL;

  g_cancellable_cancel (cancellable);
  sluice_repository_status_async (repo, cancellable, vcs_test_store_cb, &result);
  entries = sluice_repository_status_finish (repo, vcs_test_wait (&result), &error);
  g_assert_null (entries);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
}

static void
test_user_for_host (void)
{
  g_assert_cmpstr (sluice_vcs_user_for_host ("github.com"), ==, "x-access-token");
  g_assert_cmpstr (sluice_vcs_user_for_host ("gitlab.com"), ==, "oauth2");
  g_assert_cmpstr (sluice_vcs_user_for_host ("bitbucket.org"), ==, "x-token-auth");
  g_assert_cmpstr (sluice_vcs_user_for_host ("dev.azure.com"), ==, "sluice");
  g_assert_null (sluice_vcs_user_for_host ("gitea.example.com"));
}

int
main (int    argc,
      char **argv)
{
  vcs_test_init_env ();
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/vcs/repository/create-writes-ignore-attributes-and-driver",
                   test_create_writes_ignore_attributes_and_driver);
  g_test_add_func ("/sluice/vcs/repository/open-discovers-upward-and-refuses-a-plain-folder",
                   test_open_discovers_upward_and_refuses_a_plain_folder);
  g_test_add_func ("/sluice/vcs/repository/status-stage-commit-unstage", test_status_stage_commit_unstage);
  g_test_add_func ("/sluice/vcs/repository/commit-without-any-author-fails", test_commit_without_any_author_fails);
  g_test_add_func ("/sluice/vcs/repository/diff-is-unified-text-per-file", test_diff_is_unified_text_per_file);
  g_test_add_func ("/sluice/vcs/repository/history-of-a-file", test_history_of_a_file);
  g_test_add_func ("/sluice/vcs/repository/branches-create-list-switch-safely",
                   test_branches_create_list_switch_safely);
  g_test_add_func ("/sluice/vcs/repository/cancelled-operation-reports-cancelled",
                   test_cancelled_operation_reports_cancelled);
  g_test_add_func ("/sluice/vcs/repository/user-for-host", test_user_for_host);
  return g_test_run ();
}
