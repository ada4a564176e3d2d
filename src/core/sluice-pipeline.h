#pragma once

#include <gio/gio.h>
#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_PIPELINE (sluice_pipeline_get_type ())
G_DECLARE_FINAL_TYPE (SluicePipeline, sluice_pipeline, SLUICE, PIPELINE, GObject)

/* Signals: gem-added (SluiceGem), gem-removed (SluiceGem), edge-added
 * (SluiceEdge), edge-removed (SluiceEdge), changed () after every edit,
 * undo and redo. Properties: name, file, dirty, can-undo, can-redo.
 * Gems notify their own properties (label, x, y, config, id). */

SluicePipeline  *sluice_pipeline_new             (const char     *name);
/* @file is the project-relative path used in messages. Problems of shape
 * (wrong types, missing keys) are appended to @diagnostics (SluiceDiagnostic)
 * and make the load fail; semantic problems (cycles, dangling edges) load
 * and are reported by sluice_pipeline_validate(). */
SluicePipeline  *sluice_pipeline_load_from_bytes (const char     *name,
                                                  const char     *file,
                                                  GBytes         *bytes,
                                                  GPtrArray      *diagnostics,
                                                  GError        **error);
/* A pipeline whose file could not be loaded: listed, never saved over. */
SluicePipeline  *sluice_pipeline_new_broken      (const char     *name,
                                                  const char     *file,
                                                  const GError   *error);
/* The canonical, diff-stable text of the file. */
GBytes          *sluice_pipeline_to_bytes        (SluicePipeline *self);

const char      *sluice_pipeline_get_name        (SluicePipeline *self);
const char      *sluice_pipeline_get_file        (SluicePipeline *self);
void             sluice_pipeline_set_file        (SluicePipeline *self,
                                                  const char     *file);
const char      *sluice_pipeline_get_description (SluicePipeline *self);
/* (nullable): why the file could not be loaded */
const GError    *sluice_pipeline_get_load_error  (SluicePipeline *self);
gboolean         sluice_pipeline_get_dirty       (SluicePipeline *self);
/* (nullable): the SHA-256 (hex) of the file's bytes as last loaded or saved;
 * NULL for a pipeline never read from or written to a file */
const char      *sluice_pipeline_get_base_checksum (SluicePipeline *self);
SluiceUndoStack *sluice_pipeline_get_undo_stack  (SluicePipeline *self);

/* (transfer none): GListModel of SluiceGem, in file order */
GListModel      *sluice_pipeline_get_gems        (SluicePipeline *self);
/* (transfer none): the gems in file order, as an array (SluiceGem,
 * borrowed) for loops over every gem; valid until the next edit, do not
 * modify. */
GPtrArray       *sluice_pipeline_peek_gem_array  (SluicePipeline *self);
/* Changes whenever a gem or an edge comes or goes or a gem is renamed (not
 * on configuration edits or moves): what an order of the gems depends on. */
guint            sluice_pipeline_get_structure_version (SluicePipeline *self);
/* (transfer none): GListModel of SluiceEdge, in file order */
GListModel      *sluice_pipeline_get_edges       (SluicePipeline *self);
/* (transfer none) (nullable) */
SluiceGem       *sluice_pipeline_find_gem        (SluicePipeline *self,
                                                  const char     *id);
/* (transfer container): edges into / out of a gem, in the order they were
 * made (file order for a loaded pipeline); indexed, so cheap for any gem */
GPtrArray       *sluice_pipeline_get_edges_of    (SluicePipeline     *self,
                                                  const char         *gem_id,
                                                  SluicePortDirection direction);
/* (transfer none) (nullable): the same edges without a copy, for code
 * generation's hot loops; NULL when there are none. Valid until the next
 * edit; do not modify. */
GPtrArray       *sluice_pipeline_peek_edges_of   (SluicePipeline     *self,
                                                  const char         *gem_id,
                                                  SluicePortDirection direction);

/* Structural problems: duplicate ids, unknown gem types, edges to unknown
 * gems or ports, cycles, port arity, missing required configuration, and
 * (when @datasets is given, a GListModel of SluiceDataset) Source/Target gems
 * naming a missing dataset. (transfer container) of SluiceDiagnostic. */
GPtrArray       *sluice_pipeline_validate        (SluicePipeline *self,
                                                  GListModel     *datasets);

/* ---- Edits. Each is one undoable command unless inside a group. ---- */

/* Adds a gem with an id derived from @label, made unique. (transfer none) */
SluiceGem       *sluice_pipeline_add_gem         (SluicePipeline *self,
                                                  const char     *type_name,
                                                  const char     *label,
                                                  int             x,
                                                  int             y,
                                                  GError        **error);
/* Removes the gems and every edge touching them. */
gboolean         sluice_pipeline_remove_gems     (SluicePipeline     *self,
                                                  const char * const *ids,
                                                  GError            **error);
/* Moves several gems by one offset. Repeated moves of the same gems inside a
 * group (a drag) merge into one step. */
gboolean         sluice_pipeline_move_gems       (SluicePipeline     *self,
                                                  const char * const *ids,
                                                  int                 dx,
                                                  int                 dy,
                                                  GError            **error);
gboolean         sluice_pipeline_set_position    (SluicePipeline *self,
                                                  const char     *gem_id,
                                                  int             x,
                                                  int             y,
                                                  GError        **error);
gboolean         sluice_pipeline_set_label       (SluicePipeline *self,
                                                  const char     *gem_id,
                                                  const char     *label,
                                                  GError        **error);
/* Renames an id (only on request) and rewires its edges. */
gboolean         sluice_pipeline_rename_gem      (SluicePipeline *self,
                                                  const char     *gem_id,
                                                  const char     *new_id,
                                                  GError        **error);
/* @value (transfer none) (nullable): NULL removes the key. */
gboolean         sluice_pipeline_set_config      (SluicePipeline *self,
                                                  const char     *gem_id,
                                                  const char     *key,
                                                  JsonNode       *value,
                                                  GError        **error);
/* Refuses unknown gems or ports, a second wire into one input, and cycles. */
SluiceEdge      *sluice_pipeline_connect         (SluicePipeline *self,
                                                  const char     *from_gem,
                                                  const char     *from_port,
                                                  const char     *to_gem,
                                                  const char     *to_port,
                                                  GError        **error);
gboolean         sluice_pipeline_disconnect      (SluicePipeline *self,
                                                  SluiceEdge     *edge,
                                                  GError        **error);
/* For gems taking 2..N inputs: adds an input port (@name NULL: next inN). */
gboolean         sluice_pipeline_add_input       (SluicePipeline *self,
                                                  const char     *gem_id,
                                                  const char     *name,
                                                  GError        **error);
/* Removes an unconnected input port, keeping the type's minimum. */
gboolean         sluice_pipeline_remove_input    (SluicePipeline *self,
                                                  const char     *gem_id,
                                                  const char     *name,
                                                  GError        **error);

/* Makes this pipeline's gems and edges those of @source (another pipeline,
 * e.g. a draft loaded from bytes, whose gems and edges it then shares), as
 * one undoable step labelled @label: undo returns to the current state. */
gboolean         sluice_pipeline_replace_contents (SluicePipeline *self,
                                                   SluicePipeline *source,
                                                   const char     *label,
                                                   GError        **error);

/* Everything between begin and end becomes one undo step (a drag, a paste). */
void             sluice_pipeline_begin_group     (SluicePipeline *self,
                                                  const char     *label);
void             sluice_pipeline_end_group       (SluicePipeline *self);
gboolean         sluice_pipeline_undo            (SluicePipeline *self);
gboolean         sluice_pipeline_redo            (SluicePipeline *self);

/* ---- Clipboard (sluice-pipeline-clipboard.c): gems as the file's JSON ---- */

/* (transfer full): the gems @ids and the edges among them, as the text of a
 * pipeline file (format_version, gems, edges), in file order. */
char            *sluice_pipeline_copy_gems       (SluicePipeline     *self,
                                                  const char * const *ids,
                                                  GError            **error);
/* Adds the gems of @text (what copy_gems writes, or any pipeline file) as
 * one undo step: taken ids get a suffix and their edges follow, positions
 * move by (@dx, @dy), edges to gems not in @text are dropped. Foreign or bad
 * text fails with SLUICE_MODEL_ERROR_PARSE, _NEWER_FORMAT or _INVALID and
 * changes nothing. @pasted_ids (out) (optional) (transfer full): the new
 * gems' ids, in the text's order. */
gboolean         sluice_pipeline_paste           (SluicePipeline *self,
                                                  const char     *text,
                                                  int             dx,
                                                  int             dy,
                                                  GStrv          *pasted_ids,
                                                  GError        **error);
/* The same, placing the top-left corner of the pasted gems at (@x, @y). */
gboolean         sluice_pipeline_paste_at        (SluicePipeline *self,
                                                  const char     *text,
                                                  int             x,
                                                  int             y,
                                                  GStrv          *pasted_ids,
                                                  GError        **error);

/* ---- Auto-layout (sluice-pipeline-layout.c) ---- */

/* Lays the gems out in layers from left to right (every edge points
 * right), ordered to cut crossings, @column_width apart across and
 * @row_height apart down, from the top-left of where they are now. One
 * undo step; none when nothing moves. */
gboolean         sluice_pipeline_auto_layout     (SluicePipeline *self,
                                                  int             column_width,
                                                  int             row_height,
                                                  GError        **error);
/* The same, computed in a worker thread on a copy of the graph and applied
 * in _finish; a result for a pipeline edited meanwhile is dropped with
 * SLUICE_MODEL_ERROR_FAILED, a cancelled one with G_IO_ERROR_CANCELLED. */
void             sluice_pipeline_auto_layout_async  (SluicePipeline      *self,
                                                     int                  column_width,
                                                     int                  row_height,
                                                     GCancellable        *cancellable,
                                                     GAsyncReadyCallback  callback,
                                                     gpointer             user_data);
gboolean         sluice_pipeline_auto_layout_finish (SluicePipeline *self,
                                                     GAsyncResult   *result,
                                                     GError        **error);

/* ---- Saving: atomic and durable, the bytes written in a worker thread. ---- */
gboolean         sluice_pipeline_save            (SluicePipeline *self,
                                                  GFile          *file,
                                                  GCancellable   *cancellable,
                                                  GError        **error);
void             sluice_pipeline_save_async      (SluicePipeline      *self,
                                                  GFile               *file,
                                                  GCancellable        *cancellable,
                                                  GAsyncReadyCallback  callback,
                                                  gpointer             user_data);
gboolean         sluice_pipeline_save_finish     (SluicePipeline *self,
                                                  GAsyncResult   *result,
                                                  GError        **error);

G_END_DECLS
