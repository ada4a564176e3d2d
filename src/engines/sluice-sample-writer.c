#define G_LOG_DOMAIN "sluice-sample-writer"

#include "config.h"

#include <errno.h>
#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sluice-atomic-file.h"
#include "sluice-csv-private.h"
#include "sluice-engine-error.h"
#include "sluice-sample-writer.h"
#include "sluice-sqlite.h"

#define CHECK_EVERY 4096

/* The shortest %.*g that reads back as @v, with ".0" on integral values as
 * SQLite prints a REAL; Spark's spelling for infinities. */
static void
append_real (GString *out,
             double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (isinf (v))
    {
      g_string_append (out, v > 0 ? "Infinity" : "-Infinity");
      return;
    }
  for (int precision = 15; precision <= 17; precision++)
    {
      g_ascii_formatd (buf, sizeof buf, precision == 15 ? "%.15g" : precision == 16 ? "%.16g" : "%.17g", v);
      if (g_ascii_strtod (buf, NULL) == v)
        break;
    }
  g_string_append (out, buf);
  if (strpbrk (buf, ".eEn") == NULL)
    g_string_append (out, ".0");
}

static void
append_csv_text (GString                *out,
                 const char             *s,
                 gsize                   len,
                 const SluiceCsvOptions *o)
{
  gboolean needs_quotes = FALSE;
  gsize null_len = strlen (o->null_value);

  /* An empty string, or one spelled like the null token, is quoted so that
   * it reads back as text rather than NULL. */
  if (len == 0 || (len == null_len && memcmp (s, o->null_value, len) == 0))
    needs_quotes = TRUE;
  for (gsize i = 0; i < len && !needs_quotes; i++)
    needs_quotes = s[i] == o->delimiter || s[i] == '\n' || s[i] == '\r'
                   || (o->quote >= 0 && s[i] == (char) o->quote);
  if (!needs_quotes || o->quote < 0)
    {
      g_string_append_len (out, s, len);
      return;
    }
  g_string_append_c (out, (char) o->quote);
  for (gsize i = 0; i < len; i++)
    {
      if (s[i] == (char) o->quote || (o->escape != o->quote && s[i] == (char) o->escape))
        g_string_append_c (out, (char) o->escape);
      g_string_append_c (out, s[i]);
    }
  g_string_append_c (out, (char) o->quote);
}

static void
append_json_string (GString    *out,
                    const char *s,
                    gsize       len)
{
  g_string_append_c (out, '"');
  for (gsize i = 0; i < len; i++)
    {
      guchar c = s[i];
      switch (c)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, c);
        }
    }
  g_string_append_c (out, '"');
}

static void
append_csv_row (GString                *out,
                sqlite3_stmt           *stmt,
                int                     n,
                const SluiceCsvOptions *o)
{
  for (int i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (out, o->delimiter);
      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_NULL:
          g_string_append (out, o->null_value);
          break;
        case SQLITE_INTEGER:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, i));
          break;
        case SQLITE_FLOAT:
          append_real (out, sqlite3_column_double (stmt, i));
          break;
        default:
          {
            const char *s = (const char *) sqlite3_column_text (stmt, i);
            append_csv_text (out, s, sqlite3_column_bytes (stmt, i), o);
          }
        }
    }
  g_string_append_c (out, '\n');
}

static void
append_json_row (GString      *out,
                 sqlite3_stmt *stmt,
                 int           n)
{
  g_string_append_c (out, '{');
  for (int i = 0; i < n; i++)
    {
      const char *name = sqlite3_column_name (stmt, i);

      if (i > 0)
        g_string_append (out, ", ");
      append_json_string (out, name, strlen (name));
      g_string_append (out, ": ");
      switch (sqlite3_column_type (stmt, i))
        {
        case SQLITE_NULL:
          g_string_append (out, "null");
          break;
        case SQLITE_INTEGER:
          g_string_append_printf (out, "%" G_GINT64_FORMAT, (gint64) sqlite3_column_int64 (stmt, i));
          break;
        case SQLITE_FLOAT:
          {
            double v = sqlite3_column_double (stmt, i);
            /* JSON has no infinities */
            if (isinf (v))
              g_string_append (out, "null");
            else
              append_real (out, v);
          }
          break;
        default:
          append_json_string (out, (const char *) sqlite3_column_text (stmt, i), sqlite3_column_bytes (stmt, i));
        }
    }
  g_string_append (out, "}\n");
}

gboolean
sluice_sample_write (sqlite3       *db,
                     const char    *select_sql,
                     const char    *format,
                     JsonObject    *options,
                     const char    *path,
                     guint64       *n_rows,
                     GCancellable  *cancellable,
                     GError       **error)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;
  g_autoptr(GString) out = NULL;
  g_autoptr(GBytes) bytes = NULL;
  g_autofree char *dir = NULL;
  SluiceCsvOptions o = { 0 };
  gboolean csv;
  guint64 rows = 0;
  int n, rc;

  g_return_val_if_fail (db != NULL && select_sql != NULL && format != NULL && path != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  if (n_rows)
    *n_rows = 0;
  csv = g_str_equal (format, "csv");
  if (!csv && !g_str_equal (format, "jsonl"))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the local engine writes CSV and JSON-lines files, not %s"), path, format);
      return FALSE;
    }
  if (csv && !_sluice_csv_options_read (options, &o, error))
    {
      g_prefix_error (error, "%s: ", path);
      return FALSE;
    }
  if (sqlite3_prepare_v2 (db, select_sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s", path, sqlite3_errmsg (db));
      return FALSE;
    }
  n = sqlite3_column_count (stmt);
  out = g_string_sized_new (64 * 1024);
  if (csv && o.header)
    {
      for (int i = 0; i < n; i++)
        {
          const char *name = sqlite3_column_name (stmt, i);
          if (i > 0)
            g_string_append_c (out, o.delimiter);
          append_csv_text (out, name, strlen (name), &o);
        }
      g_string_append_c (out, '\n');
    }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      if (csv)
        append_csv_row (out, stmt, n, &o);
      else
        append_json_row (out, stmt, n);
      if (++rows % CHECK_EVERY == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  if (rc != SQLITE_DONE)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s", path, sqlite3_errmsg (db));
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  dir = g_path_get_dirname (path);
  if (g_mkdir_with_parents (dir, 0755) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved),
                   _("%s: cannot create the folder: %s"), path, g_strerror (saved));
      return FALSE;
    }
  bytes = g_string_free_to_bytes (g_steal_pointer (&out));
  if (!sluice_atomic_write (path, bytes, cancellable, error))
    return FALSE;
  if (n_rows)
    *n_rows = rows;
  return TRUE;
}
