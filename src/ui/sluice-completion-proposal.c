#define G_LOG_DOMAIN "sluice-completion-proposal"

#include "config.h"

#include "sluice-completion-proposal.h"

struct _SluiceCompletionProposal
{
  GObject               parent_instance;

  SluiceCompletionKind  kind;
  char                 *text;     /* owned */
  char                 *detail;   /* owned, nullable */
};

static void proposal_iface_init (GtkSourceCompletionProposalInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceCompletionProposal, sluice_completion_proposal, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROPOSAL, proposal_iface_init))

static char *
sluice_completion_proposal_get_typed_text (GtkSourceCompletionProposal *proposal)
{
  return g_strdup (SLUICE_COMPLETION_PROPOSAL (proposal)->text);
}

static void
proposal_iface_init (GtkSourceCompletionProposalInterface *iface)
{
  iface->get_typed_text = sluice_completion_proposal_get_typed_text;
}

static void
sluice_completion_proposal_finalize (GObject *object)
{
  SluiceCompletionProposal *self = SLUICE_COMPLETION_PROPOSAL (object);

  g_free (self->text);
  g_free (self->detail);
  G_OBJECT_CLASS (sluice_completion_proposal_parent_class)->finalize (object);
}

static void
sluice_completion_proposal_class_init (SluiceCompletionProposalClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_completion_proposal_finalize;
}

static void
sluice_completion_proposal_init (SluiceCompletionProposal *self)
{
}

SluiceCompletionProposal *
sluice_completion_proposal_new (SluiceCompletionKind  kind,
                                const char           *text,
                                const char           *detail)
{
  SluiceCompletionProposal *self;

  g_return_val_if_fail (text != NULL, NULL);

  self = g_object_new (SLUICE_TYPE_COMPLETION_PROPOSAL, NULL);
  self->kind = kind;
  self->text = g_strdup (text);
  self->detail = g_strdup (detail);
  return self;
}

SluiceCompletionKind
sluice_completion_proposal_get_kind (SluiceCompletionProposal *self)
{
  g_return_val_if_fail (SLUICE_IS_COMPLETION_PROPOSAL (self), SLUICE_COMPLETION_COLUMN);
  return self->kind;
}

const char *
sluice_completion_proposal_get_text (SluiceCompletionProposal *self)
{
  g_return_val_if_fail (SLUICE_IS_COMPLETION_PROPOSAL (self), NULL);
  return self->text;
}

const char *
sluice_completion_proposal_get_detail (SluiceCompletionProposal *self)
{
  g_return_val_if_fail (SLUICE_IS_COMPLETION_PROPOSAL (self), NULL);
  return self->detail;
}
