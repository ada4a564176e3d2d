#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

#define SLUICE_TYPE_COMPLETION_PROVIDER (sluice_completion_provider_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCompletionProvider, sluice_completion_provider, SLUICE, COMPLETION_PROVIDER, GObject)

/* Completion for expressions and SQL: the columns of the gem's inputs, then
 * the functions of the catalog (sluice_function_list), matching the word
 * under the cursor by prefix, without regard to case. */
SluiceCompletionProvider *sluice_completion_provider_new            (void);
/* @names and @types (nullable; the type of each column, shown beside it):
 * NULL-terminated. Replaces the columns offered. */
void                      sluice_completion_provider_set_columns    (SluiceCompletionProvider *self,
                                                                     const char * const       *names,
                                                                     const char * const       *types);
/* (transfer full): GListModel of SluiceCompletionProposal matching @prefix
 * ("" or NULL: everything), columns first; what populate() offers. */
GListModel               *sluice_completion_provider_list_proposals (SluiceCompletionProvider *self,
                                                                     const char               *prefix);

G_END_DECLS
