"""The words studypack itself prints (headings, slide titles, page numbers), in the pack's language.

Chosen by the primary subtag of `language:` (pt-BR -> pt); English when we have no translation.
"""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass


@dataclass(frozen=True)
class Labels:
    contents: str
    overview: str
    glossary: str
    see_also: str
    page: str  # "{n}" and "{total}" are filled in; Latin only (drawn without font fallback)
    agenda: str
    key_points: str  # "{title}" is filled in
    figure: str
    key_terms: str
    review: str
    cont: str  # a continued slide or point
    cont_n: str  # "{k}": the k-th continuation

    def titled(self, pattern: str, title: str) -> str:
        """A title with a label ("{title}: key points"); after a title's own question mark or
        other closing punctuation, a dash instead of the colon ("What is an acid? — key points")."""
        text = pattern.format(title=title)
        if not title or title[-1] not in _CLOSING:
            return text
        rest = text[len(title) :]
        label = rest.lstrip(" :：")
        return f"{title}{'　' if rest.startswith('：') else ' — '}{label}"

    def continued(self, title: str, k: int) -> str:
        """The k-th continuation's title; no space before a full-width bracket (（続き）)."""
        if k == 0:
            return title
        mark = self.cont if k == 1 else self.cont_n.format(k=k)
        return f"{title}{'' if mark.startswith('（') else ' '}{mark}"


_CLOSING = frozenset("?!.:;…？！。：；")


LABELS = {
    "en": Labels("Contents", "Overview", "Glossary", "See also:", "Page {n} of {total}", "Agenda",
                 "{title}: key points", "{title}: figure", "Key terms", "Review", "(cont.)", "(cont. {k})"),
    "de": Labels("Inhalt", "Überblick", "Glossar", "Siehe auch:", "Seite {n} von {total}", "Agenda",
                 "{title}: Kernpunkte", "{title}: Abbildung", "Fachbegriffe", "Rückblick", "(Forts.)", "(Forts. {k})"),
    "fr": Labels("Sommaire", "Aperçu", "Glossaire", "Voir aussi :", "Page {n} sur {total}", "Plan",
                 "{title} : points clés", "{title} : figure", "Termes clés", "Récapitulatif", "(suite)", "(suite {k})"),
    "es": Labels("Índice", "Resumen", "Glosario", "Véase también:", "Página {n} de {total}", "Agenda",
                 "{title}: puntos clave", "{title}: figura", "Términos clave", "Repaso", "(cont.)", "(cont. {k})"),
    "pt": Labels("Sumário", "Visão geral", "Glossário", "Ver também:", "Página {n} de {total}", "Agenda",
                 "{title}: pontos-chave", "{title}: figura", "Termos-chave", "Revisão", "(cont.)", "(cont. {k})"),
    "it": Labels("Indice", "Panoramica", "Glossario", "Vedi anche:", "Pagina {n} di {total}", "Agenda",
                 "{title}: punti chiave", "{title}: figura", "Termini chiave", "Riepilogo", "(cont.)", "(cont. {k})"),
    "nl": Labels("Inhoud", "Overzicht", "Woordenlijst", "Zie ook:", "Pagina {n} van {total}", "Agenda",
                 "{title}: kernpunten", "{title}: figuur", "Kernbegrippen", "Terugblik", "(vervolg)", "(vervolg {k})"),
    "ja": Labels("目次", "概要", "用語集", "関連項目:", "{n} / {total}", "アジェンダ",
                 "{title}：要点", "{title}：図", "重要用語", "まとめ", "（続き）", "（続き {k}）"),
    "zh": Labels("目录", "概述", "术语表", "另见:", "{n} / {total}", "议程",
                 "{title}：要点", "{title}：图", "关键术语", "复习", "（续）", "（续 {k}）"),
    "ko": Labels("목차", "개요", "용어집", "참고:", "{n} / {total}", "안건",
                 "{title}: 핵심", "{title}: 그림", "핵심 용어", "복습", "(계속)", "(계속 {k})"),
}  # fmt: skip


_MONTHS = {
    "en": "January February March April May June July August September October November December",
    "de": "Januar Februar März April Mai Juni Juli August September Oktober November Dezember",
    "fr": "janvier février mars avril mai juin juillet août septembre octobre novembre décembre",
    "es": "enero febrero marzo abril mayo junio julio agosto septiembre octubre noviembre diciembre",
    "pt": "janeiro fevereiro março abril maio junho julho agosto setembro outubro novembro dezembro",
    "it": "gennaio febbraio marzo aprile maggio giugno luglio agosto settembre ottobre novembre dicembre",
    "nl": "januari februari maart april mei juni juli augustus september oktober november december",
}
# "{d}" day, "{m}" month name (or number for CJK), "{y}" year.
_DATE_FORMATS = {
    "en": "{d} {m} {y}", "de": "{d}. {m} {y}", "fr": "{d} {m} {y}", "es": "{d} de {m} de {y}",
    "pt": "{d} de {m} de {y}", "it": "{d} {m} {y}", "nl": "{d} {m} {y}",
    "ja": "{y}年{m}月{d}日", "zh": "{y}年{m}月{d}日", "ko": "{y}년 {m}월 {d}일",
}  # fmt: skip


def format_date(date: dt.date, language: str) -> str:
    """The date as that language writes it ('24 November 2026', '24. November 2026', '2026年11月24日');
    ISO 8601 for languages we have no format for."""
    lang = language.split("-")[0].lower()
    if lang not in _DATE_FORMATS:
        return date.isoformat()
    months = _MONTHS.get(lang)
    month = months.split()[date.month - 1] if months else str(date.month)
    day = "1er" if lang == "fr" and date.day == 1 else str(date.day)
    return _DATE_FORMATS[lang].format(d=day, m=month, y=date.year)


def labels_for(language: str) -> Labels:
    return LABELS.get(language.split("-")[0].lower(), LABELS["en"])
