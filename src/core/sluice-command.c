#define G_LOG_DOMAIN "sluice-command"

#include "config.h"

#include "sluice-command.h"
#include "sluice-edge.h"
#include "sluice-gem.h"

struct _SluiceCommand
{
  GObject  parent_instance;
  char    *label;   /* owned */
  GArray  *ops;     /* SluiceOp, contents owned */
  GHashTable *moves; /* gem id → index in ops of its MOVE op, for drags */
};

G_DEFINE_FINAL_TYPE (SluiceCommand, sluice_command, G_TYPE_OBJECT)

static void
op_clear (gpointer data)
{
  SluiceOp *op = data;

  g_clear_object (&op->gem);
  g_clear_object (&op->edge);
  g_clear_pointer (&op->gem_id, g_free);
  g_clear_pointer (&op->key, g_free);
  g_clear_pointer (&op->old_value, json_node_unref);
  g_clear_pointer (&op->new_value, json_node_unref);
  g_clear_pointer (&op->old_text, g_free);
  g_clear_pointer (&op->new_text, g_free);
  g_clear_pointer (&op->old_inputs, g_strfreev);
  g_clear_pointer (&op->new_inputs, g_strfreev);
}

static void
sluice_command_finalize (GObject *object)
{
  SluiceCommand *self = SLUICE_COMMAND (object);

  g_free (self->label);
  g_array_unref (self->ops);
  g_hash_table_unref (self->moves);

  G_OBJECT_CLASS (sluice_command_parent_class)->finalize (object);
}

static void
sluice_command_class_init (SluiceCommandClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_command_finalize;
}

static void
sluice_command_init (SluiceCommand *self)
{
  self->ops = g_array_new (FALSE, TRUE, sizeof (SluiceOp));
  g_array_set_clear_func (self->ops, op_clear);
  self->moves = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
}

SluiceCommand *
sluice_command_new (const char *label)
{
  SluiceCommand *self = g_object_new (SLUICE_TYPE_COMMAND, NULL);

  self->label = g_strdup (label ? label : "");
  return self;
}

const char *
sluice_command_get_label (SluiceCommand *self)
{
  g_return_val_if_fail (SLUICE_IS_COMMAND (self), NULL);
  return self->label;
}

void
sluice_command_set_label (SluiceCommand *self,
                          const char    *label)
{
  g_return_if_fail (SLUICE_IS_COMMAND (self));

  if (g_strcmp0 (self->label, label) == 0)
    return;
  g_free (self->label);
  self->label = g_strdup (label ? label : "");
}

SluiceOp *
sluice_command_add_op (SluiceCommand  *self,
                       const SluiceOp *op)
{
  g_return_val_if_fail (SLUICE_IS_COMMAND (self), NULL);
  g_return_val_if_fail (op != NULL, NULL);

  g_array_append_vals (self->ops, op, 1);

  /* A later op on the same gem invalidates the move shortcut: merging
   * across it would reorder the history of that gem. */
  if (op->gem_id != NULL)
    {
      if (op->kind == SLUICE_OP_MOVE)
        g_hash_table_insert (self->moves, g_strdup (op->gem_id), GUINT_TO_POINTER (self->ops->len));
      else
        g_hash_table_remove (self->moves, op->gem_id);
    }
  else if (op->gem != NULL)
    g_hash_table_remove (self->moves, sluice_gem_get_id (op->gem));

  return &g_array_index (self->ops, SluiceOp, self->ops->len - 1);
}

guint
sluice_command_get_n_ops (SluiceCommand *self)
{
  g_return_val_if_fail (SLUICE_IS_COMMAND (self), 0);
  return self->ops->len;
}

SluiceOp *
sluice_command_get_op (SluiceCommand *self,
                       guint          i)
{
  g_return_val_if_fail (SLUICE_IS_COMMAND (self), NULL);
  g_return_val_if_fail (i < self->ops->len, NULL);
  return &g_array_index (self->ops, SluiceOp, i);
}

SluiceOp *
sluice_command_find_move (SluiceCommand *self,
                          const char    *gem_id)
{
  guint pos;

  g_return_val_if_fail (SLUICE_IS_COMMAND (self), NULL);

  pos = GPOINTER_TO_UINT (g_hash_table_lookup (self->moves, gem_id));
  if (pos == 0)
    return NULL;
  return &g_array_index (self->ops, SluiceOp, pos - 1);
}
