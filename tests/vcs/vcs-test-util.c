#include "config.h"

#include <stdarg.h>

#include <glib/gstdio.h>

#include "vcs-test-util.h"

static char *sandbox;

void
vcs_test_init_env (void)
{
  sandbox = g_dir_make_tmp ("sluice-vcs-XXXXXX", NULL);
  g_assert_nonnull (sandbox);
  g_setenv ("HOME", sandbox, TRUE);
  g_setenv ("XDG_CONFIG_HOME", sandbox, TRUE);
  g_setenv ("GIT_CONFIG_NOSYSTEM", "1", TRUE);
  g_setenv ("GIT_TERMINAL_PROMPT", "0", TRUE);
  g_unsetenv ("GIT_DIR");
  g_unsetenv ("GIT_WORK_TREE");
}

void
vcs_test_store_cb (GObject      *source,
                   GAsyncResult *result,
                   gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

GAsyncResult *
vcs_test_wait (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

guint32
vcs_test_seed (const char *test)
{
  const char *env = g_getenv ("SLUICE_TEST_SEED");
  guint32 seed = env && *env ? (guint32) g_ascii_strtoull (env, NULL, 10) : g_random_int ();

  g_test_message ("%s: random seed %u (SLUICE_TEST_SEED=%u replays it)", test, seed, seed);
  return seed;
}

char *
vcs_test_tmpdir (const char *name)
{
  static guint counter;
  char *dir = g_strdup_printf ("%s/%s-%u", sandbox, name, ++counter);

  g_assert_cmpint (g_mkdir_with_parents (dir, 0755), ==, 0);
  return dir;
}

void
vcs_test_write (const char *dir,
                const char *rel,
                const char *text)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  g_autofree char *folder = g_path_get_dirname (path);
  g_autoptr(GError) error = NULL;

  g_assert_cmpint (g_mkdir_with_parents (folder, 0755), ==, 0);
  g_file_set_contents (path, text, -1, &error);
  g_assert_no_error (error);
}

char *
vcs_test_read (const char *dir,
               const char *rel)
{
  g_autofree char *path = g_build_filename (dir, rel, NULL);
  char *text = NULL;

  if (!g_file_get_contents (path, &text, NULL, NULL))
    return NULL;
  return text;
}

static int
compare_names (gconstpointer a,
               gconstpointer b)
{
  return g_strcmp0 (*(const char * const *) a, *(const char * const *) b);
}

static void
hash_dir (GChecksum  *sum,
          const char *root,
          const char *rel)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  g_autoptr(GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    if (!(rel[0] == '\0' && g_str_equal (name, ".git")))
      g_ptr_array_add (names, g_strdup (name));
  g_ptr_array_sort (names, compare_names);
  for (guint i = 0; i < names->len; i++)
    {
      g_autofree char *child_rel = rel[0] ? g_build_filename (rel, names->pdata[i], NULL) : g_strdup (names->pdata[i]);
      g_autofree char *child = g_build_filename (root, child_rel, NULL);
      g_autofree char *text = NULL;
      gsize len = 0;

      g_checksum_update (sum, (const guchar *) child_rel, -1);
      if (g_file_test (child, G_FILE_TEST_IS_DIR))
        hash_dir (sum, root, child_rel);
      else if (g_file_get_contents (child, &text, &len, NULL))
        {
          g_checksum_update (sum, (const guchar *) "\0", 1);
          g_checksum_update (sum, (const guchar *) text, (gssize) len);
        }
    }
}

char *
vcs_test_tree_hash (const char *dir)
{
  g_autoptr(GChecksum) sum = g_checksum_new (G_CHECKSUM_SHA256);

  hash_dir (sum, dir, "");
  return g_strdup (g_checksum_get_string (sum));
}

int
vcs_test_git (const char  *dir,
              char       **out,
              ...)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autoptr(GError) error = NULL;
  g_autofree char *output = NULL;
  g_autofree char *errors = NULL;
  int status = 0;
  const char *arg;
  va_list ap;

  g_ptr_array_add (argv, "git");
  va_start (ap, out);
  while ((arg = va_arg (ap, const char *)))
    g_ptr_array_add (argv, (gpointer) arg);
  va_end (ap);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (dir, (char **) argv->pdata, NULL, G_SPAWN_SEARCH_PATH, NULL, NULL,
                &output, &errors, &status, &error);
  g_assert_no_error (error);
  if (out)
    *out = g_strconcat (output, errors, NULL);
  return g_spawn_check_wait_status (status, NULL) ? 0 : (WIFEXITED (status) ? WEXITSTATUS (status) : 255);
}

SluiceRepository *
vcs_test_create (const char *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  SluiceRepository *repo;

  sluice_repository_create_async (path, NULL, vcs_test_store_cb, &result);
  repo = sluice_repository_create_finish (vcs_test_wait (&result), &error);
  g_assert_no_error (error);
  return repo;
}

SluiceRepository *
vcs_test_open (const char  *path,
               GError     **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sluice_repository_open_async (path, NULL, vcs_test_store_cb, &result);
  return sluice_repository_open_finish (vcs_test_wait (&result), error);
}

gboolean
vcs_test_stage (SluiceRepository *repo,
                const char       *path)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  const char *paths[] = { path, NULL };
  gboolean ok;

  sluice_repository_stage_async (repo, paths, NULL, vcs_test_store_cb, &result);
  ok = sluice_repository_stage_finish (repo, vcs_test_wait (&result), &error);
  g_assert_no_error (error);
  return ok;
}

char *
vcs_test_commit (SluiceRepository  *repo,
                 const char        *message,
                 GError           **error)
{
  g_autoptr(GAsyncResult) result = NULL;

  sluice_repository_commit_async (repo, message, "Test Author", "test@example.com", NULL,
                                  vcs_test_store_cb, &result);
  return sluice_repository_commit_finish (repo, vcs_test_wait (&result), error);
}

GPtrArray *
vcs_test_status (SluiceRepository *repo)
{
  g_autoptr(GAsyncResult) result = NULL;
  g_autoptr(GError) error = NULL;
  GPtrArray *entries;

  sluice_repository_status_async (repo, NULL, vcs_test_store_cb, &result);
  entries = sluice_repository_status_finish (repo, vcs_test_wait (&result), &error);
  g_assert_no_error (error);
  return entries;
}

VcsTestServer *
vcs_test_server_start (const char         *user,
                       const char         *token,
                       const char * const *repos)
{
  g_autoptr(GPtrArray) argv = g_ptr_array_new ();
  g_autofree char *script = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "tests", "servers",
                                              "git-http-server.sh", NULL);
  g_autofree char *output = NULL;
  g_autoptr(GError) error = NULL;
  VcsTestServer *server;
  int status = 0;

  if (!g_file_test ("/usr/sbin/lighttpd", G_FILE_TEST_IS_EXECUTABLE)
      && g_find_program_in_path ("lighttpd") == NULL)
    {
      g_test_skip ("lighttpd is not installed (the package lighttpd; CI installs it)");
      return NULL;
    }
  server = g_new0 (VcsTestServer, 1);
  server->dir = vcs_test_tmpdir ("server");
  g_ptr_array_add (argv, script);
  g_ptr_array_add (argv, "start");
  g_ptr_array_add (argv, server->dir);
  g_ptr_array_add (argv, (gpointer) user);
  g_ptr_array_add (argv, (gpointer) token);
  for (guint i = 0; repos[i]; i++)
    g_ptr_array_add (argv, (gpointer) repos[i]);
  g_ptr_array_add (argv, NULL);
  g_spawn_sync (NULL, (char **) argv->pdata, NULL, G_SPAWN_DEFAULT, NULL, NULL, &output, NULL, &status, &error);
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  server->base_url = g_strdup_printf ("http://127.0.0.1:%d/git/", atoi (output));
  return server;
}

void
vcs_test_server_stop (VcsTestServer *server)
{
  g_autofree char *script = NULL;

  if (server == NULL)
    return;
  script = g_build_filename (g_getenv ("SLUICE_SOURCE_ROOT"), "tests", "servers", "git-http-server.sh", NULL);
  {
    const char *argv[] = { script, "stop", server->dir, NULL };
    g_spawn_sync (NULL, (char **) argv, NULL, G_SPAWN_DEFAULT, NULL, NULL, NULL, NULL, NULL, NULL);
  }
  g_free (server->dir);
  g_free (server->base_url);
  g_free (server);
}
