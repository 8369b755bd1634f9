"""Anchor rules for package managers' and image builders' own failure messages (issue 12, rules-deps).

Each line is one a tool always prints the same way when it cannot install, resolve, fetch or build what the job
depends on, taken from the tool's own message catalogue rather than from one log: cargo's resolver and source
errors (`failed to select a version for`, `package `x v1` cannot be built because it requires rustc 1.70`,
`the lock file ... needs to be updated but --locked was passed`), Bundler's and RubyGems' (`Your bundle only
supports platforms`, `An error occurred while installing`, mkmf's `*** extconf.rb failed ***`), npm's integrity
check, uv's (`error: Failed to parse `uv.lock``), the BSD, Alpine, Red Hat, Arch and Homebrew package managers,
Composer's platform requirements, Helm's chart fetches, CocoaPods, Swift's package manager, Stack, Hex and
conda's solvers, and container builders that cannot run the image's shell (`exec format error`) or resolve its
base image. They are SPECIFIC: they say what is wrong. The installers' own "installing x failed" headers
(`ERROR:  Error installing x:`) are GENERIC: the line under them says why.

`FIRST` is tried before the other family tables (its lines are specific enough never to shadow a rule there).
Patterns stay within RE2's syntax (no lookarounds, no backreferences).
"""

from __future__ import annotations

from gardener.ingest.runner_log.anchor_rule import GENERIC, SPECIFIC, Rule, rule

FIRST: tuple[Rule, ...] = (
    # cargo (src/cargo/core/resolver/errors.rs, sources/registry, ops/lockfile): the resolver finds no version, a
    # fetched crate needs a newer rustc (the `Caused by:` chain indents it), a source or registry cannot be read,
    # a locked install whose lock file is stale.
    rule(
        "cargo-deps",
        r"^\s*(?:error: )?package `(?P<subject>[\w-]+) v[\w.+-]+[^`]*` cannot be built because it requires rustc "
        r"|^\s*(?:error: )?rustc [\w.+-]+ is not supported by the following packages?:"
        r"|^\s*(?:error: )?failed to select a version for (?:the requirement )?`(?P<subject2>[\w-]+)"
        r"|^\s*(?:error: )?no matching package (?:named `(?P<subject3>[\w-]+)` )?found"
        r"|^\s*(?:error: )?failed to download (?:from )?`|^\s*(?:error: )?failed to fetch `https?://"
        r"|^\s*(?:error: )?(?:Unable|failed) to update registry `"
        r"|^error: the lock file \S+ needs to be updated but --(?:locked|frozen) was passed"
        r"|^error: failed to parse lock file at: |^error: checksum for `[^`]+` changed between lock files"
        r"|^\s*(?:error: )?failed to verify the checksum of `|^error: cyclic package dependency: ",
        SPECIFIC,
        joins=True,
    ),
    # cargo's header for a dependency it could not get: the `Caused by:` chain under it says why (a registry that does
    # not answer, a directory it may not create: `Permission denied (os error 13)`), and that line explains it.
    rule(
        "cargo-deps",
        r"^error: failed to get `(?P<subject>[\w-]+)` as a dependency of "
        r"|^\s*(?:error: )?failed to load source for dependency `(?P<subject2>[\w-]+)`",
        GENERIC,
        joins=True,
    ),
    # RubyGems installing a gem (`ERROR:  Error installing pg:`) and its native extension failing: the lines under
    # it say why (mkmf's `*** extconf.rb failed ***`, an extconf's own `*** ERROR: missing ...`).
    rule(
        "bundler",
        r"^ERROR:\s+Error installing (?P<subject>[\w.-]+):$|^\s*ERROR: Failed to build gem native extension",
        GENERIC,
        joins=True,
    ),
    # Bundler (bundler/errors.rb and its resolver's messages) and RubyGems (Gem::* errors); its lock file's platforms
    # and `Could not find gem` are families_more.py's and families.py's.
    rule(
        "bundler",
        r"^\s*An error occurred while installing(?: (?P<subject>[\w.-]+) \(|$)"
        r"|\*\*\* extconf\.rb failed \*\*\*|^\*\*\* ERROR: .*\b(?:missing|not found|required|cannot find)\b"
        r"|^\s*You are trying to install in deployment mode after changing|^\s*The gemspecs? for path gems changed"
        r"|^\s*Could not fetch specs from https?://|^\s*Could not reach host [\w.-]+\. Check your network"
        r"|^\s*(?:ERROR:\s+)?Could not find a valid gem '(?P<subject2>[^']+)'"
        r"|^\s*(?:\S+: )?Gem::(?:MissingSpec(?:Version)?Error|ConflictError|InstallError|RemoteFetcher::FetchError"
        r"|UnsatisfiableDependencyError|DependencyResolutionError)\b"
        r"|^\s*(?P<subject3>[\w.-]+) requires Ruby version [^\n]*\. The current ruby version is ",
        SPECIFIC,
        joins=True,
    ),
    # npm's integrity check (pacote/ssri: `sha512-... integrity checksum failed when using sha512: wanted ... but
    # got ...`), also when a paste split `npm ERR!` from its message.
    rule("npm", r"\bintegrity checksum failed when using sha\d+", SPECIFIC, joins=True),
    # yarn 2+ error codes (`➤ YN0018: │ x@npm:1.0.0: The remote archive doesn't match the expected checksum`).
    rule("yarn", r"\bYN0(?:001|009|013|018|028|035|046|060|071|080): ", SPECIFIC, joins=True),
    # uv (crates/uv/src/commands: `error: Failed to parse `uv.lock``, `error: Failed to download `x==1``, a stale
    # lock file under --locked, a distribution with no wheel for the platform, no interpreter).
    rule(
        "uv",
        r"^\s*(?:error|×): Failed to (?:parse `(?P<subject>[^`]*uv\.lock)`|download `(?P<subject2>[^`]+)`"
        r"|fetch: `|build `(?P<subject3>[^`]+)`|prepare distributions|resolve dependencies for `|install: "
        r"|read `(?P<subject4>[^`]*pyproject\.toml)`)"
        r"|^\s*(?:error: )?The lockfile at `[^`]+` needs to be updated, but `--(?:locked|frozen)` was provided"
        r"|^\s*error: Distribution `(?P<subject5>[^`]+)` can't be installed because"
        r"|^\s*error: No (?:interpreter|Python installation) found for ",
        SPECIFIC,
        joins=True,
    ),
    # FreeBSD's pkg (`pkg: http://pkg.FreeBSD.org/.../meta.txz: Not Found`, `Unable to update repository FreeBSD`),
    # Alpine's apk (`ERROR: unable to select packages:`, `  x (no such package):`), dnf/yum (`Error: Unable to find
    # a match: x`, `Error: Failed to download metadata for repo 'x'`), pacman (`error: target not found: x`), Homebrew
    # (`Error: No available formula with the name "x"`), Chocolatey.
    rule(
        "system-packages",
        r"^pkg: \S+: (?:Not Found|No address record|Operation timed out|Authentication error)"
        r"|^pkg: An error occured while fetching package$|^pkg: repository \S+ contains packages for wrong OS version"
        r"|^pkg: No packages available to install matching '(?P<subject>[^']+)'|^Unable to update repository \S+$"
        r"|^Error updating repositories!$"
        r"|^(?:ERROR: )?unable to select packages:$|^\s+(?P<subject2>[\w.+-]+) \(no such package\):$"
        r"|^Error: (?:Unable to find a match(?:: (?P<subject3>\S+)|\.?$)|Failed to download metadata for repo '"
        r"|Cannot find a valid baseurl for repo: |Failed to download packages: |Problem: (?:conflicting requests"
        r"|package \S+ requires))"
        r"|^No package (?P<subject4>\S+) available\.$|^No match for argument: (?P<subject9>\S+)"
        r"|^error: (?:target not found: (?P<subject5>\S+)|failed retrieving file '|failed to synchronize all databases"
        r"|failed to prepare transaction)"
        r"|^Error: (?:No available formula(?: or cask)? with the name \"(?P<subject6>[^\"]+)\""
        r"|No formulae or casks found for |Failed to download resource \"(?P<subject7>[^\"]+)\""
        r"|(?P<subject8>\S+): no bottle available!)"
        r"|\bThe package was not found with the source\(s\) listed\.|^Chocolatey installed \d+/\d+ packages?\. [1-9]",
        SPECIFIC,
        joins=True,
    ),
    # Composer's platform requirements (`- The requested package php >=5.5.19 could not be found.`, `- The requested
    # PHP extension ext-intl * is missing from your system.`; a package's `requires php ... does not satisfy` is
    # families.py's) and its package host unreachable.
    rule(
        "composer",
        r"^\s+- The requested (?:package|PHP extension) (?P<subject>[\w./-]+)[^\n]* "
        r"(?:could not be found|is missing from your system)"
        r"|^\s*The \"https?://[^\"]+\" file could not be downloaded"
        r"|^\s*curl error \d+ while downloading https?://",
        SPECIFIC,
        joins=True,
    ),
    # Helm fetching a chart or its dependencies (`Error: INSTALLATION FAILED: failed to download "x"`, `chart "x"
    # matching 1.2 not found in y index`, `no cached repository for ...`, `found in Chart.yaml, but missing in
    # charts/ directory: x`).
    rule(
        "helm",
        r"^Error: (?:[A-Z ]+ FAILED: )?(?:failed to download \"(?P<subject>[^\"]+)\"|chart \"(?P<subject2>[^\"]+)\""
        r"(?: version \"[^\"]*\"| matching \S+)? not found in |no cached repository for |no repository definition for "
        r"|found in Chart\.yaml, but missing in charts/ directory: |could not find protocol handler for: "
        r"|can't get a valid version for repositories )",
        SPECIFIC,
        joins=True,
    ),
    # CocoaPods and SwiftPM resolving their graphs; Stack and Hex solving; conda/mamba solving.
    rule(
        "resolver",
        r"^\[!\] (?:CocoaPods could not find compatible versions for pod \"(?P<subject>[^\"]+)\""
        r"|Unable to find a specification for [`\"'](?P<subject2>[^`\"']+)|Unable to satisfy the following requirements"
        r"|Error installing (?P<subject3>\S+)$|The version of CocoaPods used to generate the lockfile)"
        r"|^\s*error: (?:Dependencies could not be resolved because |failed to resolve dependencies"
        r"|the package \S+ @ \S+ contains incompatible dependencies|Failed to clone repository |could not find a "
        r"package named )"
        r"|^\*\* \(Mix\) (?:Could not resolve dependencies|Hex dependency resolution failed|Unknown package "
        r"|No package with name )"
        r"|^(?:conda\.exceptions\.|libmambapy\.|mamba: )?(?:UnsatisfiableError|PackagesNotFoundError"
        r"|ResolvePackageNotFound|LibMambaUnsatisfiableError)\b"
        r"|^\s*(?:- |Problem: )?nothing provides (?:requested )?(?P<subject5>\S+)"
        r"|\bCould not solve for environment specs$"
        # R's installer (`installation of package 'x' had non-zero exit status`), cpanm (`! Installing X failed.`),
        # rebar3 (`===> Package not found in any repo: x`), vcpkg (`error: building x:x64-linux failed with:
        # BUILD_FAILED`), sbt/Ivy (`sbt.librarymanagement.ResolveException: Error downloading x`).
        r"|installation of package [‘'](?P<subject6>[^’'\n]+)[’'] had non-zero exit status"
        r"|^! (?:Installing (?P<subject7>\S+) failed|Couldn't find module or a distribution (?P<subject8>\S+)"
        r"|Configur(?:e|ing) (?:failed for )?\S+(?: failed)?\. |Installing the dependencies failed: "
        r"|Failed to fetch distribution |Bailing out the installation for )"
        # pipenv's deploy check and mix's conflict report (`Failed to use "plug" (version 1.14.0) because`).
        r"|^Your Pipfile\.lock \(\w+\) is out of date|^Failed to use \"(?P<subject11>[^\"]+)\"[^\n]* because$"
        r"|^===> (?:Failed to fetch and copy dep: |Package not found in any repo: |Failed to update package )"
        r"|\bbuilding (?:package )?(?P<subject9>[\w+-]+:[\w-]+) failed with: BUILD_FAILED"
        r"|\bResolveException: (?:Error downloading |unresolved dependency: )"
        r"|^(?:\[warn\])?\s+:: (?P<subject10>\S+#\S+): not found$",
        SPECIFIC,
        joins=True,
    ),
    # The go command settling modules and toolchains (cmd/go/internal/modload): a query no version matches, a go.mod
    # needing a newer Go than the job's with toolchain switching off, module lookups disabled, vendor/ out of sync.
    rule(
        "go-modules",
        r"^go: (?:[^\n]*?: )?go\.mod requires go >= |: no matching versions for query \""
        r"|^go: downloading go[\w.]+ [^\n]*toolchain not available|^go: [^\n]*module lookup disabled by GOPROXY=off"
        r"|^go: inconsistent vendoring",
        SPECIFIC,
        joins=True,
    ),
    # Ivy's box header (`[warn] :: UNRESOLVED DEPENDENCIES ::`): the `:: org#name;1.0: not found` lines in it name what.
    rule("dependency-resolution", r"::\s+UNRESOLVED DEPENDENCIES\s+::", GENERIC, joins=True),
    # Gradle's resolution header (`> Could not resolve all files for configuration ':app:debugRuntimeClasspath'.`):
    # the lines under it (`> Could not find com.x:y:1.0.`) name the artifact.
    rule(
        "dependency-resolution",
        r"Could not resolve all (?:files|dependencies|artifacts|task dependencies) for configuration ",
        GENERIC,
        joins=True,
    ),
    # An image whose platform the host cannot run: its shell does not execute (BuildKit's `exec /bin/sh: exec format
    # error`, runc's `exec user process caused: exec format error`, the legacy builder's bare line).
    rule(
        "docker-build",
        r"\bexec (?:/\S+|user process caused): exec format error|^\s*exec format error$",
        SPECIFIC,
        joins=True,
    ),
    # A base image or job image the builder or runner cannot find (BuildKit's `failed to solve: alpine:3.99: ...:
    # not found`, GitLab's `No such image: x`, podman's `image not known`, containerd's `failed to pull and unpack`).
    rule(
        "pull-denied",
        r"\bfailed to resolve source metadata for (?P<subject>\S+?): [^\n]*(?:not found|denied|unauthorized|forbidden"
        r"|40[134])"
        r"|\bfailed to solve: (?P<subject2>[\w./-]+:[\w.-]+): (?:[\w./-]+:[\w.-]+: )?not found$"
        r"|\bError: No such image: (?P<subject3>\S+)"
        r"|\b(?:unable to pull|Error: initializing source docker://)(?P<subject4>\S+?):? [^\n]*(?:image not known"
        r"|manifest unknown|not found|denied|unauthorized)"
        r"|\bfailed to pull image \"(?P<subject5>[^\"]+)\""
        r"|\bfailed to pull image (?P<subject7>[^\"\s]+) with specified policies"
        r"|\bfailed to create LLB definition: (?:(?P<subject6>[\w./-]+:[\w.-]+): not found|pull access denied)",
        SPECIFIC,
        joins=True,
    ),
    # A build script that needs a tool the runner does not have (prost-build's `Could not find `protoc``, the
    # pkg-config crate's `The pkg-config command could not be found`): the job's dependencies, not the project's code.
    rule(
        "build-tool-missing",
        r"\bCould not find `(?P<subject>[\w.+-]+)`\. If `[\w.+-]+` is installed"
        r"|\bThe (?P<subject2>pkg-config) command could not be found",
        SPECIFIC,
        joins=True,
    ),
    # --- session 8 (rules-deps-2): package managers, registries and stores the open sets showed falling to
    # `unclassified`. One rule for their specific lines (each rule is one more search of every hinted line):
    # LuaRocks (src/luarocks/deps.lua, fetch/git.lua, search.lua, build/builtin.lua): a dependency it cannot install
    # (`Error: Failed installing dependency: <url> - <why>`), a query no rock matches, a rockspec's tag it cannot check
    # out, a C module that does not compile, a header or library it cannot find, a manifest it cannot fetch, a rocks
    # tree the job may not write (`Your user does not have write permissions in x`).
    # Crystal's shards (src/errors.cr, resolvers/git.cr, molinillo_solver.cr) and `crystal deps` without it: a git
    # command on a dependency's tag that fails (`Failed git ls-tree ... Maybe a commit, branch or file doesn't
    # exist?`, shards 0.7's `git command failed: ...`), a conflict, a stale lock file under --frozen.
    # opam (src/client/opamSolution.ml): no solution, sources it cannot fetch, a package it does not know.
    # cargo publishing (src/cargo/ops/registry/publish.rs): the registry's answer is under `Caused by:`; without a
    # token cargo stops before it (`error: no token found, please run `cargo login``).
    # rubygems.org answering `gem push`: a key it does not accept (401 `Access Denied. Please sign up for an account
    # at https://rubygems.org`), an OTP it needs, a version already pushed (409), a gem the account does not own.
    # App Store Connect and Google Play refusing an upload (fastlane's deliver/pilot over altool, supply over the
    # Play Developer API). A downloaded "binary" that is an HTML page (`./bin/phpunit: line 1: html: No such file or
    # directory`). ssh refusing a host it has no key for (auth, not the network). RubyGems without the Bundler the
    # lock file or binstub wants (`can't find gem bundler (>= 0.a) with executable bundle`).
    rule(
        "package-tool",
        r"^Error: (?:Failed installing dependency: (?P<subject>\S+)|Could not satisfy dependency:? "
        r"|Could not find a result named (?P<subject2>[\w.-]+)"
        r"|No results matching query were found|Failed checking out tag/branch from git repository"
        r"|Build error: Failed compiling |Could not find (?:header|library) file for (?P<subject3>\S+)"
        r"|Failed fetching manifest|Error fetching file: |Failed unpacking |Failed loading manifest"
        r"|Your user does not have write permissions in )"
        r"|\. Maybe a commit, branch or file doesn't exist\?$|^(?:Error: )?Error resolving (?P<subject4>[\w.-]+) \("
        r"|^(?:Error: )?Outdated shard\.lock \(|^(?:Error: )?Unable to satisfy the following requirements:$"
        r"|^(?:Error: )?Failed to resolve dependencies$|`shards` executable is missing"
        r"|^(?:Error: )?Unsupported shard\.lock\."
        r"|^\[ERROR\] (?:No solution for (?P<subject5>[^:\s]+)|The compilation of (?P<subject6>\S+) failed"
        r"|The installation of (?P<subject7>\S+) failed|The sources of the following couldn't be obtained"
        r"|Failed to get sources of (?P<subject8>\S+)|No package named (?P<subject9>\S+) found|Package conflict!)"
        r"|^The following dependencies couldn't be met:$|^\+- The following actions failed$"
        r"|^Your request can't be satisfied:$"
        r"|^error: failed to publish (?:(?P<subject10>[\w-]+) v\S+ )?to registry at "
        r"|^error: no token found(?:, please run `cargo login`| for `[^`]+`)"
        r"|^\s*Access Denied\. Please sign up for an account at |^\s*HTTP Basic: Access denied\.$"
        r"|^\s*You have enabled multi-?factor authentication but (?:no OTP code provided|your request doesn't have the "
        r"correct OTP code)|^\s*Your OTP code is incorrect|^\s*The API key doesn't have access"
        r"|^\s*Repushing of gem versions is not allowed|^\s*You do not have permission to push to this gem"
        r"|^\s*There was a problem saving your gem"
        r"|\bCould not download/upload from App Store Connect!|\bError uploading ipa file"
        r"|\[altool[\w.]*\] Failed to upload package|\bENTITY_ERROR\.ATTRIBUTE\.INVALID\.DUPLICATE\b"
        r"|\bERROR ITMS-\d+: |\bThe bundle version must be higher than the previously uploaded version"
        r"|\bGoogle Api Error: [^\n]*\b(?:version code|has already been used|apkUpgradeVersionConflict)"
        r"|: line 1: (?:<?html>?|<!DOCTYPE|<\?xml): (?:No such file or directory|command not found)"
        r"|: line 1: `<(?:!DOCTYPE|html|\?xml)"
        r"|^Host key verification failed\."
        r"|\bcan't find gem bundler \(|^\s*\S*bin/bundle:\d+:in [`']load': cannot load such file",
        SPECIFIC,
        joins=True,
    ),
    # opam's build box header (opamAction.ml: `#=== ERROR while compiling dune.1.7.1 ===#`) is GENERIC: when the box
    # quotes a compiler's diagnostic (`# File "src/main.ml", line 96`), that line explains it, and the rules decide
    # whose code it is (a pinned package is the project's own).
    rule(
        "opam",
        r"^#=+ ERROR while (?:compiling|installing|fetching sources for|downloading|removing) (?P<subject>\S+) =",
        GENERIC,
        joins=True,
        absorbs=("compile-error",),
    ),
    # The Lua interpreter's own error line (`lua: build-aux/luke:120: attempt to concatenate a nil value`, LuaJIT's
    # `luajit: .../cfg.lua:78: attempt to index ...`): the script's failure, above its `stack traceback:`; the lines
    # before it say whether a rock was being installed.
    rule("lua-error", r"^\S*\blua(?:jit)?[\d.]*(?:\.exe)?: (?:\.\.\.)?\S+:\d+: \S", SPECIFIC, joins=True, before=8),
)

# Words (lower case) one of which every line above contains.
HINT_WORDS = (
    "is installed, try", "command could not be found", "cannot be built", "not supported by the following",
    "failed to select a version", "no matching package",
    "as a dependency of", "failed to load source", "failed to download", "failed to fetch", "to update registry",
    "needs to be updated", "parse lock file", "changed between lock files", "verify the checksum", "cyclic package",
    "error installing", "native extension", "only supports platforms", "error occurred while installing",
    "extconf.rb", "*** error: ", "compatible versions for gem", "could not find gem", "deployment mode",
    "path gems changed", "could not fetch specs", "could not reach host", "could not find a valid gem", "gem::",
    "requires ruby version", "integrity checksum failed", "yn0", "failed to parse", "failed to build",
    "prepare distributions", "failed to resolve", "failed to install", "failed to read", "can't be installed",
    "found for ", "pkg: ", "unable to update repository", "error updating repositories", "unable to select packages",
    "no such package", "unable to find a match", "download metadata", "valid baseurl", "failed to download packages",
    "problem: ", "no package ", "target not found", "failed retrieving", "synchronize all databases",
    "prepare transaction", "no available formula", "no formulae or casks", "no bottle available",
    "no match for argument", "error occured while fetching", "wrong os version", "source(s) listed",
    "chocolatey installed", "requested package", "requested php extension", " requires ", "could not be downloaded",
    "while downloading", "failed: ", "not found in ", "no cached repository", "no repository definition",
    "missing in charts/", "protocol handler", "valid version for repositories", "[!] ",
    "dependencies could not be resolved", "contains incompatible dependencies", "failed to clone repository",
    "could not find a package named", "(mix) ", "unsatisfiableerror", "packagesnotfounderror",
    "resolvepackagenotfound", "nothing provides", "could not solve for environment", "exec format error",
    "installation of package", "! installing ", "! couldn't find module", "! configur", "! failed to fetch",
    "! bailing out", "pipfile.lock", "failed to use", "===> ", "build_failed", "resolveexception",
    "unresolved dependencies", "no matching versions for query", "go.mod requires go", "toolchain not available",
    "module lookup disabled", "inconsistent vendoring", "could not resolve all", "resolve source metadata",
    "failed to solve: ", "no such image", "unable to pull", "initializing source", "failed to pull image",
    "llb definition",
    "failed installing dependency", "could not satisfy dependency", "no results matching query", "result named",
    "failed checking out tag", "build error: ", "could not find header file", "could not find library file",
    "failed fetching manifest", "error fetching file", "failed unpacking", "failed loading manifest",
    "does not have write permissions", "maybe a commit, branch", "error resolving ", "outdated shard.lock",
    "unable to satisfy", "failed to resolve dependencies", "executable is missing", "unsupported shard.lock",
    "error while ", "[error] ", "dependencies couldn't be met", "following actions failed",
    "request can't be satisfied", "failed to publish", "no token found", "access denied", "multi-factor",
    "multifactor", "otp code", "api key doesn't", "repushing", "permission to push", "problem saving your gem",
    "app store connect", "error uploading ipa", "failed to upload package", "entity_error", "itms-",
    "bundle version must be higher", "google api error", ": line 1: ", "host key verification failed",
    "can't find gem bundler", "cannot load such file", "lua: ", "luajit: ",
)  # fmt: skip
