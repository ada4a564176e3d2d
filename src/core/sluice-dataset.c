#define G_LOG_DOMAIN "sluice-dataset"

#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-dataset.h"
#include "sluice-diagnostic.h"
#include "sluice-json-doc.h"
#include "sluice-json-writer.h"
#include "sluice-loader.h"
#include "sluice-source-map.h"

typedef struct
{
  char       *name;          /* owned */
  char       *type;          /* owned */
  gboolean    nullable;
  char       *description;   /* owned, nullable */
  JsonObject *extra;         /* owned, nullable */
} Column;

struct _SluiceDataset
{
  GObject          parent_instance;
  char            *name;          /* owned */
  char            *file;          /* owned */
  char            *description;   /* owned, nullable */
  char            *format;        /* owned */
  char            *location;      /* owned */
  char            *sample;        /* owned, nullable */
  JsonObject      *options;       /* owned */
  GArray          *columns;       /* Column */
  JsonObject      *extra;         /* owned, nullable */
  SluiceSourceMap *source_map;    /* owned, nullable */
};

G_DEFINE_FINAL_TYPE (SluiceDataset, sluice_dataset, G_TYPE_OBJECT)

enum { CHANGED, N_SIGNALS };
static guint signals[N_SIGNALS];

const char * const sluice_dataset_formats[] = {
  "csv", "jsonl", "parquet", "delta", "table", "snowflake_table", NULL
};

static const char * const dataset_keys[] = {
  "format_version", "description", "format", "location", "sample", "options", "schema", NULL
};
static const char * const column_keys[] = { "name", "type", "nullable", "description", NULL };

static void
column_clear (gpointer data)
{
  Column *c = data;

  g_free (c->name);
  g_free (c->type);
  g_free (c->description);
  g_clear_pointer (&c->extra, json_object_unref);
}

static void
sluice_dataset_finalize (GObject *object)
{
  SluiceDataset *self = SLUICE_DATASET (object);

  g_free (self->name);
  g_free (self->file);
  g_free (self->description);
  g_free (self->format);
  g_free (self->location);
  g_free (self->sample);
  g_clear_pointer (&self->options, json_object_unref);
  g_array_unref (self->columns);
  g_clear_pointer (&self->extra, json_object_unref);
  g_clear_pointer (&self->source_map, sluice_source_map_free);

  G_OBJECT_CLASS (sluice_dataset_parent_class)->finalize (object);
}

static void
sluice_dataset_class_init (SluiceDatasetClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_dataset_finalize;

  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST,
                                   0, NULL, NULL, NULL, G_TYPE_NONE, 0);
}

static void
sluice_dataset_init (SluiceDataset *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
  self->options = json_object_new ();
  self->format = g_strdup ("csv");
  self->location = g_strdup ("");
}

SluiceDataset *
sluice_dataset_new (const char *name)
{
  SluiceDataset *self;

  g_return_val_if_fail (name != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_DATASET, NULL);
  self->name = g_strdup (name);
  self->file = g_strdup_printf ("datasets/%s.json", name);
  return self;
}

gboolean
sluice_column_type_is_valid (const char *type)
{
  static const char * const simple[] = {
    "string", "int", "bigint", "double", "boolean", "date", "timestamp", NULL
  };
  unsigned p, s;
  int consumed = 0;

  if (type == NULL)
    return FALSE;
  if (g_strv_contains (simple, type))
    return TRUE;
  if (sscanf (type, "decimal(%u,%u)%n", &p, &s, &consumed) == 2 && type[consumed] == '\0' &&
      strchr (type, ' ') == NULL && strchr (type, '+') == NULL && strchr (type, '-') == NULL)
    return p >= 1 && p <= 38 && s <= p;
  return FALSE;
}

SluiceDataset *
sluice_dataset_load_from_bytes (const char  *name,
                                const char  *file,
                                GBytes      *bytes,
                                GPtrArray   *diagnostics,
                                GError     **error)
{
  g_autoptr(SluiceLoader) loader = NULL;
  g_autoptr(SluiceDataset) self = NULL;
  const char *what = _("the dataset");
  const char *format, *location;
  JsonNode *root_node, *options, *schema;

  g_return_val_if_fail (name != NULL && file != NULL && bytes != NULL, NULL);

  if (!(loader = sluice_loader_new (file, bytes, diagnostics, error)))
    return NULL;
  if (!sluice_loader_root (loader, error))
    return NULL;
  root_node = sluice_json_doc_get_root (sluice_loader_get_doc (loader));

  self = sluice_dataset_new (name);
  g_free (self->file);
  self->file = g_strdup (file);

  self->description = g_strdup (sluice_loader_string (loader, root_node, what, "description", FALSE));
  format = sluice_loader_string (loader, root_node, what, "format", TRUE);
  if (format != NULL)
    {
      if (!g_strv_contains (sluice_dataset_formats, format))
        {
          g_autofree char *known = g_strjoinv (", ", (char **) sluice_dataset_formats);
          sluice_loader_error (loader, json_object_get_member (json_node_get_object (root_node), "format"),
                               _("unknown dataset format “%s” (known: %s)"), format, known);
        }
      g_free (self->format);
      self->format = g_strdup (format);
    }
  location = sluice_loader_string (loader, root_node, what, "location", TRUE);
  if (location != NULL)
    {
      g_free (self->location);
      self->location = g_strdup (location);
    }
  self->sample = g_strdup (sluice_loader_string (loader, root_node, what, "sample", FALSE));

  options = sluice_loader_object (loader, root_node, what, "options", FALSE);
  if (options != NULL)
    {
      g_autoptr(JsonNode) copy = sluice_json_node_deep_copy (options);
      json_object_unref (self->options);
      self->options = json_object_ref (json_node_get_object (copy));
    }

  schema = sluice_loader_array (loader, root_node, what, "schema", TRUE);
  if (schema != NULL)
    {
      JsonArray *array = json_node_get_array (schema);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *node = json_array_get_element (array, i);
          g_autofree char *col_what = g_strdup_printf (_("column %u"), i + 1);
          const char *col_name, *col_type, *col_description;
          gboolean nullable = TRUE;
          Column column = { 0 };

          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              sluice_loader_error (loader, node, _("column %u must be an object, not %s"), i + 1,
                                   sluice_json_describe_type (node));
              continue;
            }
          col_name = sluice_loader_string (loader, node, col_what, "name", TRUE);
          col_type = sluice_loader_string (loader, node, col_what, "type", TRUE);
          sluice_loader_bool (loader, node, col_what, "nullable", FALSE, &nullable);
          col_description = sluice_loader_string (loader, node, col_what, "description", FALSE);
          if (col_name == NULL || col_type == NULL)
            continue;

          column.name = g_strdup (col_name);
          column.type = g_strdup (col_type);
          column.nullable = nullable;
          column.description = g_strdup (col_description);
          column.extra = sluice_loader_extra (node, column_keys);
          g_array_append_val (self->columns, column);
        }
    }

  if (!sluice_loader_check (loader, error))
    return NULL;

  self->extra = sluice_loader_extra (root_node, dataset_keys);
  self->source_map = sluice_source_map_new (root_node,
                                            sluice_json_doc_get_positions (sluice_loader_get_doc (loader)));
  return g_steal_pointer (&self);
}

GBytes *
sluice_dataset_to_bytes (SluiceDataset *self)
{
  g_autoptr(JsonObject) root = json_object_new ();
  g_autoptr(JsonArray) schema = json_array_new ();
  g_autoptr(JsonNode) node = NULL;
  g_autoptr(JsonNode) options = NULL;

  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);

  json_object_set_int_member (root, "format_version", SLUICE_FORMAT_VERSION);
  if (self->description)
    json_object_set_string_member (root, "description", self->description);
  json_object_set_string_member (root, "format", self->format);
  json_object_set_string_member (root, "location", self->location);
  if (self->sample)
    json_object_set_string_member (root, "sample", self->sample);
  if (json_object_get_size (self->options) > 0)
    {
      options = json_node_init_object (json_node_alloc (), self->options);
      json_object_set_member (root, "options", sluice_json_node_deep_copy (options));
    }
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);
      g_autoptr(JsonObject) col = json_object_new ();

      json_object_set_string_member (col, "name", c->name);
      json_object_set_string_member (col, "type", c->type);
      json_object_set_boolean_member (col, "nullable", c->nullable);
      if (c->description)
        json_object_set_string_member (col, "description", c->description);
      sluice_json_object_append (col, c->extra);
      json_array_add_object_element (schema, g_steal_pointer (&col));
    }
  json_object_set_array_member (root, "schema", g_steal_pointer (&schema));
  sluice_json_object_append (root, self->extra);

  node = json_node_init_object (json_node_alloc (), root);
  return sluice_json_write (node, NULL);
}

const char *
sluice_dataset_get_name (SluiceDataset *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  return self->name;
}

const char *
sluice_dataset_get_file (SluiceDataset *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  return self->file;
}

const char *
sluice_dataset_get_description (SluiceDataset *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  return self->description;
}

const char *
sluice_dataset_get_format (SluiceDataset *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  return self->format;
}

const char *
sluice_dataset_get_location (SluiceDataset *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  return self->location;
}

const char *
sluice_dataset_get_sample (SluiceDataset *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  return self->sample;
}

JsonObject *
sluice_dataset_get_options (SluiceDataset *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  return self->options;
}

guint
sluice_dataset_get_n_columns (SluiceDataset *self)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), 0);
  return self->columns->len;
}

#define COLUMN(self, i) (&g_array_index ((self)->columns, Column, (i)))

const char *
sluice_dataset_get_column_name (SluiceDataset *self,
                                guint          i)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  g_return_val_if_fail (i < self->columns->len, NULL);
  return COLUMN (self, i)->name;
}

const char *
sluice_dataset_get_column_type (SluiceDataset *self,
                                guint          i)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  g_return_val_if_fail (i < self->columns->len, NULL);
  return COLUMN (self, i)->type;
}

gboolean
sluice_dataset_get_column_nullable (SluiceDataset *self,
                                    guint          i)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), TRUE);
  g_return_val_if_fail (i < self->columns->len, TRUE);
  return COLUMN (self, i)->nullable;
}

const char *
sluice_dataset_get_column_description (SluiceDataset *self,
                                       guint          i)
{
  g_return_val_if_fail (SLUICE_IS_DATASET (self), NULL);
  g_return_val_if_fail (i < self->columns->len, NULL);
  return COLUMN (self, i)->description;
}

/* Replaces *@field by a copy of @value; TRUE (and "changed") if it differed. */
static gboolean
set_string (SluiceDataset  *self,
            char          **field,
            const char     *value)
{
  if (g_strcmp0 (*field, value) == 0)
    return FALSE;
  g_free (*field);
  *field = g_strdup (value);
  g_signal_emit (self, signals[CHANGED], 0);
  return TRUE;
}

void
sluice_dataset_set_description (SluiceDataset *self,
                                const char    *description)
{
  g_return_if_fail (SLUICE_IS_DATASET (self));
  set_string (self, &self->description, description && *description ? description : NULL);
}

void
sluice_dataset_set_format (SluiceDataset *self,
                           const char    *format)
{
  g_return_if_fail (SLUICE_IS_DATASET (self));
  g_return_if_fail (format != NULL);
  set_string (self, &self->format, format);
}

void
sluice_dataset_set_location (SluiceDataset *self,
                             const char    *location)
{
  g_return_if_fail (SLUICE_IS_DATASET (self));
  set_string (self, &self->location, location ? location : "");
}

void
sluice_dataset_set_sample (SluiceDataset *self,
                           const char    *sample)
{
  g_return_if_fail (SLUICE_IS_DATASET (self));
  set_string (self, &self->sample, sample && *sample ? sample : NULL);
}

void
sluice_dataset_set_options (SluiceDataset *self,
                            JsonObject    *options)
{
  g_autoptr(JsonNode) old_node = NULL;
  g_autoptr(JsonNode) new_node = NULL;
  g_autoptr(JsonNode) copy = NULL;

  g_return_if_fail (SLUICE_IS_DATASET (self));
  g_return_if_fail (options != NULL);

  old_node = json_node_init_object (json_node_alloc (), self->options);
  new_node = json_node_init_object (json_node_alloc (), options);
  if (json_node_equal (old_node, new_node))
    return;
  copy = sluice_json_node_deep_copy (new_node);
  json_object_unref (self->options);
  self->options = json_object_ref (json_node_get_object (copy));
  g_signal_emit (self, signals[CHANGED], 0);
}

void
sluice_dataset_set_columns (SluiceDataset      *self,
                            guint               n,
                            const char * const *names,
                            const char * const *types,
                            const gboolean     *nullable,
                            const char * const *descriptions)
{
  g_return_if_fail (SLUICE_IS_DATASET (self));
  g_return_if_fail (n == 0 || (names != NULL && types != NULL));

  g_array_set_size (self->columns, 0);
  for (guint i = 0; i < n; i++)
    {
      Column c = {
        .name = g_strdup (names[i]),
        .type = g_strdup (types[i]),
        .nullable = nullable ? nullable[i] : TRUE,
        .description = descriptions && descriptions[i] && *descriptions[i]
                       ? g_strdup (descriptions[i]) : NULL,
      };
      g_array_append_val (self->columns, c);
    }
  g_signal_emit (self, signals[CHANGED], 0);
}

static Column *
column_at (SluiceDataset *self,
           guint          i)
{
  g_return_val_if_fail (i < self->columns->len, NULL);
  return &g_array_index (self->columns, Column, i);
}

void
sluice_dataset_set_column_name (SluiceDataset *self,
                                guint          i,
                                const char    *name)
{
  Column *c;

  g_return_if_fail (SLUICE_IS_DATASET (self));
  g_return_if_fail (name != NULL);
  if ((c = column_at (self, i)))
    set_string (self, &c->name, name);
}

void
sluice_dataset_set_column_type (SluiceDataset *self,
                                guint          i,
                                const char    *type)
{
  Column *c;

  g_return_if_fail (SLUICE_IS_DATASET (self));
  g_return_if_fail (type != NULL);
  if ((c = column_at (self, i)))
    set_string (self, &c->type, type);
}

void
sluice_dataset_set_column_nullable (SluiceDataset *self,
                                    guint          i,
                                    gboolean       nullable)
{
  Column *c;

  g_return_if_fail (SLUICE_IS_DATASET (self));
  if ((c = column_at (self, i)) && c->nullable != !!nullable)
    {
      c->nullable = !!nullable;
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

void
sluice_dataset_set_column_description (SluiceDataset *self,
                                       guint          i,
                                       const char    *description)
{
  Column *c;

  g_return_if_fail (SLUICE_IS_DATASET (self));
  if ((c = column_at (self, i)))
    set_string (self, &c->description, description && *description ? description : NULL);
}

static void
report (SluiceDataset *self,
        GPtrArray     *out,
        const char    *path,
        char          *message)
{
  guint line = 0, column = 0;

  sluice_source_map_find (self->source_map, path, 1, &line, &column);
  g_ptr_array_add (out, sluice_diagnostic_new (SLUICE_SEVERITY_ERROR, self->file, line, column, message));
  g_free (message);
}

GPtrArray *
sluice_dataset_validate (SluiceDataset *self,
                         GFile         *project_dir)
{
  GPtrArray *out = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr(GHashTable) names = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);

  g_return_val_if_fail (SLUICE_IS_DATASET (self), out);

  if (*self->location == '\0')
    report (self, out, "location", g_strdup (_("“location” is empty")));

  if (self->columns->len == 0)
    report (self, out, "schema", g_strdup (_("the schema has no columns")));

  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = COLUMN (self, i);
      g_autofree char *path = g_strdup_printf ("schema/%u", i);
      g_autofree char *folded = g_utf8_casefold (c->name, -1);

      if (*c->name == '\0')
        report (self, out, path, g_strdup_printf (_("column %u has an empty name"), i + 1));
      /* Spark resolves names case-insensitively: Amount and amount clash. */
      else if (!g_hash_table_add (names, g_steal_pointer (&folded)))
        report (self, out, path, g_strdup_printf (_("column “%s” appears twice (names are case-insensitive)"), c->name));
      if (!sluice_column_type_is_valid (c->type))
        report (self, out, path,
                g_strdup_printf (_("column “%s”: unknown type “%s” (use string, int, bigint, double, "
                                   "decimal(p,s), boolean, date or timestamp)"), c->name, c->type));
    }

  if (self->sample != NULL && project_dir != NULL)
    {
      g_autoptr(GFile) sample = g_file_resolve_relative_path (project_dir, self->sample);

      if (g_path_is_absolute (self->sample))
        report (self, out, "sample",
                g_strdup_printf (_("sample “%s” must be a path relative to the project"), self->sample));
      else if (!g_file_query_exists (sample, NULL))
        report (self, out, "sample",
                g_strdup_printf (_("sample file “%s” does not exist"), self->sample));
    }

  g_ptr_array_sort (out, sluice_diagnostic_compare);
  return out;
}
