from gardener.correlate import correlate, phases, resolution_order, shared_evidence
from tests.factories import finding, result


def build_outage():
    build = finding("build", "docker-build-failure", "infrastructure", priority="P0",
                    blocks=("registry-access-failure", "connection-refused", "test"),
                    captures=(("services", "api-backend api-auth"),))
    pulls = finding("pulls", "registry-access-failure", "infrastructure", priority="P1",
                    blocks=("test",), captures=(("image", "ghcr.io/acme/api-backend:latest"),))
    refused = finding("refused", "connection-refused", "environment", priority="P1",
                      blocks=("test",), captures=(("service", "api-auth"), ("host", "localhost"), ("port", "5432")))
    assertion = finding("assert", "assertion-failure", "test", priority="P2")
    collection = finding("collect", "import-collection-error", "collection", priority="P1")
    return [build, pulls, refused, assertion, collection]


def test_build_failure_blocks_pulls_and_refused_tests_but_not_unrelated_ones():
    linked, edges = correlate(build_outage())
    by_id = {f.id: f for f in linked}
    assert by_id["pulls"].blocked_by == ("build",)
    assert by_id["refused"].blocked_by == ("build",)
    assert by_id["assert"].blocked_by == ()
    assert by_id["collect"].blocked_by == ()
    reasons = {(e.blocker, e.blocked): e.reason for e in edges}
    assert "docker-build-failure blocks registry-access-failure" in reasons[("build", "pulls")]
    assert "`api-backend`" in reasons[("build", "pulls")]


def test_layer_blocks_need_shared_evidence():
    refused = finding("refused", "connection-refused", "environment", priority="P1", blocks=("test",),
                      captures=(("host", "db"), ("port", "5432")))
    related = finding("t1", "assertion-failure", "test", captures=(("port", "5432"),))
    unrelated = finding("t2", "assertion-failure", "test", captures=(("port", "6379"),))
    linked, _ = correlate([refused, related, unrelated])
    assert [f.blocked_by for f in linked] == [(), ("refused",), ()]


def test_no_cycles_even_when_rules_block_each_other():
    a = finding("a", "docker-build-failure", "infrastructure", blocks=("registry-access-failure",))
    b = finding("b", "registry-access-failure", "infrastructure", blocks=("docker-build-failure",))
    linked, edges = correlate([a, b])
    assert len(edges) == 1
    assert resolution_order(linked)[0] == edges[0].blocker


def test_resolution_order_is_topological_and_phases_follow_the_seed():
    linked, _ = correlate(build_outage())
    order = resolution_order(linked)
    assert order.index("build") < order.index("pulls")
    assert order.index("build") < order.index("refused")
    grouped = {p.name: p.finding_ids for p in phases(linked)}
    assert grouped["Infrastructure (critical path)"] == ("build", "pulls")
    assert grouped["Business tests it unblocks"] == ("refused",)
    assert grouped["Test failures to fix"] == ("collect", "assert")  # an assertion is a bug the tests found
    assert "Developer experience" not in grouped
    assert [p.number for p in phases(linked)] == [1, 2, 3]


def test_lower_priority_import_and_flaky_problems_are_developer_experience():
    imports = finding("imports", "import-collection-error", "collection", priority="P2")
    flaky = finding("flaky", "flaky-test", "test", priority="P3")
    grouped = {p.name: p.finding_ids for p in phases(correlate([imports, flaky])[0])}
    assert grouped == {"Developer experience": ("imports", "flaky")}


def test_category_blocks_do_not_cross_jobs():
    web_install = finding("install", "dependency-install-failure", "environment", priority="P0",
                          blocks=("import-collection-error",),
                          results=(result("log:web:npm", kind="log", message="ERESOLVE", source_path="web.log"),))
    api_import = finding("import", "import-collection-error", "collection", priority="P1",
                         results=(result("log:api:jest", kind="log", message="Cannot find module",
                                         source_path="api.log"),
                                  result("src/a.test.ts::suite", message="Cannot find module")))
    same_job = finding("import2", "import-collection-error", "collection", priority="P1",
                       results=(result("src/b.test.ts::suite", message="Cannot find module x"),))
    linked, _ = correlate([web_install, api_import, same_job])
    by_id = {f.id: f for f in linked}
    assert by_id["import"].blocked_by == ()  # seen in the api job's log only
    assert by_id["import2"].blocked_by == ("install",)  # a report alone does not name its job


def test_image_and_service_names_match_at_name_boundaries_only():
    a = finding("a", "x", captures=(("image", "netra-alpine-test-auth"),))
    b = finding("b", "y", captures=(("service", "alpine-test-auth"),))
    c = finding("c", "z", captures=(("service", "auth"),))  # compose names images <project>-<service>
    d = finding("d", "w", captures=(("service", "test-aut"),))
    e = finding("e", "v", captures=(("service", "db"),))  # too short to be evidence
    assert shared_evidence(a, b) == ("service", "alpine-test-auth")
    assert shared_evidence(a, c) == ("service", "auth")
    assert shared_evidence(a, d) is None
    assert shared_evidence(a, e) is None


def test_dependency_failures_block_imports_only_of_the_same_package():
    pip = finding("pip", "dependency-install-failure", "environment", priority="P0", blocks=("collection", "test"),
                  captures=(("package", "numpy==1.26.0"),))
    numpy = finding("numpy", "import-collection-error", "collection", priority="P1",
                    captures=(("module", "numpy.linalg"),))
    other = finding("other", "import-collection-error", "collection", priority="P1",
                    captures=(("module", "numpy_financial"),))
    js = finding("js", "import-collection-error", "collection", priority="P1", captures=(("module", "@acme/ui"),))
    by_id = {f.id: f for f in correlate([pip, numpy, other, js])[0]}
    assert by_id["numpy"].blocked_by == ("pip",)
    assert by_id["other"].blocked_by == () and by_id["js"].blocked_by == ()


def test_loopback_spellings_are_one_host():
    a = finding("a", "connection-refused", captures=(("host", "localhost"), ("port", "3000")))
    b = finding("b", "assertion-failure", captures=(("host", "127.0.0.1"), ("port", "3000")))
    assert shared_evidence(a, b) == ("hostport", "localhost:3000")


def test_a_refused_deploy_blocks_other_jobs_missing_that_artifact_only():
    deploy = finding("deploy", "auth-error", "environment", priority="P1",
                     blocks=("test", "dependency-install-failure"),
                     captures=(("artifact", "com.acme.ledger:ledger-core"),),
                     results=(result("log:publish:deploy", kind="log", message="401", source_path="publish.log"),))
    missing = finding("missing", "dependency-install-failure", "environment", priority="P0",
                      captures=(("artifact", "com.acme.ledger:ledger-core"),),
                      results=(result("log:it:deps", kind="log", message="Could not find artifact",
                                      source_path="integration.log"),))
    other = finding("other", "dependency-install-failure", "environment", priority="P0",
                    captures=(("artifact", "com.acme.ledger:ledger-core-api"),),
                    results=(result("log:ct:deps", kind="log", message="Could not find artifact",
                                    source_path="contract.log"),))
    linked, edges = correlate([missing, other, deploy])
    by_id = {f.id: f for f in linked}
    assert by_id["missing"].blocked_by == ("deploy",)
    assert by_id["other"].blocked_by == ()  # another artifact, another job: nothing to say it is the same
    (edge,) = edges
    assert "artifact `com.acme.ledger:ledger-core`" in edge.reason


def test_maven_artifacts_match_by_group_and_artifact_whole():
    a = finding("a", "x", captures=(("artifact", "com.acme:core:jar:1.2.0-SNAPSHOT"),))
    assert shared_evidence(a, finding("b", "y", captures=(("artifact", "com.acme:core"),))) == (
        "artifact", "com.acme:core")
    assert shared_evidence(a, finding("c", "y", captures=(("artifact", "com.acme:core-api"),))) is None
    assert shared_evidence(a, finding("d", "y", captures=(("artifact", "org.other:core"),))) is None


def test_findings_no_edge_touches_come_back_as_they_are_with_the_edges_of_the_others():
    # correlate keeps its graph and blockers only for the findings an edge touches (a large run's thousands of
    # one-test findings hold no set or list each): the rest are the very findings it was given.
    many = [finding(f"t{i}", "assertion-failure", "test") for i in range(50)]
    given = [*build_outage(), *many]
    linked, edges = correlate(given)
    assert [f.id for f in linked] == [f.id for f in given]
    assert all(a is b for a, b in zip(linked[5:], many, strict=True))
    by_id = {f.id: f for f in linked}
    assert (by_id["pulls"].blocked_by, by_id["refused"].blocked_by) == (("build",), ("build",))
    assert {(e.blocker, e.blocked) for e in edges} == {("build", "pulls"), ("build", "refused")} | {
        (e.blocker, e.blocked) for e in correlate(build_outage())[1]}


def test_a_cycle_check_walks_only_the_edges_kept_so_far():
    # Three findings of one layer blocking each other in a ring: the edge closing the ring is refused (reaches() on
    # a graph holding only the findings with an edge).
    a = finding("a", "docker-build-failure", "infrastructure", blocks=("registry-access-failure",))
    b = finding("b", "registry-access-failure", "infrastructure", blocks=("cache-failure",))
    c = finding("c", "cache-failure", "infrastructure", blocks=("docker-build-failure",))
    linked, edges = correlate([a, b, c])
    assert len(edges) == 2
    assert sum(1 for f in linked if not f.blocked_by) == 1
