"""Units and sizes, defined once: points (the unit everything is measured in), mm, inches, EMU."""

from __future__ import annotations

PT = 1.0  # PDF and PowerPoint point, 1/72 in: the unit of every length in the plans
INCH = 72.0
MM = 72 / 25.4
LEADING = 1.2  # line height / font size, as single spacing in PowerPoint and our PDFs

PAPER_SIZES = {"letter": (8.5 * INCH, 11 * INCH), "a4": (210 * MM, 297 * MM)}

EMU_PER_INCH = 914400  # OOXML's English Metric Units
EMU_PER_PT = EMU_PER_INCH // 72

# A deck text box's insets, written into every bodyPr; text is measured inside them.
BOX_INSET_X_EMU = EMU_PER_INCH // 10
BOX_INSET_Y_EMU = EMU_PER_INCH // 20
BOX_INSET_X = BOX_INSET_X_EMU / EMU_PER_PT  # 7.2 pt
BOX_INSET_Y = BOX_INSET_Y_EMU / EMU_PER_PT  # 3.6 pt
