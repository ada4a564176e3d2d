#pragma once

#include "sluice-command.h"
#include "sluice-pipeline.h"
#include "sluice-source-map.h"

G_BEGIN_DECLS

struct _SluicePipeline
{
  GObject          parent_instance;

  char            *name;          /* owned: the file's stem */
  char            *file;          /* owned: project-relative path, for messages */
  char            *description;   /* owned, nullable */
  JsonObject      *extra;         /* owned, nullable: unknown top-level keys */
  GError          *load_error;    /* owned, nullable: the file could not be read */

  GListStore      *gems;          /* owned, SluiceGem in file order */
  GListStore      *edges;         /* owned, SluiceEdge in file order */
  GHashTable      *by_id;         /* id → SluiceGem (borrowed); first one wins */
  GHashTable      *fed;           /* "gem\037port" (owned) → SluiceEdge (borrowed) into that input */
  GHashTable      *successors;    /* gem id (owned) → GPtrArray of SluiceEdge (borrowed) out of it */
  GHashTable      *predecessors;  /* gem id (owned) → GPtrArray of SluiceEdge (borrowed) into it */
  GPtrArray       *gem_array;     /* owned, nullable: SluiceGem (borrowed) in file order, made on demand */
  guint            structure_version;   /* bumped when gems, ids or edges change */

  SluiceUndoStack *undo;          /* owned */
  SluiceCommand   *group;         /* owned, nullable: the command being built */
  guint            group_depth;

  SluiceSourceMap *source_map;    /* owned, nullable: positions in the file on disk */
  char            *base_checksum; /* owned, nullable: SHA-256 of the file as last loaded or saved */
};

/* The files of SluicePipeline: sluice-pipeline.c (the object, its
 * queries), sluice-pipeline-ops.c (the primitive operations, undo and
 * redo), sluice-pipeline-edits.c (gem edits), sluice-pipeline-edges.c
 * (wiring edits); loading, saving and the rest in their own files. */

enum {
  SLUICE_PIPELINE_GEM_ADDED,
  SLUICE_PIPELINE_GEM_REMOVED,
  SLUICE_PIPELINE_EDGE_ADDED,
  SLUICE_PIPELINE_EDGE_REMOVED,
  SLUICE_PIPELINE_CHANGED,
  SLUICE_PIPELINE_N_SIGNALS
};

/* Emitted by the primitive operations; made in class_init. */
extern guint _sluice_pipeline_signals[SLUICE_PIPELINE_N_SIGNALS];

/* Applies @op and records it in the command being built (taking its
 * contents). Every public edit is begin_group … record … end_group. */
void        _sluice_pipeline_record             (SluicePipeline  *self,
                                                 SluiceOp        *op);
/* The key of the "fed" index: (transfer full) */
char       *_sluice_pipeline_input_key          (const char      *gem,
                                                 const char      *port);
/* (transfer none): the gem @id, or NULL and @error (also for a pipeline
 * that cannot be edited) */
SluiceGem  *_sluice_pipeline_lookup_gem         (SluicePipeline  *self,
                                                 const char      *id,
                                                 GError         **error);
/* Inside a group: removes @edge, undoably. */
void        _sluice_pipeline_record_remove_edge (SluicePipeline  *self,
                                                 SluiceEdge      *edge);

/* Paths in the source map (see sluice-source-map.h) */
#define SLUICE_GEM_PATH_FLOOR 2

void      _sluice_pipeline_add_gem_loaded  (SluicePipeline  *self,
                                            SluiceGem       *gem);
void      _sluice_pipeline_add_edge_loaded (SluicePipeline  *self,
                                            SluiceEdge      *edge);
void      _sluice_pipeline_set_source_map  (SluicePipeline  *self,
                                            SluiceSourceMap *map);
/* (transfer full): @base, or @base_2, _3 … when taken */
char     *_sluice_pipeline_unique_id       (SluicePipeline  *self,
                                            const char      *base);
/* Inside a group: adds @gem (not owned) at the end, undoably. */
void      _sluice_pipeline_record_add_gem  (SluicePipeline  *self,
                                            SluiceGem       *gem);
/* Inside a group: a Join's per-input records follow an input @added or
 * @removed (either nullable); other gems are left alone
 * (sluice-pipeline-join.c). */
void      _sluice_pipeline_follow_join_inputs (SluicePipeline *self,
                                            SluiceGem       *gem,
                                            const char      *added,
                                            const char      *removed);
gboolean  _sluice_pipeline_check_editable  (SluicePipeline  *self,
                                            GError         **error);
/* The canonical JSON, and (when @positions is given) where each node went. */
GBytes   *_sluice_pipeline_serialize       (SluicePipeline  *self,
                                            SluiceSourceMap **map);
void      _sluice_pipeline_position_of     (SluicePipeline  *self,
                                            const char      *path,
                                            guint           *line,
                                            guint           *column);

G_END_DECLS
