#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "sluice-completion-provider.h"
#include "sluice-core.h"

G_BEGIN_DECLS

typedef struct _SluiceFieldEditor SluiceFieldEditor;

#define SLUICE_TYPE_RECORDS_EDITOR (sluice_records_editor_get_type ())
G_DECLARE_FINAL_TYPE (SluiceRecordsEditor, sluice_records_editor, SLUICE, RECORDS_EDITOR, GtkBox)

/* The editor of a RECORDS or SCHEMA field: one card per record, holding a
 * SluiceFieldEditor per sub-field, with buttons to move a record up or down
 * and remove it, and one to add a record (actions records.add,
 * records.remove(u), records.move-up(u), records.move-down(u)).
 * Like SluiceFieldEditor it only emits "committed"; keys of a record that
 * the catalog does not describe are kept as they were. */
SluiceRecordsEditor *sluice_records_editor_new             (const SluiceConfigField  *field,
                                                            const char               *path,
                                                            GtkStringList            *columns,
                                                            GtkStringList            *datasets,
                                                            SluiceCompletionProvider *completion);
/* (transfer full) (nullable): a JSON array of the records; NULL when there
 * are none and the field is optional */
JsonNode            *sluice_records_editor_get_value       (SluiceRecordsEditor *self);
/* @value (transfer none) (nullable): a JSON array of objects */
void                 sluice_records_editor_set_value       (SluiceRecordsEditor *self,
                                                            JsonNode            *value);
void                 sluice_records_editor_set_diagnostics (SluiceRecordsEditor *self,
                                                            GPtrArray           *diagnostics);
void                 sluice_records_editor_flush           (SluiceRecordsEditor *self);
guint                sluice_records_editor_get_n_records   (SluiceRecordsEditor *self);
/* (transfer none) (nullable): the editor of sub-field @name of record @index */
SluiceFieldEditor   *sluice_records_editor_get_editor      (SluiceRecordsEditor *self,
                                                            guint                index,
                                                            const char          *name);

G_END_DECLS
