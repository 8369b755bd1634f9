"""Request handlers, one module per resource; each takes (Store, Request) and returns a Response."""
