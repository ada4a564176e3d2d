#pragma once

#include <gtksourceview/gtksource.h>

G_BEGIN_DECLS

typedef enum {
  SLUICE_COMPLETION_COLUMN,     /* a column of the gem's input */
  SLUICE_COMPLETION_FUNCTION,   /* a function of the catalog */
} SluiceCompletionKind;

#define SLUICE_TYPE_COMPLETION_PROPOSAL (sluice_completion_proposal_get_type ())
G_DECLARE_FINAL_TYPE (SluiceCompletionProposal, sluice_completion_proposal, SLUICE, COMPLETION_PROPOSAL, GObject)

/* One completion: @text is what gets inserted (a function's name without
 * its parenthesis), @detail what is shown beside it (a type, a category). */
SluiceCompletionProposal *sluice_completion_proposal_new        (SluiceCompletionKind  kind,
                                                                 const char           *text,
                                                                 const char           *detail);
SluiceCompletionKind      sluice_completion_proposal_get_kind   (SluiceCompletionProposal *self);
const char               *sluice_completion_proposal_get_text   (SluiceCompletionProposal *self);
const char               *sluice_completion_proposal_get_detail (SluiceCompletionProposal *self);

G_END_DECLS
