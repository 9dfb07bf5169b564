"""County coordinates, province helpers and the default east-west pairs."""

from __future__ import annotations

import csv
from functools import lru_cache
from pathlib import Path

import numpy as np

DATA = Path(__file__).parent / "data"

# Bounding box of China (including islands in the South China Sea), for validation.
LON_RANGE = (73.0, 136.0)
LAT_RANGE = (3.0, 54.0)
EARTH_KM = 6371.0


@lru_cache(maxsize=1)
def east_west_pairs() -> tuple[tuple[str, str], ...]:
    """Default east-west cooperation pairs (east, west) from data/east_west.csv."""
    with open(DATA / "east_west.csv", newline="") as f:
        return tuple((r["east"], r["west"]) for r in csv.DictReader(f))


@lru_cache(maxsize=1)
def counties() -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """County adcodes (int64), lon and lat; missing coordinates taken from the parent
    city, else the province."""
    codes, lons, lats = [], [], []
    with open(DATA / "adcodes.csv", newline="", encoding="utf-8") as f:
        for r in csv.DictReader(f):
            codes.append(int(r["adcode"]))
            lons.append(float(r["longitude"]) if r["longitude"] else np.nan)
            lats.append(float(r["latitude"]) if r["latitude"] else np.nan)
    code = np.array(codes, dtype=np.int64)
    lon, lat = np.array(lons), np.array(lats)
    where = {c: i for i, c in enumerate(codes)}
    for i in np.flatnonzero(np.isnan(lon)):
        for parent in (code[i] // 10**8 * 10**8, code[i] // 10**10 * 10**10):
            j = where.get(int(parent))
            if j is not None and not np.isnan(lon[j]):
                lon[i], lat[i] = lon[j], lat[j]
                break
    is_county = (code % 10**8 != 0) & ~np.isnan(lon)
    return code[is_county], lon[is_county], lat[is_county]


def province_of(adcode: np.ndarray) -> np.ndarray:
    """2-digit province code (as int) of 12-digit adcodes."""
    return (np.asarray(adcode) // 10**10).astype(np.int16)


def haversine_km(lon1: np.ndarray, lat1: np.ndarray, lon2: np.ndarray, lat2: np.ndarray) -> np.ndarray:
    """Great-circle distance in km; broadcasts."""
    p1, p2 = np.radians(lat1), np.radians(lat2)
    dphi = p2 - p1
    dl = np.radians(lon2) - np.radians(lon1)
    a = np.sin(dphi / 2) ** 2 + np.cos(p1) * np.cos(p2) * np.sin(dl / 2) ** 2
    return 2 * EARTH_KM * np.arcsin(np.sqrt(np.minimum(a, 1.0)))
