#pragma once

#include <glib.h>

#include "sluice-expr.h"
#include "sluice-function.h"

G_BEGIN_DECLS

/* Writing expressions in each dialect, with identifiers and literals always
 * quoted by that dialect's own rules, so that no column name or value can
 * break the generated code or inject into it. */

/* Spark: `name` (backticks doubled). Snowflake: "NAME" (folded to upper
 * case, as Snowflake folds unquoted names; double quotes doubled). SQLite:
 * "name" (double quotes doubled). */
char *sluice_sql_quote_identifier (SluiceDialect  dialect,
                                   const char    *name);
/* The same, appended to @out without a temporary (code generation writes
 * megabytes of them). */
void  sluice_sql_append_identifier (GString       *out,
                                    SluiceDialect  dialect,
                                    const char    *name);
void  sluice_sql_append_string     (GString       *out,
                                    SluiceDialect  dialect,
                                    const char    *value);
void  sluice_python_append_string  (GString       *out,
                                    const char    *value);
/* Spark and Snowflake: '…' with backslash escapes (both read them);
 * SQLite: '…' with quotes doubled and no escapes. */
char *sluice_sql_quote_string     (SluiceDialect  dialect,
                                   const char    *value);
/* A Sluice column type ("decimal(10,2)") as @dialect spells it. */
char *sluice_sql_type_name        (SluiceDialect  dialect,
                                   const char    *type);
/* A Python string literal that ast.literal_eval reads back unchanged. */
char *sluice_python_quote_string  (const char    *value);

/* The expression in @dialect, or NULL and @error naming what the dialect
 * cannot express. @qualify maps an input qualifier ("in0") to the name the
 * SQL uses for it (a CTE alias); NULL drops qualifiers. */
typedef const char *(*SluiceQualifierMap) (const char *qualifier,
                                           gpointer    user_data);

char *sluice_sql_write_expr       (SluiceExpr          *expr,
                                   SluiceDialect        dialect,
                                   SluiceQualifierMap   qualify,
                                   gpointer             user_data,
                                   GError             **error);

/* Like sluice_sql_write_expr(), for gems that shape aggregates and windows:
 * @aggregate_filter (nullable) wraps every aggregate's arguments in
 * CASE WHEN filter THEN arg END (pivoting); @window (nullable) is the
 * OVER (…) clause given to window and aggregate calls that have none;
 * @frame (nullable), a frame clause added to that for aggregate calls. */
char *sluice_sql_write_expr_full  (SluiceExpr          *expr,
                                   SluiceDialect        dialect,
                                   SluiceQualifierMap   qualify,
                                   gpointer             user_data,
                                   const char          *aggregate_filter,
                                   const char          *window,
                                   const char          *frame,
                                   GError             **error);

/* Like sluice_sql_write_expr_full(), appended to @out; on FALSE (and
 * @error) @out is as it was. */
gboolean sluice_sql_append_expr   (GString             *out,
                                   SluiceExpr          *expr,
                                   SluiceDialect        dialect,
                                   SluiceQualifierMap   qualify,
                                   gpointer             user_data,
                                   const char          *aggregate_filter,
                                   const char          *window,
                                   const char          *frame,
                                   GError             **error);

/* The frame clause of a Window gem's config ("ROWS BETWEEN … AND …"), or
 * NULL for the default frame. The resolver has checked the values. */
char *sluice_sql_window_frame     (const char          *frame,
                                   const char          *start,
                                   const char          *end);

G_END_DECLS
