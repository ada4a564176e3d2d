#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-command.h"
#include "sluice-edge-private.h"
#include "sluice-gem-private.h"
#include "sluice-gem-type.h"
#include "sluice-json-doc.h"
#include "sluice-loader.h"
#include "sluice-model-error.h"
#include "sluice-pipeline-private.h"
#include "sluice-port.h"
#include "sluice-undo-stack.h"

G_DEFINE_FINAL_TYPE (SluicePipeline, sluice_pipeline, G_TYPE_OBJECT)

enum {
  PROP_0,
  PROP_NAME,
  PROP_FILE,
  PROP_DIRTY,
  PROP_CAN_UNDO,
  PROP_CAN_REDO,
  N_PROPS
};

enum {
  GEM_ADDED,
  GEM_REMOVED,
  EDGE_ADDED,
  EDGE_REMOVED,
  CHANGED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint signals[N_SIGNALS];

/* ---- object ---- */

static void
forward_notify_cb (SluicePipeline *self,
                   GParamSpec     *pspec,
                   SluiceUndoStack *undo)
{
  if (g_str_equal (pspec->name, "dirty"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DIRTY]);
  else if (g_str_equal (pspec->name, "can-undo"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_UNDO]);
  else if (g_str_equal (pspec->name, "can-redo"))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_CAN_REDO]);
}

static void
sluice_pipeline_dispose (GObject *object)
{
  SluicePipeline *self = SLUICE_PIPELINE (object);

  g_clear_pointer (&self->by_id, g_hash_table_unref);
  g_clear_pointer (&self->fed, g_hash_table_unref);
  g_clear_pointer (&self->successors, g_hash_table_unref);
  g_clear_pointer (&self->predecessors, g_hash_table_unref);
  g_clear_pointer (&self->gem_array, g_ptr_array_unref);
  g_clear_object (&self->gems);
  g_clear_object (&self->edges);
  g_clear_object (&self->group);
  if (self->undo)
    g_signal_handlers_disconnect_by_data (self->undo, self);
  g_clear_object (&self->undo);

  G_OBJECT_CLASS (sluice_pipeline_parent_class)->dispose (object);
}

static void
sluice_pipeline_finalize (GObject *object)
{
  SluicePipeline *self = SLUICE_PIPELINE (object);

  g_free (self->name);
  g_free (self->file);
  g_free (self->description);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_error (&self->load_error);
  g_clear_pointer (&self->source_map, sluice_source_map_free);
  g_free (self->base_checksum);

  G_OBJECT_CLASS (sluice_pipeline_parent_class)->finalize (object);
}

static void
sluice_pipeline_get_property (GObject    *object,
                              guint       prop_id,
                              GValue     *value,
                              GParamSpec *pspec)
{
  SluicePipeline *self = SLUICE_PIPELINE (object);

  switch (prop_id)
    {
    case PROP_NAME:     g_value_set_string (value, self->name); break;
    case PROP_FILE:     g_value_set_string (value, self->file); break;
    case PROP_DIRTY:    g_value_set_boolean (value, sluice_pipeline_get_dirty (self)); break;
    case PROP_CAN_UNDO: g_value_set_boolean (value, sluice_undo_stack_get_can_undo (self->undo)); break;
    case PROP_CAN_REDO: g_value_set_boolean (value, sluice_undo_stack_get_can_redo (self->undo)); break;
    default: G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
sluice_pipeline_class_init (SluicePipelineClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_pipeline_dispose;
  object_class->finalize = sluice_pipeline_finalize;
  object_class->get_property = sluice_pipeline_get_property;

  properties[PROP_NAME] =
    g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_FILE] =
    g_param_spec_string ("file", NULL, NULL, NULL,
                         G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_DIRTY] =
    g_param_spec_boolean ("dirty", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_UNDO] =
    g_param_spec_boolean ("can-undo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  properties[PROP_CAN_REDO] =
    g_param_spec_boolean ("can-redo", NULL, NULL, FALSE,
                          G_PARAM_READABLE | G_PARAM_STATIC_STRINGS | G_PARAM_EXPLICIT_NOTIFY);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[GEM_ADDED] =
    g_signal_new ("gem-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SLUICE_TYPE_GEM);
  signals[GEM_REMOVED] =
    g_signal_new ("gem-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SLUICE_TYPE_GEM);
  signals[EDGE_ADDED] =
    g_signal_new ("edge-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SLUICE_TYPE_EDGE);
  signals[EDGE_REMOVED] =
    g_signal_new ("edge-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SLUICE_TYPE_EDGE);
  signals[CHANGED] =
    g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sluice_pipeline_init (SluicePipeline *self)
{
  self->gems = g_list_store_new (SLUICE_TYPE_GEM);
  self->edges = g_list_store_new (SLUICE_TYPE_EDGE);
  self->by_id = g_hash_table_new (g_str_hash, g_str_equal);
  self->fed = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->successors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                            (GDestroyNotify) g_ptr_array_unref);
  self->predecessors = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                              (GDestroyNotify) g_ptr_array_unref);
  self->undo = sluice_undo_stack_new ();
  g_signal_connect_object (self->undo, "notify", G_CALLBACK (forward_notify_cb), self,
                           G_CONNECT_SWAPPED);
}

SluicePipeline *
sluice_pipeline_new (const char *name)
{
  SluicePipeline *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_PIPELINE, NULL);
  self->name = g_strdup (name);
  self->file = g_strdup_printf ("pipelines/%s.json", name);
  return self;
}

SluicePipeline *
sluice_pipeline_new_broken (const char   *name,
                            const char   *file,
                            const GError *error)
{
  SluicePipeline *self;

  g_return_val_if_fail (error != NULL, NULL);

  self = sluice_pipeline_new (name);
  sluice_pipeline_set_file (self, file);
  self->load_error = g_error_copy (error);
  return self;
}

/* ---- accessors ---- */

const char *
sluice_pipeline_get_name (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  return self->name;
}

const char *
sluice_pipeline_get_file (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  return self->file;
}

void
sluice_pipeline_set_file (SluicePipeline *self,
                          const char     *file)
{
  g_return_if_fail (SLUICE_IS_PIPELINE (self));

  if (g_strcmp0 (self->file, file) == 0)
    return;
  g_free (self->file);
  self->file = g_strdup (file);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_FILE]);
}

const char *
sluice_pipeline_get_description (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  return self->description;
}

const GError *
sluice_pipeline_get_load_error (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  return self->load_error;
}

gboolean
sluice_pipeline_get_dirty (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  return sluice_undo_stack_get_dirty (self->undo);
}

const char *
sluice_pipeline_get_base_checksum (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  return self->base_checksum;
}

SluiceUndoStack *
sluice_pipeline_get_undo_stack (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  return self->undo;
}

GListModel *
sluice_pipeline_get_gems (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  return G_LIST_MODEL (self->gems);
}

GPtrArray *
sluice_pipeline_peek_gem_array (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);

  if (self->gem_array == NULL)
    {
      GListModel *gems = G_LIST_MODEL (self->gems);
      guint n = g_list_model_get_n_items (gems);

      /* One walk of the store (each get_item is a GSequence lookup and a
       * reference), then plain indexing for everyone until the next edit. */
      self->gem_array = g_ptr_array_sized_new (n);
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          g_ptr_array_add (self->gem_array, gem);   /* the store keeps it alive */
        }
    }
  return self->gem_array;
}

guint
sluice_pipeline_get_structure_version (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), 0);
  return self->structure_version;
}

GListModel *
sluice_pipeline_get_edges (SluicePipeline *self)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  return G_LIST_MODEL (self->edges);
}

SluiceGem *
sluice_pipeline_find_gem (SluicePipeline *self,
                          const char     *id)
{
  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);

  if (id == NULL)
    return NULL;
  return g_hash_table_lookup (self->by_id, id);
}

GPtrArray *
sluice_pipeline_get_edges_of (SluicePipeline      *self,
                              const char          *gem_id,
                              SluicePortDirection  direction)
{
  GPtrArray *result = g_ptr_array_new_with_free_func (g_object_unref);
  GPtrArray *edges;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), result);

  /* Indexed: code generation asks this for every gem of 20,000-gem pipelines. */
  if (gem_id == NULL)
    return result;
  edges = g_hash_table_lookup (direction == SLUICE_PORT_INPUT ? self->predecessors : self->successors, gem_id);
  for (guint i = 0; edges && i < edges->len; i++)
    g_ptr_array_add (result, g_object_ref (g_ptr_array_index (edges, i)));
  return result;
}

GPtrArray *
sluice_pipeline_peek_edges_of (SluicePipeline      *self,
                               const char          *gem_id,
                               SluicePortDirection  direction)
{
  GPtrArray *edges;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);

  if (gem_id == NULL)
    return NULL;
  edges = g_hash_table_lookup (direction == SLUICE_PORT_INPUT ? self->predecessors : self->successors, gem_id);
  return edges && edges->len ? edges : NULL;
}

/* ---- primitive operations: the only code that changes the model ---- */

/* Every change to which gems there are, their ids, their order or the
 * edges goes through the four functions below. */
static void
structure_changed (SluicePipeline *self)
{
  self->structure_version++;
  g_clear_pointer (&self->gem_array, g_ptr_array_unref);
}

static void
index_gem (SluicePipeline *self,
           SluiceGem      *gem)
{
  const char *id = sluice_gem_get_id (gem);

  structure_changed (self);
  if (!g_hash_table_contains (self->by_id, id))
    g_hash_table_insert (self->by_id, (gpointer) id, gem);
}

/* Removing a gem from the index may uncover a duplicate with the same id. */
static void
unindex_gem (SluicePipeline *self,
             SluiceGem      *gem,
             const char     *id)
{
  guint n;

  structure_changed (self);
  if (g_hash_table_lookup (self->by_id, id) != gem)
    return;
  g_hash_table_remove (self->by_id, id);

  n = g_list_model_get_n_items (G_LIST_MODEL (self->gems));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceGem) other = g_list_model_get_item (G_LIST_MODEL (self->gems), i);
      if (other != gem && g_str_equal (sluice_gem_get_id (other), id))
        {
          g_hash_table_insert (self->by_id, (gpointer) sluice_gem_get_id (other), other);
          break;
        }
    }
}

static void
insert_gem (SluicePipeline *self,
            SluiceGem      *gem,
            guint           index)
{
  index = MIN (index, g_list_model_get_n_items (G_LIST_MODEL (self->gems)));
  g_list_store_insert (self->gems, index, gem);
  index_gem (self, gem);
  g_signal_emit (self, signals[GEM_ADDED], 0, gem);
}

static void
delete_gem (SluicePipeline *self,
            SluiceGem      *gem)
{
  guint position;
  g_autoptr(SluiceGem) hold = g_object_ref (gem);

  if (!g_list_store_find (self->gems, gem, &position))
    g_return_if_reached ();
  unindex_gem (self, gem, sluice_gem_get_id (gem));
  g_list_store_remove (self->gems, position);
  g_signal_emit (self, signals[GEM_REMOVED], 0, gem);
}

/* Indexes of the edges, so connecting stays cheap in large pipelines. */
static char *
input_key (const char *gem,
           const char *port)
{
  return g_strconcat (gem, "\037", port, NULL);
}

static void
index_edge (SluicePipeline *self,
            SluiceEdge     *edge)
{
  char *key = input_key (sluice_edge_get_to_gem (edge), sluice_edge_get_to_port (edge));
  GPtrArray *out;

  structure_changed (self);
  if (g_hash_table_contains (self->fed, key))
    g_free (key);
  else
    g_hash_table_insert (self->fed, key, edge);

  out = g_hash_table_lookup (self->successors, sluice_edge_get_from_gem (edge));
  if (out == NULL)
    {
      out = g_ptr_array_new ();
      g_hash_table_insert (self->successors, g_strdup (sluice_edge_get_from_gem (edge)), out);
    }
  g_ptr_array_add (out, edge);

  out = g_hash_table_lookup (self->predecessors, sluice_edge_get_to_gem (edge));
  if (out == NULL)
    {
      out = g_ptr_array_new ();
      g_hash_table_insert (self->predecessors, g_strdup (sluice_edge_get_to_gem (edge)), out);
    }
  g_ptr_array_add (out, edge);
}

static void
unindex_edge (SluicePipeline *self,
              SluiceEdge     *edge)
{
  g_autofree char *key = input_key (sluice_edge_get_to_gem (edge), sluice_edge_get_to_port (edge));
  GPtrArray *out = g_hash_table_lookup (self->successors, sluice_edge_get_from_gem (edge));

  structure_changed (self);
  if (out != NULL)
    g_ptr_array_remove (out, edge);
  out = g_hash_table_lookup (self->predecessors, sluice_edge_get_to_gem (edge));
  if (out != NULL)
    g_ptr_array_remove (out, edge);

  if (g_hash_table_lookup (self->fed, key) == edge)
    {
      guint n = g_list_model_get_n_items (G_LIST_MODEL (self->edges));

      g_hash_table_remove (self->fed, key);
      /* A broken file may feed one input twice: the next one takes over. */
      for (guint i = 0; i < n; i++)
        {
          g_autoptr(SluiceEdge) other = g_list_model_get_item (G_LIST_MODEL (self->edges), i);
          if (other != edge &&
              g_str_equal (sluice_edge_get_to_gem (other), sluice_edge_get_to_gem (edge)) &&
              g_str_equal (sluice_edge_get_to_port (other), sluice_edge_get_to_port (edge)))
            {
              g_hash_table_insert (self->fed, g_steal_pointer (&key), other);
              break;
            }
        }
    }
}

static void
insert_edge (SluicePipeline *self,
             SluiceEdge     *edge,
             guint           index)
{
  index = MIN (index, g_list_model_get_n_items (G_LIST_MODEL (self->edges)));
  g_list_store_insert (self->edges, index, edge);
  index_edge (self, edge);
  g_signal_emit (self, signals[EDGE_ADDED], 0, edge);
}

static void
delete_edge (SluicePipeline *self,
             SluiceEdge     *edge)
{
  guint position;
  g_autoptr(SluiceEdge) hold = g_object_ref (edge);

  if (!g_list_store_find (self->edges, edge, &position))
    g_return_if_reached ();
  g_list_store_remove (self->edges, position);
  unindex_edge (self, edge);
  g_signal_emit (self, signals[EDGE_REMOVED], 0, edge);
}

static void
rename_gem (SluicePipeline *self,
            const char     *old_id,
            const char     *new_id)
{
  SluiceGem *gem = g_hash_table_lookup (self->by_id, old_id);

  g_return_if_fail (gem != NULL);
  unindex_gem (self, gem, old_id);
  _sluice_gem_set_id (gem, new_id);
  index_gem (self, gem);
}

static void
apply_op (SluicePipeline *self,
          SluiceOp       *op,
          gboolean        forward)
{
  SluiceGem *gem = op->gem_id ? g_hash_table_lookup (self->by_id, op->gem_id) : NULL;

  switch (op->kind)
    {
    case SLUICE_OP_ADD_GEM:
    case SLUICE_OP_REMOVE_GEM:
      if (forward == (op->kind == SLUICE_OP_ADD_GEM))
        insert_gem (self, op->gem, op->index);
      else
        delete_gem (self, op->gem);
      break;

    case SLUICE_OP_ADD_EDGE:
    case SLUICE_OP_REMOVE_EDGE:
      if (forward == (op->kind == SLUICE_OP_ADD_EDGE))
        insert_edge (self, op->edge, op->index);
      else
        delete_edge (self, op->edge);
      break;

    case SLUICE_OP_MOVE:
      g_return_if_fail (gem != NULL);
      _sluice_gem_set_position (gem, forward ? op->new_x : op->old_x, forward ? op->new_y : op->old_y);
      break;

    case SLUICE_OP_SET_LABEL:
      g_return_if_fail (gem != NULL);
      _sluice_gem_set_label (gem, forward ? op->new_text : op->old_text);
      break;

    case SLUICE_OP_SET_CONFIG:
      g_return_if_fail (gem != NULL);
      _sluice_gem_set_config (gem, op->key, forward ? op->new_value : op->old_value);
      break;

    case SLUICE_OP_RENAME:
      if (forward)
        rename_gem (self, op->old_text, op->new_text);
      else
        rename_gem (self, op->new_text, op->old_text);
      break;

    case SLUICE_OP_SET_INPUTS:
      g_return_if_fail (gem != NULL);
      _sluice_gem_set_inputs (gem, (const char * const *) (forward ? op->new_inputs : op->old_inputs));
      break;

    default:
      g_assert_not_reached ();
    }
}

/* Applies @op and records it in the command being built (taking its
 * contents). Every public edit is begin_group … record … end_group. */
static void
record (SluicePipeline *self,
        SluiceOp       *op)
{
  g_assert (self->group != NULL);

  apply_op (self, op, TRUE);
  sluice_command_add_op (self->group, op);
  memset (op, 0, sizeof *op);
}

void
sluice_pipeline_begin_group (SluicePipeline *self,
                             const char     *label)
{
  g_return_if_fail (SLUICE_IS_PIPELINE (self));

  if (self->group_depth++ == 0)
    self->group = sluice_command_new (label);
}

void
sluice_pipeline_end_group (SluicePipeline *self)
{
  g_autoptr(SluiceCommand) command = NULL;

  g_return_if_fail (SLUICE_IS_PIPELINE (self));
  g_return_if_fail (self->group_depth > 0);

  if (--self->group_depth > 0)
    return;

  command = g_steal_pointer (&self->group);
  if (sluice_command_get_n_ops (command) == 0)
    return;
  sluice_undo_stack_push (self->undo, g_steal_pointer (&command));
  g_signal_emit (self, signals[CHANGED], 0);
}

gboolean
sluice_pipeline_undo (SluicePipeline *self)
{
  SluiceCommand *command;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  if (!(command = sluice_undo_stack_step_back (self->undo)))
    return FALSE;
  for (guint i = sluice_command_get_n_ops (command); i > 0; i--)
    apply_op (self, sluice_command_get_op (command, i - 1), FALSE);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

gboolean
sluice_pipeline_redo (SluicePipeline *self)
{
  SluiceCommand *command;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (self->group_depth == 0, FALSE);

  if (!(command = sluice_undo_stack_step_forward (self->undo)))
    return FALSE;
  for (guint i = 0; i < sluice_command_get_n_ops (command); i++)
    apply_op (self, sluice_command_get_op (command, i), TRUE);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

/* ---- edits ---- */

static gboolean
check_editable (SluicePipeline *self,
                GError        **error)
{
  if (self->load_error != NULL)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("%s could not be read, so it cannot be edited"), self->file);
      return FALSE;
    }
  return TRUE;
}

static SluiceGem *
lookup_gem (SluicePipeline *self,
            const char     *id,
            GError        **error)
{
  SluiceGem *gem;

  if (!check_editable (self, error))
    return NULL;
  if (!(gem = g_hash_table_lookup (self->by_id, id ? id : "")))
    g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                 _("There is no gem “%s” in pipeline “%s”"), id, self->name);
  return gem;
}

static char *
unique_id (SluicePipeline *self,
           const char     *base)
{
  char *id = g_strdup (base);

  for (guint i = 2; g_hash_table_contains (self->by_id, id); i++)
    {
      g_autofree char *suffix = g_strdup_printf ("_%u", i);
      g_autofree char *stem = g_strndup (base, MIN (strlen (base), SLUICE_GEM_ID_MAX - strlen (suffix)));
      g_free (id);
      id = g_strconcat (stem, suffix, NULL);
    }
  return id;
}

SluiceGem *
sluice_pipeline_add_gem (SluicePipeline *self,
                         const char     *type_name,
                         const char     *label,
                         int             x,
                         int             y,
                         GError        **error)
{
  SluiceGemType *type;
  g_autofree char *base = NULL;
  g_autofree char *id = NULL;
  g_autofree char *title = NULL;
  g_autoptr(JsonObject) config = json_object_new ();
  SluiceGem *gem;
  SluiceOp op = { 0 };

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);
  g_return_val_if_fail (type_name != NULL, NULL);

  if (!check_editable (self, error))
    return NULL;
  if (!(type = sluice_gem_type_lookup (type_name)))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Unknown gem type “%s”"), type_name);
      return NULL;
    }
  if (label == NULL || *label == '\0')
    label = sluice_gem_type_get_title (type);

  base = sluice_gem_id_from_label (label);
  id = unique_id (self, base);

  /* Enumerations start at their default, so a new gem is as valid as it can be. */
  for (const SluiceConfigField *f = sluice_gem_type_get_fields (type); f->name; f++)
    if (f->kind == SLUICE_FIELD_ENUM && f->default_value != NULL && f->required)
      json_object_set_string_member (config, f->name, f->default_value);

  gem = _sluice_gem_new (id, type_name, label, x, y, config, NULL, NULL);

  title = g_strdup_printf (_("Add %s"), label);
  sluice_pipeline_begin_group (self, title);
  op.kind = SLUICE_OP_ADD_GEM;
  op.gem = gem; /* the op owns it */
  op.index = g_list_model_get_n_items (G_LIST_MODEL (self->gems));
  record (self, &op);
  sluice_pipeline_end_group (self);

  return gem;
}

gboolean
sluice_pipeline_replace_contents (SluicePipeline *self,
                                  SluicePipeline *source,
                                  const char     *label,
                                  GError        **error)
{
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (SLUICE_IS_PIPELINE (source), FALSE);
  g_return_val_if_fail (source != self, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  if (!check_editable (self, error))
    return FALSE;
  if (source->load_error != NULL)
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("%s could not be read"), source->file);
      return FALSE;
    }

  sluice_pipeline_begin_group (self, label);

  /* From the end, so undo re-inserts everything at its position. */
  n = g_list_model_get_n_items (G_LIST_MODEL (self->edges));
  for (guint i = n; i > 0; i--)
    {
      SluiceOp op = { 0 };
      op.kind = SLUICE_OP_REMOVE_EDGE;
      op.edge = g_list_model_get_item (G_LIST_MODEL (self->edges), i - 1);
      op.index = i - 1;
      record (self, &op);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (self->gems));
  for (guint i = n; i > 0; i--)
    {
      SluiceOp op = { 0 };
      op.kind = SLUICE_OP_REMOVE_GEM;
      op.gem = g_list_model_get_item (G_LIST_MODEL (self->gems), i - 1);
      op.index = i - 1;
      record (self, &op);
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (source->gems));
  for (guint i = 0; i < n; i++)
    {
      SluiceOp op = { 0 };
      op.kind = SLUICE_OP_ADD_GEM;
      op.gem = g_list_model_get_item (G_LIST_MODEL (source->gems), i);
      op.index = i;
      record (self, &op);
    }
  n = g_list_model_get_n_items (G_LIST_MODEL (source->edges));
  for (guint i = 0; i < n; i++)
    {
      SluiceOp op = { 0 };
      op.kind = SLUICE_OP_ADD_EDGE;
      op.edge = g_list_model_get_item (G_LIST_MODEL (source->edges), i);
      op.index = i;
      record (self, &op);
    }

  sluice_pipeline_end_group (self);
  return TRUE;
}

static void
record_remove_edge (SluicePipeline *self,
                    SluiceEdge     *edge)
{
  SluiceOp op = { 0 };

  op.kind = SLUICE_OP_REMOVE_EDGE;
  op.edge = g_object_ref (edge);
  if (!g_list_store_find (self->edges, edge, &op.index))
    g_assert_not_reached ();
  record (self, &op);
}

gboolean
sluice_pipeline_remove_gems (SluicePipeline     *self,
                             const char * const *ids,
                             GError            **error)
{
  g_autoptr(GPtrArray) gems = g_ptr_array_new ();
  g_autoptr(GHashTable) doomed = g_hash_table_new (g_str_hash, g_str_equal);
  g_autofree char *title = NULL;
  guint n_edges;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  for (guint i = 0; ids[i]; i++)
    {
      SluiceGem *gem = lookup_gem (self, ids[i], error);
      if (gem == NULL)
        return FALSE;
      if (!g_hash_table_contains (doomed, ids[i]))
        {
          g_hash_table_add (doomed, (gpointer) sluice_gem_get_id (gem));
          g_ptr_array_add (gems, gem);
        }
    }
  if (gems->len == 0)
    return TRUE;

  title = gems->len == 1 ? g_strdup_printf (_("Delete %s"), sluice_gem_get_label (g_ptr_array_index (gems, 0)))
                         : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "Delete %u gem", "Delete %u gems", gems->len), gems->len);
  sluice_pipeline_begin_group (self, title);

  /* Edges first, from the end, so undo re-inserts them at their positions. */
  n_edges = g_list_model_get_n_items (G_LIST_MODEL (self->edges));
  for (guint i = n_edges; i > 0; i--)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (G_LIST_MODEL (self->edges), i - 1);
      if (g_hash_table_contains (doomed, sluice_edge_get_from_gem (edge)) ||
          g_hash_table_contains (doomed, sluice_edge_get_to_gem (edge)))
        record_remove_edge (self, edge);
    }

  for (guint i = 0; i < gems->len; i++)
    {
      SluiceOp op = { 0 };

      op.kind = SLUICE_OP_REMOVE_GEM;
      op.gem = g_object_ref (g_ptr_array_index (gems, i));
      if (!g_list_store_find (self->gems, op.gem, &op.index))
        g_assert_not_reached ();
      record (self, &op);
    }

  sluice_pipeline_end_group (self);
  return TRUE;
}

static void
record_move (SluicePipeline *self,
             SluiceGem      *gem,
             int             x,
             int             y)
{
  SluiceOp *merged;
  SluiceOp op = { 0 };

  if (sluice_gem_get_x (gem) == x && sluice_gem_get_y (gem) == y)
    return;

  /* In a drag, each motion extends the gem's one move. */
  if ((merged = sluice_command_find_move (self->group, sluice_gem_get_id (gem))))
    {
      merged->new_x = x;
      merged->new_y = y;
      _sluice_gem_set_position (gem, x, y);
      return;
    }

  op.kind = SLUICE_OP_MOVE;
  op.gem_id = g_strdup (sluice_gem_get_id (gem));
  op.old_x = sluice_gem_get_x (gem);
  op.old_y = sluice_gem_get_y (gem);
  op.new_x = x;
  op.new_y = y;
  record (self, &op);
}

gboolean
sluice_pipeline_move_gems (SluicePipeline     *self,
                           const char * const *ids,
                           int                 dx,
                           int                 dy,
                           GError            **error)
{
  g_autoptr(GPtrArray) gems = g_ptr_array_new ();

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (ids != NULL, FALSE);

  for (guint i = 0; ids[i]; i++)
    {
      SluiceGem *gem = lookup_gem (self, ids[i], error);
      if (gem == NULL)
        return FALSE;
      g_ptr_array_add (gems, gem);
    }
  if (gems->len == 0 || (dx == 0 && dy == 0))
    return TRUE;

  sluice_pipeline_begin_group (self, gems->len == 1 ? _("Move gem") : _("Move gems"));
  for (guint i = 0; i < gems->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (gems, i);
      record_move (self, gem, sluice_gem_get_x (gem) + dx, sluice_gem_get_y (gem) + dy);
    }
  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_set_position (SluicePipeline *self,
                              const char     *gem_id,
                              int             x,
                              int             y,
                              GError        **error)
{
  SluiceGem *gem;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);

  if (!(gem = lookup_gem (self, gem_id, error)))
    return FALSE;
  sluice_pipeline_begin_group (self, _("Move gem"));
  record_move (self, gem, x, y);
  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_set_label (SluicePipeline *self,
                           const char     *gem_id,
                           const char     *label,
                           GError        **error)
{
  SluiceGem *gem;
  SluiceOp op = { 0 };

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (label != NULL, FALSE);

  if (!(gem = lookup_gem (self, gem_id, error)))
    return FALSE;
  if (!g_utf8_validate (label, -1, NULL) || sluice_str_is_blank (label))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("A gem’s label must not be empty"));
      return FALSE;
    }
  if (g_str_equal (label, sluice_gem_get_label (gem)))
    return TRUE;

  sluice_pipeline_begin_group (self, _("Rename label"));
  op.kind = SLUICE_OP_SET_LABEL;
  op.gem_id = g_strdup (gem_id);
  op.old_text = g_strdup (sluice_gem_get_label (gem));
  op.new_text = g_strdup (label);
  record (self, &op);
  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_rename_gem (SluicePipeline *self,
                            const char     *gem_id,
                            const char     *new_id,
                            GError        **error)
{
  g_autoptr(GPtrArray) touching = g_ptr_array_new_with_free_func (g_object_unref);
  g_autofree char *old_id = NULL;
  SluiceGem *gem;
  SluiceOp op = { 0 };
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);

  if (!(gem = lookup_gem (self, gem_id, error)))
    return FALSE;
  if (!sluice_gem_id_is_valid (new_id))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("“%s” is not a valid id: use lower-case letters, digits and underscores, "
                     "starting with a letter, at most %d characters"), new_id, SLUICE_GEM_ID_MAX);
      return FALSE;
    }
  if (g_str_equal (gem_id, new_id))
    return TRUE;
  if (g_hash_table_contains (self->by_id, new_id))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS,
                   _("Pipeline “%s” already has a gem “%s”"), self->name, new_id);
      return FALSE;
    }

  old_id = g_strdup (gem_id);
  n = g_list_model_get_n_items (G_LIST_MODEL (self->edges));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr(SluiceEdge) edge = g_list_model_get_item (G_LIST_MODEL (self->edges), i);
      if (g_str_equal (sluice_edge_get_from_gem (edge), old_id) ||
          g_str_equal (sluice_edge_get_to_gem (edge), old_id))
        g_ptr_array_add (touching, g_steal_pointer (&edge));
    }

  sluice_pipeline_begin_group (self, _("Rename gem"));

  /* Edges name gems, so they are replaced in place: same positions. */
  for (guint i = touching->len; i > 0; i--)
    record_remove_edge (self, g_ptr_array_index (touching, i - 1));

  op.kind = SLUICE_OP_RENAME;
  op.old_text = g_strdup (old_id);
  op.new_text = g_strdup (new_id);
  record (self, &op);

  for (guint i = 0; i < touching->len; i++)
    {
      SluiceEdge *old = g_ptr_array_index (touching, i);
      SluiceOp *removed = NULL;
      SluiceOp add = { 0 };
      const char *from = sluice_edge_get_from_gem (old);
      const char *to = sluice_edge_get_to_gem (old);

      add.kind = SLUICE_OP_ADD_EDGE;
      add.edge = sluice_edge_new (g_str_equal (from, old_id) ? new_id : from,
                                  sluice_edge_get_from_port (old),
                                  g_str_equal (to, old_id) ? new_id : to,
                                  sluice_edge_get_to_port (old));
      _sluice_edge_set_extra (add.edge, _sluice_edge_get_extra (old));
      /* Back where the old edge was. */
      for (guint j = 0; j < sluice_command_get_n_ops (self->group); j++)
        {
          SluiceOp *candidate = sluice_command_get_op (self->group, j);
          if (candidate->kind == SLUICE_OP_REMOVE_EDGE && candidate->edge == old)
            removed = candidate;
        }
      add.index = removed ? removed->index : g_list_model_get_n_items (G_LIST_MODEL (self->edges));
      record (self, &add);
    }

  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_set_config (SluicePipeline *self,
                            const char     *gem_id,
                            const char     *key,
                            JsonNode       *value,
                            GError        **error)
{
  SluiceGem *gem;
  JsonNode *old;
  SluiceOp op = { 0 };
  g_autofree char *title = NULL;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (key != NULL, FALSE);

  if (!(gem = lookup_gem (self, gem_id, error)))
    return FALSE;

  old = sluice_gem_get_config (gem, key);
  if ((old == NULL && value == NULL) || (old && value && json_node_equal (old, value)))
    return TRUE;

  title = g_strdup_printf (_("Edit %s"), sluice_gem_get_label (gem));
  sluice_pipeline_begin_group (self, title);
  op.kind = SLUICE_OP_SET_CONFIG;
  op.gem_id = g_strdup (gem_id);
  op.key = g_strdup (key);
  op.old_value = sluice_json_node_deep_copy (old);
  op.new_value = sluice_json_node_deep_copy (value);
  record (self, &op);
  sluice_pipeline_end_group (self);
  return TRUE;
}

/* Whether @start reaches @goal along edges: connecting goal → start would
 * then close a cycle. */
static gboolean
reaches (SluicePipeline *self,
         const char     *start,
         const char     *goal)
{
  g_autoptr(GHashTable) seen = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr(GPtrArray) stack = g_ptr_array_new ();

  g_ptr_array_add (stack, (gpointer) start);
  while (stack->len > 0)
    {
      const char *id = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      GPtrArray *out;

      if (g_str_equal (id, goal))
        return TRUE;
      if (!g_hash_table_add (seen, (gpointer) id))
        continue;
      if ((out = g_hash_table_lookup (self->successors, id)))
        for (guint i = 0; i < out->len; i++)
          g_ptr_array_add (stack, (gpointer) sluice_edge_get_to_gem (g_ptr_array_index (out, i)));
    }
  return FALSE;
}

SluiceEdge *
sluice_pipeline_connect (SluicePipeline *self,
                         const char     *from_gem,
                         const char     *from_port,
                         const char     *to_gem,
                         const char     *to_port,
                         GError        **error)
{
  SluiceGem *from, *to;
  SluiceOp op = { 0 };
  SluiceEdge *edge;
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), NULL);

  if (!(from = lookup_gem (self, from_gem, error)) || !(to = lookup_gem (self, to_gem, error)))
    return NULL;
  if (!sluice_gem_has_port (from, SLUICE_PORT_OUTPUT, from_port))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” has no output “%s”"), from_gem, from_port);
      return NULL;
    }
  if (!sluice_gem_has_port (to, SLUICE_PORT_INPUT, to_port))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” has no input “%s”"), to_gem, to_port);
      return NULL;
    }

  n = g_list_model_get_n_items (G_LIST_MODEL (self->edges));
  {
    g_autofree char *key = input_key (to_gem, to_port);
    if (g_hash_table_contains (self->fed, key))
      {
        g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                     _("Input “%s” of gem “%s” is already connected"), to_port, to_gem);
        return NULL;
      }
  }

  if (g_str_equal (from_gem, to_gem) || reaches (self, to_gem, from_gem))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Connecting “%s” to “%s” would make a cycle"), from_gem, to_gem);
      return NULL;
    }

  sluice_pipeline_begin_group (self, _("Connect"));
  op.kind = SLUICE_OP_ADD_EDGE;
  op.edge = sluice_edge_new (from_gem, from_port, to_gem, to_port);
  op.index = n;
  edge = op.edge;
  record (self, &op);
  sluice_pipeline_end_group (self);
  return edge;
}

gboolean
sluice_pipeline_disconnect (SluicePipeline *self,
                            SluiceEdge     *edge,
                            GError        **error)
{
  guint position;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (SLUICE_IS_EDGE (edge), FALSE);

  if (!check_editable (self, error))
    return FALSE;
  if (!g_list_store_find (self->edges, edge, &position))
    {
      g_autofree char *what = sluice_edge_describe (edge);
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Pipeline “%s” has no edge %s"), self->name, what);
      return FALSE;
    }
  sluice_pipeline_begin_group (self, _("Disconnect"));
  record_remove_edge (self, edge);
  sluice_pipeline_end_group (self);
  return TRUE;
}

static void
record_inputs (SluicePipeline *self,
               SluiceGem      *gem,
               GStrv           names)
{
  SluiceOp op = { 0 };

  op.kind = SLUICE_OP_SET_INPUTS;
  op.gem_id = g_strdup (sluice_gem_get_id (gem));
  op.old_inputs = _sluice_gem_dup_inputs (gem);
  op.new_inputs = names;
  record (self, &op);
}

gboolean
sluice_pipeline_add_input (SluicePipeline *self,
                           const char     *gem_id,
                           const char     *name,
                           GError        **error)
{
  SluiceGem *gem;
  SluiceGemType *type;
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autofree char *fresh = NULL;
  guint n;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);

  if (!(gem = lookup_gem (self, gem_id, error)))
    return FALSE;
  type = sluice_gem_get_gem_type (gem);
  names = _sluice_gem_dup_inputs (gem);
  n = g_strv_length (names);

  if (type == NULL || n >= sluice_gem_type_get_max_inputs (type))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” cannot take more inputs"), gem_id);
      return FALSE;
    }

  if (name == NULL)
    {
      for (guint i = n; ; i++)
        {
          g_free (fresh);
          fresh = g_strdup_printf ("in%u", i);
          if (!g_strv_contains ((const char * const *) names, fresh))
            break;
        }
      name = fresh;
    }
  else if (!sluice_port_name_is_valid (name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("“%s” is not a valid input name: use letters, digits and underscores, "
                     "starting with a letter"), name);
      return FALSE;
    }
  else if (g_strv_contains ((const char * const *) names, name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_EXISTS,
                   _("Gem “%s” already has an input “%s”"), gem_id, name);
      return FALSE;
    }

  g_strv_builder_addv (builder, (const char **) names);
  g_strv_builder_add (builder, name);

  sluice_pipeline_begin_group (self, _("Add input"));
  record_inputs (self, gem, g_strv_builder_end (builder));
  _sluice_pipeline_follow_join_inputs (self, gem, name, NULL);
  sluice_pipeline_end_group (self);
  return TRUE;
}

gboolean
sluice_pipeline_remove_input (SluicePipeline *self,
                              const char     *gem_id,
                              const char     *name,
                              GError        **error)
{
  SluiceGem *gem;
  SluiceGemType *type;
  g_auto(GStrv) names = NULL;
  g_autoptr(GStrvBuilder) builder = g_strv_builder_new ();
  g_autoptr(GPtrArray) in_edges = NULL;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (self), FALSE);
  g_return_val_if_fail (name != NULL, FALSE);

  if (!(gem = lookup_gem (self, gem_id, error)))
    return FALSE;
  type = sluice_gem_get_gem_type (gem);
  names = _sluice_gem_dup_inputs (gem);

  if (!g_strv_contains ((const char * const *) names, name))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” has no input “%s”"), gem_id, name);
      return FALSE;
    }
  if (type == NULL || g_strv_length (names) <= sluice_gem_type_get_min_inputs (type))
    {
      g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                   _("Gem “%s” needs at least %u inputs"), gem_id,
                   type ? sluice_gem_type_get_min_inputs (type) : 0);
      return FALSE;
    }
  in_edges = sluice_pipeline_get_edges_of (self, gem_id, SLUICE_PORT_INPUT);
  for (guint i = 0; i < in_edges->len; i++)
    if (g_str_equal (sluice_edge_get_to_port (g_ptr_array_index (in_edges, i)), name))
      {
        g_set_error (error, SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_INVALID,
                     _("Input “%s” of gem “%s” is connected; disconnect it first"), name, gem_id);
        return FALSE;
      }

  for (guint i = 0; names[i]; i++)
    if (!g_str_equal (names[i], name))
      g_strv_builder_add (builder, names[i]);

  sluice_pipeline_begin_group (self, _("Remove input"));
  /* Before the names change: @name may be one of them. */
  _sluice_pipeline_follow_join_inputs (self, gem, NULL, name);
  record_inputs (self, gem, g_strv_builder_end (builder));
  sluice_pipeline_end_group (self);
  return TRUE;
}

/* ---- used by the clipboard (sluice-pipeline-clipboard.c) ---- */

char *
_sluice_pipeline_unique_id (SluicePipeline *self,
                            const char     *base)
{
  return unique_id (self, base);
}

void
_sluice_pipeline_record_add_gem (SluicePipeline *self,
                                 SluiceGem      *gem)
{
  SluiceOp op = { 0 };

  g_return_if_fail (self->group != NULL);

  op.kind = SLUICE_OP_ADD_GEM;
  op.gem = g_object_ref (gem);
  op.index = g_list_model_get_n_items (G_LIST_MODEL (self->gems));
  record (self, &op);
}

gboolean
_sluice_pipeline_check_editable (SluicePipeline *self,
                                 GError        **error)
{
  return check_editable (self, error);
}

/* ---- used by the loader ---- */

void
_sluice_pipeline_add_gem_loaded (SluicePipeline *self,
                                 SluiceGem      *gem)
{
  g_list_store_append (self->gems, gem);
  index_gem (self, gem);
}

void
_sluice_pipeline_add_edge_loaded (SluicePipeline *self,
                                  SluiceEdge     *edge)
{
  g_list_store_append (self->edges, edge);
  index_edge (self, edge);
}

void
_sluice_pipeline_set_source_map (SluicePipeline  *self,
                                 SluiceSourceMap *map)
{
  g_clear_pointer (&self->source_map, sluice_source_map_free);
  self->source_map = map;
}

void
_sluice_pipeline_position_of (SluicePipeline *self,
                              const char     *path,
                              guint          *line,
                              guint          *column)
{
  sluice_source_map_find (self->source_map, path, SLUICE_GEM_PATH_FLOOR, line, column);
}
