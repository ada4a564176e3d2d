#define G_LOG_DOMAIN "sluice-json-doc"

#include "config.h"

#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "sluice-json-doc.h"
#include "sluice-model-error.h"

struct _SluiceJsonDoc
{
  JsonNode   *root;       /* owned */
  GHashTable *positions;  /* JsonNode* (borrowed) → packed line << 32 | column */
};

typedef struct
{
  const char *p;
  const char *end;
  guint       line;
  guint       column;
  guint       depth;
  GHashTable *positions;
  guint       err_line;
  guint       err_column;
  GError     *error;
} Reader;

static gboolean
fail_at (Reader     *r,
         guint       line,
         guint       column,
         const char *format,
         ...) G_GNUC_PRINTF (4, 5);

static gboolean
fail_at (Reader     *r,
         guint       line,
         guint       column,
         const char *format,
         ...)
{
  va_list args;

  if (r->error != NULL)
    return FALSE;

  va_start (args, format);
  r->error = g_error_new_valist (SLUICE_MODEL_ERROR, SLUICE_MODEL_ERROR_PARSE, format, args);
  va_end (args);
  r->err_line = line;
  r->err_column = column;
  return FALSE;
}

#define fail(r, ...) fail_at ((r), (r)->line, (r)->column, __VA_ARGS__)

/* Columns count characters, not bytes: skip UTF-8 continuation bytes. */
static inline void
advance (Reader *r)
{
  if (*r->p == '\n')
    {
      r->line++;
      r->column = 1;
    }
  else if (((guchar) *r->p & 0xC0) != 0x80)
    {
      r->column++;
    }
  r->p++;
}

static void
skip_space (Reader *r)
{
  while (r->p < r->end && (*r->p == ' ' || *r->p == '\t' || *r->p == '\n' || *r->p == '\r'))
    advance (r);
}

static void
remember (Reader   *r,
          JsonNode *node,
          guint     line,
          guint     column)
{
  g_hash_table_insert (r->positions, node,
                       GSIZE_TO_POINTER (((guint64) line << 32) | column));
}

static const char *
describe_char (char c, char buf[16])
{
  if (c >= 0x21 && c < 0x7F)
    g_snprintf (buf, 16, "“%c”", c);
  else if (c == ' ')
    g_snprintf (buf, 16, "a space");
  else
    g_snprintf (buf, 16, "byte 0x%02X", (guchar) c);
  return buf;
}

static JsonNode *parse_value (Reader *r);

static int
hex4 (const char *p)
{
  int v = 0;

  for (int i = 0; i < 4; i++)
    {
      int d = g_ascii_xdigit_value (p[i]);
      if (d < 0)
        return -1;
      v = v * 16 + d;
    }
  return v;
}

/* Reads a string literal at r->p (which is '"') into a new UTF-8 string. */
static char *
parse_string (Reader *r)
{
  g_autoptr(GString) out = g_string_new (NULL);
  guint start_line = r->line, start_column = r->column;

  advance (r); /* opening quote */

  for (;;)
    {
      guchar c;

      if (r->p >= r->end)
        {
          fail_at (r, start_line, start_column, "unterminated string");
          return NULL;
        }

      c = (guchar) *r->p;

      if (c == '"')
        {
          advance (r);
          return g_string_free (g_steal_pointer (&out), FALSE);
        }

      if (c < 0x20)
        {
          fail (r, "control character 0x%02X inside a string (write it as an escape)", c);
          return NULL;
        }

      if (c == '\\')
        {
          char e;

          if (r->p + 1 >= r->end)
            {
              fail_at (r, start_line, start_column, "unterminated string");
              return NULL;
            }
          e = r->p[1];
          switch (e)
            {
            case '"':  g_string_append_c (out, '"'); break;
            case '\\': g_string_append_c (out, '\\'); break;
            case '/':  g_string_append_c (out, '/'); break;
            case 'b':  g_string_append_c (out, '\b'); break;
            case 'f':  g_string_append_c (out, '\f'); break;
            case 'n':  g_string_append_c (out, '\n'); break;
            case 'r':  g_string_append_c (out, '\r'); break;
            case 't':  g_string_append_c (out, '\t'); break;
            case 'u':
              {
                int cp;

                if (r->end - r->p < 6 || (cp = hex4 (r->p + 2)) < 0)
                  {
                    fail (r, "“\\u” must be followed by four hexadecimal digits");
                    return NULL;
                  }
                if (cp == 0)
                  {
                    fail (r, "“\\u0000” is not allowed in a string");
                    return NULL;
                  }
                if (cp >= 0xDC00 && cp <= 0xDFFF)
                  {
                    fail (r, "unpaired low surrogate “\\u%04X”", cp);
                    return NULL;
                  }
                if (cp >= 0xD800 && cp <= 0xDBFF)
                  {
                    int lo;

                    if (r->end - r->p < 12 || r->p[6] != '\\' || r->p[7] != 'u' ||
                        (lo = hex4 (r->p + 8)) < 0xDC00 || lo > 0xDFFF)
                      {
                        fail (r, "unpaired high surrogate “\\u%04X”", cp);
                        return NULL;
                      }
                    cp = 0x10000 + ((cp - 0xD800) << 10) + (lo - 0xDC00);
                    for (int i = 0; i < 6; i++)
                      advance (r);
                  }
                g_string_append_unichar (out, cp);
                for (int i = 0; i < 4; i++)
                  advance (r);
              }
              break;
            default:
              advance (r);
              {
                char buf[16];
                fail (r, "invalid escape “\\%s” in a string",
                      (e >= 0x21 && e < 0x7F) ? (char[]){ e, 0 } : describe_char (e, buf));
              }
              return NULL;
            }
          advance (r);
          advance (r);
          continue;
        }

      if (c < 0x80)
        {
          g_string_append_c (out, c);
          advance (r);
        }
      else
        {
          /* Validate one multi-byte sequence. */
          const char *seq_end;
          gsize avail = r->end - r->p;
          gsize len = (c >= 0xF0) ? 4 : (c >= 0xE0) ? 3 : 2;

          if (len > avail || !g_utf8_validate (r->p, len, &seq_end) || seq_end != r->p + len ||
              g_utf8_get_char_validated (r->p, len) == (gunichar) -1 ||
              g_utf8_get_char_validated (r->p, len) == (gunichar) -2)
            {
              fail (r, "invalid UTF-8 (byte 0x%02X)", c);
              return NULL;
            }
          g_string_append_len (out, r->p, len);
          for (gsize i = 0; i < len; i++)
            advance (r);
        }
    }
}

static JsonNode *
parse_number (Reader *r)
{
  const char *start = r->p;
  guint line = r->line, column = r->column;
  gboolean is_int = TRUE;
  g_autofree char *text = NULL;
  JsonNode *node;

  if (r->p < r->end && *r->p == '-')
    advance (r);
  if (r->p >= r->end || !g_ascii_isdigit (*r->p))
    {
      fail_at (r, line, column, "invalid number");
      return NULL;
    }
  if (*r->p == '0')
    {
      advance (r);
      if (r->p < r->end && g_ascii_isdigit (*r->p))
        {
          fail_at (r, line, column, "numbers must not have leading zeros");
          return NULL;
        }
    }
  else
    {
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        advance (r);
    }
  if (r->p < r->end && *r->p == '.')
    {
      is_int = FALSE;
      advance (r);
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        {
          fail (r, "expected a digit after the decimal point");
          return NULL;
        }
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        advance (r);
    }
  if (r->p < r->end && (*r->p == 'e' || *r->p == 'E'))
    {
      is_int = FALSE;
      advance (r);
      if (r->p < r->end && (*r->p == '+' || *r->p == '-'))
        advance (r);
      if (r->p >= r->end || !g_ascii_isdigit (*r->p))
        {
          fail (r, "expected a digit in the exponent");
          return NULL;
        }
      while (r->p < r->end && g_ascii_isdigit (*r->p))
        advance (r);
    }

  text = g_strndup (start, r->p - start);
  node = json_node_alloc ();

  if (is_int)
    {
      gint64 v;
      char *endp;

      errno = 0;
      v = g_ascii_strtoll (text, &endp, 10);
      if (errno == ERANGE)
        {
          json_node_free (node);
          fail_at (r, line, column, "integer %s does not fit in 64 bits", text);
          return NULL;
        }
      json_node_init_int (node, v);
    }
  else
    {
      double v;

      errno = 0;
      v = g_ascii_strtod (text, NULL);
      if (errno == ERANGE && (v > 1.0 || v < -1.0))
        {
          json_node_free (node);
          fail_at (r, line, column, "number %s is too large", text);
          return NULL;
        }
      json_node_init_double (node, v);
    }

  remember (r, node, line, column);
  return node;
}

static gboolean
match_word (Reader     *r,
            const char *word)
{
  gsize len = strlen (word);

  if ((gsize) (r->end - r->p) < len || memcmp (r->p, word, len) != 0)
    return FALSE;
  /* "trueish" is not "true" */
  if ((gsize) (r->end - r->p) > len && g_ascii_isalnum (r->p[len]))
    return FALSE;
  for (gsize i = 0; i < len; i++)
    advance (r);
  return TRUE;
}

static JsonNode *
parse_object (Reader *r)
{
  g_autoptr(JsonObject) object = json_object_new ();
  guint line = r->line, column = r->column;
  JsonNode *node;

  advance (r); /* { */
  skip_space (r);

  if (r->p < r->end && *r->p == '}')
    {
      advance (r);
      goto done;
    }

  for (;;)
    {
      g_autofree char *key = NULL;
      guint key_line, key_column;
      JsonNode *value;

      skip_space (r);
      if (r->p >= r->end)
        {
          fail_at (r, line, column, "unterminated object (missing “}”)");
          return NULL;
        }
      if (*r->p != '"')
        {
          char buf[16];
          fail (r, "expected a quoted key, found %s", describe_char (*r->p, buf));
          return NULL;
        }
      key_line = r->line;
      key_column = r->column;
      if (!(key = parse_string (r)))
        return NULL;
      if (json_object_has_member (object, key))
        {
          fail_at (r, key_line, key_column, "duplicate key “%s”", key);
          return NULL;
        }
      skip_space (r);
      if (r->p >= r->end || *r->p != ':')
        {
          fail (r, "expected “:” after the key “%s”", key);
          return NULL;
        }
      advance (r);
      skip_space (r);
      if (!(value = parse_value (r)))
        return NULL;
      json_object_set_member (object, key, value);
      skip_space (r);
      if (r->p >= r->end)
        {
          fail_at (r, line, column, "unterminated object (missing “}”)");
          return NULL;
        }
      if (*r->p == ',')
        {
          advance (r);
          skip_space (r);
          if (r->p < r->end && *r->p == '}')
            {
              fail (r, "trailing comma before “}”");
              return NULL;
            }
          continue;
        }
      if (*r->p == '}')
        {
          advance (r);
          break;
        }
      {
        char buf[16];
        fail (r, "expected “,” or “}”, found %s", describe_char (*r->p, buf));
      }
      return NULL;
    }

done:
  node = json_node_alloc ();
  json_node_init_object (node, object);
  remember (r, node, line, column);
  return node;
}

static JsonNode *
parse_array (Reader *r)
{
  g_autoptr(JsonArray) array = json_array_new ();
  guint line = r->line, column = r->column;
  JsonNode *node;

  advance (r); /* [ */
  skip_space (r);

  if (r->p < r->end && *r->p == ']')
    {
      advance (r);
      goto done;
    }

  for (;;)
    {
      JsonNode *value;

      skip_space (r);
      if (r->p >= r->end)
        {
          fail_at (r, line, column, "unterminated array (missing “]”)");
          return NULL;
        }
      if (!(value = parse_value (r)))
        return NULL;
      json_array_add_element (array, value);
      skip_space (r);
      if (r->p >= r->end)
        {
          fail_at (r, line, column, "unterminated array (missing “]”)");
          return NULL;
        }
      if (*r->p == ',')
        {
          advance (r);
          skip_space (r);
          if (r->p < r->end && *r->p == ']')
            {
              fail (r, "trailing comma before “]”");
              return NULL;
            }
          continue;
        }
      if (*r->p == ']')
        {
          advance (r);
          break;
        }
      {
        char buf[16];
        fail (r, "expected “,” or “]”, found %s", describe_char (*r->p, buf));
      }
      return NULL;
    }

done:
  node = json_node_alloc ();
  json_node_init_array (node, array);
  remember (r, node, line, column);
  return node;
}

static JsonNode *
parse_value (Reader *r)
{
  guint line = r->line, column = r->column;
  JsonNode *node;

  if (r->p >= r->end)
    {
      fail (r, "unexpected end of file, expected a value");
      return NULL;
    }

  switch (*r->p)
    {
    case '{':
    case '[':
      if (r->depth >= SLUICE_JSON_MAX_DEPTH)
        {
          fail (r, "nesting deeper than %d levels", SLUICE_JSON_MAX_DEPTH);
          return NULL;
        }
      r->depth++;
      node = (*r->p == '{') ? parse_object (r) : parse_array (r);
      r->depth--;
      return node;

    case '"':
      {
        char *s = parse_string (r);
        if (!s)
          return NULL;
        node = json_node_alloc ();
        json_node_init_string (node, s);
        g_free (s);
        remember (r, node, line, column);
        return node;
      }

    case '-':
    case '0': case '1': case '2': case '3': case '4':
    case '5': case '6': case '7': case '8': case '9':
      return parse_number (r);

    default:
      break;
    }

  node = json_node_alloc ();
  if (match_word (r, "true"))
    json_node_init_boolean (node, TRUE);
  else if (match_word (r, "false"))
    json_node_init_boolean (node, FALSE);
  else if (match_word (r, "null"))
    json_node_init_null (node);
  else
    {
      char buf[16];
      json_node_free (node);
      if (((guchar) *r->p) >= 0x80)
        fail (r, "unexpected character outside a string");
      else
        fail (r, "unexpected %s, expected a value", describe_char (*r->p, buf));
      return NULL;
    }
  remember (r, node, line, column);
  return node;
}

SluiceJsonDoc *
sluice_json_doc_parse (const char  *data,
                       gsize        length,
                       guint       *error_line,
                       guint       *error_column,
                       GError     **error)
{
  Reader r = { 0 };
  g_autoptr(GHashTable) positions = g_hash_table_new (NULL, NULL);
  JsonNode *root;
  SluiceJsonDoc *doc;

  g_return_val_if_fail (data != NULL || length == 0, NULL);

  r.p = data;
  r.end = data + length;
  r.line = 1;
  r.column = 1;
  r.positions = positions;

  /* A UTF-8 byte-order mark is harmless; skip it. */
  if (length >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    r.p += 3;

  skip_space (&r);
  if (r.p >= r.end)
    {
      fail (&r, "the file is empty");
      root = NULL;
    }
  else
    {
      root = parse_value (&r);
      if (root)
        {
          skip_space (&r);
          if (r.p < r.end)
            {
              fail (&r, "unexpected text after the end of the document");
              g_clear_pointer (&root, json_node_unref);
            }
        }
    }

  if (root == NULL)
    {
      g_assert (r.error != NULL);
      if (error_line)
        *error_line = r.err_line;
      if (error_column)
        *error_column = r.err_column;
      g_propagate_error (error, r.error);
      return NULL;
    }

  doc = g_new0 (SluiceJsonDoc, 1);
  doc->root = root;
  doc->positions = g_steal_pointer (&positions);
  return doc;
}

JsonNode *
sluice_json_doc_get_root (SluiceJsonDoc *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->root;
}

gboolean
sluice_json_doc_get_position (SluiceJsonDoc *self,
                              JsonNode      *node,
                              guint         *line,
                              guint         *column)
{
  gpointer value;

  g_return_val_if_fail (self != NULL, FALSE);

  if (node == NULL || !g_hash_table_lookup_extended (self->positions, node, NULL, &value))
    {
      if (line)
        *line = 0;
      if (column)
        *column = 0;
      return FALSE;
    }
  if (line)
    *line = (guint) ((guint64) GPOINTER_TO_SIZE (value) >> 32);
  if (column)
    *column = (guint) ((guint64) GPOINTER_TO_SIZE (value) & 0xFFFFFFFF);
  return TRUE;
}

GHashTable *
sluice_json_doc_get_positions (SluiceJsonDoc *self)
{
  g_return_val_if_fail (self != NULL, NULL);
  return self->positions;
}

void
sluice_json_doc_free (SluiceJsonDoc *self)
{
  if (self == NULL)
    return;
  g_clear_pointer (&self->root, json_node_unref);
  g_clear_pointer (&self->positions, g_hash_table_unref);
  g_free (self);
}

JsonNode *
sluice_json_node_deep_copy (JsonNode *node)
{
  JsonNode *copy;

  if (node == NULL)
    return NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      {
        g_autoptr(JsonObject) object = json_object_new ();
        JsonObjectIter iter;
        const char *key;
        JsonNode *value;

        json_object_iter_init_ordered (&iter, json_node_get_object (node));
        while (json_object_iter_next_ordered (&iter, &key, &value))
          json_object_set_member (object, key, sluice_json_node_deep_copy (value));
        copy = json_node_alloc ();
        json_node_init_object (copy, object);
        return copy;
      }
    case JSON_NODE_ARRAY:
      {
        JsonArray *array = json_node_get_array (node);
        guint n = json_array_get_length (array);
        g_autoptr(JsonArray) out = json_array_sized_new (n);

        for (guint i = 0; i < n; i++)
          json_array_add_element (out, sluice_json_node_deep_copy (json_array_get_element (array, i)));
        copy = json_node_alloc ();
        json_node_init_array (copy, out);
        return copy;
      }
    default:
      return json_node_copy (node);
    }
}

void
sluice_json_object_append (JsonObject *into,
                           JsonObject *from)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (from == NULL)
    return;
  json_object_iter_init_ordered (&iter, from);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    json_object_set_member (into, key, sluice_json_node_deep_copy (value));
}
