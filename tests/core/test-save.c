/* Saving: atomic, durable, off the main thread, and never half-written —
 * even when the process is killed in the middle. */
#include "config.h"

#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib/gstdio.h>

#include "sluice-core.h"

#define N_KILLS 200
#define N_GEMS  1000   /* about 200 KB of JSON */

static char *
make_tmpdir (void)
{
  g_autoptr(GError) error = NULL;
  char *dir = g_dir_make_tmp ("sluice-save-XXXXXX", &error);

  g_assert_no_error (error);
  return dir;
}

static void
rm_rf (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        rm_rf (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

/* A large pipeline; @variant changes every gem's position and label, so
 * the two versions differ all through the file. */
static SluicePipeline *
build_pipeline (guint n_gems,
                guint variant)
{
  SluicePipeline *p = sluice_pipeline_new ("big");
  g_autoptr(JsonNode) dataset = json_node_init_string (json_node_alloc (), "orders");

  sluice_pipeline_begin_group (p, "Build");
  for (guint i = 0; i < n_gems; i++)
    {
      g_autofree char *label = g_strdup_printf ("Step %u v%u", i, variant);
      g_autofree char *cond = g_strdup_printf ("amount > %u AND region <> 'r%u'", i, variant);
      g_autoptr(JsonNode) condition = json_node_init_string (json_node_alloc (), cond);
      SluiceGem *gem = sluice_pipeline_add_gem (p, i == 0 ? "Source" : "Filter", label,
                                                (int) (i * 240 + variant), (int) variant * 7, NULL);

      g_assert_nonnull (gem);
      if (i == 0)
        g_assert_true (sluice_pipeline_set_config (p, sluice_gem_get_id (gem), "dataset", dataset, NULL));
      else
        {
          g_autofree char *prev = g_strdup_printf ("step_%u_v%u", i - 1, variant);
          g_assert_true (sluice_pipeline_set_config (p, sluice_gem_get_id (gem), "condition", condition, NULL));
          g_assert_nonnull (sluice_pipeline_connect (p, prev, "out", sluice_gem_get_id (gem), "in0", NULL));
        }
    }
  sluice_pipeline_end_group (p);
  return p;
}

static GBytes *
read_bytes (const char *path)
{
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_bytes_new_take (contents, len);
}

static void
test_save_writes_the_canonical_text (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *path = g_build_filename (tmp, "big.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SluicePipeline) p = build_pipeline (50, 1);
  g_autoptr(GBytes) expected = sluice_pipeline_to_bytes (p);
  g_autoptr(GBytes) written = NULL;
  g_autoptr(GError) error = NULL;
  g_autoptr(GDir) dir = NULL;
  struct stat st;

  g_assert_true (sluice_pipeline_get_dirty (p));
  g_assert_true (sluice_pipeline_save (p, file, NULL, &error));
  g_assert_no_error (error);
  g_assert_false (sluice_pipeline_get_dirty (p));
  written = read_bytes (path);
  g_assert_true (g_bytes_equal (written, expected));

  /* A second save keeps the file's permissions and leaves nothing behind. */
  g_assert_cmpint (g_chmod (path, 0640), ==, 0);
  g_assert_true (sluice_pipeline_set_position (p, "step_3_v1", 1, 2, NULL));
  g_assert_true (sluice_pipeline_save (p, file, NULL, &error));
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0640);
  dir = g_dir_open (tmp, 0, NULL);
  g_assert_cmpstr (g_dir_read_name (dir), ==, "big.json");
  g_assert_null (g_dir_read_name (dir));

  rm_rf (tmp);
}

/* Runs in a child process (see below): a write that fails half-way, the
 * file-size limit standing in for a full disk. */
static void
failing_save_child (void)
{
  g_autoptr(GFile) file = g_file_new_for_path (g_getenv ("SLUICE_TEST_SAVE_PATH"));
  g_autoptr(SluicePipeline) big = build_pipeline (400, 2);
  g_autoptr(GError) error = NULL;
  struct rlimit limit = { 4096, 4096 };

  signal (SIGXFSZ, SIG_IGN);
  g_assert_cmpint (setrlimit (RLIMIT_FSIZE, &limit), ==, 0);
  g_assert_false (sluice_pipeline_save (big, file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_FAILED);
  g_printerr ("%s\n", error->message);
  g_assert_true (sluice_pipeline_get_dirty (big));
}

static void
test_failed_save_keeps_the_old_file (void)
{
  g_autofree char *tmp = NULL;
  g_autofree char *path = NULL;
  g_autofree char *missing = NULL;
  g_autoptr(GFile) file = NULL;
  g_autoptr(GFile) missing_file = NULL;
  g_autoptr(SluicePipeline) small = NULL;
  g_autoptr(GBytes) old = NULL;
  g_autoptr(GBytes) after = NULL;
  g_autoptr(GError) error = NULL;

  if (g_test_subprocess ())
    {
      failing_save_child ();
      return;
    }

  tmp = make_tmpdir ();
  path = g_build_filename (tmp, "big.json", NULL);
  missing = g_build_filename (tmp, "no", "such", "dir", "p.json", NULL);
  file = g_file_new_for_path (path);
  missing_file = g_file_new_for_path (missing);
  small = build_pipeline (3, 1);

  g_assert_true (sluice_pipeline_save (small, file, NULL, &error));
  old = read_bytes (path);

  /* The folder is gone: the message names the file. */
  g_assert_false (sluice_pipeline_save (small, missing_file, NULL, &error));
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_NOT_FOUND);
  g_assert_true (g_str_has_prefix (error->message, missing));
  g_clear_error (&error);

  /* The child saves a much larger pipeline over the same file and fails. */
  g_setenv ("SLUICE_TEST_SAVE_PATH", path, TRUE);
  g_test_trap_subprocess (NULL, 0, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stderr ("*big.json: cannot write: File too large*");

  /* The old file survives untouched, and no temporary file is left behind. */
  after = read_bytes (path);
  g_assert_true (g_bytes_equal (after, old));
  {
    g_autoptr(GDir) dir = g_dir_open (tmp, 0, NULL);
    g_assert_cmpstr (g_dir_read_name (dir), ==, "big.json");
    g_assert_null (g_dir_read_name (dir));
  }
  rm_rf (tmp);
}

static void
saved_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  GError **error = user_data;
  gboolean ok = sluice_pipeline_save_finish (SLUICE_PIPELINE (source), result, error);

  g_assert_true (ok == (*error == NULL));
  if (ok)
    *error = g_error_new_literal (G_IO_ERROR, 0, "done"); /* marks completion */
}

static void
test_save_async_tracks_the_saved_state (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *path = g_build_filename (tmp, "big.json", NULL);
  g_autoptr(GFile) file = g_file_new_for_path (path);
  g_autoptr(SluicePipeline) p = build_pipeline (200, 1);
  g_autoptr(GBytes) at_save = sluice_pipeline_to_bytes (p);
  g_autoptr(GBytes) written = NULL;
  GError *done = NULL;

  sluice_pipeline_save_async (p, file, NULL, saved_cb, &done);
  /* Edit while the worker writes: the file gets the state at the call. */
  g_assert_true (sluice_pipeline_set_position (p, "step_0_v1", 999, 999, NULL));
  while (done == NULL)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (done, G_IO_ERROR, 0);
  g_clear_error (&done);

  written = read_bytes (path);
  g_assert_true (g_bytes_equal (written, at_save));
  g_assert_true (sluice_pipeline_get_dirty (p));
  g_assert_true (sluice_pipeline_undo (p));
  g_assert_false (sluice_pipeline_get_dirty (p));

  rm_rf (tmp);
}

static SluicePipeline *
load_file (const char *path)
{
  g_autoptr(GBytes) bytes = read_bytes (path);
  g_autoptr(GError) error = NULL;
  SluicePipeline *p;

  g_assert_nonnull (bytes);
  p = sluice_pipeline_load_from_bytes ("big", "pipelines/big.json", bytes, NULL, &error);
  g_assert_no_error (error);
  return p;
}

/* The child: save the two versions in turn until killed. */
static int
run_saver (const char *path,
           const char *path_a,
           const char *path_b,
           int         ready_fd)
{
  g_autoptr(SluicePipeline) a = load_file (path_a);
  g_autoptr(SluicePipeline) b = load_file (path_b);
  g_autoptr(GFile) file = g_file_new_for_path (path);

  for (guint i = 0; ; i++)
    {
      g_autoptr(GError) error = NULL;

      if (!sluice_pipeline_save (i % 2 ? b : a, file, NULL, &error))
        {
          g_printerr ("saver: %s\n", error->message);
          return 1;
        }
      /* Tell the parent each save as it completes, so it can aim its kill
       * at the middle of a later one, however fast this machine is. */
      if (write (ready_fd, "s", 1) != 1)
        return 1;
    }
}

static void
test_sigkill_never_leaves_a_broken_file (void)
{
  g_autofree char *tmp = make_tmpdir ();
  g_autofree char *path = g_build_filename (tmp, "big.json", NULL);
  g_autoptr(SluicePipeline) a = build_pipeline (N_GEMS, 1);
  g_autoptr(SluicePipeline) b = build_pipeline (N_GEMS, 2);
  g_autoptr(GBytes) bytes_a = sluice_pipeline_to_bytes (a);
  g_autoptr(GBytes) bytes_b = sluice_pipeline_to_bytes (b);
  g_autoptr(GRand) rand = g_rand_new_with_seed (20261124);
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *path_a = g_build_filename (tmp, "a.json", NULL);
  g_autofree char *path_b = g_build_filename (tmp, "b.json", NULL);
  guint saw_a = 0, saw_b = 0;

  g_assert_nonnull (exe);
  g_assert_true (g_file_set_contents (path_a, g_bytes_get_data (bytes_a, NULL), g_bytes_get_size (bytes_a), NULL));
  g_assert_true (g_file_set_contents (path_b, g_bytes_get_data (bytes_b, NULL), g_bytes_get_size (bytes_b), NULL));
  g_assert_cmpuint (g_bytes_get_size (bytes_a), >, 150000);

  for (guint kill_no = 0; kill_no < N_KILLS; kill_no++)
    {
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) on_disk = NULL;
      g_autoptr(SluicePipeline) loaded = NULL;
      int fds[2];
      char buf;
      pid_t pid;
      int status;
      gint64 started, save_us;

      g_assert_cmpint (pipe (fds), ==, 0);
      pid = fork ();
      g_assert_cmpint (pid, >=, 0);
      if (pid == 0)
        {
          g_autofree char *fd = g_strdup_printf ("%d", fds[1]);
          close (fds[0]);
          /* Under AddressSanitizer the saver needs no leak check (it dies)
           * and the fast unwinder keeps its saves at a realistic speed. */
          if (g_getenv ("ASAN_OPTIONS"))
            g_setenv ("ASAN_OPTIONS", "detect_leaks=0:fast_unwind_on_malloc=1", TRUE);
          execl (exe, exe, "--saver", path, path_a, path_b, fd, NULL);
          _exit (127);
        }
      close (fds[1]);

      /* Time one save, then kill at a random moment within the next two. */
      g_assert_cmpint (read (fds[0], &buf, 1), ==, 1);
      started = g_get_monotonic_time ();
      g_assert_cmpint (read (fds[0], &buf, 1), ==, 1);
      save_us = g_get_monotonic_time () - started;
      g_usleep (g_rand_int_range (rand, 0, (gint32) MAX (2 * save_us, 1000)));
      g_assert_cmpint (kill (pid, SIGKILL), ==, 0);
      close (fds[0]);
      g_assert_cmpint (waitpid (pid, &status, 0), ==, pid);
      g_assert_true (WIFSIGNALED (status) && WTERMSIG (status) == SIGKILL);

      on_disk = read_bytes (path);
      g_assert_nonnull (on_disk);
      if (g_bytes_equal (on_disk, bytes_a))
        saw_a++;
      else if (g_bytes_equal (on_disk, bytes_b))
        saw_b++;
      else
        g_error ("kill %u: %s holds neither version (%zu bytes)", kill_no, path, g_bytes_get_size (on_disk));

      /* Equal bytes load equally; a real load now and then proves it. */
      if (kill_no % 25 == 0)
        {
          loaded = sluice_pipeline_load_from_bytes ("big", "pipelines/big.json", on_disk, NULL, &error);
          g_assert_no_error (error);
          g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_gems (loaded)), ==, N_GEMS);
        }
    }

  g_test_message ("%u kills: old/new version on disk %u/%u times", N_KILLS, saw_a, saw_b);
  /* The kills must really have landed between different versions. */
  g_assert_cmpuint (saw_a, >, 0);
  g_assert_cmpuint (saw_b, >, 0);
  rm_rf (tmp);
}

int
main (int    argc,
      char **argv)
{
  if (argc == 6 && g_str_equal (argv[1], "--saver"))
    return run_saver (argv[2], argv[3], argv[4], atoi (argv[5]));

  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/save/writes-the-canonical-text", test_save_writes_the_canonical_text);
  g_test_add_func ("/sluice/core/save/failed-save-keeps-the-old-file", test_failed_save_keeps_the_old_file);
  g_test_add_func ("/sluice/core/save/async-tracks-the-saved-state", test_save_async_tracks_the_saved_state);
  g_test_add_func ("/sluice/core/save/sigkill-never-leaves-a-broken-file", test_sigkill_never_leaves_a_broken_file);

  return g_test_run ();
}
