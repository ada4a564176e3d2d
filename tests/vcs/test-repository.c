/* SluiceRepository on local working copies: no network. */
#include "config.h"

#include <string.h>
#include <utime.h>

#include <glib/gstdio.h>

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

/* `git status --porcelain` letters for one side. */
static char
state_letter (SluiceVcsFileState state)
{
  switch (state)
    {
    case SLUICE_VCS_FILE_ADDED: return 'A';
    case SLUICE_VCS_FILE_MODIFIED: return 'M';
    case SLUICE_VCS_FILE_DELETED: return 'D';
    case SLUICE_VCS_FILE_TYPE_CHANGED: return 'T';
    case SLUICE_VCS_FILE_CONFLICTED: return 'U';
    case SLUICE_VCS_FILE_UNCHANGED:
    default: return ' ';
    }
}

/* Our status in `git status --porcelain --untracked-files=all` form. */
static char *
status_as_porcelain (SluiceRepository *repo)
{
  g_autoptr(GPtrArray) entries = vcs_test_status (repo);
  GString *out = g_string_new (NULL);

  for (guint i = 0; i < entries->len; i++)
    {
      SluiceVcsStatusEntry *e = g_ptr_array_index (entries, i);

      /* A file deleted in the index and there again: two lines in git. */
      if (e->unstaged == SLUICE_VCS_FILE_ADDED && e->staged != SLUICE_VCS_FILE_UNCHANGED)
        g_string_append_printf (out, "%c  %s\n?? %s\n", state_letter (e->staged), e->path, e->path);
      else if (e->unstaged == SLUICE_VCS_FILE_ADDED)
        g_string_append_printf (out, "?? %s\n", e->path);
      else
        g_string_append_printf (out, "%c%c %s\n", state_letter (e->staged), state_letter (e->unstaged), e->path);
    }
  return g_string_free (out, FALSE);
}

static char *
git_porcelain (const char *dir)
{
  g_autofree char *out = NULL;
  g_auto(GStrv) lines = NULL;
  g_autoptr(GPtrArray) sorted = g_ptr_array_new ();
  GString *text = g_string_new (NULL);

  g_assert_cmpint (vcs_test_git (dir, &out, "-c", "core.quotepath=off", "status", "--porcelain",
                                 "--untracked-files=all", "--no-renames", NULL), ==, 0);
  lines = g_strsplit (out, "\n", -1);
  for (guint i = 0; lines[i]; i++)
    if (*lines[i])
      g_ptr_array_add (sorted, lines[i]);
  /* By path, as ours is (git lists untracked files last). */
  for (guint i = 0; i < sorted->len; i++)
    for (guint j = i + 1; j < sorted->len; j++)
      if (strcmp ((char *) sorted->pdata[i] + 3, (char *) sorted->pdata[j] + 3) > 0)
        {
          gpointer t = sorted->pdata[i];
          sorted->pdata[i] = sorted->pdata[j];
          sorted->pdata[j] = t;
        }
  for (guint i = 0; i < sorted->len; i++)
    g_string_append_printf (text, "%s\n", (char *) sorted->pdata[i]);
  return g_string_free (text, FALSE);
}

static void
test_status_matches_git_on_random_changes (void)
{
  static const char * const folders[] = { "pipelines", "code/pyspark/p1", "code/pyspark/p2", "code/sql", "" };
  g_autofree char *dir = vcs_test_tmpdir ("status-random");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);
  guint32 seed = vcs_test_seed ("status-matches-git");
  g_autoptr(GRand) rand = g_rand_new_with_seed (seed);
  guint differing_rounds = 0;

  vcs_test_git (dir, NULL, "config", "user.name", "T", NULL);
  vcs_test_git (dir, NULL, "config", "user.email", "t@example.com", NULL);
  vcs_test_write (dir, ".gitignore", ".sluice/\n*.tmp\nbuild/\n");
  for (guint f = 0; f < G_N_ELEMENTS (folders); f++)
    for (guint i = 0; i < 4; i++)
      {
        g_autofree char *rel = g_strdup_printf ("%s%sf%u.txt", folders[f], *folders[f] ? "/" : "", i);
        vcs_test_write (dir, rel, "0123456789\n");
      }
  g_assert_cmpint (vcs_test_git (dir, NULL, "add", "-A", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (dir, NULL, "commit", "-qm", "init", NULL), ==, 0);
  /* Another repository inside, untracked: shown as its folder. */
  {
    g_autofree char *inner = g_build_filename (dir, "vendor", "other", NULL);

    vcs_test_write (inner, "x.txt", "x\n");
    g_assert_cmpint (vcs_test_git (inner, NULL, "init", "-q", NULL), ==, 0);
  }

  for (guint round = 0; round < 60; round++)
    {
      g_autofree char *ours = NULL;
      g_autofree char *theirs = NULL;

      for (int k = g_rand_int_range (rand, 1, 5); k > 0; k--)
        {
          const char *folder = folders[g_rand_int_range (rand, 0, G_N_ELEMENTS (folders))];
          g_autofree char *rel = g_strdup_printf ("%s%sf%d.txt", folder, *folder ? "/" : "", g_rand_int_range (rand, 0, 6));
          g_autofree char *path = g_build_filename (dir, rel, NULL);
          g_autofree char *text = NULL;

          switch (g_rand_int_range (rand, 0, 12))
            {
            case 0:   /* same size, other bytes: only the stat data tells */
              text = g_strdup_printf ("%010u\n", g_rand_int (rand));
              vcs_test_write (dir, rel, text);
              break;
            case 1:   /* other size */
              text = g_strdup_printf ("%u\n", g_rand_int (rand));
              vcs_test_write (dir, rel, text);
              break;
            case 2:   /* touched, same bytes */
              if (g_file_test (path, G_FILE_TEST_EXISTS))
                {
                  g_autofree char *now = vcs_test_read (dir, rel);
                  vcs_test_write (dir, rel, now);
                }
              break;
            case 3:
              g_unlink (path);
              break;
            case 4:
              g_chmod (path, g_rand_boolean (rand) ? 0755 : 0644);
              break;
            case 5:   /* staged as it is now */
              vcs_test_git (dir, NULL, "add", "-A", "--", rel, NULL);
              break;
            case 6:
              vcs_test_git (dir, NULL, "rm", "-q", "--cached", "--ignore-unmatch", "--", rel, NULL);
              break;
            case 7:   /* untracked in a new folder, some of it ignored */
              {
                g_autofree char *fresh = g_strdup_printf ("new%d/deep/n%d.%s", g_rand_int_range (rand, 0, 3),
                                                          g_rand_int_range (rand, 0, 3),
                                                          g_rand_boolean (rand) ? "txt" : "tmp");
                vcs_test_write (dir, fresh, "new\n");
              }
              break;
            case 8:   /* ignored folders and files */
              vcs_test_write (dir, g_rand_boolean (rand) ? ".sluice/runs/r.db" : "code/build/out.txt", "x\n");
              text = g_strdup_printf ("%s%sjunk.tmp", folder, *folder ? "/" : "");
              vcs_test_write (dir, text, "junk\n");
              break;
            case 9:
              vcs_test_git (dir, NULL, "commit", "-qam", "more", NULL);
              break;
            case 10:   /* a whole tracked folder gone */
              if (g_rand_int_range (rand, 0, 4) == 0)
                vcs_test_git (dir, NULL, "rm", "-rqf", "--ignore-unmatch", "code/pyspark/p2", NULL);
              break;
            default:  /* staged through Sluice */
              if (g_file_test (path, G_FILE_TEST_EXISTS) || g_rand_boolean (rand))
                vcs_test_stage (repo, rel);
              break;
            }
        }

      ours = status_as_porcelain (repo);
      theirs = git_porcelain (dir);
      if (g_strcmp0 (ours, theirs) != 0)
        g_error ("seed %u, round %u: the status differs from git's.\nSluice:\n%s\ngit:\n%s", seed, round, ours, theirs);
      if (*ours)
        differing_rounds++;
      /* Sometimes from a clean tree again. */
      if (g_rand_int_range (rand, 0, 8) == 0)
        {
          vcs_test_git (dir, NULL, "add", "-A", "--", ".", ":!vendor", NULL);
          vcs_test_git (dir, NULL, "commit", "-qm", "clean", NULL);
        }
    }
  /* The rounds had something to show. */
  g_assert_cmpuint (differing_rounds, >, 30);
}

/* The index entry's mtime seconds, as git reads it. */
static gint64
index_mtime_of (const char *dir,
                const char *rel)
{
  g_autofree char *out = NULL;
  const char *at;

  g_assert_cmpint (vcs_test_git (dir, &out, "ls-files", "--debug", "--", rel, NULL), ==, 0);
  at = strstr (out, "mtime: ");
  g_assert_nonnull (at);
  return g_ascii_strtoll (at + strlen ("mtime: "), NULL, 10);
}

static void
set_mtime (const char *dir,
           const char *rel,
           gint64      seconds)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  struct utimbuf times = { (time_t) seconds, (time_t) seconds };

  g_assert_cmpint (g_utime (path, &times), ==, 0);
}

static void
test_status_writes_refreshed_stat_data_back (void)
{
  g_autofree char *dir = vcs_test_tmpdir ("refresh");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);
  g_autoptr(GPtrArray) entries = NULL;
  g_autofree char *lock = g_build_filename (dir, ".git", "index.lock", NULL);
  g_autofree char *id = NULL;
  g_autoptr(GError) error = NULL;
  const gint64 then = 1600000000, later = 1600000100;

  vcs_test_write (dir, "pipelines/a.json", "{}\n");
  vcs_test_stage (repo, "pipelines/a.json");
  id = vcs_test_commit (repo, "First", &error);
  g_assert_no_error (error);

  /* Touched, not changed: the status says nothing, and the index learns
   * the new stat data so that the next status need not read the file. */
  set_mtime (dir, "pipelines/a.json", then);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = vcs_test_status (repo);
  g_assert_null (find_entry (entries, "pipelines/a.json"));
  g_assert_cmpint (index_mtime_of (dir, "pipelines/a.json"), ==, then);

  /* While someone else holds the index lock: the same answer, and the
   * index is left alone. */
  g_assert_true (g_file_set_contents (lock, "", 0, NULL));
  set_mtime (dir, "pipelines/a.json", later);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = vcs_test_status (repo);
  g_assert_null (find_entry (entries, "pipelines/a.json"));
  g_assert_cmpint (g_unlink (lock), ==, 0);
  g_assert_cmpint (index_mtime_of (dir, "pipelines/a.json"), ==, then);

  /* Without the lock, the next status writes it. */
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = vcs_test_status (repo);
  g_assert_cmpint (index_mtime_of (dir, "pipelines/a.json"), ==, later);

  /* A change of the same size under the same mtime is still found (the
   * write changed its ctime). */
  vcs_test_write (dir, "pipelines/a.json", "[]\n");
  set_mtime (dir, "pipelines/a.json", later);
  g_clear_pointer (&entries, g_ptr_array_unref);
  entries = vcs_test_status (repo);
  g_assert_nonnull (find_entry (entries, "pipelines/a.json"));
  g_assert_cmpint (find_entry (entries, "pipelines/a.json")->unstaged, ==, SLUICE_VCS_FILE_MODIFIED);
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
  g_test_add_func ("/sluice/vcs/repository/status-matches-git-on-random-changes",
                   test_status_matches_git_on_random_changes);
  g_test_add_func ("/sluice/vcs/repository/status-writes-refreshed-stat-data-back",
                   test_status_writes_refreshed_stat_data_back);
  g_test_add_func ("/sluice/vcs/repository/user-for-host", test_user_for_host);
  return g_test_run ();
}
