/* The canvas's editing commands beyond moving and wiring: the clipboard
 * (copy, cut, paste, duplicate through the real GdkClipboard as text),
 * auto-layout, and the requests for the add-gem and connect popovers, which
 * the pipeline view shows. */
#define G_LOG_DOMAIN "sluice-canvas"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-canvas-private.h"

/* How far a paste without a pointer, or a duplicate, lands from the originals. */
#define PASTE_OFFSET 32
/* Room around a card in an auto-layout. */
#define LAYOUT_GAP_X 96
#define LAYOUT_GAP_Y 40

static void
select_ids (SluiceCanvas       *self,
            const char * const *ids)
{
  sluice_canvas_set_selection (self, ids);
  gtk_widget_grab_focus (GTK_WIDGET (self));
}

/* Where the pointer is now, in the widget's coordinates; FALSE when it is
 * not over the canvas. Asked of the device rather than tracked, so a key
 * or a clipboard answer arriving before any motion still finds it. */
static gboolean
pointer_position (SluiceCanvas *self,
                  double       *x,
                  double       *y)
{
  GtkWidget *widget = GTK_WIDGET (self);
  GtkNative *native = gtk_widget_get_native (widget);
  GdkSeat *seat = gdk_display_get_default_seat (gtk_widget_get_display (widget));
  GdkDevice *pointer = seat ? gdk_seat_get_pointer (seat) : NULL;
  graphene_point_t p;
  double sx, sy, tx, ty;

  if (native == NULL || pointer == NULL ||
      !gdk_surface_get_device_position (gtk_native_get_surface (native), pointer, &sx, &sy, NULL))
    return FALSE;
  gtk_native_get_surface_transform (native, &tx, &ty);
  if (!gtk_widget_compute_point (GTK_WIDGET (native), widget, &GRAPHENE_POINT_INIT (sx - tx, sy - ty), &p))
    return FALSE;
  *x = p.x;
  *y = p.y;
  return p.x >= 0 && p.y >= 0 && p.x < gtk_widget_get_width (widget) && p.y < gtk_widget_get_height (widget);
}

/* The pointer, or the middle of the view when it is elsewhere. */
static void
target_point (SluiceCanvas *self,
              double       *x,
              double       *y)
{
  if (!pointer_position (self, x, y))
    {
      *x = gtk_widget_get_width (GTK_WIDGET (self)) / 2.0;
      *y = gtk_widget_get_height (GTK_WIDGET (self)) / 2.0;
    }
}

/* (transfer full) (nullable): the selection as clipboard text */
static char *
copy_selection (SluiceCanvas *self)
{
  g_auto(GStrv) ids = _sluice_canvas_selection_strv (self);
  g_autoptr(GError) error = NULL;
  char *text;

  if (self->pipeline == NULL || ids[0] == NULL)
    return NULL;
  if (!(text = sluice_pipeline_copy_gems (self->pipeline, (const char * const *) ids, &error)))
    _sluice_canvas_edit_failed (self, error->message);
  return text;
}

static void
copy_action (GtkWidget  *widget,
             const char *name,
             GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  g_autofree char *text = copy_selection (self);

  if (text == NULL)
    return;
  gdk_clipboard_set_text (gtk_widget_get_clipboard (widget), text);

  if (g_str_equal (name, "canvas.cut"))
    {
      g_auto(GStrv) ids = _sluice_canvas_selection_strv (self);
      g_autoptr(GError) error = NULL;

      /* remove_gems is one command: one undo brings the cut gems back. */
      if (!sluice_pipeline_remove_gems (self->pipeline, (const char * const *) ids, &error))
        _sluice_canvas_edit_failed (self, error->message);
    }
}

static void
paste_text (SluiceCanvas *self,
            const char   *text,
            gboolean      at_pointer)
{
  g_autoptr(GError) error = NULL;
  g_auto(GStrv) ids = NULL;
  double vx, vy;
  gboolean ok;

  if (self->pipeline == NULL)
    return;
  if (at_pointer && pointer_position (self, &vx, &vy))
    {
      double mx, my;

      sluice_canvas_view_to_model (self, vx, vy, &mx, &my);
      ok = sluice_pipeline_paste_at (self->pipeline, text, (int) mx, (int) my, &ids, &error);
    }
  else
    ok = sluice_pipeline_paste (self->pipeline, text, PASTE_OFFSET, PASTE_OFFSET, &ids, &error);

  if (!ok)
    {
      _sluice_canvas_edit_failed (self, error->message);
      return;
    }
  select_ids (self, (const char * const *) ids);
}

static void
read_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SluiceCanvas) self = user_data;
  g_autoptr(GError) error = NULL;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, &error);

  if (text == NULL)
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        _sluice_canvas_edit_failed (self, _("The clipboard holds no Sluice gems"));
      return;
    }
  /* The widget may have lost its pipeline while the clipboard answered. */
  if (gtk_widget_get_root (GTK_WIDGET (self)) == NULL)
    return;
  paste_text (self, text, TRUE);
}

static void
paste_action (GtkWidget  *widget,
              const char *name,
              GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);

  if (self->pipeline == NULL)
    return;
  /* Through the real clipboard, so gems go between windows and projects. */
  gdk_clipboard_read_text_async (gtk_widget_get_clipboard (widget), NULL, read_text_cb, g_object_ref (self));
}

static void
duplicate_action (GtkWidget  *widget,
                  const char *name,
                  GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  g_autofree char *text = copy_selection (self);

  /* Beside the originals, leaving the clipboard alone. */
  if (text != NULL)
    paste_text (self, text, FALSE);
}

static void
auto_layout_cb (GObject      *source,
                GAsyncResult *result,
                gpointer      user_data)
{
  g_autoptr(SluiceCanvas) self = user_data;
  g_autoptr(GError) error = NULL;

  if (!sluice_pipeline_auto_layout_finish (SLUICE_PIPELINE (source), result, &error))
    {
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED) && self->pipeline == (gpointer) source)
        _sluice_canvas_edit_failed (self, error->message);
      return;
    }
  g_clear_object (&self->layout_cancellable);
  if (self->pipeline == (gpointer) source)
    sluice_canvas_zoom_to_fit (self);
}

static void
auto_layout_action (GtkWidget  *widget,
                    const char *name,
                    GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  GHashTableIter iter;
  gpointer value;
  int tallest = 0;

  if (self->pipeline == NULL)
    return;
  g_hash_table_iter_init (&iter, self->widgets);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    tallest = MAX (tallest, sluice_gem_widget_get_height (value));
  /* A new request replaces the one still running. */
  if (self->layout_cancellable)
    g_cancellable_cancel (self->layout_cancellable);
  g_clear_object (&self->layout_cancellable);
  self->layout_cancellable = g_cancellable_new ();
  sluice_pipeline_auto_layout_async (self->pipeline, SLUICE_GEM_WIDGET_WIDTH + LAYOUT_GAP_X,
                                     tallest + LAYOUT_GAP_Y, self->layout_cancellable,
                                     auto_layout_cb, g_object_ref (self));
}

static void
add_gem_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  double x, y;

  if (self->pipeline == NULL)
    return;
  target_point (self, &x, &y);
  _sluice_canvas_request_add_gem (self, x, y, "", NULL, NULL);
}

static void
connect_action (GtkWidget  *widget,
                const char *name,
                GVariant   *param)
{
  SluiceCanvas *self = SLUICE_CANVAS (widget);
  g_auto(GStrv) ids = _sluice_canvas_selection_strv (self);
  SluiceGemWidget *card;
  graphene_point_t p;

  if (self->pipeline == NULL || ids[0] == NULL || ids[1] != NULL)
    return;
  card = g_hash_table_lookup (self->widgets, ids[0]);
  /* The menu opens at the right edge of the card, where its output is. */
  if (card == NULL ||
      !gtk_widget_compute_point (GTK_WIDGET (card), widget,
                                 &GRAPHENE_POINT_INIT (SLUICE_GEM_WIDGET_WIDTH, 20), &p))
    p = GRAPHENE_POINT_INIT (gtk_widget_get_width (widget) / 2.0, gtk_widget_get_height (widget) / 2.0);
  _sluice_canvas_request_connect (self, ids[0], p.x, p.y);
}

/* Letters typed on the canvas open the add-gem popover with them. */
static gboolean
key_pressed_cb (GtkEventControllerKey *key,
                guint                  keyval,
                guint                  keycode,
                GdkModifierType        state,
                SluiceCanvas          *self)
{
  gunichar c = gdk_keyval_to_unicode (keyval);
  char text[8] = { 0 };
  double x, y;

  if (self->pipeline == NULL || (state & (GDK_CONTROL_MASK | GDK_ALT_MASK | GDK_SUPER_MASK)) ||
      c == 0 || !g_unichar_isalpha (c))
    return FALSE;
  g_unichar_to_utf8 (c, text);
  target_point (self, &x, &y);
  _sluice_canvas_request_add_gem (self, x, y, text, NULL, NULL);
  return TRUE;
}

/* A right click selects the gem under it (keeping a selection it is part
 * of) and asks for the context menu there. */
static void
context_pressed_cb (GtkGestureClick *gesture,
                    int              n_press,
                    double           x,
                    double           y,
                    SluiceCanvas    *self)
{
  GtkWidget *w = gtk_widget_pick (GTK_WIDGET (self), x, y, GTK_PICK_DEFAULT);
  const char *on = NULL;

  if (self->pipeline == NULL)
    return;
  for (; w && w != GTK_WIDGET (self); w = gtk_widget_get_parent (w))
    if (SLUICE_IS_GEM_WIDGET (w))
      {
        on = sluice_gem_get_id (sluice_gem_widget_get_gem (SLUICE_GEM_WIDGET (w)));
        break;
      }
  if (on && !g_hash_table_contains (self->selection, on))
    _sluice_canvas_select_only (self, on);
  else if (on == NULL)
    _sluice_canvas_select_only (self, NULL);
  gtk_gesture_set_state (GTK_GESTURE (gesture), GTK_EVENT_SEQUENCE_CLAIMED);
  gtk_widget_grab_focus (GTK_WIDGET (self));
  _sluice_canvas_request_context_menu (self, x, y, on != NULL);
}

/* Whether @text reads as gems to paste: a JSON object with a non-empty
 * "gems" array (what copy writes; any pipeline file). */
static gboolean
text_has_gems (const char *text)
{
  g_autoptr(JsonNode) root = text ? json_from_string (text, NULL) : NULL;
  JsonNode *gems;

  if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
    return FALSE;
  gems = json_object_get_member (json_node_get_object (root), "gems");
  return gems && JSON_NODE_HOLDS_ARRAY (gems) && json_array_get_length (json_node_get_array (gems)) > 0;
}

static void
peek_text_cb (GObject      *source,
              GAsyncResult *result,
              gpointer      user_data)
{
  g_autoptr(SluiceCanvas) self = user_data;
  g_autofree char *text = gdk_clipboard_read_text_finish (GDK_CLIPBOARD (source), result, NULL);

  self->clipboard_has_gems = text_has_gems (text);
  _sluice_canvas_update_edit_actions (self);
}

/* Paste applies only when the clipboard holds gems: it is read (as paste
 * would read it) whenever it changes, here or in another program. */
static void
clipboard_changed_cb (SluiceCanvas *self,
                      GdkClipboard *clipboard)
{
  GdkContentFormats *formats = gdk_clipboard_get_formats (clipboard);

  self->clipboard_has_gems = FALSE;
  _sluice_canvas_update_edit_actions (self);
  if (gdk_content_formats_contain_gtype (formats, G_TYPE_STRING) ||
      gdk_content_formats_contain_mime_type (formats, "text/plain;charset=utf-8") ||
      gdk_content_formats_contain_mime_type (formats, "text/plain"))
    gdk_clipboard_read_text_async (clipboard, NULL, peek_text_cb, g_object_ref (self));
}

gboolean
sluice_canvas_get_action_enabled (SluiceCanvas *self,
                                  const char   *action_name)
{
  guint n;
  gboolean can_undo = FALSE, can_redo = FALSE;

  g_return_val_if_fail (SLUICE_IS_CANVAS (self), FALSE);
  g_return_val_if_fail (action_name != NULL, FALSE);

  n = g_hash_table_size (self->selection);
  if (self->pipeline == NULL)
    return FALSE;
  if (g_str_equal (action_name, "canvas.copy") || g_str_equal (action_name, "canvas.cut") ||
      g_str_equal (action_name, "canvas.duplicate") || g_str_equal (action_name, "canvas.delete") ||
      g_str_equal (action_name, "canvas.move-selection"))
    return n > 0;
  if (g_str_equal (action_name, "canvas.connect"))
    return n == 1;
  if (g_str_equal (action_name, "canvas.paste"))
    return self->clipboard_has_gems;
  if (g_str_equal (action_name, "canvas.add-gem"))
    return TRUE;
  if (g_str_equal (action_name, "canvas.auto-layout"))
    return g_list_model_get_n_items (sluice_pipeline_get_gems (self->pipeline)) > 0;
  g_object_get (self->pipeline, "can-undo", &can_undo, "can-redo", &can_redo, NULL);
  if (g_str_equal (action_name, "canvas.undo"))
    return can_undo;
  if (g_str_equal (action_name, "canvas.redo"))
    return can_redo;
  return FALSE;
}

void
_sluice_canvas_update_edit_actions (SluiceCanvas *self)
{
  static const char * const names[] = {
    "canvas.copy", "canvas.cut", "canvas.duplicate", "canvas.delete", "canvas.move-selection",
    "canvas.connect", "canvas.paste", "canvas.add-gem", "canvas.auto-layout", "canvas.undo", "canvas.redo",
  };

  for (guint i = 0; i < G_N_ELEMENTS (names); i++)
    gtk_widget_action_set_enabled (GTK_WIDGET (self), names[i], sluice_canvas_get_action_enabled (self, names[i]));
  /* Except that Ctrl+V stays live with a pipeline: pressed on foreign text
   * it says why nothing came, and it is not lost to a clipboard changed a
   * moment ago in another program and not read back yet. */
  gtk_widget_action_set_enabled (GTK_WIDGET (self), "canvas.paste", self->pipeline != NULL);
}

void
_sluice_canvas_class_init_edit (GtkWidgetClass *widget_class)
{
  gtk_widget_class_install_action (widget_class, "canvas.copy", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "canvas.cut", NULL, copy_action);
  gtk_widget_class_install_action (widget_class, "canvas.paste", NULL, paste_action);
  gtk_widget_class_install_action (widget_class, "canvas.duplicate", NULL, duplicate_action);
  gtk_widget_class_install_action (widget_class, "canvas.auto-layout", NULL, auto_layout_action);
  gtk_widget_class_install_action (widget_class, "canvas.add-gem", NULL, add_gem_action);
  gtk_widget_class_install_action (widget_class, "canvas.connect", NULL, connect_action);

  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_c, GDK_CONTROL_MASK, "canvas.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_CONTROL_MASK, "canvas.copy", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_x, GDK_CONTROL_MASK, "canvas.cut", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_v, GDK_CONTROL_MASK, "canvas.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_Insert, GDK_SHIFT_MASK, "canvas.paste", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_d, GDK_CONTROL_MASK, "canvas.duplicate", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_l, GDK_CONTROL_MASK, "canvas.auto-layout", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_space, GDK_CONTROL_MASK, "canvas.add-gem", NULL);
  gtk_widget_class_add_binding_action (widget_class, GDK_KEY_e, GDK_CONTROL_MASK, "canvas.connect", NULL);
}

void
_sluice_canvas_init_edit (SluiceCanvas *self)
{
  GtkEventController *key = gtk_event_controller_key_new ();
  GtkGesture *context = gtk_gesture_click_new ();

  g_signal_connect (key, "key-pressed", G_CALLBACK (key_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), key);
  gtk_gesture_single_set_button (GTK_GESTURE_SINGLE (context), GDK_BUTTON_SECONDARY);
  g_signal_connect (context, "pressed", G_CALLBACK (context_pressed_cb), self);
  gtk_widget_add_controller (GTK_WIDGET (self), GTK_EVENT_CONTROLLER (context));
  g_signal_connect_object (gtk_widget_get_clipboard (GTK_WIDGET (self)), "changed",
                           G_CALLBACK (clipboard_changed_cb), self, G_CONNECT_SWAPPED);
  clipboard_changed_cb (self, gtk_widget_get_clipboard (GTK_WIDGET (self)));
}
