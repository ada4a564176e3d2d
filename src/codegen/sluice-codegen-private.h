#pragma once

#include <string.h>

#include <gio/gio.h>

#include "sluice-core.h"
#include "sluice-function.h"
#include "sluice-pyspark-generator.h"
#include "sluice-resolver.h"

G_BEGIN_DECLS

/* Shared by the generators and SluiceCodeCache, which must write exactly
 * the same bytes. */

/* g_string_append() without its generic insert: code generation appends
 * millions of short pieces, and in GLib 2.74 each is a call into
 * g_string_insert_len(). */
static inline void
_sluice_append_len (GString    *out,
                    const char *text,
                    gsize       n)
{
  if (out->len + n < out->allocated_len)
    {
      memcpy (out->str + out->len, text, n);
      out->len += n;
      out->str[out->len] = '\0';
    }
  else
    g_string_append_len (out, text, n);
}

static inline void
_sluice_append (GString    *out,
                const char *text)
{
  _sluice_append_len (out, text, strlen (text));
}

/* The memo slots of a tree's renderings (sluice_expr_get_memo()): its SQL
 * in a dialect, qualifiers kept or dropped, and Spark's as a Python string
 * literal (PySpark's F.expr()). Only renderings without an aggregate
 * filter, a window or a frame are kept: those depend on more than the tree. */
static inline guint
_sluice_codegen_sql_memo (SluiceDialect dialect,
                          gboolean      qualified)
{
  return dialect * 2 + (qualified ? 1 : 0);
}

static inline guint
_sluice_codegen_python_memo (gboolean qualified)
{
  return SLUICE_N_DIALECTS * 2 + (qualified ? 1 : 0);
}

G_STATIC_ASSERT (SLUICE_N_DIALECTS * 2 + 2 <= SLUICE_EXPR_N_MEMOS);

/* A gem's configuration as the generators read it: the string member @key
 * of a record, the records of @key, record @i; NULL for anything else
 * (validation has reported it). */
static inline const char *
_sluice_config_str (JsonObject *o,
                    const char *key)
{
  JsonNode *n = o ? json_object_get_member (o, key) : NULL;
  return n && JSON_NODE_HOLDS_VALUE (n) && json_node_get_value_type (n) == G_TYPE_STRING
         ? json_node_get_string (n) : NULL;
}

static inline JsonArray *
_sluice_config_records (SluiceGem  *gem,
                        const char *key)
{
  JsonNode *n = sluice_gem_get_config (gem, key);
  return n && JSON_NODE_HOLDS_ARRAY (n) ? json_node_get_array (n) : NULL;
}

static inline JsonObject *
_sluice_config_record (JsonArray *array,
                       guint      i)
{
  JsonNode *n = json_array_get_element (array, i);
  return JSON_NODE_HOLDS_OBJECT (n) ? json_node_get_object (n) : NULL;
}

/* (transfer full) of SluiceGem (borrowed from @pipeline): upstream
 * first; shared (kept on the pipeline until its structure changes), so do
 * not modify it. With @target, only the gems it needs (and it, if @include_target);
 * with NULL, every gem. Among gems that could go next the order is the one
 * repeated passes over the file would give (each pass takes, in file order,
 * every gem whose inputs are all taken), so that generated code never
 * changes order; computed in linear time. Gems on a cycle, or fed by a
 * missing gem, are left out. */
GPtrArray *_sluice_codegen_order (SluicePipeline *pipeline,
                                  const char     *target,
                                  gboolean        include_target);

/* Labels go into comments: no line break (nor other control character). */
void       _sluice_codegen_append_comment (GString    *out,
                                           const char *text);

/* The parsed tree of one of @gem's expressions: the resolver's (parsed
 * once for every target). (transfer none) (nullable) */
SluiceExpr *_sluice_codegen_expr (SluiceResolver *resolver,
                                  SluiceGem      *gem,
                                  const char     *text);

/* Appends @e (a root) in @dialect like sluice_sql_append_expr() with
 * qualifiers kept as they are (@qualified) or dropped, and no aggregate
 * filter, window or frame; written once per tree and dialect, then copied. */
gboolean _sluice_codegen_append_sql (GString       *out,
                                     SluiceExpr    *e,
                                     SluiceDialect  dialect,
                                     gboolean       qualified,
                                     GError       **error);

/* (transfer full): the SQL of an added column's expression @text
 * (nullable), as a target writes it (and reports its problems). */
typedef char *(*SluiceCodegenExprSql) (const char *text,
                                       gpointer    user_data);

/* A SchemaTransform's output columns: @names and @sqls (char*, appended
 * to), @input's columns (nullable) quoted in @dialect, then the operations
 * @ops (nullable) applied in order; @expr_sql writes added columns. */
void       _sluice_codegen_schema_transform (SluiceDialect        dialect,
                                             GArray              *input,
                                             JsonArray           *ops,
                                             SluiceCodegenExprSql expr_sql,
                                             gpointer             user_data,
                                             GPtrArray           *names,
                                             GPtrArray           *sqls);

typedef struct
{
  SluicePipeline *pipeline;
  GListModel     *datasets;
  SluiceResolver *resolver;
  SluiceDialect   dialect;
  GPtrArray      *problems;   /* char*, appended to */
  SluiceGem      *gem;        /* being written */
  const char     *frame;      /* a Window gem's frame while its columns are written */
  GHashTable     *lower_ids;  /* owned, nullable: folded gem id → id, made on first use */
} SluiceSqlGen;

void _sluice_sql_gen_clear (SluiceSqlGen *g);

/* Appends the body (a SELECT) of @g->gem's CTE. */
void _sluice_sql_write_body (SluiceSqlGen *g,
                             GString      *out);
/* Appends "name AS (\n  -- label (type)\n  body\n)" for @gem. */
void _sluice_sql_write_cte  (SluiceSqlGen *g,
                             GString      *out,
                             SluiceGem    *gem);
/* Appends the comment and the INSERT/CREATE line of @target's statement;
 * FALSE (with a problem) when the dialect cannot write it at all. */
gboolean _sluice_sql_write_target_head (SluiceSqlGen *g,
                                        GString      *out,
                                        SluiceGem    *target);
/* The file's first lines and, with no Target, its last. */
void _sluice_sql_write_file_head (SluiceSqlGen *g,
                                  GString      *out);

/* A gem's code written ahead, on another thread (see
 * sluice-code-targets.c): for SQL @text is its CTE; for PySpark its module,
 * at @path, with its lines in pipeline.py. @problems: what writing it
 * reported, in order. */
typedef struct
{
  const char  *text;
  gsize        len;
  const char  *path;
  gsize        path_len;
  const char  *import_line;
  gsize        import_len;
  const char  *run_line;
  gsize        run_len;
  char * const *problems;
  guint        n_problems;
} SluiceCodePiece;

typedef enum
{
  SLUICE_CODE_SLOT_SPARK,
  SLUICE_CODE_SLOT_SNOWFLAKE,
  SLUICE_CODE_SLOT_PYSPARK,
} SluiceCodeSlot;

/* The piece of @gem for @slot, into @piece; FALSE to have it written now.
 * @k counts the gems asked for since the generator started on a list (0:
 * a new one), for a lookup that walks along in the same order. */
typedef gboolean (*SluiceCodePieceFn) (gpointer         data,
                                       SluiceCodeSlot   slot,
                                       guint            k,
                                       SluiceGem       *gem,
                                       SluiceCodePiece *piece);

/* sluice_sql_generate() and sluice_pyspark_generate(), taking from
 * @pieces (nullable) what was written ahead. */
char *_sluice_sql_generate_with (SluicePipeline    *pipeline,
                                 GListModel        *datasets,
                                 SluiceResolver    *resolver,
                                 SluiceDialect      dialect,
                                 GPtrArray         *problems,
                                 SluiceCodePieceFn  pieces,
                                 gpointer           data);

typedef struct
{
  SluicePipeline *pipeline;
  GListModel     *datasets;
  SluiceResolver *resolver;
  GPtrArray      *problems;
  SluiceGem      *gem;
  const char     *frame;      /* a Window gem's frame while its columns are written */
  const char     *package;    /* the Python package name */
  const char     *header;     /* every file's first line */
  GString        *scratch;    /* borrowed: an expression's SQL, before it is quoted */
  GString        *body;       /* borrowed, nullable: reused for a gem function's body */
} SluicePySparkGen;

/* For @gem: its module (gems/<fn>.py), its import line in pipeline.py and
 * its line in run(); each appended to. @path gets the module's path. */
void _sluice_pyspark_write_gem (SluicePySparkGen *g,
                                SluiceGem        *gem,
                                GString          *path,
                                GString          *module,
                                GString          *import_line,
                                GString          *run_line);
/* Fills @g for @pipeline (its package name and header owned by @g: see
 * _sluice_pyspark_gen_clear()). */
void _sluice_pyspark_gen_init (SluicePySparkGen *g,
                               SluicePipeline   *pipeline,
                               GListModel       *datasets,
                               SluiceResolver   *resolver,
                               GPtrArray        *problems,
                               GString          *scratch,
                               GString          *body);
void _sluice_pyspark_gen_clear (SluicePySparkGen *g);
SluicePySparkPackage *_sluice_pyspark_generate_with (SluicePipeline    *pipeline,
                                                     GListModel        *datasets,
                                                     SluiceResolver    *resolver,
                                                     GPtrArray         *problems,
                                                     SluiceCodePieceFn  pieces,
                                                     gpointer           data);
/* The files that do not depend on any gem, inserted into @files
 * (char* → char*, both owned). */
void _sluice_pyspark_add_fixed_files (SluicePySparkGen *g,
                                      GHashTable       *files);
/* (transfer full): the Python package name of @pipeline */
char *_sluice_pyspark_package_name (SluicePipeline *pipeline);
/* (transfer full): @name as the generated code spells it */
char *_sluice_pyspark_py_name (const char *name);
/* Appends pipeline.py, from the gems' import and run lines. */
void _sluice_pyspark_append_pipeline_py (SluicePySparkGen *g,
                                         GString          *out,
                                         const char       *imports,
                                         const char       *run);

G_END_DECLS
