"""Small vocabularies the demo generator draws from (invented names, real places)."""

from __future__ import annotations

SURNAMES = list("王李张刘陈杨黄赵吴周徐孙马朱胡郭何高林罗郑梁谢宋唐许韩冯邓曹彭曾肖田董袁潘于蒋蔡余杜叶程苏魏吕丁任沈姚卢")
GIVEN = ["伟", "芳", "娜", "敏", "静", "丽", "强", "磊", "军", "洋", "勇", "艳", "杰", "娟", "涛", "明", "超",
         "秀英", "霞", "平", "刚", "桂英", "建华", "文", "华", "红", "玉兰", "欣怡", "子轩", "浩然", "梓涵",
         "雨桐", "思远", "一诺", "宇航", "佳怡", "晨曦", "嘉豪", "诗涵", "俊杰"]
EN_FIRST = ["Emma", "Liam", "Olivia", "Noah", "Ava", "James", "Sophia", "Lucas", "Mia", "Ethan",
            "Grace", "Henry", "Chloe", "Jack", "Lily", "Daniel", "Zoe", "Ryan", "Anna", "David"]
EN_LAST = ["Smith", "Johnson", "Brown", "Taylor", "Miller", "Wilson", "Moore", "Clark", "Lee",
           "Walker", "Young", "King", "Wright", "Green", "Baker", "Hall", "Chen", "Wong", "Tan", "Ng"]

#: (province, city); the first entry is the home city (上海)
CITIES = [
    ("上海", "上海市"), ("北京", "北京市"), ("广东省", "广州市"), ("广东省", "深圳市"), ("浙江省", "杭州市"),
    ("浙江省", "宁波市"), ("江苏省", "南京市"), ("江苏省", "苏州市"), ("四川省", "成都市"), ("湖北省", "武汉市"),
    ("陕西省", "西安市"), ("重庆", "重庆市"), ("天津", "天津市"), ("山东省", "青岛市"), ("山东省", "济南市"),
    ("福建省", "厦门市"), ("湖南省", "长沙市"), ("河南省", "郑州市"), ("辽宁省", "沈阳市"), ("云南省", "昆明市"),
    ("安徽省", "合肥市"), ("江西省", "南昌市"), ("广西壮族自治区", "南宁市"), ("黑龙江省", "哈尔滨市"),
]
ABROAD = [("US", "New York"), ("US", "San Francisco"), ("JP", "Tokyo"), ("SG", "Singapore"),
          ("DE", "Berlin"), ("GB", "London"), ("AU", "Sydney"), ("KR", "Seoul")]
STREETS = ["人民路", "解放路", "中山路", "建设路", "南京路", "淮海路", "长江路", "和平路", "文化路", "新华路"]

SOURCES = ["baidu_cpc", "信息流", "抖音", "小红书", "KOL", "partner", "渠道商", "合作伙伴推荐", "organic",
           "seo", "自然搜索", "direct", "老客户推荐", "referral", "utm_medium=cpc", "facebook_ads",
           "直接访问", "展会"]
SOURCE_WEIGHTS = [8, 7, 6, 6, 3, 4, 3, 2, 10, 5, 5, 9, 5, 4, 3, 2, 4, 2]
SOCIAL_SOURCES = {"抖音", "小红书", "KOL", "老客户推荐", "referral"}
PREFERRED = ["email", "wechat", "phone", "sms", "store", "app", "web"]
ONLINE_CHANNELS = ["app", "web", "wechat", "miniprogram"]
OFFLINE_CHANNELS = ["store", "phone", "sales_rep"]

#: demo B2B industries: (GB/T 4754 division, industry text, CN size row thresholds: {X|Y|Z: [large, medium, small]})
INDUSTRIES = [
    ("26", "化工原材料", {"X": [1000, 300, 20], "Y": [40000, 2000, 300]}),
    ("31", "钢铁冶炼", {"X": [1000, 300, 20], "Y": [40000, 2000, 300]}),
    ("33", "金属零部件制造", {"X": [1000, 300, 20], "Y": [40000, 2000, 300]}),
    ("39", "electronic components", {"X": [1000, 300, 20], "Y": [40000, 2000, 300]}),
    ("38", "电气机械与器材", {"X": [1000, 300, 20], "Y": [40000, 2000, 300]}),
    ("18", "服装成品制造", {"X": [1000, 300, 20], "Y": [40000, 2000, 300]}),
    ("21", "家具制造", {"X": [1000, 300, 20], "Y": [40000, 2000, 300]}),
    ("62", "餐饮连锁", {"X": [300, 100, 10], "Y": [10000, 2000, 100]}),
    ("66", "商业银行", {"X": [300, 100, 10]}),
    ("68", "insurance", {"X": [300, 100, 10]}),
    ("84", "民营医院", {"X": [300, 100, 10]}),
    ("52", "连锁超市", {"X": [300, 50, 10], "Y": [20000, 500, 100]}),
    ("51", "食品批发", {"X": [200, 20, 5], "Y": [40000, 5000, 1000]}),
    ("65", "软件开发", {"X": [300, 100, 10], "Y": [10000, 1000, 50]}),
    ("72", "商务咨询", {"X": [300, 100, 10], "Z": [120000, 8000, 100]}),
    ("59", "仓储物流", {"X": [200, 100, 20], "Y": [30000, 1000, 100]}),
    (None, "trading company", {"X": [300, 100, 10]}),
]
COMPANY_STEMS = ["华盛", "宏远", "鑫达", "恒通", "瑞丰", "金桥", "天成", "博远", "新元", "正泰", "Apex", "Nova",
                 "Pacific", "Orient", "Summit"]
COMPANY_SUFFIX = ["有限公司", "股份有限公司", "集团有限公司", " Co., Ltd.", " Inc.", " Ltd."]
GOV_NAMES = ["上海市市场监督管理局", "杭州市教育局", "浦东新区发展和改革委员会", "深圳市人民政府办公厅",
             "Ministry of Commerce", "Department of Transport"]
INST_NAMES = ["复旦大学附属医院", "浙江大学", "上海市红十字会", "中国计算机学会", "University of Leeds",
              "Shanghai Science Foundation", "市第一人民医院", "华东理工大学"]
