"""Line counting for the deck planner, which now lives with wrap() in studypack.fit."""

from __future__ import annotations

from studypack.fit import count_lines

__all__ = ["count_lines"]
