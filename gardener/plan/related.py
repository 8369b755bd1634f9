"""Related human-filed issues: what to search for (at most two searches a run) and which of the
issues found belong in which finding's body. Pure.

Search words come from the focus first (a person said what they care about), then from the most
fundamental finding. Plain words are ANDed by GitHub's search, so each query holds one word.
"""

from __future__ import annotations

from collections.abc import Sequence

from gardener import regex as re
from gardener.model import Finding, IssueRef

MAX_QUERIES = 2
MAX_PER_FINDING = 5
_WORD = re.lazy(r"[A-Za-z][A-Za-z0-9]{2,}")
_STOP_TEXT = """the and for with from when into after before does not are was were this that test tests testing
    failure failures failed failing fail fails error errors cause causing caused missing found issue issues
    python module modules file files unit integration infrastructure layer other others access denied
    build builds image images directory directories refuses refused connections connection service
    services some none http https localhost unknown unclassified assertion assert"""
STOPWORDS = frozenset(_STOP_TEXT.split())


def words(text: str) -> list[str]:
    """Lower-case words of 3+ letters, camelCase and snake_case split, stopwords out."""
    spaced = re.sub(r"([a-z])([A-Z])", r"\1 \2", text).replace("_", " ")
    return [w.lower() for w in _WORD.findall(spaced) if w.lower() not in STOPWORDS]


def finding_words(f: Finding) -> set[str]:
    out = set(words(f"{f.category} {f.area} {f.title}"))
    for r in f.results:
        out.update(words(r.file or r.id.split("::", 1)[0].rsplit("/", 1)[-1]))
    return out


def search_terms(findings: Sequence[Finding], focus: Sequence[str]) -> tuple[str, ...]:
    """One word per query: focus words first, then the top finding's most telling word."""
    terms: list[str] = []
    for term in focus:
        terms.extend(words(term))
    for f in findings[:1]:
        terms.extend(words(f"{f.category} {f.title}"))
    return tuple(dict.fromkeys(terms))[:MAX_QUERIES]


def related_for(f: Finding, issues: Sequence[IssueRef], focus: Sequence[str] = ()) -> tuple[IssueRef, ...]:
    """The related issues sharing the most words with this finding (focus words count when it matches them)."""
    mine = finding_words(f)
    focus_words = {w for term in focus for w in words(term)}
    if any(w in mine for w in focus_words) or any(w in " ".join(r.id.lower() for r in f.results) for w in focus_words):
        mine |= focus_words
    scored = []
    for issue in issues:
        shared = mine & set(words(f"{issue.title} {' '.join(issue.labels)}"))
        if shared:
            scored.append((-len(shared), issue.number, issue))
    return tuple(i for _, _, i in sorted(scored, key=lambda s: (s[0], s[1])))[:MAX_PER_FINDING]
