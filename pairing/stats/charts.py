"""Server-side pictures: the tile map of provinces, bar charts and a monthly series.

Everything is plain geometry handed to the templates, which draw SVG with attributes
(the Content-Security-Policy forbids inline styles). The map is one square per province
in its rough place: no borders are drawn, so it is not a map that needs approval.
"""

from __future__ import annotations

from dataclasses import dataclass

# code: (column, row, short Chinese name, short English name)
TILES: dict[str, tuple[int, int, str, str]] = {
    "23": (8, 0, "黑龙江", "Heilong."),
    "15": (5, 1, "内蒙古", "Inner Mong."), "11": (6, 1, "北京", "Beijing"),
    "21": (7, 1, "辽宁", "Liaoning"), "22": (8, 1, "吉林", "Jilin"),
    "65": (1, 2, "新疆", "Xinjiang"), "62": (3, 2, "甘肃", "Gansu"),
    "64": (4, 2, "宁夏", "Ningxia"), "14": (5, 2, "山西", "Shanxi"),
    "13": (6, 2, "河北", "Hebei"), "12": (7, 2, "天津", "Tianjin"),
    "54": (1, 3, "西藏", "Tibet"), "63": (2, 3, "青海", "Qinghai"),
    "61": (4, 3, "陕西", "Shaanxi"), "41": (5, 3, "河南", "Henan"),
    "37": (6, 3, "山东", "Shandong"),
    "51": (3, 4, "四川", "Sichuan"), "50": (4, 4, "重庆", "Chongq."),
    "42": (5, 4, "湖北", "Hubei"), "34": (6, 4, "安徽", "Anhui"),
    "32": (7, 4, "江苏", "Jiangsu"),
    "53": (2, 5, "云南", "Yunnan"), "52": (3, 5, "贵州", "Guizhou"),
    "43": (4, 5, "湖南", "Hunan"), "36": (5, 5, "江西", "Jiangxi"),
    "33": (6, 5, "浙江", "Zhejiang"), "31": (7, 5, "上海", "Shanghai"),
    "45": (3, 6, "广西", "Guangxi"), "44": (4, 6, "广东", "Guangd."),
    "35": (5, 6, "福建", "Fujian"), "71": (6, 6, "台湾", "Taiwan"),
    "46": (3, 7, "海南", "Hainan"), "82": (4, 7, "澳门", "Macau"),
    "81": (5, 7, "香港", "Hong Kong"),
}
TILE = 64
GAP = 4
# A sequential scale, light to dark; provinces with nothing take EMPTY.
SCALE = ["#d9ecd9", "#a8d5a8", "#6fb56f", "#3f8f3f", "#1f5f1f"]
EMPTY = "#eceae4"


@dataclass(frozen=True)
class Tile:
    code: str
    x: int
    y: int
    label: str
    value: int
    fill: str
    dark: bool


def shade(value: int, top: int) -> str:
    if value <= 0 or top <= 0:
        return EMPTY
    step = min(len(SCALE) - 1, int(len(SCALE) * value / (top + 1)))
    return SCALE[step]


def tile_map(values: dict[str, int], locale: str) -> tuple[list[Tile], int, int]:
    """Tiles with their place, label and colour; and the picture's width and height."""
    top = max(values.values(), default=0)
    tiles = []
    for code, (col, row, zh, en) in TILES.items():
        value = values.get(code, 0)
        fill = shade(value, top)
        tiles.append(Tile(code, col * (TILE + GAP), row * (TILE + GAP),
                          zh if locale.startswith("zh") else en, value, fill,
                          fill in SCALE[3:]))
    width = (max(c for c, *_ in TILES.values()) + 1) * (TILE + GAP)
    height = (max(r for _, r, *_ in TILES.values()) + 1) * (TILE + GAP)
    return tiles, width, height


def legend(values: dict[str, int]) -> list[tuple[str, int, int]]:
    """(colour, from, to) for each step of the scale."""
    top = max(values.values(), default=0)
    if top <= 0:
        return []
    steps = []
    for i, colour in enumerate(SCALE):
        low = (i * (top + 1) + len(SCALE) - 1) // len(SCALE)
        high = ((i + 1) * (top + 1) - 1) // len(SCALE)
        if high >= max(low, 1):
            steps.append((colour, max(low, 1), high))
    return steps


@dataclass(frozen=True)
class Bar:
    label: str
    value: int
    width: float  # 0..1 of the longest bar
    href: str | None = None


def bars(items: list[tuple[str, int, str | None]], limit: int = 12) -> list[Bar]:
    items = sorted((i for i in items if i[1] > 0), key=lambda i: -i[1])[:limit]
    top = max((v for _, v, _ in items), default=0)
    return [Bar(label, value, value / top if top else 0.0, href) for label, value, href in items]
