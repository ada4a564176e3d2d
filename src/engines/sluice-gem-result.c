#define G_LOG_DOMAIN "sluice-gem-result"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-gem-result.h"

struct _SluiceGemResult
{
  GObject     parent_instance;
  char       *gem_id;       /* owned, nullable */
  GArray     *columns;      /* SluiceColumn, names owned */
  GPtrArray  *cells;        /* char *, owned, nullable; row-major */
  gint64      n_rows;
  double      elapsed;
  char       *output;       /* owned, nullable */
  GError     *error;        /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceGemResult, sluice_gem_result, G_TYPE_OBJECT)

static void
column_clear (gpointer data)
{
  g_free (((SluiceColumn *) data)->name);
}

static void
sluice_gem_result_finalize (GObject *object)
{
  SluiceGemResult *self = SLUICE_GEM_RESULT (object);

  g_free (self->gem_id);
  g_array_unref (self->columns);
  g_ptr_array_unref (self->cells);
  g_free (self->output);
  g_clear_error (&self->error);

  G_OBJECT_CLASS (sluice_gem_result_parent_class)->finalize (object);
}

static void
sluice_gem_result_class_init (SluiceGemResultClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_gem_result_finalize;
}

static void
sluice_gem_result_init (SluiceGemResult *self)
{
  self->columns = g_array_new (FALSE, FALSE, sizeof (SluiceColumn));
  g_array_set_clear_func (self->columns, column_clear);
  self->cells = g_ptr_array_new_with_free_func (g_free);
  self->n_rows = -1;
}

SluiceGemResult *
sluice_gem_result_new (const char *gem_id)
{
  SluiceGemResult *self = g_object_new (SLUICE_TYPE_GEM_RESULT, NULL);

  self->gem_id = g_strdup (gem_id);
  return self;
}

void
sluice_gem_result_add_column (SluiceGemResult *self,
                              const char      *name,
                              SluiceSqlType    type)
{
  SluiceColumn c = { g_strdup (name), type };

  g_return_if_fail (SLUICE_IS_GEM_RESULT (self));
  g_return_if_fail (self->cells->len == 0);
  g_array_append_val (self->columns, c);
}

void
sluice_gem_result_add_row (SluiceGemResult    *self,
                           const char * const *values)
{
  g_return_if_fail (SLUICE_IS_GEM_RESULT (self));

  for (guint i = 0; i < self->columns->len; i++)
    g_ptr_array_add (self->cells, g_strdup (values[i]));
}

void
sluice_gem_result_set_n_rows (SluiceGemResult *self,
                              gint64           n_rows)
{
  g_return_if_fail (SLUICE_IS_GEM_RESULT (self));
  self->n_rows = n_rows;
}

void
sluice_gem_result_set_elapsed (SluiceGemResult *self,
                               double           milliseconds)
{
  g_return_if_fail (SLUICE_IS_GEM_RESULT (self));
  self->elapsed = milliseconds;
}

void
sluice_gem_result_set_output (SluiceGemResult *self,
                              const char      *path)
{
  g_return_if_fail (SLUICE_IS_GEM_RESULT (self));
  g_free (self->output);
  self->output = g_strdup (path);
}

void
sluice_gem_result_take_error (SluiceGemResult *self,
                              GError          *error)
{
  g_return_if_fail (SLUICE_IS_GEM_RESULT (self));
  g_clear_error (&self->error);
  self->error = error;
}

const char *
sluice_gem_result_get_gem_id (SluiceGemResult *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), NULL);
  return self->gem_id;
}

guint
sluice_gem_result_get_n_columns (SluiceGemResult *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), 0);
  return self->columns->len;
}

const SluiceColumn *
sluice_gem_result_get_column (SluiceGemResult *self,
                              guint            column)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);
  return &g_array_index (self->columns, SluiceColumn, column);
}

gint64
sluice_gem_result_get_n_rows (SluiceGemResult *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), -1);
  return self->n_rows;
}

guint
sluice_gem_result_get_n_sample_rows (SluiceGemResult *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), 0);
  return self->columns->len ? self->cells->len / self->columns->len : 0;
}

const char *
sluice_gem_result_get_value (SluiceGemResult *self,
                             guint            row,
                             guint            column)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), NULL);
  g_return_val_if_fail (column < self->columns->len, NULL);
  g_return_val_if_fail (row < sluice_gem_result_get_n_sample_rows (self), NULL);
  return g_ptr_array_index (self->cells, row * self->columns->len + column);
}

double
sluice_gem_result_get_elapsed (SluiceGemResult *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), 0);
  return self->elapsed;
}

const char *
sluice_gem_result_get_output (SluiceGemResult *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), NULL);
  return self->output;
}

const GError *
sluice_gem_result_get_error (SluiceGemResult *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_RESULT (self), NULL);
  return self->error;
}

char *
sluice_format_row_count (gint64 n_rows)
{
  g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, n_rows);

  /* The number is formatted apart: a 64-bit format has no place in a msgid. */
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%s row", "%s rows", (gulong) MAX (n_rows, 0)), number);
}
