"""The benchmark adds up its load slices as one: latencies over every request of every slice."""

from __future__ import annotations

from bench.load import LoadResult, combined, percentile_ms


def _slice(samples_us: list[int], seconds: float) -> LoadResult:
    histogram = {}
    for us in samples_us:
        histogram[us] = histogram.get(us, 0) + 1
    return LoadResult(
        requests=len(samples_us),
        seconds=seconds,
        p50_ms=0,
        p99_ms=0,
        non_2xx=0,
        socket_errors=1,
        latencies=tuple(sorted(histogram.items())),
    )


def test_slices_add_up_to_one_load_with_percentiles_over_every_request():
    fast = [1000 + i for i in range(300)]  # 1.0–1.3 ms
    slow = [5000 + 7 * i for i in range(100)]  # a slow slice: 5.0–5.7 ms
    both = combined([_slice(fast, 2.0), _slice(slow, 2.0)])
    assert both.requests == 400 and both.seconds == 4.0 and both.rps == 100
    assert both.socket_errors == 2
    # wrk ranks the p-th percentile of n requests at round(p * n + 0.5): the 201st and 397th.
    assert both.p50_ms == sorted(fast + slow)[200] / 1000 == 1.2
    assert both.p99_ms == sorted(fast + slow)[396] / 1000 == 5.672
    # A slice's own p99 is not the load's: the slow slice alone would say 5.693 ms.
    assert percentile_ms(list(_slice(slow, 2.0).latencies), 99) == 5.693


def test_paired_ratios_are_taken_turn_by_turn():
    from bench.paired import ratio_summary

    before = [1.0, 2.0, 4.0, 8.0]
    after = [1.1, 2.2, 4.4, 8.8]  # every turn 10% slower, whatever the machine's speed
    assert ratio_summary(before, after) == "1.100 (middle half 1.100–1.100)"
    assert ratio_summary([1.0, 1.0, 1.0, 1.0], [0.8, 0.9, 1.0, 1.2]) == (
        "0.950 (middle half 0.900–1.200)"
    )
