/* The Local fabric against the sqlite3 shell: a generated orders CSV
 * → Filter → Aggregate, run by `sluice-cli run` (load, type-check every
 * value, keep every gem's rows and sample, write nothing) and by `sqlite3`
 * doing `.import` and the same query, alternately, in one run; each from a
 * cold start (a fresh cache). Peak RSS of each process from wait4().
 *
 *   _build/bench/sluice-bench-local [--rows N] [--runs N] [--cli PATH]
 */
#include "config.h"

#include <stdio.h>
#include <string.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include <glib.h>
#include <glib/gstdio.h>

static const char *channels[] = { "web", "store", "partner", "phone" };
static const char *statuses[] = { "completed", "completed", "completed", "returned", "cancelled" };
static const char *regions[] = { "north", "south", "east", "west", "central" };

static void
write_file (const char *dir,
            const char *relative,
            const char *text)
{
  g_autofree char *path = g_build_filename (dir, relative, NULL);
  g_autofree char *parent = g_path_get_dirname (path);

  g_mkdir_with_parents (parent, 0755);
  if (!g_file_set_contents (path, text, -1, NULL))
    g_error ("cannot write %s", path);
}

/* Ten columns, like an export of an order system; deterministic. */
static void
generate (const char *path,
          guint       rows)
{
  g_autofree char *parent = g_path_get_dirname (path);
  FILE *f;
  GRand *rand = g_rand_new_with_seed (42);

  g_mkdir_with_parents (parent, 0755);
  if ((f = fopen (path, "w")) == NULL)
    g_error ("cannot write %s", path);

  fputs ("order_id,customer_id,product_id,order_date,quantity,unit_price,discount,status,channel,region\n", f);
  for (guint i = 0; i < rows; i++)
    {
      int day = g_rand_int_range (rand, 0, 900);
      GDate d;
      char date[16];

      g_date_clear (&d, 1);
      g_date_set_dmy (&d, 1, G_DATE_JANUARY, 2023);
      g_date_add_days (&d, day);
      g_date_strftime (date, sizeof date, "%Y-%m-%d", &d);
      fprintf (f, "%u,%d,%d,%s,%d,%d.%02d,%s,%s,%s,%s\n", 100000 + i, g_rand_int_range (rand, 1, 20000),
               g_rand_int_range (rand, 1, 500), date, g_rand_int_range (rand, 1, 10),
               g_rand_int_range (rand, 1, 900), g_rand_int_range (rand, 0, 100),
               g_rand_int_range (rand, 0, 4) == 0 ? "0.1" : "",
               statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))],
               channels[g_rand_int_range (rand, 0, G_N_ELEMENTS (channels))],
               regions[g_rand_int_range (rand, 0, G_N_ELEMENTS (regions))]);
    }
  fclose (f);
  g_rand_free (rand);
}

static const char dataset[] =
  "{\"format_version\": 1, \"format\": \"csv\", \"location\": \"bench.orders\", \"sample\": \"data/orders.csv\","
  " \"options\": {\"header\": true, \"delimiter\": \",\", \"quote\": \"\\\"\", \"null_value\": \"\"},"
  " \"schema\": [{\"name\": \"order_id\", \"type\": \"bigint\", \"nullable\": false},"
  " {\"name\": \"customer_id\", \"type\": \"bigint\"}, {\"name\": \"product_id\", \"type\": \"bigint\"},"
  " {\"name\": \"order_date\", \"type\": \"date\"}, {\"name\": \"quantity\", \"type\": \"int\"},"
  " {\"name\": \"unit_price\", \"type\": \"decimal(10,2)\"}, {\"name\": \"discount\", \"type\": \"double\"},"
  " {\"name\": \"status\", \"type\": \"string\"}, {\"name\": \"channel\", \"type\": \"string\"},"
  " {\"name\": \"region\", \"type\": \"string\"}]}\n";

static const char pipeline[] =
  "{\"format_version\": 1, \"gems\": ["
  "{\"id\": \"orders\", \"type\": \"Source\", \"label\": \"Orders\", \"position\": {\"x\": 0, \"y\": 0},"
  " \"config\": {\"dataset\": \"orders\"}},"
  "{\"id\": \"completed\", \"type\": \"Filter\", \"label\": \"Completed\", \"position\": {\"x\": 200, \"y\": 0},"
  " \"config\": {\"condition\": \"status = 'completed' AND quantity > 1\"}},"
  "{\"id\": \"per_channel\", \"type\": \"Aggregate\", \"label\": \"Per channel\", \"position\": {\"x\": 400, \"y\": 0},"
  " \"config\": {\"group_by\": [{\"name\": \"channel\", \"expression\": \"channel\"}, {\"name\": \"region\", \"expression\": \"region\"}],"
  " \"aggregates\": [{\"name\": \"orders\", \"expression\": \"count(*)\"},"
  " {\"name\": \"revenue\", \"expression\": \"sum(quantity * unit_price * (1 - coalesce(discount, 0)))\"}]}}"
  "], \"edges\": [{\"from\": \"orders.out\", \"to\": \"completed.in0\"}, {\"from\": \"completed.out\", \"to\": \"per_channel.in0\"}]}\n";

static const char shell_script[] =
  ".bail on\n"
  ".import --csv %s orders\n"
  "SELECT channel, region, count(*) AS orders, sum(quantity * unit_price * (1 - coalesce(discount, 0))) AS revenue\n"
  "FROM orders WHERE status = 'completed' AND quantity > 1 GROUP BY channel, region;\n";

typedef struct
{
  double ms;
  long   max_rss_kb;
} Measure;

static Measure
run (char      **argv,
     char      **envp,
     const char *stdin_path)
{
  gint64 t0 = g_get_monotonic_time ();
  Measure m = { 0 };
  struct rusage usage;
  int status;
  pid_t pid = fork ();

  if (pid == 0)
    {
      if (stdin_path && !freopen (stdin_path, "r", stdin))
        _exit (126);
      if (!freopen ("/dev/null", "w", stdout))
        _exit (126);
      execve (argv[0], argv, envp);
      _exit (127);
    }
  if (wait4 (pid, &status, 0, &usage) != pid || !WIFEXITED (status) || WEXITSTATUS (status) != 0)
    g_error ("%s failed (status %d)", argv[0], status);
  m.ms = (g_get_monotonic_time () - t0) / 1000.0;
  m.max_rss_kb = usage.ru_maxrss;
  return m;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *values)
{
  g_array_sort (values, compare_doubles);
  return g_array_index (values, double, values->len / 2);
}

static void
remove_tree (const char *path)
{
  g_autoptr(GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  while (dir && (name = g_dir_read_name (dir)))
    {
      g_autofree char *child = g_build_filename (path, name, NULL);
      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        remove_tree (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

int
main (int    argc,
      char **argv)
{
  int rows = 1000000, runs = 5;
  g_autofree char *cli = NULL;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows, "Rows of the orders CSV (1000000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Measured runs of each (5)", "N" },
    { "cli", 0, 0, G_OPTION_ARG_FILENAME, &cli, "sluice-cli to run (the build's)", "PATH" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *project = NULL;
  g_autofree char *csv = NULL;
  g_autofree char *script = NULL;
  g_autofree char *script_path = NULL;
  g_autofree char *sqlite3 = g_find_program_in_path ("sqlite3");
  g_autoptr(GArray) ours = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) theirs = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) ratios = g_array_new (FALSE, FALSE, sizeof (double));
  long our_rss = 0, their_rss = 0;
  struct stat st;

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (sqlite3 == NULL)
    {
      g_printerr ("sluice-bench-local: the sqlite3 shell is not installed (apt-get install sqlite3)\n");
      return 2;
    }
  if (cli == NULL)
    {
      g_autofree char *here = g_path_get_dirname (argv[0]);
      cli = g_build_filename (here, "..", "src", "cli", "sluice-cli", NULL);
    }

  tmp = g_dir_make_tmp ("sluice-bench-local-XXXXXX", &error);
  g_assert_no_error (error);
  project = g_build_filename (tmp, "project", NULL);
  write_file (project, "sluice.json", "{\"format_version\": 1, \"name\": \"Bench\"}\n");
  write_file (project, "datasets/orders.json", dataset);
  write_file (project, "pipelines/bench.json", pipeline);
  csv = g_build_filename (project, "data", "orders.csv", NULL);
  generate (csv, rows);
  g_stat (csv, &st);
  script = g_strdup_printf (shell_script, csv);
  script_path = g_build_filename (tmp, "shell.sql", NULL);
  write_file (tmp, "shell.sql", script);
  g_print ("orders CSV: %d rows, %.1f MB; Source -> Filter -> Aggregate; %d runs each, alternating\n", rows,
           st.st_size / 1e6, runs);

  for (int i = 0; i < runs + 1; i++)
    {
      g_autofree char *cache = g_build_filename (tmp, "cache", NULL);
      g_autofree char *env_cache = g_strconcat ("XDG_CACHE_HOME=", cache, NULL);
      g_autofree char *db = g_build_filename (tmp, "shell.db", NULL);
      char *our_argv[] = { cli, (char *) "run", project, (char *) "bench", (char *) "--limit", (char *) "1000", NULL };
      char *their_argv[] = { sqlite3, db, NULL };
      char *envp[] = { env_cache, (char *) "LC_ALL=C.UTF-8", NULL };
      Measure a, b;
      double r;

      /* Cold, both: no cached samples, no database. */
      remove_tree (cache);
      g_unlink (db);
      a = run (our_argv, envp, NULL);
      b = run (their_argv, envp, script_path);
      g_unlink (db);
      if (i == 0)
        continue;   /* warm-up: page cache, dynamic linking */
      r = a.ms / b.ms;
      g_array_append_val (ours, a.ms);
      g_array_append_val (theirs, b.ms);
      g_array_append_val (ratios, r);
      our_rss = MAX (our_rss, a.max_rss_kb);
      their_rss = MAX (their_rss, b.max_rss_kb);
      g_print ("  run %d: sluice-cli run %8.1f ms, sqlite3 .import + query %8.1f ms, ratio %.2f\n", i, a.ms, b.ms, r);
    }
  g_print ("sluice-cli run (cold cache): median %.1f ms, peak RSS %.1f MB\n", median (ours), our_rss / 1024.0);
  g_print ("sqlite3 .import + query:     median %.1f ms, peak RSS %.1f MB\n", median (theirs), their_rss / 1024.0);
  g_print ("ratio (median of per-run ratios): %.2f (goal <= 1.3); peak RSS goal <= 200 MB\n", median (ratios));

  {
    /* Warm: the sample is in the cache already, as in a second run in the app. */
    g_autofree char *cache = g_build_filename (tmp, "cache", NULL);
    g_autofree char *env_cache = g_strconcat ("XDG_CACHE_HOME=", cache, NULL);
    char *our_argv[] = { cli, (char *) "run", project, (char *) "bench", (char *) "--limit", (char *) "1000", NULL };
    char *envp[] = { env_cache, (char *) "LC_ALL=C.UTF-8", NULL };
    g_autoptr(GArray) warm = g_array_new (FALSE, FALSE, sizeof (double));

    for (int i = 0; i < runs; i++)
      {
        Measure a = run (our_argv, envp, NULL);
        g_array_append_val (warm, a.ms);
      }
    g_print ("sluice-cli run (sample cached): median %.1f ms\n", median (warm));
  }
  remove_tree (tmp);
  return 0;
}
