"""Conformance harness: proves a deployment (the stand-in, staging, production) honours the
Void Invoice Payment contract and the void semantics the public API makes observable."""
