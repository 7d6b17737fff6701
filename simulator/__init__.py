"""Concert Hub simulator: a small stand-alone WSGI service (SPEC G7).

It plays the network partner that receives protection business (KYC and M&P
data): it validates submissions like a strict partner, honours
``Idempotency-Key``, stores what it received, lists it on an HTML page and
injects faults on demand. It uses only the standard library and never imports
Django or the ``crm`` package. See ``docs/concert-hub/README.md``.
"""

__version__ = "1.0"
