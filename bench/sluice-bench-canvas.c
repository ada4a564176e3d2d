/* The canvas goal: a generated pipeline (default 2,000 gems, 2,500 edges) in
 * a 1920×1080 window, and per frame two figures:
 *
 * 1. In-process frame production (the goal measure, PERF-NOTES §1): for each
 *    scripted frame, the view changes, then the canvas is laid out
 *    (gtk_widget_allocate: culling, placing the cards, cache upkeep), its
 *    render node is made (gtk_widget_snapshot_child from the window, so the
 *    canvas's CSS background and clip are in it, and cards not queued for
 *    drawing reuse their node as in a real frame) and rendered with a cairo
 *    GskRenderer (gsk_renderer_render_texture, viewport 1920×1080). No main
 *    loop runs in between, so X and the frame clock are not in it. Phases:
 *    300 frames of pan at 100 %, 100 zoom steps, 300 frames of dragging one
 *    gem, 100 frames of pan at zoom-to-fit. Reported: layout, snapshot and
 *    render medians, and the median/p95 of their sum (wall and CPU).
 * 2. On screen: the same script driven by a tick callback, wall time from
 *    the tick that changes the view to the frame clock's after-paint, and
 *    the GTK thread's CPU time over it. Under Xvfb this is bounded by the
 *    X upload of a full-window image (PERF-NOTES trap 2), so it is also
 *    given as a ratio to an empty 1920×1080 window whose one colour node
 *    changes every frame, measured the same way in the same run.
 *
 *   GSK_RENDERER=cairo xvfb-run -a -s "-screen 0 1920x1080x24 -nolisten tcp" \
 *     env GTK_A11Y=none GSETTINGS_BACKEND=memory _build/bench/sluice-bench-canvas
 *   options: --gems N --edges N --pan N --zoom N --drag N --overview N
 *            --no-screen (in-process only) --no-offscreen (on screen only)
 *            --screenshot PREFIX (PREFIX-zoom100.png, -zoom200.png, -zoom60.png, -zoom30.png)
 */
#include "config.h"

#include <adwaita.h>
#include <math.h>
#include <sys/resource.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "sluice-canvas.h"

typedef enum { PHASE_WARMUP, PHASE_PAN, PHASE_ZOOM, PHASE_DRAG, PHASE_OVERVIEW, PHASE_DONE } Phase;

static const char *phase_names[] = { "warm-up", "pan at 100 %", "zoom steps", "drag one gem", "overview pan (zoom to fit)" };

typedef struct
{
  GtkWidget    *window;
  SluiceCanvas *canvas;
  SluicePipeline *pipeline;
  Phase         phase;
  int           frame;          /* within the phase */
  int           n_pan, n_zoom, n_drag, n_overview;
  char         *drag_id;        /* owned: the gem being dragged */
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

static double
median_of (GArray *a)
{
  if (a->len == 0)
    return 0;
  g_array_sort (a, compare_doubles);
  return g_array_index (a, double, a->len / 2);
}

static double
p95_of (GArray *a)
{
  guint n = a->len;

  if (n == 0)
    return 0;
  g_array_sort (a, compare_doubles);
  return g_array_index (a, double, MIN (n - 1, (guint) ceil (n * 0.95) - 1));
}

static double
max_of (GArray *a)
{
  if (a->len == 0)
    return 0;
  g_array_sort (a, compare_doubles);
  return g_array_index (a, double, a->len - 1);
}

static void
report (const char *name,
        GArray     *times,
        GArray     *cpu)
{
  if (times->len == 0)
    return;
  g_print ("  %-28s frames %4u  median %6.2f ms  p95 %6.2f ms  max %6.2f ms   cpu median %6.2f p95 %6.2f ms\n",
           name, times->len, median_of (times), p95_of (times), max_of (times), median_of (cpu), p95_of (cpu));
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

/* Selects the gem nearest the centre of the view and starts a drag group,
 * as a press on a card does. */
static void
begin_drag (Bench *b)
{
  GListModel *gems = sluice_pipeline_get_gems (b->pipeline);
  double mx, my, best = G_MAXDOUBLE;
  const char *ids[2] = { NULL, NULL };

  sluice_canvas_view_to_model (b->canvas, gtk_widget_get_width (GTK_WIDGET (b->canvas)) / 2.0,
                               gtk_widget_get_height (GTK_WIDGET (b->canvas)) / 2.0, &mx, &my);
  g_clear_pointer (&b->drag_id, g_free);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      double d = hypot (sluice_gem_get_x (gem) - mx, sluice_gem_get_y (gem) - my);

      if (d < best)
        {
          best = d;
          g_free (b->drag_id);
          b->drag_id = g_strdup (sluice_gem_get_id (gem));
        }
    }
  ids[0] = b->drag_id;
  sluice_canvas_set_selection (b->canvas, ids);
  sluice_pipeline_begin_group (b->pipeline, "Move gems");
}

static void
end_drag (Bench *b)
{
  sluice_pipeline_end_group (b->pipeline);
  sluice_canvas_set_selection (b->canvas, NULL);
}

/* One scripted change of the view (or of the dragged gem) for @frame of @phase. */
static void
step (Bench *b,
      Phase  phase,
      int    frame)
{
  switch (phase)
    {
    case PHASE_ZOOM:
      {
        /* Down to about 0.45 and back up, 1.6 % a frame, about the centre. */
        double s = frame < b->n_zoom / 2 ? 1 / 1.016 : 1.016;
        sluice_canvas_set_zoom (b->canvas, sluice_canvas_get_zoom (b->canvas) * s);
      }
      break;
    case PHASE_DRAG:
      {
        /* A hand dragging a card: a few units a frame, out and back. */
        const char *ids[2] = { b->drag_id, NULL };
        int dir = frame < b->n_drag / 2 ? 1 : -1;
        sluice_pipeline_move_gems (b->pipeline, ids, 3 * dir, 1 * dir, NULL);
      }
      break;
    case PHASE_WARMUP:
    case PHASE_PAN:
    case PHASE_OVERVIEW:
    case PHASE_DONE:
    default:
      /* A diagonal pan of a few pixels a frame, as a hand drag makes. */
      sluice_canvas_pan_by (b->canvas, -9, -4);
      break;
    }
}

static int
phase_length (Bench *b,
              Phase  phase)
{
  switch (phase)
    {
    case PHASE_WARMUP:   return 20;
    case PHASE_PAN:      return b->n_pan;
    case PHASE_ZOOM:     return b->n_zoom;
    case PHASE_DRAG:     return b->n_drag;
    case PHASE_OVERVIEW: return b->n_overview;
    case PHASE_DONE:
    default:             return 0;
    }
}

/* What a phase needs before its first frame. */
static void
enter_phase (Bench *b,
             Phase  phase)
{
  if (phase == PHASE_DRAG)
    begin_drag (b);
  else if (phase == PHASE_OVERVIEW)
    sluice_canvas_zoom_to_fit (b->canvas);
}

/* VmRSS and VmHWM (the peak so far) in MB, from /proc/self/status. */
static void
memory_now (double *rss,
            double *peak)
{
  g_autofree char *status = NULL;
  const char *p;

  *rss = *peak = 0;
  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return;
  if ((p = strstr (status, "VmRSS:")))
    *rss = strtol (p + 6, NULL, 10) / 1024.0;
  if ((p = strstr (status, "VmHWM:")))
    *peak = strtol (p + 6, NULL, 10) / 1024.0;
}

static void
leave_phase (Bench *b,
             Phase  phase)
{
  double rss, peak;

  if (phase == PHASE_DRAG)
    end_drag (b);
  /* Which phase the peak comes from: each keeps its own caches. */
  memory_now (&rss, &peak);
  if (phase != PHASE_WARMUP && phase_length (b, phase) > 0)
    g_print ("  (after %s: VmRSS %.1f MB, peak so far %.1f MB)\n", phase_names[phase], rss, peak);
}

/* ---- In-process frame production ---- */

typedef struct
{
  GArray *layout, *snap, *render, *total, *total_cpu;
} Production;

static void
production_clear (Production *p)
{
  g_clear_pointer (&p->layout, g_array_unref);
  g_clear_pointer (&p->snap, g_array_unref);
  g_clear_pointer (&p->render, g_array_unref);
  g_clear_pointer (&p->total, g_array_unref);
  g_clear_pointer (&p->total_cpu, g_array_unref);
}

static void
push (GArray *a,
      double  v)
{
  g_array_append_val (a, v);
}

/* One frame: layout, snapshot, render; wall and CPU times appended. */
static void
produce_frame (Bench       *b,
               GskRenderer *renderer,
               Production  *p)
{
  GtkWidget *canvas = GTK_WIDGET (b->canvas);
  int w = gtk_widget_get_width (canvas), h = gtk_widget_get_height (canvas);
  gint64 t0 = g_get_monotonic_time (), c0 = thread_cpu_us (), t1, t2, t3;
  g_autoptr(GtkSnapshot) snapshot = NULL;
  GskRenderNode *node;
  GdkTexture *texture;

  gtk_widget_allocate (canvas, w, h, -1, NULL);
  t1 = g_get_monotonic_time ();
  snapshot = gtk_snapshot_new ();
  gtk_widget_snapshot_child (b->window, canvas, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  t2 = g_get_monotonic_time ();
  texture = node ? gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h)) : NULL;
  t3 = g_get_monotonic_time ();
  push (p->layout, (t1 - t0) / 1000.0);
  push (p->snap, (t2 - t1) / 1000.0);
  push (p->render, (t3 - t2) / 1000.0);
  push (p->total, (t3 - t0) / 1000.0);
  push (p->total_cpu, (thread_cpu_us () - c0) / 1000.0);
  g_clear_object (&texture);
  g_clear_pointer (&node, gsk_render_node_unref);
}

/* A timed frame of a phase (not the warm-up, not a phase's set-up), apart
 * so that a profile can take only these:
 *   valgrind --tool=callgrind --collect-atstart=no --toggle-collect=measured_frame */
static void __attribute__ ((noinline))
measured_frame (Bench       *b,
                GskRenderer *renderer,
                Production  *p)
{
  produce_frame (b, renderer, p);
}

static void
run_offscreen (Bench       *b,
               GskRenderer *renderer)
{
  g_print ("in-process frame production (layout + snapshot + gsk_renderer_render_texture, cairo, %d×%d):\n",
           gtk_widget_get_width (GTK_WIDGET (b->canvas)), gtk_widget_get_height (GTK_WIDGET (b->canvas)));
  for (Phase phase = PHASE_WARMUP; phase < PHASE_DONE; phase++)
    {
      Production p = {
        g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)),
        g_array_new (FALSE, FALSE, sizeof (double)), g_array_new (FALSE, FALSE, sizeof (double)),
        g_array_new (FALSE, FALSE, sizeof (double)),
      };
      int n = phase_length (b, phase);

      enter_phase (b, phase);
      /* The phase's set-up (a selection, a zoom to fit) is not timed. */
      produce_frame (b, renderer, &p);
      g_array_set_size (p.layout, 0);
      g_array_set_size (p.snap, 0);
      g_array_set_size (p.render, 0);
      g_array_set_size (p.total, 0);
      g_array_set_size (p.total_cpu, 0);
      for (int i = 0; i < n; i++)
        {
          step (b, phase, i);
          if (phase == PHASE_WARMUP)
            produce_frame (b, renderer, &p);
          else
            measured_frame (b, renderer, &p);
        }
      leave_phase (b, phase);
      if (phase != PHASE_WARMUP)
        g_print ("  %-28s frames %4d  median %6.2f ms  p95 %6.2f ms  max %6.2f ms   cpu median %6.2f p95 %6.2f ms"
                 "   (median layout %.2f, snapshot %.2f, render %.2f; zoom at end %.2f)\n",
                 phase_names[phase], n, median_of (p.total), p95_of (p.total), max_of (p.total),
                 median_of (p.total_cpu), p95_of (p.total_cpu),
                 median_of (p.layout), median_of (p.snap), median_of (p.render),
                 sluice_canvas_get_zoom (b->canvas));
      production_clear (&p);
    }
}

/* The same for a window whose only content is one colour node: what a
 * full-window cairo render costs at all. */
static void
offscreen_floor (GskRenderer *renderer,
                 int          w,
                 int          h)
{
  g_autoptr(GArray) t = g_array_new (FALSE, FALSE, sizeof (double));

  for (int i = 0; i < 120; i++)
    {
      gint64 t0 = g_get_monotonic_time ();
      GdkRGBA c = { (i % 50) / 50.0f, 0.5f, 0.5f, 1 };
      GskRenderNode *node = gsk_color_node_new (&c, &GRAPHENE_RECT_INIT (0, 0, w, h));
      GdkTexture *texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));

      g_object_unref (texture);
      gsk_render_node_unref (node);
      if (i >= 20)
        push (t, (g_get_monotonic_time () - t0) / 1000.0);
    }
  g_print ("  %-28s frames %4u  median %6.2f ms  p95 %6.2f ms\n", "floor: one colour node", t->len,
           median_of (t), p95_of (t));
}

/* ---- On screen ---- */

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
  step (b, b->phase, b->frame);
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
  if (++b->frame < phase_length (b, b->phase))
    return;
  leave_phase (b, b->phase);
  b->frame = 0;
  b->phase++;
  if (b->phase < PHASE_DONE)
    enter_phase (b, b->phase);
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

/* The floor on screen: a widget of one colour node that changes each frame. */
#define FLOOR_TYPE (floor_widget_get_type ())
G_DECLARE_FINAL_TYPE (FloorWidget, floor_widget, FLOOR, WIDGET, GtkWidget)
struct _FloorWidget { GtkWidget parent_instance; int n; };
G_DEFINE_FINAL_TYPE (FloorWidget, floor_widget, GTK_TYPE_WIDGET)

static void
floor_widget_snapshot (GtkWidget   *widget,
                       GtkSnapshot *snapshot)
{
  FloorWidget *self = FLOOR_WIDGET (widget);
  GdkRGBA c = { (self->n % 50) / 50.0f, 0.5f, 0.5f, 1 };

  gtk_snapshot_append_color (snapshot, &c, &GRAPHENE_RECT_INIT (0, 0, gtk_widget_get_width (widget),
                                                               gtk_widget_get_height (widget)));
}

static void floor_widget_class_init (FloorWidgetClass *klass) { GTK_WIDGET_CLASS (klass)->snapshot = floor_widget_snapshot; }
static void floor_widget_init (FloorWidget *self) { }

typedef struct
{
  FloorWidget *widget;
  int          frames;
  gint64       tick_start, tick_cpu;
  GArray      *times, *cpu;
  GMainLoop   *loop;
} Floor;

static gboolean
floor_tick_cb (GtkWidget     *widget,
               GdkFrameClock *clock,
               gpointer       data)
{
  Floor *f = data;

  if (f->frames >= 120)
    {
      g_main_loop_quit (f->loop);
      return G_SOURCE_REMOVE;
    }
  f->widget->n++;
  f->tick_start = g_get_monotonic_time ();
  f->tick_cpu = thread_cpu_us ();
  gtk_widget_queue_draw (widget);
  return G_SOURCE_CONTINUE;
}

static void
floor_paint_cb (GdkFrameClock *clock,
                Floor         *f)
{
  if (f->tick_start == 0)
    return;
  if (f->frames++ >= 20)
    {
      push (f->times, (g_get_monotonic_time () - f->tick_start) / 1000.0);
      push (f->cpu, (thread_cpu_us () - f->tick_cpu) / 1000.0);
    }
  f->tick_start = 0;
}

/* Returns the floor's median wall time per frame. */
static double
onscreen_floor (void)
{
  Floor f = { 0 };
  GtkWidget *window = gtk_window_new ();
  double median;
  gulong id;

  f.times = g_array_new (FALSE, FALSE, sizeof (double));
  f.cpu = g_array_new (FALSE, FALSE, sizeof (double));
  f.loop = g_main_loop_new (NULL, FALSE);
  f.widget = g_object_new (FLOOR_TYPE, NULL);
  gtk_window_set_decorated (GTK_WINDOW (window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (window), 1920, 1080);
  gtk_window_set_child (GTK_WINDOW (window), GTK_WIDGET (f.widget));
  gtk_window_present (GTK_WINDOW (window));
  gtk_widget_realize (window);
  id = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint", G_CALLBACK (floor_paint_cb), &f);
  gtk_widget_add_tick_callback (GTK_WIDGET (f.widget), floor_tick_cb, &f, NULL);
  g_main_loop_run (f.loop);
  g_signal_handler_disconnect (gtk_widget_get_frame_clock (window), id);
  report ("floor: empty window", f.times, f.cpu);
  median = median_of (f.times);
  gtk_window_destroy (GTK_WINDOW (window));
  g_array_unref (f.times);
  g_array_unref (f.cpu);
  g_main_loop_unref (f.loop);
  return median;
}

/* ---- Screenshots, to look at what the cards look like ---- */

static void
screenshot (Bench       *b,
            GskRenderer *renderer,
            const char  *prefix,
            const char  *name,
            double       zoom)
{
  GtkWidget *canvas = GTK_WIDGET (b->canvas);
  int w = gtk_widget_get_width (canvas), h = gtk_widget_get_height (canvas);
  g_autoptr(GtkSnapshot) snapshot = NULL;
  g_autofree char *path = g_strdup_printf ("%s-%s.png", prefix, name);
  GskRenderNode *node;
  GdkTexture *texture;

  sluice_canvas_set_zoom (b->canvas, zoom);
  /* Let the zoom rest, as a user's would, so the view is drawn at it. */
  for (gint64 end = g_get_monotonic_time () + 2100 * 1000; g_get_monotonic_time () < end;)
    g_main_context_iteration (NULL, FALSE);
  gtk_widget_allocate (canvas, w, h, -1, NULL);
  snapshot = gtk_snapshot_new ();
  gtk_widget_snapshot_child (b->window, canvas, snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_texture_save_to_png (texture, path);
  g_print ("screenshot: %s (zoom %.2f)\n", path, zoom);
  g_object_unref (texture);
  gsk_render_node_unref (node);
}

int
main (int    argc,
      char **argv)
{
  int n_gems = 2000, n_edges = 2500;
  gboolean no_screen = FALSE, no_offscreen = FALSE;
  g_autofree char *shots = NULL;
  Bench b = { 0 };
  GOptionEntry entries[] = {
    { "gems", 0, 0, G_OPTION_ARG_INT, &n_gems, "Gems in the generated pipeline", "N" },
    { "edges", 0, 0, G_OPTION_ARG_INT, &n_edges, "Edges in it", "N" },
    { "pan", 0, 0, G_OPTION_ARG_INT, &b.n_pan, "Pan frames", "N" },
    { "zoom", 0, 0, G_OPTION_ARG_INT, &b.n_zoom, "Zoom frames", "N" },
    { "drag", 0, 0, G_OPTION_ARG_INT, &b.n_drag, "Frames dragging one gem", "N" },
    { "overview", 0, 0, G_OPTION_ARG_INT, &b.n_overview, "Overview pan frames", "N" },
    { "no-screen", 0, 0, G_OPTION_ARG_NONE, &no_screen, "Only the in-process figures", NULL },
    { "no-offscreen", 0, 0, G_OPTION_ARG_NONE, &no_offscreen, "Only the on-screen figures", NULL },
    { "screenshot", 0, 0, G_OPTION_ARG_FILENAME, &shots, "Save PNGs of the canvas with this prefix", "PREFIX" },
    { NULL }
  };
  g_autoptr(GOptionContext) ctx = g_option_context_new (NULL);
  g_autoptr(GError) error = NULL;
  g_autoptr(GskRenderer) renderer = NULL;
  struct rusage ru;
  gint64 t0;

  b.n_pan = 300;
  b.n_zoom = 100;
  b.n_drag = 300;
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
  b.pipeline = generate (n_gems, n_edges);
  g_print ("pipeline: %u gems, %u edges, generated in %.1f ms\n",
           g_list_model_get_n_items (sluice_pipeline_get_gems (b.pipeline)),
           g_list_model_get_n_items (sluice_pipeline_get_edges (b.pipeline)),
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
  sluice_canvas_set_pipeline (b.canvas, b.pipeline);
  gtk_window_set_child (GTK_WINDOW (b.window), GTK_WIDGET (b.canvas));
  gtk_window_present (GTK_WINDOW (b.window));
  gtk_widget_realize (b.window);

  {
    GdkFrameClock *clock = gtk_widget_get_frame_clock (b.window);
    gulong id = g_signal_connect (clock, "after-paint", G_CALLBACK (first_paint_cb), &b);

    g_main_loop_run (b.loop);
    g_signal_handler_disconnect (clock, id);
    g_print ("renderer on screen: %s, canvas %d×%d\n",
             G_OBJECT_TYPE_NAME (gtk_native_get_renderer (GTK_NATIVE (b.window))),
             gtk_widget_get_width (GTK_WIDGET (b.canvas)), gtk_widget_get_height (GTK_WIDGET (b.canvas)));
    g_print ("time to first frame: %.1f ms (window, %d cards and their wires, to the first after-paint)\n",
             (b.t_first_frame - b.t_present) / 1000.0, n_gems);
    getrusage (RUSAGE_SELF, &ru);
    g_print ("peak RSS after first frame: %.1f MB\n", ru.ru_maxrss / 1024.0);

    renderer = gsk_cairo_renderer_new ();
    if (!gsk_renderer_realize (renderer, NULL, &error))
      {
        g_printerr ("cairo renderer: %s\n", error->message);
        return 1;
      }

    if (shots)
      {
        /* One gem selected, one with a diagnostic-like badge: what must stay visible. */
        begin_drag (&b);
        sluice_canvas_set_gem_badge (b.canvas, b.drag_id, "1,234 rows", FALSE);
        end_drag (&b);
        sluice_canvas_set_selection (b.canvas, (const char *[]) { b.drag_id, NULL });
        screenshot (&b, renderer, shots, "zoom100", 1.0);
        screenshot (&b, renderer, shots, "zoom200", 2.0);
        screenshot (&b, renderer, shots, "zoom60", 0.6);
        screenshot (&b, renderer, shots, "zoom30", 0.3);
        sluice_canvas_set_zoom (b.canvas, 1.0);
        sluice_canvas_set_selection (b.canvas, NULL);
        sluice_canvas_set_gem_badge (b.canvas, b.drag_id, NULL, FALSE);
      }

    if (!no_offscreen)
      {
        run_offscreen (&b, renderer);
        offscreen_floor (renderer, gtk_widget_get_width (GTK_WIDGET (b.canvas)),
                         gtk_widget_get_height (GTK_WIDGET (b.canvas)));
        /* The on-screen run starts where a fresh window would. */
        sluice_canvas_set_zoom (b.canvas, 1.0);
      }

    if (!no_screen)
      {
        g_signal_connect (clock, "after-paint", G_CALLBACK (after_paint_cb), &b);
        gtk_widget_add_tick_callback (GTK_WIDGET (b.canvas), tick_cb, &b, NULL);
        g_main_loop_run (b.loop);
      }
  }

  if (!no_screen)
    {
      g_print ("on screen (tick to after-paint; includes the X upload of each frame):\n");
      for (int i = PHASE_PAN; i < PHASE_DONE; i++)
        report (phase_names[i], b.times[i], b.cpu[i]);
    }
  getrusage (RUSAGE_SELF, &ru);
  g_print ("peak RSS: %.1f MB\n", ru.ru_maxrss / 1024.0);

  gsk_renderer_unrealize (renderer);
  gtk_window_destroy (GTK_WINDOW (b.window));
  if (!no_screen)
    {
      double floor = onscreen_floor ();
      for (int i = PHASE_PAN; i < PHASE_DONE; i++)
        if (b.times[i]->len)
          g_print ("  %-28s on-screen frame rate / empty-window frame rate = %.2f\n",
                   phase_names[i], floor / median_of (b.times[i]));
    }

  for (int i = 0; i < PHASE_DONE; i++)
    {
      g_array_unref (b.times[i]);
      g_array_unref (b.cpu[i]);
    }
  g_clear_object (&b.pipeline);
  g_free (b.drag_id);
  g_main_loop_unref (b.loop);
  return 0;
}
