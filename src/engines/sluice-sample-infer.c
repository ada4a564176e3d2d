#define G_LOG_DOMAIN "sluice-sample-infer"

#include "config.h"

#include <errno.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-csv-private.h"
#include "sluice-datetime-private.h"
#include "sluice-engine-error.h"
#include "sluice-sample-reader.h"

/* From narrow to wide; NONE: only NULLs seen so far. */
typedef enum {
  GUESS_NONE,
  GUESS_BIGINT,
  GUESS_DOUBLE,
  GUESS_BOOLEAN,
  GUESS_DATE,
  GUESS_TIMESTAMP,
  GUESS_STRING,
} Guess;

typedef struct
{
  char  *name;    /* owned */
  Guess  guess;
} Inferred;

static Guess
merge (Guess a,
       Guess b)
{
  if (a == GUESS_NONE || a == b)
    return b;
  if (b == GUESS_NONE)
    return a;
  if ((a == GUESS_BIGINT && b == GUESS_DOUBLE) || (a == GUESS_DOUBLE && b == GUESS_BIGINT))
    return GUESS_DOUBLE;
  if ((a == GUESS_DATE && b == GUESS_TIMESTAMP) || (a == GUESS_TIMESTAMP && b == GUESS_DATE))
    return GUESS_TIMESTAMP;
  return GUESS_STRING;
}

static Guess
classify_datetime (const char             *s,
                   gsize                   len,
                   const SluiceCsvOptions *o)
{
  SluiceDateTime dt;

  if (o && o->date_format && _sluice_datetime_parse_pattern (s, len, o->date_format, &dt))
    return GUESS_DATE;
  if (o && o->timestamp_format && _sluice_datetime_parse_pattern (s, len, o->timestamp_format, &dt))
    return GUESS_TIMESTAMP;
  if (_sluice_datetime_parse (s, len, &dt))
    return dt.has_time ? GUESS_TIMESTAMP : GUESS_DATE;
  return GUESS_STRING;
}

static Guess
classify_text (const char             *s,
               gsize                   len,
               const SluiceCsvOptions *o)
{
  char buf[64];
  char *end;
  gsize i = (len > 0 && (s[0] == '-' || s[0] == '+')) ? 1 : 0;
  gboolean all_digits = i < len && len <= 19;

  for (gsize j = i; j < len && all_digits; j++)
    all_digits = g_ascii_isdigit (s[j]);
  if (all_digits)
    return GUESS_BIGINT;
  if (len < sizeof buf && len > 0 && (g_ascii_isdigit (s[i]) || s[i] == '.') && !memchr (s, 'x', len))
    {
      memcpy (buf, s, len);
      buf[len] = '\0';
      g_ascii_strtod (buf, &end);
      if (end == buf + len)
        return GUESS_DOUBLE;
    }
  if ((len == 4 && g_ascii_strncasecmp (s, "true", 4) == 0) || (len == 5 && g_ascii_strncasecmp (s, "false", 5) == 0))
    return GUESS_BOOLEAN;
  return classify_datetime (s, len, o);
}

static Inferred *
column_at (GArray *columns,
           guint   i)
{
  while (columns->len <= i)
    {
      Inferred c = { g_strdup_printf ("_c%u", columns->len), GUESS_NONE };
      g_array_append_val (columns, c);
    }
  return &g_array_index (columns, Inferred, i);
}

static gboolean
infer_csv (const char  *path,
           const char  *data,
           gsize        size,
           JsonObject  *options,
           guint        max_rows,
           GArray      *columns,
           GError     **error)
{
  SluiceCsvOptions o;
  SluiceCsvReader r;
  gsize null_len;
  guint rows = 0;
  gboolean header_pending;
  g_autoptr(GError) local = NULL;

  if (!_sluice_csv_options_read (options, &o, error))
    return FALSE;
  null_len = strlen (o.null_value);
  header_pending = o.header;
  _sluice_csv_reader_init (&r, path, data, size, o.delimiter, o.quote, o.escape);
  while (rows < max_rows && _sluice_csv_reader_next (&r, &local))
    {
      for (guint i = 0; i < r.fields->len; i++)
        {
          SluiceCsvField *f = &g_array_index (r.fields, SluiceCsvField, i);
          Inferred *c = column_at (columns, i);

          if (header_pending)
            {
              g_free (c->name);
              c->name = g_utf8_make_valid (f->start, f->len);
            }
          else if (!(f->len == 0 || (!f->quoted && f->len == null_len && memcmp (f->start, o.null_value, null_len) == 0)))
            c->guess = merge (c->guess, classify_text (f->start, f->len, &o));
        }
      if (!header_pending)
        rows++;
      header_pending = FALSE;
    }
  _sluice_csv_reader_clear (&r);
  if (local != NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local));
      return FALSE;
    }
  return TRUE;
}

static Guess
classify_json (JsonNode *node)
{
  if (JSON_NODE_HOLDS_NULL (node))
    return GUESS_NONE;
  if (!JSON_NODE_HOLDS_VALUE (node))
    return GUESS_STRING;
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:   return GUESS_BIGINT;
    case G_TYPE_DOUBLE:  return GUESS_DOUBLE;
    case G_TYPE_BOOLEAN: return GUESS_BOOLEAN;
    default:
      {
        const char *s = json_node_get_string (node);
        return classify_datetime (s, strlen (s), NULL);
      }
    }
}

static gboolean
infer_jsonl (const char  *path,
             const char  *data,
             gsize        size,
             guint        max_rows,
             GArray      *columns,
             GError     **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  g_autoptr(GHashTable) index = g_hash_table_new (g_str_hash, g_str_equal);
  const char *p = data, *end = data + size;
  guint line_no = 0, rows = 0;

  while (p < end && rows < max_rows)
    {
      const char *nl = memchr (p, '\n', end - p);
      gsize len = (nl ? nl : end) - p;
      g_autoptr(GError) local = NULL;
      g_autoptr(GList) members = NULL;
      JsonObject *object;
      const char *line = p;

      line_no++;
      p = nl ? nl + 1 : end;
      if (len == 0 || (len == 1 && line[0] == '\r'))
        continue;
      if (!json_parser_load_from_data (parser, line, len, &local)
          || !JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA,
                       _("%s:%u:1: a line must hold a JSON object"), path, line_no);
          return FALSE;
        }
      object = json_node_get_object (json_parser_get_root (parser));
      members = json_object_get_members (object);
      for (GList *m = members; m; m = m->next)
        {
          gpointer slot;
          Inferred *c;

          if (!g_hash_table_lookup_extended (index, m->data, NULL, &slot))
            {
              Inferred fresh = { g_strdup (m->data), GUESS_NONE };
              g_array_append_val (columns, fresh);
              slot = GUINT_TO_POINTER (columns->len - 1);
              g_hash_table_insert (index, g_array_index (columns, Inferred, columns->len - 1).name, slot);
            }
          c = &g_array_index (columns, Inferred, GPOINTER_TO_UINT (slot));
          c->guess = merge (c->guess, classify_json (json_object_get_member (object, m->data)));
        }
      rows++;
    }
  return TRUE;
}

static void
column_clear (gpointer data)
{
  g_free (((SluiceColumn *) data)->name);
}

GArray *
sluice_sample_infer_schema (const char  *path,
                            const char  *format,
                            JsonObject  *options,
                            guint        max_rows,
                            GError     **error)
{
  g_autoptr(GMappedFile) map = NULL;
  g_autoptr(GArray) inferred = g_array_new (FALSE, TRUE, sizeof (Inferred));
  g_autoptr(GError) local = NULL;
  GArray *result;
  const char *data;
  gsize size;
  gboolean ok;

  g_return_val_if_fail (path != NULL && format != NULL, NULL);
  g_return_val_if_fail (error == NULL || *error == NULL, NULL);

  if (!g_str_equal (format, "csv") && !g_str_equal (format, "jsonl"))
    {
      g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_FAILED,
                   _("%s: the local engine reads CSV and JSON-lines samples, not %s"), path, format);
      return NULL;
    }
  map = g_mapped_file_new (path, FALSE, &local);
  if (map == NULL)
    {
      g_set_error (error, local->domain, local->code, "%s: %s", path, g_strerror (errno ? errno : EIO));
      return NULL;
    }
  data = g_mapped_file_get_contents (map);
  size = g_mapped_file_get_length (map);
  if (data == NULL)
    data = "";
  ok = g_str_equal (format, "csv") ? infer_csv (path, data, size, options, max_rows, inferred, error)
                                   : infer_jsonl (path, data, size, max_rows, inferred, error);
  result = g_array_new (FALSE, TRUE, sizeof (SluiceColumn));
  g_array_set_clear_func (result, column_clear);
  for (guint i = 0; i < inferred->len; i++)
    {
      static const SluiceSqlKind kinds[] = {
        [GUESS_NONE] = SLUICE_SQL_STRING, [GUESS_BIGINT] = SLUICE_SQL_BIGINT,
        [GUESS_DOUBLE] = SLUICE_SQL_DOUBLE, [GUESS_BOOLEAN] = SLUICE_SQL_BOOLEAN,
        [GUESS_DATE] = SLUICE_SQL_DATE, [GUESS_TIMESTAMP] = SLUICE_SQL_TIMESTAMP,
        [GUESS_STRING] = SLUICE_SQL_STRING,
      };
      Inferred *c = &g_array_index (inferred, Inferred, i);
      SluiceColumn col = { g_steal_pointer (&c->name), SLUICE_SQL_TYPE (kinds[c->guess]) };
      g_array_append_val (result, col);
    }
  if (!ok)
    {
      g_array_unref (result);
      return NULL;
    }
  return result;
}
