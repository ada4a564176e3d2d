#define G_LOG_DOMAIN "sluice-json-writer"

#include "config.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "sluice-json-writer.h"

typedef struct
{
  GString    *out;
  GHashTable *positions;
  guint       line;
  gsize       line_start;   /* offset in out where the current line starts */
} Writer;

static void
remember (Writer   *w,
          JsonNode *node)
{
  guint column;

  if (w->positions == NULL)
    return;
  /* Columns count characters; everything before a value on its line is
   * indentation, keys and punctuation, which may hold UTF-8 keys. */
  column = g_utf8_strlen (w->out->str + w->line_start, w->out->len - w->line_start) + 1;
  g_hash_table_insert (w->positions, node,
                       GSIZE_TO_POINTER (((guint64) w->line << 32) | column));
}

static void
newline (Writer *w,
         guint   indent)
{
  g_string_append_c (w->out, '\n');
  w->line++;
  w->line_start = w->out->len;
  for (guint i = 0; i < indent; i++)
    g_string_append (w->out, "  ");
}

void
sluice_json_append_string (GString    *out,
                           const char *s)
{
  g_string_append_c (out, '"');
  for (const guchar *p = (const guchar *) s; *p; p++)
    {
      switch (*p)
        {
        case '"':  g_string_append (out, "\\\""); break;
        case '\\': g_string_append (out, "\\\\"); break;
        case '\n': g_string_append (out, "\\n"); break;
        case '\t': g_string_append (out, "\\t"); break;
        case '\r': g_string_append (out, "\\r"); break;
        case '\b': g_string_append (out, "\\b"); break;
        case '\f': g_string_append (out, "\\f"); break;
        default:
          if (*p < 0x20 || *p == 0x7F)
            g_string_append_printf (out, "\\u%04X", *p);
          else
            g_string_append_c (out, *p);
        }
    }
  g_string_append_c (out, '"');
}

/* The shortest text that reads back as the same double, always with a
 * fraction or exponent so that it reads back as a double. */
static void
append_double (GString *out,
               double   v)
{
  char buf[G_ASCII_DTOSTR_BUF_SIZE];

  if (!isfinite (v))
    {
      /* JSON has no NaN or infinity; the reader never produces them. */
      g_string_append (out, "null");
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

static gboolean
is_scalar (JsonNode *node)
{
  return JSON_NODE_HOLDS_VALUE (node) || JSON_NODE_HOLDS_NULL (node);
}

static gboolean
array_is_scalar (JsonArray *array)
{
  guint n = json_array_get_length (array);

  for (guint i = 0; i < n; i++)
    if (!is_scalar (json_array_get_element (array, i)))
      return FALSE;
  return TRUE;
}

/* Objects that are one line in the file: a diff of them is one line. */
static gboolean
object_is_inline (JsonObject *object,
                  const char *member,
                  gboolean    in_array)
{
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;

  if (g_strcmp0 (member, "position") == 0 && !in_array)
    ;
  else if (in_array && (g_strcmp0 (member, "edges") == 0 || g_strcmp0 (member, "schema") == 0))
    ;
  else
    return FALSE;

  /* Only when every member is a scalar; anything else would be unreadable.
   * (json-glib 1.6's ordered iterator needs a non-NULL name pointer.) */
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    if (!is_scalar (value))
      return FALSE;
  return TRUE;
}

static void write_node (Writer *w, JsonNode *node, guint indent, const char *member, gboolean in_array);

static void
write_scalar (Writer   *w,
              JsonNode *node)
{
  remember (w, node);
  if (JSON_NODE_HOLDS_NULL (node))
    {
      g_string_append (w->out, "null");
      return;
    }
  switch (json_node_get_value_type (node))
    {
    case G_TYPE_INT64:
      g_string_append_printf (w->out, "%" G_GINT64_FORMAT, json_node_get_int (node));
      break;
    case G_TYPE_DOUBLE:
      append_double (w->out, json_node_get_double (node));
      break;
    case G_TYPE_BOOLEAN:
      g_string_append (w->out, json_node_get_boolean (node) ? "true" : "false");
      break;
    case G_TYPE_STRING:
      sluice_json_append_string (w->out, json_node_get_string (node));
      break;
    default:
      g_assert_not_reached ();
    }
}

static void
write_object (Writer     *w,
              JsonNode   *node,
              guint       indent,
              const char *member,
              gboolean    in_array)
{
  JsonObject *object = json_node_get_object (node);
  JsonObjectIter iter;
  const char *key;
  JsonNode *value;
  gboolean first = TRUE;

  remember (w, node);

  if (json_object_get_size (object) == 0)
    {
      g_string_append (w->out, "{}");
      return;
    }

  if (object_is_inline (object, member, in_array))
    {
      g_string_append_c (w->out, '{');
      json_object_iter_init_ordered (&iter, object);
      while (json_object_iter_next_ordered (&iter, &key, &value))
        {
          if (!first)
            g_string_append (w->out, ", ");
          first = FALSE;
          sluice_json_append_string (w->out, key);
          g_string_append (w->out, ": ");
          write_scalar (w, value);
        }
      g_string_append_c (w->out, '}');
      return;
    }

  g_string_append_c (w->out, '{');
  json_object_iter_init_ordered (&iter, object);
  while (json_object_iter_next_ordered (&iter, &key, &value))
    {
      if (!first)
        g_string_append_c (w->out, ',');
      first = FALSE;
      newline (w, indent + 1);
      sluice_json_append_string (w->out, key);
      g_string_append (w->out, ": ");
      write_node (w, value, indent + 1, key, FALSE);
    }
  newline (w, indent);
  g_string_append_c (w->out, '}');
}

static void
write_array (Writer     *w,
             JsonNode   *node,
             guint       indent,
             const char *member)
{
  JsonArray *array = json_node_get_array (node);
  guint n = json_array_get_length (array);

  remember (w, node);

  if (n == 0)
    {
      g_string_append (w->out, "[]");
      return;
    }

  if (array_is_scalar (array))
    {
      g_string_append_c (w->out, '[');
      for (guint i = 0; i < n; i++)
        {
          if (i > 0)
            g_string_append (w->out, ", ");
          write_scalar (w, json_array_get_element (array, i));
        }
      g_string_append_c (w->out, ']');
      return;
    }

  g_string_append_c (w->out, '[');
  for (guint i = 0; i < n; i++)
    {
      if (i > 0)
        g_string_append_c (w->out, ',');
      newline (w, indent + 1);
      write_node (w, json_array_get_element (array, i), indent + 1, member, TRUE);
    }
  newline (w, indent);
  g_string_append_c (w->out, ']');
}

static void
write_node (Writer     *w,
            JsonNode   *node,
            guint       indent,
            const char *member,
            gboolean    in_array)
{
  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      write_object (w, node, indent, member, in_array);
      break;
    case JSON_NODE_ARRAY:
      write_array (w, node, indent, member);
      break;
    case JSON_NODE_VALUE:
    case JSON_NODE_NULL:
      write_scalar (w, node);
      break;
    default:
      g_assert_not_reached ();
    }
}

/* ---- streaming ---- */

typedef struct
{
  gboolean is_array;
  gboolean inline_;
  gboolean first;
} Level;

struct _SluiceJsonWriter
{
  Writer  w;
  GArray *levels;   /* Level */
};

SluiceJsonWriter *
sluice_json_writer_new (gsize size_hint)
{
  SluiceJsonWriter *self = g_new0 (SluiceJsonWriter, 1);

  self->w.out = g_string_sized_new (MAX (size_hint, 4096));
  self->w.line = 1;
  self->levels = g_array_new (FALSE, FALSE, sizeof (Level));
  return self;
}

static Level *
top (SluiceJsonWriter *self)
{
  g_assert (self->levels->len > 0);
  return &g_array_index (self->levels, Level, self->levels->len - 1);
}

static void
open_level (SluiceJsonWriter *self,
            gboolean          is_array,
            gboolean          inline_,
            char              bracket)
{
  Level level = { is_array, inline_, TRUE };

  g_string_append_c (self->w.out, bracket);
  g_array_append_val (self->levels, level);
}

static void
close_level (SluiceJsonWriter *self,
             char              bracket)
{
  Level level = *top (self);

  g_array_set_size (self->levels, self->levels->len - 1);
  if (!level.first && !level.inline_)
    newline (&self->w, self->levels->len);
  g_string_append_c (self->w.out, bracket);
}

void
sluice_json_writer_begin_object (SluiceJsonWriter *self,
                                 gboolean          inline_)
{
  open_level (self, FALSE, inline_, '{');
}

void
sluice_json_writer_end_object (SluiceJsonWriter *self)
{
  close_level (self, '}');
}

void
sluice_json_writer_begin_array (SluiceJsonWriter *self)
{
  open_level (self, TRUE, FALSE, '[');
}

void
sluice_json_writer_end_array (SluiceJsonWriter *self)
{
  close_level (self, ']');
}

void
sluice_json_writer_key (SluiceJsonWriter *self,
                        const char       *key)
{
  Level *level = top (self);

  if (!level->first)
    g_string_append (self->w.out, level->inline_ ? ", " : ",");
  level->first = FALSE;
  if (!level->inline_)
    newline (&self->w, self->levels->len);
  if (key != NULL)
    {
      sluice_json_append_string (self->w.out, key);
      g_string_append (self->w.out, ": ");
    }
}

void
sluice_json_writer_string (SluiceJsonWriter *self,
                           const char       *value)
{
  sluice_json_append_string (self->w.out, value);
}

void
sluice_json_writer_int (SluiceJsonWriter *self,
                        gint64            value)
{
  g_string_append_printf (self->w.out, "%" G_GINT64_FORMAT, value);
}

void
sluice_json_writer_node (SluiceJsonWriter *self,
                         JsonNode         *node,
                         const char       *member)
{
  gboolean in_array = self->levels->len > 0 && top (self)->is_array;

  write_node (&self->w, node, self->levels->len, member, in_array);
}

GBytes *
sluice_json_writer_finish (SluiceJsonWriter *self)
{
  GBytes *bytes;

  g_assert (self->levels->len == 0);
  g_string_append_c (self->w.out, '\n');
  bytes = g_string_free_to_bytes (self->w.out);
  g_array_unref (self->levels);
  g_free (self);
  return bytes;
}

GBytes *
sluice_json_write (JsonNode   *root,
                   GHashTable *positions)
{
  Writer w = { 0 };

  g_return_val_if_fail (root != NULL, NULL);

  w.out = g_string_sized_new (4096);
  w.positions = positions;
  w.line = 1;
  w.line_start = 0;

  write_node (&w, root, 0, NULL, FALSE);
  g_string_append_c (w.out, '\n');

  return g_string_free_to_bytes (w.out);
}
