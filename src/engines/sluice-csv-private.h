#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* An RFC 4180 record reader over a buffer in memory (a mapped file):
 * quoted fields may hold delimiters, newlines and doubled quotes; records
 * end with LF or CRLF; a leading UTF-8 BOM is skipped. Fields point into
 * the buffer, or into the reader's scratch space when a quoted field had
 * to be unescaped, and stay valid until the next record. */

typedef struct
{
  const char *start;        /* borrowed */
  gsize       len;
  gboolean    quoted;
  guint       line;         /* 1-based physical line of the field's start */
  const char *line_start;   /* borrowed: the start of that line, for columns */
  const char *pos;          /* borrowed: where the field starts in the buffer */
} SluiceCsvField;

typedef struct
{
  const char *path;         /* borrowed: as the project writes it, for messages */
  const char *data;         /* borrowed */
  const char *end;
  const char *pos;
  char        delimiter;
  int         quote;        /* -1: no quoting */
  int         escape;       /* == quote: doubled quotes (RFC 4180) */
  guint       line;
  const char *line_start;
  const char *record_end;   /* where the last record's line break is */
  guint       end_line;     /* and its physical line */
  const char *end_line_start;
  GArray     *fields;       /* owned: SluiceCsvField */
  guint       capacity;     /* fields the array holds without growing */
  GByteArray *scratch;      /* owned */
} SluiceCsvReader;

void     _sluice_csv_reader_init  (SluiceCsvReader  *r,
                                   const char       *path,
                                   const char       *data,
                                   gsize             len,
                                   char              delimiter,
                                   int               quote,
                                   int               escape);
void     _sluice_csv_reader_clear (SluiceCsvReader  *r);
/* The next record in r->fields: TRUE, or FALSE at the end (no error) or
 * on an unterminated quote or text after a closing quote (*error set,
 * SLUICE_ENGINE_ERROR_DATA). Empty lines are skipped. */
gboolean _sluice_csv_reader_next  (SluiceCsvReader  *r,
                                   GError          **error);
/* 1-based character column of @p on the line starting at @line_start. */
guint    _sluice_csv_column       (const char       *line_start,
                                   const char       *p);
/* Reads the CSV options a dataset can carry (delimiter, quote, escape,
 * null_value, header, date_format, timestamp_format). */
typedef struct
{
  char        delimiter;
  int         quote;
  int         escape;
  const char *null_value;         /* borrowed */
  gboolean    header;
  const char *date_format;        /* borrowed, nullable */
  const char *timestamp_format;   /* borrowed, nullable */
} SluiceCsvOptions;

gboolean _sluice_csv_options_read (gpointer          json_object,
                                   SluiceCsvOptions *out,
                                   GError          **error);

G_END_DECLS
