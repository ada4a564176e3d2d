#define G_LOG_DOMAIN "sluice-pipeline-view"

#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "sluice-add-gem-popover.h"
#include "sluice-canvas.h"
#include "sluice-code-view.h"
#include "sluice-gem-widget.h"
#include "sluice-inspector.h"
#include "sluice-palette.h"
#include "sluice-pipeline-view.h"
#include "sluice-window.h"

struct _SluicePipelineView
{
  GtkBox             parent_instance;

  GtkToggleButton   *palette_button;
  GtkLabel          *title;
  GtkButton         *run_button;
  GtkButton         *until_button;
  GtkButton         *cancel_button;
  GtkProgressBar    *progress;
  GtkLabel          *status;
  GtkToggleButton   *code_button;
  SluicePalette     *palette;
  GtkBox            *canvas_box;
  GtkWidget         *inspector_box;
  SluiceInspector   *inspector;
  SluiceCodeView    *code_view;

  SluiceCanvas      *canvas;       /* borrowed: a child of canvas_box */
  SluicePipeline    *pipeline;     /* owned */
  GListModel        *datasets;     /* owned */
  SluiceResolver    *resolver;     /* owned: shared by the canvas, inspector and code view */
  SluiceRun         *run;          /* owned, nullable */
  char              *run_fabric;   /* owned, nullable: the fabric the run is on */
  char              *fabric_name;  /* owned: the selected fabric, what Run runs on */
  GHashTable        *gem_status;   /* gem id (owned) → the run state's text (owned) */
  char              *shown_gem;    /* owned, nullable: whose sample is shown */
  gboolean           user_picked;  /* the user chose shown_gem: the run does not move it */
  SluiceGemResult   *shown_result; /* owned, nullable: shown_gem's result */

  /* The add-gem popover, and where its gem goes. */
  SluiceAddGemPopover *add_popover; /* borrowed: a child of canvas_box */
  double             add_x, add_y;  /* canvas coordinates */
  char              *add_from_gem;  /* owned, nullable: the output the new gem is fed from */
  char              *add_from_port; /* owned, nullable */
  GtkWidget         *connect_popover; /* borrowed, nullable: a child of canvas_box */
  GtkWidget         *context_popover; /* borrowed, nullable: a child of canvas_box */
  GSimpleActionGroup *context_actions; /* owned: its items' actions (context.cut …) */
  char              *connect_gem;   /* owned, nullable: whose output the menu wires */
  guint              reresolve_id;  /* idle: a dataset changed, schemas are resolved again */
};

G_DEFINE_FINAL_TYPE (SluicePipelineView, sluice_pipeline_view, GTK_TYPE_BOX)

enum { PROP_0, PROP_SHOWN_RESULT, N_PROPS };
enum { FILE_DROPPED, N_SIGNALS };
static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* The selection when it is one gem, else NULL. (transfer full) */
static char *
single_selection (SluicePipelineView *self)
{
  g_auto(GStrv) ids = sluice_canvas_get_selection (self->canvas);

  return ids[0] && !ids[1] ? g_strdup (ids[0]) : NULL;
}

static void
update_actions (SluicePipelineView *self)
{
  g_autofree char *one = single_selection (self);

  gtk_widget_action_set_enabled (GTK_WIDGET (self), "editor.run-to-selected", one != NULL);
}

/* ---- the run ---- */

static void
show_state (SluicePipelineView *self,
            const char         *gem_id)
{
  SluiceGemState state = self->run ? sluice_run_get_gem_state (self->run, gem_id) : SLUICE_GEM_NOT_IN_RUN;
  SluiceGemResult *result = self->run ? sluice_run_find_result (self->run, gem_id) : NULL;
  g_autofree char *text = NULL;

  switch (state)
    {
    case SLUICE_GEM_QUEUED:
      text = g_strdup (_("queued"));
      break;
    case SLUICE_GEM_RUNNING:
      text = g_strdup (_("running…"));
      break;
    case SLUICE_GEM_DONE:
      {
        g_autofree char *rows = sluice_format_row_count (result ? sluice_gem_result_get_n_rows (result) : 0);
        text = g_strdup_printf ("%s · %.1f ms", rows, result ? sluice_gem_result_get_elapsed (result) : 0);
      }
      break;
    case SLUICE_GEM_FAILED:
      text = g_strdup (_("failed"));
      break;
    case SLUICE_GEM_NOT_IN_RUN:
    default:
      break;
    }
  sluice_canvas_set_gem_badge (self->canvas, gem_id, text, state == SLUICE_GEM_FAILED);
  g_hash_table_insert (self->gem_status, g_strdup (gem_id), text ? g_steal_pointer (&text) : g_strdup (""));
}

static void
show_progress (SluicePipelineView *self)
{
  SluiceRunState state = self->run ? sluice_run_get_state (self->run) : SLUICE_RUN_QUEUED;
  const char *message = self->run ? sluice_run_get_message (self->run) : NULL;
  g_autofree char *running = NULL;
  const char *text = "";

  gtk_progress_bar_set_fraction (self->progress, self->run ? sluice_run_get_fraction (self->run) : 0);
  /* What the engine says it is doing ("Starting cluster “etl”…") says more. */
  if (message && *message && (state == SLUICE_RUN_QUEUED || state == SLUICE_RUN_RUNNING))
    {
      gtk_label_set_text (self->status, message);
      return;
    }
  switch (state)
    {
    case SLUICE_RUN_RUNNING:
      running = g_strdup_printf (_("Running on the %s fabric…"), self->run_fabric ? self->run_fabric : self->fabric_name);
      text = running;
      break;
    case SLUICE_RUN_SUCCEEDED:
      text = _("Finished");
      break;
    case SLUICE_RUN_FAILED:
      text = _("Failed");
      break;
    case SLUICE_RUN_CANCELLED:
      text = _("Cancelled");
      break;
    case SLUICE_RUN_QUEUED:
    default:
      text = self->run ? _("Starting…") : _("Not run yet");
      break;
    }
  gtk_label_set_text (self->status, text);
}

void
sluice_pipeline_view_show_gem (SluicePipelineView *self,
                               const char         *gem_id)
{
  SluiceGemResult *result;

  g_return_if_fail (SLUICE_IS_PIPELINE_VIEW (self));

  if (g_strcmp0 (self->shown_gem, gem_id) != 0)
    {
      g_free (self->shown_gem);
      self->shown_gem = g_strdup (gem_id);
    }
  result = self->run && gem_id ? sluice_run_find_result (self->run, gem_id) : NULL;
  if (self->shown_result != result)
    {
      g_set_object (&self->shown_result, result);
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SHOWN_RESULT]);
    }
}

static void
gem_state_changed (SluicePipelineView *self,
                   const char         *gem_id,
                   int                 state)
{
  show_state (self, gem_id);
}

static void
results_changed (SluicePipelineView *self,
                 guint               position,
                 guint               removed,
                 guint               added,
                 GListModel         *results)
{
  /* The run's latest gem is shown, unless the user chose one (or one failed). */
  for (guint i = position; i < position + added; i++)
    {
      g_autoptr(SluiceGemResult) r = g_list_model_get_item (results, i);
      const char *id = sluice_gem_result_get_gem_id (r);

      show_state (self, id);
      if (sluice_gem_result_get_error (r))
        self->user_picked = FALSE;
      if (!self->user_picked || g_strcmp0 (self->shown_gem, id) == 0)
        sluice_pipeline_view_show_gem (self, id);
      if (sluice_gem_result_get_error (r))
        self->user_picked = TRUE;
    }
}

static void
run_notify (SluicePipelineView *self)
{
  show_progress (self);
}

static void
disconnect_run (SluicePipelineView *self)
{
  if (self->run == NULL)
    return;
  g_signal_handlers_disconnect_by_data (self->run, self);
  g_signal_handlers_disconnect_by_data (sluice_run_get_results (self->run), self);
}

void
sluice_pipeline_view_set_fabric_name (SluicePipelineView *self,
                                      const char         *name)
{
  g_autofree char *tooltip = NULL;

  g_return_if_fail (SLUICE_IS_PIPELINE_VIEW (self));
  g_return_if_fail (name != NULL);

  if (g_strcmp0 (self->fabric_name, name) == 0)
    return;
  g_free (self->fabric_name);
  self->fabric_name = g_strdup (name);
  tooltip = g_strdup_printf (_("Run the whole pipeline on the %s fabric (F5)"), name);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->run_button), tooltip);
  show_progress (self);
}

const char *
sluice_pipeline_view_get_fabric_name (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->fabric_name;
}

void
sluice_pipeline_view_set_run_on (SluicePipelineView *self,
                                 SluiceRun          *run,
                                 const char         *fabric_name)
{
  g_return_if_fail (SLUICE_IS_PIPELINE_VIEW (self));

  if (g_strcmp0 (self->run_fabric, fabric_name) != 0)
    {
      g_free (self->run_fabric);
      self->run_fabric = g_strdup (fabric_name);
    }
  if (self->run == run)
    show_progress (self);
  else
    sluice_pipeline_view_set_run (self, run);
}

void
sluice_pipeline_view_set_run (SluicePipelineView *self,
                              SluiceRun          *run)
{
  GListModel *gems;

  g_return_if_fail (SLUICE_IS_PIPELINE_VIEW (self));
  g_return_if_fail (!run || sluice_run_get_pipeline (run) == self->pipeline);

  if (self->run == run)
    return;
  disconnect_run (self);
  g_set_object (&self->run, run);
  if (run)
    {
      g_signal_connect_object (run, "gem-state-changed", G_CALLBACK (gem_state_changed), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (run, "notify::state", G_CALLBACK (run_notify), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (run, "notify::fraction", G_CALLBACK (run_notify), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (run, "notify::message", G_CALLBACK (run_notify), self, G_CONNECT_SWAPPED);
      g_signal_connect_object (sluice_run_get_results (run), "items-changed", G_CALLBACK (results_changed), self,
                               G_CONNECT_SWAPPED);
    }
  gems = sluice_pipeline_get_gems (self->pipeline);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      show_state (self, sluice_gem_get_id (gem));
    }
  show_progress (self);
  self->user_picked = FALSE;
  sluice_pipeline_view_show_gem (self, NULL);
  /* A finished run being shown again: its last gem's sample. */
  if (run && g_list_model_get_n_items (sluice_run_get_results (run)) > 0)
    {
      guint n = g_list_model_get_n_items (sluice_run_get_results (run));
      g_autoptr(SluiceGemResult) last = g_list_model_get_item (sluice_run_get_results (run), n - 1);
      sluice_pipeline_view_show_gem (self, sluice_gem_result_get_gem_id (last));
    }
}

/* ---- editing ---- */

static void
selection_changed (SluicePipelineView *self)
{
  g_autofree char *one = single_selection (self);

  /* One gem: its form, its code and its sample. */
  sluice_inspector_set_gem (self->inspector, one ? self->pipeline : NULL, one, self->resolver);
  gtk_widget_set_visible (self->inspector_box, one != NULL);
  if (one)
    {
      sluice_code_view_show_gem (self->code_view, one);
      if (self->run && sluice_run_find_result (self->run, one))
        {
          sluice_pipeline_view_show_gem (self, one);
          self->user_picked = TRUE;
        }
    }
  update_actions (self);
}

/* (nullable): the name of a gem's first output */
static const char *
first_output (SluiceGem *gem)
{
  g_autoptr(SluicePort) port = g_list_model_get_item (sluice_gem_get_outputs (gem), 0);

  /* The gem's port list keeps the port alive. */
  return port ? sluice_port_get_name (port) : NULL;
}

static void
show_error (SluicePipelineView *self,
            const char         *message)
{
  GtkRoot *root = gtk_widget_get_root (GTK_WIDGET (self));

  if (SLUICE_IS_WINDOW (root))
    sluice_window_show_toast (SLUICE_WINDOW (root), message);
  else
    g_message ("%s", message);
}

static void
edit_failed_cb (SluicePipelineView *self,
                const char         *message)
{
  show_error (self, message);
}

/* Adds a gem of @type_name at (@vx, @vy) of the canvas, selected. With
 * @from_gem, its first input is fed from that output, and with @edge the
 * gem goes into that wire (from → new.in0, new.out → to). One undo step. */
static void
add_gem_wired (SluicePipelineView *self,
               const char         *type_name,
               double              vx,
               double              vy,
               const char         *from_gem,
               const char         *from_port,
               SluiceEdge         *edge)
{
  SluiceGemType *type = sluice_gem_type_lookup (type_name);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceEdge) hold = edge ? g_object_ref (edge) : NULL;
  g_autofree char *title = NULL;
  const char *in0 = NULL;
  SluiceGem *gem;
  double mx, my;
  gboolean ok = TRUE;

  if (type == NULL)
    return;
  sluice_canvas_view_to_model (self->canvas, vx, vy, &mx, &my);
  title = g_strdup_printf (_("Add %s"), sluice_gem_type_get_title (type));
  sluice_pipeline_begin_group (self->pipeline, title);
  gem = sluice_pipeline_add_gem (self->pipeline, type_name, sluice_gem_type_get_title (type), (int) mx, (int) my,
                                 &error);
  if (gem && sluice_gem_peek_input_names (gem))
    in0 = sluice_gem_peek_input_names (gem)[0];
  if (gem && edge && in0 && first_output (gem) != NULL)
    {
      g_autofree char *to_gem = g_strdup (sluice_edge_get_to_gem (edge));
      g_autofree char *to_port = g_strdup (sluice_edge_get_to_port (edge));

      ok = sluice_pipeline_disconnect (self->pipeline, edge, &error) &&
           sluice_pipeline_connect (self->pipeline, sluice_edge_get_from_gem (edge), sluice_edge_get_from_port (edge),
                                    sluice_gem_get_id (gem), in0, &error) &&
           sluice_pipeline_connect (self->pipeline, sluice_gem_get_id (gem), first_output (gem), to_gem, to_port, &error);
    }
  else if (gem && from_gem && in0)
    ok = sluice_pipeline_connect (self->pipeline, from_gem, from_port, sluice_gem_get_id (gem), in0, &error) != NULL;
  sluice_pipeline_end_group (self->pipeline);

  if (gem == NULL || !ok)
    {
      /* Half an edit is no edit: take the step back, and say why. */
      if (gem != NULL)
        sluice_pipeline_undo (self->pipeline);
      show_error (self, error->message);
      return;
    }
  sluice_canvas_set_selection (self->canvas, (const char * const[]) { sluice_gem_get_id (gem), NULL });
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
add_gem_at (SluicePipelineView *self,
            const char         *type_name,
            double              vx,
            double              vy)
{
  add_gem_wired (self, type_name, vx, vy, NULL, NULL, NULL);
}

/* ---- the add-gem popover ---- */

static void
add_gem_requested_cb (SluicePipelineView *self,
                      double              x,
                      double              y,
                      const char         *text,
                      const char         *from_gem,
                      const char         *from_port)
{
  graphene_point_t p;

  self->add_x = x;
  self->add_y = y;
  g_free (self->add_from_gem);
  g_free (self->add_from_port);
  self->add_from_gem = g_strdup (from_gem);
  self->add_from_port = g_strdup (from_port);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->canvas), GTK_WIDGET (self->canvas_box),
                                 &GRAPHENE_POINT_INIT (x, y), &p))
    p = GRAPHENE_POINT_INIT (x, y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->add_popover),
                               &(GdkRectangle) { (int) p.x, (int) p.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->add_popover));
  sluice_add_gem_popover_set_text (self->add_popover, text);
}

static void
add_popover_gem_chosen_cb (SluicePipelineView *self,
                           const char         *type_name)
{
  add_gem_wired (self, type_name, self->add_x, self->add_y, self->add_from_gem, self->add_from_port, NULL);
}

/* ---- keyboard wiring: the menu of inputs the selected gem may feed ---- */

static void
connect_requested_cb (SluicePipelineView *self,
                      const char         *gem_id,
                      double              x,
                      double              y)
{
  g_auto(GStrv) targets = sluice_canvas_list_connect_targets (self->canvas, gem_id);
  g_autoptr(GMenu) menu = g_menu_new ();
  graphene_point_t p;

  g_free (self->connect_gem);
  self->connect_gem = g_strdup (gem_id);
  for (guint i = 0; targets[i]; i++)
    {
      g_autoptr(GMenuItem) item = NULL;
      char *dot = strchr (targets[i], '.');
      SluiceGem *gem;
      g_autofree char *gem_id_part = g_strndup (targets[i], dot - targets[i]);
      g_autofree char *label = NULL;

      gem = sluice_pipeline_find_gem (self->pipeline, gem_id_part);
      label = g_strdup_printf ("%s · %s", sluice_gem_get_label (gem), dot + 1);
      item = g_menu_item_new (label, NULL);
      g_menu_item_set_action_and_target_value (item, "editor.connect-to", g_variant_new_string (targets[i]));
      g_menu_append_item (menu, item);
    }
  if (targets[0] == NULL)
    {
      show_error (self, _("No other gem has a free input this gem could feed"));
      return;
    }
  if (self->connect_popover == NULL)
    {
      self->connect_popover = gtk_popover_menu_new_from_model (NULL);
      gtk_widget_set_parent (self->connect_popover, GTK_WIDGET (self->canvas_box));
      gtk_popover_set_position (GTK_POPOVER (self->connect_popover), GTK_POS_RIGHT);
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (self->connect_popover), G_MENU_MODEL (menu));
  if (!gtk_widget_compute_point (GTK_WIDGET (self->canvas), GTK_WIDGET (self->canvas_box),
                                 &GRAPHENE_POINT_INIT (x, y), &p))
    p = GRAPHENE_POINT_INIT (x, y);
  gtk_popover_set_pointing_to (GTK_POPOVER (self->connect_popover),
                               &(GdkRectangle) { (int) p.x, (int) p.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (self->connect_popover));
}

/* ---- the canvas's context menu ---- */

static GtkWidget *
popover_menu_at (SluicePipelineView *self,
                 GtkWidget         **slot,
                 GMenuModel         *model,
                 double              x,
                 double              y)
{
  graphene_point_t p;

  if (*slot == NULL)
    {
      *slot = gtk_popover_menu_new_from_model (NULL);
      gtk_widget_set_parent (*slot, GTK_WIDGET (self->canvas_box));
      gtk_popover_set_has_arrow (GTK_POPOVER (*slot), FALSE);
      gtk_widget_set_halign (*slot, GTK_ALIGN_START);
    }
  gtk_popover_menu_set_menu_model (GTK_POPOVER_MENU (*slot), model);
  if (!gtk_widget_compute_point (GTK_WIDGET (self->canvas), GTK_WIDGET (self->canvas_box),
                                 &GRAPHENE_POINT_INIT (x, y), &p))
    p = GRAPHENE_POINT_INIT (x, y);
  gtk_popover_set_pointing_to (GTK_POPOVER (*slot), &(GdkRectangle) { (int) p.x, (int) p.y, 1, 1 });
  gtk_popover_popup (GTK_POPOVER (*slot));
  return *slot;
}

static void
context_action_cb (GSimpleAction      *action,
                   GVariant           *parameter,
                   SluicePipelineView *self)
{
  g_autofree char *name = g_strconcat ("canvas.", g_action_get_name (G_ACTION (action)), NULL);

  gtk_widget_activate_action (GTK_WIDGET (self->canvas), name, NULL);
}

/* The popover is outside the canvas, so it cannot reach the canvas.*
 * actions: its items are "context.NAME" actions of its own, enabled as the
 * canvas's are when the menu opens, and forwarded to them. */
static void
append_canvas_item (SluicePipelineView *self,
                    GMenu              *menu,
                    const char         *label,
                    const char         *action)
{
  g_autoptr(GMenuItem) item = g_menu_item_new (label, NULL);
  const char *name = action + strlen ("canvas.");
  g_autofree char *detailed = g_strconcat ("context.", name, NULL);
  GAction *a = g_action_map_lookup_action (G_ACTION_MAP (self->context_actions), name);

  if (a == NULL)
    {
      a = G_ACTION (g_simple_action_new (name, NULL));
      g_signal_connect_object (a, "activate", G_CALLBACK (context_action_cb), self, 0);
      g_action_map_add_action (G_ACTION_MAP (self->context_actions), a);
      g_object_unref (a);
    }
  g_simple_action_set_enabled (G_SIMPLE_ACTION (a), sluice_canvas_get_action_enabled (self->canvas, action));
  g_menu_item_set_detailed_action (item, detailed);
  g_menu_append_item (menu, item);
}

static void
context_menu_requested_cb (SluicePipelineView *self,
                           double              x,
                           double              y,
                           gboolean            on_gem)
{
  g_autoptr(GMenu) menu = g_menu_new ();
  g_autoptr(GMenu) edit = g_menu_new ();
  g_autoptr(GMenu) more = g_menu_new ();
  g_auto(GStrv) selection = sluice_canvas_get_selection (self->canvas);

  if (on_gem)
    {
      append_canvas_item (self, edit, _("Cu_t"), "canvas.cut");
      append_canvas_item (self, edit, _("_Copy"), "canvas.copy");
      append_canvas_item (self, edit, _("D_uplicate"), "canvas.duplicate");
      if (selection[0] && !selection[1])
        append_canvas_item (self, more, _("_Wire to…"), "canvas.connect");
      append_canvas_item (self, more, _("_Delete"), "canvas.delete");
    }
  else
    {
      append_canvas_item (self, edit, _("_Paste"), "canvas.paste");
      append_canvas_item (self, edit, _("_Add Gem…"), "canvas.add-gem");
      append_canvas_item (self, more, _("Auto-_layout"), "canvas.auto-layout");
    }
  g_menu_append_section (menu, NULL, G_MENU_MODEL (edit));
  g_menu_append_section (menu, NULL, G_MENU_MODEL (more));
  if (self->context_popover == NULL)
    {
      popover_menu_at (self, &self->context_popover, G_MENU_MODEL (menu), x, y);
      gtk_widget_insert_action_group (self->context_popover, "context", G_ACTION_GROUP (self->context_actions));
    }
  else
    popover_menu_at (self, &self->context_popover, G_MENU_MODEL (menu), x, y);
}

static void
canvas_action (GtkWidget  *widget,
               const char *action_name,
               GVariant   *parameter)
{
  SluicePipelineView *self = SLUICE_PIPELINE_VIEW (widget);
  const char *name = g_variant_get_string (parameter, NULL);

  if (g_str_has_prefix (name, "canvas."))
    gtk_widget_activate_action (GTK_WIDGET (self->canvas), name, NULL);
}

static void
connect_to_action (GtkWidget  *widget,
                   const char *action_name,
                   GVariant   *parameter)
{
  SluicePipelineView *self = SLUICE_PIPELINE_VIEW (widget);
  const char *target = g_variant_get_string (parameter, NULL);
  const char *dot = strchr (target, '.');
  g_autofree char *to_gem = NULL;
  g_autoptr(GError) error = NULL;
  SluiceGem *from;

  if (self->connect_gem == NULL || dot == NULL ||
      (from = sluice_pipeline_find_gem (self->pipeline, self->connect_gem)) == NULL || first_output (from) == NULL)
    return;
  to_gem = g_strndup (target, dot - target);
  if (!sluice_pipeline_connect (self->pipeline, self->connect_gem, first_output (from), to_gem, dot + 1, &error))
    show_error (self, error->message);
  gtk_widget_grab_focus (GTK_WIDGET (self->canvas));
}

static void
gem_chosen_cb (SluicePipelineView *self,
               const char         *type_name)
{
  /* From the keyboard: the middle of what is in view. */
  add_gem_at (self, type_name, gtk_widget_get_width (GTK_WIDGET (self->canvas)) / 2.0,
              gtk_widget_get_height (GTK_WIDGET (self->canvas)) / 2.0);
}

static gboolean
drop_cb (GtkDropTarget      *target,
         const GValue       *value,
         double              x,
         double              y,
         SluicePipelineView *self)
{
  const char *type_name;
  SluiceEdge *wire;

  /* A file (from a file manager): a dataset of it, read by a Source gem here. */
  if (G_VALUE_HOLDS (value, GDK_TYPE_FILE_LIST))
    {
      GSList *files = g_value_get_boxed (value);
      double mx, my;

      if (files == NULL)
        return FALSE;
      sluice_canvas_view_to_model (self->canvas, x, y, &mx, &my);
      /* One dataset per drop: the first file. */
      g_signal_emit (self, signals[FILE_DROPPED], 0, files->data, mx, my);
      return TRUE;
    }
  if (G_VALUE_HOLDS (value, G_TYPE_FILE))
    {
      double mx, my;

      sluice_canvas_view_to_model (self->canvas, x, y, &mx, &my);
      g_signal_emit (self, signals[FILE_DROPPED], 0, g_value_get_object (value), mx, my);
      return TRUE;
    }

  type_name = sluice_palette_parse_drop (g_value_get_string (value));
  if (type_name == NULL)
    return FALSE;
  /* Onto a wire: the gem goes into it, when it has an input and an output. */
  wire = sluice_canvas_wire_at (self->canvas, x, y);
  if (wire != NULL && sluice_gem_type_get_min_inputs (sluice_gem_type_lookup (type_name)) > 0 &&
      sluice_gem_type_get_n_outputs (sluice_gem_type_lookup (type_name)) > 0)
    {
      /* Centred on the drop point, so the card sits on the wire it cut. */
      add_gem_wired (self, type_name, x - (SLUICE_GEM_WIDGET_WIDTH / 2.0) * sluice_canvas_get_zoom (self->canvas),
                     y - 20 * sluice_canvas_get_zoom (self->canvas), NULL, NULL, wire);
      return TRUE;
    }
  add_gem_at (self, type_name, x, y);
  return TRUE;
}

static void
zoom_to_fit_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  sluice_canvas_zoom_to_fit (SLUICE_PIPELINE_VIEW (widget)->canvas);
}

static void
auto_layout_action (GtkWidget  *widget,
                    const char *action_name,
                    GVariant   *parameter)
{
  gtk_widget_activate_action (GTK_WIDGET (SLUICE_PIPELINE_VIEW (widget)->canvas), "canvas.auto-layout", NULL);
}

static void
run_to_selected_action (GtkWidget  *widget,
                        const char *action_name,
                        GVariant   *parameter)
{
  SluicePipelineView *self = SLUICE_PIPELINE_VIEW (widget);
  g_autofree char *one = single_selection (self);

  if (one)
    gtk_widget_activate_action (widget, "page.run-until", "s", one);
}

/* ---- datasets: their schemas feed the gems ---- */

/* A dataset was added, removed or edited: the resolver caches schemas per
 * gem and follows only the pipeline's edits, so a new one resolves all. */
static gboolean
reresolve_idle (gpointer data)
{
  SluicePipelineView *self = data;
  g_autofree char *one = NULL;

  self->reresolve_id = 0;
  g_clear_object (&self->resolver);
  self->resolver = sluice_resolver_new (self->pipeline, self->datasets);
  sluice_canvas_set_resolver (self->canvas, self->resolver);
  sluice_code_view_set_pipeline (self->code_view, self->pipeline, self->datasets, self->resolver);
  one = single_selection (self);
  sluice_inspector_set_gem (self->inspector, one ? self->pipeline : NULL, one, self->resolver);
  return G_SOURCE_REMOVE;
}

static void
schedule_reresolve (SluicePipelineView *self)
{
  if (self->reresolve_id == 0)
    self->reresolve_id = g_idle_add (reresolve_idle, self);
}

static void
disconnect_datasets (SluicePipelineView *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (self->datasets); i++)
    {
      g_autoptr(GObject) d = g_list_model_get_item (self->datasets, i);
      g_signal_handlers_disconnect_by_func (d, schedule_reresolve, self);
    }
}

static void
watch_datasets (SluicePipelineView *self)
{
  for (guint i = 0; i < g_list_model_get_n_items (self->datasets); i++)
    {
      g_autoptr(GObject) d = g_list_model_get_item (self->datasets, i);
      g_signal_handlers_disconnect_by_func (d, schedule_reresolve, self);
      g_signal_connect_object (d, "changed", G_CALLBACK (schedule_reresolve), self, G_CONNECT_SWAPPED);
    }
}

static void
datasets_changed (SluicePipelineView *self)
{
  watch_datasets (self);
  schedule_reresolve (self);
}

/* ---- public ---- */

SluicePipeline *
sluice_pipeline_view_get_pipeline (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->pipeline;
}

SluiceCanvas *
sluice_pipeline_view_get_canvas (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->canvas;
}

SluiceInspector *
sluice_pipeline_view_get_inspector (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->inspector;
}

SluiceCodeView *
sluice_pipeline_view_get_code_view (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->code_view;
}

SluicePalette *
sluice_pipeline_view_get_palette (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->palette;
}

SluiceGemResult *
sluice_pipeline_view_get_shown_result (SluicePipelineView *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);
  return self->shown_result;
}

const char *
sluice_pipeline_view_get_gem_status (SluicePipelineView *self,
                                     const char         *gem_id)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE_VIEW (self), NULL);

  if (sluice_pipeline_find_gem (self->pipeline, gem_id) == NULL)
    return NULL;
  return g_hash_table_contains (self->gem_status, gem_id) ? g_hash_table_lookup (self->gem_status, gem_id) : "";
}

static void
sluice_pipeline_view_get_property (GObject    *object,
                                   guint       prop_id,
                                   GValue     *value,
                                   GParamSpec *pspec)
{
  switch (prop_id)
    {
    case PROP_SHOWN_RESULT:
      g_value_set_object (value, SLUICE_PIPELINE_VIEW (object)->shown_result);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_pipeline_view_dispose (GObject *object)
{
  SluicePipelineView *self = SLUICE_PIPELINE_VIEW (object);

  disconnect_run (self);
  g_clear_object (&self->run);
  g_clear_handle_id (&self->reresolve_id, g_source_remove);
  if (self->datasets)
    disconnect_datasets (self);
  if (self->add_popover)
    gtk_widget_unparent (GTK_WIDGET (self->add_popover));
  self->add_popover = NULL;
  g_clear_pointer (&self->connect_popover, gtk_widget_unparent);
  g_clear_pointer (&self->context_popover, gtk_widget_unparent);
  g_clear_object (&self->context_actions);
  g_clear_object (&self->shown_result);
  if (self->inspector)
    sluice_inspector_set_gem (self->inspector, NULL, NULL, NULL);
  gtk_widget_dispose_template (GTK_WIDGET (self), SLUICE_TYPE_PIPELINE_VIEW);
  self->canvas = NULL;
  g_clear_object (&self->resolver);
  g_clear_object (&self->datasets);
  g_clear_object (&self->pipeline);

  G_OBJECT_CLASS (sluice_pipeline_view_parent_class)->dispose (object);
}

static void
sluice_pipeline_view_finalize (GObject *object)
{
  SluicePipelineView *self = SLUICE_PIPELINE_VIEW (object);

  g_free (self->shown_gem);
  g_free (self->add_from_gem);
  g_free (self->add_from_port);
  g_free (self->connect_gem);
  g_free (self->run_fabric);
  g_free (self->fabric_name);
  g_hash_table_unref (self->gem_status);

  G_OBJECT_CLASS (sluice_pipeline_view_parent_class)->finalize (object);
}

static void
sluice_pipeline_view_class_init (SluicePipelineViewClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = sluice_pipeline_view_dispose;
  object_class->finalize = sluice_pipeline_view_finalize;
  object_class->get_property = sluice_pipeline_view_get_property;

  /* The sample to show: the chosen gem's, or the run's latest. */
  properties[PROP_SHOWN_RESULT] =
    g_param_spec_object ("shown-result", NULL, NULL, SLUICE_TYPE_GEM_RESULT,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /* A file was dropped onto the canvas at (x, y) of the model: the page
   * makes a dataset of it and a Source gem there. */
  signals[FILE_DROPPED] =
    g_signal_new ("file-dropped", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL, NULL,
                  G_TYPE_NONE, 3, G_TYPE_FILE, G_TYPE_DOUBLE, G_TYPE_DOUBLE);

  gtk_widget_class_install_action (widget_class, "editor.zoom-to-fit", NULL, zoom_to_fit_action);
  gtk_widget_class_install_action (widget_class, "editor.run-to-selected", NULL, run_to_selected_action);
  gtk_widget_class_install_action (widget_class, "editor.auto-layout", NULL, auto_layout_action);
  gtk_widget_class_install_action (widget_class, "editor.connect-to", "s", connect_to_action);
  gtk_widget_class_install_action (widget_class, "editor.canvas", "s", canvas_action);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_F5, GDK_CONTROL_MASK, "editor.run-to-selected", NULL);

  g_type_ensure (SLUICE_TYPE_PALETTE);
  g_type_ensure (SLUICE_TYPE_INSPECTOR);
  g_type_ensure (SLUICE_TYPE_CODE_VIEW);
  gtk_widget_class_set_template_from_resource (widget_class, RESOURCE_PREFIX "/ui/sluice-pipeline-view.ui");
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, palette_button);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, title);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, run_button);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, until_button);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, cancel_button);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, progress);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, status);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, code_button);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, palette);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, canvas_box);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, inspector_box);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, inspector);
  gtk_widget_class_bind_template_child (widget_class, SluicePipelineView, code_view);
  gtk_widget_class_bind_template_callback (widget_class, gem_chosen_cb);
}

static void
sluice_pipeline_view_init (SluicePipelineView *self)
{
  GtkDropTarget *drop;

  gtk_widget_init_template (GTK_WIDGET (self));
  self->gem_status = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->context_actions = g_simple_action_group_new ();
  sluice_pipeline_view_set_fabric_name (self, _("Local"));

  self->canvas = SLUICE_CANVAS (sluice_canvas_new ());
  gtk_widget_set_hexpand (GTK_WIDGET (self->canvas), TRUE);
  gtk_widget_set_vexpand (GTK_WIDGET (self->canvas), TRUE);
  gtk_box_append (self->canvas_box, GTK_WIDGET (self->canvas));
  g_signal_connect_object (self->canvas, "selection-changed", G_CALLBACK (selection_changed), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "add-gem-requested", G_CALLBACK (add_gem_requested_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "connect-requested", G_CALLBACK (connect_requested_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "edit-failed", G_CALLBACK (edit_failed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->canvas, "context-menu-requested", G_CALLBACK (context_menu_requested_cb), self,
                           G_CONNECT_SWAPPED);

  /* A popover has its own surface, so the box lays it out no more than it draws it. */
  self->add_popover = SLUICE_ADD_GEM_POPOVER (sluice_add_gem_popover_new ());
  gtk_widget_set_parent (GTK_WIDGET (self->add_popover), GTK_WIDGET (self->canvas_box));
  g_signal_connect_object (self->add_popover, "gem-chosen", G_CALLBACK (add_popover_gem_chosen_cb), self,
                           G_CONNECT_SWAPPED);

  /* A gem dragged from the palette lands where it is dropped; so does a file. */
  drop = gtk_drop_target_new (G_TYPE_INVALID, GDK_ACTION_COPY);
  gtk_drop_target_set_gtypes (drop, (GType[]) { GDK_TYPE_FILE_LIST, G_TYPE_STRING }, 2);
  g_signal_connect_object (drop, "drop", G_CALLBACK (drop_cb), self, 0);
  gtk_widget_add_controller (GTK_WIDGET (self->canvas), GTK_EVENT_CONTROLLER (drop));
}

GtkWidget *
sluice_pipeline_view_new (SluicePipeline *pipeline,
                          GListModel     *datasets)
{
  SluicePipelineView *self;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (datasets), NULL);

  self = g_object_new (SLUICE_TYPE_PIPELINE_VIEW, NULL);
  self->pipeline = g_object_ref (pipeline);
  self->datasets = g_object_ref (datasets);
  self->resolver = sluice_resolver_new (pipeline, datasets);
  watch_datasets (self);
  g_signal_connect_object (datasets, "items-changed", G_CALLBACK (datasets_changed), self, G_CONNECT_SWAPPED);
  gtk_label_set_text (self->title, sluice_pipeline_get_name (pipeline));
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->title), sluice_pipeline_get_description (pipeline));
  sluice_canvas_set_pipeline (self->canvas, pipeline);
  sluice_canvas_set_resolver (self->canvas, self->resolver);
  sluice_canvas_zoom_to_fit (self->canvas);
  sluice_inspector_set_datasets (self->inspector, datasets);
  sluice_code_view_set_pipeline (self->code_view, pipeline, datasets, self->resolver);
  show_progress (self);
  update_actions (self);
  return GTK_WIDGET (self);
}
