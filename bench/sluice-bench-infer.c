/* Schema inference over a whole CSV: a generated file of 1,000,000 rows and
 * 20 columns of mixed types (ints, bigints, doubles, decimals, booleans,
 * dates, timestamps, strings, some NULLs, quoted fields), inferred in
 * process with sluice_inference_run () over every row, several times; the
 * median and every time, and the peak RSS (which counts the mapped file's
 * pages as they are read).
 *
 *   _build/bench/sluice-bench-infer [--rows N] [--runs N] [--keep] [--file CSV]
 *
 * --file infers an existing file instead (for profiling the inference alone).
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>

#include <glib.h>
#include <glib/gstdio.h>

#include "sluice-inference.h"

static const char *words[] = { "alpha", "bravo", "charlie", "delta", "echo", "foxtrot", "golf", "hotel" };
static const char *countries[] = { "DE", "FR", "US", "SE", "JP", "BR" };
static const char *statuses[] = { "completed", "completed", "returned", "cancelled" };

/* Deterministic. The expected schema is in the comments. */
static void
generate (const char *path,
          guint       rows)
{
  GRand *rand = g_rand_new_with_seed (42);
  FILE *f = fopen (path, "w");

  if (f == NULL)
    g_error ("cannot write %s", path);
  fputs ("id,account,amount,price,ok,day,at,status,name,quantity,"
         "discount,email,country,score,ratio,note,created,flag,code,big\n", f);
  for (guint i = 0; i < rows; i++)
    {
      int day = g_rand_int_range (rand, 1, 29);
      int month = g_rand_int_range (rand, 1, 13);

      fprintf (f,
               "%u,"                         /* id int */
               "%" G_GINT64_FORMAT ","       /* account bigint */
               "%.15g,"                      /* amount double */
               "%d.%02d,"                    /* price decimal(6,2) */
               "%s,"                         /* ok boolean */
               "2024-%02d-%02d,"             /* day date */
               "2024-%02d-%02d %02d:%02d:%02d," /* at timestamp */
               "%s,"                         /* status string */
               "\"%s, %s\","                 /* name string, quoted */
               "%d,"                         /* quantity int */
               "%s,"                         /* discount decimal(2,2), nullable */
               "%s.%u@example.com,"          /* email string */
               "%s,"                         /* country string */
               "%s,"                         /* score int, nullable */
               "%.6e,"                       /* ratio double */
               "%s,"                         /* note string, nullable */
               "2023-%02d-%02dT%02d:%02d,"   /* created timestamp */
               "%s,"                         /* flag boolean */
               "C%05u,"                      /* code string */
               "%" G_GINT64_FORMAT "\n",     /* big bigint */
               i + 1,
               (gint64) 5000000000 + g_rand_int_range (rand, 0, 1000000),
               g_rand_double_range (rand, -1000, 1000),
               g_rand_int_range (rand, 0, 9999), g_rand_int_range (rand, 0, 100),
               g_rand_boolean (rand) ? "true" : "false",
               month, day,
               month, day, g_rand_int_range (rand, 0, 24), g_rand_int_range (rand, 0, 60), g_rand_int_range (rand, 0, 60),
               statuses[g_rand_int_range (rand, 0, G_N_ELEMENTS (statuses))],
               words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
               g_rand_int_range (rand, 1, 50),
               g_rand_int_range (rand, 0, 5) == 0 ? "" : (const char *[]) { "0.00", "0.05", "0.10", "0.25" }[g_rand_int_range (rand, 0, 4)],
               words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))], i,
               countries[g_rand_int_range (rand, 0, G_N_ELEMENTS (countries))],
               g_rand_int_range (rand, 0, 10) == 0 ? "" : (const char *[]) { "1", "17", "-3", "250" }[g_rand_int_range (rand, 0, 4)],
               g_rand_double_range (rand, 0, 1),
               g_rand_int_range (rand, 0, 3) == 0 ? "" : words[g_rand_int_range (rand, 0, G_N_ELEMENTS (words))],
               month, day, g_rand_int_range (rand, 0, 24), g_rand_int_range (rand, 0, 60),
               g_rand_int_range (rand, 0, 2) ? "TRUE" : "False",
               g_rand_int_range (rand, 0, 100000),
               (gint64) g_rand_int (rand) * 4096);
    }
  fclose (f);
  g_rand_free (rand);
}

static double
cpu_seconds (void)
{
  struct rusage u;

  getrusage (RUSAGE_SELF, &u);
  return u.ru_utime.tv_sec + u.ru_stime.tv_sec + (u.ru_utime.tv_usec + u.ru_stime.tv_usec) / 1e6;
}

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

int
main (int    argc,
      char **argv)
{
  int rows = 1000000, runs = 5;
  gboolean keep = FALSE;
  g_autofree char *file = NULL;
  GOptionEntry entries[] = {
    { "rows", 0, 0, G_OPTION_ARG_INT, &rows, "Rows in the generated CSV (1000000)", "N" },
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Timed inferences (5)", "N" },
    { "keep", 0, 0, G_OPTION_ARG_NONE, &keep, "Keep the generated file", NULL },
    { "file", 0, 0, G_OPTION_ARG_FILENAME, &file, "Infer this file instead of a generated one", "CSV" },
    { NULL }
  };
  g_autoptr(GOptionContext) context = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autofree char *dir = NULL;
  g_autofree char *path = NULL;
  g_autofree double *times = NULL;
  g_autofree double *cpu = NULL;
  struct rusage usage;
  GStatBuf st;
  double load[3] = { 0 };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error) || rows < 1 || runs < 1)
    {
      g_printerr ("sluice-bench-infer: %s\n", error ? error->message : "--rows and --runs are at least 1");
      return 2;
    }
  if (file)
    {
      path = g_strdup (file);
      keep = TRUE;
      rows = -1;
    }
  else
    {
      dir = g_dir_make_tmp ("sluice-bench-infer-XXXXXX", &error);
      g_assert_no_error (error);
      path = g_build_filename (dir, "wide.csv", NULL);
      generate (path, rows);
    }
  g_stat (path, &st);
  getloadavg (load, 3);
  g_print ("%s, %.1f MB; load average %.2f %.2f %.2f\n", file ? file : "1 generated CSV, 20 columns", st.st_size / 1e6,
           load[0], load[1], load[2]);

  times = g_new (double, runs);
  cpu = g_new (double, runs);
  for (int i = 0; i < runs; i++)
    {
      double c0 = cpu_seconds ();
      gint64 t0 = g_get_monotonic_time ();
      g_autoptr(SluiceInference) inf = sluice_inference_run (path, NULL, NULL, 0, NULL, &error);

      g_assert_no_error (error);
      times[i] = (g_get_monotonic_time () - t0) / 1e6;
      cpu[i] = cpu_seconds () - c0;
      if (i == 0)
        {
          g_print ("schema:");
          for (guint c = 0; c < sluice_inference_get_n_columns (inf); c++)
            g_print (" %s %s%s", sluice_inference_get_column_name (inf, c), sluice_inference_get_column_type (inf, c),
                     sluice_inference_get_column_nullable (inf, c) ? "" : "!");
          g_print ("\n");
          if (rows < 0)
            rows = sluice_inference_get_n_rows (inf);
          g_assert_cmpuint (sluice_inference_get_n_rows (inf), ==, (guint64) rows);
        }
      g_print ("run %d: %.3f s (CPU %.3f s)\n", i + 1, times[i], cpu[i]);
    }
  {
    g_autofree double *sorted = g_memdup2 (times, sizeof (double) * runs);
    g_autofree double *sorted_cpu = g_memdup2 (cpu, sizeof (double) * runs);

    qsort (sorted, runs, sizeof (double), compare_doubles);
    qsort (sorted_cpu, runs, sizeof (double), compare_doubles);
    getrusage (RUSAGE_SELF, &usage);
    getloadavg (load, 3);
    g_print ("median %.3f s wall (%.0f rows/s), %.3f s CPU; peak RSS %.1f MB; load average after %.2f\n",
             sorted[runs / 2], rows / sorted[runs / 2], sorted_cpu[runs / 2], usage.ru_maxrss / 1024.0, load[0]);
  }
  if (file == NULL && !keep)
    {
      g_unlink (path);
      g_rmdir (dir);
    }
  else if (file == NULL)
    g_print ("kept %s\n", path);
  return 0;
}
