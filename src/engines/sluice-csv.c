#define G_LOG_DOMAIN "sluice-csv"

#include "config.h"

#include <string.h>

#include <glib/gi18n-lib.h>
#include <json-glib/json-glib.h>

#include "sluice-csv-private.h"
#include "sluice-engine-error.h"

void
_sluice_csv_reader_init (SluiceCsvReader *r,
                         const char      *path,
                         const char      *data,
                         gsize            len,
                         char             delimiter,
                         int              quote,
                         int              escape)
{
  memset (r, 0, sizeof *r);
  r->path = path;
  r->data = data;
  r->end = data + len;
  r->pos = data;
  r->delimiter = delimiter;
  r->quote = quote;
  r->escape = escape;
  r->line = 1;
  if (len >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    r->pos += 3;
  r->line_start = r->pos;
  r->capacity = 16;
  r->fields = g_array_sized_new (FALSE, FALSE, sizeof (SluiceCsvField), r->capacity);
  r->scratch = g_byte_array_new ();
}

void
_sluice_csv_reader_clear (SluiceCsvReader *r)
{
  g_clear_pointer (&r->fields, g_array_unref);
  g_clear_pointer (&r->scratch, g_byte_array_unref);
}

guint
_sluice_csv_column (const char *line_start,
                    const char *p)
{
  guint col = 1;

  /* Count characters, not bytes: every byte but UTF-8 continuations. */
  for (const char *q = line_start; q < p; q++)
    if (((guchar) *q & 0xC0) != 0x80)
      col++;
  return col;
}

static gboolean
data_error (SluiceCsvReader  *r,
            guint             line,
            const char       *line_start,
            const char       *p,
            GError          **error,
            const char       *what)
{
  g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA, "%s:%u:%u: %s",
               r->path, line, _sluice_csv_column (line_start, p), what);
  return FALSE;
}

/* A quoted field starting at r->pos (the opening quote). Without escapes
 * the field points into the buffer; otherwise it is unescaped into the
 * scratch space and its offset kept in ->start until the record ends. */
static gboolean
read_quoted (SluiceCsvReader  *r,
             SluiceCsvField   *f,
             gboolean         *in_scratch,
             GError          **error)
{
  const char *open = r->pos;
  const char *p = open + 1;
  const char q = (char) r->quote, e = (char) r->escape;
  gboolean unescaped = FALSE;
  gsize scratch_start = r->scratch->len;

  for (;;)
    {
      const char *run = p;

      while (p < r->end && *p != q && *p != e && *p != '\n')
        p++;
      if (unescaped)
        g_byte_array_append (r->scratch, (const guint8 *) run, p - run);
      if (p >= r->end)
        return data_error (r, f->line, f->line_start, open, error, _("unterminated quoted field"));
      if (*p == '\n')
        {
          if (unescaped)
            g_byte_array_append (r->scratch, (const guint8 *) "\n", 1);
          p++;
          r->line++;
          r->line_start = p;
          continue;
        }
      /* An escape (the quote itself under RFC 4180) before a quote or an
       * escape stands for that character. */
      if (*p == e && p + 1 < r->end && (p[1] == q || (e != q && p[1] == e)))
        {
          if (!unescaped)
            {
              g_byte_array_append (r->scratch, (const guint8 *) open + 1, p - open - 1);
              unescaped = TRUE;
            }
          g_byte_array_append (r->scratch, (const guint8 *) p + 1, 1);
          p += 2;
          continue;
        }
      if (*p == q)
        break;
      /* a lone escape character that is not the quote: literal */
      if (unescaped)
        g_byte_array_append (r->scratch, (const guint8 *) p, 1);
      p++;
    }

  if (unescaped)
    {
      f->start = GSIZE_TO_POINTER (scratch_start);
      f->len = r->scratch->len - scratch_start;
    }
  else
    {
      f->start = open + 1;
      f->len = p - open - 1;
    }
  *in_scratch = unescaped;
  p++;   /* the closing quote */
  if (p < r->end && *p != r->delimiter && *p != '\n' && !(*p == '\r' && (p + 1 == r->end || p[1] == '\n')))
    return data_error (r, r->line, r->line_start, p, error, _("text after a closing quote"));
  r->pos = p;
  return TRUE;
}

/* The end of an unquoted field: the next delimiter or line feed, looked
 * for eight bytes at a time (a zero byte in word ^ pattern is a match). */
static inline const char *
unquoted_end (const char *p,
              const char *end,
              char        d)
{
  const guint64 ones = G_GUINT64_CONSTANT (0x0101010101010101);
  const guint64 highs = G_GUINT64_CONSTANT (0x8080808080808080);
  const guint64 dm = ones * (guchar) d, nm = ones * (guchar) '\n';

  while (p + 8 <= end)
    {
      guint64 w, a, b;

      guint64 m;

      memcpy (&w, p, 8);
      a = w ^ dm;
      b = w ^ nm;
      m = ((a - ones) & ~a & highs) | ((b - ones) & ~b & highs);
      if (m)
        {
          /* the lowest flag is exact (borrows only flag bytes after it) */
#if G_BYTE_ORDER == G_LITTLE_ENDIAN
          return p + (__builtin_ctzll (m) >> 3);
#else
          break;
#endif
        }
      p += 8;
    }
  while (p < end && *p != d && *p != '\n')
    p++;
  return p;
}

gboolean
_sluice_csv_reader_next (SluiceCsvReader  *r,
                         GError          **error)
{
  const char d = r->delimiter;
  guint64 scratch_fields = 0;   /* bit i: field i lives in the scratch space */
  GArray *extra = NULL;         /* the same for fields beyond 64 */
  SluiceCsvField *fv;           /* r->fields' storage, filled without calls */
  guint n = 0;

  /* the array is as long as it can be while filling, then cut to the record */
  g_array_set_size (r->fields, r->capacity);
  fv = (SluiceCsvField *) (void *) r->fields->data;
  g_byte_array_set_size (r->scratch, 0);

  /* Empty lines are no records (Spark skips them too). */
  while (r->pos < r->end && (*r->pos == '\n' || (*r->pos == '\r' && r->pos + 1 < r->end && r->pos[1] == '\n')))
    {
      r->pos += *r->pos == '\r' ? 2 : 1;
      r->line++;
      r->line_start = r->pos;
    }
  if (r->pos >= r->end)
    {
      g_array_set_size (r->fields, 0);
      return FALSE;
    }

  for (;;)
    {
      SluiceCsvField f = { NULL, 0, FALSE, r->line, r->line_start, r->pos };
      gboolean in_scratch = FALSE;
      const char *p = r->pos;

      if (r->quote >= 0 && p < r->end && *p == (char) r->quote)
        {
          f.quoted = TRUE;
          if (!read_quoted (r, &f, &in_scratch, error))
            {
              g_clear_pointer (&extra, g_array_unref);
              g_array_set_size (r->fields, n);
              return FALSE;
            }
          p = r->pos;
        }
      else
        {
          p = unquoted_end (p, r->end, d);
          f.start = r->pos;
          f.len = p - r->pos;
          if (f.len > 0 && (p == r->end || *p == '\n') && p[-1] == '\r')
            f.len--;
        }
      if (in_scratch)
        {
          guint i = n;
          if (i < 64)
            scratch_fields |= G_GUINT64_CONSTANT (1) << i;
          else
            {
              if (extra == NULL)
                extra = g_array_new (FALSE, FALSE, sizeof (guint));
              g_array_append_val (extra, i);
            }
        }
      if (G_UNLIKELY (n == r->capacity))
        {
          r->capacity *= 2;
          g_array_set_size (r->fields, r->capacity);
          fv = (SluiceCsvField *) (void *) r->fields->data;
        }
      fv[n++] = f;

      if (p < r->end && *p == d)
        {
          r->pos = p + 1;
          continue;
        }
      /* end of the record: at a line break (after any '\r') or the end */
      r->record_end = f.quoted ? p : f.start + f.len;
      if (p < r->end && *p == '\r')
        p++;
      r->end_line = r->line;
      r->end_line_start = r->line_start;
      if (p < r->end)
        {
          p++;
          r->line++;
          r->line_start = p;
        }
      r->pos = p;
      break;
    }
  g_array_set_size (r->fields, n);

  /* The scratch space no longer grows: turn offsets into pointers. */
  for (guint i = 0; scratch_fields != 0 && i < MIN (r->fields->len, 64); i++)
    if (scratch_fields & (G_GUINT64_CONSTANT (1) << i))
      {
        SluiceCsvField *f = &g_array_index (r->fields, SluiceCsvField, i);
        f->start = (const char *) r->scratch->data + GPOINTER_TO_SIZE (f->start);
      }
  for (guint j = 0; extra && j < extra->len; j++)
    {
      SluiceCsvField *f = &g_array_index (r->fields, SluiceCsvField, g_array_index (extra, guint, j));
      f->start = (const char *) r->scratch->data + GPOINTER_TO_SIZE (f->start);
    }
  g_clear_pointer (&extra, g_array_unref);
  return TRUE;
}

static gboolean
one_char (JsonObject  *options,
          const char  *key,
          int          fallback,
          int         *out,
          GError     **error)
{
  const char *s;

  if (options == NULL || !json_object_has_member (options, key))
    {
      *out = fallback;
      return TRUE;
    }
  s = json_object_get_string_member_with_default (options, key, NULL);
  if (s == NULL || strlen (s) > 1 || (guchar) s[0] >= 0x80)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("the CSV option “%s” must be one ASCII character"), key);
      return FALSE;
    }
  *out = s[0] ? s[0] : -1;   /* "" turns quoting off, as in Spark */
  return TRUE;
}

gboolean
_sluice_csv_options_read (gpointer          json_object,
                          SluiceCsvOptions *out,
                          GError          **error)
{
  JsonObject *options = json_object;
  int delimiter;

  if (!one_char (options, "delimiter", ',', &delimiter, error)
      || !one_char (options, "quote", '"', &out->quote, error)
      || !one_char (options, "escape", out->quote, &out->escape, error))
    return FALSE;
  if (delimiter < 0 || delimiter == '\n' || delimiter == '\r' || delimiter == out->quote)
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("the CSV delimiter must be one character other than the quote"));
      return FALSE;
    }
  if (out->escape < 0)
    out->escape = out->quote;
  out->delimiter = (char) delimiter;
  out->header = options ? json_object_get_boolean_member_with_default (options, "header", FALSE) : FALSE;
  out->null_value = options ? json_object_get_string_member_with_default (options, "null_value", "") : "";
  out->date_format = options ? json_object_get_string_member_with_default (options, "date_format", NULL) : NULL;
  out->timestamp_format = options ? json_object_get_string_member_with_default (options, "timestamp_format", NULL) : NULL;
  return TRUE;
}
