"""The benchmark suite: data generator, request runner, load test and report.

``make bench`` drives it; ``manage.py bench_data`` and ``manage.py bench_run``
are thin commands over :mod:`bench.generate` and :mod:`bench.runner`.
"""
