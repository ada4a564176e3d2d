#define G_LOG_DOMAIN "sluice-completion-provider"

#include "config.h"

#include <glib/gi18n.h>

#include "sluice-completion-proposal.h"
#include "sluice-completion-provider.h"
#include "sluice-function.h"

struct _SluiceCompletionProvider
{
  GObject    parent_instance;

  GPtrArray *columns;     /* owned: SluiceCompletionProposal */
  GPtrArray *functions;   /* owned: SluiceCompletionProposal, catalog order */
};

static void provider_iface_init (GtkSourceCompletionProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (SluiceCompletionProvider, sluice_completion_provider, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (GTK_SOURCE_TYPE_COMPLETION_PROVIDER, provider_iface_init))

static gboolean
matches (SluiceCompletionProposal *proposal,
         const char               *folded_prefix)
{
  g_autofree char *folded = NULL;

  if (folded_prefix == NULL || *folded_prefix == '\0')
    return TRUE;
  folded = g_utf8_casefold (sluice_completion_proposal_get_text (proposal), -1);
  return g_str_has_prefix (folded, folded_prefix);
}

static void
append_matching (GListStore *store,
                 GPtrArray  *proposals,
                 const char *folded_prefix)
{
  for (guint i = 0; i < proposals->len; i++)
    if (matches (g_ptr_array_index (proposals, i), folded_prefix))
      g_list_store_append (store, g_ptr_array_index (proposals, i));
}

static char *
sluice_completion_provider_get_title (GtkSourceCompletionProvider *provider)
{
  return g_strdup (_("Columns and functions"));
}

static GListModel *
sluice_completion_provider_populate (GtkSourceCompletionProvider  *provider,
                                     GtkSourceCompletionContext   *context,
                                     GError                      **error)
{
  g_autofree char *word = gtk_source_completion_context_get_word (context);

  return sluice_completion_provider_list_proposals (SLUICE_COMPLETION_PROVIDER (provider), word);
}

static void
sluice_completion_provider_refilter (GtkSourceCompletionProvider *provider,
                                     GtkSourceCompletionContext  *context,
                                     GListModel                  *model)
{
  g_autofree char *word = gtk_source_completion_context_get_word (context);
  g_autoptr(GListModel) filtered = sluice_completion_provider_list_proposals (SLUICE_COMPLETION_PROVIDER (provider), word);

  gtk_source_completion_context_set_proposals_for_provider (context, provider, filtered);
}

static void
sluice_completion_provider_display (GtkSourceCompletionProvider *provider,
                                    GtkSourceCompletionContext  *context,
                                    GtkSourceCompletionProposal *proposal,
                                    GtkSourceCompletionCell     *cell)
{
  SluiceCompletionProposal *p = SLUICE_COMPLETION_PROPOSAL (proposal);
  gboolean is_function = sluice_completion_proposal_get_kind (p) == SLUICE_COMPLETION_FUNCTION;

  switch (gtk_source_completion_cell_get_column (cell))
    {
    case GTK_SOURCE_COMPLETION_COLUMN_ICON:
      gtk_source_completion_cell_set_icon_name (cell, is_function ? "application-x-executable-symbolic"
                                                                  : "view-list-bullet-symbolic");
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_TYPED_TEXT:
      {
        g_autofree char *text = is_function ? g_strconcat (sluice_completion_proposal_get_text (p), "()", NULL)
                                            : g_strdup (sluice_completion_proposal_get_text (p));
        gtk_source_completion_cell_set_text (cell, text);
      }
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_AFTER:
      gtk_source_completion_cell_set_text (cell, sluice_completion_proposal_get_detail (p));
      break;
    case GTK_SOURCE_COMPLETION_COLUMN_BEFORE:
    case GTK_SOURCE_COMPLETION_COLUMN_COMMENT:
    case GTK_SOURCE_COMPLETION_COLUMN_DETAILS:
    default:
      gtk_source_completion_cell_set_text (cell, NULL);
      break;
    }
}

static void
sluice_completion_provider_activate (GtkSourceCompletionProvider *provider,
                                     GtkSourceCompletionContext  *context,
                                     GtkSourceCompletionProposal *proposal)
{
  SluiceCompletionProposal *p = SLUICE_COMPLETION_PROPOSAL (proposal);
  GtkTextBuffer *buffer = GTK_TEXT_BUFFER (gtk_source_completion_context_get_buffer (context));
  GtkTextIter begin, end;

  gtk_text_buffer_begin_user_action (buffer);
  if (gtk_source_completion_context_get_bounds (context, &begin, &end))
    gtk_text_buffer_delete (buffer, &begin, &end);
  gtk_text_buffer_insert (buffer, &begin, sluice_completion_proposal_get_text (p), -1);
  if (sluice_completion_proposal_get_kind (p) == SLUICE_COMPLETION_FUNCTION)
    {
      /* The cursor lands between the parentheses, ready for the arguments. */
      gtk_text_buffer_insert (buffer, &begin, "()", -1);
      gtk_text_iter_backward_char (&begin);
      gtk_text_buffer_place_cursor (buffer, &begin);
    }
  gtk_text_buffer_end_user_action (buffer);
}

static void
provider_iface_init (GtkSourceCompletionProviderInterface *iface)
{
  iface->get_title = sluice_completion_provider_get_title;
  iface->populate = sluice_completion_provider_populate;
  iface->refilter = sluice_completion_provider_refilter;
  iface->display = sluice_completion_provider_display;
  iface->activate = sluice_completion_provider_activate;
}

static void
sluice_completion_provider_finalize (GObject *object)
{
  SluiceCompletionProvider *self = SLUICE_COMPLETION_PROVIDER (object);

  g_clear_pointer (&self->columns, g_ptr_array_unref);
  g_clear_pointer (&self->functions, g_ptr_array_unref);
  G_OBJECT_CLASS (sluice_completion_provider_parent_class)->finalize (object);
}

static void
sluice_completion_provider_class_init (SluiceCompletionProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = sluice_completion_provider_finalize;
}

static void
sluice_completion_provider_init (SluiceCompletionProvider *self)
{
  self->columns = g_ptr_array_new_with_free_func (g_object_unref);
  self->functions = g_ptr_array_new_with_free_func (g_object_unref);

  for (const SluiceFunction *f = sluice_function_list (); f->name; f++)
    g_ptr_array_add (self->functions, sluice_completion_proposal_new (SLUICE_COMPLETION_FUNCTION, f->name, f->category));
}

SluiceCompletionProvider *
sluice_completion_provider_new (void)
{
  return g_object_new (SLUICE_TYPE_COMPLETION_PROVIDER, NULL);
}

void
sluice_completion_provider_set_columns (SluiceCompletionProvider *self,
                                        const char * const       *names,
                                        const char * const       *types)
{
  g_return_if_fail (SLUICE_IS_COMPLETION_PROVIDER (self));

  g_ptr_array_set_size (self->columns, 0);
  for (guint i = 0; names && names[i]; i++)
    g_ptr_array_add (self->columns, sluice_completion_proposal_new (SLUICE_COMPLETION_COLUMN, names[i],
                                                                    types ? types[i] : NULL));
}

GListModel *
sluice_completion_provider_list_proposals (SluiceCompletionProvider *self,
                                           const char               *prefix)
{
  g_autofree char *folded = prefix ? g_utf8_casefold (prefix, -1) : NULL;
  GListStore *store;

  g_return_val_if_fail (SLUICE_IS_COMPLETION_PROVIDER (self), NULL);

  store = g_list_store_new (SLUICE_TYPE_COMPLETION_PROPOSAL);
  append_matching (store, self->columns, folded);
  append_matching (store, self->functions, folded);
  return G_LIST_MODEL (store);
}
