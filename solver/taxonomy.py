"""Shared taxonomy of help kinds, importable by the site without numpy.

KINDS maps each kind to (mechanism, unit). Quantities are whole units: yuan
(the site converts from fen) or people.
"""

from __future__ import annotations

KINDS: dict[str, tuple[str, str]] = {
    "investment": ("industry", "yuan"),
    "procurement": ("industry", "yuan per year"),
    "ecommerce": ("industry", "yuan per year"),
    "jobs": ("employment", "people"),
    "training": ("employment", "people"),
    "donation": ("welfare", "yuan"),
    "infrastructure": ("welfare", "yuan"),
    "education": ("welfare", "yuan"),
    "medical": ("welfare", "yuan"),
}

KIND_NAMES: tuple[str, ...] = tuple(KINDS)
MECHANISMS: tuple[str, ...] = ("industry", "employment", "welfare")

# 2-digit province codes (GB/T 2260) and names, used for province fields.
PROVINCES: dict[str, str] = {
    "11": "Beijing", "12": "Tianjin", "13": "Hebei", "14": "Shanxi",
    "15": "Inner Mongolia", "21": "Liaoning", "22": "Jilin", "23": "Heilongjiang",
    "31": "Shanghai", "32": "Jiangsu", "33": "Zhejiang", "34": "Anhui",
    "35": "Fujian", "36": "Jiangxi", "37": "Shandong", "41": "Henan",
    "42": "Hubei", "43": "Hunan", "44": "Guangdong", "45": "Guangxi",
    "46": "Hainan", "50": "Chongqing", "51": "Sichuan", "52": "Guizhou",
    "53": "Yunnan", "54": "Tibet", "61": "Shaanxi", "62": "Gansu",
    "63": "Qinghai", "64": "Ningxia", "65": "Xinjiang",
    "71": "Taiwan", "81": "Hong Kong", "82": "Macau",
}
