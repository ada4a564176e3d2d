#define G_LOG_DOMAIN "sluice-sample-row"

#include "config.h"

#include "sluice-sample-row.h"

struct _SluiceSampleRow
{
  GObject          parent_instance;
  SluiceGemResult *result;   /* owned */
  guint            row;
};

G_DEFINE_FINAL_TYPE (SluiceSampleRow, sluice_sample_row, G_TYPE_OBJECT)

static void
sluice_sample_row_dispose (GObject *object)
{
  g_clear_object (&SLUICE_SAMPLE_ROW (object)->result);
  G_OBJECT_CLASS (sluice_sample_row_parent_class)->dispose (object);
}

static void
sluice_sample_row_class_init (SluiceSampleRowClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = sluice_sample_row_dispose;
}

static void
sluice_sample_row_init (SluiceSampleRow *self)
{
}

SluiceSampleRow *
sluice_sample_row_new (SluiceGemResult *result,
                       guint            row)
{
  SluiceSampleRow *self;

  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (result), NULL);
  g_return_val_if_fail (row < sluice_gem_result_get_n_sample_rows (result), NULL);

  self = g_object_new (SLUICE_TYPE_SAMPLE_ROW, NULL);
  self->result = g_object_ref (result);
  self->row = row;
  return self;
}

const char *
sluice_sample_row_get_value (SluiceSampleRow *self,
                             guint            column)
{
  g_return_val_if_fail (SLUICE_IS_SAMPLE_ROW (self), NULL);
  return sluice_gem_result_get_value (self->result, self->row, column);
}

guint
sluice_sample_row_get_index (SluiceSampleRow *self)
{
  g_return_val_if_fail (SLUICE_IS_SAMPLE_ROW (self), 0);
  return self->row;
}
