"""Wall time and peak resident memory per stage (a sampling thread reads /proc)."""

from __future__ import annotations

import os
import resource
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

_PAGE = os.sysconf("SC_PAGE_SIZE") if hasattr(os, "sysconf") else 4096


def rss_mb() -> float:
    try:
        with open("/proc/self/statm") as f:
            return int(f.read().split()[1]) * _PAGE / 2**20
    except OSError:  # not Linux: the process peak so far is the best we have
        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class StageMeter:
    def __init__(self, interval: float = 0.02) -> None:
        self.seconds: dict[str, float] = {}
        self.peak_mb: dict[str, float] = {}
        self._interval = interval

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        peak = [rss_mb()]
        stop = threading.Event()

        def sample() -> None:
            while not stop.wait(self._interval):
                peak[0] = max(peak[0], rss_mb())

        t = threading.Thread(target=sample, daemon=True)
        start = time.perf_counter()
        t.start()
        try:
            yield
        finally:
            stop.set()
            t.join()
            self.seconds[name] = self.seconds.get(name, 0.0) + time.perf_counter() - start
            self.peak_mb[name] = max(self.peak_mb.get(name, 0.0), peak[0], rss_mb())
