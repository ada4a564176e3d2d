#define G_LOG_DOMAIN "sluice-sqlite"

#include "config.h"

#include <math.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-datetime-private.h"
#include "sluice-engine-error.h"
#include "sluice-sqlite.h"
#include "sluice-sqlite-private.h"

/* The functions of Sluice's catalog (src/core/sluice-function.c) that
 * SQLite 3.40 lacks, with Spark's semantics: NULL in, NULL out; strings
 * counted in characters; dates and timestamps as ISO text. The math
 * functions (sqrt, power, ln, …) are built into Debian's libsqlite3 and are
 * not shadowed. */

#define ANY_NULL(argc, argv) _sluice_sqlite_any_null (argc, argv)

gboolean
_sluice_sqlite_any_null (int             argc,
                         sqlite3_value **argv)
{
  for (int i = 0; i < argc; i++)
    if (sqlite3_value_type (argv[i]) == SQLITE_NULL)
      return TRUE;
  return FALSE;
}

/* The argument as UTF-8 text, or NULL (and an error set on @ctx) when it
 * is not valid UTF-8. */
static const char *
text_arg (sqlite3_context *ctx,
          sqlite3_value   *value,
          int             *len)
{
  const char *s = (const char *) sqlite3_value_text (value);

  *len = sqlite3_value_bytes (value);
  if (s == NULL)
    {
      sqlite3_result_error_nomem (ctx);
      return NULL;
    }
  if (!g_utf8_validate_len (s, *len, NULL))
    {
      sqlite3_result_error (ctx, _("a string is not valid UTF-8"), -1);
      return NULL;
    }
  return s;
}

static void
result_gstring (sqlite3_context *ctx,
                GString         *s)
{
  gsize len = s->len;
  sqlite3_result_text64 (ctx, g_string_free (s, FALSE), len, g_free, SQLITE_UTF8);
}

/* --- regular expressions ------------------------------------------------ */

static void
regex_unref (void *p)
{
  g_regex_unref (p);
}

/* (transfer full) the compiled regex of argument @i, cached on the
 * statement while the argument is constant. */
static GRegex *
regex_arg (sqlite3_context  *ctx,
           sqlite3_value   **argv,
           int               i)
{
  GRegex *regex = sqlite3_get_auxdata (ctx, i);
  g_autoptr(GError) error = NULL;
  const char *pattern;
  int len;

  if (regex != NULL)
    return g_regex_ref (regex);
  if (!(pattern = text_arg (ctx, argv[i], &len)))
    return NULL;
  regex = g_regex_new (pattern, 0, 0, &error);
  if (regex == NULL)
    {
      g_autofree char *msg = g_strdup_printf (_("regular expression “%s”: %s"), pattern, error->message);
      sqlite3_result_error (ctx, msg, -1);
      return NULL;
    }
  /* SQLite may free the cached copy at once; ours is a second reference. */
  sqlite3_set_auxdata (ctx, i, g_regex_ref (regex), regex_unref);
  return regex;
}

/* X REGEXP Y calls regexp(Y, X); like Spark's RLIKE it finds a match
 * anywhere in X. */
static void
fn_regexp (sqlite3_context  *ctx,
           int               argc,
           sqlite3_value   **argv)
{
  g_autoptr(GRegex) regex = NULL;
  const char *s;
  int len;

  if (ANY_NULL (argc, argv))
    return sqlite3_result_null (ctx);
  if (!(regex = regex_arg (ctx, argv, 0)) || !(s = text_arg (ctx, argv[1], &len)))
    return;
  sqlite3_result_int (ctx, g_regex_match_full (regex, s, len, 0, 0, NULL, NULL));
}

/* Java's replacement syntax ($n, ${name}, \x for a literal x) in GRegex's
 * (\g<n>, \\). Like Matcher.appendReplacement, $12 is group 12 only when
 * the pattern has that many groups, else group 1 and a "2". */
static char *
java_replacement (const char  *rep,
                  guint        n_groups,
                  char       **error)
{
  GString *out = g_string_new (NULL);

  for (const char *p = rep; *p; p++)
    {
      if (*p == '\\')
        {
          if (p[1] == '\0')
            {
              *error = g_strdup (_("a replacement may not end with a backslash"));
              return (g_string_free (out, TRUE), NULL);
            }
          p++;
          if (*p == '\\')
            g_string_append (out, "\\\\");
          else
            g_string_append_c (out, *p);
        }
      else if (*p == '$')
        {
          if (p[1] == '{')
            {
              const char *end = strchr (p, '}');
              if (end == NULL)
                {
                  *error = g_strdup (_("a named group reference in the replacement is not closed"));
                  return (g_string_free (out, TRUE), NULL);
                }
              g_string_append (out, "\\g<");
              g_string_append_len (out, p + 2, end - p - 2);
              g_string_append_c (out, '>');
              p = end;
            }
          else if (g_ascii_isdigit (p[1]))
            {
              guint group = p[1] - '0';
              p++;
              while (g_ascii_isdigit (p[1]) && group * 10 + (p[1] - '0') <= n_groups)
                group = group * 10 + (*++p - '0');
              if (group > n_groups)
                {
                  *error = g_strdup_printf (_("the replacement refers to group %u, the pattern has %u"),
                                            group, n_groups);
                  return (g_string_free (out, TRUE), NULL);
                }
              g_string_append_printf (out, "\\g<%u>", group);
            }
          else
            {
              *error = g_strdup (_("a “$” in the replacement must be followed by a group number"));
              return (g_string_free (out, TRUE), NULL);
            }
        }
      else
        g_string_append_c (out, *p);
    }
  return g_string_free (out, FALSE);
}

static void
fn_regexp_replace (sqlite3_context  *ctx,
                   int               argc,
                   sqlite3_value   **argv)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GError) error = NULL;
  g_autofree char *rep = NULL;
  g_autofree char *reason = NULL;
  g_autofree char *result = NULL;
  const char *s, *r;
  int len, rlen;

  if (ANY_NULL (argc, argv))
    return sqlite3_result_null (ctx);
  if (!(s = text_arg (ctx, argv[0], &len)) || !(regex = regex_arg (ctx, argv, 1))
      || !(r = text_arg (ctx, argv[2], &rlen)))
    return;
  if (!(rep = java_replacement (r, g_regex_get_capture_count (regex), &reason)))
    return sqlite3_result_error (ctx, reason, -1);
  if (!(result = g_regex_replace (regex, s, len, 0, rep, 0, &error)))
    return sqlite3_result_error (ctx, error->message, -1);
  sqlite3_result_text (ctx, g_steal_pointer (&result), -1, g_free);
}

static void
fn_regexp_extract (sqlite3_context  *ctx,
                   int               argc,
                   sqlite3_value   **argv)
{
  g_autoptr(GRegex) regex = NULL;
  g_autoptr(GMatchInfo) match = NULL;
  const char *s;
  sqlite3_int64 group = 1;
  int len, start, end;

  if (ANY_NULL (argc, argv))
    return sqlite3_result_null (ctx);
  if (!(s = text_arg (ctx, argv[0], &len)) || !(regex = regex_arg (ctx, argv, 1)))
    return;
  if (argc > 2)
    group = sqlite3_value_int64 (argv[2]);
  if (group < 0 || group > g_regex_get_capture_count (regex))
    {
      g_autofree char *msg = g_strdup_printf (_("regexp_extract: the pattern has %d groups, not %lld"),
                                              g_regex_get_capture_count (regex), (long long) group);
      return sqlite3_result_error (ctx, msg, -1);
    }
  /* Spark: no match, or a group that took no part in it, gives "". */
  if (!g_regex_match_full (regex, s, len, 0, 0, &match, NULL)
      || !g_match_info_fetch_pos (match, group, &start, &end) || start < 0)
    return sqlite3_result_text (ctx, "", 0, SQLITE_STATIC);
  sqlite3_result_text (ctx, s + start, end - start, SQLITE_TRANSIENT);
}

/* --- strings ------------------------------------------------------------ */

static void
fn_concat_ws (sqlite3_context  *ctx,
              int               argc,
              sqlite3_value   **argv)
{
  GString *out;
  const char *sep;
  int sep_len;
  gboolean first = TRUE;

  if (sqlite3_value_type (argv[0]) == SQLITE_NULL)
    return sqlite3_result_null (ctx);
  if (!(sep = text_arg (ctx, argv[0], &sep_len)))
    return;
  out = g_string_new (NULL);
  for (int i = 1; i < argc; i++)
    {
      const char *s;
      int len;

      /* Spark skips NULLs rather than propagating them. */
      if (sqlite3_value_type (argv[i]) == SQLITE_NULL)
        continue;
      if (!(s = text_arg (ctx, argv[i], &len)))
        return (void) g_string_free (out, TRUE);
      if (!first)
        g_string_append_len (out, sep, sep_len);
      g_string_append_len (out, s, len);
      first = FALSE;
    }
  result_gstring (ctx, out);
}

static void
fn_right (sqlite3_context  *ctx,
          int               argc,
          sqlite3_value   **argv)
{
  const char *s;
  int len;
  sqlite3_int64 n, chars;

  if (ANY_NULL (argc, argv))
    return sqlite3_result_null (ctx);
  if (!(s = text_arg (ctx, argv[0], &len)))
    return;
  n = sqlite3_value_int64 (argv[1]);
  chars = g_utf8_strlen (s, len);
  if (n <= 0)
    return sqlite3_result_text (ctx, "", 0, SQLITE_STATIC);
  if (n >= chars)
    return sqlite3_result_text (ctx, s, len, SQLITE_TRANSIENT);
  {
    const char *start = g_utf8_offset_to_pointer (s, chars - n);
    sqlite3_result_text (ctx, start, len - (start - s), SQLITE_TRANSIENT);
  }
}

/* Spark's UTF8String.lpad/rpad: a string longer than @n, or an empty pad,
 * gives the first @n characters. */
static void
pad (sqlite3_context  *ctx,
     int               argc,
     sqlite3_value   **argv,
     gboolean          left)
{
  const char *s, *p;
  int len, plen;
  sqlite3_int64 n, chars, pchars, fill;
  GString *out;

  if (ANY_NULL (argc, argv))
    return sqlite3_result_null (ctx);
  if (!(s = text_arg (ctx, argv[0], &len)) || !(p = text_arg (ctx, argv[2], &plen)))
    return;
  n = sqlite3_value_int64 (argv[1]);
  if (n <= 0)
    return sqlite3_result_text (ctx, "", 0, SQLITE_STATIC);
  if (n > sqlite3_limit (sqlite3_context_db_handle (ctx), SQLITE_LIMIT_LENGTH, -1))
    return sqlite3_result_error_toobig (ctx);
  chars = g_utf8_strlen (s, len);
  if (n <= chars || plen == 0)
    {
      const char *end = g_utf8_offset_to_pointer (s, MIN (n, chars));
      return sqlite3_result_text (ctx, s, end - s, SQLITE_TRANSIENT);
    }
  pchars = g_utf8_strlen (p, plen);
  fill = n - chars;
  out = g_string_sized_new (len + fill * 4);
  if (!left)
    g_string_append_len (out, s, len);
  for (sqlite3_int64 done = 0; done < fill; done += pchars)
    {
      sqlite3_int64 take = MIN (pchars, fill - done);
      g_string_append_len (out, p, g_utf8_offset_to_pointer (p, take) - p);
    }
  if (left)
    g_string_append_len (out, s, len);
  result_gstring (ctx, out);
}

static void
fn_lpad (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  pad (ctx, argc, argv, TRUE);
}

static void
fn_rpad (sqlite3_context *ctx, int argc, sqlite3_value **argv)
{
  pad (ctx, argc, argv, FALSE);
}

/* Spark: lower case, then the first letter and every letter after a space
 * in title case. */
static void
fn_initcap (sqlite3_context  *ctx,
            int               argc,
            sqlite3_value   **argv)
{
  const char *s;
  int len;
  gboolean word_start = TRUE;
  GString *out;

  if (ANY_NULL (argc, argv))
    return sqlite3_result_null (ctx);
  if (!(s = text_arg (ctx, argv[0], &len)))
    return;
  out = g_string_sized_new (len);
  for (const char *p = s; p < s + len; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      g_string_append_unichar (out, word_start ? g_unichar_totitle (c) : g_unichar_tolower (c));
      word_start = c == ' ';
    }
  result_gstring (ctx, out);
}

static void
fn_reverse (sqlite3_context  *ctx,
            int               argc,
            sqlite3_value   **argv)
{
  const char *s;
  int len;

  if (ANY_NULL (argc, argv))
    return sqlite3_result_null (ctx);
  if (!(s = text_arg (ctx, argv[0], &len)))
    return;
  sqlite3_result_text (ctx, g_utf8_strreverse (s, len), -1, g_free);
}

static void
fn_repeat (sqlite3_context  *ctx,
           int               argc,
           sqlite3_value   **argv)
{
  const char *s;
  int len;
  sqlite3_int64 n;
  GString *out;

  if (ANY_NULL (argc, argv))
    return sqlite3_result_null (ctx);
  if (!(s = text_arg (ctx, argv[0], &len)))
    return;
  n = sqlite3_value_int64 (argv[1]);
  if (n <= 0 || len == 0)
    return sqlite3_result_text (ctx, "", 0, SQLITE_STATIC);
  if (n > sqlite3_limit (sqlite3_context_db_handle (ctx), SQLITE_LIMIT_LENGTH, -1) / len)
    return sqlite3_result_error_toobig (ctx);
  out = g_string_sized_new (len * n);
  for (sqlite3_int64 i = 0; i < n; i++)
    g_string_append_len (out, s, len);
  result_gstring (ctx, out);
}

/* --- dates and times ---------------------------------------------------- */

/* Spark answers NULL for a string that is not a date or timestamp. */
static gboolean
datetime_arg (sqlite3_value  *value,
              SluiceDateTime *dt)
{
  const char *s = (const char *) sqlite3_value_text (value);

  return s != NULL && _sluice_datetime_parse (s, sqlite3_value_bytes (value), dt);
}

static void
result_timestamp (sqlite3_context      *ctx,
                  const SluiceDateTime *dt)
{
  char buf[32];
  gsize n = _sluice_datetime_format_timestamp (dt, buf);

  sqlite3_result_text (ctx, buf, n, SQLITE_TRANSIENT);
}

static void
fn_date_trunc (sqlite3_context  *ctx,
               int               argc,
               sqlite3_value   **argv)
{
  static const struct { const char *name; int level; } units[] = {
    { "year", 0 }, { "yyyy", 0 }, { "yy", 0 }, { "quarter", 1 }, { "month", 2 },
    { "mm", 2 }, { "mon", 2 }, { "week", 3 }, { "day", 4 }, { "dd", 4 }, { "hour", 5 },
    { "minute", 6 }, { "second", 7 }, { "millisecond", 8 }, { "microsecond", 9 },
  };
  const char *unit = (const char *) sqlite3_value_text (argv[0]);
  SluiceDateTime dt;
  int level = -1;

  if (ANY_NULL (argc, argv) || !datetime_arg (argv[1], &dt))
    return sqlite3_result_null (ctx);
  for (guint i = 0; i < G_N_ELEMENTS (units); i++)
    if (g_ascii_strcasecmp (unit, units[i].name) == 0)
      level = units[i].level;
  switch (level)
    {
    case -1:   /* Spark: an unknown unit gives NULL */
      return sqlite3_result_null (ctx);
    case 0: dt.month = 1; G_GNUC_FALLTHROUGH;
    case 2: dt.day = 1; G_GNUC_FALLTHROUGH;
    case 4: dt.hour = 0; G_GNUC_FALLTHROUGH;
    case 5: dt.minute = 0; G_GNUC_FALLTHROUGH;
    case 6: dt.second = 0; G_GNUC_FALLTHROUGH;
    case 7: dt.micro = 0; break;
    case 1:
      dt.month = (dt.month - 1) / 3 * 3 + 1;
      dt.day = 1;
      dt.hour = dt.minute = dt.second = dt.micro = 0;
      break;
    case 3:
      /* ISO weeks start on Monday. */
      _sluice_civil_from_days (_sluice_days_from_civil (dt.year, dt.month, dt.day)
                               - (_sluice_iso_weekday (&dt) - 1), &dt);
      dt.hour = dt.minute = dt.second = dt.micro = 0;
      break;
    case 8: dt.micro = dt.micro / 1000 * 1000; break;
    case 9: break;
    default: g_assert_not_reached ();
    }
  result_timestamp (ctx, &dt);
}

static void
fn_date_format (sqlite3_context  *ctx,
                int               argc,
                sqlite3_value   **argv)
{
  SluiceDateTime dt;
  GString *out;
  char bad = 0;

  if (ANY_NULL (argc, argv) || !datetime_arg (argv[0], &dt))
    return sqlite3_result_null (ctx);
  out = g_string_new (NULL);
  if (!_sluice_datetime_render_pattern (&dt, (const char *) sqlite3_value_text (argv[1]), out, &bad))
    {
      g_autofree char *msg = g_strdup_printf (_("date_format: the pattern letter “%c” is not supported"), bad);
      g_string_free (out, TRUE);
      return sqlite3_result_error (ctx, msg, -1);
    }
  result_gstring (ctx, out);
}

/* Spark's DateTimeUtils.monthsBetween, rounded to 8 digits. */
static void
fn_months_between (sqlite3_context  *ctx,
                   int               argc,
                   sqlite3_value   **argv)
{
  SluiceDateTime a, b;
  double months, seconds_a, seconds_b;

  if (ANY_NULL (argc, argv) || !datetime_arg (argv[0], &a) || !datetime_arg (argv[1], &b))
    return sqlite3_result_null (ctx);
  months = (a.year - b.year) * 12 + (a.month - b.month);
  if (a.day == b.day || (a.day == _sluice_days_in_month (a.year, a.month)
                         && b.day == _sluice_days_in_month (b.year, b.month)))
    return sqlite3_result_double (ctx, months);
  seconds_a = (a.day - 1) * 86400.0 + a.hour * 3600 + a.minute * 60 + a.second + a.micro / 1e6;
  seconds_b = (b.day - 1) * 86400.0 + b.hour * 3600 + b.minute * 60 + b.second + b.micro / 1e6;
  months += (seconds_a - seconds_b) / (31 * 86400.0);
  sqlite3_result_double (ctx, round (months * 1e8) / 1e8);
}

static void
fn_weekofyear (sqlite3_context  *ctx,
               int               argc,
               sqlite3_value   **argv)
{
  SluiceDateTime dt;

  if (ANY_NULL (argc, argv) || !datetime_arg (argv[0], &dt))
    return sqlite3_result_null (ctx);
  sqlite3_result_int (ctx, _sluice_iso_week (&dt));
}

/* --- registration ------------------------------------------------------- */

typedef void (*ScalarFunc) (sqlite3_context *, int, sqlite3_value **);

static const struct
{
  const char *name;
  int         n_args;
  ScalarFunc  func;
} scalars[] = {
  { "regexp", 2, fn_regexp },
  { "regexp_replace", 3, fn_regexp_replace },
  { "regexp_extract", 2, fn_regexp_extract },
  { "regexp_extract", 3, fn_regexp_extract },
  { "concat_ws", -1, fn_concat_ws },
  { "right", 2, fn_right },
  { "lpad", 3, fn_lpad },
  { "rpad", 3, fn_rpad },
  { "initcap", 1, fn_initcap },
  { "reverse", 1, fn_reverse },
  { "repeat", 2, fn_repeat },
  { "date_trunc", 2, fn_date_trunc },
  { "date_format", 2, fn_date_format },
  { "months_between", 2, fn_months_between },
  { "weekofyear", 1, fn_weekofyear },
};

static gboolean
register_functions (sqlite3  *db,
                    GError  **error)
{
  const int flags = SQLITE_UTF8 | SQLITE_DETERMINISTIC | SQLITE_INNOCUOUS;
  int rc;

  for (guint i = 0; i < G_N_ELEMENTS (scalars); i++)
    if ((rc = sqlite3_create_function_v2 (db, scalars[i].name, scalars[i].n_args, flags, NULL,
                                          scalars[i].func, NULL, NULL, NULL)) != SQLITE_OK)
      goto failed;
  if ((rc = _sluice_sqlite_register_aggregates (db, flags)) != SQLITE_OK)
    goto failed;
  return TRUE;

failed:
  g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
               _("cannot register the SQL functions: %s"), sqlite3_errstr (rc));
  return FALSE;
}

sqlite3 *
sluice_sqlite_open (const char  *path,
                    GError     **error)
{
  g_autoptr(sqlite3) db = NULL;
  int rc;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  rc = sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_URI | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   "%s: %s", path, db ? sqlite3_errmsg (db) : sqlite3_errstr (rc));
      return NULL;
    }
  /* NOMUTEX: the engine uses a connection from one thread at a time, and
   * the per-call locking cost ~4% of a large sample load. */
  sqlite3_extended_result_codes (db, 1);
  /* "x" is an identifier, never a string: a misquoted column must fail. */
  sqlite3_db_config (db, SQLITE_DBCONFIG_DQS_DML, 0, NULL);
  sqlite3_db_config (db, SQLITE_DBCONFIG_DQS_DDL, 0, NULL);
  if (!register_functions (db, error))
    return NULL;
  if (g_str_equal (path, ":memory:") || *path == '\0')
    {
      /* Nothing to recover after a crash: no syncs, and the journal in
       * memory (not OFF: a failed sample load must still roll back). */
      if (sqlite3_exec (db, "PRAGMA journal_mode=MEMORY; PRAGMA synchronous=OFF", NULL, NULL, NULL) != SQLITE_OK)
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                       "%s: %s", path, sqlite3_errmsg (db));
          return NULL;
        }
    }
  return g_steal_pointer (&db);
}

/* A value as Spark would show it, by the column's type where known. */
char *
_sluice_sqlite_format_value (sqlite3_stmt  *stmt,
                             int            col,
                             SluiceSqlType  type)
{
  int storage = sqlite3_column_type (stmt, col);

  if (storage == SQLITE_NULL)
    return NULL;
  if (type.kind == SLUICE_SQL_BOOLEAN && storage == SQLITE_INTEGER)
    return g_strdup (sqlite3_column_int64 (stmt, col) ? "true" : "false");
  if (type.kind == SLUICE_SQL_DECIMAL && (storage == SQLITE_FLOAT || storage == SQLITE_INTEGER))
    {
      /* g_ascii_formatd: printf's "%f" follows LC_NUMERIC (a comma in de_DE) */
      char buf[400];   /* up to 1e308 with 38 fraction digits */
      char fmt[16];

      g_snprintf (fmt, sizeof fmt, "%%.%uf", MIN (type.scale, 38u));
      return g_strdup (g_ascii_formatd (buf, sizeof buf, fmt, sqlite3_column_double (stmt, col)));
    }
  if (storage == SQLITE_FLOAT)
    {
      char buf[G_ASCII_DTOSTR_BUF_SIZE];
      double v = sqlite3_column_double (stmt, col);

      g_ascii_dtostr (buf, sizeof buf, v);
      /* Doubles keep a fraction part ("20.0"), as Spark shows them. */
      if (strspn (buf, "-0123456789") == strlen (buf))
        return g_strconcat (buf, ".0", NULL);
      return g_strdup (buf);
    }
  if (storage == SQLITE_INTEGER && (type.kind == SLUICE_SQL_DOUBLE))
    return g_strdup_printf ("%" G_GINT64_FORMAT ".0", (gint64) sqlite3_column_int64 (stmt, col));
  return g_strdup ((const char *) sqlite3_column_text (stmt, col));
}
