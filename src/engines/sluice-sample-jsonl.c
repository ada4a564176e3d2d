#define G_LOG_DOMAIN "sluice-sample-reader"

#include "config.h"

#include <stdio.h>
#include <string.h>

#include <glib/gi18n-lib.h>

#include "sluice-csv-private.h"
#include "sluice-engine-error.h"
#include "sluice-sample-reader-private.h"

/* JSON lines: one object per line, members matched to columns by name. */

/* The column of @name's value on a JSON line, for messages: json-glib
 * keeps no positions. */
static const char *
member_position (const char *line,
                 gsize       len,
                 const char *name)
{
  g_autofree char *key = g_strdup_printf ("\"%s\"", name);
  gsize klen = strlen (key);

  for (const char *p = line; p + klen <= line + len; p++)
    if (memcmp (p, key, klen) == 0)
      {
        const char *q = p + klen;
        while (q < line + len && (*q == ' ' || *q == '\t'))
          q++;
        if (q < line + len && *q == ':')
          {
            for (q++; q < line + len && (*q == ' ' || *q == '\t'); q++)
              ;
            return q;
          }
      }
  return line;
}

static gboolean
bind_json (SluiceSampleLoad  *l,
           guint              i,
           JsonObject        *object,
           const char        *line,
           gsize              len,
           guint              line_no,
           GError           **error)
{
  SluiceSampleColumn *c = &l->columns[i];
  JsonNode *node = json_object_get_member (object, c->name);
  SluiceSamplePlace at = { line_no, line, NULL };
  GType vt;

  if (node == NULL || JSON_NODE_HOLDS_NULL (node))
    {
      at.pos = node ? member_position (line, len, c->name) : line;
      return _sluice_sample_bind_value (l, i, NULL, 0, TRUE, &at, error);
    }
  at.pos = member_position (line, len, c->name);
  vt = JSON_NODE_HOLDS_VALUE (node) ? json_node_get_value_type (node) : G_TYPE_INVALID;
  switch (c->type.kind)
    {
    case SLUICE_SQL_INT:
    case SLUICE_SQL_BIGINT:
      if (vt == G_TYPE_INT64)
        {
          gint64 v = json_node_get_int (node);
          if (c->type.kind == SLUICE_SQL_INT && (v < G_MININT32 || v > G_MAXINT32))
            {
              /* Formatted apart: a 64-bit format has no place in a msgid. */
              g_autofree char *number = g_strdup_printf ("%" G_GINT64_FORMAT, v);
              return _sluice_sample_value_error (l, &at, i, error, _("%s is out of range for int"), number);
            }
          sqlite3_bind_int64 (l->insert, i + 1, v);
          return TRUE;
        }
      break;
    case SLUICE_SQL_DOUBLE:
    case SLUICE_SQL_DECIMAL:
      if (vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE)
        {
          sqlite3_bind_double (l->insert, i + 1, json_node_get_double (node));
          return TRUE;
        }
      break;
    case SLUICE_SQL_BOOLEAN:
      if (vt == G_TYPE_BOOLEAN)
        {
          sqlite3_bind_int (l->insert, i + 1, json_node_get_boolean (node));
          return TRUE;
        }
      /* 0 and 1, as the local engine stores booleans and writes them back */
      if (vt == G_TYPE_INT64 && (json_node_get_int (node) == 0 || json_node_get_int (node) == 1))
        {
          sqlite3_bind_int (l->insert, i + 1, json_node_get_int (node));
          return TRUE;
        }
      break;
    case SLUICE_SQL_STRING:
      if (vt != G_TYPE_STRING)
        {
          /* Spark reads any other value into a string column as its JSON text. */
          g_autofree char *text = json_to_string (node, FALSE);
          sqlite3_bind_text (l->insert, i + 1, text, -1, SQLITE_TRANSIENT);
          return TRUE;
        }
      G_GNUC_FALLTHROUGH;
    case SLUICE_SQL_DATE:
    case SLUICE_SQL_TIMESTAMP:
    default:
      if (vt == G_TYPE_STRING)
        {
          const char *s = json_node_get_string (node);
          return _sluice_sample_bind_value (l, i, s, strlen (s), FALSE, &at, error);
        }
      break;
    }
  {
    g_autofree char *type = sluice_sql_type_to_string (c->type);
    const char *found = vt == G_TYPE_INT64 || vt == G_TYPE_DOUBLE ? "number"
                        : vt == G_TYPE_STRING ? "string" : vt == G_TYPE_BOOLEAN ? "boolean"
                        : JSON_NODE_HOLDS_ARRAY (node) ? "array" : "object";

    /* TRANSLATORS: "expected int, found a JSON string" */
    return _sluice_sample_value_error (l, &at, i, error, _("expected %s, found a JSON %s"), type, found);
  }
}

/* json-glib's messages start "<data>:LINE:COL: "; keep the column. */
guint
_sluice_sample_json_error_column (const GError *e)
{
  const char *p = strstr (e->message, ">:");
  guint line, col;

  if (p && sscanf (p + 2, "%u:%u", &line, &col) == 2)
    return col;
  return 1;
}

gboolean
_sluice_sample_load_jsonl (sqlite3             *db,
                           SluiceSampleLoad    *l,
                           const char          *data,
                           gsize                size,
                           SluiceLoadProgress   progress,
                           gpointer             user_data,
                           GCancellable        *cancellable,
                           GError             **error)
{
  g_autoptr(JsonParser) parser = json_parser_new_immutable ();
  const char *p = data, *end = data + size;
  guint line_no = 0;
  guint64 row = 0;

  if (size >= 3 && memcmp (data, "\xEF\xBB\xBF", 3) == 0)
    p += 3;
  for (; p < end && l->n_rows < l->max_rows; )
    {
      const char *nl = memchr (p, '\n', end - p);
      const char *line = p, *bad;
      gsize len = (nl ? nl : end) - p;
      g_autoptr(GError) local = NULL;
      JsonNode *root;

      line_no++;
      p = nl ? nl + 1 : end;
      if (len > 0 && line[len - 1] == '\r')
        len--;
      if (len == 0)
        continue;
      if (!g_utf8_validate_len (line, len, &bad))
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA, _("%s:%u:%u: the text is not valid UTF-8"),
                       l->path, line_no, _sluice_csv_column (line, bad));
          return FALSE;
        }
      if (!json_parser_load_from_data (parser, line, len, &local))
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA, "%s:%u:%u: %s",
                       l->path, line_no, _sluice_sample_json_error_column (local),
                       strstr (local->message, ": ") ? strstr (local->message, ": ") + 2 : local->message);
          return FALSE;
        }
      root = json_parser_get_root (parser);
      if (root == NULL || !JSON_NODE_HOLDS_OBJECT (root))
        {
          g_set_error (error, SLUICE_ENGINE_ERROR, SLUICE_ENGINE_ERROR_DATA, _("%s:%u:1: a line must hold a JSON object"),
                       l->path, line_no);
          return FALSE;
        }
      for (guint i = 0; i < l->n_columns; i++)
        if (!bind_json (l, i, json_node_get_object (root), line, len, line_no, error))
          return FALSE;
      if (!_sluice_sample_step_row (db, l, error))
        return FALSE;
      l->n_rows++;
      row++;
      if (!_sluice_sample_check_every (row, p, data, size, progress, user_data, cancellable, error))
        return FALSE;
    }
  return TRUE;
}

