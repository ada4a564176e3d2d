/* The canvas goal: a generated pipeline (default 2,000 gems, 2,500 edges) in
 * a real window, a scripted pan then zoom driven by a tick callback, and per
 * frame the in-process production time: from the tick that changes the view
 * to the frame clock's after-paint, i.e. layout + snapshot + GSK render and
 * hand-off to X. Xvfb's own presentation is not in it (PERF-NOTES trap 2).
 *
 *   GSK_RENDERER=cairo xvfb-run -a -s "-screen 0 1920x1080x24" \
 *     _build/bench/sluice-bench-canvas [--gems N] [--edges N] [--pan N] [--zoom N] [--overview N]
 *
 * Prints time to first frame, median/p95/max per phase (wall time, and the
 * GTK thread's CPU time over the same interval), and peak RSS.
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <sys/resource.h>
#include <time.h>

#include "sluice-canvas.h"

typedef enum { PHASE_WARMUP, PHASE_PAN, PHASE_ZOOM, PHASE_OVERVIEW, PHASE_DONE } Phase;

static const char *phase_names[] = { "warm-up", "pan at 100 %", "zoom steps", "overview pan (zoom to fit)" };

typedef struct
{
  GtkWidget    *window;
  SluiceCanvas *canvas;
  Phase         phase;
  int           frame;          /* within the phase */
  int           n_pan, n_zoom, n_overview;
  gint64        tick_start;     /* 0 when no change is pending */
  gint64        tick_cpu;       /* this thread's CPU time at the tick, µs */
  GArray       *times[PHASE_DONE];
  GArray       *cpu[PHASE_DONE];
  gint64        t_present;
  gint64        t_first_frame;
  GMainLoop    *loop;
} Bench;

static int
compare_doubles (gconstpointer a,
                 gconstpointer b)
{
  double x = *(const double *) a, y = *(const double *) b;
  return x < y ? -1 : x > y;
}

/* CPU time of the calling thread (the GTK thread: layout, snapshot and the
 * cairo renderer all run on it), in µs. Unlike wall time it does not grow
 * when other processes take the shared cores, so it is the steadier figure
 * on a busy machine; the X server's share of a frame is not in it. */
static gint64
thread_cpu_us (void)
{
  struct timespec ts;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &ts);
  return (gint64) ts.tv_sec * G_USEC_PER_SEC + ts.tv_nsec / 1000;
}

static void
report (const char *name,
        GArray     *times,
        GArray     *cpu)
{
  double *v = (double *) times->data, *c = (double *) cpu->data;
  guint n = times->len;

  if (n == 0)
    return;
  g_array_sort (times, compare_doubles);
  g_array_sort (cpu, compare_doubles);
  g_print ("%-28s frames %4u  median %6.2f ms  p95 %6.2f ms  max %6.2f ms   cpu median %6.2f p95 %6.2f ms\n",
           name, n, v[n / 2], v[MIN (n - 1, (guint) ceil (n * 0.95) - 1)], v[n - 1],
           c[n / 2], c[MIN (n - 1, (guint) ceil (n * 0.95) - 1)]);
}

static SluicePipeline *
generate (int n_gems,
          int n_edges)
{
  SluicePipeline *p = sluice_pipeline_new ("bench");
  int rows = 50, cols = MAX (2, (n_gems + rows - 1) / rows);
  int extra = MAX (0, n_edges - (n_gems - rows));   /* second inputs, on joins */
  g_autoptr(GPtrArray) ids = g_ptr_array_new_with_free_func (g_free);
  g_autoptr(GRand) rand = g_rand_new_with_seed (42);

  sluice_pipeline_begin_group (p, "generate");
  for (int i = 0; i < n_gems; i++)
    {
      int c = i / rows, r = i % rows;
      g_autofree char *label = g_strdup_printf ("gem %d", i);
      const char *type = c == 0 ? "Source" : (i % 7 == 0 ? "Target" : (i % 3 == 0 && extra-- > 0 ? "Join" : "Filter"));
      SluiceGem *gem;

      if (c > 0 && c == cols - 1)
        type = g_str_equal (type, "Join") ? type : "Target";
      else if (g_str_equal (type, "Target"))
        type = "Filter";
      gem = sluice_pipeline_add_gem (p, type, label, c * 280, r * 110, NULL);
      g_ptr_array_add (ids, g_strdup (sluice_gem_get_id (gem)));
      if (c > 0)
        {
          const char *from = g_ptr_array_index (ids, (c - 1) * rows + g_rand_int_range (rand, 0, rows));
          sluice_pipeline_connect (p, from, "out", sluice_gem_get_id (gem), "in0", NULL);
          if (g_str_equal (type, "Join"))
            {
              const char *other = g_ptr_array_index (ids, (c - 1) * rows + g_rand_int_range (rand, 0, rows));
              sluice_pipeline_connect (p, other, "out", sluice_gem_get_id (gem), "in1", NULL);
            }
        }
    }
  sluice_pipeline_end_group (p);
  return p;
}

static int
phase_length (Bench *b)
{
  switch (b->phase)
    {
    case PHASE_WARMUP:   return 20;
    case PHASE_PAN:      return b->n_pan;
    case PHASE_ZOOM:     return b->n_zoom;
    case PHASE_OVERVIEW: return b->n_overview;
    case PHASE_DONE:
    default:             return 0;
    }
}

/* The update phase of a frame: change the view, start the clock. */
static gboolean
tick_cb (GtkWidget     *widget,
         GdkFrameClock *clock,
         gpointer       data)
{
  Bench *b = data;

  if (b->phase == PHASE_DONE)
    {
      g_main_loop_quit (b->loop);
      return G_SOURCE_REMOVE;
    }
  b->tick_start = g_get_monotonic_time ();
  b->tick_cpu = thread_cpu_us ();
  if (b->phase == PHASE_ZOOM)
    {
      /* Down to about 0.45 and back up, 1.6 % a frame, about the centre. */
      double step = b->frame < b->n_zoom / 2 ? 1 / 1.016 : 1.016;
      sluice_canvas_set_zoom (b->canvas, sluice_canvas_get_zoom (b->canvas) * step);
    }
  else
    /* A diagonal pan of a few pixels a frame, as a hand drag makes. */
    sluice_canvas_pan_by (b->canvas, -9, -4);
  return G_SOURCE_CONTINUE;
}

/* The frame is on its way to X: stop the clock, maybe change phase. */
static void
after_paint_cb (GdkFrameClock *clock,
                Bench         *b)
{
  if (b->tick_start == 0 || b->phase == PHASE_DONE)
    return;
  g_array_append_val (b->times[b->phase], ((double) { (g_get_monotonic_time () - b->tick_start) / 1000.0 }));
  g_array_append_val (b->cpu[b->phase], ((double) { (thread_cpu_us () - b->tick_cpu) / 1000.0 }));
  b->tick_start = 0;
  if (++b->frame < phase_length (b))
    return;
  b->frame = 0;
  b->phase++;
  if (b->phase == PHASE_OVERVIEW)
    sluice_canvas_zoom_to_fit (b->canvas);
}

static void
first_paint_cb (GdkFrameClock *clock,
                Bench         *b)
{
  if (b->t_first_frame == 0 && gtk_widget_get_width (GTK_WIDGET (b->canvas)) > 0)
    {
      b->t_first_frame = g_get_monotonic_time ();
      g_main_loop_quit (b->loop);
    }
}

int
main (int    argc,
      char **argv)
{
  int n_gems = 2000, n_edges = 2500;
  Bench b = { 0 };
  GOptionEntry entries[] = {
    { "gems", 0, 0, G_OPTION_ARG_INT, &n_gems, "Gems in the generated pipeline", "N" },
    { "edges", 0, 0, G_OPTION_ARG_INT, &n_edges, "Edges in it", "N" },
    { "pan", 0, 0, G_OPTION_ARG_INT, &b.n_pan, "Pan frames", "N" },
    { "zoom", 0, 0, G_OPTION_ARG_INT, &b.n_zoom, "Zoom frames", "N" },
    { "overview", 0, 0, G_OPTION_ARG_INT, &b.n_overview, "Overview pan frames", "N" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluicePipeline) pipeline = NULL;
  struct rusage ru;
  gint64 t0;

  b.n_pan = 300;
  b.n_zoom = 100;
  b.n_overview = 100;
  g_option_context_add_main_entries (ctx, entries, NULL);
  if (!g_option_context_parse (ctx, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  adw_init ();
  g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
  /* The app's own style (cards' background, border, shadow), so the cards
   * cost what they cost in Sluice. */
  {
    g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();
    gtk_css_provider_load_from_resource (css, "/dev/sluice/Sluice/style.css");
    gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
  }

  t0 = g_get_monotonic_time ();
  pipeline = generate (n_gems, n_edges);
  g_print ("pipeline: %u gems, %u edges, generated in %.1f ms\n",
           g_list_model_get_n_items (sluice_pipeline_get_gems (pipeline)),
           g_list_model_get_n_items (sluice_pipeline_get_edges (pipeline)),
           (g_get_monotonic_time () - t0) / 1000.0);

  for (int i = 0; i < PHASE_DONE; i++)
    {
      b.times[i] = g_array_new (FALSE, FALSE, sizeof (double));
      b.cpu[i] = g_array_new (FALSE, FALSE, sizeof (double));
    }
  b.loop = g_main_loop_new (NULL, FALSE);

  b.t_present = g_get_monotonic_time ();
  b.window = gtk_window_new ();
  gtk_window_set_decorated (GTK_WINDOW (b.window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (b.window), 1920, 1080);
  b.canvas = SLUICE_CANVAS (sluice_canvas_new ());
  sluice_canvas_set_pipeline (b.canvas, pipeline);
  gtk_window_set_child (GTK_WINDOW (b.window), GTK_WIDGET (b.canvas));
  gtk_window_present (GTK_WINDOW (b.window));
  gtk_widget_realize (b.window);

  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (b.window);
    gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (first_paint_cb), &b);

    g_main_loop_run (b.loop);
    g_signal_handler_disconnect (clock, id);
    g_print ("renderer: %s, canvas %d×%d\n",
             G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (b.window))),
             gtk_widget_get_width (GTK_WIDGET (b.canvas)), gtk_widget_get_height (GTK_WIDGET (b.canvas)));
    g_print ("time to first frame: %.1f ms (window, %d cards and their wires, to the first after-paint)\n",
             (b.t_first_frame - b.t_present) / 1000.0, n_gems);
    getrusage (RUSAGE_SELF, &ru);
    g_print ("peak RSS after first frame: %.1f MB\n", ru.ru_maxrss / 1024.0);

    g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &b);
    gtk_widget_add_tick_callback (GTK_WIDGET (b.canvas), tick_cb, &b, NULL);
    g_main_loop_run (b.loop);
  }

  for (int i = PHASE_PAN; i < PHASE_DONE; i++)
    report (phase_names[i], b.times[i], b.cpu[i]);
  getrusage (RUSAGE_SELF, &ru);
  g_print ("peak RSS: %.1f MB\n", ru.ru_maxrss / 1024.0);

  gtk_window_destroy (GTK_WINDOW (b.window));
  for (int i = 0; i < PHASE_DONE; i++)
    {
      g_array_unref (b.times[i]);
      g_array_unref (b.cpu[i]);
    }
  g_main_loop_unref (b.loop);
  return 0;
}
