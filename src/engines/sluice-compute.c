#define G_LOG_DOMAIN "sluice-compute"

#include "config.h"

#include "sluice-compute.h"

struct _SluiceCompute
{
  GObject  parent_instance;
  char    *id;      /* owned */
  char    *name;    /* owned */
  char    *state;   /* owned */
};

G_DEFINE_FINAL_TYPE (SluiceCompute, sluice_compute, G_TYPE_OBJECT)

static void
sluice_compute_finalize (GObject *object)
{
  SluiceCompute *self = SLUICE_COMPUTE (object);

  g_free (self->id);
  g_free (self->name);
  g_free (self->state);

  G_OBJECT_CLASS (sluice_compute_parent_class)->finalize (object);
}

static void
sluice_compute_class_init (SluiceComputeClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_compute_finalize;
}

static void
sluice_compute_init (SluiceCompute *self)
{
}

SluiceCompute *
sluice_compute_new (const char *id,
                    const char *name,
                    const char *state)
{
  SluiceCompute *self;

  g_return_val_if_fail (id != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_COMPUTE, NULL);
  self->id = g_strdup (id);
  self->name = g_strdup (name ? name : id);
  self->state = g_strdup (state ? state : "");
  return self;
}

const char *
sluice_compute_get_id (SluiceCompute *self)
{
  g_return_val_if_fail (SLUICE_IS_COMPUTE (self), NULL);
  return self->id;
}

const char *
sluice_compute_get_name (SluiceCompute *self)
{
  g_return_val_if_fail (SLUICE_IS_COMPUTE (self), NULL);
  return self->name;
}

const char *
sluice_compute_get_state (SluiceCompute *self)
{
  g_return_val_if_fail (SLUICE_IS_COMPUTE (self), NULL);
  return self->state;
}
