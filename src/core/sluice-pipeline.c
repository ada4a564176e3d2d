#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include <string.h>

#include "sluice-edge-private.h"
#include "sluice-gem-private.h"
#include "sluice-pipeline-private.h"
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

static GParamSpec *properties[N_PROPS];
guint _sluice_pipeline_signals[SLUICE_PIPELINE_N_SIGNALS];

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

  _sluice_pipeline_signals[SLUICE_PIPELINE_GEM_ADDED] =
    g_signal_new ("gem-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SLUICE_TYPE_GEM);
  _sluice_pipeline_signals[SLUICE_PIPELINE_GEM_REMOVED] =
    g_signal_new ("gem-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SLUICE_TYPE_GEM);
  _sluice_pipeline_signals[SLUICE_PIPELINE_EDGE_ADDED] =
    g_signal_new ("edge-added", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SLUICE_TYPE_EDGE);
  _sluice_pipeline_signals[SLUICE_PIPELINE_EDGE_REMOVED] =
    g_signal_new ("edge-removed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0,
                  NULL, NULL, NULL, G_TYPE_NONE, 1, SLUICE_TYPE_EDGE);
  _sluice_pipeline_signals[SLUICE_PIPELINE_CHANGED] =
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

/* ---- the source map ---- */

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
