/* A Join says how each input after the first joins, in its "joins" config: a
 * list of records { input, type, condition }. When an input is added or
 * removed, by the inspector, the command line or anything else that calls
 * sluice_pipeline_add_input/remove_input, its record follows in the same
 * undo step. */
#define G_LOG_DOMAIN "sluice-pipeline"

#include "config.h"

#include "sluice-gem.h"
#include "sluice-pipeline-private.h"

void
_sluice_pipeline_follow_join_inputs (SluicePipeline *self,
                                     SluiceGem      *gem,
                                     const char     *added,
                                     const char     *removed)
{
  JsonNode *joins;
  g_autoptr(JsonArray) out = NULL;
  g_autoptr(JsonNode) value = NULL;
  gboolean changed = FALSE;

  g_return_if_fail (self->group != NULL);

  if (g_strcmp0 (sluice_gem_get_type_name (gem), "Join") != 0)
    return;

  out = json_array_new ();
  joins = sluice_gem_get_config (gem, "joins");
  if (joins && JSON_NODE_HOLDS_ARRAY (joins))
    {
      JsonArray *array = json_node_get_array (joins);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *element = json_array_get_element (array, i);

          if (removed && JSON_NODE_HOLDS_OBJECT (element) &&
              g_strcmp0 (json_object_get_string_member_with_default (json_node_get_object (element), "input", NULL),
                         removed) == 0)
            {
              changed = TRUE;
              continue;
            }
          json_array_add_element (out, json_node_copy (element));
        }
    }
  /* A new input joins inner, on an empty condition that the resolver flags
   * until one is written. */
  if (added)
    {
      JsonObject *record = json_object_new ();

      json_object_set_string_member (record, "input", added);
      json_object_set_string_member (record, "type", "inner");
      json_object_set_string_member (record, "condition", "");
      json_array_add_object_element (out, record);
      changed = TRUE;
    }
  if (!changed)
    return;
  value = json_node_init_array (json_node_alloc (), out);
  sluice_pipeline_set_config (self, sluice_gem_get_id (gem), "joins", value, NULL);
}
