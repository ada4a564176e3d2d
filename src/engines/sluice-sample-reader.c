#define G_LOG_DOMAIN "sluice-sample-reader"

#include "config.h"

#include <math.h>

#include <errno.h>
#include <string.h>
#include <sys/stat.h>

#include <glib/gi18n-lib.h>
#include <glib/gstdio.h>

#include "sluice-csv-private.h"
#include "sluice-datetime-private.h"
#include "sluice-engine-error.h"
#include "sluice-sample-reader.h"
#include "sluice-sample-reader-private.h"
#include "sluice-sqlite.h"

static char *
quote_identifier (const char *name)
{
  GString *s = g_string_new ("\"");

  for (const char *p = name; *p; p++)
    {
      if (*p == '"')
        g_string_append_c (s, '"');
      g_string_append_c (s, *p);
    }
  g_string_append_c (s, '"');
  return g_string_free (s, FALSE);
}

static gboolean
sql_error (sqlite3     *db,
           const char  *path,
           GError     **error)
{
  g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED, "%s: %s", path, sqlite3_errmsg (db));
  return FALSE;
}

/* The value as the message shows it: valid UTF-8, at most 40 characters. */
char *
_sluice_sample_shown (const char *s,
                      gsize       len)
{
  g_autofree char *valid = g_utf8_make_valid (s, MIN (len, 160));

  if (g_utf8_strlen (valid, -1) > 40)
    {
      char *end = g_utf8_offset_to_pointer (valid, 40);
      return g_strdup_printf ("%.*s…", (int) (end - valid), valid);
    }
  return g_steal_pointer (&valid);
}

gboolean
_sluice_sample_value_error (SluiceSampleLoad         *l,
                            const SluiceSamplePlace  *at,
                            guint                     column,
                            GError                  **error,
                            const char               *format,
                            ...)
{
  g_autofree char *what = NULL;
  va_list args;

  va_start (args, format);
  what = g_strdup_vprintf (format, args);
  va_end (args);
  g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA,
               /* TRANSLATORS: path:line:column: column “name”: what is wrong */
               _("%s:%u:%u: column “%s”: %s"), l->path, at->line,
               _sluice_csv_column (at->line_start, at->pos), l->columns[column].name, what);
  return FALSE;
}

/* 0 an integer, 1 not one, 2 out of 64-bit range. */
int
_sluice_sample_parse_int64 (const char *s,
                            gsize       len,
                            gint64     *out)
{
  gboolean neg = FALSE;
  guint64 v = 0;
  gsize i = 0;

  if (len > 0 && (s[0] == '-' || s[0] == '+'))
    {
      neg = s[0] == '-';
      i = 1;
    }
  if (i == len)
    return 1;
  /* 18 digits cannot overflow: no division per digit for them */
  for (gsize short_end = MIN (len, i + 18); i < short_end; i++)
    {
      guint c = (guchar) s[i] - '0';
      if (c > 9)
        return 1;
      v = v * 10 + c;
    }
  for (; i < len; i++)
    {
      guint c = (guchar) s[i] - '0';
      if (c > 9)
        return 1;
      if (v > (G_MAXUINT64 - c) / 10)
        return 2;
      v = v * 10 + c;
    }
  if (neg ? v > (guint64) G_MAXINT64 + 1 : v > (guint64) G_MAXINT64)
    return 2;
  *out = neg ? (gint64) (0 - v) : (gint64) v;
  return 0;
}

/* Clinger's fast path: at most 15 digits and a power of ten up to 10^22
 * are exact doubles, so one division rounds correctly. FALSE when the text
 * is not that simple (strtod decides). */
static gboolean
parse_simple_decimal (const char *s,
                      gsize       len,
                      double     *out)
{
  static const double pow10[] = { 1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11,
                                  1e12, 1e13, 1e14, 1e15 };
  gint64 mantissa = 0;
  gsize i = 0, digits = 0, frac = 0;
  gboolean neg = FALSE, dot = FALSE;

  if (len > 0 && (s[0] == '-' || s[0] == '+'))
    {
      neg = s[0] == '-';
      i++;
    }
  for (; i < len; i++)
    {
      if (s[i] == '.' && !dot)
        dot = TRUE;
      else if (g_ascii_isdigit (s[i]))
        {
          mantissa = mantissa * 10 + (s[i] - '0');
          if (++digits > 15)
            return FALSE;
          frac += dot;
        }
      else
        return FALSE;
    }
  if (digits == 0 || (dot && frac == 0))
    return FALSE;
  *out = (neg ? -(double) mantissa : (double) mantissa) / pow10[frac];
  return TRUE;
}

gboolean
_sluice_sample_parse_double (const char *s,
                             gsize       len,
                             double     *out)
{
  char buf[64];
  char *end;

  if (parse_simple_decimal (s, len, out))
    return TRUE;

  /* strtod would take leading blanks and hexadecimal; Spark takes neither. */
  if (len == 0 || len >= sizeof buf || g_ascii_isspace (s[0]) || memchr (s, 'x', len) || memchr (s, 'X', len))
    return FALSE;
  memcpy (buf, s, len);
  buf[len] = '\0';
  *out = g_ascii_strtod (buf, &end);
  return end == buf + len;
}

gboolean
_sluice_sample_is_double (const char *s,
                          gsize       len)
{
  gsize i = 0, digits = 0;
  double unused;

  /* strtod's decimal grammar, which is what it accepts of a string under
   * 64 bytes that has no blank in front and no x: [sign] (digits [. digits*]
   * | . digits) [e [sign] digits]. */
  if (len == 0 || len >= 64)
    return FALSE;
  if (s[0] == '-' || s[0] == '+')
    i++;
  /* Infinity and NaN in their spellings: strtod decides */
  if (i < len && g_ascii_isalpha (s[i]))
    return _sluice_sample_parse_double (s, len, &unused);
  for (; i < len && g_ascii_isdigit (s[i]); i++)
    digits++;
  if (i < len && s[i] == '.')
    for (i++; i < len && g_ascii_isdigit (s[i]); i++)
      digits++;
  if (digits == 0)
    return FALSE;
  if (i < len && (s[i] == 'e' || s[i] == 'E'))
    {
      gsize exp_digits = 0;

      i++;
      if (i < len && (s[i] == '-' || s[i] == '+'))
        i++;
      for (; i < len && g_ascii_isdigit (s[i]); i++)
        exp_digits++;
      if (exp_digits == 0)
        return FALSE;
    }
  return i == len;
}

/* @s (a valid decimal literal with more than @t.scale fraction digits)
 * rounded half away from zero to @t.scale digits, as Spark's HALF_UP,
 * on the digits themselves: 1.235 is 1.24 although the double 1.235 is
 * below it. 0, or 2 when rounding up makes it too long for @t. */
static int
round_decimal (const char    *s,
               gsize          len,
               SluiceSqlType  t,
               double        *out)
{
  gboolean negative = s[0] == '-';
  gsize sign = s[0] == '-' || s[0] == '+';
  const char *point = memchr (s, '.', len);   /* there: it has fraction digits */
  gsize int_len = point - (s + sign);
  g_autoptr(GString) digits = g_string_new_len (s + sign, int_len);   /* kept digits, no point */
  gboolean up = point[1 + t.scale] >= '5';
  gsize significant;

  g_string_append_len (digits, point + 1, t.scale);
  for (gsize k = digits->len; up && k > 0; k--)
    {
      up = digits->str[k - 1] == '9';
      digits->str[k - 1] = up ? '0' : digits->str[k - 1] + 1;
    }
  if (up)
    {
      g_string_prepend_c (digits, '1');
      int_len++;
    }
  significant = int_len;
  for (gsize k = 0; k < int_len && digits->str[k] == '0'; k++)
    significant--;
  if (significant > (gsize) (t.precision - t.scale))
    return 2;
  if (t.scale > 0)
    g_string_insert_c (digits, int_len, '.');
  if (negative)
    g_string_prepend_c (digits, '-');
  *out = g_ascii_strtod (digits->str, NULL);
  return 0;
}

/* A decimal literal whose integer digits fit @t (more fraction digits are
 * rounded, as Spark does); 0 fits, 1 not a number, 2 too many digits. */
int
_sluice_sample_parse_decimal (const char    *s,
                              gsize          len,
                              SluiceSqlType  t,
                              double        *out)
{
  gsize i = 0, int_digits = 0, digits = 0, frac_digits = 0;
  gboolean leading = TRUE;

  if (len > 0 && (s[0] == '-' || s[0] == '+'))
    i++;
  for (; i < len && g_ascii_isdigit (s[i]); i++, digits++)
    if (!(leading && s[i] == '0'))
      {
        leading = FALSE;
        int_digits++;
      }
  if (i < len && s[i] == '.')
    for (i++; i < len && g_ascii_isdigit (s[i]); i++, frac_digits++)
      digits++;
  if (i != len || digits == 0 || !_sluice_sample_parse_double (s, len, out))
    return 1;
  if (int_digits > (gsize) (t.precision - t.scale))
    return 2;
  if (frac_digits > t.scale)
    return round_decimal (s, len, t, out);
  return 0;
}

gboolean
_sluice_sample_parse_boolean (const char *s,
                              gsize       len,
                              gboolean   *out)
{
  if ((len == 4 && g_ascii_strncasecmp (s, "true", 4) == 0) || (len == 1 && s[0] == '1'))
    *out = TRUE;
  else if ((len == 5 && g_ascii_strncasecmp (s, "false", 5) == 0) || (len == 1 && s[0] == '0'))
    *out = FALSE;
  else
    return FALSE;
  return TRUE;
}

gboolean
_sluice_sample_parse_date (const SluiceCsvOptions *csv,
                           const char             *s,
                           gsize                   len,
                           SluiceDateTime         *dt)
{
  if (csv->date_format)
    return _sluice_datetime_parse_pattern (s, len, csv->date_format, dt);
  return len == 10 && _sluice_datetime_parse (s, len, dt);
}

gboolean
_sluice_sample_parse_timestamp (const SluiceCsvOptions *csv,
                                const char             *s,
                                gsize                   len,
                                SluiceDateTime         *dt)
{
  if (csv->timestamp_format)
    return _sluice_datetime_parse_pattern (s, len, csv->timestamp_format, dt);
  return _sluice_datetime_parse (s, len, dt);
}

/* Converts and binds one value of column @i; NULL when @is_null. */
gboolean
_sluice_sample_bind_value (SluiceSampleLoad         *l,
                           guint                     i,
                           const char               *s,
                           gsize                     len,
                           gboolean                  is_null,
                           const SluiceSamplePlace  *at,
                           GError                  **error)
{
  SluiceSampleColumn *c = &l->columns[i];
  sqlite3_stmt *stmt = l->insert;
  int p = i + 1;

  /* Spark reads an empty field of a non-string column as NULL. */
  if (is_null || (len == 0 && c->type.kind != SLUICE_SQL_STRING))
    {
      if (!c->nullable)
        return _sluice_sample_value_error (l, at, i, error, _("a NULL in a column that is not nullable"));
      sqlite3_bind_null (stmt, p);
      return TRUE;
    }

  switch (c->type.kind)
    {
    case SLUICE_SQL_INT:
    case SLUICE_SQL_BIGINT:
      {
        const char *type_name = c->type.kind == SLUICE_SQL_INT ? "int" : "bigint";
        gint64 v = 0;
        int rc = _sluice_sample_parse_int64 (s, len, &v);
        g_autofree char *text = NULL;

        if (rc == 0 && c->type.kind == SLUICE_SQL_INT && (v < G_MININT32 || v > G_MAXINT32))
          rc = 2;
        if (rc != 0)
          {
            text = _sluice_sample_shown (s, len);
            return rc == 1 ? _sluice_sample_value_error (l, at, i, error, _("“%s” is not an %s"), text, type_name)
                           : _sluice_sample_value_error (l, at, i, error, _("“%s” is out of range for %s"), text, type_name);
          }
        sqlite3_bind_int64 (stmt, p, v);
      }
      return TRUE;

    case SLUICE_SQL_DOUBLE:
      {
        double v;
        if (!_sluice_sample_parse_double (s, len, &v))
          {
            g_autofree char *text = _sluice_sample_shown (s, len);
            return _sluice_sample_value_error (l, at, i, error, _("“%s” is not a double"), text);
          }
        sqlite3_bind_double (stmt, p, v);
      }
      return TRUE;

    case SLUICE_SQL_DECIMAL:
      {
        double v = 0;
        int rc = _sluice_sample_parse_decimal (s, len, c->type, &v);
        if (rc != 0)
          {
            g_autofree char *text = _sluice_sample_shown (s, len);
            return _sluice_sample_value_error (l, at, i, error, rc == 1 ? _("“%s” is not a decimal(%u,%u)")
                                                         : _("“%s” does not fit decimal(%u,%u)"),
                                text, c->type.precision, c->type.scale);
          }
        sqlite3_bind_double (stmt, p, v);
      }
      return TRUE;

    case SLUICE_SQL_BOOLEAN:
      {
        gboolean v;
        if (!_sluice_sample_parse_boolean (s, len, &v))
          {
            g_autofree char *text = _sluice_sample_shown (s, len);
            return _sluice_sample_value_error (l, at, i, error, _("“%s” is not a boolean"), text);
          }
        sqlite3_bind_int (stmt, p, v);
      }
      return TRUE;

    case SLUICE_SQL_DATE:
      {
        SluiceDateTime dt;
        if (!_sluice_sample_parse_date (&l->csv, s, len, &dt))
          {
            g_autofree char *text = _sluice_sample_shown (s, len);
            return _sluice_sample_value_error (l, at, i, error, _("“%s” is not a date"), text);
          }
        /* an ISO date is already in the stored form */
        if (l->csv.date_format == NULL)
          sqlite3_bind_text (stmt, p, s, len, SQLITE_STATIC);
        else
          sqlite3_bind_text (stmt, p, c->buf, _sluice_datetime_format_date (&dt, c->buf), SQLITE_STATIC);
      }
      return TRUE;

    case SLUICE_SQL_TIMESTAMP:
      {
        SluiceDateTime dt;
        if (!_sluice_sample_parse_timestamp (&l->csv, s, len, &dt))
          {
            g_autofree char *text = _sluice_sample_shown (s, len);
            return _sluice_sample_value_error (l, at, i, error, _("“%s” is not a timestamp"), text);
          }
        sqlite3_bind_text (stmt, p, c->buf, _sluice_datetime_format_timestamp (&dt, c->buf), SQLITE_STATIC);
      }
      return TRUE;

    case SLUICE_SQL_STRING:
    default:
      {
        if (!g_utf8_validate_len (s, len, NULL))
          return _sluice_sample_value_error (l, at, i, error, _("the text is not valid UTF-8"));
        sqlite3_bind_text (stmt, p, s, len, SQLITE_STATIC);
      }
      return TRUE;
    }
}

gboolean
_sluice_sample_step_row (sqlite3           *db,
                         SluiceSampleLoad  *l,
                         GError           **error)
{
  int rc = sqlite3_step (l->insert);

  sqlite3_reset (l->insert);
  if (rc != SQLITE_DONE)
    return sql_error (db, l->path, error);
  return TRUE;
}

gboolean
_sluice_sample_check_every (guint64              row,
                            const char          *pos,
                            const char          *data,
                            gsize                size,
                            SluiceLoadProgress   progress,
                            gpointer             user_data,
                            GCancellable        *cancellable,
                            GError             **error)
{
  if (row % CHECK_EVERY != 0)
    return TRUE;
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;
  if (progress)
    progress (pos - data, size, user_data);
  return TRUE;
}

static gboolean
load_csv (sqlite3             *db,
          SluiceSampleLoad    *l,
          const char          *data,
          gsize                size,
          SluiceLoadProgress   progress,
          gpointer             user_data,
          GCancellable        *cancellable,
          GError             **error)
{
  SluiceCsvReader r;
  gsize null_len = strlen (l->csv.null_value);
  g_autoptr(GError) local = NULL;
  gboolean ok = TRUE;
  guint64 row = 0;

  _sluice_csv_reader_init (&r, l->path, data, size, l->csv.delimiter, l->csv.quote, l->csv.escape);
  while (ok)
    {
      guint n;

      /* Stop before the next record: a preview reads no further. */
      if (l->n_rows >= l->max_rows && !(row == 0 && l->csv.header))
        break;
      if (!_sluice_csv_reader_next (&r, &local))
        {
          /* the end, or bad quoting */
          ok = local == NULL;
          if (!ok)
            g_propagate_error (error, g_steal_pointer (&local));
          break;
        }
      n = r.fields->len;
      if (n != l->n_columns)
        {
          /* point at the first field too many, or at the end of the record */
          SluiceCsvField *f = &g_array_index (r.fields, SluiceCsvField, MIN (n - 1, l->n_columns));
          SluiceSamplePlace at = { f->line, f->line_start, f->pos };

          if (n < l->n_columns)
            at = (SluiceSamplePlace) { r.end_line, r.end_line_start, r.record_end };
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA,
                       g_dngettext (GETTEXT_PACKAGE, "%s:%u:%u: expected %u field, found %u",
                                    "%s:%u:%u: expected %u fields, found %u", l->n_columns),
                       l->path, at.line, _sluice_csv_column (at.line_start, at.pos), l->n_columns, n);
          ok = FALSE;
          break;
        }
      if (row == 0 && l->csv.header)
        {
          row = 1;   /* the header: names are not checked, columns go by position */
          continue;
        }
      for (guint i = 0; i < n && ok; i++)
        {
          SluiceCsvField *f = &g_array_index (r.fields, SluiceCsvField, i);
          SluiceSamplePlace at = { f->line, f->line_start, f->pos };
          gboolean is_null = !f->quoted && f->len == null_len && memcmp (f->start, l->csv.null_value, null_len) == 0;

          ok = _sluice_sample_bind_value (l, i, f->start, f->len, is_null, &at, error);
        }
      ok = ok && _sluice_sample_step_row (db, l, error);
      l->n_rows++;
      row++;
      ok = ok && _sluice_sample_check_every (row, r.pos, data, size, progress, user_data, cancellable, error);
    }
  _sluice_csv_reader_clear (&r);
  return ok;
}

static const char *
affinity (SluiceSqlType t)
{
  switch (t.kind)
    {
    case SLUICE_SQL_INT:
    case SLUICE_SQL_BIGINT:
    case SLUICE_SQL_BOOLEAN:
      return "INTEGER";
    case SLUICE_SQL_DOUBLE:
    case SLUICE_SQL_DECIMAL:
      return "REAL";
    default:
      return "TEXT";
    }
}

/* What the bookkeeping compares besides the file: everything that changes
 * how the file reads. */
static char *
signature (SluiceDataset *dataset)
{
  g_autoptr(JsonNode) options = json_node_init_object (json_node_alloc (), sluice_dataset_get_options (dataset));
  g_autofree char *text = json_to_string (options, FALSE);
  GString *s = g_string_new (sluice_dataset_get_format (dataset));

  g_string_append_printf (s, "\n%s\n", text);
  for (guint i = 0; i < sluice_dataset_get_n_columns (dataset); i++)
    g_string_append_printf (s, "%s\t%s\t%d\n", sluice_dataset_get_column_name (dataset, i),
                            sluice_dataset_get_column_type (dataset, i),
                            sluice_dataset_get_column_nullable (dataset, i));
  return g_string_free (s, FALSE);
}

static gboolean
already_loaded (sqlite3    *db,
                const char *name,
                const char *path,
                gint64      size,
                gint64      mtime,
                const char *sig)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db,
                          "SELECT 1 FROM \"main\".\"sluice_samples\" AS s"
                          " JOIN \"main\".sqlite_schema AS t ON t.type = 'table' AND t.name = s.name"
                          " WHERE s.name = ?1 AND s.path = ?2 AND s.size = ?3 AND s.mtime = ?4 AND s.signature = ?5",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, size);
  sqlite3_bind_int64 (stmt, 4, mtime);
  sqlite3_bind_text (stmt, 5, sig, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_ROW;
}

static gboolean
record_load (sqlite3    *db,
             const char *name,
             const char *path,
             gint64      size,
             gint64      mtime,
             const char *sig)
{
  g_autoptr(sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "INSERT OR REPLACE INTO \"main\".\"sluice_samples\" VALUES (?1, ?2, ?3, ?4, ?5)",
                          -1, &stmt, NULL) != SQLITE_OK)
    return FALSE;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 2, path, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 3, size);
  sqlite3_bind_int64 (stmt, 4, mtime);
  sqlite3_bind_text (stmt, 5, sig, -1, SQLITE_STATIC);
  return sqlite3_step (stmt) == SQLITE_DONE;
}

/* Creates the table and the INSERT into it, inside the savepoint. */
static gboolean
create_table (sqlite3           *db,
              SluiceSampleLoad  *l,
              const char        *name,
              sqlite3_stmt     **insert,
              GError           **error)
{
  g_autofree char *table = quote_identifier (name);
  g_autoptr(GString) create = g_string_new (NULL);
  g_autoptr(GString) ins = g_string_new (NULL);

  g_string_printf (create, "DROP TABLE IF EXISTS \"main\".%s; CREATE TABLE \"main\".%s (", table, table);
  g_string_printf (ins, "INSERT INTO \"main\".%s VALUES (", table);
  for (guint i = 0; i < l->n_columns; i++)
    {
      g_autofree char *col = quote_identifier (l->columns[i].name);
      g_string_append_printf (create, "%s%s %s", i ? ", " : "", col, affinity (l->columns[i].type));
      g_string_append_printf (ins, "%s?", i ? ", " : "");
    }
  g_string_append (create, ")");
  g_string_append (ins, ")");
  if (sqlite3_exec (db, create->str, NULL, NULL, NULL) != SQLITE_OK
      || sqlite3_prepare_v3 (db, ins->str, -1, SQLITE_PREPARE_PERSISTENT, insert, NULL) != SQLITE_OK)
    return sql_error (db, l->path, error);
  return TRUE;
}

/* sluice_sample_load, or with @max_rows < G_MAXUINT64 and no bookkeeping
 * (@bookkeeping FALSE) _sluice_sample_load_rows. */
static gboolean
load (sqlite3             *db,
      SluiceDataset       *dataset,
      const char          *project_dir,
      gboolean             bookkeeping,
      guint64              max_rows,
      guint64             *n_rows,
      SluiceLoadProgress   progress,
      gpointer             user_data,
      GCancellable        *cancellable,
      gboolean            *reused,
      GError             **error)
{
  const char *sample, *format, *name;
  g_autofree char *file = NULL;
  g_autofree char *sig = NULL;
  g_autofree SluiceSampleColumn *columns = NULL;
  g_autoptr(GMappedFile) map = NULL;
  g_autoptr(sqlite3_stmt) insert = NULL;
  g_autoptr(GError) local = NULL;
  SluiceSampleLoad l = { 0 };
  struct stat st;
  const char *data;
  gsize size;
  gint64 mtime;
  gboolean ok;

  if (reused)
    *reused = FALSE;
  if (n_rows)
    *n_rows = 0;
  l.max_rows = max_rows;
  name = sluice_dataset_get_name (dataset);
  sample = sluice_dataset_get_sample (dataset);
  format = sluice_dataset_get_format (dataset);
  if (sample == NULL)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("dataset “%s” has no sample file"), name);
      return FALSE;
    }
  l.path = sample;
  if (!g_str_equal (format, "csv") && !g_str_equal (format, "jsonl"))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the local engine reads CSV and JSON-lines samples, not %s"), sample, format);
      return FALSE;
    }
  if (g_str_equal (format, "csv") && !_sluice_csv_options_read (sluice_dataset_get_options (dataset), &l.csv, error))
    {
      g_prefix_error (error, "%s: ", sample);
      return FALSE;
    }
  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return FALSE;

  file = g_build_filename (project_dir, sample, NULL);
  if (g_stat (file, &st) != 0)
    {
      int saved = errno;
      g_set_error (error, G_IO_ERROR, g_io_error_from_errno (saved), "%s: %s", sample, g_strerror (saved));
      return FALSE;
    }
  mtime = (gint64) st.st_mtim.tv_sec * G_GINT64_CONSTANT (1000000000) + st.st_mtim.tv_nsec;
  sig = signature (dataset);
  if (bookkeeping
      && sqlite3_exec (db, "CREATE TABLE IF NOT EXISTS \"main\".\"sluice_samples\" (name TEXT PRIMARY KEY,"
                           " path TEXT NOT NULL, size INTEGER NOT NULL, mtime INTEGER NOT NULL, signature TEXT NOT NULL)",
                       NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (db, sample, error);
  if (bookkeeping && already_loaded (db, name, sample, st.st_size, mtime, sig))
    {
      if (reused)
        *reused = TRUE;
      return TRUE;
    }

  l.n_columns = sluice_dataset_get_n_columns (dataset);
  l.columns = columns = g_new0 (SluiceSampleColumn, MAX (l.n_columns, 1));
  for (guint i = 0; i < l.n_columns; i++)
    {
      columns[i].name = sluice_dataset_get_column_name (dataset, i);
      columns[i].nullable = sluice_dataset_get_column_nullable (dataset, i);
      if (!sluice_sql_type_parse (sluice_dataset_get_column_type (dataset, i), &columns[i].type))
        columns[i].type = SLUICE_SQL_TYPE (SLUICE_SQL_STRING);
    }
  if (l.n_columns == 0)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("dataset “%s” has no columns"), name);
      return FALSE;
    }

  map = g_mapped_file_new (file, FALSE, &local);
  if (map == NULL)
    {
      g_set_error (error, local->domain, local->code, "%s: %s", sample, g_strerror (errno ? errno : EIO));
      return FALSE;
    }
  data = g_mapped_file_get_contents (map);
  size = g_mapped_file_get_length (map);
  if (data == NULL)
    data = "";

  if (sqlite3_exec (db, "SAVEPOINT sluice_sample_load", NULL, NULL, NULL) != SQLITE_OK)
    return sql_error (db, sample, error);
  ok = create_table (db, &l, name, &insert, error);
  l.insert = insert;
  if (ok)
    ok = g_str_equal (format, "csv")
           ? load_csv (db, &l, data, size, progress, user_data, cancellable, error)
           : _sluice_sample_load_jsonl (db, &l, data, size, progress, user_data, cancellable, error);
  if (ok && bookkeeping && !record_load (db, name, sample, st.st_size, mtime, sig))
    ok = sql_error (db, sample, error);
  g_clear_pointer (&insert, sqlite3_finalize);
  if (!ok)
    {
      sqlite3_exec (db, "ROLLBACK TO sluice_sample_load; RELEASE sluice_sample_load", NULL, NULL, NULL);
      return FALSE;
    }
  if (sqlite3_exec (db, "RELEASE sluice_sample_load", NULL, NULL, NULL) != SQLITE_OK)
    {
      sql_error (db, sample, error);
      sqlite3_exec (db, "ROLLBACK TO sluice_sample_load; RELEASE sluice_sample_load", NULL, NULL, NULL);
      return FALSE;
    }
  if (progress)
    progress (size, size, user_data);
  if (n_rows)
    *n_rows = l.n_rows;
  return TRUE;
}

gboolean
sluice_sample_load (sqlite3             *db,
                    SluiceDataset       *dataset,
                    const char          *project_dir,
                    SluiceLoadProgress   progress,
                    gpointer             user_data,
                    GCancellable        *cancellable,
                    gboolean            *reused,
                    GError             **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (SLUICE_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (project_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return load (db, dataset, project_dir, TRUE, G_MAXUINT64, NULL, progress, user_data, cancellable,
               reused, error);
}

gboolean
_sluice_sample_load_rows (sqlite3        *db,
                          SluiceDataset  *dataset,
                          const char     *project_dir,
                          guint64         max_rows,
                          guint64        *n_rows,
                          GCancellable   *cancellable,
                          GError        **error)
{
  g_return_val_if_fail (db != NULL, FALSE);
  g_return_val_if_fail (SLUICE_IS_DATASET (dataset), FALSE);
  g_return_val_if_fail (project_dir != NULL, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  return load (db, dataset, project_dir, FALSE, max_rows, n_rows, NULL, NULL, cancellable, NULL, error);
}
