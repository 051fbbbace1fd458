/* crm-generate-data.h: the word lists behind crm_generate() — names and places.
 * Private to crm-generate-people.c, the one file that includes it; the
 * products are in crm-generate-catalogue.h.
 *
 * Weights are rough shares (surnames follow the published frequency order of the
 * 2020 census; compound surnames are over-represented on purpose so that a demo
 * data set has enough of them to search for).
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-generate-private.h"


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

/* Where the customer first came from; orders come mostly through the same channel. */
static const GenChoice sources[] = {
  { "web", 30 }, { "wechat", 22 }, { "marketplace", 18 }, { "store", 14 }, { "referral", 8 },
  { "phone", 4 }, { "event", 4 },
};
