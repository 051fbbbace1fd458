/* crm-split-list-model.c
 *
 * A big replacement (a new search result, a new sort) is played to the view
 * as a short sequence of small changes, one per main-loop turn after the
 * frame, so no turn does more than CHUNK rows of widget work:
 *
 *   turn 0: drop the old rows that have no widget (everything but the rows
 *           around the last position the view asked for), put the first
 *           CHUNK new rows on top, scroll to them;
 *   turn k: drop CHUNK old rows from the bottom, add CHUNK new rows under
 *           the new ones shown so far;
 *   last:   once the view's 200-row window is filled, add all the rest at
 *           once (no widgets are made for them).
 *
 * Meanwhile the old rows still shown are served from the items the view was
 * given before (kept in `served`), the new ones from the model.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-split-list-model.h"

/* Rows of widgets made and destroyed per turn: ~0.4 ms a row of nine cells
 * on the bench machine, plus laying them out in the next frame. */
#define CHUNK 16
/* GtkListView keeps up to 200 (+ a few) rows of widgets around its anchor. */
#define WINDOW 210
/* Items remembered around the last position asked for. */
#define SERVED_SPAN 300

struct _CrmSplitListModel
{
  GObject               parent_instance;

  GListModel           *model;
  guint                 max_rescan;
  CrmSplitListModelFunc on_replace;
  gpointer              on_replace_data;

  /* view position → item handed out (strong refs), around `last_asked` */
  GHashTable           *served;
  guint                 last_asked;

  /* a replacement being played: new_shown new rows, then the old ones */
  gboolean              playing;
  guint                 new_shown;
  guint                 head;           /* old rows before old_items, being dropped */
  GPtrArray            *old_items;
  guint                 idle_id;
};

static void crm_split_list_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (CrmSplitListModel, crm_split_list_model, G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      crm_split_list_model_list_model_init))

static GType
split_get_item_type (GListModel *list)
{
  return g_list_model_get_item_type (CRM_SPLIT_LIST_MODEL (list)->model);
}

static guint
split_get_n_items (GListModel *list)
{
  CrmSplitListModel *self = CRM_SPLIT_LIST_MODEL (list);

  if (self->playing)
    return self->new_shown + self->head + self->old_items->len;

  return g_list_model_get_n_items (self->model);
}

static void
remember (CrmSplitListModel *self,
          guint              position,
          gpointer           item)
{
  self->last_asked = position;
  g_hash_table_insert (self->served, GUINT_TO_POINTER (position), g_object_ref (item));

  /* Forget what is far from where the view is now. */
  if (g_hash_table_size (self->served) > 4 * SERVED_SPAN)
    {
      GHashTableIter iter;
      gpointer key;

      g_hash_table_iter_init (&iter, self->served);
      while (g_hash_table_iter_next (&iter, &key, NULL))
        {
          guint p = GPOINTER_TO_UINT (key);

          if (p + SERVED_SPAN < position || p > position + SERVED_SPAN)
            g_hash_table_iter_remove (&iter);
        }
    }
}

static gpointer
split_get_item (GListModel *list,
                guint       position)
{
  CrmSplitListModel *self = CRM_SPLIT_LIST_MODEL (list);
  gpointer item;

  if (self->playing && position >= self->new_shown)
    {
      guint i = position - self->new_shown;

      /* Rows without widgets, about to go: nobody looks at them. */
      if (i < self->head)
        i = 0;
      else
        i -= self->head;
      if (i >= self->old_items->len)
        return NULL;
      return g_object_ref (g_ptr_array_index (self->old_items, i));
    }

  item = g_list_model_get_item (self->model, position);
  if (item != NULL)
    remember (self, position, item);

  return item;
}

static void
crm_split_list_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = split_get_item_type;
  iface->get_n_items = split_get_n_items;
  iface->get_item = split_get_item;
}

/* A change the view sees: keep `served` in step with the positions. */
static void
emit (CrmSplitListModel *self,
      guint              position,
      guint              removed,
      guint              added)
{
  if (removed == 0 && added == 0)
    return;

  if (g_hash_table_size (self->served) > 0)
    {
      g_autoptr(GHashTable) moved = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
      GHashTableIter iter;
      gpointer key, value;

      g_hash_table_iter_init (&iter, self->served);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          guint p = GPOINTER_TO_UINT (key);

          if (p < position)
            continue;
          g_hash_table_iter_steal (&iter);
          if (p >= position + removed)
            g_hash_table_insert (moved, GUINT_TO_POINTER (p - removed + added), value);
          else
            g_object_unref (value);
        }
      g_hash_table_iter_init (&iter, moved);
      while (g_hash_table_iter_next (&iter, &key, &value))
        {
          g_hash_table_iter_steal (&iter);
          g_hash_table_insert (self->served, key, value);
        }
    }

  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

/* One turn: CHUNK old rows out at the bottom, CHUNK new rows in under the
 * new ones; the rest at once when the window is full.  FALSE when done. */
static gboolean
play_step (CrmSplitListModel *self)
{
  guint n = g_list_model_get_n_items (self->model);
  guint drop = MIN (CHUNK, self->old_items->len);
  guint add;

  if (drop > 0)
    {
      g_ptr_array_set_size (self->old_items, self->old_items->len - drop);
      emit (self, self->new_shown + self->old_items->len, drop, 0);
    }

  add = self->new_shown < WINDOW ? MIN (CHUNK, n - self->new_shown) : 0;
  if (self->old_items->len == 0 && (self->new_shown + add >= WINDOW || self->new_shown + add >= n))
    add = n - self->new_shown;
  if (add > 0)
    {
      self->new_shown += add;
      emit (self, self->new_shown - add, 0, add);
    }

  if (self->old_items->len == 0 && self->new_shown >= n)
    {
      self->playing = FALSE;
      g_clear_pointer (&self->old_items, g_ptr_array_unref);
      return FALSE;
    }

  return TRUE;
}

static gboolean
play_idle (gpointer data)
{
  CrmSplitListModel *self = data;

  if (play_step (self))
    return G_SOURCE_CONTINUE;

  self->idle_id = 0;
  return G_SOURCE_REMOVE;
}

void
crm_split_list_model_flush (CrmSplitListModel *self)
{
  g_return_if_fail (CRM_IS_SPLIT_LIST_MODEL (self));

  while (self->playing && play_step (self))
    ;
  g_clear_handle_id (&self->idle_id, g_source_remove);
}

gboolean
crm_split_list_model_get_playing (CrmSplitListModel *self)
{
  g_return_val_if_fail (CRM_IS_SPLIT_LIST_MODEL (self), FALSE);

  return self->playing;
}

/* The model replaced @removed (of @old_n) items with @added ones: start
 * playing that to the view. */
static void
start_replace (CrmSplitListModel *self,
               guint              old_n)
{
  guint lo, hi;

  /* The rows the view has widgets for are around the position it asked for
   * last: keep those (their items are in `served`), drop the rest now. */
  lo = hi = self->last_asked;
  if (g_hash_table_contains (self->served, GUINT_TO_POINTER (lo)) && lo < old_n)
    {
      while (lo > 0 && g_hash_table_contains (self->served, GUINT_TO_POINTER (lo - 1)))
        lo--;
      while (hi + 1 < old_n && g_hash_table_contains (self->served, GUINT_TO_POINTER (hi + 1)))
        hi++;
    }
  else
    lo = 1, hi = 0;   /* nothing known: drop everything */

  self->old_items = g_ptr_array_new_with_free_func (g_object_unref);
  for (guint p = lo; p <= hi && hi >= lo; p++)
    g_ptr_array_add (self->old_items,
                     g_object_ref (g_hash_table_lookup (self->served, GUINT_TO_POINTER (p))));
  g_hash_table_remove_all (self->served);

  /* The view's items (all old) become old[lo..hi]: first without the tail,
   * then without the head (each emission describes the state after it). */
  self->playing = TRUE;
  self->new_shown = 0;
  if (hi >= lo && self->old_items->len > 0)
    {
      self->head = lo;
      if (hi + 1 < old_n)
        g_list_model_items_changed (G_LIST_MODEL (self), hi + 1, old_n - hi - 1, 0);
      self->head = 0;
      if (lo > 0)
        g_list_model_items_changed (G_LIST_MODEL (self), 0, lo, 0);
    }
  else if (old_n > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, 0);

  /* The first new rows on top, shown from the top. */
  if (play_step (self))
    self->idle_id = g_idle_add_full (G_PRIORITY_LOW, play_idle, self, NULL);
  if (self->on_replace != NULL)
    self->on_replace (self, self->on_replace_data);
}

/* A new result while the last one is still being played: what the view
 * holds now (the new rows shown so far, then the old ones) all becomes old
 * rows, played out the same way. */
static void
restart_replace (CrmSplitListModel *self)
{
  g_autoptr(GPtrArray) shown = g_ptr_array_new_with_free_func (g_object_unref);
  guint known = 0;

  /* The view was given every new row it shows: they are in `served`. */
  while (known < self->new_shown)
    {
      gpointer item = g_hash_table_lookup (self->served, GUINT_TO_POINTER (known));

      if (item == NULL)
        break;
      g_ptr_array_add (shown, g_object_ref (item));
      known++;
    }
  if (known < self->new_shown)
    {
      guint unknown = self->new_shown - known;

      self->new_shown = known;
      g_list_model_items_changed (G_LIST_MODEL (self), known, unknown, 0);
    }

  for (guint i = 0; i < self->old_items->len; i++)
    g_ptr_array_add (shown, g_object_ref (g_ptr_array_index (self->old_items, i)));
  g_ptr_array_unref (self->old_items);
  self->old_items = g_steal_pointer (&shown);
  self->new_shown = 0;
  g_hash_table_remove_all (self->served);

  if (play_step (self))
    {
      if (self->idle_id == 0)
        self->idle_id = g_idle_add_full (G_PRIORITY_LOW, play_idle, self, NULL);
    }
  else
    g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->on_replace != NULL)
    self->on_replace (self, self->on_replace_data);
}

static void
on_items_changed (GListModel        *model,
                  guint              position,
                  guint              removed,
                  guint              added,
                  CrmSplitListModel *self)
{
  guint old_n;

  if (self->playing)
    {
      restart_replace (self);
      return;
    }

  /* Small changes as they are: GTK keeps the scroll position and rebuilds
   * only a few rows. */
  if (MAX (removed, added) <= self->max_rescan)
    {
      emit (self, position, removed, added);
      return;
    }

  old_n = g_list_model_get_n_items (model) - added + removed;
  start_replace (self, old_n);
}

GListModel *
crm_split_list_model_get_model (CrmSplitListModel *self)
{
  g_return_val_if_fail (CRM_IS_SPLIT_LIST_MODEL (self), NULL);

  return self->model;
}

CrmSplitListModel *
crm_split_list_model_new (GListModel            *model,
                          guint                  max_rescan,
                          CrmSplitListModelFunc  on_replace,
                          gpointer               user_data)
{
  CrmSplitListModel *self;

  g_return_val_if_fail (G_IS_LIST_MODEL (model), NULL);

  self = g_object_new (CRM_TYPE_SPLIT_LIST_MODEL, NULL);
  self->model = g_object_ref (model);
  self->max_rescan = max_rescan;
  self->on_replace = on_replace;
  self->on_replace_data = user_data;
  g_signal_connect_object (model, "items-changed", G_CALLBACK (on_items_changed), self, 0);

  return self;
}

static void
crm_split_list_model_dispose (GObject *object)
{
  CrmSplitListModel *self = CRM_SPLIT_LIST_MODEL (object);

  g_clear_handle_id (&self->idle_id, g_source_remove);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->old_items, g_ptr_array_unref);
  g_hash_table_remove_all (self->served);
  self->playing = FALSE;

  G_OBJECT_CLASS (crm_split_list_model_parent_class)->dispose (object);
}

static void
crm_split_list_model_finalize (GObject *object)
{
  CrmSplitListModel *self = CRM_SPLIT_LIST_MODEL (object);

  g_hash_table_unref (self->served);

  G_OBJECT_CLASS (crm_split_list_model_parent_class)->finalize (object);
}

static void
crm_split_list_model_class_init (CrmSplitListModelClass *klass)
{
  G_OBJECT_CLASS (klass)->dispose = crm_split_list_model_dispose;
  G_OBJECT_CLASS (klass)->finalize = crm_split_list_model_finalize;
}

static void
crm_split_list_model_init (CrmSplitListModel *self)
{
  self->served = g_hash_table_new_full (NULL, NULL, NULL, g_object_unref);
}
