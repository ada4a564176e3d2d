#define G_LOG_DOMAIN "sluice-undo-stack"

#include "config.h"

#include "sluice-command.h"
#include "sluice-undo-stack.h"

struct _SluiceUndoStack
{
  GObject    parent_instance;
  GPtrArray *commands;     /* SluiceCommand (owned); [0, position) are done */
  guint      position;
  /* The position whose state is on disk; -1 when that state is no longer
   * reachable (it was redo history that a new edit cleared). */
  gint64     saved;
};

G_DEFINE_FINAL_TYPE (SluiceUndoStack, sluice_undo_stack, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  PROP_DIRTY,
  PROP_UNDO_LABEL,
  PROP_REDO_LABEL,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  gboolean can_undo, can_redo, dirty;
  const char *undo_label, *redo_label;
} State;

static State
get_state (SluiceUndoStack *self)
{
  return (State) {
    sluice_undo_stack_get_can_undo (self),
    sluice_undo_stack_get_can_redo (self),
    sluice_undo_stack_get_dirty (self),
    sluice_undo_stack_get_undo_label (self),
    sluice_undo_stack_get_redo_label (self),
  };
}

/* Notifies exactly the properties that changed. */
static void
notify_changes (SluiceUndoStack *self,
                State            before)
{
  State after = get_state (self);

  g_object_freeze_notify (G_OBJECT (self));
  if (before.can_undo != after.can_undo)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  if (before.can_redo != after.can_redo)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
  if (before.dirty != after.dirty)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
  if (before.undo_label != after.undo_label)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_UNDO_LABEL]);
  if (before.redo_label != after.redo_label)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_REDO_LABEL]);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
sluice_undo_stack_finalize (GObject *object)
{
  SluiceUndoStack *self = SLUICE_UNDO_STACK (object);

  g_ptr_array_unref (self->commands);

  G_OBJECT_CLASS (sluice_undo_stack_parent_class)->finalize (object);
}

static void
sluice_undo_stack_get_property (GObject    *object,
                                guint       prop_id,
                                GValue     *value,
                                GParamSpec *pspec)
{
  SluiceUndoStack *self = SLUICE_UNDO_STACK (object);

  switch (prop_id)
    {
    case PROP_CAN_UNDO:   g_value_set_boolean (value, sluice_undo_stack_get_can_undo (self)); break;
    case PROP_CAN_REDO:   g_value_set_boolean (value, sluice_undo_stack_get_can_redo (self)); break;
    case PROP_DIRTY:      g_value_set_boolean (value, sluice_undo_stack_get_dirty (self)); break;
    case PROP_UNDO_LABEL: g_value_set_string (value, sluice_undo_stack_get_undo_label (self)); break;
    case PROP_REDO_LABEL: g_value_set_string (value, sluice_undo_stack_get_redo_label (self)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_undo_stack_class_init (SluiceUndoStackClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = sluice_undo_stack_finalize;
  object_class->get_property = sluice_undo_stack_get_property;

  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_UNDO_LABEL] =
    g_param_spec_string ("undo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_REDO_LABEL] =
    g_param_spec_string ("redo-label", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
sluice_undo_stack_init (SluiceUndoStack *self)
{
  self->commands = g_ptr_array_new_with_free_func (g_object_unref);
  self->saved = 0;
}

SluiceUndoStack *
sluice_undo_stack_new (void)
{
  return g_object_new (SLUICE_TYPE_UNDO_STACK, NULL);
}

void
sluice_undo_stack_push (SluiceUndoStack *self,
                        SluiceCommand   *command)
{
  State before;

  g_return_if_fail (SLUICE_IS_UNDO_STACK (self));
  g_return_if_fail (SLUICE_IS_COMMAND (command));

  before = get_state (self);

  /* A new edit clears redo; if the saved state was in it, it is gone. */
  if (self->position < self->commands->len)
    {
      if (self->saved > (gint64) self->position)
        self->saved = -1;
      g_ptr_array_set_size (self->commands, self->position);
    }
  g_ptr_array_add (self->commands, command);
  self->position++;

  notify_changes (self, before);
}

SluiceCommand *
sluice_undo_stack_peek_undo (SluiceUndoStack *self)
{
  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), NULL);

  if (self->position == 0)
    return NULL;
  return g_ptr_array_index (self->commands, self->position - 1);
}

SluiceCommand *
sluice_undo_stack_step_back (SluiceUndoStack *self)
{
  SluiceCommand *command;
  State before;

  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), NULL);

  if (self->position == 0)
    return NULL;
  before = get_state (self);
  command = g_ptr_array_index (self->commands, --self->position);
  notify_changes (self, before);
  return command;
}

SluiceCommand *
sluice_undo_stack_step_forward (SluiceUndoStack *self)
{
  SluiceCommand *command;
  State before;

  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), NULL);

  if (self->position >= self->commands->len)
    return NULL;
  before = get_state (self);
  command = g_ptr_array_index (self->commands, self->position++);
  notify_changes (self, before);
  return command;
}

gboolean
sluice_undo_stack_get_can_undo (SluiceUndoStack *self)
{
  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), FALSE);
  return self->position > 0;
}

gboolean
sluice_undo_stack_get_can_redo (SluiceUndoStack *self)
{
  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), FALSE);
  return self->position < self->commands->len;
}

const char *
sluice_undo_stack_get_undo_label (SluiceUndoStack *self)
{
  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), NULL);

  if (self->position == 0)
    return NULL;
  return sluice_command_get_label (g_ptr_array_index (self->commands, self->position - 1));
}

const char *
sluice_undo_stack_get_redo_label (SluiceUndoStack *self)
{
  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), NULL);

  if (self->position >= self->commands->len)
    return NULL;
  return sluice_command_get_label (g_ptr_array_index (self->commands, self->position));
}

gboolean
sluice_undo_stack_get_dirty (SluiceUndoStack *self)
{
  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), FALSE);
  return self->saved != (gint64) self->position;
}

guint
sluice_undo_stack_get_depth (SluiceUndoStack *self)
{
  g_return_val_if_fail (SLUICE_IS_UNDO_STACK (self), 0);
  return self->position;
}

void
sluice_undo_stack_mark_saved (SluiceUndoStack *self)
{
  State before;

  g_return_if_fail (SLUICE_IS_UNDO_STACK (self));

  before = get_state (self);
  self->saved = self->position;
  notify_changes (self, before);
}

void
sluice_undo_stack_mark_unsaved (SluiceUndoStack *self)
{
  State before;

  g_return_if_fail (SLUICE_IS_UNDO_STACK (self));

  before = get_state (self);
  self->saved = -1;
  notify_changes (self, before);
}

void
sluice_undo_stack_mark_saved_at (SluiceUndoStack *self,
                                 SluiceCommand   *top,
                                 guint            depth)
{
  State before;

  g_return_if_fail (SLUICE_IS_UNDO_STACK (self));

  before = get_state (self);
  if (depth <= self->commands->len &&
      (depth == 0 || g_ptr_array_index (self->commands, depth - 1) == (gpointer) top))
    self->saved = depth;
  else
    self->saved = -1;
  notify_changes (self, before);
}
