"""Benchmarks of Negotiation Explorer against baselines measured in the same run (issue 5).

Outside the test suite on purpose: ``python -m bench.run`` prints the results table,
``python -m bench.run --smoke`` is the tiny version CI runs (tests/test_bench_smoke.py).
"""
