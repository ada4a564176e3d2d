/* Start-up: the real `sluice` on a copy of examples/retail, from fork to its
 * window's first painted frame (the first GdkFrameClock after-paint) and to
 * the first frame painted with the project open, plus VmRSS at each (the app
 * reports them when SLUICE_REPORT_FIRST_FRAME=FILE is set; see
 * sluice-window.c). The floor, measured the same way in the same run and
 * alternated with the app: this program re-run as a minimal libadwaita
 * window (header bar, paned, a 30-row list). Medians of --runs (12) each,
 * of the wall time and of the child's CPU time at that frame (steadier on a
 * shared machine: it does not grow while the child waits for a core).
 *
 *   xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" _build/bench/sluice-bench-startup
 *   options: --runs N --app PATH --project DIR
 *
 * Every child runs with GSK_RENDERER=cairo, GTK_A11Y=none,
 * GSETTINGS_BACKEND=memory and the build's schemas; page cache warm.
 */
#include "config.h"

#include <adwaita.h>
#include <glib/gstdio.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <time.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

/* ---- The floor: a minimal libadwaita window (the child side) ---- */

static const char *floor_report;

static void
floor_after_paint_cb (GdkFrameClock *clock,
                      gpointer       data)
{
  g_autofree char *status = NULL;
  const char *rss;
  long kb = 0, cpu_us;
  struct timespec cpu;
  FILE *f;

  clock_gettime (CLOCK_PROCESS_CPUTIME_ID, &cpu);
  cpu_us = (long) (cpu.tv_sec * 1000000 + cpu.tv_nsec / 1000);
  if (g_file_get_contents ("/proc/self/status", &status, NULL, NULL) && (rss = strstr (status, "VmRSS:")))
    kb = strtol (rss + 6, NULL, 10);
  if ((f = fopen (floor_report, "a")))
    {
      gint64 now = g_get_real_time ();
      fprintf (f, "first %" G_GINT64_FORMAT " %ld %ld\nproject %" G_GINT64_FORMAT " %ld %ld\n",
               now, kb, cpu_us, now, kb, cpu_us);
      fclose (f);
    }
  g_signal_handlers_disconnect_by_func (clock, floor_after_paint_cb, data);
}

static void
floor_realize_cb (GtkWidget *window)
{
  g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (floor_after_paint_cb), NULL);
}

static void
floor_activate_cb (GtkApplication *app)
{
  GtkWidget *window = adw_application_window_new (app);
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_VERTICAL, 0);
  GtkWidget *paned = gtk_paned_new (GTK_ORIENTATION_HORIZONTAL);
  GtkWidget *list = gtk_list_box_new ();
  GtkWidget *scroller = gtk_scrolled_window_new ();

  gtk_box_append (GTK_BOX (box), adw_header_bar_new ());
  for (int i = 0; i < 30; i++)
    {
      g_autofree char *text = g_strdup_printf ("Row %d", i);
      gtk_list_box_append (GTK_LIST_BOX (list), gtk_label_new (text));
    }
  gtk_scrolled_window_set_child (GTK_SCROLLED_WINDOW (scroller), list);
  gtk_paned_set_start_child (GTK_PANED (paned), scroller);
  gtk_paned_set_end_child (GTK_PANED (paned), gtk_label_new ("Content"));
  gtk_widget_set_vexpand (paned, TRUE);
  gtk_box_append (GTK_BOX (box), paned);
  adw_application_window_set_content (ADW_APPLICATION_WINDOW (window), box);
  gtk_window_set_default_size (GTK_WINDOW (window), 1280, 800);
  g_signal_connect (window, "realize", G_CALLBACK (floor_realize_cb), NULL);
  gtk_window_present (GTK_WINDOW (window));
}

static int
floor_main (const char *report)
{
  g_autoptr(AdwApplication) app = adw_application_new ("dev.sluice.BenchFloor", G_APPLICATION_NON_UNIQUE);

  floor_report = report;
  g_signal_connect (app, "activate", G_CALLBACK (floor_activate_cb), NULL);
  return g_application_run (G_APPLICATION (app), 0, NULL);
}

/* ---- The parent: fork, wait for the report, stop the child ---- */

typedef struct
{
  double first_ms, project_ms;
  long   first_kb, project_kb;
  long   first_cpu_us, project_cpu_us;
} Sample;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

static double
median (GArray *a)
{
  g_array_sort (a, compare_doubles);
  return a->len ? g_array_index (a, double, a->len / 2) : 0;
}

static gboolean
copy_tree (GFile   *src,
           GFile   *dest,
           GError **error)
{
  g_autoptr(GFileEnumerator) e = NULL;
  GFileInfo *info;

  if (!g_file_make_directory_with_parents (dest, NULL, error))
    return FALSE;
  if (!(e = g_file_enumerate_children (src, G_FILE_ATTRIBUTE_STANDARD_NAME "," G_FILE_ATTRIBUTE_STANDARD_TYPE,
                                       G_FILE_QUERY_INFO_NOFOLLOW_SYMLINKS, NULL, error)))
    return FALSE;
  while ((info = g_file_enumerator_next_file (e, NULL, error)))
    {
      g_autoptr(GFileInfo) owned = info;
      g_autoptr(GFile) s = g_file_get_child (src, g_file_info_get_name (info));
      g_autoptr(GFile) d = g_file_get_child (dest, g_file_info_get_name (info));

      if (g_file_info_get_file_type (info) == G_FILE_TYPE_DIRECTORY)
        {
          if (!copy_tree (s, d, error))
            return FALSE;
        }
      else if (!g_file_copy (s, d, G_FILE_COPY_NOFOLLOW_SYMLINKS, NULL, NULL, NULL, error))
        return FALSE;
    }
  return error == NULL || *error == NULL;
}

static void
remove_tree (const char *path)
{
  g_autofree char *cmd = g_strdup_printf ("rm -rf '%s'", path);

  if (system (cmd) != 0)
    g_printerr ("could not remove %s\n", path);
}

/* Runs @argv once; FALSE on a timeout or a child that died. */
static gboolean
run_once (char       **argv,
          const char  *report,
          Sample      *sample)
{
  gint64 t0, deadline;
  pid_t pid;
  gboolean ok = FALSE;

  g_unlink (report);
  t0 = g_get_real_time ();
  pid = fork ();
  if (pid == 0)
    {
      execv (argv[0], argv);
      _exit (127);
    }
  deadline = g_get_monotonic_time () + 30 * G_USEC_PER_SEC;
  while (g_get_monotonic_time () < deadline)
    {
      g_autofree char *text = NULL;
      int status;

      if (waitpid (pid, &status, WNOHANG) == pid)
        return FALSE;
      if (g_file_get_contents (report, &text, NULL, NULL) && strstr (text, "project "))
        {
          gint64 first = 0, project = 0;
          char *p = strstr (text, "first ");

          if (p)
            sscanf (p, "first %" G_GINT64_FORMAT " %ld %ld", &first, &sample->first_kb, &sample->first_cpu_us);
          p = strstr (text, "project ");
          sscanf (p, "project %" G_GINT64_FORMAT " %ld %ld", &project, &sample->project_kb, &sample->project_cpu_us);
          sample->first_ms = (first - t0) / 1000.0;
          sample->project_ms = (project - t0) / 1000.0;
          ok = TRUE;
          break;
        }
      g_usleep (2000);
    }
  kill (pid, SIGTERM);
  waitpid (pid, NULL, 0);
  return ok;
}

static void
summarize (const char *name,
           GArray     *samples)
{
  g_autoptr(GArray) first = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) project = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rss = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) rss_project = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu = g_array_new (FALSE, FALSE, sizeof (double));
  g_autoptr(GArray) cpu_project = g_array_new (FALSE, FALSE, sizeof (double));
  double lo = G_MAXDOUBLE, hi = 0;

  for (guint i = 0; i < samples->len; i++)
    {
      Sample *s = &g_array_index (samples, Sample, i);
      double kb = s->first_kb / 1024.0, pkb = s->project_kb / 1024.0;
      double c = s->first_cpu_us / 1000.0, pc = s->project_cpu_us / 1000.0;

      g_array_append_val (first, s->first_ms);
      g_array_append_val (project, s->project_ms);
      g_array_append_val (rss, kb);
      g_array_append_val (rss_project, pkb);
      g_array_append_val (cpu, c);
      g_array_append_val (cpu_project, pc);
      lo = MIN (lo, s->first_ms);
      hi = MAX (hi, s->first_ms);
    }
  g_print ("%-34s runs %2u  first frame median %6.1f ms (min %6.1f, max %6.1f)  with project %6.1f ms"
           "  process CPU %6.1f / %6.1f ms  VmRSS %5.1f / %5.1f MB\n",
           name, samples->len, median (first), lo, hi, median (project), median (cpu), median (cpu_project),
           median (rss), median (rss_project));
}

int
main (int    argc,
      char **argv)
{
  int runs = 12;
  g_autofree char *app = NULL;
  g_autofree char *project = NULL;
  g_autofree char *floor_child = NULL;
  GOptionEntry entries[] = {
    { "runs", 0, 0, G_OPTION_ARG_INT, &runs, "Runs of each", "N" },
    { "app", 0, 0, G_OPTION_ARG_FILENAME, &app, "The sluice binary", "PATH" },
    { "project", 0, 0, G_OPTION_ARG_FILENAME, &project, "The project to open (copied first)", "DIR" },
    { "floor-child", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_FILENAME, &floor_child, NULL, NULL },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GArray) app_samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autoptr(GArray) floor_samples = g_array_new (FALSE, FALSE, sizeof (Sample));
  g_autofree char *self_path = g_file_read_link ("/proc/self/exe", NULL);
  g_autofree char *tmp = NULL;
  g_autofree char *report = NULL;

  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (floor_child)
    return floor_main (floor_child);

  if (app == NULL)
    app = g_build_filename (SLUICE_BUILD_ROOT, "src", "ui", "sluice", NULL);
  if (project == NULL)
    project = g_build_filename (SLUICE_SOURCE_ROOT, "examples", "retail", NULL);
  if (!(tmp = g_dir_make_tmp ("sluice-bench-startup-XXXXXX", &error)))
    {
      g_printerr ("%s\n", error->message);
      return 1;
    }
  report = g_build_filename (tmp, "report", NULL);

  g_setenv ("GSK_RENDERER", "cairo", TRUE);
  g_setenv ("GTK_A11Y", "none", TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("GSETTINGS_SCHEMA_DIR", SLUICE_BUILD_ROOT "/data", TRUE);
  g_setenv ("SLUICE_NON_UNIQUE", "1", TRUE);
  g_setenv ("SLUICE_REPORT_FIRST_FRAME", report, TRUE);

  g_print ("app %s, project %s (a fresh copy per run), %d runs each, alternated with the floor\n",
           app, project, runs);
  for (int i = 0; i < runs + 1; i++)
    {
      g_autofree char *copy = g_strdup_printf ("%s/retail-%d", tmp, i);
      g_autoptr(GFile) src = g_file_new_for_path (project);
      g_autoptr(GFile) dest = g_file_new_for_path (copy);
      char *app_argv[] = { app, copy, NULL };
      char *floor_argv[] = { self_path, (char *) "--floor-child", report, NULL };
      Sample s = { 0 };

      if (!copy_tree (src, dest, &error))
        {
          g_printerr ("copying %s: %s\n", project, error->message);
          return 1;
        }
      /* The first of each is a warm-up (page cache, font cache). */
      if (!run_once (app_argv, report, &s))
        g_printerr ("run %d of the app: no report\n", i);
      else if (i > 0)
        g_array_append_val (app_samples, s);
      if (!run_once (floor_argv, report, &s))
        g_printerr ("run %d of the floor: no report\n", i);
      else if (i > 0)
        g_array_append_val (floor_samples, s);
      remove_tree (copy);
    }
  summarize ("sluice examples/retail", app_samples);
  summarize ("floor: minimal libadwaita window", floor_samples);
  remove_tree (tmp);
  return 0;
}
