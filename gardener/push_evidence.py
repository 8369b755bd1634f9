"""Whether a registry failure's own text shows a push or publish (the labelling rule: a refused pull or login blocks
the job, P0; a refused push or publish is P1: what was built and tested stands, only its delivery fails).

The operation is read from what the tools print around the refusal, not from the refusal's words (`denied:
requested access to the resource is denied` answers pushes and pulls alike; only its place tells them apart: a line
of its own is the docker CLI's push output, a pull's comes inside the daemon's sentence): docker's push header and
its layers' push progress (`The push refers to repository [x]`, `5f70bf18a086: Preparing`, `Layer already exists`,
`Mounted from`), BuildKit's and crane's push lines, podman's, buildah's and skopeo's `error pushing image "x" to
"docker://x"`, `docker push` / `podman push` / `npm publish` / `twine upload` / `gem push` / `cargo publish` commands,
an HTTP PUT to a registry, GitHub's `write_package`, the OCI distribution API's blob upload or manifest PUT.

Pure; RE2 (gardener.regex); called once per registry finding with its members' text.
"""

from __future__ import annotations

from gardener import regex as re
from gardener.redact.text import cut_raw

_PUSH = re.lazy(
    r"(?im)\bThe push refers to (?:a )?repository \[(?P<image>[^\]\n]+)\]"
    r"|^[ \t]*[0-9a-f]{12}: (?:Preparing|Pushing\b|Pushed|Layer already exists|Mounted from \S+)"
    r"|\bfailed to push\b|\bpushing (?:layers|manifest|sha256:|image\b)|\bexporting to image[^\n]*\bpushing\b"
    r"|(?:^|[\s$+>])(?:docker|podman|buildah|crane|skopeo|oras|helm) push\b|\bdocker buildx build\b[^\n]*--push\b"
    r"|(?:^|[\s$+>])(?:npm|yarn|pnpm) publish\b|\btwine upload\b|\bgem push\b|\bcargo publish\b|\bpoetry publish\b"
    r"|\bdotnet nuget push\b|\bnuget push\b"
    # Maven's deploy goal and Gradle's publish tasks as tokens of the command (not `-Dmaven.deploy.skip=true`, not
    # the `com.gradle.plugin-publish` plugin a build resolves).
    r"|\bmvnw?\b[^\n]*[ \t](?:[\w.-]+:)*deploy(?:\s|$)|\bgradlew?\b[^\n]*[ \t]:?(?:[\w-]+:)*publish\w*(?:\s|$)"
    r"|\s-\s+PUT https?://[\w.-]+/|\bwrite_package\b|\bupload(?:ing)? (?:blob|layer)s?\b"
    # The docker CLI prints a push's refusal as the registry's own line (`denied: requested access to the resource is
    # denied`, its push progress cut from a paste); a refused pull or login always comes inside the daemon's sentence
    # (`Error response from daemon: pull access denied for x, ...: denied: requested access ...`).
    r"|^denied: requested access to the resource is denied"
    # The OCI distribution API's write endpoints, which only a push calls (crane, kaniko, cosign, ko, skopeo name the
    # request they were refused on): starting a blob upload (`POST https://quay.io/v2/x/y/blobs/uploads/`), putting a
    # manifest (`PUT https://ghcr.io/v2/x/manifests/v1`). A pull's `GET`/`HEAD` of a manifest or blob is not one.
    r"|\b(?:POST|PUT|PATCH) https?://[^\s/]+/v2/\S+/blobs/uploads/|\bPUT https?://[^\s/]+/v2/\S+/manifests/"
)


def push_words(text: str) -> str:
    """The words that show the failing operation is a push or publish, or "" when none do."""
    found = _PUSH.search(text)
    return cut_raw(" ".join(found.group(0).split()), 80) if found is not None else ""
