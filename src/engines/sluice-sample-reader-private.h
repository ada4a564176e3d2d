#pragma once

#include <sqlite3.h>

#include "sluice-csv-private.h"
#include "sluice-datetime-private.h"
#include "sluice-sample-reader.h"

G_BEGIN_DECLS

/* Shared by the CSV and JSON-lines halves of sluice_sample_load. */

/* Rows between two looks at the cancellable (and progress reports). */
#define CHECK_EVERY 4096

typedef struct
{
  const char    *name;      /* borrowed from the dataset */
  SluiceSqlType  type;
  gboolean       nullable;
  char           buf[32];   /* a normalized date or timestamp, bound STATIC */
} SluiceSampleColumn;

typedef struct
{
  const char       *path;        /* borrowed: as the project writes it */
  SluiceSampleColumn           *columns;     /* owned */
  guint             n_columns;
  sqlite3_stmt     *insert;      /* borrowed */
  SluiceCsvOptions  csv;
  guint64           max_rows;    /* data rows to load; G_MAXUINT64: all */
  guint64           n_rows;      /* loaded so far */
} SluiceSampleLoad;

/* Where a value starts, for messages. */
typedef struct
{
  guint       line;
  const char *line_start;
  const char *pos;
} SluiceSamplePlace;

/* The loader's rules for one value that is not NULL, shared with schema
 * inference so that a value inferred as a type loads as that type. */
/* 0 an integer, 1 not one, 2 out of 64-bit range */
int      _sluice_sample_parse_int64     (const char  *s,
                                         gsize        len,
                                         gint64      *out);
/* as Spark reads a double: no blanks, no hexadecimal */
gboolean _sluice_sample_parse_double    (const char  *s,
                                         gsize        len,
                                         double      *out);
/* Exactly when _sluice_sample_parse_double () would accept @s, without
 * computing the value (for inference; a test holds the two together). */
gboolean _sluice_sample_is_double       (const char  *s,
                                         gsize        len);
/* 0 fits @t, 1 not a number, 2 too many digits */
int      _sluice_sample_parse_decimal   (const char  *s,
                                         gsize        len,
                                         SluiceSqlType t,
                                         double      *out);
/* true/false in any case, 1/0 */
gboolean _sluice_sample_parse_boolean   (const char  *s,
                                         gsize        len,
                                         gboolean    *out);
/* yyyy-MM-dd, or @csv's date_format */
gboolean _sluice_sample_parse_date      (const SluiceCsvOptions *csv,
                                         const char  *s,
                                         gsize        len,
                                         SluiceDateTime *dt);
/* yyyy-MM-dd[ HH:mm[:ss[.f…]]], or @csv's timestamp_format */
gboolean _sluice_sample_parse_timestamp (const SluiceCsvOptions *csv,
                                         const char  *s,
                                         gsize        len,
                                         SluiceDateTime *dt);
/* A value as a message shows it: valid UTF-8, at most 40 characters.
 * (transfer full) */
char    *_sluice_sample_shown           (const char  *s,
                                         gsize        len);
/* The column of a json-glib parse error ("<data>:LINE:COL: …"), 1 if none. */
guint    _sluice_sample_json_error_column (const GError *e);

gboolean _sluice_sample_value_error (SluiceSampleLoad        *l,
                                     const SluiceSamplePlace *at,
                                     guint        column,
                                     GError     **error,
                                     const char  *format,
                                     ...) G_GNUC_PRINTF (5, 6);
/* Converts and binds one value of column @i; NULL when @is_null. */
gboolean _sluice_sample_bind_value  (SluiceSampleLoad        *l,
                                     guint        i,
                                     const char  *s,
                                     gsize        len,
                                     gboolean     is_null,
                                     const SluiceSamplePlace *at,
                                     GError     **error);
gboolean _sluice_sample_step_row    (sqlite3     *db,
                                     SluiceSampleLoad        *l,
                                     GError     **error);
/* Every CHECK_EVERY rows: the cancellable, then progress. */
gboolean _sluice_sample_check_every (guint64             row,
                                     const char         *pos,
                                     const char         *data,
                                     gsize               size,
                                     SluiceLoadProgress  progress,
                                     gpointer            user_data,
                                     GCancellable       *cancellable,
                                     GError            **error);
gboolean _sluice_sample_load_jsonl  (sqlite3            *db,
                                     SluiceSampleLoad               *l,
                                     const char         *data,
                                     gsize               size,
                                     SluiceLoadProgress  progress,
                                     gpointer            user_data,
                                     GCancellable       *cancellable,
                                     GError            **error);

/* Like sluice_sample_load, but into a table of its own name in @db with at
 * most @max_rows rows, reading no further into the file than those rows
 * need, and with no bookkeeping (the table is not the whole sample): for
 * previews into a scratch connection. *n_rows (nullable): the rows loaded. */
gboolean _sluice_sample_load_rows   (sqlite3            *db,
                                     SluiceDataset      *dataset,
                                     const char         *project_dir,
                                     guint64             max_rows,
                                     guint64            *n_rows,
                                     GCancellable       *cancellable,
                                     GError            **error);

G_END_DECLS
