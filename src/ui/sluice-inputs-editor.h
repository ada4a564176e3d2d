#pragma once

#include <gtk/gtk.h>

#include "sluice-core.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_INPUTS_EDITOR (sluice_inputs_editor_get_type ())
G_DECLARE_FINAL_TYPE (SluiceInputsEditor, sluice_inputs_editor, SLUICE, INPUTS_EDITOR, GtkWidget)

/* The input ports of a gem that takes a variable number of them (Join,
 * SetOperation, SQLStatement): each with what feeds it, removable while
 * unconnected and above the type's minimum, and a way to add one — by name
 * for gems whose SQL refers to its inputs by name. */
GtkWidget *sluice_inputs_editor_new     (void);
void       sluice_inputs_editor_set_gem (SluiceInputsEditor *self,
                                         SluicePipeline     *pipeline,
                                         SluiceGem          *gem);
/* Whether a gem of @type gets this editor at all. */
gboolean   sluice_inputs_editor_applies (SluiceGemType      *type);

G_END_DECLS
