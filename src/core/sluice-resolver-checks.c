/* The resolver's checks that only report: a Window gem's frame, and a
 * Target's input against its dataset. */
#define G_LOG_DOMAIN "sluice-resolver"

#include "config.h"

#include <glib/gi18n-lib.h>

#include "sluice-dataset.h"
#include "sluice-gem.h"
#include "sluice-resolver-private.h"

/* A frame bound: its place on a line from unbounded preceding (G_MININT64)
 * to unbounded following (G_MAXINT64), current row at 0. */
static gboolean
frame_bound (const char *text,
             gint64     *at,
             gboolean   *is_offset)
{
  gint64 n;
  char *end = NULL;

  *is_offset = FALSE;
  if (g_str_equal (text, "unbounded_preceding"))
    *at = G_MININT64;
  else if (g_str_equal (text, "unbounded_following"))
    *at = G_MAXINT64;
  else if (g_str_equal (text, "current_row"))
    *at = 0;
  else
    {
      n = g_ascii_strtoll (text, &end, 10);
      if (*text == '\0' || end == NULL || *end != '\0' || n <= G_MININT64 + 1 || n >= G_MAXINT64 - 1)
        return FALSE;
      *at = n;
      *is_offset = n != 0;
    }
  return TRUE;
}

void
_sluice_resolver_check_window_frame (SluiceResolverCtx *ctx)
{
  const char *frame = _sluice_resolver_config_string (ctx->gem, NULL, "frame");
  const char *start = _sluice_resolver_config_string (ctx->gem, NULL, "frame_start");
  const char *end = _sluice_resolver_config_string (ctx->gem, NULL, "frame_end");
  const char *paths[2] = { "config/frame_start", "config/frame_end" };
  const char *texts[2] = { start, end };
  gint64 at[2] = { G_MININT64, 0 };
  gboolean offset[2] = { FALSE, FALSE };
  gboolean ok = TRUE;

  if (frame == NULL || g_str_equal (frame, "default"))
    {
      if (start || end)
        _sluice_resolver_report (ctx, start ? paths[0] : paths[1], NULL, -1, _("frame"),
                _("a frame start or end needs the frame set to rows or range"));
      return;
    }
  for (guint i = 0; i < 2; i++)
    if (texts[i] && !frame_bound (texts[i], &at[i], &offset[i]))
      {
        _sluice_resolver_report (ctx, paths[i], NULL, -1, i ? _("frame end") : _("frame start"),
                _("“%s” is not unbounded_preceding, current_row, unbounded_following or a whole number of rows"),
                texts[i]);
        ok = FALSE;
      }
  if (!ok)
    return;
  if (at[0] == G_MAXINT64)
    _sluice_resolver_report (ctx, paths[0], NULL, -1, _("frame start"), _("a frame cannot start at unbounded_following"));
  else if (at[1] == G_MININT64)
    _sluice_resolver_report (ctx, paths[1], NULL, -1, _("frame end"), _("a frame cannot end at unbounded_preceding"));
  else if (at[0] > at[1])
    _sluice_resolver_report (ctx, paths[1], NULL, -1, _("frame end"), _("the frame ends before it starts"));
  else if (g_str_equal (frame, "range") && (offset[0] || offset[1]))
    {
      JsonNode *order = sluice_gem_get_config (ctx->gem, "order_by");
      if (!order || !JSON_NODE_HOLDS_ARRAY (order) || json_array_get_length (json_node_get_array (order)) != 1)
        _sluice_resolver_report (ctx, offset[0] ? paths[0] : paths[1], NULL, -1, _("frame"),
                _("a range frame with an offset needs exactly one order-by key"));
    }
}

static SluiceDataset *
dataset_named (SluiceResolver *self,
               const char     *name)
{
  for (guint i = 0; name && i < g_list_model_get_n_items (self->datasets); i++)
    {
      g_autoptr(SluiceDataset) d = g_list_model_get_item (self->datasets, i);
      if (g_str_equal (sluice_dataset_get_name (d), name))
        return d;   /* the list keeps it alive */
    }
  return NULL;
}

/* What flows into a Target must fit its dataset: every column there (by
 * name, as Spark matches them case-insensitively), nothing more, and of a
 * type Spark converts implicitly. Problems point at the dataset setting. */
void
_sluice_resolver_check_target (SluiceResolverCtx    *ctx,
              GArray *input)
{
  const char *name = _sluice_resolver_config_string (ctx->gem, NULL, "dataset");
  SluiceDataset *d = dataset_named (ctx->self, name);
  guint n;

  if (d == NULL || input == NULL)
    return;   /* validation reports a missing dataset */
  n = sluice_dataset_get_n_columns (d);
  for (guint k = 0; k < n; k++)
    if (_sluice_resolver_find_column (input, sluice_dataset_get_column_name (d, k)) < 0)
      _sluice_resolver_report (ctx, "config/dataset", NULL, -1, _("dataset"), _("column “%s” of dataset “%s” is not in the input"),
              sluice_dataset_get_column_name (d, k), name);
  for (guint i = 0; i < input->len; i++)
    {
      SluiceColumn *c = &g_array_index (input, SluiceColumn, i);
      SluiceSqlType want = SLUICE_SQL_TYPE (SLUICE_SQL_UNKNOWN);
      gint at = -1;

      for (guint k = 0; k < n && at < 0; k++)
        if (g_ascii_strcasecmp (sluice_dataset_get_column_name (d, k), c->name) == 0)
          at = k;
      if (at < 0)
        {
          _sluice_resolver_report (ctx, "config/dataset", NULL, -1, _("dataset"), _("the input's column “%s” is not in dataset “%s”"),
                  c->name, name);
          continue;
        }
      /* A type the dataset does not declare was reported on the dataset. */
      if (sluice_sql_type_parse (sluice_dataset_get_column_type (d, at), &want) &&
          !sluice_sql_type_can_coerce (c->type, want))
        {
          g_autofree char *got = sluice_sql_type_to_string (c->type);
          g_autofree char *wanted = sluice_sql_type_to_string (want);
          _sluice_resolver_report (ctx, "config/dataset", NULL, -1, _("dataset"),
                  _("column “%s” is %s, which does not convert to %s in dataset “%s”"), c->name, got, wanted, name);
        }
    }
}

