"""Every API error has one JSON shape with its code and the request id; HTML views get
friendly error pages; each error is logged once with its code.

The views the tests call are test-only, in `urls.py`, the URLconf of the tests marked
`urls`: they raise each kind of error, through DRF and through plain Django.
"""
