"""Classification: each failing result → the rule that explains it → a signature; then findings.

The rule decides what the key spans (DESIGN.md §4), so a result is classified before it is
clustered: shared causes key on the rule's key text alone, test-logic failures add the test
identity (without the parametrize variant) or the failing code location.

`find(results, rules, config)` is the pipeline's entry point: findings ordered most fundamental
first (layer, then priority, then more results first, then id).
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Collection, Iterator, Sequence
from contextlib import contextmanager
from dataclasses import dataclass

from gardener import regex as re
from gardener.cluster import Classified, Cluster, Decision, absorb_wrappers, cluster
from gardener.config import Config
from gardener.generic_rule import may_be_named, named_verdict
from gardener.model import FAILING_OUTCOMES, LAYERS, PRIORITIES, Finding, Layer, Result, Signature
from gardener.named import with_named_test
from gardener.normalize import run_signatures
from gardener.priority import RunStats, cross_finding_priority, decide_priority
from gardener.priority_evidence import adjust, facts_of
from gardener.repeats import absorb_repeats
from gardener.rules.endpoints import infer_endpoints, named_by_service, service_names, with_endpoint
from gardener.rules.engine import Evidence, Hit, Verdict, evaluate
from gardener.rules.keys import base_reads_result, captures_map, failing_location, key_base, key_of, scoped_key
from gardener.rules.model import Category, Pattern, Rule, RuleSet
from gardener.rules.narrow import Narrowing
from gardener.rules.template import names_in, render

UNCLASSIFIED = "unclassified"
SOURCE_CONTEXT_CHARS = 32_000
BUILD_EVIDENCE = frozenset({"service", "image"})


@dataclass(frozen=True, slots=True)
class Analysis:
    """Everything `find` decided, kept for `gardener explain`."""

    findings: tuple[Finding, ...]
    clusters: dict[str, Cluster]  # finding id → its cluster


def classify_result(r: Result, rules: RuleSet, source_context: str = "") -> Classified:
    evidence = Evidence.of(r, source_context)
    return _classified(r, evaluate(rules, evidence), evidence.fields["text"])


def _classified(r: Result, verdict: Verdict, text: str, where: str | None = None) -> Classified:
    hit = verdict.winner
    rule = hit.rule if hit else None
    captures = hit.captures if hit else ()
    key = key_of(rule, hit.line if hit else "", captures, r, text, where)
    wrapper = bool(rule and rule.wrapper)
    if (named := named_verdict(r, verdict)) is not None and named.winner is not None:
        verdict, rule, wrapper = named, named.winner.rule, True  # as in _Shared.of
        captures, key = (), key_of(None, "", (), r, text, where)
    return Classified.of(r, verdict, rule.category if rule else UNCLASSIFIED, rule, key, captures, wrapper)


def _source_contexts(failing: Sequence[Result], rules: RuleSet) -> dict[str, str]:
    if not any(p.field == "source" for rule in rules.rules for f in rule.match for p in f) and not any(
        p.field == "source" for rule in rules.rules for p in rule.unless
    ):
        return {}
    # Each input's last SOURCE_CONTEXT_CHARS of "\n".join(message + "\n" + details): read from the end, so
    # a large input costs its tail, not a copy of all its failures.
    tails: dict[str, list[str]] = {}
    sizes: dict[str, int] = {}
    for r in reversed(failing):
        path = r.source.path
        size = sizes.get(path, -1)  # the joined length so far (-1: nothing yet; a separator comes before)
        if size >= SOURCE_CONTEXT_CHARS:
            continue
        text = f"{r.message}\n{r.details}"
        tails.setdefault(path, []).append(text)
        sizes[path] = size + 1 + len(text)
    return {path: "\n".join(reversed(texts))[-SOURCE_CONTEXT_CHARS:] for path, texts in tails.items()}


# Set by ingest/dedupe.py on a report's test merged with its console copy: the job log it ran in.
JOB_LOG = "job_log"


def _context_of(r: Result, contexts: dict[str, str]) -> str:
    """The `source` field: what the input files that reported this result show failing."""
    ctx = contexts.get(r.source.path, "")
    if r.properties:
        log = dict(r.properties).get(JOB_LOG)
        if log and log != r.source.path and log in contexts:
            ctx = f"{ctx}\n{contexts[log]}"
    return ctx


# classify_all's memo key: (message, details, the other fields the pack reads, the id last).
_MemoKey = tuple[str | None, str | None, tuple[object, ...]]

# The evidence fields drawn from a result's message, details and error type.
_TEXT_FIELDS = frozenset({"text", "message", "log", "error_type", "exception"})


@dataclass(frozen=True, slots=True)
class _Reads:
    """What of a result the rule pack can see: the memo key of a verdict is made of these only."""

    text: bool
    file: bool
    outcome: bool
    source: bool
    test: bool
    test_gated: bool  # every pattern on `test` has literals: an id holding none of them cannot matter
    test_literals: tuple[str, ...] = ()  # the case-sensitive ones: a few, so `in` beats a Set pass
    # Every pattern on `test`: an id holding a literal but matching none of them cannot matter either (a
    # `.py` literal is in every pytest id; were the id then in the key, no two results would share a verdict).
    on_test: tuple[Pattern, ...] = ()

    @classmethod
    def of(cls, rules: RuleSet) -> _Reads:
        patterns = [p for rule in rules.rules for p in (*(p for f in rule.match for p in f), *rule.unless,
                                                        *rule.capture)]
        fields = {p.field for p in patterns}
        on_test = [p for p in patterns if p.field == "test"]
        exact = rules.needles.get(("test", False))
        return cls(bool(fields & _TEXT_FIELDS), "file" in fields, "outcome" in fields, "source" in fields,
                   bool(on_test), all(p.needles is not None for p in on_test), exact.literals if exact else (),
                   tuple(on_test))

    def keyer(self, rules: RuleSet) -> Callable[[Result, str], _MemoKey]:
        """The memo key of a result (and its `source` context) under this pack, as one function for a whole run:
        what the pack reads is decided here once, not per result. The id is in it only when a rule could match
        it: when some pattern on `test` has no literals, or the id holds one of theirs."""
        folded = rules.needles.get(("test", True))
        literals = self.test_literals if self.test else ()
        gated = self.test and self.test_gated and folded is None
        # Each pattern is searched only when one of its own literals is in the id (a fold pattern's: lower-cased).
        searches = tuple((p.needles, p.fold, p.regex.search) for p in self.on_test)
        # Or all of them in one pass: a Set of plain patterns says exactly whether one's search finds a match.
        together = _one_pass(self.on_test)

        def matched(rid: str) -> bool:
            if together is not None:
                found = together.any_match(rid)
                if found is not None:
                    return found
            for needles, fold, search in searches:
                if needles is not None:
                    seen = rid.lower() if fold else rid
                    if not any(n in seen for n in needles):
                        continue
                if search(rid) is not None:
                    return True
            return False

        def test_of(r: Result) -> str | None:
            if not self.test:
                return None
            if not self.test_gated or any(n in r.id for n in literals) or (folded is not None and folded.find(r.id)):
                return r.id if matched(r.id) else None
            return None

        # (message, details, the rest): the rest takes a few values over a whole run, so each combination is one
        # shared tuple and the memo holds a 3-tuple per distinct key (its memory is at classify's peak). The id is
        # the rest's last field. may_be_named: what generic_rule reads beyond the pack's fields.
        rests: dict[tuple[object, ...], tuple[object, ...]] = {}
        if self.text and not self.file and self.outcome and self.source and (gated or not self.test):
            # The common pack (the shipped one): no pattern on `file`, the id gated by a few literals.
            def common(r: Result, ctx: str) -> _MemoKey:
                rid = r.id
                rest = (r.error_type, r.outcome, ctx, may_be_named(r),
                        rid if any(n in rid for n in literals) and matched(rid) else None)
                return (r.message, r.details, rests.setdefault(rest, rest))

            if together is None or not self.test:
                return common
            one_pass = together.any_match

            def common_set(r: Result, ctx: str) -> _MemoKey:
                # common's id: the Set answers for every pattern on `test` at once (None: unknown, as common asks)
                rid = r.id
                found = one_pass(rid)
                test = (rid if found else None) if found is not None else (
                    rid if any(n in rid for n in literals) and matched(rid) else None)
                rest = (r.error_type, r.outcome, ctx, may_be_named(r), test)
                return (r.message, r.details, rests.setdefault(rest, rest))

            return common_set
        text = self.text

        def general(r: Result, ctx: str) -> _MemoKey:
            rest = (
                r.error_type if text else None,
                (r.file or "") if self.file else None,
                r.outcome if self.outcome else None,
                ctx if self.source else None,
                may_be_named(r),
                test_of(r),
            )
            return (r.message if text else None, r.details if text else None, rests.setdefault(rest, rest))

        return general


def _one_pass(patterns: tuple[Pattern, ...]) -> re.PatternSet | None:
    """One Set of `patterns` when every one is plain (a RulePattern's lookaround or backreference is in no Set as
    itself, rules/patternset.py): `matching(text)` is then non-empty exactly when one of them matches."""
    sources = [(getattr(p.regex, "pattern", None), getattr(p.regex, "flags", 0)) for p in patterns]
    if not sources or any(not isinstance(source, str) or any(m in source for m in _NOT_PLAIN)
                          for source, _ in sources):
        return None
    return re.PatternSet(tuple((str(source), flags) for source, flags in sources))


_NOT_PLAIN = ("(?=", "(?!", "(?P=")  # what makes a rule pattern a RulePattern (rules/pattern.py)


def classify_all(results: Sequence[Result], rules: RuleSet) -> list[Classified]:
    """Classify every failing (or flaky) result. The rules run once per distinct set of the fields the
    pack reads (not per result: a test id only counts when a rule could match it); each result then
    gets its own key (a test-scoped key names its test)."""
    # A classify input holds failing results only: no second list of them all (the first passing one ends all()).
    failing: Sequence[Result] = results if all(r.is_failing or r.outcome == "flaky" for r in results) else [
        r for r in results if r.is_failing or r.outcome == "flaky"]
    contexts = _source_contexts(failing, rules)
    reads = _Reads.of(rules)
    # Per distinct evidence, what every result with it shares (_Shared): the verdict, the key before its
    # scope, and the whole key when it does not name the test. The evidence text itself is not kept:
    # memory stays small per result.
    cache: dict[_MemoKey, _Shared] = {}
    # Distinct memo keys often reach the same verdict (the same rule, captures and deciding line from
    # texts that differ elsewhere, e.g. in a traceback's paths): one Verdict (and its hits) is kept for
    # all of them, not one per memo key.
    verdicts: dict[tuple[object, ...], Verdict] = {}
    numbers = {id(rule): i for i, rule in enumerate(rules.rules)}

    def same_verdict(verdict: Verdict) -> Verdict:
        return _same_verdict(verdict, verdicts, numbers)

    # Distinct memo keys whose evidence differs only where no rule the pack would try can read it (a
    # traceback's paths, rules/narrow.py) get one evaluation: their verdict is memoised by the narrowed key.
    narrowing = Narrowing(rules)
    narrowed: dict[tuple[object, ...], Verdict] = {}
    shares: dict[tuple[object, ...], _Shared] = {}
    # The key base of a verdict (held in `verdicts` for the whole run, so its id stays its own) that reads only
    # the rule, its captures and its line (rules/keys.base_reads_result): distinct evidence reaching one verdict
    # (a traceback's paths apart) renders it once.
    bases: dict[int, str] = {}
    out: list[Classified] = []
    append = out.append
    key_of_result = reads.keyer(rules)
    for r in failing:
        ctx = "" if not contexts else _context_of(r, contexts) if r.properties else contexts.get(r.source.path, "")
        k = key_of_result(r, ctx)
        known = cache.get(k)
        if known is None:
            known = _Shared.of(r, ctx, rules, reads.text, same_verdict, narrowing, narrowed, bases,
                               test_matters=k[-1][-1] is not None)  # the id
            # Likewise one _Shared per distinct decision (the verdict is already one per content).
            same = (id(known.decision.verdict), known.where, known.base, known.key)
            known = cache[k] = shares.setdefault(same, known)
        key = known.key
        if key is None:  # a test-scoped key, or one whose base reads more than the memo key holds
            base = known.base if known.base is not None else key_base(known.rule, known.line, known.captures, r)
            key = scoped_key(known.rule, base, r, "", known.where)
        append(Classified(r, known.decision, key))
    return out


@dataclass(frozen=True, slots=True)
class _Shared:
    """What classify_all decides once per distinct memo key."""

    decision: Decision  # verdict, category, rule, captures, wrapper: shared by the Classified it decides
    rule: Rule | None
    line: str
    captures: tuple[tuple[str, str], ...]
    where: str  # a location-scoped winner's failing location (the only thing a key needs from the text)
    base: str | None  # the key before its scope (None: it reads fields outside the memo key)
    key: str | None  # the whole key, when no result's own id can enter it

    @classmethod
    def of(cls, r: Result, ctx: str, rules: RuleSet, text_in_key: bool, same_verdict: Callable[[Verdict], Verdict],
           narrowing: Narrowing, narrowed: dict[tuple[object, ...], Verdict], bases: dict[int, str],
           test_matters: bool) -> _Shared:
        evidence = Evidence.of(r, ctx)
        if not test_matters:  # the id holds no literal any pattern on `test` needs (_Reads.key)
            evidence.matches_nothing("test")
        narrow = narrowing.key(evidence, test_matters)
        verdict = narrowed.get(narrow) if narrow is not None else None
        if verdict is None:
            verdict = same_verdict(evaluate(rules, evidence))
            if narrow is not None:
                narrowed[narrow] = verdict
        hit = verdict.winner
        rule = hit.rule if hit else None
        line, captures = (hit.line, hit.captures) if hit else ("", ())
        where = failing_location(evidence.fields["text"]) if rule is not None and rule.scope == "location" else ""
        # key_base reads the result's text fields only, so it is shared when they are part of the memo key.
        base = bases.get(id(verdict)) if text_in_key else None
        if base is None and text_in_key:
            base = key_base(rule, line, captures, r)
            if not base_reads_result(rule, line):
                bases[id(verdict)] = base
        scope = rule.scope if rule is not None else "shared"
        shared = base is not None and (scope == "shared" or (scope == "location" and bool(where)))
        key = scoped_key(rule, base, r, "", where) if shared and base is not None else None
        wrapper = bool(rule and rule.wrapper)
        if (named := named_verdict(r, verdict)) is not None and named.winner is not None:
            # No rule names it; its line's words do (generic_rule.py): weak evidence, keyed by its explaining line as
            # a result no rule matched is (not by an exit code's wrapper line, which many causes share).
            verdict, rule, wrapper, line, captures, where = named, named.winner.rule, True, "", (), ""
            base = key_base(None, "", (), r) if text_in_key else None
            key = scoped_key(None, base, r, "", "") if base is not None else None
        decision = Decision(verdict, rule.category if rule else UNCLASSIFIED, rule, captures, wrapper)
        return cls(decision, rule, line, captures, where, base, key)


def _same_verdict(verdict: Verdict, seen: dict[tuple[object, ...], Verdict], numbers: dict[int, int]) -> Verdict:
    """The verdict already reached with the same content (rules by identity: one pack, each by its number in
    `numbers`, id(rule) -> its place, an int the dict holds: no new int object per hit), else `verdict`."""
    hits = verdict.hits
    content: tuple[object, ...] = (-1 if verdict.winner is None else hits.index(verdict.winner), verdict.cut_lines)
    for h in hits:  # one flat tuple (held while the run is classified), not one per hit inside it
        content += (numbers[id(h.rule)], h.captures, h.line, h.vetoed_by, h.also)
    return seen.setdefault(content, verdict)


def _keyed_by_endpoint(c: Classified, memo: dict[str, bool]) -> bool:
    if c.rule is None or c.wrapper:
        return False
    known = memo.get(c.rule.id)
    if known is None:
        known = memo[c.rule.id] = bool(names_in(c.rule.key) & {"host", "port"})
    return known


def attribute_endpoints(classified: Sequence[Classified]) -> list[Classified]:
    """Failures whose rule keys on the service endpoint get it, named or inferred (rules/endpoints.py),
    under the name of the CI service the run shows at that address, and an `endpoint` capture
    (`host:port`) for titles."""
    memo: dict[str, bool] = {}
    decided: dict[int, bool] = {}  # per Decision (a few thousand over 100,000 results), which the answer reads only
    groups: dict[str, list[int]] = {}
    for i, c in enumerate(classified):
        keyed = decided.get(id(c.decision))
        if keyed is None:
            keyed = decided[id(c.decision)] = _keyed_by_endpoint(c, memo)
        if keyed:
            groups.setdefault(c.category, []).append(i)
    out = list(classified)
    joined: dict[tuple[str, str], str] = {}  # one text per distinct (message, details): members repeat them
    for members in groups.values():
        texts = []
        for i in members:
            r = classified[i].result
            pair = (r.message, r.details)
            text = joined.get(pair)
            if text is None:
                text = joined[pair] = f"{r.message}\n{r.details}"
            texts.append(text)
        found = infer_endpoints([(classified[i].captures, t) for i, t in zip(members, texts, strict=True)])
        services = service_names([classified[i].captures for i in members])
        for i, text, endpoint in zip(members, texts, found, strict=True):
            c = classified[i]
            captures = with_endpoint(c.captures, named_by_service(endpoint, services))
            if captures != c.captures:
                line = c.verdict.winner.line if c.verdict.winner else ""
                out[i] = c.changed(key=key_of(c.rule, line, captures, c.result, text), captures=captures)
    return out


def _finding(c: Cluster, rules: RuleSet, stats: RunStats, sigs: dict[str, Signature],
             texts: dict[str, str] | None = None) -> Finding:
    """`texts`: the run's findings' words so far; an equal one is shared (the same reason, remediation or
    impact over thousands of findings is one string, not one each)."""
    one = (lambda text: texts.setdefault(text, text)) if texts is not None else (lambda text: text)
    lead = c.lead
    results = c.results()
    category: Category = rules.category(lead.category)
    rule = lead.rule
    sig = sigs[lead.key]  # aliases (older versions) are added where issues are matched: pipeline._build
    captures = c.captures(lead)
    values = captures_map(captures)
    # The ids of its tests, gathered once for the priority, the title's test and the impact (a finding may hold 90,000).
    tests: set[str] = set()
    incidents = 0
    all_failing = True
    for r in results:
        if r.is_test:
            tests.add(r.id)
        else:
            incidents += 1
        if all_failing and r.outcome not in _FAILING_OR_FLAKY:
            all_failing = False
    # failing_test_ids, when every member failed (or flaked): classify's input holds nothing else.
    priority, reason = decide_priority(c, category, rule, stats, tests if all_failing else None)
    layer = rule.layer if rule is not None and rule.layer is not None else category.layer
    blocks = rule.blocks if rule is not None and rule.blocks is not None else category.blocks
    outer = _enclosing_build(c, rules, layer) if incidents else None  # tests never say what they failed inside
    if outer is not None:
        built: Category = rules.category(outer.rule.category)
        layer, blocks = built.layer, tuple(dict.fromkeys((*blocks, *built.blocks)))
        # What the build was making (its services, images) is the evidence correlation links on.
        made = [pair for pair in outer.captures if pair[0] in BUILD_EVIDENCE and pair not in captures]
        captures = (*captures, *made)
        values = captures_map(captures)
        reason += (f"; it failed inside a container build (rule {outer.rule.id} matched its output), so, like a "
                   f"{built.name}, it acts at the {built.layer} layer and blocks {', '.join(built.blocks)}")
    # What the run shows about the failure's reach (allowed to fail, a third party's outage, one platform).
    facts = facts_of(results, stats.jobs, tests_reported=stats.passed + stats.failing_tests > 0,
                     run_counts=(stats.failing_tests, stats.failing_tests + stats.passed),
                     tested_jobs=stats.tested_jobs)
    priority, reason = adjust(priority, reason, layer, facts, category.name)
    title_t = (rule.title if rule and rule.title else category.title) or category.name
    cause_t = (rule.root_cause if rule and rule.root_cause else "") or _fallback_cause(lead)
    remedy_t = (rule.remediation if rule and rule.remediation else category.remediation)
    words = with_named_test(values, results, tests)  # "the test" only when no one test is meant
    return Finding(
        id="f-" + sig.digest[:10],
        signature=sig,
        results=results,
        category=category.name,
        area=(rule.area if rule and rule.area else category.area),
        layer=layer,
        priority=priority,
        priority_reason=one(reason),
        rule_id=rule.id if rule else "unclassified",
        title=one(render(title_t, words)),
        root_cause=one(render(cause_t, words)),
        remediation=one(render(remedy_t, words)),
        impact=one(_impact(tests, incidents, stats)),
        captures=tuple(captures),
        blocks=blocks,
    )


_FAILING_OR_FLAKY = frozenset({*FAILING_OUTCOMES, "flaky"})  # what failing_test_ids counts of a test


def _enclosing_build(c: Cluster, rules: RuleSet, rule_layer: Layer) -> Hit | None:
    """A container build's (or start's) wrapper that matched this cause's own log incidents: the
    cause (npm ci failing under BuildKit's `failed to solve`) happened inside it, so the image or
    stack it was building never came to exist. Only a wrapper of a lower layer that blocks counts."""
    for hit in c.wrappers_seen():
        outer = rules.category(hit.rule.category)
        if outer.blocks and LAYERS.index(outer.layer) < LAYERS.index(rule_layer):
            return hit
    return None


def _fallback_cause(lead: Classified) -> str:
    return "No rule recognises this failure; its signature is shown as the evidence."


def _impact(tests: Collection[str], incidents: int, stats: RunStats) -> str:
    """How far the failure reaches, in words: tests by name (`tests`: its test results' ids), or incidents in logs
    (`incidents`: its results that are no test) before any test."""
    parts = []
    if tests:
        share = f" of {stats.failing_tests} failing" if stats.failing_tests > len(tests) else ""
        parts.append(f"{counted(len(tests), 'test')}{share} affected")
    if incidents:
        parts.append(counted(incidents, "log incident") + ("" if tests else " before any test reported"))
    tail = "; no test ran in this run" if stats.zero_tests_ran else ""
    return ", ".join(parts) + tail + "."


def counted(n: int, word: str) -> str:
    """`1 test`, `2 tests`: view.common.plural for the stages that must not import the views."""
    return f"{n} {word if n == 1 else word + 's'}"


def order_key(f: Finding) -> tuple[int, int, int, int, str]:
    return (
        1 if f.category == UNCLASSIFIED else 0,
        LAYERS.index(f.layer),
        PRIORITIES.index(f.priority),
        -len(f.results),
        f.id,
    )


@contextmanager
def without_gc_pauses() -> Iterator[None]:
    """Pause the cyclic collector while a large run is classified (and, in `gardener classify`, read
    and written: one pause for the whole command, as each collection, even the first young one after
    a pause, walks every object allocated since).

    Classification allocates a few small objects per result and keeps them until the findings are
    built; none form reference cycles, so reference counting frees them. With the collector on,
    its full collections rescan every live object again and again, which makes 100,000 results
    cost far more than ten times 10,000. The previous state is restored afterwards.
    """
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            # What the pause allocated joins the oldest generation directly (freeze, then unfreeze into it):
            # the first young collection after it would otherwise walk all of it once more. Not when the
            # process froze objects of its own (unfreezing would hand them back to the collector).
            if gc.get_freeze_count() == 0:
                gc.freeze()
                gc.unfreeze()
            gc.enable()


def analyse(results: Sequence[Result], config: Config | None = None, rules: RuleSet | None = None) -> Analysis:
    """Classify, absorb wrappers, cluster, prioritise. `rules` defaults to the config's rules."""
    with without_gc_pauses():
        return _analyse(results, config, rules)


def _analyse(results: Sequence[Result], config: Config | None, rules: RuleSet | None,
             keep_clusters: bool = True) -> Analysis:
    """`analyse`; without `keep_clusters` (find: only the findings are wanted) each cluster is let go once its
    finding is built, so a large run never holds every Classified and every Finding at once (peak memory)."""
    config = config if config is not None else Config()
    rules = rules if rules is not None else config.rules
    masks = config.masks
    # The run's counts first, while only the results are alive: their temporaries (a set of every failing
    # test id) then never add to the peak that classification reaches.
    stats = RunStats.of(results)
    # Endpoints first, so a wrapper absorbed into a network failure takes the key it ends with.
    classified = absorb_wrappers(attribute_endpoints(classify_all(results, rules)))
    classified = absorb_repeats(classified)  # one failure read as two incidents of one step is one
    sigs = run_signatures((c.key for c in classified), masks)
    clusters = cluster(classified, lambda key: sigs[key].digest)
    del classified  # the clusters hold every Classified now
    texts: dict[str, str] = {}
    by_id: dict[str, Cluster] = {}
    if keep_clusters:
        findings = [_finding(c, rules, stats, sigs, texts) for c in clusters]
        by_id = {f.id: c for f, c in zip(findings, clusters, strict=True)}
    else:
        pending = list(reversed(clusters))
        del clusters
        findings = []
        while pending:  # the popped cluster (and the Classified only it holds) is freed once its finding is built
            findings.append(_finding(pending.pop(), rules, stats, sigs, texts))
    sigs.clear()  # the findings hold the signatures they name
    del texts
    findings = cross_finding_priority(findings, stats)
    ordered = tuple(sorted(findings, key=order_key))
    return Analysis(findings=ordered, clusters=by_id)


def find(results: Sequence[Result], config: Config | None = None, rules: RuleSet | None = None) -> tuple[Finding, ...]:
    """Findings for a run, most fundamental first. Pure: same inputs, same findings."""
    with without_gc_pauses():
        return _analyse(results, config, rules, keep_clusters=False).findings


