#pragma once

#include <gtk/gtk.h>
#include <json-glib/json-glib.h>

#include "sluice-completion-provider.h"
#include "sluice-core.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_FIELD_EDITOR (sluice_field_editor_get_type ())
G_DECLARE_FINAL_TYPE (SluiceFieldEditor, sluice_field_editor, SLUICE, FIELD_EDITOR, GtkBox)

/* The editor of one configuration field, made from its SluiceConfigField:
 * an entry row (STRING, STRINGS), a spin button (INTEGER), a switch
 * (BOOLEAN), a combo row (ENUM, DATASET, COLUMN), check rows (COLUMNS), a
 * Spark SQL source view with completion (EXPRESSION, SQL; CODE is Python),
 * or a list of sub-forms (RECORDS, SCHEMA) — with the field's diagnostics
 * shown under it.
 *
 * It never writes the model: when the user has changed the value it emits
 * "committed" and the owner reads sluice_field_editor_get_value(). Entries
 * commit on activation or when focus leaves, source views 300 ms after the
 * last keystroke, so typing is one undo step.
 *
 * @path is where the field sits in the gem ("config/condition",
 * "config/columns/2/expression"): diagnostics whose field is @path or below
 * it are this editor's. @columns and @datasets are GtkStringLists shared by
 * the form (the input's column names, the project's dataset names); the
 * editor follows their changes. */
SluiceFieldEditor       *sluice_field_editor_new          (const SluiceConfigField  *field,
                                                           const char               *path,
                                                           GtkStringList            *columns,
                                                           GtkStringList            *datasets,
                                                           SluiceCompletionProvider *completion);
/* (transfer none): static catalog data */
const SluiceConfigField *sluice_field_editor_get_field    (SluiceFieldEditor *self);
const char              *sluice_field_editor_get_path     (SluiceFieldEditor *self);
/* (transfer full) (nullable): the value as the widgets hold it; NULL when
 * the field is empty and the key should be removed */
JsonNode                *sluice_field_editor_get_value    (SluiceFieldEditor *self);
/* Shows @value (transfer none, nullable) without emitting "committed".
 * Text the user is editing is replaced only when it differs, and the
 * cursor keeps its offset. */
void                     sluice_field_editor_set_value    (SluiceFieldEditor *self,
                                                           JsonNode          *value);
/* @diagnostics: SluiceDiagnostic of the gem; the editor shows the ones
 * about its path, and hides the message when there are none. */
void                     sluice_field_editor_set_diagnostics (SluiceFieldEditor *self,
                                                              GPtrArray         *diagnostics);
/* The messages shown under the field, one per line; "" when none. */
const char              *sluice_field_editor_get_message  (SluiceFieldEditor *self);
/* Commits an edit still waiting for its idle timeout. */
void                     sluice_field_editor_flush        (SluiceFieldEditor *self);
/* (transfer none): the widget that edits the value (AdwEntryRow,
 * GtkSpinButton, GtkSwitch, AdwComboRow, AdwExpanderRow, GtkSourceView or
 * SluiceRecordsEditor), for tests and accessibility relations */
GtkWidget               *sluice_field_editor_get_input    (SluiceFieldEditor *self);

/* Whether a diagnostic about @field belongs to an editor at @path. */
gboolean                 sluice_field_path_claims         (const char        *path,
                                                           const char        *field);
/* (transfer full): the diagnostic's message without the "gem “id”, field: "
 * prefix the inspector already makes obvious */
char                    *sluice_field_describe_diagnostic (SluiceDiagnostic  *diagnostic);

G_END_DECLS
