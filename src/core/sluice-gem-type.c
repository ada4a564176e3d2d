#define G_LOG_DOMAIN "sluice-gem-type"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-gem-type.h"

/* The catalog is data: one entry per gem type with its ports and the
 * description of its configuration. Validation, the file format and the
 * inspector's forms all read the same description. */

typedef struct
{
  const char              *name;
  const char              *title;
  const char              *category;
  const char              *description;
  const char              *icon_name;
  guint                    min_inputs;
  guint                    max_inputs;
  guint                    n_outputs;
  gboolean                 named_inputs;
  const SluiceConfigField *fields;
} GemTypeInfo;

struct _SluiceGemType
{
  GObject            parent_instance;
  const GemTypeInfo *info;   /* static */
};

G_DEFINE_FINAL_TYPE (SluiceGemType, sluice_gem_type, G_TYPE_OBJECT)

#define END { NULL }

static const char * const target_modes[] = { "overwrite", "append", "error_if_exists", "ignore", NULL };
static const char * const join_types[] = { "inner", "left", "right", "full", "semi", "anti", NULL };
static const char * const directions[] = { "asc", "desc", NULL };
static const char * const nulls_orders[] = { "default", "first", "last", NULL };
static const char * const dedup_modes[] = { "distinct", "first", "last", NULL };
static const char * const set_operations[] = { "union", "union_all", "intersect", "except", NULL };
static const char * const set_by[] = { "name", "position", NULL };
static const char * const schema_ops[] = { "add", "drop", "rename", "cast", NULL };
static const char * const frames[] = { "default", "rows", "range", NULL };

static const char * const target_mode_titles[] = {
  N_("Overwrite"), N_("Append"), N_("Fail if it exists"), N_("Skip if it exists"), NULL };
static const char * const join_type_titles[] = {
  N_("Inner"), N_("Left outer"), N_("Right outer"), N_("Full outer"),
  N_("Semi (rows with a match)"), N_("Anti (rows without a match)"), NULL };
static const char * const direction_titles[] = { N_("Ascending"), N_("Descending"), NULL };
static const char * const nulls_order_titles[] = {
  N_("Engine default"), N_("Nulls first"), N_("Nulls last"), NULL };
static const char * const dedup_mode_titles[] = {
  N_("Distinct rows"), N_("First row per key"), N_("Last row per key"), NULL };
static const char * const set_operation_titles[] = {
  N_("Union (distinct)"), N_("Union all"), N_("Intersect"), N_("Except"), NULL };
static const char * const set_by_titles[] = { N_("Name"), N_("Position"), NULL };
static const char * const schema_op_titles[] = {
  N_("Add column"), N_("Drop column"), N_("Rename column"), N_("Cast column"), NULL };
static const char * const frame_titles[] = {
  N_("Default"), N_("Rows between"), N_("Range between"), NULL };

static const SluiceConfigField named_expression[] = {
  { "name", N_("Column"), SLUICE_FIELD_STRING, TRUE },
  { "expression", N_("Expression"), SLUICE_FIELD_EXPRESSION, TRUE },
  END
};

static const SluiceConfigField sort_key[] = {
  { "expression", N_("Expression"), SLUICE_FIELD_EXPRESSION, TRUE },
  { "direction", N_("Direction"), SLUICE_FIELD_ENUM, FALSE, directions, "asc", NULL, direction_titles },
  { "nulls", N_("Nulls"), SLUICE_FIELD_ENUM, FALSE, nulls_orders, "default", NULL, nulls_order_titles },
  END
};

static const SluiceConfigField schema_column[] = {
  { "name", N_("Column"), SLUICE_FIELD_STRING, TRUE },
  { "type", N_("Type"), SLUICE_FIELD_TYPE, TRUE },
  END
};

static const SluiceConfigField source_fields[] = {
  { "dataset", N_("Dataset"), SLUICE_FIELD_DATASET, TRUE },
  END
};

static const SluiceConfigField target_fields[] = {
  { "dataset", N_("Dataset"), SLUICE_FIELD_DATASET, TRUE },
  { "mode", N_("Write mode"), SLUICE_FIELD_ENUM, FALSE, target_modes, "overwrite", NULL, target_mode_titles },
  END
};

static const SluiceConfigField reformat_fields[] = {
  { "columns", N_("Columns"), SLUICE_FIELD_RECORDS, TRUE, NULL, NULL, named_expression },
  END
};

static const SluiceConfigField filter_fields[] = {
  { "condition", N_("Condition"), SLUICE_FIELD_EXPRESSION, TRUE },
  END
};

static const SluiceConfigField join_condition[] = {
  { "input", N_("Input"), SLUICE_FIELD_STRING, TRUE },
  { "type", N_("Join type"), SLUICE_FIELD_ENUM, TRUE, join_types, "inner", NULL, join_type_titles },
  { "condition", N_("Condition"), SLUICE_FIELD_EXPRESSION, TRUE },
  END
};

static const SluiceConfigField join_fields[] = {
  { "joins", N_("Joins"), SLUICE_FIELD_RECORDS, TRUE, NULL, NULL, join_condition },
  { "columns", N_("Columns"), SLUICE_FIELD_RECORDS, FALSE, NULL, NULL, named_expression },
  END
};

static const SluiceConfigField aggregate_fields[] = {
  { "group_by", N_("Group by"), SLUICE_FIELD_RECORDS, FALSE, NULL, NULL, named_expression },
  { "aggregates", N_("Aggregates"), SLUICE_FIELD_RECORDS, TRUE, NULL, NULL, named_expression },
  { "pivot_column", N_("Pivot column"), SLUICE_FIELD_COLUMN, FALSE },
  { "pivot_values", N_("Pivot values"), SLUICE_FIELD_STRINGS, FALSE },
  END
};

static const SluiceConfigField order_by_fields[] = {
  { "keys", N_("Sort keys"), SLUICE_FIELD_RECORDS, TRUE, NULL, NULL, sort_key },
  END
};

static const SluiceConfigField limit_fields[] = {
  { "count", N_("Rows"), SLUICE_FIELD_INTEGER, TRUE },
  END
};

static const SluiceConfigField dedup_fields[] = {
  { "mode", N_("Keep"), SLUICE_FIELD_ENUM, FALSE, dedup_modes, "distinct", NULL, dedup_mode_titles },
  { "keys", N_("Key columns"), SLUICE_FIELD_COLUMNS, FALSE },
  { "order", N_("Order"), SLUICE_FIELD_RECORDS, FALSE, NULL, NULL, sort_key },
  END
};

static const SluiceConfigField set_operation_fields[] = {
  { "operation", N_("Operation"), SLUICE_FIELD_ENUM, FALSE, set_operations, "union_all", NULL, set_operation_titles },
  { "by", N_("Match columns by"), SLUICE_FIELD_ENUM, FALSE, set_by, "name", NULL, set_by_titles },
  END
};

static const SluiceConfigField schema_operation[] = {
  { "op", N_("Operation"), SLUICE_FIELD_ENUM, TRUE, schema_ops, "add", NULL, schema_op_titles },
  { "column", N_("Column"), SLUICE_FIELD_STRING, TRUE },
  { "expression", N_("Expression"), SLUICE_FIELD_EXPRESSION, FALSE },
  { "new_name", N_("New name"), SLUICE_FIELD_STRING, FALSE },
  { "type", N_("Type"), SLUICE_FIELD_TYPE, FALSE },
  END
};

static const SluiceConfigField schema_transform_fields[] = {
  { "operations", N_("Operations"), SLUICE_FIELD_RECORDS, TRUE, NULL, NULL, schema_operation },
  END
};

static const SluiceConfigField window_fields[] = {
  { "partition_by", N_("Partition by"), SLUICE_FIELD_COLUMNS, FALSE },
  { "order_by", N_("Order by"), SLUICE_FIELD_RECORDS, FALSE, NULL, NULL, sort_key },
  { "frame", N_("Frame"), SLUICE_FIELD_ENUM, FALSE, frames, "default", NULL, frame_titles },
  { "frame_start", N_("Frame start"), SLUICE_FIELD_STRING, FALSE },
  { "frame_end", N_("Frame end"), SLUICE_FIELD_STRING, FALSE },
  { "columns", N_("Window columns"), SLUICE_FIELD_RECORDS, TRUE, NULL, NULL, named_expression },
  END
};

static const SluiceConfigField sql_fields[] = {
  { "sql", N_("SQL"), SLUICE_FIELD_SQL, TRUE },
  { "schema", N_("Output schema"), SLUICE_FIELD_SCHEMA, FALSE, NULL, NULL, schema_column },
  END
};

static const SluiceConfigField script_fields[] = {
  { "code", N_("PySpark code"), SLUICE_FIELD_CODE, TRUE },
  { "schema", N_("Output schema"), SLUICE_FIELD_SCHEMA, TRUE, NULL, NULL, schema_column },
  END
};

static const GemTypeInfo catalog[] = {
  { "Source", N_("Source"), N_("Input/Output"), N_("Reads a dataset"),
    "sluice-gem-source-symbolic", 0, 0, 1, FALSE, source_fields },
  { "Target", N_("Target"), N_("Input/Output"), N_("Writes a dataset"),
    "sluice-gem-target-symbolic", 1, 1, 0, FALSE, target_fields },
  { "Reformat", N_("Reformat"), N_("Transform"), N_("Selects and computes columns"),
    "sluice-gem-reformat-symbolic", 1, 1, 1, FALSE, reformat_fields },
  { "Filter", N_("Filter"), N_("Transform"), N_("Keeps the rows that match a condition"),
    "sluice-gem-filter-symbolic", 1, 1, 1, FALSE, filter_fields },
  { "Join", N_("Join"), N_("Join/Split"), N_("Joins two or more inputs on conditions"),
    "sluice-gem-join-symbolic", 2, G_MAXUINT, 1, FALSE, join_fields },
  { "Aggregate", N_("Aggregate"), N_("Transform"), N_("Groups rows and computes aggregates, optionally pivoted"),
    "sluice-gem-aggregate-symbolic", 1, 1, 1, FALSE, aggregate_fields },
  { "OrderBy", N_("Order By"), N_("Transform"), N_("Sorts rows"),
    "sluice-gem-order-by-symbolic", 1, 1, 1, FALSE, order_by_fields },
  { "Limit", N_("Limit"), N_("Transform"), N_("Keeps the first rows"),
    "sluice-gem-limit-symbolic", 1, 1, 1, FALSE, limit_fields },
  { "Deduplicate", N_("Deduplicate"), N_("Transform"), N_("Removes duplicate rows, or keeps the first or last per key"),
    "sluice-gem-deduplicate-symbolic", 1, 1, 1, FALSE, dedup_fields },
  { "SetOperation", N_("Set Operation"), N_("Join/Split"), N_("Union, intersection or difference of inputs"),
    "sluice-gem-set-operation-symbolic", 2, G_MAXUINT, 1, FALSE, set_operation_fields },
  { "SchemaTransform", N_("Schema Transform"), N_("Transform"), N_("Adds, drops, renames or casts columns"),
    "sluice-gem-schema-transform-symbolic", 1, 1, 1, FALSE, schema_transform_fields },
  { "Window", N_("Window"), N_("Transform"), N_("Computes window functions over partitions"),
    "sluice-gem-window-symbolic", 1, 1, 1, FALSE, window_fields },
  { "SQLStatement", N_("SQL Statement"), N_("Custom"), N_("Free SQL over named inputs"),
    "sluice-gem-sql-symbolic", 1, G_MAXUINT, 1, TRUE, sql_fields },
  { "Script", N_("Script"), N_("Custom"), N_("Free PySpark code (Spark fabrics only)"),
    "sluice-gem-script-symbolic", 1, G_MAXUINT, 1, FALSE, script_fields },
};

static void
sluice_gem_type_class_init (SluiceGemTypeClass *klass)
{
}

static void
sluice_gem_type_init (SluiceGemType *self)
{
}

static GListStore *catalog_store;     /* SluiceGemType, palette order */
static GHashTable *catalog_by_name;   /* name → SluiceGemType (borrowed) */

static void
ensure_catalog (void)
{
  static gsize initialized;

  if (g_once_init_enter (&initialized))
    {
      catalog_store = g_list_store_new (SLUICE_TYPE_GEM_TYPE);
      catalog_by_name = g_hash_table_new (g_str_hash, g_str_equal);
      for (guint i = 0; i < G_N_ELEMENTS (catalog); i++)
        {
          g_autoptr(SluiceGemType) type = g_object_new (SLUICE_TYPE_GEM_TYPE, NULL);
          type->info = &catalog[i];
          g_list_store_append (catalog_store, type);
          g_hash_table_insert (catalog_by_name, (gpointer) catalog[i].name, type);
        }
      g_once_init_leave (&initialized, 1);
    }
}

GListModel *
sluice_gem_type_list (void)
{
  ensure_catalog ();
  return G_LIST_MODEL (catalog_store);
}

SluiceGemType *
sluice_gem_type_lookup (const char *name)
{
  if (name == NULL)
    return NULL;
  ensure_catalog ();
  /* The catalog lives for the process. */
  return g_hash_table_lookup (catalog_by_name, name);
}

const char *
sluice_gem_type_get_name (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), NULL);
  return self->info->name;
}

const char *
sluice_gem_type_get_title (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), NULL);
  return g_dgettext (GETTEXT_PACKAGE, self->info->title);
}

const char *
sluice_gem_type_get_category (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), NULL);
  return g_dgettext (GETTEXT_PACKAGE, self->info->category);
}

const char *
sluice_gem_type_get_description (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), NULL);
  return g_dgettext (GETTEXT_PACKAGE, self->info->description);
}

const char *
sluice_gem_type_get_icon_name (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), NULL);
  return self->info->icon_name;
}

guint
sluice_gem_type_get_min_inputs (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), 0);
  return self->info->min_inputs;
}

guint
sluice_gem_type_get_max_inputs (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), 0);
  return self->info->max_inputs;
}

guint
sluice_gem_type_get_n_outputs (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), 0);
  return self->info->n_outputs;
}

gboolean
sluice_gem_type_has_named_inputs (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), FALSE);
  return self->info->named_inputs;
}

const SluiceConfigField *
sluice_gem_type_get_fields (SluiceGemType *self)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), NULL);
  return self->info->fields;
}

const SluiceConfigField *
sluice_gem_type_find_field (SluiceGemType *self,
                            const char    *name)
{
  g_return_val_if_fail (SLUICE_IS_GEM_TYPE (self), NULL);

  for (const SluiceConfigField *f = self->info->fields; f->name; f++)
    if (g_strcmp0 (f->name, name) == 0)
      return f;
  return NULL;
}

const char *
sluice_config_field_get_choice_title (const SluiceConfigField *field,
                                      const char              *choice)
{
  g_return_val_if_fail (field != NULL, choice);

  for (guint i = 0; choice && field->choices && field->choices[i]; i++)
    if (g_str_equal (field->choices[i], choice))
      return field->choice_titles && field->choice_titles[i] ? _(field->choice_titles[i]) : choice;
  return choice;
}
