"""Peak resident memory of this process while a block runs, sampled every 50 ms (the
benchmarks share it: ``with Peak() as peak: ...; peak.peak`` in bytes)."""

from __future__ import annotations

import threading
import time

import psutil


class Peak:
    def __init__(self) -> None:
        self.peak = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _run(self) -> None:
        me = psutil.Process()
        while not self._stop.is_set():
            self.peak = max(self.peak, me.memory_info().rss)
            time.sleep(0.05)

    def __enter__(self) -> Peak:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
