#define G_LOG_DOMAIN "sluice-code-cache"

#include "config.h"

#include <string.h>

#include "sluice-code-cache.h"
#include "sluice-codegen-private.h"
#include "sluice-pyspark-generator.h"
#include "sluice-sql-generator.h"
#include "sluice-sql-writer.h"

typedef enum {
  SLOT_SPARK,
  SLOT_SNOWFLAKE,
  SLOT_PYSPARK,
  N_SLOTS
} Slot;

/* One input of a gem as a piece was written for it. */
typedef struct
{
  char  *port;      /* owned */
  char  *from;      /* owned: the gem feeding it */
  guint  version;   /* that gem's schema version */
} InputKey;

/* A gem's code for one target, and what it was written from. */
typedef struct
{
  gboolean   valid;
  guint      gem_version;
  guint      schema_version;
  GArray    *inputs;        /* owned, InputKey */
  GPtrArray *problems;      /* owned, char* */
  char      *text;          /* owned: the CTE, or the module */
  gsize      text_len;
  char      *path;          /* owned, PySpark: the module's path */
  char      *import_line;   /* owned, PySpark */
  char      *run_line;      /* owned, PySpark */
} Piece;

typedef struct
{
  SluiceGem *gem;           /* owned */
  gboolean   always;        /* a Source or Target: written every time */
  Piece      pieces[N_SLOTS];
} Fragment;

struct _SluiceCodeCache
{
  GObject         parent_instance;

  SluicePipeline *pipeline;          /* owned */
  GListModel     *datasets;          /* owned */
  SluiceResolver *resolver;          /* owned */

  GHashTable     *fragments;         /* SluiceGem* (held by the fragment) → Fragment* (owned) */
  /* Gems edited since a slot was last written: where a schema change can
   * start, so where checking downstream pieces starts. */
  GHashTable     *pending[N_SLOTS];  /* set of SluiceGem* (borrowed) */
  /* The pipeline's structure, kept until a gem or an edge comes or goes. */
  GPtrArray      *targets;           /* owned, nullable: SluiceGem (borrowed), Targets in file order */
  GHashTable     *orders;            /* a Target, or the pipeline for all gems (borrowed) → GPtrArray* (owned) */

  GHashTable     *files;             /* char* → char*, borrowed from the fragments and the fields below */
  /* @files holds every piece's module: between edits only the rewritten
   * pieces and pipeline.py are put in again. */
  gboolean        files_valid;
  GHashTable     *fixed_files;       /* char* (owned) → char* (owned): files no gem writes */
  char           *pipeline_py_path;  /* owned, nullable */
  GString        *pipeline_py;       /* owned */
  /* The last code of each dialect, handed out: kept to be written over, as
   * allocating megabytes anew costs more than an edit's pieces. */
  GString        *sql[N_SLOTS];      /* owned, nullable */
  char           *py_key;            /* owned, nullable: package and header the PySpark pieces have */
  GString        *scratch;           /* owned */
  GString        *expr_scratch;      /* owned */
  GString        *body_scratch;      /* owned */
  GString        *imports;           /* owned */
  GString        *run;               /* owned */
  guint           written;
};

G_DEFINE_FINAL_TYPE (SluiceCodeCache, sluice_code_cache, G_TYPE_OBJECT)

static void
input_key_clear (gpointer data)
{
  InputKey *k = data;

  g_free (k->port);
  g_free (k->from);
}

static void
piece_reset (Piece *p)
{
  p->valid = FALSE;
  g_clear_pointer (&p->text, g_free);
  g_clear_pointer (&p->path, g_free);
  g_clear_pointer (&p->import_line, g_free);
  g_clear_pointer (&p->run_line, g_free);
  if (p->inputs)
    g_array_set_size (p->inputs, 0);
  if (p->problems)
    g_ptr_array_set_size (p->problems, 0);
}

static void
fragment_free (Fragment *f)
{
  for (guint s = 0; s < N_SLOTS; s++)
    {
      piece_reset (&f->pieces[s]);
      g_clear_pointer (&f->pieces[s].inputs, g_array_unref);
      g_clear_pointer (&f->pieces[s].problems, g_ptr_array_unref);
    }
  g_clear_object (&f->gem);
  g_free (f);
}

/* Source and Target pieces read the datasets, which the cache does not
 * follow; there are few of them, so they are always written. */
static gboolean
always_written (SluiceGem *gem)
{
  const char *type = sluice_gem_get_type_name (gem);
  return g_str_equal (type, "Source") || g_str_equal (type, "Target");
}

static Fragment *
fragment_for (SluiceCodeCache *self,
              SluiceGem       *gem)
{
  Fragment *f = g_hash_table_lookup (self->fragments, gem);

  if (f == NULL)
    {
      f = g_new0 (Fragment, 1);
      f->gem = g_object_ref (gem);
      f->always = always_written (gem);
      for (guint s = 0; s < N_SLOTS; s++)
        {
          f->pieces[s].inputs = g_array_new (FALSE, TRUE, sizeof (InputKey));
          g_array_set_clear_func (f->pieces[s].inputs, input_key_clear);
          f->pieces[s].problems = g_ptr_array_new_with_free_func (g_free);
        }
      g_hash_table_insert (self->fragments, gem, f);
    }
  return f;
}

/* ---- following the pipeline ---- */

static void
structure_changed (SluiceCodeCache *self)
{
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_hash_table_remove_all (self->orders);
  /* Its paths may be a removed gem's: not one is looked at again. */
  g_hash_table_remove_all (self->files);
  self->files_valid = FALSE;
}

static void
mark_pending (SluiceCodeCache *self,
              SluiceGem       *gem)
{
  for (guint s = 0; s < N_SLOTS; s++)
    g_hash_table_add (self->pending[s], gem);
}

static void
gem_changed_cb (SluiceCodeCache *self,
                GParamSpec      *pspec,
                SluiceGem       *gem)
{
  /* The gem's own pieces are checked against its version anyway; what an
   * edit can also change is its schema, and so what is downstream. */
  mark_pending (self, gem);
  if (g_str_equal (pspec->name, "id"))
    structure_changed (self);
}

static void
watch_gem (SluiceCodeCache *self,
           SluiceGem       *gem)
{
  g_signal_connect_object (gem, "notify::config", G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (gem, "notify::id", G_CALLBACK (gem_changed_cb), self, G_CONNECT_SWAPPED);
}

static void
gem_added_cb (SluiceCodeCache *self,
              SluiceGem       *gem)
{
  watch_gem (self, gem);
  mark_pending (self, gem);
  structure_changed (self);
}

static void
gem_removed_cb (SluiceCodeCache *self,
                SluiceGem       *gem)
{
  g_signal_handlers_disconnect_by_data (gem, self);
  structure_changed (self);
  for (guint s = 0; s < N_SLOTS; s++)
    g_hash_table_remove (self->pending[s], gem);
  g_hash_table_remove (self->fragments, gem);
}

static void
edge_changed_cb (SluiceCodeCache *self,
                 SluiceEdge      *edge)
{
  SluiceGem *to = sluice_pipeline_find_gem (self->pipeline, sluice_edge_get_to_gem (edge));

  if (to)
    mark_pending (self, to);
  structure_changed (self);
}

/* ---- staleness ---- */

static gboolean
same_inputs (SluiceCodeCache *self,
             SluiceGem       *gem,
             Piece           *p)
{
  GPtrArray *in = sluice_pipeline_peek_edges_of (self->pipeline, sluice_gem_get_id (gem), SLUICE_PORT_INPUT);
  guint n = in ? in->len : 0;

  if (n != p->inputs->len)
    return FALSE;
  for (guint k = 0; k < n; k++)
    {
      SluiceEdge *e = g_ptr_array_index (in, k);
      InputKey *key = &g_array_index (p->inputs, InputKey, k);

      if (!g_str_equal (key->port, sluice_edge_get_to_port (e)) || !g_str_equal (key->from, sluice_edge_get_from_gem (e)) ||
          key->version != sluice_resolver_get_version (self->resolver, key->from))
        return FALSE;
    }
  return TRUE;
}

/* From the gems edited since @slot was written, down through every gem
 * whose schema changed: pieces whose inputs changed are dropped. An edit
 * that keeps the gem's columns stops at the gem. */
static void
propagate (SluiceCodeCache *self,
           Slot             slot)
{
  g_autoptr(GPtrArray) stack = NULL;
  g_autoptr(GHashTable) seen = NULL;
  GHashTableIter iter;
  gpointer gem;

  if (g_hash_table_size (self->pending[slot]) == 0)
    return;
  stack = g_ptr_array_new ();
  seen = g_hash_table_new (NULL, NULL);
  g_hash_table_iter_init (&iter, self->pending[slot]);
  while (g_hash_table_iter_next (&iter, &gem, NULL))
    g_ptr_array_add (stack, gem);
  g_hash_table_remove_all (self->pending[slot]);

  while (stack->len > 0)
    {
      SluiceGem *cur = g_ptr_array_steal_index_fast (stack, stack->len - 1);
      const char *id = sluice_gem_get_id (cur);
      Fragment *f = g_hash_table_lookup (self->fragments, cur);
      Piece *p = f ? &f->pieces[slot] : NULL;
      gboolean changed = TRUE;
      GPtrArray *out;

      if (!g_hash_table_add (seen, cur))
        continue;
      if (p && p->valid)
        {
          changed = p->schema_version != sluice_resolver_get_version (self->resolver, id);
          if (changed || !same_inputs (self, cur, p))
            p->valid = FALSE;
        }
      if (!changed)
        continue;
      out = sluice_pipeline_peek_edges_of (self->pipeline, id, SLUICE_PORT_OUTPUT);
      for (guint k = 0; out && k < out->len; k++)
        {
          SluiceGem *down = sluice_pipeline_find_gem (self->pipeline, sluice_edge_get_to_gem (g_ptr_array_index (out, k)));
          if (down)
            g_ptr_array_add (stack, down);
        }
    }
}

/* Records what @p is about to be written from. */
static void
piece_begin (SluiceCodeCache *self,
             SluiceGem       *gem,
             Piece           *p)
{
  GPtrArray *in = sluice_pipeline_peek_edges_of (self->pipeline, sluice_gem_get_id (gem), SLUICE_PORT_INPUT);

  piece_reset (p);
  p->gem_version = sluice_gem_get_version (gem);
  p->schema_version = sluice_resolver_get_version (self->resolver, sluice_gem_get_id (gem));
  for (guint k = 0; in && k < in->len; k++)
    {
      SluiceEdge *e = g_ptr_array_index (in, k);
      InputKey key = { g_strdup (sluice_edge_get_to_port (e)), g_strdup (sluice_edge_get_from_gem (e)), 0 };

      key.version = sluice_resolver_get_version (self->resolver, key.from);
      g_array_append_val (p->inputs, key);
    }
  p->valid = TRUE;
  self->written++;
}

static gboolean
piece_is_fresh (Fragment *f,
                Piece    *p)
{
  return p->valid && !f->always && p->gem_version == sluice_gem_get_version (f->gem);
}

static void
replay_problems (Piece     *p,
                 GPtrArray *problems)
{
  for (guint i = 0; i < p->problems->len; i++)
    g_ptr_array_add (problems, g_strdup (g_ptr_array_index (p->problems, i)));
}

/* (transfer none) */
static GPtrArray *
order_of (SluiceCodeCache *self,
          SluiceGem       *target)
{
  gpointer key = target ? (gpointer) target : (gpointer) self->pipeline;
  GPtrArray *order = g_hash_table_lookup (self->orders, key);

  if (order == NULL)
    {
      order = _sluice_codegen_order (self->pipeline, target ? sluice_gem_get_id (target) : NULL, FALSE);
      g_hash_table_insert (self->orders, key, order);
    }
  return order;
}

/* (transfer none) */
static GPtrArray *
targets_of (SluiceCodeCache *self)
{
  if (self->targets == NULL)
    {
      GListModel *gems = sluice_pipeline_get_gems (self->pipeline);

      self->targets = g_ptr_array_new ();
      for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          if (g_str_equal (sluice_gem_get_type_name (gem), "Target"))
            g_ptr_array_add (self->targets, gem);   /* the pipeline keeps it alive */
        }
    }
  return self->targets;
}

/* ---- GObject ---- */

static void
sluice_code_cache_dispose (GObject *object)
{
  SluiceCodeCache *self = SLUICE_CODE_CACHE (object);

  if (self->pipeline)
    {
      GListModel *gems = sluice_pipeline_get_gems (self->pipeline);
      for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
        {
          g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
          g_signal_handlers_disconnect_by_data (gem, self);
        }
      g_signal_handlers_disconnect_by_data (self->pipeline, self);
    }
  g_clear_pointer (&self->fragments, g_hash_table_unref);
  g_clear_object (&self->pipeline);
  g_clear_object (&self->datasets);
  g_clear_object (&self->resolver);

  G_OBJECT_CLASS (sluice_code_cache_parent_class)->dispose (object);
}

static void
sluice_code_cache_finalize (GObject *object)
{
  SluiceCodeCache *self = SLUICE_CODE_CACHE (object);

  for (guint s = 0; s < N_SLOTS; s++)
    g_clear_pointer (&self->pending[s], g_hash_table_unref);
  g_clear_pointer (&self->targets, g_ptr_array_unref);
  g_clear_pointer (&self->orders, g_hash_table_unref);
  g_clear_pointer (&self->files, g_hash_table_unref);
  g_clear_pointer (&self->fixed_files, g_hash_table_unref);
  g_clear_pointer (&self->pipeline_py_path, g_free);
  g_string_free (self->pipeline_py, TRUE);
  for (guint s = 0; s < N_SLOTS; s++)
    if (self->sql[s])
      g_string_free (self->sql[s], TRUE);
  g_clear_pointer (&self->py_key, g_free);
  g_string_free (self->scratch, TRUE);
  g_string_free (self->expr_scratch, TRUE);
  g_string_free (self->body_scratch, TRUE);
  g_string_free (self->imports, TRUE);
  g_string_free (self->run, TRUE);

  G_OBJECT_CLASS (sluice_code_cache_parent_class)->finalize (object);
}

static void
sluice_code_cache_class_init (SluiceCodeCacheClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = sluice_code_cache_dispose;
  object_class->finalize = sluice_code_cache_finalize;
}

static void
sluice_code_cache_init (SluiceCodeCache *self)
{
  self->fragments = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) fragment_free);
  for (guint s = 0; s < N_SLOTS; s++)
    self->pending[s] = g_hash_table_new (NULL, NULL);
  self->orders = g_hash_table_new_full (NULL, NULL, NULL, (GDestroyNotify) g_ptr_array_unref);
  self->files = g_hash_table_new (g_str_hash, g_str_equal);
  self->fixed_files = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->scratch = g_string_new (NULL);
  self->expr_scratch = g_string_new (NULL);
  self->body_scratch = g_string_new (NULL);
  self->imports = g_string_new (NULL);
  self->run = g_string_new (NULL);
  self->pipeline_py = g_string_new (NULL);
}

/* ---- public API ---- */

SluiceCodeCache *
sluice_code_cache_new (SluicePipeline *pipeline,
                       GListModel     *datasets,
                       SluiceResolver *resolver)
{
  SluiceCodeCache *self;
  GListModel *gems;

  g_return_val_if_fail (SLUICE_IS_PIPELINE (pipeline), NULL);
  g_return_val_if_fail (G_IS_LIST_MODEL (datasets), NULL);
  g_return_val_if_fail (SLUICE_IS_RESOLVER (resolver), NULL);

  self = g_object_new (SLUICE_TYPE_CODE_CACHE, NULL);
  self->pipeline = g_object_ref (pipeline);
  self->datasets = g_object_ref (datasets);
  self->resolver = g_object_ref (resolver);

  gems = sluice_pipeline_get_gems (pipeline);
  for (guint i = 0; i < g_list_model_get_n_items (gems); i++)
    {
      g_autoptr(SluiceGem) gem = g_list_model_get_item (gems, i);
      watch_gem (self, gem);
    }
  g_signal_connect_object (pipeline, "gem-added", G_CALLBACK (gem_added_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "gem-removed", G_CALLBACK (gem_removed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "edge-added", G_CALLBACK (edge_changed_cb), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (pipeline, "edge-removed", G_CALLBACK (edge_changed_cb), self, G_CONNECT_SWAPPED);
  return self;
}

const char *
sluice_code_cache_generate_sql (SluiceCodeCache *self,
                                SluiceDialect    dialect,
                                GPtrArray       *problems)
{
  Slot slot = dialect == SLUICE_DIALECT_SPARK ? SLOT_SPARK : SLOT_SNOWFLAKE;
  SluiceSqlGen g = { self->pipeline, self->datasets, self->resolver, dialect, problems, NULL, NULL, NULL };
  GPtrArray *targets;
  GString *out;

  g_return_val_if_fail (SLUICE_IS_CODE_CACHE (self), NULL);
  g_return_val_if_fail (dialect != SLUICE_DIALECT_SQLITE, NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  propagate (self, slot);
  if (self->sql[slot] == NULL)
    self->sql[slot] = g_string_sized_new (4096);
  out = self->sql[slot];
  g_string_truncate (out, 0);
  _sluice_sql_write_file_head (&g, out);
  targets = targets_of (self);
  for (guint t = 0; t < targets->len; t++)
    {
      SluiceGem *target = g_ptr_array_index (targets, t);
      GPtrArray *chain, *in;

      g.problems = problems;
      if (!_sluice_sql_write_target_head (&g, out, target))
        continue;
      chain = order_of (self, target);
      for (guint k = 0; k < chain->len; k++)
        {
          SluiceGem *gem = g_ptr_array_index (chain, k);
          Fragment *f = fragment_for (self, gem);
          Piece *p = &f->pieces[slot];

          if (!piece_is_fresh (f, p))
            {
              piece_begin (self, gem, p);
              g.problems = p->problems;
              g_string_truncate (self->scratch, 0);
              _sluice_sql_write_cte (&g, self->scratch, gem);
              p->text = g_strndup (self->scratch->str, self->scratch->len);
              p->text_len = self->scratch->len;
            }
          if (k == 0)
            _sluice_append (out, "WITH ");
          _sluice_append_len (out, p->text, p->text_len);
          _sluice_append (out, k + 1 < chain->len ? ",\n" : "\n");
          replay_problems (p, problems);
        }
      in = sluice_pipeline_peek_edges_of (self->pipeline, sluice_gem_get_id (target), SLUICE_PORT_INPUT);
      _sluice_append (out, "SELECT * FROM ");
      sluice_sql_append_identifier (out, dialect, in ? sluice_edge_get_from_gem (g_ptr_array_index (in, 0)) : "missing_input");
      _sluice_append (out, ";\n");
    }
  if (targets->len == 0)
    _sluice_append (out, "\n-- The pipeline has no Target gem, so there is nothing to write.\n");
  _sluice_sql_gen_clear (&g);
  return out->str;
}

GHashTable *
sluice_code_cache_generate_pyspark (SluiceCodeCache *self,
                                    GPtrArray       *problems)
{
  g_autofree char *package = NULL;
  g_autofree char *header = NULL;
  g_autofree char *key = NULL;
  SluicePySparkGen g = { self->pipeline, self->datasets, self->resolver, problems, NULL, NULL, NULL, NULL,
                         self->expr_scratch, self->body_scratch };
  GHashTableIter iter;
  gpointer path, text;
  GPtrArray *order;
  gboolean rebuild;

  g_return_val_if_fail (SLUICE_IS_CODE_CACHE (self), NULL);
  g_return_val_if_fail (problems != NULL, NULL);

  package = _sluice_pyspark_package_name (self->pipeline);
  header = g_strdup_printf ("# Written by Sluice from %s; edit the pipeline, not this file.\n",
                            sluice_pipeline_get_file (self->pipeline));
  g.package = package;
  g.header = header;

  /* Every module starts with the header and lives in the package; the
   * fixed files are written from these and the pipeline's name. */
  key = g_strjoin ("\n", package, header, sluice_pipeline_get_name (self->pipeline), NULL);
  if (g_strcmp0 (key, self->py_key) != 0)
    {
      g_hash_table_iter_init (&iter, self->fragments);
      while (g_hash_table_iter_next (&iter, NULL, &text))
        ((Fragment *) text)->pieces[SLOT_PYSPARK].valid = FALSE;
      g_free (self->py_key);
      self->py_key = g_steal_pointer (&key);
      g_hash_table_remove_all (self->files);
      self->files_valid = FALSE;
    }
  propagate (self, SLOT_PYSPARK);

  /* Filled in the order a package is written, so that of two files with
   * one path the later wins (a gem named like a fixed file). */
  rebuild = !self->files_valid;
  if (rebuild)
    {
      g_hash_table_remove_all (self->files);
      g_hash_table_remove_all (self->fixed_files);
      _sluice_pyspark_add_fixed_files (&g, self->fixed_files);
      g_hash_table_iter_init (&iter, self->fixed_files);
      while (g_hash_table_iter_next (&iter, &path, &text))
        g_hash_table_insert (self->files, path, text);
    }

  g_string_truncate (self->imports, 0);
  g_string_truncate (self->run, 0);
  order = order_of (self, NULL);
  for (guint i = 0; i < order->len; i++)
    {
      SluiceGem *gem = g_ptr_array_index (order, i);
      Fragment *f = fragment_for (self, gem);
      Piece *p = &f->pieces[SLOT_PYSPARK];

      if (!piece_is_fresh (f, p))
        {
          g_autoptr(GString) module_path = g_string_new (NULL);
          g_autoptr(GString) import_line = g_string_new (NULL);
          g_autoptr(GString) run_line = g_string_new (NULL);
          /* @files may hold them until the new ones replace them. */
          g_autofree char *old_path = g_steal_pointer (&p->path);
          g_autofree char *old_text = g_steal_pointer (&p->text);

          piece_begin (self, gem, p);
          g.problems = p->problems;
          g_string_truncate (self->scratch, 0);
          _sluice_pyspark_write_gem (&g, gem, module_path, self->scratch, import_line, run_line);
          p->text = g_strndup (self->scratch->str, self->scratch->len);
          p->path = g_string_free (g_steal_pointer (&module_path), FALSE);
          p->import_line = g_string_free (g_steal_pointer (&import_line), FALSE);
          p->run_line = g_string_free (g_steal_pointer (&run_line), FALSE);
          if (!rebuild)
            {
              /* Its path is the one it had: only its id or the package
               * changes that, and either rebuilds the table. */
              g_hash_table_replace (self->files, p->path, p->text);
            }
        }
      if (rebuild)
        g_hash_table_replace (self->files, p->path, p->text);
      _sluice_append (self->imports, p->import_line);
      _sluice_append (self->run, p->run_line);
      replay_problems (p, problems);
    }

  g.problems = problems;
  g_string_truncate (self->pipeline_py, 0);
  _sluice_pyspark_append_pipeline_py (&g, self->pipeline_py, self->imports->str, self->run->str);
  if (rebuild)
    {
      g_free (self->pipeline_py_path);
      self->pipeline_py_path = g_strdup_printf ("%s/pipeline.py", package);
    }
  g_hash_table_replace (self->files, self->pipeline_py_path, self->pipeline_py->str);
  self->files_valid = TRUE;
  return self->files;
}

guint
sluice_code_cache_take_written_count (SluiceCodeCache *self)
{
  guint n;

  g_return_val_if_fail (SLUICE_IS_CODE_CACHE (self), 0);
  n = self->written;
  self->written = 0;
  return n;
}
