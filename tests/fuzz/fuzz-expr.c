/* libFuzzer target for the expression parser: any text parses or is refused
 * with a range inside the text, and what parses prints and re-parses. */
#include "config.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "sluice-expr-check.h"
#include "sluice-expr.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

int
LLVMFuzzerTestOneInput (const uint8_t *data,
                        size_t         size)
{
  g_autofree char *text = g_strndup ((const char *) data, size);
  g_autoptr(GError) error = NULL;
  g_autoptr(SluiceExpr) e = NULL;
  guint start, end;

  e = sluice_expr_parse (text, &start, &end, &error);
  if (e == NULL)
    {
      if (error == NULL || start > end)
        abort ();
      if (g_utf8_validate (text, -1, NULL) && end > g_utf8_strlen (text, -1) + 1)
        abort ();  /* the range must lie inside the text (or just past its end) */
      return 0;
    }
  /* Type-check against a small schema under every combination of flags. */
  {
    static const SluiceColumnRef columns[] = {
      { "a", { SLUICE_SQL_INT } }, { "b", { SLUICE_SQL_STRING } }, { "x", { SLUICE_SQL_DECIMAL, 10, 2 } },
      { "d", { SLUICE_SQL_DATE } }, { "f", { SLUICE_SQL_BOOLEAN } },
    };
    static const SluiceExprInput inputs[] = {
      { "in0", columns, G_N_ELEMENTS (columns) },
      { "in1", columns, 2 },
    };

    for (guint flags = 0; flags < 8; flags++)
      {
        g_autoptr(GPtrArray) problems = g_ptr_array_new_with_free_func ((GDestroyNotify) sluice_expr_problem_free);
        sluice_expr_check (e, inputs, G_N_ELEMENTS (inputs), flags, problems);
        for (guint i = 0; i < problems->len; i++)
          {
            SluiceExprProblem *p = g_ptr_array_index (problems, i);
            if (p->start > p->end || p->message == NULL)
              abort ();
          }
      }
  }
  {
    g_autofree char *printed = sluice_expr_to_debug_string (e);
    g_autoptr(GError) again_error = NULL;
    g_autoptr(SluiceExpr) again = sluice_expr_parse (printed, NULL, NULL, &again_error);
    g_autofree char *reprinted = NULL;

    /* The printed form adds a parenthesis per operator, so a deep input may
     * print deeper than the parser's nesting limit; nothing else may fail. */
    if (again == NULL && strstr (again_error->message, "nested too deeply"))
      return 0;
    if (again == NULL)
      abort ();
    reprinted = sluice_expr_to_debug_string (again);
    if (g_strcmp0 (printed, reprinted) != 0)
      abort ();
  }
  return 0;
}
