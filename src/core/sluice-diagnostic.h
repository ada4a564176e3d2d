#pragma once

#include <glib-object.h>

#include "sluice-core-types.h"

G_BEGIN_DECLS

#define SLUICE_TYPE_DIAGNOSTIC (sluice_diagnostic_get_type ())
G_DECLARE_FINAL_TYPE (SluiceDiagnostic, sluice_diagnostic, SLUICE, DIAGNOSTIC, GObject)

/* One problem, anchored to a file position when one is known (line and
 * column are 1-based; 0 means unknown) and to a gem and field when it is
 * about one. */
SluiceDiagnostic *sluice_diagnostic_new        (SluiceSeverity    severity,
                                                const char       *file,
                                                guint             line,
                                                guint             column,
                                                const char       *message);
SluiceSeverity    sluice_diagnostic_get_severity (SluiceDiagnostic *self);
const char       *sluice_diagnostic_get_file     (SluiceDiagnostic *self);
guint             sluice_diagnostic_get_line     (SluiceDiagnostic *self);
guint             sluice_diagnostic_get_column   (SluiceDiagnostic *self);
const char       *sluice_diagnostic_get_message  (SluiceDiagnostic *self);
const char       *sluice_diagnostic_get_gem_id   (SluiceDiagnostic *self);
const char       *sluice_diagnostic_get_field    (SluiceDiagnostic *self);
void              sluice_diagnostic_set_subject  (SluiceDiagnostic *self,
                                                  const char       *gem_id,
                                                  const char       *field);
/* "FILE:LINE:COL: error: MESSAGE", the form compilers use, so editors can jump to it. */
char             *sluice_diagnostic_to_string    (SluiceDiagnostic *self);
/* Orders by file, line, column, then message: stable output for the CLI and tests. */
int               sluice_diagnostic_compare      (gconstpointer     a,
                                                  gconstpointer     b);

G_END_DECLS
