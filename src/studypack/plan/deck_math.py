"""Display equations on slides. For now the LaTeX source as a centred paragraph in the code
font; math_para is the one place a typeset equation (OMML) will replace it."""

from __future__ import annotations

from studypack.inline import Run
from studypack.model import Math
from studypack.plan.deck_fit import Para

MATH_SIZE = 20.0


def math_para(math: Math, size: float = MATH_SIZE) -> Para:
    """A math block as one paragraph of the text flow, centred, set like code."""
    source = " ".join(math.latex.split())
    return Para((Run(source, code=True),), size, space_before=size * 0.4, align="ctr")
