#pragma once

#include <glib-object.h>
#include <json-glib/json-glib.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

/* An undoable edit of a pipeline: a label ("Move 3 gems") and the list of
 * primitive, reversible operations it made. A drag or a multi-gem paste is
 * one command with many operations. The pipeline applies and reverts them. */

typedef enum {
  SLUICE_OP_ADD_GEM,
  SLUICE_OP_REMOVE_GEM,
  SLUICE_OP_ADD_EDGE,
  SLUICE_OP_REMOVE_EDGE,
  SLUICE_OP_MOVE,
  SLUICE_OP_SET_LABEL,
  SLUICE_OP_SET_CONFIG,
  SLUICE_OP_RENAME,
  SLUICE_OP_SET_INPUTS,
} SluiceOpKind;

typedef struct
{
  SluiceOpKind  kind;
  guint         index;        /* ADD/REMOVE: position in the list */
  SluiceGem    *gem;          /* ADD/REMOVE_GEM (owned) */
  SluiceEdge   *edge;         /* ADD/REMOVE_EDGE (owned) */
  char         *gem_id;       /* the gem the other kinds change (owned) */
  int           old_x, old_y, new_x, new_y;
  char         *key;          /* SET_CONFIG (owned) */
  JsonNode     *old_value;    /* SET_CONFIG (owned, nullable: key absent) */
  JsonNode     *new_value;    /* SET_CONFIG (owned, nullable) */
  char         *old_text;     /* SET_LABEL, RENAME (owned) */
  char         *new_text;
  GStrv         old_inputs;   /* SET_INPUTS (owned) */
  GStrv         new_inputs;
} SluiceOp;

#define SLUICE_TYPE_COMMAND (sluice_command_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCommand, sluice_command, SLUICE, COMMAND, GObject)

SluiceCommand *sluice_command_new       (const char    *label);
const char    *sluice_command_get_label (SluiceCommand *self);
void           sluice_command_set_label (SluiceCommand *self,
                                         const char    *label);
/* Takes the op's contents; @op itself stays the caller's. */
SluiceOp      *sluice_command_add_op    (SluiceCommand *self,
                                         const SluiceOp *op);
guint          sluice_command_get_n_ops (SluiceCommand *self);
SluiceOp      *sluice_command_get_op    (SluiceCommand *self,
                                         guint          i);
/* The last op when it moves @gem_id, so a drag can extend it; else NULL. */
SluiceOp      *sluice_command_find_move (SluiceCommand *self,
                                         const char    *gem_id);

G_END_DECLS
