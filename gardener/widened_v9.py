"""What session 11 (key-v9) changed in builtin rules' evidence, as predicates key_changes.py reads to give a failure the
key it had before: which text a veto added in key-v9 matched, and what a widened rule's evidence matched before.

Pure; RE2 (gardener.regex), compiled on first use.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.rules.pattern import any_matches

# deps.more-package-managers' key-v9 veto: nix's own hash mismatch (deps.nix-hash-mismatch names it).
_NIX_HASH_MISMATCH = re.lazy(r"hash mismatch (?:in fixed-output derivation|importing path) '/nix/store/")


def nix_hash_mismatch_veto(vetoed_by: str) -> bool:
    """Whether the text that vetoed deps.more-package-managers is key-v9's nix hash-mismatch veto."""
    return _NIX_HASH_MISMATCH.search(vetoed_by) is not None


# compile.msbuild-project's evidence before key-v9 (VSBuild's `Solution not found using search pattern` was added).
_MSBUILD_PROJECT_V8 = re.lazy(
    r"\): error : Project '[^'\n]+' targets '[^'\n]+'\. It cannot be referenced"
    r"|\berror MSB(?:3202|4019|4024|4025|4057|4066|4126): "
)


def msbuild_project_v8(text: str) -> bool:
    """Whether compile.msbuild-project's evidence before key-v9 matched `text`."""
    return _MSBUILD_PROJECT_V8.search(text) is not None


# docker.compose-dependency-unhealthy's evidence before key-v9 (compose's `has no healthcheck configured` and v1's
# `Service "x" is missing a healthcheck configuration` were added).
_COMPOSE_DEPENDENCY_V8 = re.lazy(
    r"(?i)dependency failed to start: container [\w.-]+ (?:is unhealthy|exited \(\d+\))"
    r"|container for service \"[^\"]+\" is unhealthy|Container \"?[\w.-]+\"? is unhealthy"
    r"|dependency \S+ failed to start|ERROR: for \S+\s+Container \"[^\"]+\" is unhealthy"
)


def compose_dependency_v8(text: str) -> bool:
    """Whether docker.compose-dependency-unhealthy's evidence before key-v9 matched `text`."""
    return _COMPOSE_DEPENDENCY_V8.search(text) is not None


# collect.jvm-test-class-init's evidence before key-v9 (Surefire's `» ExceptionInInitializer` / `» NoClassDefFound Could
# not initializ...` summary lines were added); the first needs the rule engine's backreference (rules/pattern.py).
_JVM_TEST_CLASS_INIT_V8 = (
    r"Running (?P<module>[\w.$]+)\n[\s\S]{0,600}?Could not initialize class (?P=module)\b",
    r"Could not initialize class (?P<module>[\w.$]*(?:Test|Tests|TestCase|IT|Spec))\b",
    r"(?m)\binitializationError\b",
    r"(?i)Test class should have exactly one public (?:zero-argument )?constructor",
    r"(?i)No runnable methods",
)


_jvm_test_class_init_v8 = any_matches(_JVM_TEST_CLASS_INIT_V8)


def jvm_test_class_init_v8(text: str) -> bool:
    """Whether collect.jvm-test-class-init's evidence before key-v9 matched `text`."""
    return _jvm_test_class_init_v8(text)
