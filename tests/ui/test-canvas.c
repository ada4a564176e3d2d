/* The pipeline canvas in a real window under Xvfb: widget-level checks
 * through its API and actions, then real pointer and key events through
 * xdotool. */
#include "config.h"

#include <math.h>
#include <adwaita.h>
#include <gdk/x11/gdkx.h>
#include <gtk/gtk.h>

#include "sluice-canvas.h"
#include "sluice-gem-widget.h"
#include "ui-test-util.h"

static gboolean have_display;

typedef struct
{
  GtkWindow      *window;
  SluiceCanvas   *canvas;
  SluicePipeline *pipeline;
  SluiceResolver *resolver;
} Fixture;

static void
spin_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      while (g_main_context_iteration (NULL, FALSE))
        ;
      g_usleep (2000);
    }
}

static void
spin_until (gboolean (*done) (gpointer),
            gpointer   data)
{
  gint64 deadline = g_get_monotonic_time () + 10 * G_USEC_PER_SEC;

  while (!done (data))
    {
      g_assert_cmpint (g_get_monotonic_time (), <, deadline);
      g_main_context_iteration (NULL, FALSE);
      g_usleep (1000);
    }
}

static gboolean
is_allocated (gpointer data)
{
  return gtk_widget_get_mapped (data) && gtk_widget_get_width (data) > 0;
}

static SluiceGem *
add (SluicePipeline *p,
     const char     *type,
     const char     *label,
     int             x,
     int             y)
{
  g_autoptr(GError) error = NULL;
  SluiceGem *gem = sluice_pipeline_add_gem (p, type, label, x, y, &error);

  g_assert_no_error (error);
  return gem;
}

static void
wire (SluicePipeline *p,
      const char     *from,
      const char     *to,
      const char     *port)
{
  g_autoptr(GError) error = NULL;

  g_assert_nonnull (sluice_pipeline_connect (p, from, "out", to, port, &error));
  g_assert_no_error (error);
}

/* orders → (join.in0) join ← customers (in1); join → recent_orders → target */
static void
fixture_setup (Fixture       *f,
               gconstpointer  data)
{
  g_autoptr(GListStore) datasets = g_list_store_new (SLUICE_TYPE_DATASET);

  if (!have_display)
    return;
  f->pipeline = sluice_pipeline_new ("orders");
  add (f->pipeline, "Source", "Orders", 40, 40);
  add (f->pipeline, "Source", "Customers", 40, 200);
  add (f->pipeline, "Join", "Orders with customers", 300, 100);
  add (f->pipeline, "Filter", "Recent orders", 560, 100);
  add (f->pipeline, "Target", "Report", 800, 100);
  wire (f->pipeline, "orders", "orders_with_customers", "in0");
  wire (f->pipeline, "customers", "orders_with_customers", "in1");
  wire (f->pipeline, "orders_with_customers", "recent_orders", "in0");
  wire (f->pipeline, "recent_orders", "report", "in0");
  /* Real datasets, so schemas resolve, and a condition naming a column the
   * orders do not have: one error on the filter once it reads them. */
  for (guint i = 0; i < 2; i++)
    {
      const char *name = i == 0 ? "orders" : "customers";
      g_autofree char *file = g_strdup_printf ("%s/examples/retail/datasets/%s.json",
                                               g_getenv ("SLUICE_SOURCE_ROOT"), name);
      g_autofree char *text = NULL;
      gsize len;
      g_autoptr(GError) error = NULL;
      g_autoptr(GBytes) bytes = NULL;
      g_autoptr(SluiceDataset) ds = NULL;
      g_autoptr(JsonNode) value = json_node_init_string (json_node_alloc (), name);

      g_assert_true (g_file_get_contents (file, &text, &len, &error));
      bytes = g_bytes_new_take (g_steal_pointer (&text), len);
      ds = sluice_dataset_load_from_bytes (name, file, bytes, NULL, &error);
      g_assert_no_error (error);
      g_list_store_append (datasets, ds);
      g_assert_true (sluice_pipeline_set_config (f->pipeline, name, "dataset", value, &error));
    }
  {
    g_autoptr(JsonNode) bad = json_node_init_string (json_node_alloc (), "no_such_column > 1");
    g_autoptr(GError) error = NULL;
    g_assert_true (sluice_pipeline_set_config (f->pipeline, "recent_orders", "condition", bad, &error));
    g_assert_no_error (error);
  }
  f->resolver = sluice_resolver_new (f->pipeline, G_LIST_MODEL (datasets));

  f->window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_title (f->window, "sluice-test-canvas");
  gtk_window_set_decorated (f->window, FALSE);
  gtk_window_set_default_size (f->window, 1100, 420);
  f->canvas = SLUICE_CANVAS (sluice_canvas_new ());
  sluice_canvas_set_pipeline (f->canvas, f->pipeline);
  sluice_canvas_set_resolver (f->canvas, f->resolver);
  gtk_window_set_child (f->window, GTK_WIDGET (f->canvas));
  gtk_window_present (f->window);
  spin_until (is_allocated, f->canvas);
  spin_ms (100);
}

static void
fixture_teardown (Fixture       *f,
                  gconstpointer  data)
{
  if (!have_display)
    return;
  gtk_window_destroy (f->window);
  spin_ms (20);
  g_assert_finalize_object (f->resolver);
  g_assert_finalize_object (f->pipeline);
}

#define SKIP_WITHOUT_DISPLAY() \
  G_STMT_START { if (!have_display) { g_test_skip ("no display"); return; } } G_STMT_END

static void
assert_card_at_model_position (Fixture    *f,
                               const char *id)
{
  GtkWidget *card = sluice_canvas_get_gem_widget (f->canvas, id);
  SluiceGem *gem = sluice_pipeline_find_gem (f->pipeline, id);
  double zoom = sluice_canvas_get_zoom (f->canvas), vx, vy;
  graphene_rect_t bounds;

  g_assert_nonnull (card);
  g_assert_true (gtk_widget_get_parent (card) == GTK_WIDGET (f->canvas));
  g_assert_true (gtk_widget_compute_bounds (card, GTK_WIDGET (f->canvas), &bounds));
  sluice_canvas_model_to_view (f->canvas, sluice_gem_get_x (gem), sluice_gem_get_y (gem), &vx, &vy);
  /* Cards are placed on whole pixels (so the renderer copies rather than
   * resamples their image): within half a pixel of the exact point. */
  g_assert_cmpfloat_with_epsilon (bounds.origin.x, vx, 0.501);
  g_assert_cmpfloat_with_epsilon (bounds.origin.y, vy, 0.501);
  g_assert_cmpfloat_with_epsilon (bounds.size.width, SLUICE_GEM_WIDGET_WIDTH * zoom, 0.01);
}

static void
test_gems_are_children_at_their_positions (Fixture       *f,
                                           gconstpointer  data)
{
  const char *ids[] = { "orders", "customers", "orders_with_customers", "recent_orders", "report" };
  guint n = 0;

  SKIP_WITHOUT_DISPLAY ();
  for (GtkWidget *c = gtk_widget_get_first_child (GTK_WIDGET (f->canvas)); c; c = gtk_widget_get_next_sibling (c))
    n++;
  g_assert_cmpuint (n, ==, 5);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    assert_card_at_model_position (f, ids[i]);

  /* Zooming scales the cards about the same model points. */
  sluice_canvas_set_zoom (f->canvas, 0.5);
  spin_ms (50);
  g_assert_cmpfloat (sluice_canvas_get_zoom (f->canvas), ==, 0.5);
  for (guint i = 0; i < G_N_ELEMENTS (ids); i++)
    assert_card_at_model_position (f, ids[i]);
}

static void
test_follows_the_model (Fixture       *f,
                        gconstpointer  data)
{
  g_autoptr(GError) error = NULL;
  const char *far[] = { "far_away", NULL };

  SKIP_WITHOUT_DISPLAY ();
  add (f->pipeline, "Limit", "Far away", 20000, 20000);
  spin_ms (50);
  g_assert_nonnull (sluice_canvas_get_gem_widget (f->canvas, "far_away"));
  /* Off screen: kept out of allocation and drawing. */
  g_assert_false (gtk_widget_get_child_visible (sluice_canvas_get_gem_widget (f->canvas, "far_away")));
  g_assert_true (gtk_widget_get_child_visible (sluice_canvas_get_gem_widget (f->canvas, "orders")));

  g_assert_true (sluice_pipeline_set_position (f->pipeline, "far_away", 300, 300, &error));
  g_assert_no_error (error);
  spin_ms (50);
  g_assert_true (gtk_widget_get_child_visible (sluice_canvas_get_gem_widget (f->canvas, "far_away")));
  assert_card_at_model_position (f, "far_away");

  g_assert_true (sluice_pipeline_remove_gems (f->pipeline, far, &error));
  spin_ms (20);
  g_assert_null (sluice_canvas_get_gem_widget (f->canvas, "far_away"));
}

static void
count_cb (gpointer  unused,
          guint    *count)
{
  (*count)++;
}

static void
test_select_delete_undo_through_actions (Fixture       *f,
                                         gconstpointer  data)
{
  GListModel *gems = sluice_pipeline_get_gems (f->pipeline);
  GListModel *edges = sluice_pipeline_get_edges (f->pipeline);
  const char *two[] = { "recent_orders", "report", NULL };
  g_auto(GStrv) sel = NULL;
  guint changed = 0;

  SKIP_WITHOUT_DISPLAY ();
  g_signal_connect (f->canvas, "selection-changed", G_CALLBACK (count_cb), &changed);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.select-all", NULL));
  sel = sluice_canvas_get_selection (f->canvas);
  g_assert_cmpuint (g_strv_length (sel), ==, 5);
  g_assert_cmpuint (changed, ==, 1);
  g_assert_true (sluice_gem_widget_get_selected (SLUICE_GEM_WIDGET (sluice_canvas_get_gem_widget (f->canvas, "orders"))));

  sluice_canvas_set_selection (f->canvas, two);
  g_clear_pointer (&sel, g_strfreev);
  sel = sluice_canvas_get_selection (f->canvas);
  g_assert_cmpstrv (sel, two);
  g_assert_cmpuint (changed, ==, 2);
  sluice_canvas_set_selection (f->canvas, two);
  g_assert_cmpuint (changed, ==, 2); /* no change, no signal */

  /* Arrow keys' action: one step moves the whole selection. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.move-selection", "(ii)", 16, -8));
  g_assert_cmpint (sluice_gem_get_x (sluice_pipeline_find_gem (f->pipeline, "report")), ==, 816);
  g_assert_cmpint (sluice_gem_get_y (sluice_pipeline_find_gem (f->pipeline, "recent_orders")), ==, 92);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.undo", NULL));
  g_assert_cmpint (sluice_gem_get_x (sluice_pipeline_find_gem (f->pipeline, "report")), ==, 800);

  /* Delete: both gems and their three wires, as one undo step. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.delete", NULL));
  spin_ms (20);
  g_assert_cmpuint (g_list_model_get_n_items (gems), ==, 3);
  g_assert_cmpuint (g_list_model_get_n_items (edges), ==, 2);
  g_assert_null (sluice_canvas_get_gem_widget (f->canvas, "report"));
  g_clear_pointer (&sel, g_strfreev);
  sel = sluice_canvas_get_selection (f->canvas);
  g_assert_cmpuint (g_strv_length (sel), ==, 0);

  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.undo", NULL));
  spin_ms (20);
  g_assert_cmpuint (g_list_model_get_n_items (gems), ==, 5);
  g_assert_cmpuint (g_list_model_get_n_items (edges), ==, 4);
  assert_card_at_model_position (f, "report");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.redo", NULL));
  g_assert_cmpuint (g_list_model_get_n_items (gems), ==, 3);

  /* Nothing selected: delete does nothing. */
  sluice_canvas_set_selection (f->canvas, NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.delete", NULL);
  g_assert_cmpuint (g_list_model_get_n_items (gems), ==, 3);
}

static void
test_tab_cycles_gems (Fixture       *f,
                      gconstpointer  data)
{
  g_auto(GStrv) sel = NULL;

  SKIP_WITHOUT_DISPLAY ();
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.select-next", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.select-next", NULL);
  sel = sluice_canvas_get_selection (f->canvas);
  g_assert_cmpuint (g_strv_length (sel), ==, 1);
  g_assert_cmpstr (sel[0], ==, "customers");
  g_assert_true (gtk_widget_has_focus (sluice_canvas_get_gem_widget (f->canvas, "customers")));
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.select-previous", NULL);
  gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.select-previous", NULL);
  g_clear_pointer (&sel, g_strfreev);
  sel = sluice_canvas_get_selection (f->canvas);
  g_assert_cmpstr (sel[0], ==, "report");  /* wraps around */
}

static void
test_zoom_actions (Fixture       *f,
                   gconstpointer  data)
{
  int w = gtk_widget_get_width (GTK_WIDGET (f->canvas)), h = gtk_widget_get_height (GTK_WIDGET (f->canvas));
  GListModel *gems = sluice_pipeline_get_gems (f->pipeline);

  SKIP_WITHOUT_DISPLAY ();
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-in", NULL));
  g_assert_cmpfloat_with_epsilon (sluice_canvas_get_zoom (f->canvas), 1.25, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-out", NULL));
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-out", NULL));
  g_assert_cmpfloat_with_epsilon (sluice_canvas_get_zoom (f->canvas), 0.8, 1e-9);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-reset", NULL));
  g_assert_cmpfloat_with_epsilon (sluice_canvas_get_zoom (f->canvas), 1.0, 1e-9);

  add (f->pipeline, "Limit", "Far away", 3000, 1500);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.zoom-to-fit", NULL));
  spin_ms (50);
  g_assert_cmpfloat (sluice_canvas_get_zoom (f->canvas), <, 0.5);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      graphene_rect_t b;
      g_assert_true (gtk_widget_compute_bounds (sluice_canvas_get_gem_widget (f->canvas, sluice_gem_get_id (gem)),
                                                GTK_WIDGET (f->canvas), &b));
      g_assert_cmpfloat (b.origin.x, >=, 0);
      g_assert_cmpfloat (b.origin.y, >=, 0);
      g_assert_cmpfloat (b.origin.x + b.size.width, <=, w);
      g_assert_cmpfloat (b.origin.y + b.size.height, <=, h);
    }
}

static void
test_accessible_labels (Fixture       *f,
                        gconstpointer  data)
{
  GtkWidget *filter, *join;
  g_autofree char *label = NULL;
  g_autofree char *check = NULL;
  GPtrArray *diags;

  SKIP_WITHOUT_DISPLAY ();
  filter = sluice_canvas_get_gem_widget (f->canvas, "recent_orders");
  join = sluice_canvas_get_gem_widget (f->canvas, "orders_with_customers");

  /* Fed by the orders, the filter's condition names an unknown column:
   * one error, from the resolver, on the badge and in the label. */
  {
    g_autoptr(GPtrArray) in = sluice_pipeline_get_edges_of (f->pipeline, "recent_orders", SLUICE_PORT_INPUT);
    g_autoptr(GError) error = NULL;
    g_assert_true (sluice_pipeline_disconnect (f->pipeline, g_ptr_array_index (in, 0), &error));
    wire (f->pipeline, "orders", "recent_orders", "in0");
  }
  spin_ms (20);
  diags = sluice_resolver_get_diagnostics (f->resolver, "recent_orders");
  g_assert_nonnull (diags);
  g_assert_cmpuint (diags->len, ==, 1);
  label = sluice_gem_widget_dup_accessible_label (SLUICE_GEM_WIDGET (filter));
  g_assert_cmpstr (label, ==, "Filter gem recent_orders, 1 input, 1 output, 1 error");
  check = gtk_test_accessible_check_property (GTK_ACCESSIBLE (filter), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  g_assert_null (check);
  g_assert_nonnull (gtk_widget_get_tooltip_text (filter));
  g_assert_cmpstr (gtk_widget_get_tooltip_text (filter), ==,
                   sluice_diagnostic_get_message (g_ptr_array_index (diags, 0)));

  g_clear_pointer (&label, g_free);
  label = sluice_gem_widget_dup_accessible_label (SLUICE_GEM_WIDGET (join));
  g_assert_true (g_str_has_prefix (label, "Join gem orders_with_customers, 2 inputs, 1 output"));
  g_clear_pointer (&check, g_free);
  check = gtk_test_accessible_check_property (GTK_ACCESSIBLE (join), GTK_ACCESSIBLE_PROPERTY_LABEL, label);
  g_assert_null (check);
}

/* ---- Real input through xdotool ---- */

static gulong
window_xid (Fixture *f)
{
  return gdk_x11_surface_get_xid (gtk_native_get_surface (GTK_NATIVE (f->window)));
}

/* Canvas coordinates → coordinates inside the X window. */
static void
to_window (Fixture *f,
           double   x,
           double   y,
           int     *wx,
           int     *wy)
{
  double tx, ty, sx, sy;

  G_GNUC_BEGIN_IGNORE_DEPRECATIONS
  g_assert_true (gtk_widget_translate_coordinates (GTK_WIDGET (f->canvas), GTK_WIDGET (f->window), x, y, &tx, &ty));
  G_GNUC_END_IGNORE_DEPRECATIONS
  gtk_native_get_surface_transform (GTK_NATIVE (f->window), &sx, &sy);
  *wx = (int) lround (tx + sx);
  *wy = (int) lround (ty + sy);
}

static void
done_cb (GObject      *source,
         GAsyncResult *result,
         gpointer      data)
{
  *(gboolean *) data = TRUE;
}

static gboolean
is_true (gpointer data)
{
  return *(gboolean *) data;
}

/* Runs xdotool with the main loop running, so GTK handles the events as
 * they arrive, then lets the last frame settle. */
static void
xdotool (const char *script)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) argv = NULL;
  g_autofree char *cmd = g_strconcat ("xdotool ", script, NULL);
  g_autoptr(GSubprocess) proc = NULL;
  gboolean done = FALSE;

  g_test_message ("%s", cmd);
  g_assert_true (g_shell_parse_argv (cmd, NULL, &argv, &error));
  proc = g_subprocess_newv ((const char * const *) argv, G_SUBPROCESS_FLAGS_NONE, &error);
  g_assert_no_error (error);
  g_subprocess_wait_check_async (proc, NULL, done_cb, &done);
  spin_until (is_true, &done);
  g_assert_true (g_subprocess_get_successful (proc));
  spin_ms (150);
}

/* Presses at canvas point (x0, y0), moves in steps to (x1, y1), releases. */
static void
real_drag (Fixture *f,
           double   x0,
           double   y0,
           double   x1,
           double   y1)
{
  gulong wid = window_xid (f);
  GString *s = g_string_new (NULL);
  int wx, wy;

  to_window (f, x0, y0, &wx, &wy);
  g_string_append_printf (s, "mousemove --window %lu %d %d sleep 0.1 mousedown 1 sleep 0.05", wid, wx, wy);
  for (int i = 1; i <= 6; i++)
    {
      to_window (f, x0 + (x1 - x0) * i / 6, y0 + (y1 - y0) * i / 6, &wx, &wy);
      g_string_append_printf (s, " mousemove --window %lu %d %d sleep 0.04", wid, wx, wy);
    }
  g_string_append (s, " sleep 0.1 mouseup 1");
  xdotool (s->str);
  g_string_free (s, TRUE);
}

static void
port_view_point (Fixture             *f,
                 const char          *id,
                 SluicePortDirection  dir,
                 guint                index,
                 double              *vx,
                 double              *vy)
{
  SluiceGemWidget *card = SLUICE_GEM_WIDGET (sluice_canvas_get_gem_widget (f->canvas, id));
  SluiceGem *gem = sluice_gem_widget_get_gem (card);
  double px, py;

  sluice_gem_widget_get_port_point (card, dir, index, &px, &py);
  sluice_canvas_model_to_view (f->canvas, sluice_gem_get_x (gem) + px, sluice_gem_get_y (gem) + py, vx, vy);
}

static gboolean
has_edge (SluicePipeline *p,
          const char     *from,
          const char     *to,
          const char     *port)
{
  g_autoptr(GPtrArray) in = sluice_pipeline_get_edges_of (p, to, SLUICE_PORT_INPUT);

  for (guint i = 0; i < in->len; i++)
    {
      SluiceEdge *e = g_ptr_array_index (in, i);
      if (g_str_equal (sluice_edge_get_from_gem (e), from) && g_str_equal (sluice_edge_get_to_port (e), port))
        return TRUE;
    }
  return FALSE;
}

static void
screenshot (Fixture    *f,
            const char *name)
{
  g_autofree char *dir = g_build_filename (g_getenv ("SLUICE_BUILD_ROOT"), "tests", "ui", "artifacts", NULL);
  g_autofree char *file = g_build_filename (dir, name, NULL);
  g_autofree char *cmd = NULL;
  g_autoptr(GError) error = NULL;
  int status = 0;

  g_mkdir_with_parents (dir, 0755);
  cmd = g_strdup_printf ("import -window %lu %s", window_xid (f), file);
  g_assert_true (g_spawn_command_line_sync (cmd, NULL, NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_true (g_spawn_check_wait_status (status, NULL));
  g_assert_true (g_file_test (file, G_FILE_TEST_EXISTS));
}

static void
test_real_drag_moves_gem (Fixture       *f,
                          gconstpointer  data)
{
  SluiceGem *gem;
  double vx, vy, zoom;
  int x0, y0;

  SKIP_WITHOUT_DISPLAY ();
  sluice_canvas_set_zoom (f->canvas, 0.8);
  spin_ms (50);
  zoom = sluice_canvas_get_zoom (f->canvas);
  gem = sluice_pipeline_find_gem (f->pipeline, "recent_orders");
  x0 = sluice_gem_get_x (gem);
  y0 = sluice_gem_get_y (gem);
  sluice_canvas_model_to_view (f->canvas, x0 + 90, y0 + 20, &vx, &vy);

  real_drag (f, vx, vy, vx + 80, vy + 120);
  /* The model moved by the drag distance in model units… */
  g_assert_cmpint (sluice_gem_get_x (gem), ==, x0 + (int) lround (80 / zoom));
  g_assert_cmpint (sluice_gem_get_y (gem), ==, y0 + (int) lround (120 / zoom));
  assert_card_at_model_position (f, "recent_orders");
  /* …in one undo step, however many motion events it took. */
  g_assert_true (sluice_pipeline_undo (f->pipeline));
  g_assert_cmpint (sluice_gem_get_x (gem), ==, x0);
  g_assert_cmpint (sluice_gem_get_y (gem), ==, y0);
}

static void
test_real_drag_connects_ports (Fixture       *f,
                               gconstpointer  data)
{
  GListModel *edges = sluice_pipeline_get_edges (f->pipeline);
  double ox, oy, ix, iy;

  SKIP_WITHOUT_DISPLAY ();
  add (f->pipeline, "Limit", "Top ten", 560, 280);
  spin_ms (50);
  port_view_point (f, "orders", SLUICE_PORT_OUTPUT, 0, &ox, &oy);
  port_view_point (f, "top_ten", SLUICE_PORT_INPUT, 0, &ix, &iy);
  real_drag (f, ox, oy, ix, iy);
  g_assert_cmpuint (g_list_model_get_n_items (edges), ==, 5);
  g_assert_true (has_edge (f->pipeline, "orders", "top_ten", "in0"));
}

static void
test_real_drag_refuses_a_cycle (Fixture       *f,
                                gconstpointer  data)
{
  GListModel *edges = sluice_pipeline_get_edges (f->pipeline);
  g_autoptr(GError) error = NULL;
  g_autoptr(GPtrArray) in = NULL;
  double ox, oy, ix, iy;

  SKIP_WITHOUT_DISPLAY ();
  /* Free the join's second input, then wire the filter (downstream of the
   * join) back into it: a cycle. */
  in = sluice_pipeline_get_edges_of (f->pipeline, "orders_with_customers", SLUICE_PORT_INPUT);
  for (guint i = 0; i < in->len; i++)
    if (g_str_equal (sluice_edge_get_to_port (g_ptr_array_index (in, i)), "in1"))
      g_assert_true (sluice_pipeline_disconnect (f->pipeline, g_ptr_array_index (in, i), &error));
  g_assert_no_error (error);
  spin_ms (50);
  g_assert_cmpuint (g_list_model_get_n_items (edges), ==, 3);

  port_view_point (f, "recent_orders", SLUICE_PORT_OUTPUT, 0, &ox, &oy);
  port_view_point (f, "orders_with_customers", SLUICE_PORT_INPUT, 1, &ix, &iy);
  real_drag (f, ox, oy, ix, iy);
  g_assert_cmpuint (g_list_model_get_n_items (edges), ==, 3);
  g_assert_false (has_edge (f->pipeline, "recent_orders", "orders_with_customers", "in1"));
  /* The refusal is shown: the wire stays red with the model's reason. */
  g_assert_nonnull (gtk_widget_get_tooltip_text (GTK_WIDGET (f->canvas)));
  g_assert_nonnull (strstr (gtk_widget_get_tooltip_text (GTK_WIDGET (f->canvas)), "cycle"));
  screenshot (f, "canvas-refused-cycle.png");
}

static void
test_real_rubber_band_delete_undo (Fixture       *f,
                                   gconstpointer  data)
{
  GListModel *gems = sluice_pipeline_get_gems (f->pipeline);
  g_auto(GStrv) sel = NULL;
  const char *sources[] = { "customers", "orders", NULL };
  double x0, y0, x1, y1;
  int wx, wy;

  SKIP_WITHOUT_DISPLAY ();
  sluice_canvas_set_gem_badge (f->canvas, "orders", "1,234 rows", FALSE);
  sluice_canvas_set_gem_badge (f->canvas, "report", "failed", TRUE);
  spin_ms (50);
  screenshot (f, "canvas.png");

  /* A band from empty space around both sources (and nothing else). */
  sluice_canvas_model_to_view (f->canvas, 20, 20, &x0, &y0);
  sluice_canvas_model_to_view (f->canvas, 240, 280, &x1, &y1);
  real_drag (f, x0, y0, x1, y1);
  sel = sluice_canvas_get_selection (f->canvas);
  g_assert_cmpstrv (sel, sources);

  to_window (f, x1, y1, &wx, &wy);
  xdotool ("key Delete");
  g_assert_cmpuint (g_list_model_get_n_items (gems), ==, 3);
  g_assert_null (sluice_pipeline_find_gem (f->pipeline, "orders"));
  g_assert_null (sluice_canvas_get_gem_widget (f->canvas, "customers"));

  xdotool ("key ctrl+z");
  g_assert_cmpuint (g_list_model_get_n_items (gems), ==, 5);
  g_assert_nonnull (sluice_canvas_get_gem_widget (f->canvas, "orders"));
  g_assert_cmpuint (g_list_model_get_n_items (sluice_pipeline_get_edges (f->pipeline)), ==, 4);
  assert_card_at_model_position (f, "orders");

  /* And the dark style, for the eye. */
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_FORCE_DARK);
  spin_ms (150);
  screenshot (f, "canvas-dark.png");
  adw_style_manager_set_color_scheme (adw_style_manager_get_default (), ADW_COLOR_SCHEME_DEFAULT);
}

static void
notify_count_cb (GObject    *object,
                 GParamSpec *pspec,
                 guint      *count)
{
  (*count)++;
}

static void
test_minimap_click_pans (Fixture       *f,
                         gconstpointer  data)
{
  const char *orders[] = { "orders", NULL };
  g_auto(GStrv) sel = NULL;
  graphene_rect_t area, model;
  double mx, my, cx, cy, tolerance, px, py;
  guint notified = 0;
  int wx, wy;
  g_autofree char *script = NULL;

  SKIP_WITHOUT_DISPLAY ();
  g_signal_connect (f->canvas, "notify::minimap-visible", G_CALLBACK (notify_count_cb), &notified);
  g_assert_false (sluice_canvas_get_minimap_visible (f->canvas));
  g_assert_false (sluice_canvas_get_minimap_area (f->canvas, &area, &model));

  /* The action shows it, in the bottom-right corner. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.toggle-minimap", NULL));
  g_assert_true (sluice_canvas_get_minimap_visible (f->canvas));
  g_assert_cmpuint (notified, ==, 1);
  spin_ms (100);
  g_assert_true (sluice_canvas_get_minimap_area (f->canvas, &area, &model));
  g_assert_cmpfloat (area.origin.x + area.size.width, <=, gtk_widget_get_width (GTK_WIDGET (f->canvas)));
  g_assert_cmpfloat (area.origin.y + area.size.height, <=, gtk_widget_get_height (GTK_WIDGET (f->canvas)));
  g_assert_cmpfloat (area.origin.x, >, gtk_widget_get_width (GTK_WIDGET (f->canvas)) / 2.0);
  /* It shows every gem. */
  g_assert_cmpfloat (model.origin.x, <=, 40);
  g_assert_cmpfloat (model.origin.x + model.size.width, >=, 800 + SLUICE_GEM_WIDGET_WIDTH);

  /* A real click on the report gem's place in it centres the view there,
   * and leaves the selection alone. */
  sluice_canvas_set_selection (f->canvas, orders);
  mx = 800 + SLUICE_GEM_WIDGET_WIDTH / 2.0;
  my = 130;
  px = area.origin.x + (mx - model.origin.x) * area.size.width / model.size.width;
  py = area.origin.y + (my - model.origin.y) * area.size.height / model.size.height;
  to_window (f, px, py, &wx, &wy);
  script = g_strdup_printf ("mousemove --window %lu %d %d sleep 0.1 click 1", window_xid (f), wx, wy);
  xdotool (script);
  sluice_canvas_view_to_model (f->canvas, gtk_widget_get_width (GTK_WIDGET (f->canvas)) / 2.0,
                               gtk_widget_get_height (GTK_WIDGET (f->canvas)) / 2.0, &cx, &cy);
  /* Within two minimap pixels. */
  tolerance = 2 * model.size.width / area.size.width;
  g_assert_cmpfloat (fabs (cx - mx), <=, tolerance);
  g_assert_cmpfloat (fabs (cy - my), <=, tolerance);
  sel = sluice_canvas_get_selection (f->canvas);
  g_assert_cmpstrv (sel, orders);

  /* Toggled again, it is gone. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->canvas), "canvas.toggle-minimap", NULL));
  g_assert_false (sluice_canvas_get_minimap_visible (f->canvas));
  g_assert_cmpuint (notified, ==, 2);
  spin_ms (50);
  g_assert_false (sluice_canvas_get_minimap_area (f->canvas, NULL, NULL));
}

/* The canvas as the cairo renderer draws it, as bytes. */
static GBytes *
render_canvas (SluiceCanvas *canvas)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (canvas)));
  int w = gtk_widget_get_width (GTK_WIDGET (canvas)), h = gtk_widget_get_height (GTK_WIDGET (canvas));
  g_autoptr(GskRenderer) renderer = gsk_cairo_renderer_new ();
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  g_autoptr(GdkTexture) texture = NULL;
  g_autoptr(GError) error = NULL;
  guchar *pixels = g_malloc (w * h * 4);

  g_assert_true (gsk_renderer_realize (renderer, gtk_native_get_surface (GTK_NATIVE (window)), &error));
  g_assert_no_error (error);
  gtk_widget_snapshot_child (window, GTK_WIDGET (canvas), snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, w, h));
  gdk_texture_download (texture, pixels, w * 4);
  gsk_renderer_unrealize (renderer);
  return g_bytes_new_take (pixels, w * h * 4);
}

/* A window onto @p as the fixture's is, its canvas drawn. */
static SluiceCanvas *
canvas_for (SluicePipeline *p,
            SluiceResolver *resolver,
            GtkWindow     **window)
{
  SluiceCanvas *canvas = SLUICE_CANVAS (sluice_canvas_new ());

  *window = GTK_WINDOW (gtk_window_new ());
  gtk_window_set_decorated (*window, FALSE);
  gtk_window_set_default_size (*window, 1100, 420);
  sluice_canvas_set_pipeline (canvas, p);
  sluice_canvas_set_resolver (canvas, resolver);
  gtk_window_set_child (*window, GTK_WIDGET (canvas));
  gtk_window_present (*window);
  spin_until (is_allocated, canvas);
  spin_ms (100);
  return canvas;
}

static SluiceCanvas *
second_canvas (Fixture    *f,
               GtkWindow **window)
{
  return canvas_for (f->pipeline, f->resolver, window);
}

/* The pixel at a view point of rendered canvas bytes (BGRA, premultiplied). */
static guint32
pixel_at (GBytes       *pixels,
          SluiceCanvas *canvas,
          double        x,
          double        y)
{
  gsize len;
  const guint32 *data = g_bytes_get_data (pixels, &len);
  int w = gtk_widget_get_width (GTK_WIDGET (canvas));

  g_assert_cmpuint (((gsize) y * w + (gsize) x) * 4, <, len);
  return data[(gsize) y * w + (gsize) x];
}

/* A card's category stripe, a little inside its left edge, half way down. */
static guint32
stripe_pixel (Fixture    *f,
              GBytes     *pixels,
              const char *id)
{
  SluiceGem *gem = sluice_pipeline_find_gem (f->pipeline, id);
  SluiceGemWidget *card = SLUICE_GEM_WIDGET (sluice_canvas_get_gem_widget (f->canvas, id));
  double z = sluice_canvas_get_zoom (f->canvas), vx, vy;

  sluice_canvas_model_to_view (f->canvas, sluice_gem_get_x (gem), sluice_gem_get_y (gem), &vx, &vy);
  return pixel_at (pixels, f->canvas, vx + 3 * z, vy + sluice_gem_widget_get_height (card) / 2.0 * z);
}

static gboolean
zoom_rested (gpointer data)
{
  Fixture *f = data;
  return sluice_canvas_get_zoom (f->canvas) == 2.0;
}

/* A card drawn into the scene tiles is never snapshotted as a child: each
 * change to its look must still make GTK draw the canvas again, the second
 * as well as the first (a remote run's badges, queued → running → rows,
 * once stood at the first change until something else redrew). */
static void
test_every_badge_change_redraws_the_canvas (Fixture       *f,
                                            gconstpointer  data)
{
  const char *texts[] = { "queued", "running…", "1,234 rows · 12.0 ms", "failed" };
  guint frames;

  SKIP_WITHOUT_DISPLAY ();
  spin_ms (100);
  for (guint i = 0; i < G_N_ELEMENTS (texts); i++)
    {
      frames = sluice_canvas_get_n_frames (f->canvas);
      sluice_canvas_set_gem_badge (f->canvas, "recent_orders", texts[i], i == 3);
      spin_ms (150);
      g_assert_cmpuint (sluice_canvas_get_n_frames (f->canvas), >, frames);
    }
}

/* Cards in the cached scene keep their look at other zooms than 100 %:
 * the stripe is the same colour at 200 %, once the zoom rests. */
static void
test_cached_scene_keeps_cards_at_other_zooms (Fixture       *f,
                                              gconstpointer  data)
{
  g_autoptr(GBytes) at_100 = NULL;
  g_autoptr(GBytes) at_200 = NULL;
  guint32 stripe;

  SKIP_WITHOUT_DISPLAY ();
  at_100 = render_canvas (f->canvas);
  stripe = stripe_pixel (f, at_100, "orders_with_customers");
  /* Not the canvas: a card's colour is there. */
  g_assert_cmphex (stripe, !=, pixel_at (at_100, f->canvas, 2, 2));
  sluice_canvas_set_zoom (f->canvas, 2.0);
  spin_until (zoom_rested, f);
  spin_ms (600); /* past the rest, when the tiles are drawn at 200 % */
  at_200 = render_canvas (f->canvas);
  g_assert_cmphex (stripe_pixel (f, at_200, "orders_with_customers"), ==, stripe);
}

/* At rest the canvas paints its cards and wires from cached images of
 * tiles (the scene); after pans and a change to a card's look it must draw
 * what a fresh canvas draws of the same view, pixel for pixel. */
static void
test_cached_scene_draws_what_a_fresh_canvas_draws (Fixture       *f,
                                                   gconstpointer  data)
{
  g_autoptr(GBytes) before = NULL;
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GBytes) fresh = NULL;
  g_autoptr(GError) error = NULL;
  GtkWindow *window2;
  SluiceCanvas *canvas2;

  SKIP_WITHOUT_DISPLAY ();
  g_assert_cmpfloat (sluice_canvas_get_zoom (f->canvas), ==, 1.0);
  before = render_canvas (f->canvas);
  for (int i = 0; i < 3; i++)
    {
      sluice_canvas_pan_by (f->canvas, -30, -20);
      spin_ms (50);
    }
  /* A card's look changes while its tiles are cached: a label (the model
   * changes), a run badge (only the card does). */
  g_assert_true (sluice_pipeline_set_label (f->pipeline, "orders_with_customers", "Orders joined", &error));
  g_assert_no_error (error);
  spin_ms (50);
  sluice_canvas_set_gem_badge (f->canvas, "recent_orders", "1,234 rows", FALSE);
  spin_ms (50);
  sluice_canvas_pan_by (f->canvas, -30, -20);
  spin_ms (100);
  cached = render_canvas (f->canvas);
  g_assert_false (g_bytes_equal (before, cached));

  canvas2 = second_canvas (f, &window2);
  sluice_canvas_set_gem_badge (canvas2, "recent_orders", "1,234 rows", FALSE);
  sluice_canvas_pan_by (canvas2, -120, -80);
  spin_ms (100);
  fresh = render_canvas (canvas2);
  g_assert_true (g_bytes_equal (cached, fresh));

  /* Selecting a card draws it on top, out of the tiles, and its wires
   * highlighted: what a fresh canvas with that selection draws. Unselecting
   * puts it back. */
  {
    g_autoptr(GBytes) selected = NULL;

    sluice_canvas_set_selection (canvas2, (const char * const[]) { "recent_orders", NULL });
    spin_ms (100);
    selected = render_canvas (canvas2);
    g_assert_false (g_bytes_equal (selected, fresh));
    sluice_canvas_set_selection (f->canvas, (const char * const[]) { "recent_orders", NULL });
    spin_ms (100);
    g_clear_pointer (&cached, g_bytes_unref);
    cached = render_canvas (f->canvas);
    g_assert_true (g_bytes_equal (cached, selected));
  }
  sluice_canvas_set_selection (f->canvas, NULL);
  spin_ms (100);
  g_clear_pointer (&cached, g_bytes_unref);
  cached = render_canvas (f->canvas);
  g_assert_true (g_bytes_equal (cached, fresh));

  gtk_window_destroy (window2);
  spin_ms (20);
}

/* Selecting a card draws again only the scenes of the tiles under it and
 * its wires, not every visible one (half a second on screen for a 2,000-gem
 * pipeline), and the canvas then draws what a fresh canvas with that
 * selection draws; so does unselecting it. */
static void
test_selection_redraws_only_its_tiles (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(SluicePipeline) p = sluice_pipeline_new ("row");
  g_autoptr(GListStore) none = g_list_store_new (SLUICE_TYPE_DATASET);
  g_autoptr(SluiceResolver) resolver = NULL;
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GBytes) fresh = NULL;
  GtkWindow *window, *window2;
  SluiceCanvas *canvas, *canvas2;
  const char *first[] = { "g_0", NULL };
  guint all, redrawn;

  SKIP_WITHOUT_DISPLAY ();
  /* A row of cards far apart, wider than the view, wired one to the next. */
  for (int i = 0; i < 12; i++)
    {
      g_autofree char *label = g_strdup_printf ("g %d", i);
      SluiceGem *gem = add (p, "Filter", label, 40 + 520 * i, 40);

      if (i > 0)
        {
          g_autofree char *prev = g_strdup_printf ("g_%d", i - 1);
          wire (p, prev, sluice_gem_get_id (gem), "in0");
        }
    }
  resolver = sluice_resolver_new (p, G_LIST_MODEL (none));
  canvas = canvas_for (p, resolver, &window);
  spin_ms (200);
  all = sluice_canvas_take_scenes_drawn (canvas);

  sluice_canvas_set_selection (canvas, first);
  spin_ms (200);
  redrawn = sluice_canvas_take_scenes_drawn (canvas);
  g_test_message ("a fresh canvas drew %u scenes; selecting the first card, %u", all, redrawn);
  g_assert_cmpuint (redrawn, >, 0);
  g_assert_cmpuint (2 * redrawn, <=, all);
  cached = render_canvas (canvas);

  canvas2 = canvas_for (p, resolver, &window2);
  spin_ms (200);
  sluice_canvas_set_selection (canvas2, first);
  spin_ms (200);
  fresh = render_canvas (canvas2);
  g_assert_true (g_bytes_equal (cached, fresh));

  sluice_canvas_set_selection (canvas, NULL);
  sluice_canvas_set_selection (canvas2, NULL);
  spin_ms (200);
  g_assert_cmpuint (2 * sluice_canvas_take_scenes_drawn (canvas), <=, all);
  g_clear_pointer (&cached, g_bytes_unref);
  g_clear_pointer (&fresh, g_bytes_unref);
  cached = render_canvas (canvas);
  fresh = render_canvas (canvas2);
  g_assert_true (g_bytes_equal (cached, fresh));

  gtk_window_destroy (window2);
  gtk_window_destroy (window);
  spin_ms (20);
}

/* After a zoom the tiles' scenes are redrawn a few a frame, the old zoom's
 * images standing in meanwhile; once done, the canvas draws what a fresh
 * canvas at that zoom draws, pixel for pixel. */
static void
test_cached_scene_after_zoom_draws_what_a_fresh_canvas_draws (Fixture       *f,
                                                              gconstpointer  data)
{
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GBytes) fresh = NULL;
  GtkWindow *window2;
  SluiceCanvas *canvas2;
  double ox, oy, ox2, oy2;

  SKIP_WITHOUT_DISPLAY ();
  sluice_canvas_set_zoom (f->canvas, 2.0);
  spin_until (zoom_rested, f);
  spin_ms (800); /* past the rest, and the frames that draw the scenes */
  cached = render_canvas (f->canvas);

  canvas2 = second_canvas (f, &window2);
  g_assert_cmpint (gtk_widget_get_width (GTK_WIDGET (canvas2)), ==, gtk_widget_get_width (GTK_WIDGET (f->canvas)));
  g_assert_cmpint (gtk_widget_get_height (GTK_WIDGET (canvas2)), ==, gtk_widget_get_height (GTK_WIDGET (f->canvas)));
  sluice_canvas_set_zoom (canvas2, 2.0);
  /* The same view: the same model point at the top left corner. */
  sluice_canvas_view_to_model (f->canvas, 0, 0, &ox, &oy);
  sluice_canvas_view_to_model (canvas2, 0, 0, &ox2, &oy2);
  sluice_canvas_pan_by (canvas2, (ox2 - ox) * 2.0, (oy2 - oy) * 2.0);
  spin_ms (800);
  fresh = render_canvas (canvas2);
  g_assert_true (g_bytes_equal (cached, fresh));

  gtk_window_destroy (window2);
  spin_ms (20);
}

/* The first cairo node of the canvas's size in @node's tree: the cached
 * scene. (transfer none) */
static GskRenderNode *
find_scene_node (GskRenderNode *node,
                 int            w,
                 int            h)
{
  graphene_rect_t b;

  switch (gsk_render_node_get_node_type (node))
    {
    case GSK_CAIRO_NODE:
      gsk_render_node_get_bounds (node, &b);
      return b.size.width == w && b.size.height == h ? node : NULL;
    case GSK_CONTAINER_NODE:
      for (guint i = 0; i < gsk_container_node_get_n_children (node); i++)
        {
          GskRenderNode *found = find_scene_node (gsk_container_node_get_child (node, i), w, h);
          if (found)
            return found;
        }
      return NULL;
    case GSK_TRANSFORM_NODE:
      return find_scene_node (gsk_transform_node_get_child (node), w, h);
    case GSK_CLIP_NODE:
      return find_scene_node (gsk_clip_node_get_child (node), w, h);
    case GSK_ROUNDED_CLIP_NODE:
      return find_scene_node (gsk_rounded_clip_node_get_child (node), w, h);
    case GSK_DEBUG_NODE:
      return find_scene_node (gsk_debug_node_get_child (node), w, h);
    default:
      return NULL;
    }
}

/* The scene node of the canvas's last frame, as GTK holds it. */
static GskRenderNode *
last_scene_node (SluiceCanvas *canvas)
{
  GtkWidget *window = GTK_WIDGET (gtk_widget_get_root (GTK_WIDGET (canvas)));
  g_autoptr(GtkSnapshot) snapshot = gtk_snapshot_new ();
  g_autoptr(GskRenderNode) node = NULL;
  GskRenderNode *scene;

  gtk_widget_snapshot_child (window, GTK_WIDGET (canvas), snapshot);
  node = gtk_snapshot_free_to_node (g_steal_pointer (&snapshot));
  g_assert_nonnull (node);
  scene = find_scene_node (node, gtk_widget_get_width (GTK_WIDGET (canvas)),
                           gtk_widget_get_height (GTK_WIDGET (canvas)));
  g_assert_nonnull (scene);
  return gsk_render_node_ref (scene);
}

/* On screen GTK repaints what its diff of two frames' nodes finds changed,
 * and a cairo node that is not the same object counts as changed all over.
 * While the view stays, a card whose look changes (here a badge; a drag's
 * neighbours, the tiles drawn sharp after a zoom rests alike) must leave
 * the view-sized scene node as it was, its tiles laid over it, and the
 * canvas still draw what a fresh one draws. */
static void
test_card_change_keeps_the_scene_node (Fixture       *f,
                                       gconstpointer  data)
{
  g_autoptr(GskRenderNode) before = NULL;
  g_autoptr(GskRenderNode) after = NULL;
  g_autoptr(GBytes) cached = NULL;
  g_autoptr(GBytes) fresh = NULL;
  GtkWindow *window2;
  SluiceCanvas *canvas2;
  guint frames;

  SKIP_WITHOUT_DISPLAY ();
  spin_ms (300); /* past the idle that draws the scenes ahead */
  before = last_scene_node (f->canvas);
  frames = sluice_canvas_get_n_frames (f->canvas);
  sluice_canvas_set_gem_badge (f->canvas, "recent_orders", "1,234 rows", FALSE);
  spin_ms (150);
  g_assert_cmpuint (sluice_canvas_get_n_frames (f->canvas), >, frames);
  after = last_scene_node (f->canvas);
  g_assert_true (after == before);
  cached = render_canvas (f->canvas);

  canvas2 = second_canvas (f, &window2);
  sluice_canvas_set_gem_badge (canvas2, "recent_orders", "1,234 rows", FALSE);
  spin_ms (100);
  fresh = render_canvas (canvas2);
  g_assert_true (g_bytes_equal (cached, fresh));

  gtk_window_destroy (window2);
  spin_ms (20);
}

int
main (int    argc,
      char **argv)
{
  /* The test AT context records accessible properties, so the labels can
   * be read back; "none" (the suite's default) keeps no context at all. */
  g_setenv ("GTK_A11Y", "test", TRUE);
  g_test_init (&argc, &argv, NULL);
  have_display = ui_test_init_display ();
  if (have_display)
    {
      g_autoptr(GtkCssProvider) css = gtk_css_provider_new ();

      adw_init ();
      g_object_set (gtk_settings_get_default (), "gtk-enable-animations", FALSE, NULL);
      gtk_css_provider_load_from_resource (css, "/dev/sluice/Sluice/style.css");
      gtk_style_context_add_provider_for_display (gdk_display_get_default (), GTK_STYLE_PROVIDER (css),
                                                  GTK_STYLE_PROVIDER_PRIORITY_APPLICATION);
      gtk_icon_theme_add_resource_path (gtk_icon_theme_get_for_display (gdk_display_get_default ()),
                                        "/dev/sluice/Sluice/icons");
    }

#define ADD(path, fn) g_test_add (path, Fixture, NULL, fixture_setup, fn, fixture_teardown)
  ADD ("/sluice/ui/canvas/gems-are-children-at-their-positions", test_gems_are_children_at_their_positions);
  ADD ("/sluice/ui/canvas/follows-the-model-and-culls-off-screen-gems", test_follows_the_model);
  ADD ("/sluice/ui/canvas/select-delete-undo-through-actions", test_select_delete_undo_through_actions);
  ADD ("/sluice/ui/canvas/selection-redraws-only-its-tiles", test_selection_redraws_only_its_tiles);
  ADD ("/sluice/ui/canvas/tab-cycles-gems", test_tab_cycles_gems);
  ADD ("/sluice/ui/canvas/zoom-actions", test_zoom_actions);
  ADD ("/sluice/ui/canvas/gems-have-accessible-labels", test_accessible_labels);
  ADD ("/sluice/ui/canvas/real-drag-moves-a-gem-in-one-undo-step", test_real_drag_moves_gem);
  ADD ("/sluice/ui/canvas/real-drag-from-port-to-port-connects", test_real_drag_connects_ports);
  ADD ("/sluice/ui/canvas/real-drag-that-makes-a-cycle-is-refused", test_real_drag_refuses_a_cycle);
  ADD ("/sluice/ui/canvas/real-rubber-band-delete-and-undo", test_real_rubber_band_delete_undo);
  ADD ("/sluice/ui/canvas/minimap-click-pans-the-view", test_minimap_click_pans);
  ADD ("/sluice/ui/canvas/cached-scene-draws-what-a-fresh-canvas-draws", test_cached_scene_draws_what_a_fresh_canvas_draws);
  ADD ("/sluice/ui/canvas/every-badge-change-redraws-the-canvas", test_every_badge_change_redraws_the_canvas);
  ADD ("/sluice/ui/canvas/cached-scene-keeps-cards-at-other-zooms", test_cached_scene_keeps_cards_at_other_zooms);
  ADD ("/sluice/ui/canvas/cached-scene-after-zoom-draws-what-a-fresh-canvas-draws",
       test_cached_scene_after_zoom_draws_what_a_fresh_canvas_draws);
  ADD ("/sluice/ui/canvas/card-change-keeps-the-scene-node", test_card_change_keeps_the_scene_node);
#undef ADD

  return g_test_run ();
}
