"""WCAG 2 contrast of a theme's colours: pure functions, no fonts or files."""

from __future__ import annotations

from dataclasses import dataclass

from studypack.theme.model import Theme

AA = 4.5  # WCAG 2 AA, normal-size text
PAPER = "#FFFFFF"


@dataclass(frozen=True)
class Check:
    status: str  # PASS, FAIL, WARN, SKIP
    message: str
    subject: str = ""  # the theme colour a contrast check is about ('text', 'primary', …)

    @property
    def failed(self) -> bool:
        return self.status == "FAIL"


def relative_luminance(color: str) -> float:
    """WCAG 2 relative luminance of '#RRGGBB'."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    r, g, b = (int(color[i : i + 2], 16) / 255 for i in (1, 3, 5))
    return 0.2126 * channel(r) + 0.7152 * channel(g) + 0.0722 * channel(b)


def contrast_ratio(a: str, b: str) -> float:
    light, dark = sorted((relative_luminance(a), relative_luminance(b)), reverse=True)
    return (light + 0.05) / (dark + 0.05)


def check_contrast(theme: Theme) -> list[Check]:
    """Each colour pair the outputs draw, against WCAG AA; FAIL below it."""
    c = theme.colors
    pairs = [
        ("text", c.text, "background", c.background, "body text"),
        ("muted", c.muted, "background", c.background, "captions, footers, card numbers"),
        ("accent", c.accent, "background", c.background, "links, highlights"),
        ("primary", c.primary, "background", c.background, "headings"),
    ]
    if c.background != PAPER:
        # The PDFs are printed: their text, headings, captions and links sit on white paper,
        # not on the theme's background.
        pairs += [
            ("text", c.text, "paper", PAPER, "handout and card text"),
            ("primary", c.primary, "paper", PAPER, "handout headings, card fronts"),
            ("muted", c.muted, "paper", PAPER, "handout captions, card numbers"),
            ("accent", c.accent, "paper", PAPER, "handout links"),
        ]
    if theme.style.fills:
        # Title slides and the cover band put background-coloured text on primary.
        pairs.append(("background", c.background, "primary", c.primary, "title slide, section numbers, cover"))
    checks = []
    for fg_name, fg, bg_name, bg, use in pairs:
        ratio = contrast_ratio(fg, bg)
        status = "PASS" if ratio >= AA else "FAIL"
        subject = fg_name if fg_name != "background" else bg_name  # the colour a fix would change
        checks.append(
            Check(status, f"{ratio:5.2f}:1  {fg_name} {fg} on {bg_name} {bg} ({use})", subject)
        )
    if not theme.style.fills:
        checks.append(
            Check("SKIP", "text on primary: this theme draws no filled areas (style.fills: false)")
        )
    return checks
