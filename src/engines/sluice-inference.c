#define G_LOG_DOMAIN "sluice-inference"

#include "config.h"

#include <errno.h>
#include <string.h>
#include <sys/mman.h>
#include <unistd.h>

#include <glib/gi18n-lib.h>

#include "sluice-csv-private.h"
#include "sluice-engine-error.h"
#include "sluice-inference.h"
#include "sluice-json-doc.h"
#include "sluice-sample-reader-private.h"
#include "sluice-sql-type.h"

/* Every value narrows the set of types its column can still have, tested
 * with the sample reader's own parsers (so whatever is inferred loads).
 * The column's type is the first type left, in the order of the enum. */
typedef enum {
  CAN_INT       = 1 << 0,
  CAN_BIGINT    = 1 << 1,
  CAN_DECIMAL   = 1 << 2,
  CAN_DOUBLE    = 1 << 3,
  CAN_BOOLEAN   = 1 << 4,
  CAN_DATE      = 1 << 5,
  CAN_TIMESTAMP = 1 << 6,
  CAN_ALL       = (1 << 7) - 1,
  CAN_NUMBER    = CAN_INT | CAN_BIGINT | CAN_DECIMAL | CAN_DOUBLE,
} Can;

/* The most fraction digits a decimal can have. */
#define MAX_PRECISION 38

typedef struct
{
  char     *name;           /* owned */
  char     *type;           /* owned; NULL until the end */
  gboolean  nullable;
  char     *note;           /* owned, nullable */

  /* while reading */
  guint     can;            /* Can: the types still possible */
  gboolean  typed;          /* a value that fits a type was seen */
  gboolean  text;           /* a value that fits none was seen: a string */
  gboolean  settled;        /* a string with its note: only NULLs still count */
  gboolean  has_null;       /* a NULL (the null token, a JSON null, a missing member) */
  gboolean  has_empty;      /* an empty field: NULL unless the column is a string */
  gboolean  has_digits;     /* a number with digits (not only NaN or Infinity) */
  gint      scale;          /* decimal: the fraction digits of every value; -1 none yet */
  guint     int_digits;     /* decimal: the most integer digits */
  gboolean  trailing_zero;  /* decimal: a value like 12.50 */
  guint64   last_row;       /* JSON lines: the last row that had the member */
} Column;

struct _SluiceInference
{
  GObject     parent_instance;
  char       *format;     /* owned */
  JsonObject *options;    /* owned */
  GArray     *columns;    /* Column */
  guint64     n_rows;
  gboolean    complete;
};

G_DEFINE_FINAL_TYPE (SluiceInference, sluice_inference, G_TYPE_OBJECT)

/* Rows between two looks at the cancellable. */
#define CHECK_ROWS 4096

static void
column_clear (gpointer data)
{
  Column *c = data;

  g_free (c->name);
  g_free (c->type);
  g_free (c->note);
}

static void
sluice_inference_finalize (GObject *object)
{
  SluiceInference *self = SLUICE_INFERENCE (object);

  g_free (self->format);
  json_object_unref (self->options);
  g_array_unref (self->columns);

  G_OBJECT_CLASS (sluice_inference_parent_class)->finalize (object);
}

static void
sluice_inference_class_init (SluiceInferenceClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_inference_finalize;
}

static void
sluice_inference_init (SluiceInference *self)
{
  self->columns = g_array_new (FALSE, TRUE, sizeof (Column));
  g_array_set_clear_func (self->columns, column_clear);
  self->options = json_object_new ();
  self->complete = TRUE;
}

static Column *
add_column (SluiceInference *self,
            char            *name)
{
  Column c = { .name = name, .can = CAN_ALL, .scale = -1 };

  g_array_append_val (self->columns, c);
  return &g_array_index (self->columns, Column, self->columns->len - 1);
}

/* ---- Values ---- */

/* [sign] digits [. digits], the form a fixed-point number is written in;
 * FALSE for anything else (an exponent, no fraction digits). */
static gboolean
decimal_shape (const char *s,
               gsize       len,
               guint      *int_digits,
               guint      *frac_digits)
{
  gsize i = 0, point;
  gboolean leading = TRUE;

  *int_digits = 0;
  if (len > 0 && (s[0] == '-' || s[0] == '+'))
    i++;
  for (; i < len && g_ascii_isdigit (s[i]); i++)
    if (!(leading && s[i] == '0'))
      {
        leading = FALSE;
        (*int_digits)++;
      }
  if (i == len || s[i] != '.')
    return FALSE;
  point = i++;
  while (i < len && g_ascii_isdigit (s[i]))
    i++;
  *frac_digits = i - point - 1;
  return i == len && *frac_digits > 0;
}

/* true or false in any case (c | 0x20 is c in lower case for letters, and
 * no other byte turns into these letters) */
static inline gboolean
is_boolean_word (const char *s,
                 gsize       len)
{
  if (len == 4)
    return (s[0] | 0x20) == 't' && (s[1] | 0x20) == 'r' && (s[2] | 0x20) == 'u' && (s[3] | 0x20) == 'e';
  if (len == 5)
    return (s[0] | 0x20) == 'f' && (s[1] | 0x20) == 'a' && (s[2] | 0x20) == 'l' && (s[3] | 0x20) == 's'
           && (s[4] | 0x20) == 'e';
  return FALSE;
}

/* Which of the types in @mask the CSV text @s fits, by the loader's rules
 * (only those in @mask are tested). Updates the decimal bookkeeping of @c
 * when the value fits a decimal. This runs for every value: the first
 * character rules most types out. */
static guint
csv_fits (Column                 *c,
          const SluiceCsvOptions *o,
          const char             *s,
          gsize                   len,
          guint                   mask)
{
  guint fits = 0;
  guchar first = (guchar) s[len > 1 && (s[0] == '-' || s[0] == '+') ? 1 : 0];
  gboolean digit = g_ascii_isdigit (first);
  SluiceDateTime dt;

  if (!digit && first != '.' && o->date_format == NULL && o->timestamp_format == NULL)
    {
      /* not a number, a date or a timestamp: a boolean, NaN, Infinity or text */
      if (is_boolean_word (s, len))
        return mask & CAN_BOOLEAN;
      if ((first | 0x20) != 'n' && (first | 0x20) != 'i')
        return 0;
      return (mask & CAN_DOUBLE) && _sluice_sample_is_double (s, len) ? CAN_DOUBLE : 0;
    }

  if (mask & (CAN_INT | CAN_BIGINT | CAN_DOUBLE | CAN_DECIMAL))
    {
      gint64 v;

      if (digit && _sluice_sample_parse_int64 (s, len, &v) == 0)
        {
          /* every 64-bit integer is a double to strtod, and has no fraction */
          fits |= CAN_BIGINT | CAN_DOUBLE | (v >= G_MININT32 && v <= G_MAXINT32 ? CAN_INT : 0);
          c->has_digits = TRUE;
        }
      else if ((mask & (CAN_DOUBLE | CAN_DECIMAL)) && _sluice_sample_is_double (s, len))
        {
          guint int_digits, frac_digits;

          fits |= CAN_DOUBLE;
          /* NaN and Infinity alone do not make a column of numbers */
          if (digit || first == '.')
            c->has_digits = TRUE;
          if ((mask & CAN_DECIMAL) && decimal_shape (s, len, &int_digits, &frac_digits)
              && (c->scale < 0 || (guint) c->scale == frac_digits) && frac_digits <= MAX_PRECISION)
            {
              fits |= CAN_DECIMAL;
              c->scale = frac_digits;
              c->int_digits = MAX (c->int_digits, int_digits);
              c->trailing_zero |= s[len - 1] == '0';
            }
        }
    }
  if ((mask & CAN_BOOLEAN) && is_boolean_word (s, len))
    fits |= CAN_BOOLEAN;
  /* ISO dates start with a digit; a pattern may start with anything */
  if ((mask & CAN_DATE) && (o->date_format || digit) && _sluice_sample_parse_date (o, s, len, &dt))
    {
      fits |= CAN_DATE;
      /* without patterns a date is a timestamp at midnight to the loader */
      if (o->date_format == NULL && o->timestamp_format == NULL)
        return fits | (mask & CAN_TIMESTAMP);
    }
  if ((mask & CAN_TIMESTAMP) && (o->timestamp_format || digit)
      && _sluice_sample_parse_timestamp (o, s, len, &dt))
    fits |= CAN_TIMESTAMP;
  return fits;
}

static const char *
kind_of (guint can)
{
  if (can & CAN_NUMBER)
    return _("numbers");
  if (can & CAN_BOOLEAN)
    return _("booleans");
  if (can & CAN_DATE)
    return _("dates");
  return _("timestamps");
}

/* One value that is not NULL, with the types it fits; @line and @s for
 * the note when it is the first that makes the column a string. */
static void
take_value (Column     *c,
            guint       fits,
            const char *s,
            gsize       len,
            guint       line)
{
  g_autofree char *shown = NULL;

  if (G_UNLIKELY (c->text))
    {
      /* a string already: the first typed value after text is the conflict */
      if (fits == 0)
        return;
      shown = _sluice_sample_shown (s, len);
      c->note = g_strdup_printf (_("mixed content: “%s” on line %u after text; read as string"), shown, line);
      c->settled = TRUE;
      return;
    }
  if ((fits & c->can) != 0)
    {
      c->can &= fits;
      c->typed = TRUE;
      return;
    }
  if (c->typed)
    {
      shown = _sluice_sample_shown (s, len);
      c->note = g_strdup_printf (_("mixed content: “%s” on line %u after %s; read as string"), shown, line,
                                 kind_of (c->can));
      c->settled = TRUE;
    }
  c->text = TRUE;
  c->can = 0;
}

/* ---- CSV ---- */

typedef struct
{
  const char  *path;        /* borrowed */
  const char  *data;        /* borrowed: the mapped file */
  const char  *end;
  const char  *valid_to;    /* UTF-8 checked up to here */
  const char  *released;    /* pages before this are given back */
} Text;

/* Gives back the mapped pages before @to: read once, they need not count
 * in the process's memory (the page cache keeps them; a late error message
 * that counts lines from the start faults them in again). */
static void
release_before (Text       *t,
                const char *to)
{
#ifdef MADV_DONTNEED
  static gsize page;
  const char *from = t->released ? t->released : t->data;
  guintptr start, stop;

  if (page == 0)
    page = sysconf (_SC_PAGESIZE);
  start = ((guintptr) from + page - 1) & ~(guintptr) (page - 1);
  stop = (guintptr) to & ~(guintptr) (page - 1);
  if (stop > start + 64 * page && madvise ((void *) start, stop - start, MADV_DONTNEED) == 0)
    t->released = (const char *) stop;
#endif
}

/* Checks that the text up to @to is UTF-8 without NUL bytes, as the
 * loader's g_utf8_validate_len () wants it (ASCII eight bytes at a time:
 * this runs over the whole file). */
static gboolean
check_utf8 (Text        *t,
            const char  *to,
            GError     **error)
{
  const char *p = t->valid_to;

  while (p < to)
    {
      guint64 word;

      /* no high bit and no zero byte in the word */
      if (p + 8 <= to
          && (memcpy (&word, p, 8),
              ((word | (word - G_GUINT64_CONSTANT (0x0101010101010101))) & G_GUINT64_CONSTANT (0x8080808080808080)) == 0))
        {
          p += 8;
          continue;
        }
      if ((guchar) *p < 0x80 && *p != '\0')
        {
          p++;
          continue;
        }
      {
        gunichar ch = *p ? g_utf8_get_char_validated (p, to - p) : (gunichar) -1;
        if (ch == (gunichar) -1 || ch == (gunichar) -2)
          {
            const char *line_start = t->data;
            guint line = 1;

            for (const char *q = t->data; (q = memchr (q, '\n', p - q)); q++)
              {
                line++;
                line_start = q + 1;
              }
            if (line == 1 && p - t->data >= 3 && memcmp (t->data, "\xEF\xBB\xBF", 3) == 0)
              line_start += 3;
            g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA,
                         _("%s:%u:%u: the text is not valid UTF-8"), t->path, line,
                         _sluice_csv_column (line_start, p));
            return FALSE;
          }
        p = g_utf8_next_char (p);
      }
    }
  t->valid_to = MAX (t->valid_to, to);
  return TRUE;
}

static gboolean
is_null_token (const SluiceCsvField   *f,
               const SluiceCsvOptions *o,
               gsize                   null_len)
{
  return !f->quoted && f->len == null_len && memcmp (f->start, o->null_value, null_len) == 0;
}

/* Names from a header record: Spark's _cN for an empty one, and for
 * names that repeat (in any case) the name with its position appended. */
static void
take_header (SluiceInference *self,
             SluiceCsvReader *r)
{
  g_autoptr(GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = r->fields->len;
  g_autofree char **folded = g_new0 (char *, n);

  for (guint i = 0; i < n; i++)
    {
      SluiceCsvField *f = &g_array_index (r->fields, SluiceCsvField, i);

      if (f->len == 0)
        continue;
      folded[i] = g_utf8_casefold (f->start, f->len);
      g_hash_table_insert (seen, g_strdup (folded[i]),
                           GUINT_TO_POINTER (GPOINTER_TO_UINT (g_hash_table_lookup (seen, folded[i])) + 1));
    }
  for (guint i = 0; i < n; i++)
    {
      SluiceCsvField *f = &g_array_index (r->fields, SluiceCsvField, i);
      Column *c;

      if (f->len == 0)
        {
          add_column (self, g_strdup_printf ("_c%u", i));
          continue;
        }
      if (GPOINTER_TO_UINT (g_hash_table_lookup (seen, folded[i])) > 1)
        {
          g_autofree char *orig = g_strndup (f->start, f->len);

          c = add_column (self, g_strdup_printf ("%s%u", orig, i));
          c->note = g_strdup_printf (_("renamed: the header repeats “%s”"), orig);
        }
      else
        add_column (self, g_strndup (f->start, f->len));
      g_free (folded[i]);
    }

  /* a made-up name may meet a real one ("a", "a", "a1"): number it on */
  g_hash_table_remove_all (seen);
  for (guint i = 0; i < n; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);
      char *key = g_utf8_casefold (c->name, -1);

      for (guint k = 2; g_hash_table_contains (seen, key); k++)
        {
          char *renamed = g_strdup_printf ("%s_%u", c->name, k);

          g_free (key);
          key = g_utf8_casefold (renamed, -1);
          if (!g_hash_table_contains (seen, key))
            {
              g_free (c->name);
              c->name = renamed;
              if (c->note == NULL)
                c->note = g_strdup (_("renamed: the header repeats this name"));
              break;
            }
          g_free (renamed);
        }
      g_hash_table_add (seen, key);
    }
}

static gboolean
ragged (SluiceInference  *self,
        SluiceCsvReader  *r,
        Text             *t,
        GError          **error)
{
  guint want = self->columns->len, n = r->fields->len;
  SluiceCsvField *f = &g_array_index (r->fields, SluiceCsvField, MIN (n - 1, want));
  guint line = f->line;
  const char *line_start = f->line_start, *pos = f->pos;

  /* at the first field too many, or at the end of the record (as the loader) */
  if (n < want)
    {
      line = r->end_line;
      line_start = r->end_line_start;
      pos = r->record_end;
    }
  if (!check_utf8 (t, pos, error))
    return FALSE;
  g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA,
               g_dngettext (GETTEXT_PACKAGE, "%s:%u:%u: expected %u field, found %u",
                            "%s:%u:%u: expected %u fields, found %u", want),
               t->path, line, _sluice_csv_column (line_start, pos), want, n);
  return FALSE;
}

/* Whether anything but line breaks follows @p. */
static gboolean
more_records (const char *p,
              const char *end)
{
  for (; p < end; p++)
    if (*p != '\n' && *p != '\r')
      return TRUE;
  return FALSE;
}

static gboolean
infer_csv (SluiceInference  *self,
           Text             *t,
           guint64           max_rows,
           GCancellable     *cancellable,
           GError          **error)
{
  SluiceCsvOptions o;
  SluiceCsvReader r;
  g_autoptr(GError) local = NULL;
  gboolean header_pending, ok = TRUE;
  gsize null_len;

  if (!_sluice_csv_options_read (self->options, &o, error))
    {
      g_prefix_error (error, "%s: ", t->path);
      return FALSE;
    }
  null_len = strlen (o.null_value);
  header_pending = o.header;
  _sluice_csv_reader_init (&r, t->path, t->data, t->end - t->data, o.delimiter, o.quote, o.escape);
  for (;;)
    {
      guint n;

      if (self->n_rows >= max_rows && !header_pending)
        {
          self->complete = !more_records (r.pos, t->end);
          break;
        }
      if (!_sluice_csv_reader_next (&r, &local))
        {
          if (local)
            {
              /* bad UTF-8 before the bad quote is the first problem */
              ok = check_utf8 (t, r.pos, error);
              if (ok)
                g_propagate_error (error, g_steal_pointer (&local));
              ok = FALSE;
            }
          break;
        }
      n = r.fields->len;
      if (self->columns->len == 0)
        {
          /* the first record fixes the columns */
          if (header_pending && !(ok = check_utf8 (t, r.pos, error)))
            break;
          if (header_pending)
            take_header (self, &r);
          else
            for (guint i = 0; i < n; i++)
              add_column (self, g_strdup_printf ("_c%u", i));
        }
      if (n != self->columns->len)
        {
          ok = ragged (self, &r, t, error);
          break;
        }
      if (header_pending)
        {
          header_pending = FALSE;
          continue;
        }
      for (guint i = 0; i < n; i++)
        {
          SluiceCsvField *f = &g_array_index (r.fields, SluiceCsvField, i);
          Column *c = &g_array_index (self->columns, Column, i);

          if (is_null_token (f, &o, null_len))
            c->has_null = TRUE;
          else if (f->len == 0)
            c->has_empty = TRUE;
          else if (!c->settled)
            {
              guint fits = csv_fits (c, &o, f->start, f->len, c->text ? CAN_ALL : c->can);

              /* the common case inline: the value fits what the column can be */
              if (!c->text && (fits & c->can) != 0)
                {
                  c->can &= fits;
                  c->typed = TRUE;
                }
              else
                take_value (c, fits, f->start, f->len, f->line);
            }
        }
      self->n_rows++;
      if (self->n_rows % CHECK_ROWS == 0)
        {
          if (!(ok = check_utf8 (t, r.pos, error)) || g_cancellable_set_error_if_cancelled (cancellable, error))
            {
              ok = FALSE;
              break;
            }
          /* the rows so far are read and checked; only names and notes
           * (copies) outlive them */
          release_before (t, r.pos);
        }
    }
  ok = ok && check_utf8 (t, r.pos, error);
  _sluice_csv_reader_clear (&r);
  return ok;
}

/* ---- Sniffing ---- */

/* How the first records of a window split: the most common field count
 * and the share of records with it. */
typedef struct
{
  guint  n_records;
  guint  mode;
  double share;
} Shape;

/* The records of the first @len bytes (the last one dropped when @cut:
 * the window may end inside it), at most 100. */
static Shape
shape_of (const char *data,
          gsize       len,
          gboolean    cut,
          char        delimiter,
          int         quote)
{
  SluiceCsvReader r;
  Shape s = { 0, 0, 0 };
  guint counts[100];
  guint best = 0;

  _sluice_csv_reader_init (&r, "", data, len, delimiter, quote, quote);
  while (s.n_records < G_N_ELEMENTS (counts) && _sluice_csv_reader_next (&r, NULL))
    {
      if (cut && r.pos >= data + len)
        break;
      counts[s.n_records++] = r.fields->len;
    }
  _sluice_csv_reader_clear (&r);
  for (guint i = 0; i < s.n_records; i++)
    {
      guint same = 0;

      for (guint j = 0; j < s.n_records; j++)
        same += counts[j] == counts[i];
      if (same > best || (same == best && counts[i] > s.mode))
        {
          best = same;
          s.mode = counts[i];
        }
    }
  s.share = s.n_records ? (double) best / s.n_records : 0;
  return s;
}

/* Whether a header line is likely: no name in the first record looks
 * like a value (a number, a boolean, a date), and one is not empty. */
static gboolean
sniff_header (const char             *data,
              gsize                   len,
              const SluiceCsvOptions *o)
{
  SluiceCsvReader r;
  gboolean header = FALSE;

  _sluice_csv_reader_init (&r, "", data, len, o->delimiter, o->quote, o->escape);
  if (_sluice_csv_reader_next (&r, NULL))
    for (guint i = 0; i < r.fields->len; i++)
      {
        SluiceCsvField *f = &g_array_index (r.fields, SluiceCsvField, i);
        Column scratch = { .scale = -1 };
        guint fits;

        if (f->len == 0)
          continue;
        fits = csv_fits (&scratch, o, f->start, f->len, CAN_ALL);
        if ((fits & ~CAN_DOUBLE) != 0 || (fits != 0 && scratch.has_digits))
          {
            header = FALSE;
            break;
          }
        header = TRUE;
      }
  _sluice_csv_reader_clear (&r);
  return header;
}

/* The delimiter (, ; tab |: the one that splits the most of the first
 * records into the same number of fields, more than one; then the one
 * with more fields; ties in that order), the quote (" unless ' splits
 * better) and whether there is a header line. */
static void
sniff_csv (Text       *t,
           JsonObject *options)
{
  static const char delimiters[] = { ',', ';', '\t', '|' };
  gsize size = t->end - t->data, len = MIN (size, 64 * 1024);
  char best = ',';
  Shape best_shape = { 0, 0, 0 };
  int quote = '"';
  SluiceCsvOptions o = { 0 };
  char text[2] = { 0 };

  /* a window of at least two whole records, if the file has them */
  for (;;)
    {
      Shape s = shape_of (t->data, len, len < size, ',', '"');
      if (s.n_records >= 2 || len == size)
        break;
      len = MIN (size, len * 4);
    }
  for (guint q = 0; q < 2; q++)
    {
      int qc = q == 0 ? '"' : '\'';

      for (guint i = 0; i < G_N_ELEMENTS (delimiters); i++)
        {
          Shape s = shape_of (t->data, len, len < size, delimiters[i], qc);
          if (s.mode > 1
              && (s.share > best_shape.share || (s.share == best_shape.share && s.mode > best_shape.mode)))
            {
              best = delimiters[i];
              best_shape = s;
              quote = qc;
            }
        }
    }

  o.delimiter = best;
  o.quote = quote;
  o.escape = quote;
  o.null_value = "";
  text[0] = best;
  json_object_set_boolean_member (options, "header", sniff_header (t->data, len, &o));
  json_object_set_string_member (options, "delimiter", text);
  text[0] = (char) quote;
  json_object_set_string_member (options, "quote", text);
}

/* ---- JSON lines ---- */

static guint
json_fits (JsonNode *node)
{
  if (!JSON_NODE_HOLDS_VALUE (node))
    return 0;   /* an array or an object: text */
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      {
        gint64 v = json_node_get_int (node);
        /* the loader takes 0 and 1 for booleans */
        return CAN_BIGINT | CAN_DOUBLE | (v >= G_MININT32 && v <= G_MAXINT32 ? CAN_INT : 0)
               | (v == 0 || v == 1 ? CAN_BOOLEAN : 0);
      }
    case G_TYPE_DOUBLE:
      return CAN_DOUBLE;
    case G_TYPE_BOOLEAN:
      return CAN_BOOLEAN;
    default:
      {
        static const SluiceCsvOptions iso = { 0 };
        const char *s = json_node_get_string (node);
        gsize len = strlen (s);
        SluiceDateTime dt;
        guint fits = 0;

        if (_sluice_sample_parse_date (&iso, s, len, &dt))
          fits |= CAN_DATE;
        if (_sluice_sample_parse_timestamp (&iso, s, len, &dt))
          fits |= CAN_TIMESTAMP;
        return fits;
      }
    }
}

static gboolean
infer_jsonl (SluiceInference  *self,
             Text             *t,
             guint64           max_rows,
             GCancellable     *cancellable,
             GError          **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) index = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  const char *p = t->data;
  guint line_no = 0;

  if (t->end - p >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  while (p < t->end)
    {
      const char *nl, *line = p, *bad;
      gsize len;
      g_autoptr(GError) local = NULL;
      g_autoptr(GList) members = NULL;
      JsonNode *root;
      JsonObject *object;

      if (self->n_rows >= max_rows)
        {
          self->complete = !more_records (p, t->end);
          break;
        }
      nl = memchr (p, '\n', t->end - p);
      len = (nl ? nl : t->end) - p;
      line_no++;
      p = nl ? nl + 1 : t->end;
      if (len > 0 && line[len - 1] == '\r')
        len--;
      if (len == 0)
        continue;
      if (!g_utf8_validate_len (line, len, &bad))
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA, _("%s:%u:%u: the text is not valid UTF-8"),
                       t->path, line_no, _sluice_csv_column (line, bad));
          return FALSE;
        }
      if (!json_parser_load_from_data (parser, line, len, &local))
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA, "%s:%u:%u: %s",
                       t->path, line_no, _sluice_sample_json_error_column (local),
                       strstr (local->message, ": ") ? strstr (local->message, ": ") + 2 : local->message);
          return FALSE;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA,
                       _("%s:%u:1: a line must hold a JSON object"), t->path, line_no);
          return FALSE;
        }
      object = json_node_get_object (root);
      members = json_object_get_members (object);
      for (GList *m = members; m; m = m->next)
        {
          JsonNode *node = json_object_get_member (object, m->data);
          gpointer slot;
          Column *c;

          if (!g_hash_table_lookup_extended (index, m->data, NULL, &slot))
            {
              c = add_column (self, g_strdup (m->data));
              /* missing from the rows before */
              c->has_null = self->n_rows > 0;
              slot = GUINT_TO_POINTER (self->columns->len - 1);
              g_hash_table_insert (index, g_strdup (m->data), slot);
            }
          c = &g_array_index (self->columns, Column, GPOINTER_TO_UINT (slot));
          c->last_row = self->n_rows + 1;
          if (JSON_NODE_HOLDS_NULL (node))
            c->has_null = TRUE;
          else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                   && json_node_get_string (node)[0] == '\0')
            c->has_empty = TRUE;
          else if (!c->settled)
            {
              g_autofree char *text = JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING
                                      ? g_strdup (json_node_get_string (node)) : json_to_string (node, FALSE);
              guint fits = json_fits (node);

              if (fits & CAN_NUMBER)
                c->has_digits = TRUE;
              take_value (c, fits, text, strlen (text), line_no);
            }
        }
      self->n_rows++;
      for (guint i = 0; i < self->columns->len; i++)
        {
          Column *c = &g_array_index (self->columns, Column, i);
          if (c->last_row != self->n_rows)
            c->has_null = TRUE;
        }
      if (self->n_rows % CHECK_ROWS == 0 && g_cancellable_set_error_if_cancelled (cancellable, error))
        return FALSE;
    }
  return TRUE;
}

/* ---- The result ---- */

static void
settle_types (SluiceInference *self)
{
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);
      SluiceSqlType type = SLUICE_SQL_TYPE (SLUICE_SQL_STRING);
      guint can = c->typed ? c->can : 0;

      if (can & CAN_INT)
        type = SLUICE_SQL_TYPE (SLUICE_SQL_INT);
      else if (can & CAN_BIGINT)
        type = SLUICE_SQL_TYPE (SLUICE_SQL_BIGINT);
      else if ((can & CAN_DECIMAL) && c->trailing_zero && c->int_digits + c->scale <= MAX_PRECISION)
        type = (SluiceSqlType) { SLUICE_SQL_DECIMAL, MAX (c->int_digits + c->scale, 1), c->scale };
      else if ((can & CAN_DOUBLE) && c->has_digits)
        type = SLUICE_SQL_TYPE (SLUICE_SQL_DOUBLE);
      else if (can & CAN_BOOLEAN)
        type = SLUICE_SQL_TYPE (SLUICE_SQL_BOOLEAN);
      else if (can & CAN_DATE)
        type = SLUICE_SQL_TYPE (SLUICE_SQL_DATE);
      else if (can & CAN_TIMESTAMP)
        type = SLUICE_SQL_TYPE (SLUICE_SQL_TIMESTAMP);
      c->type = sluice_sql_type_to_string (type);
      /* an empty field is NULL in any column but a string; with no rows
       * nothing says a column is never NULL */
      c->nullable = c->has_null || (c->has_empty && type.kind != SLUICE_SQL_STRING) || self->n_rows == 0;
    }
}

static const char *
format_of (const char *path)
{
  if (g_str_has_suffix (path, ".jsonl") || g_str_has_suffix (path, ".ndjson") ||
      g_str_has_suffix (path, ".json"))
    return "jsonl";
  return "csv";
}

/* Only line breaks (and a byte-order mark): no records. */
static gboolean
is_empty (const char *data,
          gsize       size)
{
  const char *p = data, *end = data + size;

  if (size >= 3 && memcmp (p, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  for (; p < end; p++)
    if (*p != '\n' && *p != '\r')
      return FALSE;
  return TRUE;
}

SluiceInference *
sluice_inference_run (const char    *path,
                      const char    *format,
                      JsonObject    *options,
                      guint64        max_rows,
                      GCancellable  *cancellable,
                      GError       **error)
{
  g_autoptr(SluiceInference) self = NULL;
  g_autoptr(GMappedFile) map = NULL;
  g_autoptr(GError) local = NULL;
  Text t = { path, NULL, NULL, NULL, NULL };
  gsize size;
  gboolean ok;

  g_return_val_if_fail (path != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (g_cancellable_set_error_if_cancelled (cancellable, error))
    return NULL;

  self = g_object_new (SLUICE_TYPE_INFERENCE, NULL);
  self->format = g_strdup (format ? format : format_of (path));
  if (!g_str_equal (self->format, "csv") && !g_str_equal (self->format, "jsonl"))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the local engine reads CSV and JSON-lines samples, not %s"), path, self->format);
      return NULL;
    }
  if (options && g_str_equal (self->format, "csv"))
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), options);
      g_autoptr(JsonNode) copy = sluice_json_node_deep_copy (node);

      json_object_unref (self->options);
      self->options = json_object_ref (json_node_get_object (copy));
    }

  map = g_mapped_file_new (path, FALSE, &local);
  if (map == NULL)
    {
      g_set_error (error, local->domain, local->code, "%s: %s", path, g_strerror (errno ? errno : EIO));
      return NULL;
    }
  size = g_mapped_file_get_length (map);
  t.data = t.valid_to = g_mapped_file_get_contents (map) ? g_mapped_file_get_contents (map) : "";
  t.end = t.data + size;
  if (is_empty (t.data, size))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA,
                   _("%s:1:1: the file is empty: there are no columns to infer"), path);
      return NULL;
    }
  if (g_str_equal (self->format, "csv") && options == NULL)
    sniff_csv (&t, self->options);

  if (max_rows == 0)
    max_rows = G_MAXUINT64;
  ok = g_str_equal (self->format, "csv") ? infer_csv (self, &t, max_rows, cancellable, error)
                                         : infer_jsonl (self, &t, max_rows, cancellable, error);
  if (!ok)
    return NULL;
  settle_types (self);
  return g_steal_pointer (&self);
}

typedef struct
{
  char       *path;
  char       *format;
  JsonObject *options;
  guint64     max_rows;
} RunData;

static void
run_data_free (gpointer data)
{
  RunData *d = data;

  g_free (d->path);
  g_free (d->format);
  g_clear_pointer (&d->options, json_object_unref);
  g_free (d);
}

static void
run_thread (GTask        *task,
            gpointer      source_object,
            gpointer      task_data,
            GCancellable *cancellable)
{
  RunData *d = task_data;
  GError *error = NULL;
  SluiceInference *result;

  result = sluice_inference_run (d->path, d->format, d->options, d->max_rows, cancellable, &error);
  if (result)
    g_task_return_pointer (task, result, g_object_unref);
  else
    g_task_return_error (task, error);
}

void
sluice_inference_run_async (const char          *path,
                            const char          *format,
                            JsonObject          *options,
                            guint64              max_rows,
                            GCancellable        *cancellable,
                            GAsyncReadyCallback  callback,
                            gpointer             user_data)
{
  g_autoptr(GTask) task = NULL;
  RunData *d;

  g_return_if_fail (path != NULL);

  d = g_new0 (RunData, 1);
  d->path = g_strdup (path);
  d->format = g_strdup (format);
  /* A copy: the caller may edit its options while the worker reads. */
  if (options)
    {
      g_autoptr(JsonNode) node = json_node_init_object (json_node_alloc (), options);
      /* json_node_copy () would share the object */
      g_autoptr(JsonNode) copy = sluice_json_node_deep_copy (node);

      d->options = json_object_ref (json_node_get_object (copy));
    }
  d->max_rows = max_rows;

  task = g_task_new (NULL, cancellable, callback, user_data);
  g_task_set_source_tag (task, sluice_inference_run_async);
  g_task_set_task_data (task, d, run_data_free);
  g_task_run_in_thread (task, run_thread);
}

SluiceInference *
sluice_inference_run_finish (GAsyncResult  *result,
                             GError       **error)
{
  g_return_val_if_fail (g_task_is_valid (result, NULL), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}

const char *
sluice_inference_get_format (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), NULL);
  return self->format;
}

JsonObject *
sluice_inference_get_options (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), NULL);
  return self->options;
}

guint64
sluice_inference_get_n_rows (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), 0);
  return self->n_rows;
}

gboolean
sluice_inference_is_complete (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), FALSE);
  return self->complete;
}

guint
sluice_inference_get_n_columns (SluiceInference *self)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), 0);
  return self->columns->len;
}

static Column *
column_at (SluiceInference *self,
           guint            i)
{
  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), NULL);
  g_return_val_if_fail (i < self->columns->len, NULL);
  return &g_array_index (self->columns, Column, i);
}

const char *
sluice_inference_get_column_name (SluiceInference *self,
                                  guint            i)
{
  Column *c = column_at (self, i);
  return c ? c->name : NULL;
}

const char *
sluice_inference_get_column_type (SluiceInference *self,
                                  guint            i)
{
  Column *c = column_at (self, i);
  return c ? c->type : NULL;
}

gboolean
sluice_inference_get_column_nullable (SluiceInference *self,
                                      guint            i)
{
  Column *c = column_at (self, i);
  return c ? c->nullable : TRUE;
}

const char *
sluice_inference_get_column_note (SluiceInference *self,
                                  guint            i)
{
  Column *c = column_at (self, i);
  return c ? c->note : NULL;
}

SluiceDataset *
sluice_inference_to_dataset (SluiceInference *self,
                             const char      *name,
                             const char      *sample)
{
  g_autoptr(SluiceDataset) dataset = NULL;
  g_autoptr(GPtrArray) names = g_ptr_array_new ();
  g_autoptr(GPtrArray) types = g_ptr_array_new ();
  g_autoptr(GArray) nullable = g_array_new (FALSE, FALSE, sizeof (gboolean));

  g_return_val_if_fail (SLUICE_IS_INFERENCE (self), NULL);
  g_return_val_if_fail (name != NULL, NULL);

  dataset = sluice_dataset_new (name);
  sluice_dataset_set_format (dataset, self->format);
  sluice_dataset_set_options (dataset, self->options);
  sluice_dataset_set_sample (dataset, sample);
  for (guint i = 0; i < self->columns->len; i++)
    {
      Column *c = &g_array_index (self->columns, Column, i);

      g_ptr_array_add (names, c->name);
      g_ptr_array_add (types, c->type);
      g_array_append_val (nullable, c->nullable);
    }
  sluice_dataset_set_columns (dataset, self->columns->len,
                              (const char * const *) names->pdata,
                              (const char * const *) types->pdata,
                              (const gboolean *) nullable->data, NULL);
  return g_steal_pointer (&dataset);
}
