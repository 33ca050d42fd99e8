"""Benchmarks of Negotiation Explorer against baselines measured in the same run (issues 5, 10, 13).

Outside the test suite on purpose: ``python -m bench.run`` prints the results table,
``python -m bench.run --smoke`` is the tiny version CI runs (tests/test_bench_smoke.py).
"""
