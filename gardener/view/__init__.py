"""Template contexts: pure functions from a RunReport to redacted, ready-to-print values.

Templates never see raw model objects, so no untrusted text can reach a document unredacted.
"""
