"""Chinese postal codes (邮政编码): which province-level region, and where known which city, a
six-digit code belongs to.

China Post assigns the first two digits by province (some provinces hold several: 广东 51-52),
the third digit by postal district, so the first three digits name a prefecture-level city
for most of the country. The region keys are SAP's three-digit keys of the shipped customizing
(resources/customizing/regions.yaml, country CN); a company that renamed a key changes it here.
Hong Kong (999077) and Macao (999078) have no postal codes of their own in practice; their
customers carry country HK / MO, so the table leaves them out.
"""

from __future__ import annotations

# First two digits -> SAP region key (country CN). 34 province-level divisions less HK, MO, TW.
PROVINCE_PREFIXES: dict[str, str] = {
    "10": "010",  # 北京
    "20": "020",  # 上海
    "30": "030",  # 天津
    "01": "040",  # 内蒙古
    "02": "040",
    "03": "050",  # 山西
    "04": "050",
    "05": "060",  # 河北
    "06": "060",
    "07": "060",
    "11": "070",  # 辽宁
    "12": "070",
    "13": "080",  # 吉林
    "15": "090",  # 黑龙江
    "16": "090",
    "21": "100",  # 江苏
    "22": "100",
    "23": "110",  # 安徽
    "24": "110",
    "25": "120",  # 山东
    "26": "120",
    "27": "120",
    "31": "130",  # 浙江
    "32": "130",
    "33": "140",  # 江西
    "34": "140",
    "35": "150",  # 福建
    "36": "150",
    "41": "160",  # 湖南
    "42": "160",
    "43": "170",  # 湖北
    "44": "170",
    "45": "180",  # 河南
    "46": "180",
    "47": "180",
    "51": "190",  # 广东
    "52": "190",
    "57": "200",  # 海南
    "53": "210",  # 广西
    "54": "210",
    "55": "220",  # 贵州
    "56": "220",
    "61": "230",  # 四川
    "62": "230",
    "63": "230",
    "64": "230",
    "65": "240",  # 云南
    "66": "240",
    "67": "240",
    "71": "250",  # 陕西
    "72": "250",
    "73": "260",  # 甘肃
    "74": "260",
    "75": "270",  # 宁夏
    "81": "280",  # 青海
    "83": "290",  # 新疆
    "84": "290",
    "85": "300",  # 西藏
    "86": "300",
    "40": "320",  # 重庆
}

# First three digits -> city (as written in cities.yaml, without 市) for the provincial capitals
# and the cities customers most often sit in. Only where the district is one city: a prefix
# shared by several cities is not listed, so "where known" stays true: 030 (太原 030000, 晋中
# 030600), 264 (烟台 264000, 威海 264200) and 528 (佛山 528000, 中山 528400) are such prefixes.
CITY_PREFIXES: dict[str, str] = {
    "100": "北京",
    "200": "上海",
    "300": "天津",
    "400": "重庆",
    "010": "呼和浩特",
    "014": "包头",
    "050": "石家庄",
    "063": "唐山",
    "066": "秦皇岛",
    "071": "保定",
    "110": "沈阳",
    "116": "大连",
    "130": "长春",
    "150": "哈尔滨",
    "210": "南京",
    "214": "无锡",
    "215": "苏州",
    "213": "常州",
    "226": "南通",
    "230": "合肥",
    "241": "芜湖",
    "250": "济南",
    "266": "青岛",
    "310": "杭州",
    "315": "宁波",
    "325": "温州",
    "330": "南昌",
    "350": "福州",
    "361": "厦门",
    "362": "泉州",
    "410": "长沙",
    "430": "武汉",
    "450": "郑州",
    "471": "洛阳",
    "510": "广州",
    "518": "深圳",
    "519": "珠海",
    "515": "汕头",
    "523": "东莞",
    "570": "海口",
    "572": "三亚",
    "530": "南宁",
    "541": "桂林",
    "550": "贵阳",
    "610": "成都",
    "650": "昆明",
    "710": "西安",
    "730": "兰州",
    "750": "银川",
    "810": "西宁",
    "830": "乌鲁木齐",
    "850": "拉萨",
}


def _digits(postal_code: str) -> str | None:
    code = postal_code.strip()
    return code if len(code) == 6 and code.isascii() and code.isdigit() else None


def region_of_postal_code(postal_code: str) -> str | None:
    """The SAP region key (country CN) of a six-digit postal code, None if it names none."""
    code = _digits(postal_code)
    return PROVINCE_PREFIXES.get(code[:2]) if code else None


def city_of_postal_code(postal_code: str) -> str | None:
    """The city of a six-digit postal code where the table knows it, else None."""
    code = _digits(postal_code)
    return CITY_PREFIXES.get(code[:3]) if code else None
