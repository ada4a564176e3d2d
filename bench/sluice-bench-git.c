/* Git status and commit on a large project, through SluiceRepository and
 * through the git command line in the same run. A generated project of
 * N pipelines (1,000), each with its generated code (a PySpark package of
 * three modules and two SQL files): six files per pipeline.
 *
 *   _build/bench/sluice-bench-git [--pipelines N] [--runs N] [--keep DIR]
 *
 * Goals (medians): status <= 50 ms; commit of one changed pipeline (stage
 * its JSON and its code, commit) <= 30 ms. Each is also printed as a ratio
 * to `git status --porcelain` and `git add … && git commit -q` timed the
 * same way (wall time of the whole command, process start included). */
#include "config.h"

#include <stdio.h>
#include <sys/resource.h>

#include <glib/gstdio.h>

#include "sluice-repository.h"

/* CPU time (user + system, ms) of this process's threads, or of its
 * waited-for children: on a busy machine this moves far less than wall
 * time, so it is printed next to it. */
static double
cpu_ms (int who)
{
  struct rusage u;

  getrusage (who, &u);
  return (u.ru_utime.tv_sec + u.ru_stime.tv_sec) * 1e3 + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e3;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median_of (GArray *ms)
{
  g_array_sort (ms, compare_doubles);
  return g_array_index (ms, double, ms->len / 2);
}

static void
store_cb (GObject      *source,
          GAsyncResult *result,
          gpointer      user_data)
{
  *(GAsyncResult **) user_data = g_object_ref (result);
}

static void
wait_for (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
}

static void
write_file (const char *root,
            const char *rel,
            const char *text)
{
  g_autofree char *path = g_build_filename (root, rel, NULL);
  g_autofree char *folder = g_path_get_dirname (path);

  g_mkdir_with_parents (folder, 0755);
  if (!g_file_set_contents (path, text, -1, NULL))
    g_error ("cannot write %s", path);
}

static char *
pipeline_json (guint i,
               guint version)
{
  GString *s = g_string_new ("{\n  \"format_version\": 1,\n  \"gems\": [\n");

  for (guint g = 0; g < 12; g++)
    g_string_append_printf (s,
                            "    {\n      \"id\": \"gem_%u\",\n      \"type\": \"Filter\",\n"
                            "      \"label\": \"Gem %u of %u\",\n      \"position\": {\"x\": %u, \"y\": 120},\n"
                            "      \"config\": {\n        \"condition\": \"amount > %u\"\n      }\n    }%s\n",
                            g, g, i, g * 240, version, g + 1 < 12 ? "," : "");
  g_string_append (s, "  ],\n  \"edges\": [\n");
  for (guint g = 1; g < 12; g++)
    g_string_append_printf (s, "    {\"from\": \"gem_%u.out\", \"to\": \"gem_%u.in0\"}%s\n", g - 1, g, g + 1 < 12 ? "," : "");
  g_string_append (s, "  ]\n}\n");
  return g_string_free (s, FALSE);
}

static void
write_pipeline (const char *root,
                guint       i,
                guint       version)
{
  g_autofree char *json = pipeline_json (i, version);
  g_autofree char *rel = g_strdup_printf ("pipelines/p%04u.json", i);
  g_autofree char *code = g_strdup_printf ("# Written by Sluice from pipelines/p%04u.json. Do not edit.\n"
                                           "from pyspark.sql import functions as F\n\n"
                                           "def run(spark):\n    df = spark.table('orders')\n"
                                           "    return df.filter(F.expr('amount > %u'))\n", i, version);
  const char *files[] = { "code/pyspark/p%04u/__init__.py", "code/pyspark/p%04u/pipeline.py",
                          "code/pyspark/p%04u/graph.py", "code/sql/spark/p%04u.sql",
                          "code/sql/snowflake/p%04u.sql" };

  write_file (root, rel, json);
  for (guint f = 0; f < G_N_ELEMENTS (files); f++)
    {
      g_autofree char *path = g_strdup_printf (files[f], i);
      write_file (root, path, code);
    }
}

static double
run_command (const char  *dir,
             const char  *command)
{
  const char *argv[] = { "/bin/sh", "-c", command, NULL };
  g_autoptr(GError) error = NULL;
  int status = 0;
  gint64 start = g_get_monotonic_time ();

  if (!g_spawn_sync (dir, (char **) argv, NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, NULL, &status, &error)
      || !g_spawn_check_wait_status (status, &error))
    g_error ("%s: %s", command, error->message);
  return (g_get_monotonic_time () - start) / 1000.0;
}

static char *
loadavg (void)
{
  g_autofree char *text = NULL;
  g_auto(GStrv) parts = NULL;

  if (!g_file_get_contents ("/proc/loadavg", &text, NULL, NULL))
    return g_strdup ("?");
  parts = g_strsplit (text, " ", 4);
  return g_strdup_printf ("%s %s %s", parts[0], parts[1], parts[2]);
}

int
main (int    argc,
      char **argv)
{
  int n_pipelines = 1000, runs = 21;
  g_autofree char *keep = NULL;
  GOptionEntry entries[] = {
    { "pipelines", 0, 0, G_OPTION_ARG_INT, &n_pipelines, "pipelines in the project (1000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "runs of each measurement (21)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_FILENAME, &keep, "make the project in DIR and keep it", "DIR" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new ("- git status and commit on a large project");
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) status_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) status_git_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) commit_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) commit_git_ms = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) status_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) status_git_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) commit_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) commit_git_cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(SluiceRepository) repo = NULL;
  g_autoptr(GAsyncResult) result = NULL;
  g_autofree char *load_before = loadavg ();
  g_autofree char *load_after = NULL;
  g_autofree char *root = NULL;
  g_autofree char *home = NULL;
  double s, sg, c, cg;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  /* Nobody's git config: the same for libgit2 and the command line. */
  home = g_dir_make_tmp ("sluice-bench-home-XXXXXX", NULL);
  g_setenv ("HOME", home, TRUE);
  g_setenv ("GIT_CONFIG_NOSYSTEM", "1", TRUE);
  root = keep ? g_strdup (keep) : g_dir_make_tmp ("sluice-bench-git-XXXXXX", NULL);
  g_mkdir_with_parents (root, 0755);

  sluice_repository_create_async (root, NULL, store_cb, &result);
  wait_for (&result);
  repo = sluice_repository_create_finish (result, &error);
  if (repo == NULL)
    g_error ("%s", error->message);
  g_clear_object (&result);
  run_command (root, "git config user.name Bench && git config user.email bench@example.com");
  for (int i = 0; i < n_pipelines; i++)
    write_pipeline (root, (guint) i, 0);
  write_file (root, "sluice.json", "{\n  \"format_version\": 1,\n  \"name\": \"Bench\"\n}\n");
  run_command (root, "git add -A && git commit -qm 'Generated project'");
  /* Past the racy-git window: files older than the index. */
  g_usleep (1100 * 1000);
  run_command (root, "git status --porcelain");

  g_print ("sluice-bench-git: %d pipelines, %d files, %d runs each; load average %s\n",
           n_pipelines, n_pipelines * 6 + 3, runs, load_before);

  for (int r = 0; r < runs; r++)
    {
      g_autoptr(GPtrArray) entries_ = NULL;
      double cpu = cpu_ms (RUSAGE_SELF);
      gint64 start = g_get_monotonic_time ();
      double ms;

      sluice_repository_status_async (repo, NULL, store_cb, &result);
      wait_for (&result);
      entries_ = sluice_repository_status_finish (repo, result, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      cpu = cpu_ms (RUSAGE_SELF) - cpu;
      if (entries_ == NULL)
        g_error ("%s", error->message);
      g_clear_object (&result);
      g_array_append_val (status_ms, ms);
      g_array_append_val (status_cpu, cpu);
      cpu = cpu_ms (RUSAGE_CHILDREN);
      ms = run_command (root, "git status --porcelain");
      cpu = cpu_ms (RUSAGE_CHILDREN) - cpu;
      g_array_append_val (status_git_ms, ms);
      g_array_append_val (status_git_cpu, cpu);
    }

  for (int r = 0; r < runs; r++)
    {
      guint i = (guint) (r * 37) % (guint) n_pipelines;
      g_autofree char *json = g_strdup_printf ("pipelines/p%04u.json", i);
      g_autofree char *pkg1 = g_strdup_printf ("code/pyspark/p%04u/__init__.py", i);
      g_autofree char *pkg2 = g_strdup_printf ("code/pyspark/p%04u/pipeline.py", i);
      g_autofree char *pkg3 = g_strdup_printf ("code/pyspark/p%04u/graph.py", i);
      g_autofree char *sql1 = g_strdup_printf ("code/sql/spark/p%04u.sql", i);
      g_autofree char *sql2 = g_strdup_printf ("code/sql/snowflake/p%04u.sql", i);
      const char *paths[] = { json, pkg1, pkg2, pkg3, sql1, sql2, NULL };
      g_autofree char *id = NULL;
      g_autofree char *command = NULL;
      gint64 start;
      double ms, cpu;

      /* Sluice: one pipeline saved with its code, then stage + commit. */
      write_pipeline (root, i, (guint) (2 * r + 1));
      cpu = cpu_ms (RUSAGE_SELF);
      start = g_get_monotonic_time ();
      sluice_repository_stage_async (repo, paths, NULL, store_cb, &result);
      wait_for (&result);
      if (!sluice_repository_stage_finish (repo, result, &error))
        g_error ("%s", error->message);
      g_clear_object (&result);
      sluice_repository_commit_async (repo, "Edit one pipeline", NULL, NULL, NULL, store_cb, &result);
      wait_for (&result);
      id = sluice_repository_commit_finish (repo, result, &error);
      ms = (g_get_monotonic_time () - start) / 1000.0;
      cpu = cpu_ms (RUSAGE_SELF) - cpu;
      if (id == NULL)
        g_error ("%s", error->message);
      g_clear_object (&result);
      g_array_append_val (commit_ms, ms);
      g_array_append_val (commit_cpu, cpu);

      /* The git command line: the same change to another pipeline. */
      i = (i + (guint) n_pipelines / 2) % (guint) n_pipelines;
      write_pipeline (root, i, (guint) (2 * r + 2));
      command = g_strdup_printf ("git add pipelines/p%04u.json code/pyspark/p%04u code/sql/spark/p%04u.sql "
                                 "code/sql/snowflake/p%04u.sql && git commit -qm 'Edit one pipeline'", i, i, i, i);
      cpu = cpu_ms (RUSAGE_CHILDREN);
      ms = run_command (root, command);
      cpu = cpu_ms (RUSAGE_CHILDREN) - cpu;
      g_array_append_val (commit_git_ms, ms);
      g_array_append_val (commit_git_cpu, cpu);
    }

  s = median_of (status_ms);
  sg = median_of (status_git_ms);
  c = median_of (commit_ms);
  cg = median_of (commit_git_ms);
  load_after = loadavg ();
  g_print ("%-28s median %7.2f ms  (git CLI %7.2f ms, ratio %.2f)   goal <= 50 ms: %s\n",
           "status", s, sg, s / sg, s <= 50 ? "met" : "MISSED");
  g_print ("%-28s median %7.2f ms  (git CLI %7.2f ms, ratio %.2f)   goal <= 30 ms: %s\n",
           "commit one pipeline + code", c, cg, c / cg, c <= 30 ? "met" : "MISSED");
  g_print ("%-28s median %7.2f ms  (git CLI %7.2f ms, ratio %.2f)   CPU time, threads included\n",
           "status CPU", median_of (status_cpu), median_of (status_git_cpu),
           median_of (status_cpu) / median_of (status_git_cpu));
  g_print ("%-28s median %7.2f ms  (git CLI %7.2f ms, ratio %.2f)   CPU time, threads included\n",
           "commit CPU", median_of (commit_cpu), median_of (commit_git_cpu),
           median_of (commit_cpu) / median_of (commit_git_cpu));
  g_print ("load average after: %s\n", load_after);

  if (keep == NULL)
    {
      g_autofree char *command = g_strdup_printf ("rm -rf '%s' '%s'", root, home);
      run_command ("/", command);
    }
  return s <= 50 && c <= 30 ? 0 : 1;
}
