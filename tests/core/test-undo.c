/* The undo stack on its own: history, labels, exact dirty state, notifies. */
#include "config.h"

#include "sluice-command.h"
#include "sluice-undo-stack.h"

typedef struct
{
  guint can_undo, can_redo, dirty, undo_label, redo_label;
} Counts;

static void
notify_cb (GObject    *object,
           GParamSpec *pspec,
           Counts     *counts)
{
  if (g_str_equal (pspec->name, "can-undo"))
    counts->can_undo++;
  else if (g_str_equal (pspec->name, "can-redo"))
    counts->can_redo++;
  else if (g_str_equal (pspec->name, "dirty"))
    counts->dirty++;
  else if (g_str_equal (pspec->name, "undo-label"))
    counts->undo_label++;
  else if (g_str_equal (pspec->name, "redo-label"))
    counts->redo_label++;
}

static void
test_history_and_notifies (void)
{
  SluiceUndoStack *stack = sluice_undo_stack_new ();
  Counts counts = { 0 };
  gboolean dirty;

  g_signal_connect (stack, "notify", G_CALLBACK (notify_cb), &counts);

  g_assert_false (sluice_undo_stack_get_can_undo (stack));
  g_assert_false (sluice_undo_stack_get_dirty (stack));
  g_assert_null (sluice_undo_stack_step_back (stack));
  g_assert_null (sluice_undo_stack_step_forward (stack));

  sluice_undo_stack_push (stack, sluice_command_new ("One"));
  g_assert_cmpuint (counts.can_undo, ==, 1);
  g_assert_cmpuint (counts.dirty, ==, 1);
  g_assert_cmpuint (counts.undo_label, ==, 1);
  g_assert_cmpuint (counts.can_redo, ==, 0);
  g_object_get (stack, "dirty", &dirty, NULL);
  g_assert_true (dirty);

  sluice_undo_stack_push (stack, sluice_command_new ("Two"));
  /* Only what changed is notified. */
  g_assert_cmpuint (counts.can_undo, ==, 1);
  g_assert_cmpuint (counts.dirty, ==, 1);
  g_assert_cmpuint (counts.undo_label, ==, 2);
  g_assert_cmpstr (sluice_undo_stack_get_undo_label (stack), ==, "Two");

  g_assert_cmpstr (sluice_command_get_label (sluice_undo_stack_step_back (stack)), ==, "Two");
  g_assert_cmpstr (sluice_undo_stack_get_redo_label (stack), ==, "Two");
  g_assert_cmpstr (sluice_undo_stack_get_undo_label (stack), ==, "One");
  g_assert_cmpuint (counts.can_redo, ==, 1);

  /* A new command drops the redo history. */
  sluice_undo_stack_push (stack, sluice_command_new ("Three"));
  g_assert_false (sluice_undo_stack_get_can_redo (stack));
  g_assert_cmpuint (counts.can_redo, ==, 2);
  g_assert_cmpuint (sluice_undo_stack_get_depth (stack), ==, 2);

  g_assert_finalize_object (stack);
}

static void
test_dirty_is_exact (void)
{
  g_autoptr(SluiceUndoStack) stack = sluice_undo_stack_new ();
  SluiceCommand *top;

  sluice_undo_stack_push (stack, sluice_command_new ("A"));
  sluice_undo_stack_push (stack, sluice_command_new ("B"));
  sluice_undo_stack_mark_saved (stack);
  g_assert_false (sluice_undo_stack_get_dirty (stack));

  sluice_undo_stack_step_back (stack);
  g_assert_true (sluice_undo_stack_get_dirty (stack));
  sluice_undo_stack_step_forward (stack);
  g_assert_false (sluice_undo_stack_get_dirty (stack));

  /* Undo past the save, then edit: the saved state is gone for good. */
  sluice_undo_stack_step_back (stack);
  sluice_undo_stack_push (stack, sluice_command_new ("C"));
  g_assert_true (sluice_undo_stack_get_dirty (stack));
  sluice_undo_stack_step_back (stack);
  g_assert_true (sluice_undo_stack_get_dirty (stack));
  sluice_undo_stack_step_forward (stack);
  g_assert_true (sluice_undo_stack_get_dirty (stack));

  /* An async save of state "C" that finishes after another edit. */
  top = sluice_undo_stack_peek_undo (stack);
  g_object_ref (top);
  sluice_undo_stack_push (stack, sluice_command_new ("D"));
  sluice_undo_stack_mark_saved_at (stack, top, 2);
  g_assert_true (sluice_undo_stack_get_dirty (stack));
  sluice_undo_stack_step_back (stack);
  g_assert_false (sluice_undo_stack_get_dirty (stack));

  /* …and one whose state was undone and replaced meanwhile. */
  sluice_undo_stack_step_back (stack);
  sluice_undo_stack_push (stack, sluice_command_new ("E"));
  sluice_undo_stack_mark_saved_at (stack, top, 2);
  g_assert_true (sluice_undo_stack_get_dirty (stack));
  sluice_undo_stack_step_back (stack);
  g_assert_true (sluice_undo_stack_get_dirty (stack));
  g_object_unref (top);

  sluice_undo_stack_mark_unsaved (stack);
  g_assert_true (sluice_undo_stack_get_dirty (stack));
}

int
main (int    argc,
      char **argv)
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/sluice/core/undo-stack/history-and-notifies", test_history_and_notifies);
  g_test_add_func ("/sluice/core/undo-stack/dirty-is-exact", test_dirty_is_exact);

  return g_test_run ();
}
