#define G_LOG_DOMAIN "sluice-inference"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-inference.h"
#include "sluice-sample-reader.h"
#include "sluice-sql-type.h"

typedef struct
{
  char     *name;      /* owned */
  char     *type;      /* owned */
  gboolean  nullable;
  char     *note;      /* owned, nullable */
} Column;

struct _SluiceInference
{
  GObject     parent_instance;
  char       *format;     /* owned */
  JsonObject *options;    /* owned */
  GArray     *columns;    /* Column */
  guint64     n_rows;
  gboolean    complete;
};

G_DEFINE_FINAL_TYPE (SluiceInference, sluice_inference, G_TYPE_OBJECT)

static void
column_clear (gpointer data)
{
  Column *c = data;

  g_free (c->name);
  g_free (c->type);
  g_free (c->note);
}

static void
sluice_inference_finalize (GObject *object)
{
  SluiceInference *self = SLUICE_INFERENCE (object);

  g_free (self->format);
  json_object_unref (self->options);
  g_array_unref (self->columns);

  G_OBJECT_CLASS (sluice_inference_parent_class)->finalize (object);
}

static void
sluice_inference_class_init (SluiceInferenceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_inference_finalize;
}

static void
sluice_inference_init (SluiceInference *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
  self->options = json_object_new ();
}

static const char *
format_of (const char *path)
{
  if (g_str_has_suffix (path, ".jsonl") || g_str_has_suffix (path, ".ndjson") ||
      g_str_has_suffix (path, ".json"))
    return "jsonl";
  return "csv";
}

SluiceInference *
sluice_inference_run (const char    *path,
                      const char    *format,
                      JsonObject    *options,
                      guint64        max_rows,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(SluiceInference) self = NULL;
  g_autoptr(GArray) columns = NULL;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self = g_object_new (SLUICE_TYPE_INFERENCE, NULL);
  self->format = g_strdup (format ? format : format_of (path));
  if (options)
    {
      g_autoptr(GList) members = json_object_get_members (options);

      for (GList *l = members; l; l = l->next)
        json_object_set_member (self->options, l->data,
                                json_node_copy (json_object_get_member (options, l->data)));
    }
  else if (g_str_equal (self->format, "csv"))
    json_object_set_boolean_member (self->options, "header", TRUE);

  columns = sluice_sample_infer_schema (path, self->format, self->options,
                                        max_rows == 0 || max_rows > G_MAXUINT ? G_MAXUINT : (guint) max_rows,
                                        error);
  if (columns == NULL)
    return NULL;
  self->complete = max_rows == 0;
  for (guint i = 0; i < columns->len; i++)
    {
      SluiceColumn *sc = &g_array_index (columns, SluiceColumn, i);
      Column c = { g_strdup (sc->name), sluice_sql_type_to_string (sc->type), TRUE, NULL };

      g_array_append_val (self->columns, c);
    }
  return g_steal_pointer (&self);
}

typedef struct
{
  char       *path;
  char       *format;
  JsonObject *options;
  guint64     max_rows;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *d = data;

  g_free (d->path);
  g_free (d->format);
  g_clear_pointer (&d->options, json_object_unref);
  g_free (d);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *d = task_data;
  GError *error = NULL;
  SluiceInference *result;

  result = sluice_inference_run (d->path, d->format, d->options, d->max_rows, cancellable, &error);
  if (result)
    g_task_return_pointer (task, result, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
sluice_inference_run_async (const char          *path,
                            const char          *format,
                            JsonObject          *options,
                            guint64              max_rows,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *d;

  g_return_if_fail (path != NULL);

  d = g_new0 (RunData, 1);
  d->path = g_strdup (path);
  d->format = g_strdup (format);
  /* A copy: the caller may edit its options while the worker reads. */
  if (options)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), options);
      g_autoptr(JsonNode) copy = json_node_copy (node);

      d->options = json_object_ref (json_node_get_object (copy));
    }
  d->max_rows = max_rows;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_inference_run_async);
  g_task_set_task_data (task, d, run_data_free);
  g_task_run_in_thread (task, run_thread);
}

SluiceInference *
sluice_inference_run_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
sluice_inference_get_format (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), NULL);
  return self->format;
}

JsonObject *
sluice_inference_get_options (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), NULL);
  return self->options;
}

guint64
sluice_inference_get_n_rows (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), 0);
  return self->n_rows;
}

gboolean
sluice_inference_is_complete (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), FALSE);
  return self->complete;
}

guint
sluice_inference_get_n_columns (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), 0);
  return self->columns->len;
}

static Column *
column_at (SluiceInference *self,
           guint            i)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), NULL);
  g_return_val_if_fail (i < self->columns->len, NULL);
  return &g_array_index (self->columns, Column, i);
}

const char *
sluice_inference_get_column_name (SluiceInference *self,
                                  guint            i)
{
  Column *c = column_at (self, i);
  return c ? c->name : NULL;
}

const char *
sluice_inference_get_column_type (SluiceInference *self,
                                  guint            i)
{
  Column *c = column_at (self, i);
  return c ? c->type : NULL;
}

gboolean
sluice_inference_get_column_nullable (SluiceInference *self,
                                      guint            i)
{
  Column *c = column_at (self, i);
  return c ? c->nullable : TRUE;
}

const char *
sluice_inference_get_column_note (SluiceInference *self,
                                  guint            i)
{
  Column *c = column_at (self, i);
  return c ? c->note : NULL;
}

SluiceDataset *
sluice_inference_to_dataset (SluiceInference *self,
                             const char      *name,
                             const char      *sample)
{
  g_autoptr(SluiceDataset) dataset = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  g_autoptr(GArray) nullable = g_array_new (FALSE, FALSE, sizeof (gboolean));

  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  dataset = sluice_dataset_new (name);
  sluice_dataset_set_format (dataset, self->format);
  sluice_dataset_set_options (dataset, self->options);
  sluice_dataset_set_sample (dataset, sample);
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);

      g_ptr_array_add (names, c->name);
      g_ptr_array_add (types, c->type);
      g_array_append_val (nullable, c->nullable);
    }
  sluice_dataset_set_columns (dataset, self->columns->len,
                              (const char * const *) names->pdata,
                              (const char * const *) types->pdata,
                              (const gboolean *) nullable->data, NULL);
  return g_steal_pointer (&dataset);
}
