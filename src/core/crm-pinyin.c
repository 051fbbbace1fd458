/* crm-pinyin.c: pinyin sort keys and search keys of names, with ICU.
 *
 * ICU's zh collator alone puts every Han character before every Latin letter (its "zh" order
 * reorders the Han script first), so a contact list sorted by it would show 陈, 王, 张 and only
 * then Adams and Zhou.  A name's key is therefore made of two ICU sort keys one after the
 * other: first the primary key of the name with each Han character replaced by its pinyin
 * ("陈静" → "chen jing": it sorts among the Latin names under C), then the zh collator's full
 * key of the name itself, which orders the characters of one reading (陈 before 晨) and the
 * cases and accents.  ICU sort keys hold no zero byte but their last, so memcmp() over the
 * pair (SQLite's BLOB order) compares the first keys and, when they are equal, the second.
 *
 * Readings come from ICU's "Han-Latin; Latin-ASCII" transliterator one character at a time
 * (whole strings get word readings that cannot be split back into syllables: 曾国 → "cengguo"),
 * cached; a name's surname reads as a surname (单 shan, not dan), from the tables below.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#include "crm-pinyin.h"

#include <string.h>
#include <unicode/ucol.h>
#include <unicode/ustring.h>
#include <unicode/utrans.h>

typedef struct
{
  const char *hanzi;
  const char *first;
  const char *second;   /* compound surnames */
} Surname;

/* Compound surnames, read as one: tried before the single ones (万俟 is moqi, not wan si). */
static const Surname compound_surnames[] = {
  { "欧阳", "ou", "yang" }, { "歐陽", "ou", "yang" }, { "司马", "si", "ma" }, { "司馬", "si", "ma" },
  { "诸葛", "zhu", "ge" }, { "諸葛", "zhu", "ge" }, { "上官", "shang", "guan" }, { "尉迟", "yu", "chi" },
  { "尉遲", "yu", "chi" }, { "东方", "dong", "fang" }, { "東方", "dong", "fang" }, { "皇甫", "huang", "fu" },
  { "令狐", "ling", "hu" }, { "慕容", "mu", "rong" }, { "公孙", "gong", "sun" }, { "公孫", "gong", "sun" },
  { "长孙", "zhang", "sun" }, { "長孫", "zhang", "sun" }, { "宇文", "yu", "wen" }, { "夏侯", "xia", "hou" },
  { "司徒", "si", "tu" }, { "司空", "si", "kong" }, { "澹台", "tan", "tai" }, { "万俟", "mo", "qi" },
  { "萬俟", "mo", "qi" }, { "轩辕", "xuan", "yuan" }, { "軒轅", "xuan", "yuan" }, { "端木", "duan", "mu" },
  { "西门", "xi", "men" }, { "西門", "xi", "men" }, { "南宫", "nan", "gong" }, { "南宮", "nan", "gong" },
  { "独孤", "du", "gu" }, { "獨孤", "du", "gu" }, { "呼延", "hu", "yan" }, { "闻人", "wen", "ren" },
  { "聞人", "wen", "ren" }, { "赫连", "he", "lian" }, { "赫連", "he", "lian" }, { "鲜于", "xian", "yu" },
  { "鮮于", "xian", "yu" }, { "钟离", "zhong", "li" }, { "鍾離", "zhong", "li" }, { "拓跋", "tuo", "ba" },
  { "申屠", "shen", "tu" }, { "太史", "tai", "shi" }, { "公冶", "gong", "ye" }, { "濮阳", "pu", "yang" },
  { "濮陽", "pu", "yang" }, { "淳于", "chun", "yu" }, { "乐正", "yue", "zheng" }, { "樂正", "yue", "zheng" },
  { "亓官", "qi", "guan" }, { "第五", "di", "wu" },
};

/* Single surnames whose reading as a surname is not the character's usual one. */
static const Surname surnames[] = {
  { "单", "shan" }, { "單", "shan" }, { "曾", "zeng" }, { "解", "xie" }, { "区", "ou" }, { "區", "ou" },
  { "仇", "qiu" }, { "朴", "piao" }, { "查", "zha" }, { "盖", "ge" }, { "蓋", "ge" }, { "乐", "yue" },
  { "樂", "yue" }, { "缪", "miao" }, { "繆", "miao" }, { "覃", "qin" }, { "翟", "zhai" }, { "祭", "zhai" },
  { "召", "shao" }, { "员", "yun" }, { "員", "yun" }, { "秘", "bi" }, { "种", "chong" }, { "種", "chong" },
  { "句", "gou" }, { "薄", "bo" }, { "繁", "po" }, { "隗", "wei" }, { "阚", "kan" }, { "闞", "kan" },
  { "能", "nai" }, { "莘", "shen" }, { "折", "she" }, { "长", "chang" }, { "長", "chang" }, { "黑", "he" },
  { "牟", "mu" }, { "尉", "wei" }, { "沈", "shen" }, { "任", "ren" }, { "华", "hua" }, { "華", "hua" },
  { "郇", "huan" }, { "冼", "xian" }, { "贲", "ben" }, { "賁", "ben" }, { "眭", "sui" },
  { "藏", "zang" }, { "宓", "mi" }, { "逄", "pang" }, { "庞", "pang" }, { "龐", "pang" },
};

/* The most syllables a name's search keys are made from (a company's long name: its start). */
#define MAX_SYLLABLES 8

static GMutex lock;
static gboolean collators_made, transliterator_made;
static UCollator *pinyin_collator;   /* zh, primary strength, spaces and punctuation ignored */
static UCollator *zh_collator;       /* zh, as ICU makes it */
static UTransliterator *han_latin;   /* made on the first Han character: it takes ~0.1 s */
static GHashTable *readings;         /* gunichar → interned ASCII reading, or NULL */
static GHashTable *surname_index;    /* the hanzi of either table → its Surname */
/* name → its sort key (GBytes): names repeat (22,587 distinct in a generated 1M shop), and a
 * key is two collations and a transliteration.  Emptied when full, so it stays under ~3 MB. */
static GHashTable *key_cache;
#define KEY_CACHE_MAX 32768

/* Lock held.  Without ICU data the keys fall back to what is left (code-point order). */
static void
ensure_collators (void)
{
  UErrorCode status = U_ZERO_ERROR;

  if (collators_made)
    return;
  collators_made = TRUE;

  pinyin_collator = ucol_open ("zh", &status);
  if (U_SUCCESS (status))
    {
      ucol_setStrength (pinyin_collator, UCOL_PRIMARY);
      ucol_setAttribute (pinyin_collator, UCOL_ALTERNATE_HANDLING, UCOL_SHIFTED, &status);
    }
  if (U_FAILURE (status))
    {
      g_warning ("ICU: no zh collator (%s): names sort by code point", u_errorName (status));
      g_clear_pointer (&pinyin_collator, ucol_close);
    }

  status = U_ZERO_ERROR;
  zh_collator = ucol_open ("zh", &status);
  if (U_FAILURE (status))
    g_clear_pointer (&zh_collator, ucol_close);
}

/* Lock held. */
static void
ensure_transliterator (void)
{
  static const char id[] = "Han-Latin; Latin-ASCII";
  UChar uid[sizeof id];
  UErrorCode status = U_ZERO_ERROR;
  UParseError parse_error;

  if (transliterator_made)
    return;
  transliterator_made = TRUE;
  readings = g_hash_table_new (NULL, NULL);
  surname_index = g_hash_table_new (g_str_hash, g_str_equal);
  for (guint i = 0; i < G_N_ELEMENTS (compound_surnames); i++)
    g_hash_table_insert (surname_index, (gpointer) compound_surnames[i].hanzi, (gpointer) &compound_surnames[i]);
  for (guint i = 0; i < G_N_ELEMENTS (surnames); i++)
    g_hash_table_insert (surname_index, (gpointer) surnames[i].hanzi, (gpointer) &surnames[i]);

  u_uastrcpy (uid, id);
  han_latin = utrans_openU (uid, -1, UTRANS_FORWARD, NULL, 0, &parse_error, &status);
  if (U_FAILURE (status))
    {
      g_warning ("ICU: no Han-Latin transliterator (%s): no pinyin search", u_errorName (status));
      han_latin = NULL;
    }
}

/* Lock held: the toneless pinyin of Han character @c, lower-case ASCII; NULL without one. */
static const char *
han_reading (gunichar c)
{
  gpointer found;
  UChar buf[32];
  int32_t len, limit;
  UErrorCode status = U_ZERO_ERROR;
  char ascii[G_N_ELEMENTS (buf)];
  const char *reading = NULL;

  if (g_hash_table_lookup_extended (readings, GUINT_TO_POINTER (c), NULL, &found))
    return found;
  if (han_latin == NULL)
    return NULL;

  if (c < 0x10000)
    {
      buf[0] = (UChar) c;
      len = 1;
    }
  else
    {
      buf[0] = (UChar) (0xd800 + ((c - 0x10000) >> 10));
      buf[1] = (UChar) (0xdc00 + ((c - 0x10000) & 0x3ff));
      len = 2;
    }
  limit = len;
  utrans_transUChars (han_latin, buf, &len, G_N_ELEMENTS (buf) - 1, 0, &limit, &status);
  if (U_SUCCESS (status) && len > 0 && len < (int32_t) sizeof ascii)
    {
      int32_t i;

      for (i = 0; i < len && buf[i] < 0x80 && g_ascii_isalpha ((char) buf[i]); i++)
        ascii[i] = g_ascii_tolower ((char) buf[i]);
      ascii[i] = '\0';
      if (i == len)
        reading = g_intern_string (ascii);
    }
  g_hash_table_insert (readings, GUINT_TO_POINTER (c), (gpointer) reading);
  return reading;
}

static gboolean
is_han (gunichar c)
{
  return g_unichar_get_script (c) == G_UNICODE_SCRIPT_HAN;
}

/* Whether @name has a Han character (ASCII names, most Latin ones, are done at a glance). */
static gboolean
has_han (const char *name)
{
  for (const char *p = name; *p; p++)
    if ((guchar) *p >= 0x80)
      {
        for (; *p; p = g_utf8_next_char (p))
          if (is_han (g_utf8_get_char (p)))
            return TRUE;
        return FALSE;
      }
  return FALSE;
}

/* A reading for each character of @name (its length in characters), lock held: the first
 * one or two read as a surname when the name starts with one; NULL for a character that is not
 * Han or has no reading.  @readings_out has room for every character. */
static void
read_name (const char  *name,
           const char **readings_out)
{
  const char *p = name;
  guint i = 0;

  if (*p != '\0' && is_han (g_utf8_get_char (p)))
    {
      const char *second = g_utf8_next_char (p);
      const char *third = *second ? g_utf8_next_char (second) : second;
      char prefix[16];
      const Surname *surname = NULL;

      /* A compound surname (its two characters), else a single one. */
      if (third > second && (gsize) (third - p) < sizeof prefix)
        {
          memcpy (prefix, p, third - p);
          prefix[third - p] = '\0';
          surname = g_hash_table_lookup (surname_index, prefix);
        }
      if (surname == NULL && (gsize) (second - p) < sizeof prefix)
        {
          memcpy (prefix, p, second - p);
          prefix[second - p] = '\0';
          surname = g_hash_table_lookup (surname_index, prefix);
        }
      if (surname != NULL)
        {
          readings_out[i++] = surname->first;
          p = second;
          if (surname->second != NULL)
            {
              readings_out[i++] = surname->second;
              p = third;
            }
        }
    }
  for (; *p; p = g_utf8_next_char (p), i++)
    {
      gunichar c = g_utf8_get_char (p);
      readings_out[i] = is_han (c) ? han_reading (c) : NULL;
    }
}

/* @text as UTF-16 (lock not needed). */
static UChar *
to_utf16 (const char *text,
          int32_t    *len)
{
  UErrorCode status = U_ZERO_ERROR;
  int32_t n = 0;
  UChar *out;

  u_strFromUTF8WithSub (NULL, 0, &n, text, -1, 0xfffd, NULL, &status);
  out = g_new (UChar, n + 1);
  status = U_ZERO_ERROR;
  u_strFromUTF8WithSub (out, n + 1, len, text, -1, 0xfffd, NULL, &status);
  if (U_FAILURE (status))
    *len = 0;
  return out;
}

/* Appends @collator's key of @text (its closing zero included if @with_zero) to @out. */
static void
append_key (GByteArray *out,
            UCollator  *collator,
            const char *text,
            gboolean    with_zero)
{
  int32_t len = 0, need;
  g_autofree UChar *u = to_utf16 (text, &len);
  guint start = out->len;

  if (collator == NULL)
    {
      g_byte_array_append (out, (const guint8 *) text, strlen (text) + (with_zero ? 1 : 0));
      return;
    }
  g_byte_array_set_size (out, start + 64);
  need = ucol_getSortKey (collator, u, len, out->data + start, 64);
  if (need > 64)
    {
      g_byte_array_set_size (out, start + need);
      ucol_getSortKey (collator, u, len, out->data + start, need);
    }
  /* need counts the closing zero. */
  g_byte_array_set_size (out, start + (guint) MAX (need, 1) - (with_zero ? 0 : 1));
}

guint8 *
crm_pinyin_sort_key (const char *name,
                     gsize      *len)
{
  g_autoptr(GByteArray) key = g_byte_array_sized_new (48);
  g_autoptr(GString) spelled = g_string_sized_new (64);
  glong n_chars;
  g_autofree const char **read = NULL;
  const char *p;
  guint i = 0;

  if (name == NULL)
    name = "";
  g_mutex_lock (&lock);
  if (key_cache != NULL)
    {
      GBytes *cached = g_hash_table_lookup (key_cache, name);

      if (cached != NULL)
        {
          gconstpointer data = g_bytes_get_data (cached, len);
          guint8 *copy = g_memdup2 (data, *len);

          g_mutex_unlock (&lock);
          return copy;
        }
    }
  n_chars = g_utf8_strlen (name, -1);
  read = g_new0 (const char *, n_chars + 1);
  ensure_collators ();
  if (has_han (name))
    {
      ensure_transliterator ();
      read_name (name, read);
    }
  for (p = name; *p; p = g_utf8_next_char (p), i++)
    if (read[i] != NULL)
      g_string_append_printf (spelled, " %s ", read[i]);
    else
      g_string_append_len (spelled, p, g_utf8_next_char (p) - p);
  append_key (key, pinyin_collator, spelled->str, TRUE);
  append_key (key, zh_collator, name, FALSE);
  if (key_cache == NULL)
    key_cache = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, (GDestroyNotify) g_bytes_unref);
  else if (g_hash_table_size (key_cache) >= KEY_CACHE_MAX)
    g_hash_table_remove_all (key_cache);
  g_hash_table_insert (key_cache, g_strdup (name), g_bytes_new (key->data, key->len));
  g_mutex_unlock (&lock);

  *len = key->len;
  return g_byte_array_free (g_steal_pointer (&key), FALSE);
}

void
crm_pinyin_keys_foreach (const char      *name,
                         CrmTextTermFunc  func,
                         gpointer         user_data)
{
  const char *syllables[MAX_SYLLABLES];
  g_autofree const char **read = NULL;
  glong n_chars;
  guint n = 0;
  char key[MAX_SYLLABLES * 8 + 1];

  if (name == NULL || *name == '\0')
    return;
  if (!has_han (name))
    return;

  n_chars = g_utf8_strlen (name, -1);
  read = g_new0 (const char *, n_chars + 1);
  g_mutex_lock (&lock);
  ensure_transliterator ();
  read_name (name, read);
  g_mutex_unlock (&lock);
  for (glong i = 0; i < n_chars && n < MAX_SYLLABLES; i++)
    if (read[i] != NULL && strlen (read[i]) <= 8)
      syllables[n++] = read[i];

  for (guint from = 0; from < n; from++)
    {
      gsize len = 0;

      /* The full pinyin from this syllable on… */
      for (guint s = from; s < n; s++)
        {
          gsize l = strlen (syllables[s]);
          memcpy (key + len, syllables[s], l);
          len += l;
        }
      func (key, len, user_data);
      /* …and its initials, while they are more than the one a full key starts with. */
      if (n - from >= 2)
        {
          for (guint s = from; s < n; s++)
            key[s - from] = syllables[s][0];
          func (key, n - from, user_data);
        }
    }
}

char *
crm_pinyin_query_key (const char *query)
{
  g_autoptr(GString) key = NULL;

  if (query == NULL)
    return NULL;
  key = g_string_new (NULL);
  for (const char *p = query; *p; p++)
    {
      if (*p == ' ' || *p == '\'')
        continue;
      if (!g_ascii_isalpha (*p))
        return NULL;
      g_string_append_c (key, g_ascii_tolower (*p));
    }
  if (key->len == 0 || key->len > MAX_SYLLABLES * 8)
    return NULL;
  return g_string_free (g_steal_pointer (&key), FALSE);
}

/* ---- which order ------------------------------------------------------------------------- */

CrmNameOrder
crm_name_order_of_locale (void)
{
  const char *vars[] = { "LC_ALL", "LC_COLLATE", "LANG" };

  for (guint i = 0; i < G_N_ELEMENTS (vars); i++)
    {
      const char *value = g_getenv (vars[i]);

      if (value != NULL && value[0] != '\0')
        return g_str_has_prefix (value, "zh") ? CRM_NAME_ORDER_PINYIN : CRM_NAME_ORDER_PLAIN;
    }
  return CRM_NAME_ORDER_PLAIN;
}

CrmNameOrder
crm_name_order_parse (const char *value)
{
  if (g_strcmp0 (value, "pinyin") == 0)
    return CRM_NAME_ORDER_PINYIN;
  if (g_strcmp0 (value, "plain") == 0)
    return CRM_NAME_ORDER_PLAIN;
  return crm_name_order_of_locale ();
}

CrmNameOrder
crm_name_order_of_store (CrmStore *store)
{
  g_autofree char *value = store != NULL ? crm_store_get_setting (store, CRM_NAME_ORDER_SETTING) : NULL;

  return crm_name_order_parse (value);
}
