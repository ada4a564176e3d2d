#define G_LOG_DOMAIN "sluice-edge"

#include "config.h"

#include "sluice-edge-private.h"

struct _SluiceEdge
{
  GObject  parent_instance;
  char    *from_gem;    /* owned */
  char    *from_port;   /* owned */
  char    *to_gem;      /* owned */
  char    *to_port;     /* owned */
  JsonObject *extra;    /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceEdge, sluice_edge, G_TYPE_OBJECT)

static void
sluice_edge_finalize (GObject *object)
{
  SluiceEdge *self = SLUICE_EDGE (object);

  g_free (self->from_gem);
  g_free (self->from_port);
  g_free (self->to_gem);
  g_free (self->to_port);
  g_clear_pointer (&self->extra, json_object_unref);

  G_OBJECT_CLASS (sluice_edge_parent_class)->finalize (object);
}

static void
sluice_edge_class_init (SluiceEdgeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_edge_finalize;
}

static void
sluice_edge_init (SluiceEdge *self)
{
}

SluiceEdge *
sluice_edge_new (const char *from_gem,
                 const char *from_port,
                 const char *to_gem,
                 const char *to_port)
{
  SluiceEdge *self;

  g_return_val_if_fail (from_gem && from_port && to_gem && to_port, NULL);

  self = g_object_new (SLUICE_TYPE_EDGE, NULL);
  self->from_gem = g_strdup (from_gem);
  self->from_port = g_strdup (from_port);
  self->to_gem = g_strdup (to_gem);
  self->to_port = g_strdup (to_port);
  return self;
}

const char *
sluice_edge_get_from_gem (SluiceEdge *self)
{
  g_return_val_if_fail (SLUICE_IS_EDGE (self), NULL);
  return self->from_gem;
}

const char *
sluice_edge_get_from_port (SluiceEdge *self)
{
  g_return_val_if_fail (SLUICE_IS_EDGE (self), NULL);
  return self->from_port;
}

const char *
sluice_edge_get_to_gem (SluiceEdge *self)
{
  g_return_val_if_fail (SLUICE_IS_EDGE (self), NULL);
  return self->to_gem;
}

const char *
sluice_edge_get_to_port (SluiceEdge *self)
{
  g_return_val_if_fail (SLUICE_IS_EDGE (self), NULL);
  return self->to_port;
}

gboolean
sluice_edge_equal (SluiceEdge *a,
                   SluiceEdge *b)
{
  g_return_val_if_fail (SLUICE_IS_EDGE (a) && SLUICE_IS_EDGE (b), FALSE);

  return g_str_equal (a->from_gem, b->from_gem) && g_str_equal (a->from_port, b->from_port) &&
         g_str_equal (a->to_gem, b->to_gem) && g_str_equal (a->to_port, b->to_port);
}

char *
sluice_edge_describe (SluiceEdge *self)
{
  g_return_val_if_fail (SLUICE_IS_EDGE (self), NULL);
  return g_strdup_printf ("%s.%s → %s.%s", self->from_gem, self->from_port,
                          self->to_gem, self->to_port);
}

JsonObject *
_sluice_edge_get_extra (SluiceEdge *self)
{
  g_return_val_if_fail (SLUICE_IS_EDGE (self), NULL);
  return self->extra;
}

void
_sluice_edge_set_extra (SluiceEdge *self,
                        JsonObject *extra)
{
  g_return_if_fail (SLUICE_IS_EDGE (self));

  if (extra)
    json_object_ref (extra);
  g_clear_pointer (&self->extra, json_object_unref);
  self->extra = extra;
}
