/* `sluice-cli merge-driver` through command-line git, as
 * sluice_repository_create() sets it up (.gitattributes + .git/config). */
#include "config.h"

#include <string.h>

#include "sluice-core.h"
#include "vcs-pipelines.h"
#include "vcs-test-util.h"

static char *
pipeline_text (const char *label,
               const char *condition,
               int         x)
{
  return g_strdup_printf (VCS_TEST_PIPELINE, label, x, condition);
}

/* A project with pipelines/p.json on main, and a branch "theirs" from it. */
static char *
setup (const char *base)
{
  char *dir = vcs_test_tmpdir ("driver");
  g_autoptr(SluiceRepository) repo = vcs_test_create (dir);

  vcs_test_git (dir, NULL, "config", "user.name", "T", NULL);
  vcs_test_git (dir, NULL, "config", "user.email", "t@example.com", NULL);
  vcs_test_write (dir, "pipelines/p.json", base);
  g_assert_cmpint (vcs_test_git (dir, NULL, "add", "-A", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (dir, NULL, "commit", "-qm", "base", NULL), ==, 0);
  g_assert_cmpint (vcs_test_git (dir, NULL, "branch", "theirs", NULL), ==, 0);
  return dir;
}

static void
commit_on (const char *dir,
           const char *branch,
           const char *text)
{
  g_assert_cmpint (vcs_test_git (dir, NULL, "checkout", "-q", branch, NULL), ==, 0);
  vcs_test_write (dir, "pipelines/p.json", text);
  g_assert_cmpint (vcs_test_git (dir, NULL, "commit", "-qam", branch, NULL), ==, 0);
}

static void
test_disjoint_gem_edits_merge_clean (void)
{
  g_autofree char *base = pipeline_text ("Orders", "amount > 1", 320);
  g_autofree char *ours = pipeline_text ("All orders", "amount > 1", 320);
  g_autofree char *theirs = pipeline_text ("Orders", "amount > 5", 320);
  g_autofree char *dir = setup (base);
  g_autofree char *out = NULL;
  g_autofree char *merged = NULL;

  commit_on (dir, "theirs", theirs);
  commit_on (dir, "main", ours);
  g_assert_cmpint (vcs_test_git (dir, &out, "merge", "--no-edit", "theirs", NULL), ==, 0);
  merged = vcs_test_read (dir, "pipelines/p.json");
  g_assert_nonnull (strstr (merged, "\"label\": \"All orders\""));
  g_assert_nonnull (strstr (merged, "\"condition\": \"amount > 5\""));
  g_assert_null (strstr (merged, "merge_conflicts"));
  g_clear_pointer (&out, g_free);
  vcs_test_git (dir, &out, "status", "--porcelain", NULL);
  g_assert_cmpstr (out, ==, "");
}

static void
test_same_field_edits_conflict_without_markers (void)
{
  g_autofree char *base = pipeline_text ("Orders", "amount > 1", 320);
  g_autofree char *ours = pipeline_text ("Orders", "amount > 2", 320);
  g_autofree char *theirs = pipeline_text ("Orders", "amount > 3", 400);
  g_autofree char *dir = setup (base);
  g_autofree char *out = NULL;
  g_autofree char *merged = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autoptr(GPtrArray) diagnostics = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(SluicePipeline) p = NULL;
  g_autoptr(GError) error = NULL;

  commit_on (dir, "theirs", theirs);
  commit_on (dir, "main", ours);
  g_assert_cmpint (vcs_test_git (dir, &out, "merge", "--no-edit", "theirs", NULL), !=, 0);
  g_assert_nonnull (strstr (out, "conflict: gem “recent”: config.condition"));
  merged = vcs_test_read (dir, "pipelines/p.json");
  g_assert_null (strstr (merged, "<<<<<<<"));
  g_assert_null (strstr (merged, ">>>>>>>"));
  /* Ours for the conflicted field, theirs' clean move, the list. */
  g_assert_nonnull (strstr (merged, "\"condition\": \"amount > 2\""));
  g_assert_nonnull (strstr (merged, "{\"x\": 400, \"y\": 120}"));
  g_assert_nonnull (strstr (merged, "\"merge_conflicts\""));
  bytes = g_bytes_new (merged, strlen (merged));
  p = sluice_pipeline_load_from_bytes ("p", "pipelines/p.json", bytes, diagnostics, &error);
  g_assert_no_error (error);
  g_clear_pointer (&out, g_free);
  vcs_test_git (dir, &out, "status", "--porcelain", NULL);
  g_assert_cmpstr (out, ==, "UU pipelines/p.json\n");
}

int
main (int    argc,
      char **argv)
{
  g_autofree char *cli_dir = NULL;
  g_autofree char *path = NULL;

  vcs_test_init_env ();
  g_test_init (&argc, &argv, NULL);

  /* Command-line git finds the driver on PATH, as a user's would. */
  cli_dir = g_build_filename (g_getenv ("SLUICE_BUILD_ROOT"), "src", "cli", NULL);
  path = g_strdup_printf ("%s:%s", cli_dir, g_getenv ("PATH"));
  g_setenv ("PATH", path, TRUE);

  g_test_add_func ("/sluice/vcs/merge-driver/disjoint-gem-edits-merge-clean", test_disjoint_gem_edits_merge_clean);
  g_test_add_func ("/sluice/vcs/merge-driver/same-field-edits-conflict-without-markers",
                   test_same_field_edits_conflict_without_markers);
  return g_test_run ();
}
