/* crm-generate-catalogue.h: the shop behind crm_generate() — sales channels, order
 * statuses and the products.  Private to crm-generate-orders.c, the one file that
 * includes it.
 *
 * SPDX-License-Identifier: GPL-3.0-or-later
 */
#pragma once

#include "crm-generate-private.h"

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
