"""The contest benchmarks run end to end at a tiny size (the timings themselves are not checked)."""

from __future__ import annotations

from bench.contest import main


def test_contest_bench_smoke_prints_both_rows(capsys):
    assert main(["--smoke"]) == 0
    out = capsys.readouterr().out
    assert "| matrix build + draw | 20 × 20 |" in out
    assert "| export-pairs, warm | 20 × 300 roll calls |" in out
