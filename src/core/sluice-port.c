#define G_LOG_DOMAIN "sluice-port"

#include "config.h"

#include <string.h>

#include "sluice-port.h"

struct _SluicePort
{
  GObject              parent_instance;
  SluicePortDirection  direction;
  char                *name;    /* owned */
  guint                index;
};

G_DEFINE_FINAL_TYPE (SluicePort, sluice_port, G_TYPE_OBJECT)

static void
sluice_port_finalize (GObject *object)
{
  SluicePort *self = SLUICE_PORT (object);

  g_free (self->name);

  G_OBJECT_CLASS (sluice_port_parent_class)->finalize (object);
}

static void
sluice_port_class_init (SluicePortClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_port_finalize;
}

static void
sluice_port_init (SluicePort *self)
{
}

SluicePort *
sluice_port_new (SluicePortDirection  direction,
                 const char          *name,
                 guint                index)
{
  SluicePort *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_PORT, NULL);
  self->direction = direction;
  self->name = g_strdup (name);
  self->index = index;
  return self;
}

SluicePortDirection
sluice_port_get_direction (SluicePort *self)
{
  g_return_val_if_fail (SLUICE_IS_PORT (self), SLUICE_PORT_INPUT);
  return self->direction;
}

const char *
sluice_port_get_name (SluicePort *self)
{
  g_return_val_if_fail (SLUICE_IS_PORT (self), NULL);
  return self->name;
}

guint
sluice_port_get_index (SluicePort *self)
{
  g_return_val_if_fail (SLUICE_IS_PORT (self), 0);
  return self->index;
}

gboolean
sluice_port_name_is_valid (const char *name)
{
  if (name == NULL || *name == '\0' || strlen (name) > 64)
    return FALSE;
  if (!(g_ascii_isalpha (*name) || *name == '_'))
    return FALSE;
  for (const char *p = name; *p; p++)
    if (!(g_ascii_isalnum (*p) || *p == '_'))
      return FALSE;
  return TRUE;
}
