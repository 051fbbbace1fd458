/* crm-pinyin.h: names as Chinese users look for them — the pinyin order of a contact list
 * (a sort key made with ICU's collator) and search by pinyin and its initials (keys made with
 * ICU's Han-Latin transliterator and a table of surname readings).  Pure functions of a name;
 * the store keeps their results (crm-search.c writes them, crm-query.c reads them).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-store.h"
#include "crm-text.h"

G_BEGIN_DECLS

/* The database setting that chooses how names sort: "pinyin" (陈 < 王 < 张, Latin names in
 * their letter's place), "plain" (letter by letter, case-insensitive: Latin names first), or
 * "locale" (the default: pinyin when the locale is Chinese, plain otherwise). */
#define CRM_NAME_ORDER_SETTING "name_order"

typedef enum
{
  CRM_NAME_ORDER_PLAIN,    /* name COLLATE NOCASE */
  CRM_NAME_ORDER_PINYIN,   /* customers.name_key */
} CrmNameOrder;

/* What the locale asks for (LC_ALL, LC_COLLATE, LANG: the first that is set decides). */
CrmNameOrder  crm_name_order_of_locale     (void);
/* What @value of the setting asks for (NULL, "locale" or anything unknown: the locale's). */
CrmNameOrder  crm_name_order_parse         (const char  *value);
/* The order of the database's setting. */
CrmNameOrder  crm_name_order_of_store      (CrmStore    *store);

/* The sort key of @name (never NULL; @len set): a BLOB that sorts as the names should, by
 * memcmp — pinyin first (with surname readings: 单 shan, 曾 zeng), Latin letters in the same
 * alphabet, then ICU's zh order of the characters themselves.  Free with g_free(). */
guint8       *crm_pinyin_sort_key          (const char  *name,
                                            gsize       *len);

/* The pinyin search keys of @name's Han characters (nothing for a name without any): the full
 * pinyin from each syllable on ("wangxiaoming", "xiaoming", "ming") and the initials from each
 * syllable on while two or more ("wxm", "xm"), lower-case ASCII.  A query finds the name when
 * it is a prefix of one of them.  @func as for crm_text_short_terms_foreach(). */
void          crm_pinyin_keys_foreach      (const char      *name,
                                            CrmTextTermFunc  func,
                                            gpointer         user_data);

/* The pinyin a query means, lower-case and without spaces or apostrophes ("Wang Fang" →
 * "wangfang", "xi'an" → "xian"); NULL if it is not only Latin letters. */
char         *crm_pinyin_query_key         (const char  *query);

G_END_DECLS
