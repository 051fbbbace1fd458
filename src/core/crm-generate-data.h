/* crm-generate-data.h: the word lists behind crm_generate() — names, places,
 * products.  Private to crm-generate.c; included once.
 *
 * Weights are rough shares (surnames follow the published frequency order of the
 * 2020 census; compound surnames are over-represented on purpose so that a demo
 * data set has enough of them to search for).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include <glib.h>

typedef enum
{
  LANG_ZH,
  LANG_EN,
  LANG_DE,
  LANG_FR,
  LANG_ES,
  LANG_IT,
  LANG_NL,
  LANG_SV,
  N_LANGS
} GenLang;

typedef struct
{
  const char *zh;
  const char *py;      /* pinyin, ASCII, for e-mail addresses and Latin spellings */
  guint       weight;  /* per 10 000 */
} GenSurname;

typedef struct
{
  const char *zh;
  const char *py;
} GenGiven;

typedef struct
{
  const char *name;
  const char *ascii;   /* for e-mail addresses */
} GenLatin;

typedef struct
{
  const char *city;
  const char *region;
  const char *country;
  GenLang     lang;
  const char *postal;  /* '#' = random digit, '@' = random capital letter */
  const char *phone;   /* NULL for China (mobile numbers are made apart); '#' = digit */
  guint       weight;
} GenCity;

static const GenSurname surnames[] = {
  { "王", "wang", 710 }, { "李", "li", 700 }, { "张", "zhang", 680 }, { "刘", "liu", 540 },
  { "陈", "chen", 450 }, { "杨", "yang", 310 }, { "黄", "huang", 220 }, { "赵", "zhao", 200 },
  { "吴", "wu", 190 }, { "周", "zhou", 190 }, { "徐", "xu", 150 }, { "孙", "sun", 150 },
  { "马", "ma", 120 }, { "朱", "zhu", 120 }, { "胡", "hu", 110 }, { "郭", "guo", 110 },
  { "何", "he", 100 }, { "林", "lin", 90 }, { "高", "gao", 100 }, { "罗", "luo", 90 },
  { "郑", "zheng", 80 }, { "梁", "liang", 80 }, { "谢", "xie", 70 }, { "宋", "song", 60 },
  { "唐", "tang", 60 }, { "许", "xu", 60 }, { "韩", "han", 60 }, { "冯", "feng", 60 },
  { "邓", "deng", 60 }, { "曹", "cao", 60 }, { "彭", "peng", 50 }, { "曾", "zeng", 50 },
  { "肖", "xiao", 50 }, { "田", "tian", 50 }, { "董", "dong", 50 }, { "袁", "yuan", 40 },
  { "潘", "pan", 40 }, { "于", "yu", 40 }, { "蒋", "jiang", 40 }, { "蔡", "cai", 40 },
  { "余", "yu", 40 }, { "杜", "du", 40 }, { "叶", "ye", 40 }, { "程", "cheng", 40 },
  { "苏", "su", 30 }, { "魏", "wei", 30 }, { "吕", "lv", 30 }, { "丁", "ding", 30 },
  { "任", "ren", 30 }, { "沈", "shen", 30 }, { "姚", "yao", 30 }, { "卢", "lu", 30 },
  { "姜", "jiang", 30 }, { "崔", "cui", 30 }, { "钟", "zhong", 30 }, { "谭", "tan", 30 },
  { "陆", "lu", 30 }, { "汪", "wang", 30 }, { "范", "fan", 30 }, { "金", "jin", 30 },
  { "石", "shi", 30 }, { "廖", "liao", 30 }, { "贾", "jia", 30 }, { "夏", "xia", 20 },
  { "韦", "wei", 20 }, { "付", "fu", 20 }, { "方", "fang", 20 }, { "白", "bai", 20 },
  { "邹", "zou", 20 }, { "孟", "meng", 20 }, { "熊", "xiong", 20 }, { "秦", "qin", 20 },
  { "邱", "qiu", 20 }, { "江", "jiang", 20 }, { "尹", "yin", 20 }, { "薛", "xue", 20 },
  { "闫", "yan", 20 }, { "段", "duan", 20 }, { "雷", "lei", 20 }, { "侯", "hou", 20 },
  { "龙", "long", 20 }, { "史", "shi", 20 }, { "陶", "tao", 20 }, { "黎", "li", 20 },
  { "贺", "he", 20 }, { "顾", "gu", 20 }, { "毛", "mao", 20 }, { "郝", "hao", 20 },
  { "龚", "gong", 20 }, { "邵", "shao", 20 }, { "万", "wan", 20 }, { "钱", "qian", 20 },
  { "严", "yan", 20 }, { "武", "wu", 20 }, { "戴", "dai", 20 }, { "莫", "mo", 10 },
  { "孔", "kong", 10 }, { "向", "xiang", 10 }, { "汤", "tang", 10 }, { "覃", "qin", 10 },
  /* compound surnames */
  { "欧阳", "ouyang", 40 }, { "司马", "sima", 15 }, { "上官", "shangguan", 10 },
  { "诸葛", "zhuge", 10 }, { "司徒", "situ", 10 }, { "东方", "dongfang", 5 },
  { "慕容", "murong", 5 }, { "皇甫", "huangfu", 5 }, { "令狐", "linghu", 5 },
  { "夏侯", "xiahou", 5 },
};

/* Given names; [0] female, [1] male. */
static const GenGiven given1[2][24] = {
  {
    { "芳", "fang" }, { "娜", "na" }, { "敏", "min" }, { "静", "jing" }, { "丽", "li" },
    { "艳", "yan" }, { "娟", "juan" }, { "霞", "xia" }, { "玲", "ling" }, { "婷", "ting" },
    { "雪", "xue" }, { "慧", "hui" }, { "琳", "lin" }, { "颖", "ying" }, { "倩", "qian" },
    { "洁", "jie" }, { "萍", "ping" }, { "燕", "yan" }, { "丹", "dan" }, { "红", "hong" },
    { "梅", "mei" }, { "莉", "li" }, { "欣", "xin" }, { "悦", "yue" },
  },
  {
    { "伟", "wei" }, { "强", "qiang" }, { "磊", "lei" }, { "军", "jun" }, { "勇", "yong" },
    { "杰", "jie" }, { "涛", "tao" }, { "明", "ming" }, { "超", "chao" }, { "辉", "hui" },
    { "刚", "gang" }, { "平", "ping" }, { "鹏", "peng" }, { "华", "hua" }, { "飞", "fei" },
    { "鑫", "xin" }, { "波", "bo" }, { "斌", "bin" }, { "宇", "yu" }, { "浩", "hao" },
    { "凯", "kai" }, { "健", "jian" }, { "俊", "jun" }, { "帆", "fan" },
  },
};

static const GenGiven given2[2][24] = {
  {
    { "秀英", "xiuying" }, { "桂英", "guiying" }, { "秀兰", "xiulan" }, { "玉兰", "yulan" },
    { "子涵", "zihan" }, { "欣怡", "xinyi" }, { "梓涵", "zihan" }, { "诗涵", "shihan" },
    { "雨桐", "yutong" }, { "可馨", "kexin" }, { "佳怡", "jiayi" }, { "思彤", "sitong" },
    { "婉婷", "wanting" }, { "晓燕", "xiaoyan" }, { "丽娟", "lijuan" }, { "海燕", "haiyan" },
    { "春梅", "chunmei" }, { "雪梅", "xuemei" }, { "美玲", "meiling" }, { "淑珍", "shuzhen" },
    { "梦琪", "mengqi" }, { "雅静", "yajing" }, { "若曦", "ruoxi" }, { "语嫣", "yuyan" },
  },
  {
    { "志强", "zhiqiang" }, { "建华", "jianhua" }, { "建国", "jianguo" }, { "建军", "jianjun" },
    { "国强", "guoqiang" }, { "海涛", "haitao" }, { "俊杰", "junjie" }, { "浩然", "haoran" },
    { "子轩", "zixuan" }, { "宇轩", "yuxuan" }, { "梓豪", "zihao" }, { "博文", "bowen" },
    { "文博", "wenbo" }, { "明轩", "mingxuan" }, { "一鸣", "yiming" }, { "天宇", "tianyu" },
    { "嘉豪", "jiahao" }, { "振宇", "zhenyu" }, { "晓东", "xiaodong" }, { "志明", "zhiming" },
    { "家乐", "jiale" }, { "思远", "siyuan" }, { "立新", "lixin" }, { "德华", "dehua" },
  },
};

/* Latin first names per language, [0] female, [1] male; last names per language. */
#define N_FIRST 16
#define N_LAST  24

static const GenLatin first_names[N_LANGS][2][N_FIRST] = {
  [LANG_ZH] = {  /* English names as many Chinese customers use them */
    { { "Lily", "lily" }, { "Grace", "grace" }, { "Cindy", "cindy" }, { "Vivian", "vivian" },
      { "Amy", "amy" }, { "Jessica", "jessica" }, { "Fiona", "fiona" }, { "Coco", "coco" },
      { "Helen", "helen" }, { "Sophia", "sophia" }, { "Emma", "emma" }, { "Iris", "iris" },
      { "Joyce", "joyce" }, { "Winnie", "winnie" }, { "Crystal", "crystal" }, { "Angela", "angela" } },
    { { "Kevin", "kevin" }, { "Jason", "jason" }, { "Eric", "eric" }, { "Tony", "tony" },
      { "Jack", "jack" }, { "Leo", "leo" }, { "David", "david" }, { "Frank", "frank" },
      { "Peter", "peter" }, { "Vincent", "vincent" }, { "Allen", "allen" }, { "Ryan", "ryan" },
      { "Steven", "steven" }, { "Andy", "andy" }, { "Calvin", "calvin" }, { "Louis", "louis" } },
  },
  [LANG_EN] = {
    { { "Emily", "emily" }, { "Olivia", "olivia" }, { "Sarah", "sarah" }, { "Emma", "emma" },
      { "Charlotte", "charlotte" }, { "Hannah", "hannah" }, { "Chloe", "chloe" }, { "Grace", "grace" },
      { "Amelia", "amelia" }, { "Jessica", "jessica" }, { "Megan", "megan" }, { "Zoe", "zoe" },
      { "Lucy", "lucy" }, { "Rachel", "rachel" }, { "Abigail", "abigail" }, { "Mia", "mia" } },
    { { "James", "james" }, { "Oliver", "oliver" }, { "William", "william" }, { "Jack", "jack" },
      { "Michael", "michael" }, { "Daniel", "daniel" }, { "Thomas", "thomas" }, { "Ethan", "ethan" },
      { "Noah", "noah" }, { "Henry", "henry" }, { "Samuel", "samuel" }, { "Liam", "liam" },
      { "Benjamin", "benjamin" }, { "Lucas", "lucas" }, { "Matthew", "matthew" }, { "Ryan", "ryan" } },
  },
  [LANG_DE] = {
    { { "Anna", "anna" }, { "Lena", "lena" }, { "Sophie", "sophie" }, { "Julia", "julia" },
      { "Katharina", "katharina" }, { "Jana", "jana" }, { "Lea", "lea" }, { "Marie", "marie" },
      { "Johanna", "johanna" }, { "Charlotte", "charlotte" }, { "Sabine", "sabine" }, { "Ute", "ute" },
      { "Birgit", "birgit" }, { "Greta", "greta" }, { "Frieda", "frieda" }, { "Mia", "mia" } },
    { { "Lukas", "lukas" }, { "Jonas", "jonas" }, { "Felix", "felix" }, { "Maximilian", "maximilian" },
      { "Paul", "paul" }, { "Leon", "leon" }, { "Tobias", "tobias" }, { "Florian", "florian" },
      { "Stefan", "stefan" }, { "Jörg", "joerg" }, { "Matthias", "matthias" }, { "Moritz", "moritz" },
      { "Jan", "jan" }, { "Niklas", "niklas" }, { "Uwe", "uwe" }, { "Sebastian", "sebastian" } },
  },
  [LANG_FR] = {
    { { "Camille", "camille" }, { "Léa", "lea" }, { "Chloé", "chloe" }, { "Manon", "manon" },
      { "Inès", "ines" }, { "Juliette", "juliette" }, { "Margaux", "margaux" }, { "Élodie", "elodie" },
      { "Sophie", "sophie" }, { "Amélie", "amelie" }, { "Claire", "claire" }, { "Louise", "louise" },
      { "Zoé", "zoe" }, { "Anaïs", "anais" }, { "Céline", "celine" }, { "Nathalie", "nathalie" } },
    { { "Lucas", "lucas" }, { "Hugo", "hugo" }, { "Louis", "louis" }, { "Théo", "theo" },
      { "Gabriel", "gabriel" }, { "Arthur", "arthur" }, { "Mathis", "mathis" }, { "Julien", "julien" },
      { "Nicolas", "nicolas" }, { "Antoine", "antoine" }, { "François", "francois" }, { "Pierre", "pierre" },
      { "Étienne", "etienne" }, { "Olivier", "olivier" }, { "Rémi", "remi" }, { "Thomas", "thomas" } },
  },
  [LANG_ES] = {
    { { "Lucía", "lucia" }, { "María", "maria" }, { "Paula", "paula" }, { "Sofía", "sofia" },
      { "Carmen", "carmen" }, { "Laura", "laura" }, { "Marta", "marta" }, { "Elena", "elena" },
      { "Alba", "alba" }, { "Noelia", "noelia" }, { "Irene", "irene" }, { "Cristina", "cristina" },
      { "Raquel", "raquel" }, { "Nuria", "nuria" }, { "Ana", "ana" }, { "Pilar", "pilar" } },
    { { "Hugo", "hugo" }, { "Pablo", "pablo" }, { "Alejandro", "alejandro" }, { "Javier", "javier" },
      { "Daniel", "daniel" }, { "Álvaro", "alvaro" }, { "Sergio", "sergio" }, { "Diego", "diego" },
      { "Jorge", "jorge" }, { "Iván", "ivan" }, { "Raúl", "raul" }, { "Adrián", "adrian" },
      { "Manuel", "manuel" }, { "Carlos", "carlos" }, { "José", "jose" }, { "Marcos", "marcos" } },
  },
  [LANG_IT] = {
    { { "Giulia", "giulia" }, { "Francesca", "francesca" }, { "Chiara", "chiara" }, { "Sara", "sara" },
      { "Martina", "martina" }, { "Alessia", "alessia" }, { "Valentina", "valentina" }, { "Elisa", "elisa" },
      { "Federica", "federica" }, { "Silvia", "silvia" }, { "Aurora", "aurora" }, { "Beatrice", "beatrice" },
      { "Ilaria", "ilaria" }, { "Noemi", "noemi" }, { "Paola", "paola" }, { "Greta", "greta" } },
    { { "Marco", "marco" }, { "Luca", "luca" }, { "Andrea", "andrea" }, { "Matteo", "matteo" },
      { "Alessandro", "alessandro" }, { "Lorenzo", "lorenzo" }, { "Davide", "davide" }, { "Simone", "simone" },
      { "Francesco", "francesco" }, { "Giorgio", "giorgio" }, { "Niccolò", "niccolo" }, { "Stefano", "stefano" },
      { "Riccardo", "riccardo" }, { "Fabio", "fabio" }, { "Paolo", "paolo" }, { "Tommaso", "tommaso" } },
  },
  [LANG_NL] = {
    { { "Emma", "emma" }, { "Sanne", "sanne" }, { "Fleur", "fleur" }, { "Lotte", "lotte" },
      { "Anouk", "anouk" }, { "Iris", "iris" }, { "Femke", "femke" }, { "Eva", "eva" },
      { "Noor", "noor" }, { "Julia", "julia" }, { "Lieke", "lieke" }, { "Maud", "maud" },
      { "Tess", "tess" }, { "Roos", "roos" }, { "Ilse", "ilse" }, { "Sophie", "sophie" } },
    { { "Daan", "daan" }, { "Sem", "sem" }, { "Bram", "bram" }, { "Lars", "lars" },
      { "Thijs", "thijs" }, { "Ruben", "ruben" }, { "Jeroen", "jeroen" }, { "Sander", "sander" },
      { "Joost", "joost" }, { "Pieter", "pieter" }, { "Wouter", "wouter" }, { "Stijn", "stijn" },
      { "Koen", "koen" }, { "Bas", "bas" }, { "Jasper", "jasper" }, { "Niels", "niels" } },
  },
  [LANG_SV] = {
    { { "Alice", "alice" }, { "Maja", "maja" }, { "Elsa", "elsa" }, { "Astrid", "astrid" },
      { "Ebba", "ebba" }, { "Linnéa", "linnea" }, { "Saga", "saga" }, { "Ingrid", "ingrid" },
      { "Karin", "karin" }, { "Sofia", "sofia" }, { "Frida", "frida" }, { "Agnes", "agnes" },
      { "Klara", "klara" }, { "Wilma", "wilma" }, { "Märta", "marta" }, { "Lova", "lova" } },
    { { "Erik", "erik" }, { "Lars", "lars" }, { "Oskar", "oskar" }, { "Axel", "axel" },
      { "Nils", "nils" }, { "Gustav", "gustav" }, { "Anders", "anders" }, { "Johan", "johan" },
      { "Henrik", "henrik" }, { "Björn", "bjorn" }, { "Magnus", "magnus" }, { "Olof", "olof" },
      { "Viktor", "viktor" }, { "Emil", "emil" }, { "Hugo", "hugo" }, { "Sven", "sven" } },
  },
};

static const GenLatin last_names[N_LANGS][N_LAST] = {
  [LANG_ZH] = { { NULL, NULL } },  /* pinyin surnames are used instead */
  [LANG_EN] = {
    { "Smith", "smith" }, { "Johnson", "johnson" }, { "Williams", "williams" }, { "Brown", "brown" },
    { "Jones", "jones" }, { "Miller", "miller" }, { "Davis", "davis" }, { "Wilson", "wilson" },
    { "Taylor", "taylor" }, { "Anderson", "anderson" }, { "Thomas", "thomas" }, { "Moore", "moore" },
    { "Martin", "martin" }, { "Clark", "clark" }, { "Lewis", "lewis" }, { "Walker", "walker" },
    { "Hall", "hall" }, { "Young", "young" }, { "King", "king" }, { "Wright", "wright" },
    { "O'Brien", "obrien" }, { "Evans", "evans" }, { "Roberts", "roberts" }, { "Campbell", "campbell" },
  },
  [LANG_DE] = {
    { "Müller", "mueller" }, { "Schmidt", "schmidt" }, { "Schneider", "schneider" }, { "Fischer", "fischer" },
    { "Weber", "weber" }, { "Meyer", "meyer" }, { "Wagner", "wagner" }, { "Becker", "becker" },
    { "Schulz", "schulz" }, { "Hoffmann", "hoffmann" }, { "Schäfer", "schaefer" }, { "Koch", "koch" },
    { "Bauer", "bauer" }, { "Richter", "richter" }, { "Klein", "klein" }, { "Wolf", "wolf" },
    { "Schröder", "schroeder" }, { "Neumann", "neumann" }, { "Schwarz", "schwarz" }, { "Zimmermann", "zimmermann" },
    { "Braun", "braun" }, { "Krüger", "krueger" }, { "Hofmann", "hofmann" }, { "Hartmann", "hartmann" },
  },
  [LANG_FR] = {
    { "Martin", "martin" }, { "Bernard", "bernard" }, { "Dubois", "dubois" }, { "Thomas", "thomas" },
    { "Robert", "robert" }, { "Richard", "richard" }, { "Petit", "petit" }, { "Durand", "durand" },
    { "Leroy", "leroy" }, { "Moreau", "moreau" }, { "Simon", "simon" }, { "Laurent", "laurent" },
    { "Lefèvre", "lefevre" }, { "Michel", "michel" }, { "Garcia", "garcia" }, { "David", "david" },
    { "Bertrand", "bertrand" }, { "Roux", "roux" }, { "Vincent", "vincent" }, { "Fournier", "fournier" },
    { "Morel", "morel" }, { "Girard", "girard" }, { "André", "andre" }, { "Mercier", "mercier" },
  },
  [LANG_ES] = {
    { "García", "garcia" }, { "Rodríguez", "rodriguez" }, { "González", "gonzalez" }, { "Fernández", "fernandez" },
    { "López", "lopez" }, { "Martínez", "martinez" }, { "Sánchez", "sanchez" }, { "Pérez", "perez" },
    { "Gómez", "gomez" }, { "Martín", "martin" }, { "Jiménez", "jimenez" }, { "Ruiz", "ruiz" },
    { "Hernández", "hernandez" }, { "Díaz", "diaz" }, { "Moreno", "moreno" }, { "Muñoz", "munoz" },
    { "Álvarez", "alvarez" }, { "Romero", "romero" }, { "Alonso", "alonso" }, { "Gutiérrez", "gutierrez" },
    { "Navarro", "navarro" }, { "Torres", "torres" }, { "Domínguez", "dominguez" }, { "Vázquez", "vazquez" },
  },
  [LANG_IT] = {
    { "Rossi", "rossi" }, { "Russo", "russo" }, { "Ferrari", "ferrari" }, { "Esposito", "esposito" },
    { "Bianchi", "bianchi" }, { "Romano", "romano" }, { "Colombo", "colombo" }, { "Ricci", "ricci" },
    { "Marino", "marino" }, { "Greco", "greco" }, { "Bruno", "bruno" }, { "Gallo", "gallo" },
    { "Conti", "conti" }, { "De Luca", "deluca" }, { "Mancini", "mancini" }, { "Costa", "costa" },
    { "Giordano", "giordano" }, { "Rizzo", "rizzo" }, { "Lombardi", "lombardi" }, { "Moretti", "moretti" },
    { "Barbieri", "barbieri" }, { "Fontana", "fontana" }, { "Santoro", "santoro" }, { "Mariani", "mariani" },
  },
  [LANG_NL] = {
    { "de Jong", "dejong" }, { "Jansen", "jansen" }, { "de Vries", "devries" }, { "van den Berg", "vandenberg" },
    { "van Dijk", "vandijk" }, { "Bakker", "bakker" }, { "Janssen", "janssen" }, { "Visser", "visser" },
    { "Smit", "smit" }, { "Meijer", "meijer" }, { "de Boer", "deboer" }, { "Mulder", "mulder" },
    { "de Groot", "degroot" }, { "Bos", "bos" }, { "Vos", "vos" }, { "Peters", "peters" },
    { "Hendriks", "hendriks" }, { "van Leeuwen", "vanleeuwen" }, { "Dekker", "dekker" }, { "Brouwer", "brouwer" },
    { "de Wit", "dewit" }, { "Dijkstra", "dijkstra" }, { "Smits", "smits" }, { "de Graaf", "degraaf" },
  },
  [LANG_SV] = {
    { "Andersson", "andersson" }, { "Johansson", "johansson" }, { "Karlsson", "karlsson" }, { "Nilsson", "nilsson" },
    { "Eriksson", "eriksson" }, { "Larsson", "larsson" }, { "Olsson", "olsson" }, { "Persson", "persson" },
    { "Svensson", "svensson" }, { "Gustafsson", "gustafsson" }, { "Pettersson", "pettersson" }, { "Jonsson", "jonsson" },
    { "Jansson", "jansson" }, { "Hansson", "hansson" }, { "Bengtsson", "bengtsson" }, { "Jönsson", "joensson" },
    { "Lindberg", "lindberg" }, { "Jakobsson", "jakobsson" }, { "Magnusson", "magnusson" }, { "Lindström", "lindstroem" },
    { "Olofsson", "olofsson" }, { "Lindqvist", "lindqvist" }, { "Axelsson", "axelsson" }, { "Bergström", "bergstroem" },
  },
};

/* Chinese cities carry their province (or municipality) and the first digits of
 * their postal codes; weights follow city size. */
static const GenCity cities[] = {
  { "上海", "上海市", "中国", LANG_ZH, "2000##", NULL, 900 },
  { "北京", "北京市", "中国", LANG_ZH, "1000##", NULL, 850 },
  { "深圳", "广东省", "中国", LANG_ZH, "5180##", NULL, 650 },
  { "广州", "广东省", "中国", LANG_ZH, "5100##", NULL, 600 },
  { "成都", "四川省", "中国", LANG_ZH, "6100##", NULL, 500 },
  { "重庆", "重庆市", "中国", LANG_ZH, "4000##", NULL, 480 },
  { "杭州", "浙江省", "中国", LANG_ZH, "3100##", NULL, 450 },
  { "武汉", "湖北省", "中国", LANG_ZH, "4300##", NULL, 400 },
  { "西安", "陕西省", "中国", LANG_ZH, "7100##", NULL, 350 },
  { "南京", "江苏省", "中国", LANG_ZH, "2100##", NULL, 350 },
  { "天津", "天津市", "中国", LANG_ZH, "3000##", NULL, 330 },
  { "苏州", "江苏省", "中国", LANG_ZH, "2150##", NULL, 320 },
  { "长沙", "湖南省", "中国", LANG_ZH, "4100##", NULL, 280 },
  { "郑州", "河南省", "中国", LANG_ZH, "4500##", NULL, 280 },
  { "东莞", "广东省", "中国", LANG_ZH, "5230##", NULL, 250 },
  { "青岛", "山东省", "中国", LANG_ZH, "2660##", NULL, 240 },
  { "沈阳", "辽宁省", "中国", LANG_ZH, "1100##", NULL, 220 },
  { "宁波", "浙江省", "中国", LANG_ZH, "3150##", NULL, 210 },
  { "佛山", "广东省", "中国", LANG_ZH, "5280##", NULL, 210 },
  { "合肥", "安徽省", "中国", LANG_ZH, "2300##", NULL, 200 },
  { "昆明", "云南省", "中国", LANG_ZH, "6500##", NULL, 190 },
  { "济南", "山东省", "中国", LANG_ZH, "2500##", NULL, 190 },
  { "厦门", "福建省", "中国", LANG_ZH, "3610##", NULL, 170 },
  { "福州", "福建省", "中国", LANG_ZH, "3500##", NULL, 170 },
  { "哈尔滨", "黑龙江省", "中国", LANG_ZH, "1500##", NULL, 170 },
  { "大连", "辽宁省", "中国", LANG_ZH, "1160##", NULL, 160 },
  { "无锡", "江苏省", "中国", LANG_ZH, "2140##", NULL, 160 },
  { "石家庄", "河北省", "中国", LANG_ZH, "0500##", NULL, 150 },
  { "南宁", "广西壮族自治区", "中国", LANG_ZH, "5300##", NULL, 140 },
  { "贵阳", "贵州省", "中国", LANG_ZH, "5500##", NULL, 130 },
  { "长春", "吉林省", "中国", LANG_ZH, "1300##", NULL, 130 },
  { "南昌", "江西省", "中国", LANG_ZH, "3300##", NULL, 130 },
  { "太原", "山西省", "中国", LANG_ZH, "0300##", NULL, 110 },
  { "乌鲁木齐", "新疆维吾尔自治区", "中国", LANG_ZH, "8300##", NULL, 80 },
  { "呼和浩特", "内蒙古自治区", "中国", LANG_ZH, "0100##", NULL, 70 },
  { "拉萨", "西藏自治区", "中国", LANG_ZH, "8500##", NULL, 20 },
  { "海口", "海南省", "中国", LANG_ZH, "5700##", NULL, 60 },
  { "兰州", "甘肃省", "中国", LANG_ZH, "7300##", NULL, 80 },
  /* abroad */
  { "New York", "NY", "United States", LANG_EN, "100##", "+1 212-###-####", 300 },
  { "Los Angeles", "CA", "United States", LANG_EN, "900##", "+1 213-###-####", 220 },
  { "San Francisco", "CA", "United States", LANG_EN, "941##", "+1 415-###-####", 180 },
  { "Seattle", "WA", "United States", LANG_EN, "981##", "+1 206-###-####", 120 },
  { "Chicago", "IL", "United States", LANG_EN, "606##", "+1 312-###-####", 150 },
  { "London", "England", "United Kingdom", LANG_EN, "SW# #@@", "+44 20 #### ####", 250 },
  { "Manchester", "England", "United Kingdom", LANG_EN, "M# #@@", "+44 161 ### ####", 90 },
  { "Toronto", "Ontario", "Canada", LANG_EN, "M5V #@#", "+1 416-###-####", 150 },
  { "Vancouver", "British Columbia", "Canada", LANG_EN, "V6B #@#", "+1 604-###-####", 130 },
  { "Sydney", "New South Wales", "Australia", LANG_EN, "20##", "+61 2 #### ####", 150 },
  { "Melbourne", "Victoria", "Australia", LANG_EN, "30##", "+61 3 #### ####", 130 },
  { "Singapore", "Singapore", "Singapore", LANG_EN, "0#####", "+65 #### ####", 120 },
  { "Berlin", "Berlin", "Germany", LANG_DE, "10###", "+49 30 ########", 160 },
  { "München", "Bayern", "Germany", LANG_DE, "80###", "+49 89 ########", 130 },
  { "Hamburg", "Hamburg", "Germany", LANG_DE, "20###", "+49 40 ########", 110 },
  { "Paris", "Île-de-France", "France", LANG_FR, "750##", "+33 1 ## ## ## ##", 180 },
  { "Lyon", "Auvergne-Rhône-Alpes", "France", LANG_FR, "6900#", "+33 4 ## ## ## ##", 80 },
  { "Madrid", "Comunidad de Madrid", "Spain", LANG_ES, "280##", "+34 91 ### ## ##", 120 },
  { "Barcelona", "Cataluña", "Spain", LANG_ES, "080##", "+34 93 ### ## ##", 110 },
  { "Milano", "Lombardia", "Italy", LANG_IT, "201##", "+39 02 #### ####", 110 },
  { "Roma", "Lazio", "Italy", LANG_IT, "001##", "+39 06 #### ####", 100 },
  { "Amsterdam", "Noord-Holland", "Netherlands", LANG_NL, "10## @@", "+31 20 ### ####", 100 },
  { "Stockholm", "Stockholms län", "Sweden", LANG_SV, "1## ##", "+46 8 ### ### ##", 80 },
};

#define N_CN_CITIES 38

/* Mobile number blocks of the three operators. */
static const char *const cn_mobile_prefixes[] = {
  "130", "131", "132", "133", "134", "135", "136", "137", "138", "139", "150", "151",
  "152", "153", "155", "156", "157", "158", "159", "166", "170", "176", "177", "178",
  "180", "181", "182", "183", "184", "185", "186", "187", "188", "189", "191", "198", "199",
};

static const char *const cn_mail_domains[] = {
  "163.com", "126.com", "sina.com", "foxmail.com", "outlook.com", "gmail.com", "139.com", "yeah.net",
};

static const char *const mail_domains[N_LANGS][4] = {
  [LANG_ZH] = { "163.com", "qq.com", "outlook.com", "gmail.com" },
  [LANG_EN] = { "gmail.com", "outlook.com", "yahoo.com", "icloud.com" },
  [LANG_DE] = { "gmx.de", "web.de", "t-online.de", "gmail.com" },
  [LANG_FR] = { "orange.fr", "free.fr", "laposte.net", "gmail.com" },
  [LANG_ES] = { "gmail.com", "hotmail.es", "yahoo.es", "telefonica.net" },
  [LANG_IT] = { "libero.it", "gmail.com", "virgilio.it", "tiscali.it" },
  [LANG_NL] = { "ziggo.nl", "gmail.com", "kpnmail.nl", "hotmail.nl" },
  [LANG_SV] = { "telia.com", "gmail.com", "hotmail.se", "outlook.com" },
};

static const char *const cn_roads[] = {
  "人民路", "解放路", "中山路", "建设路", "和平路", "新华路", "长江路", "学府路", "文化路",
  "胜利路", "青年路", "光明路", "滨江路", "迎宾大道", "科技路", "南京路", "友谊路", "朝阳路",
};

static const char *const streets[N_LANGS][6] = {
  [LANG_ZH] = { NULL },
  [LANG_EN] = { "Main Street", "Oak Avenue", "High Street", "Park Road", "Church Lane", "King Street" },
  [LANG_DE] = { "Hauptstraße", "Bahnhofstraße", "Gartenweg", "Schillerstraße", "Lindenallee", "Bergstraße" },
  [LANG_FR] = { "rue de la Paix", "avenue Victor Hugo", "rue du Moulin", "boulevard Voltaire", "rue des Lilas", "place de la Mairie" },
  [LANG_ES] = { "Calle Mayor", "Avenida de la Constitución", "Calle del Sol", "Paseo de Gracia", "Calle Real", "Plaza de España" },
  [LANG_IT] = { "Via Roma", "Corso Italia", "Via Garibaldi", "Via Mazzini", "Piazza Dante", "Via Verdi" },
  [LANG_NL] = { "Kerkstraat", "Dorpsstraat", "Stationsweg", "Molenweg", "Prinsengracht", "Schoolstraat" },
  [LANG_SV] = { "Storgatan", "Drottninggatan", "Kungsgatan", "Skolgatan", "Sveavägen", "Järnvägsgatan" },
};

static const char *const cn_company_heads[] = {
  "华星", "东方", "恒通", "鼎盛", "金桥", "新锐", "博远", "瑞丰", "宏达", "中科", "天诚", "汇智",
  "盛世", "腾跃", "云帆", "嘉禾",
};
static const char *const cn_company_tails[] = {
  "科技有限公司", "贸易有限公司", "文化传媒有限公司", "餐饮管理有限公司", "电子商务有限公司",
  "建筑设计有限公司", "咨询服务有限公司", "物流有限公司",
};
static const char *const company_tails[] = {
  "Ltd", "GmbH", "LLC", "& Co.", "Consulting", "Trading", "Studio", "Group",
};

static const char *const cn_occupations[] = {
  "工程师", "教师", "医生", "设计师", "销售经理", "会计", "律师", "学生", "自由职业", "公务员",
  "程序员", "护士", "店主", "产品经理",
};
static const char *const occupations[] = {
  "Engineer", "Teacher", "Designer", "Accountant", "Nurse", "Consultant", "Student", "Manager",
  "Software developer", "Lawyer", "Architect", "Shop owner",
};

static const char *const owners[] = {
  "王静", "李强", "张敏", "刘洋", "陈晨", "赵磊", "周婷", "孙浩", "黄丽", "Anna Schmidt",
  "David Miller", "Sophie Martin",
};

/* Tags a shop would type; "VIP", "老客户" and "潜在流失" are given by behaviour. */
static const char *const random_tags[] = {
  "批发", "企业客户", "生日会员", "学生", "newsletter", "b2b", "wholesale", "early-adopter",
  "展会2024", "直播粉丝", "团购", "influencer",
};

static const char *const cn_notes[] = {
  "偏好周末送货", "对价格敏感，关注促销", "生日在下月，可发优惠券", "曾投诉物流慢，已补偿",
  "希望开具增值税专用发票", "老客户介绍", "只用微信联系", "对新品很感兴趣",
};
static const char *const notes[] = {
  "Prefers e-mail contact", "Asked about bulk discount", "Ships to office address",
  "Complained about late delivery, refunded shipping", "Interested in new arrivals",
  "Referred by an existing customer",
};

typedef struct
{
  const char *key;
  guint       weight;
} GenChoice;

/* Where the customer first came from; orders come mostly through the same channel. */
static const GenChoice sources[] = {
  { "web", 30 }, { "wechat", 22 }, { "marketplace", 18 }, { "store", 14 }, { "referral", 8 },
  { "phone", 4 }, { "event", 4 },
};

static const GenChoice channels[] = {
  { "web", 35 }, { "wechat", 25 }, { "marketplace", 20 }, { "store", 15 }, { "phone", 5 },
};

/* Order statuses; the ones crm_store_update_customer_aggregates() does not count
 * are "cancelled", "refunded" and "failed". */
enum { ST_COMPLETED, ST_PROCESSING, ST_SHIPPED, ST_CANCELLED, ST_REFUNDED, N_STATUSES };
static const char *const statuses[N_STATUSES] = {
  "completed", "processing", "shipped", "cancelled", "refunded",
};

typedef struct
{
  const char *zh;
  const char *en;
  guint       yuan;
} GenItem;

typedef struct
{
  const char *zh;
  const char *en;
  const char *code;
  GenItem     items[9];
} GenCategory;

/* 12 categories × 9 items × 2 variants = 216 products.  Order lines carry the
 * product name in the customer's language, as on their order confirmation; the SKU
 * identifies the product. */
static const GenCategory categories[] = {
  { "数码电子", "Electronics", "EL", {
    { "无线蓝牙耳机", "Wireless Earbuds", 199 }, { "充电宝", "Power Bank", 129 },
    { "智能手表", "Smart Watch", 899 }, { "机械键盘", "Mechanical Keyboard", 399 },
    { "无线鼠标", "Wireless Mouse", 99 }, { "蓝牙音箱", "Bluetooth Speaker", 299 },
    { "平板保护套", "Tablet Case", 79 }, { "快充数据线", "Fast Charging Cable", 39 },
    { "降噪耳机", "Noise-cancelling Headphones", 1299 } } },
  { "服装", "Apparel", "AP", {
    { "纯棉T恤", "Cotton T-shirt", 89 }, { "牛仔裤", "Jeans", 259 }, { "羽绒服", "Down Jacket", 899 },
    { "连衣裙", "Dress", 329 }, { "卫衣", "Hoodie", 199 }, { "衬衫", "Shirt", 179 },
    { "运动裤", "Track Pants", 149 }, { "羊毛围巾", "Wool Scarf", 169 }, { "风衣", "Trench Coat", 699 } } },
  { "美妆个护", "Beauty", "BE", {
    { "保湿面霜", "Moisturising Cream", 268 }, { "精华液", "Serum", 459 }, { "口红", "Lipstick", 199 },
    { "防晒霜", "Sunscreen", 139 }, { "洗面奶", "Facial Cleanser", 79 }, { "面膜（10片）", "Sheet Masks (10)", 99 },
    { "香水", "Eau de Parfum", 680 }, { "洗发水", "Shampoo", 69 }, { "护手霜", "Hand Cream", 45 } } },
  { "食品饮料", "Food & Drinks", "FD", {
    { "龙井茶", "Longjing Green Tea", 298 }, { "咖啡豆", "Coffee Beans", 98 },
    { "坚果礼盒", "Mixed Nuts Gift Box", 168 }, { "月饼礼盒", "Mooncake Gift Box", 238 },
    { "进口红酒", "Red Wine", 199 }, { "蜂蜜", "Honey", 88 }, { "黑巧克力", "Dark Chocolate", 59 },
    { "普洱茶饼", "Pu'er Tea Cake", 368 }, { "燕麦片", "Rolled Oats", 39 } } },
  { "家居", "Home", "HO", {
    { "四件套床品", "Bedding Set", 499 }, { "乳胶枕", "Latex Pillow", 299 }, { "香薰蜡烛", "Scented Candle", 89 },
    { "收纳箱", "Storage Box", 59 }, { "毛巾套装", "Towel Set", 129 }, { "地毯", "Rug", 399 },
    { "台灯", "Desk Lamp", 199 }, { "保温杯", "Vacuum Flask", 149 }, { "抱枕", "Cushion", 79 } } },
  { "厨房电器", "Kitchen", "KI", {
    { "电饭煲", "Rice Cooker", 599 }, { "空气炸锅", "Air Fryer", 459 }, { "不粘锅", "Non-stick Pan", 269 },
    { "刀具套装", "Knife Set", 389 }, { "破壁机", "High-speed Blender", 899 },
    { "咖啡机", "Espresso Machine", 1999 }, { "电水壶", "Electric Kettle", 159 },
    { "餐具套装", "Tableware Set", 239 }, { "砧板", "Cutting Board", 69 } } },
  { "母婴", "Baby", "BA", {
    { "纸尿裤", "Diapers", 139 }, { "婴儿奶粉", "Infant Formula", 328 }, { "婴儿推车", "Stroller", 1899 },
    { "儿童安全座椅", "Child Car Seat", 1599 }, { "奶瓶", "Baby Bottle", 89 }, { "婴儿湿巾", "Baby Wipes", 49 },
    { "爬行垫", "Play Mat", 259 }, { "儿童绘本套装", "Picture Book Set", 128 }, { "婴儿连体衣", "Baby Romper", 99 } } },
  { "运动户外", "Sports & Outdoors", "SP", {
    { "瑜伽垫", "Yoga Mat", 129 }, { "跑步鞋", "Running Shoes", 599 }, { "登山包", "Hiking Backpack", 459 },
    { "哑铃", "Dumbbells", 199 }, { "帐篷", "Tent", 799 }, { "羽毛球拍", "Badminton Racket", 299 },
    { "骑行头盔", "Cycling Helmet", 329 }, { "速干衣", "Quick-dry Shirt", 119 }, { "跳绳", "Jump Rope", 39 } } },
  { "图书文具", "Books & Stationery", "BK", {
    { "钢笔", "Fountain Pen", 189 }, { "笔记本", "Notebook", 35 }, { "畅销小说", "Bestselling Novel", 49 },
    { "中国通史", "History of China", 88 }, { "编程入门", "Programming for Beginners", 99 },
    { "水彩颜料", "Watercolour Set", 149 }, { "书法套装", "Calligraphy Set", 229 },
    { "台历", "Desk Calendar", 39 }, { "英汉词典", "English-Chinese Dictionary", 119 } } },
  { "宠物用品", "Pet Supplies", "PE", {
    { "猫粮", "Cat Food", 159 }, { "狗粮", "Dog Food", 189 }, { "猫砂", "Cat Litter", 69 },
    { "宠物玩具", "Pet Toy", 39 }, { "猫爬架", "Cat Tree", 399 }, { "宠物窝", "Pet Bed", 199 },
    { "牵引绳", "Leash", 59 }, { "宠物零食", "Pet Treats", 49 }, { "自动喂食器", "Automatic Feeder", 299 } } },
  { "珠宝配饰", "Jewellery & Accessories", "JW", {
    { "银项链", "Silver Necklace", 399 }, { "珍珠耳环", "Pearl Earrings", 599 }, { "真皮钱包", "Leather Wallet", 299 },
    { "太阳镜", "Sunglasses", 459 }, { "黄金手链", "Gold Bracelet", 3999 }, { "机械手表", "Automatic Watch", 1899 },
    { "真丝围巾", "Silk Scarf", 359 }, { "发夹", "Hair Clip", 39 }, { "真皮腰带", "Leather Belt", 199 } } },
  { "健康保健", "Health", "HE", {
    { "维生素C", "Vitamin C", 89 }, { "鱼油", "Fish Oil", 199 }, { "蛋白粉", "Protein Powder", 299 },
    { "电子血压计", "Blood Pressure Monitor", 259 }, { "体脂秤", "Body Fat Scale", 129 },
    { "按摩仪", "Massager", 499 }, { "口罩（50只）", "Face Masks (50)", 39 }, { "益生菌", "Probiotics", 229 },
    { "艾灸贴", "Moxibustion Patches", 59 } } },
};

#define N_CATEGORIES G_N_ELEMENTS (categories)
#define N_ITEMS      9
#define N_VARIANTS   2
#define N_PRODUCTS   (N_CATEGORIES * N_ITEMS * N_VARIANTS)

static const struct
{
  const char *zh;   /* appended to the Chinese name */
  const char *en;
  double      price_factor;
} variants[N_VARIANTS] = {
  { "", "", 1.0 },
  { "（升级款）", " Plus", 1.6 },
};
